// Browser check of the presenter's line about the room's WiFi, driven by
// appliance/tests/browser_views.rs (`the_presenter_says_room_full_and_follows_the_status`).
//
// Opens /presenter (English, then German by the language cookie) on a daemon whose WiFi
// monitor sees a full room and a captive portal, reads what #room-notices shows once the
// page's script has run, prints `loaded`, then waits (at most --wait-ms) for the script to
// show the line the test makes it expect next (--then, a `data-room` kind, after the test
// changed the station count) and prints one JSON report. Assertions live in the Rust test.
//
// Usage: node room.mjs --base http://127.0.0.1:8080 --then room-nearly [--wait-ms 30000]
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = new URL(args.base);
const waitMs = Number(args['wait-ms'] || 30000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-default-browser-check',
    `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${base.hostname}`,
  ],
});

const notices = (page) =>
  page.$$eval('#room-notices [data-room]', (els) => els.map((e) => ({ kind: e.dataset.room, text: e.textContent })));

const report = { en: {}, de: {}, console_errors: [], foreign_requests: [] };
try {
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') report.console_errors.push(m.text()); });
    page.on('pageerror', (e) => report.console_errors.push(String(e)));
    page.on('request', (r) => { if (new URL(r.url()).host !== base.host) report.foreign_requests.push(r.url()); });
  };
  // German first (a context with the language cookie), then English, which stays open.
  const deContext = await browser.newContext();
  await deContext.addCookies([{ name: 'wf_lang', value: 'de', url: base.href }]);
  const de = await deContext.newPage();
  watch(de);
  await de.goto(new URL('/presenter', base).href, { waitUntil: 'load' });
  await de.waitForResponse((r) => r.url().endsWith('/api/v1/status'), { timeout: 10000 }).catch(() => {});
  report.de.notices = await notices(de);
  await deContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page);
  await page.goto(new URL('/presenter', base).href, { waitUntil: 'load' });
  report.en.served = await notices(page);
  // The script's first read of /api/v1/status, then what it drew.
  await page.waitForResponse((r) => r.url().endsWith('/api/v1/status'), { timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(200);
  report.en.after_script = await notices(page);
  console.log('loaded');
  const start = Date.now();
  await page
    .waitForSelector(`#room-notices [data-room="${args.then}"]`, { timeout: waitMs })
    .catch(() => {});
  report.en.then_ms = Date.now() - start;
  report.en.then = await notices(page);
  report.en.live = await page.getAttribute('#room-notices', 'aria-live');
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
