// What the browser checks (views.mjs, marks.mjs, throttle.mjs) share: their arguments,
// headless Chromium launched so that it cannot reach anything but the appliance, and a page's
// console errors, requests to other hosts and failed requests.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

/** `--name value` pairs of the command line as an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
}

/** The output directory, made. */
export function outDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Debian's Chromium (or $CHROMIUM), headless. The browser's own services (updates, sign-in,
 * autofill) look up Google's hosts whatever page is open; the host resolver is closed to them
 * so the device's DNS log holds only what the test did. A page's request to any other host is
 * still seen by `watchPage` (and fails), so it cannot hide behind this rule.
 */
export function launchChromium(base) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${base.hostname}`,
      '--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions',
      '--disable-domain-reliability', '--disable-client-side-phishing-detection', '--disable-default-apps',
      '--disable-extensions', '--no-pings', '--safebrowsing-disable-auto-update', '--disable-breakpad',
      '--disable-component-extensions-with-background-pages', '--no-default-browser-check',
    ],
  });
}

/**
 * Record on `entry` what `page` does wrong: `console_errors` (console errors and uncaught
 * exceptions), `foreign_requests` (any host but `base`'s) and `failed_requests` (the event
 * stream, cut when a page closes, is not one). `onRequest(url)` hears of every request.
 */
export function watchPage(page, base, entry, { onRequest = null } = {}) {
  Object.assign(entry, { console_errors: [], foreign_requests: [], failed_requests: [] });
  page.on('console', (m) => { if (m.type() === 'error') entry.console_errors.push(m.text()); });
  page.on('pageerror', (e) => entry.console_errors.push(String(e)));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:', 'about:'].includes(u.protocol) && u.host !== base.host) entry.foreign_requests.push(r.url());
    if (onRequest) onRequest(u);
  });
  page.on('requestfailed', (r) => {
    if (!r.url().includes('/api/v1/events')) entry.failed_requests.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  return entry;
}

/** Log `context` in as the admin (the login's cookie is the context's). */
export async function adminLogin(context, base, password) {
  const res = await context.request.post(new URL('/admin/login', base).href, { form: { password }, maxRedirects: 0 });
  if (res.status() !== 303) throw new Error(`admin login: ${res.status()} ${await res.text()}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Until `fn()` is true (polled every `every` ms), or `ms` passed: the milliseconds it took, or null. */
export async function until(fn, ms = 10000, every = 50) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await fn().catch(() => false)) return Date.now() - t0;
    await sleep(every);
  }
  return null;
}

/** A screenshot of what the page shows, `DIR/name.png`. */
export const shot = (page, dir, name) => page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
