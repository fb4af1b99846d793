// Browser check of the teacher's marks and the admin's replay against a running daemon, driven
// by appliance/tests/browser_marks.rs. Runs inside a lab device's network namespace: the
// connections it makes are that device's, as a phone's on the WiFi would be.
//
// What it does, as a teacher and a class would: opens the sankey and the map "since the mark"
// on two pages and the presenter as the admin; connects to --before; sets a mark with the
// presenter's form; times the mark's arrival on both pages; checks the "before" flow is gone
// from the since-the-mark sankey and the --after flow (made after the mark) shows; tries a
// 10 kB label (the form and the API refuse it with a reason); has 500 event streams opened at
// once from another device (beyond web.max_event_clients they are refused with a reason) and
// sets a second mark, which must still reach both pages; replays the session on the sankey (a flow only after its
// start, play moves through time frame by frame) and the map; deletes the session and opens
// its replay (a clear "not stored any more" message); a German presenter whose login ended
// tries a mark (the form says why in German). Prints one JSON object; assertions are
// in the Rust test; this script fails only when the browser cannot be driven.
//
// Usage: node marks.mjs --base http://192.0.2.1:8080 --dns 192.0.2.1 --out DIR
//        --before alpha.test --after beta.test --port 443 --admin-password PASSWORD
// (the Rust test opens the streams when DIR/streams.request appears, writes DIR/streams.json,
// and closes them when DIR/streams.done appears)
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

import { adminLogin, launchChromium, outDir, parseArgs, shot as shotIn, until, watchPage } from './lib.mjs';

const args = parseArgs();
const base = new URL(args.base);
const out = outDir(args.out);
const port = Number(args.port || 443);

const browser = await launchChromium(base);

const report = { pages: [], marks: {}, bad_label: {}, streams: {}, replay: {}, deleted: {}, german: {} };
const wide = { width: 1600, height: 1000 };

async function openPage(route, { password = null, viewport = wide } = {}) {
  const context = await browser.newContext({ viewport });
  if (password) await adminLogin(context, base, password);
  const page = await context.newPage();
  const entry = watchPage(page, base, { route, replay_requests: [] }, {
    onRequest: (u) => {
      if (u.pathname.endsWith('/replay')) entry.replay_requests.push(u.search);
    },
  });
  await page.goto(new URL(route, base).href, { waitUntil: 'load', timeout: 15000 });
  report.pages.push(entry);
  return { page, context, entry };
}

const shot = (page, name) => shotIn(page, out, name);
const textOf = async (page, sel) => (await page.locator(sel).first().textContent().catch(() => null))?.replace(/\s+/g, ' ').trim() ?? null;
// The website column's labels as shown (none while the chart is hidden for want of data).
const domains = (page) => page.$$eval('#sankey g.node[data-column="domain"] text', (ts) =>
  (document.getElementById('sankey').hasAttribute('hidden') ? [] : ts.map((t) => t.textContent.trim())));
const tableDomains = (page) => page.$$eval('#paths-table tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent.trim()));
const has = (list, name) => list.some((l) => l.includes(name));

const resolver = new Resolver();
resolver.setServers([args.dns]);
// This device looks `name` up with the appliance and makes a short connection to it.
async function browse(name) {
  const [ip] = await resolver.resolve4(name);
  const sock = net.connect(port, ip);
  await new Promise((ok, fail) => { sock.once('connect', ok); sock.once('error', fail); });
  const started = Date.now();
  const header = Buffer.alloc(4);
  header.writeUInt32BE(2000);
  sock.on('data', () => {});
  sock.end(header);
  await new Promise((ok) => { sock.once('close', ok); setTimeout(ok, 3000); });
  sock.destroy();
  return { ip, started };
}

try {
  // The class's views since the mark, and the teacher's presenter (logged in: "Mark now").
  const sankey = await openPage('/sankey?window=mark');
  const map = await openPage('/map?window=mark');
  const presenter = await openPage('/presenter', { password: args['admin-password'] });
  report.marks.form_shown = (await presenter.page.locator('#mark-form').count()) === 1;
  report.marks.sankey_before_words = await textOf(sankey.page, '#mark-latest');

  // Before the mark: a connection, shown on the since-the-mark sankey (no mark yet: the
  // whole session).
  const before = await browse(args.before);
  report.before_started = before.started;
  report.marks.before_shown_ms = await until(async () => has(await domains(sankey.page), args.before), 10000);
  report.marks.before_domains = await domains(sankey.page);

  // The daemon reads connections' counters every conntrack.dump_interval_ms (2 s): bytes
  // counted after the mark are "since the mark". A teacher marks before the class starts
  // something; the test leaves the first connection's last bytes time to be counted.
  await new Promise((r) => setTimeout(r, 3000));
  // The mark, set with the presenter's form; both pages hear of it from their streams.
  const label = 'Now open TikTok';
  await presenter.page.fill('#mark-label', label);
  const t0 = Date.now();
  await presenter.page.click('#mark-form button[type="submit"]');
  const arrived = (page) => until(async () => (await textOf(page, '#mark-latest'))?.includes(label), 10000, 20);
  [report.marks.sankey_ms, report.marks.map_ms, report.marks.presenter_ms] = await Promise.all([
    arrived(sankey.page), arrived(map.page), arrived(presenter.page),
  ]);
  report.marks.set_at = t0;
  report.marks.sankey_words = await textOf(sankey.page, '#mark-latest');
  report.marks.map_words = await textOf(map.page, '#mark-latest');
  report.marks.presenter_error = await textOf(presenter.page, '.mark-error');
  await shot(presenter.page, 'presenter-marked');

  // Since the mark: the earlier connection goes from the sankey; one after it comes.
  report.marks.before_gone_ms = await until(async () => !has(await domains(sankey.page), args.before), 10000);
  await new Promise((r) => setTimeout(r, 1500));
  const after = await browse(args.after);
  report.after_started = after.started;
  report.marks.after_shown_ms = await until(async () => has(await domains(sankey.page), args.after), 10000);
  report.marks.after_domains = await domains(sankey.page);
  report.marks.after_table = await tableDomains(sankey.page);
  report.marks.summary = await textOf(sankey.page, '#sankey-summary');
  await shot(sankey.page, 'sankey-since-mark');

  // A 10 kB label: the form says why (the input's maxlength stops typing; a pasted value or
  // another script is checked too), and the API refuses it with a reason. No mark is added.
  const marksBefore = (await (await presenter.context.request.get(new URL('/api/v1/marks', base).href)).json()).marks.length;
  const long = 'x'.repeat(10 * 1024);
  await presenter.page.$eval('#mark-label', (el, v) => { el.value = v; }, long);
  await presenter.page.click('#mark-form button[type="submit"]');
  report.bad_label.form_error = await textOf(presenter.page, '.mark-error');
  // The API itself, as another script would call it (not from the page: the browser would
  // log the refusal as a failed load on the page's console).
  const csrf = await presenter.page.$eval('#mark-form', (f) => f.dataset.csrf);
  const res = await presenter.context.request.post(new URL('/api/v1/marks', base).href, {
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    data: JSON.stringify({ label: long }),
  });
  const api = { status: res.status(), body: await res.json().catch(() => null) };
  report.bad_label.api_status = api.status;
  report.bad_label.api_error = api.body && api.body.error;
  report.bad_label.marks_added = (await (await presenter.context.request.get(new URL('/api/v1/marks', base).href)).json()).marks.length - marksBefore;
  await presenter.page.fill('#mark-label', '');

  // 500 subscribers at once: beyond web.max_event_clients they are refused with a
  // reason; the pages already open keep their updates (a second mark reaches them); a page
  // opened meanwhile says it updates every few seconds instead.
  // The streams come from another device (the Rust test opens them in its namespace when
  // asked, see Usage): each device has its own cap, so the total is what refuses them.
  fs.writeFileSync(path.join(out, 'streams.request'), '');
  const opened = await until(async () => fs.existsSync(path.join(out, 'streams.json')), 60000, 100);
  if (opened === null) throw new Error('the streams were never opened');
  Object.assign(report.streams, JSON.parse(fs.readFileSync(path.join(out, 'streams.json'), 'utf8')));
  const late = await openPage('/sankey');
  report.streams.late_status_ms = await until(async () => (await late.page.locator('#live-status').getAttribute('data-state')) !== null && (await textOf(late.page, '#live-status')) !== '', 10000);
  report.streams.late_status = await textOf(late.page, '#live-status');
  report.streams.late_status_state = await late.page.locator('#live-status').getAttribute('data-state');
  const label2 = 'Now close it';
  await presenter.page.fill('#mark-label', label2);
  await presenter.page.click('#mark-form button[type="submit"]');
  const arrived2 = (page) => until(async () => (await textOf(page, '#mark-latest'))?.includes(label2), 10000, 20);
  [report.streams.sankey_mark_ms, report.streams.map_mark_ms] = await Promise.all([arrived2(sankey.page), arrived2(map.page)]);
  await late.context.close();
  fs.writeFileSync(path.join(out, 'streams.done'), '');

  await sankey.context.close();
  await map.context.close();

  // The replay of this session, as the admin: the session's number from /api/v1/marks.
  const session = (await (await presenter.context.request.get(new URL('/api/v1/marks', base).href)).json()).session;
  report.replay.session = session;
  // The store writes flows a little later than the views see them: wait for both.
  const stored = await until(async () => {
    const r = await presenter.context.request.get(new URL(`/api/v1/sessions/${session}/replay?at=${Date.now()}&window=3600`, base).href);
    const j = await r.json();
    const ds = (j.paths || []).map((p) => p.domain || '');
    return has(ds, args.before) && has(ds, args.after);
  }, 20000, 500);
  report.replay.stored_ms = stored;
  const rs = await openPage(`/sankey?replay=${session}`, { password: args['admin-password'] });
  report.replay.ready = await rs.page.evaluate(() => window.whereflow.replay.ready);
  report.replay.bounds = await rs.page.evaluate(() => window.whereflow.replay.bounds());
  report.replay.title = await textOf(rs.page, '#replay-h');
  report.replay.at_end = await domains(rs.page);
  // Before the first connection: neither; between the two (set with the slider, as a
  // person would): only the first; at the end: both.
  await rs.page.evaluate((at) => window.whereflow.replay.seek(at), before.started - 1500);
  await rs.page.waitForTimeout(800);
  report.replay.before_first = await domains(rs.page);
  report.replay.before_first_empty = await rs.page.locator('#sankey-empty').isVisible();
  const { start } = report.replay.bounds;
  const mid = Math.round((after.started - 1500 - start) / 1000);
  await rs.page.$eval('#replay-scrub', (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, mid);
  const midAt = String(start + mid * 1000);
  report.replay.between_ms = await until(async () => (await rs.page.$eval('#replay', (el) => el.dataset.shownAt)) === midAt, 5000);
  // (The nodes of the frame before fade out for 550 ms.)
  await rs.page.waitForTimeout(800);
  report.replay.between = await domains(rs.page);
  report.replay.between_time = await textOf(rs.page, '#replay-time');
  await shot(rs.page, 'replay-between');
  // Play from the start: the position moves, one frame read at a time (never the session).
  await rs.page.evaluate((at) => window.whereflow.replay.seek(at), start);
  const fetchesBefore = await rs.page.evaluate(() => window.whereflow.replay.fetches());
  const pos0 = Number(await rs.page.$eval('#replay-scrub', (el) => el.value));
  await rs.page.click('#replay-play');
  report.replay.play_pressed = await rs.page.locator('#replay-play').getAttribute('aria-pressed');
  report.replay.play_label = await textOf(rs.page, '#replay-play');
  await rs.page.waitForTimeout(2600);
  await rs.page.click('#replay-play');
  report.replay.paused_label = await textOf(rs.page, '#replay-play');
  report.replay.moved_s = Number(await rs.page.$eval('#replay-scrub', (el) => el.value)) - pos0;
  report.replay.play_fetches = (await rs.page.evaluate(() => window.whereflow.replay.fetches())) - fetchesBefore;
  report.replay.requests = rs.entry.replay_requests.slice();
  await rs.context.close();
  // The map moves through the same session.
  const rm = await openPage(`/map?replay=${session}`, { password: args['admin-password'] });
  report.replay.map_ready = await rm.page.evaluate(() => window.whereflow.replay.ready);
  report.replay.map_time = await textOf(rm.page, '#replay-time');
  await shot(rm.page, 'replay-map');
  await rm.context.close();

  // A deleted session: a new session (keeping this one), then this one deleted with the
  // admin page's button; its replay says so.
  const admin = await openPage('/admin', { password: args['admin-password'] });
  await admin.page.check('form[action="/admin/sessions"] input[name="old"][value="keep"]');
  await Promise.all([admin.page.waitForNavigation(), admin.page.click('form[action="/admin/sessions"] button[type="submit"]')]);
  report.deleted.replay_links = await admin.page.locator(`a[href="/sankey?replay=${session}"]`).count();
  await Promise.all([admin.page.waitForNavigation(), admin.page.click(`form[action="/admin/sessions/${session}/delete"] button[type="submit"]`)]);
  report.deleted.rows_after = await admin.page.locator(`form[action="/admin/sessions/${session}/delete"]`).count();
  await admin.context.close();
  const gone = await openPage(`/sankey?replay=${session}`, { password: args['admin-password'] });
  report.deleted.ready = await gone.page.evaluate(() => window.whereflow.replay.ready);
  report.deleted.error = await textOf(gone.page, '#replay-error');
  report.deleted.error_visible = await gone.page.locator('#replay-error').isVisible();
  await shot(gone.page, 'replay-deleted');
  await gone.context.close();

  // A German presenter whose login ended during the lesson: the form says why in German
  // (the server's reason, `error_said`, in the language the page asked for).
  const dePresenter = await openPage('/lang/de?back=%2Fpresenter', { password: args['admin-password'] });
  report.german.form_shown = (await dePresenter.page.locator('#mark-form').count()) === 1;
  await dePresenter.context.clearCookies({ name: 'whereflow_admin' });
  await dePresenter.page.fill('#mark-label', 'Jetzt TikTok öffnen');
  await dePresenter.page.click('#mark-form button[type="submit"]');
  await until(async () => ((await textOf(dePresenter.page, '.mark-error')) || '') !== '', 5000, 50);
  report.german.form_error = await textOf(dePresenter.page, '.mark-error');
  await dePresenter.context.close();
  await presenter.context.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
