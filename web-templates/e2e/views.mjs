// Browser check of every view against a running daemon, driven by appliance/tests/browser_views.rs.
//
// Runs inside a lab device's network namespace, so the pages see this device as "you" and every
// request can only reach the lab. Prints one JSON object with what a person would have seen:
// console errors, requests to other hosts, load times, labels on the sankey, map hotspots, the
// my-device name, the time a new connection took to appear, and the sankey render benchmark.
// Assertions live in the Rust test; this script only fails when the browser cannot be driven.
//
// Usage: node views.mjs --base http://192.0.2.1:8080 --out DIR --new-name graph.facebook.com
//        --new-port 443 --dns 192.0.2.1 --expect-new Meta
import { chromium } from 'playwright-core';
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = new URL(args.base);
const out = args.out;
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // The browser's own services (updates, sign-in, autofill) look up Google's hosts whatever
    // page is open; the host resolver is closed to them so the device's DNS log (checked by
    // the test) holds only what the test did. A page's request to any other host is still
    // seen by the request listener below (and fails), so it cannot hide behind this rule.
    `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${base.hostname}`,
    '--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions',
    '--disable-domain-reliability', '--disable-client-side-phishing-detection', '--disable-default-apps',
    '--disable-extensions', '--no-pings', '--safebrowsing-disable-auto-update', '--disable-breakpad',
    '--disable-component-extensions-with-background-pages', '--no-default-browser-check',
  ],
});

const report = { pages: [], sankey: {}, map: {}, me: {}, presenter: {}, bench: {} };

// A fresh context per page and size: first loads, no cache from another page.
async function openPage(route, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const entry = { route, viewport: `${viewport.width}x${viewport.height}`, console_errors: [], foreign_requests: [], failed_requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') entry.console_errors.push(m.text()); });
  page.on('pageerror', (e) => entry.console_errors.push(String(e)));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:', 'about:'].includes(u.protocol) && u.host !== base.host) entry.foreign_requests.push(r.url());
  });
  page.on('requestfailed', (r) => {
    // The event stream is cut when the page closes; that is not a failure of the page.
    if (!r.url().includes('/api/v1/events')) entry.failed_requests.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  const started = Date.now();
  await page.goto(new URL(route, base).href, { waitUntil: 'load', timeout: 15000 });
  entry.load_ms = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return n ? Math.round(n.loadEventEnd - n.startTime) : null;
  });
  entry.wall_ms = Date.now() - started;
  entry.has_main = (await page.locator('main').count()) > 0;
  report.pages.push(entry);
  return { page, context, entry };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: false });
}

const labels = (page, column) =>
  page.$$eval(`#sankey g.node[data-column="${column}"] text`, (ts) => ts.map((t) => t.textContent.trim()));

const phone = { width: 390, height: 844 };
const wide = { width: 1920, height: 1080 };

try {
  // Home, and what a keyboard user sees: the focused element must be visibly marked.
  for (const vp of [phone, wide]) {
    const { page, context } = await openPage('/', vp);
    await shot(page, `home-${vp.width}`);
    await page.keyboard.press('Tab');
    report.focus = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return {
        element: el.tagName,
        outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
        shadow: cs.boxShadow !== 'none',
      };
    });
    // Contrast of every text element against the page background (WCAG ratio).
    report.min_contrast = await page.evaluate(() => {
      const lum = (rgb) => {
        const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const bgOf = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      let min = 21;
      let worst = null;
      for (const el of document.querySelectorAll('main p, main li, main h1, main h2, main a, main td, main th, main span, main label')) {
        if (!el.textContent.trim() || el.getClientRects().length === 0) continue;
        const a = lum(getComputedStyle(el).color);
        const b = lum(bgOf(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < min) { min = ratio; worst = el.textContent.trim().slice(0, 40); }
      }
      return { ratio: Math.round(min * 100) / 100, worst };
    });
    await context.close();
  }

  // Sankey, then a new connection from this device must appear on it.
  {
    const { page, context } = await openPage('/sankey', wide);
    await page.waitForSelector('#sankey g.node[data-column="device"]', { timeout: 10000 });
    await page.waitForTimeout(500);
    report.sankey.devices = await labels(page, 'device');
    report.sankey.domains = await labels(page, 'domain');
    report.sankey.orgs = await labels(page, 'org');
    report.sankey.countries = await labels(page, 'country');
    report.sankey.tracker_links = await page.locator('#sankey path.link[data-tracker="true"]').count();
    report.sankey.links = await page.locator('#sankey path.link').count();
    // Trackers are marked by more than colour: a pattern fill/stroke or a dash, and a ⚠ label.
    report.sankey.tracker_marks = await page.$$eval('#sankey path.link[data-tracker="true"]', (ls) =>
      ls.filter((l) => {
        const cs = getComputedStyle(l);
        return cs.stroke.includes('url(') || cs.fill.includes('url(') || (cs.strokeDasharray && cs.strokeDasharray !== 'none');
      }).length);
    report.sankey.tracker_labels = (await labels(page, 'domain')).filter((l) => l.includes('⚠')).length;
    await shot(page, 'sankey-1920');

    const resolver = new Resolver();
    resolver.setServers([args.dns]);
    const [addr] = await resolver.resolve4(args['new-name']);
    const t0 = Date.now();
    const sock = net.connect(Number(args['new-port']), addr);
    await new Promise((ok, fail) => { sock.once('connect', ok); sock.once('error', fail); });
    // The lab's TCP servers read a 4-byte reply size first, then answer with that many bytes.
    const header = Buffer.alloc(4);
    header.writeUInt32BE(60000);
    sock.on('data', () => {});
    sock.write(header);
    sock.write(Buffer.alloc(20000, 1));
    const want = args['expect-new'];
    let appeared = null;
    while (Date.now() - t0 < 10000) {
      const now = await labels(page, 'org');
      if (now.some((l) => l.includes(want))) { appeared = Date.now() - t0; break; }
      await page.waitForTimeout(50);
    }
    report.sankey.new_connection_ms = appeared;
    report.sankey.orgs_after = await labels(page, 'org');
    await shot(page, 'sankey-new-connection-1920');
    sock.destroy();

    // Render benchmark: 50 devices x 500 domains through the page's own code path.
    const times = await page.evaluate(async () => {
      await window.whereflow.ready;
      const orgs = ['Google', 'Meta', 'Amazon', 'Microsoft', 'Apple', 'Akamai', 'Cloudflare', 'TikTok', 'BBC', 'Netflix'];
      const countries = ['US', 'GB', 'IE', 'DE', 'NL', 'FR', 'SE', 'JP', 'SG', 'CN'];
      const paths = [];
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let d = 0; d < 50; d++) {
        for (let k = 0; k < 40; k++) {
          const dom = Math.floor(rnd() * 500);
          paths.push({
            device: `10.0.0.${d + 2}`, domain: `site${dom}.example`, org: orgs[dom % orgs.length] + (dom % 7 ? '' : ` ${dom}`),
            country: countries[dom % countries.length], city: null, lat: null, lon: null,
            category: dom % 5 === 0 ? 'advertising' : 'other', tracker: dom % 5 === 0,
            bytes_up: Math.floor(rnd() * 1e5), bytes_down: Math.floor(rnd() * 1e6), connections: 1 + Math.floor(rnd() * 9), open: 0,
            last_seen: new Date().toISOString(),
          });
        }
      }
      const t = [];
      for (let i = 0; i < 7; i++) t.push(await window.whereflow.renderSankey(paths, {}));
      return t;
    });
    times.sort((a, b) => a - b);
    report.bench.sankey_50x500_ms = times;
    report.bench.sankey_50x500_median_ms = times[Math.floor(times.length / 2)];
    report.bench.sankey_50x500_max_ms = times[times.length - 1];
    await shot(page, 'sankey-50x500-1920');
    await context.close();
  }
  {
    const { page, context } = await openPage('/sankey', phone);
    await page.waitForSelector('#sankey g.node', { timeout: 10000 });
    await page.waitForTimeout(300);
    report.sankey.phone_overlapping_labels = await page.$$eval('#sankey g.node text', (ts) => {
      const boxes = ts.map((t) => t.getBoundingClientRect()).filter((b) => b.width > 0);
      let n = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
      }
      return n;
    });
    await shot(page, 'sankey-390');
    await context.close();
  }

  // Map
  for (const vp of [wide, phone]) {
    const { page, context } = await openPage('/map', vp);
    await page.waitForSelector('#map g.hotspot', { timeout: 10000 });
    await page.waitForTimeout(300);
    report.map[`countries_${vp.width}`] = await page.locator('#map path.country').count();
    report.map[`hotspots_${vp.width}`] = await page.$$eval('#map g.hotspot', (hs) => hs.map((h) => h.getAttribute('data-label')));
    await shot(page, `map-${vp.width}`);
    await context.close();
  }

  // My device
  for (const vp of [phone, wide]) {
    const { page, context } = await openPage('/me', vp);
    report.me.name = (await page.textContent('#me-name'))?.trim();
    report.me.ip = (await page.textContent('#me-ip'))?.trim();
    await shot(page, `me-${vp.width}`);
    await context.close();
  }

  // Presenter
  {
    const { page, context } = await openPage('/presenter', wide);
    await page.waitForTimeout(1500);
    report.presenter.qr_codes = await page.locator('svg.qr').count();
    report.presenter.totals = (await page.textContent('#totals'))?.replace(/\s+/g, ' ').trim();
    await shot(page, 'presenter-1920');
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
