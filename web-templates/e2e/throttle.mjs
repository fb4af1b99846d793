// The sankey and the map on a cheap phone, driven by appliance/tests/browser_throttle.rs while
// the daemon holds 50 devices x 500 domains and their counters move.
//
// For /sankey and /map, without and with `prefers-reduced-motion: reduce`: a fresh context at
// a phone's size, Chromium's CPU slowed --rate times (DevTools
// `Emulation.setCPUThrottlingRate` on a CDP session, before the page loads), observers
// installed before the page's scripts run: long tasks, the page's `wf-render` measures (one
// per update: src/sankey.js, src/map.js) and the `data-animating` attribute (lib/motion.js);
// after each render the transitions d3 still runs are counted. Waits for --updates renders
// after the first (or --wait-ms). Prints one JSON object; assertions are in the Rust test.
//
// Usage: node throttle.mjs --base http://192.0.2.1:8080 --out DIR --rate 4 --updates 6
//        --wait-ms 45000
import { launchChromium, outDir, parseArgs, shot, sleep, watchPage } from './lib.mjs';

const args = parseArgs();
const base = new URL(args.base);
const out = outDir(args.out);
const rate = Number(args.rate || 4);
const updates = Number(args.updates || 6);
const waitMs = Number(args['wait-ms'] || 45000);
const phone = { width: 390, height: 844 };

// Runs in the page before its own scripts.
function observe() {
  const seen = { longTasks: [], renders: [], animating: [], stream: [] };
  window.__wfThrottle = seen;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'wf-stream') seen.stream.push({ start: Math.round(e.startTime), ms: Math.round(e.duration), ...(e.detail || {}) });
      if (e.name !== 'wf-render') continue;
      const r = { start: e.startTime, ms: e.duration, ...(e.detail || {}) };
      seen.renders.push(r);
      // The transitions d3 runs just after this render (d3 keeps them on `__transition`).
      setTimeout(() => {
        let n = 0;
        for (const el of document.querySelectorAll('svg *')) if (el.__transition && Object.keys(el.__transition).length) n += 1;
        r.transitions = n;
      }, 30);
    }
  }).observe({ type: 'measure', buffered: true });
  new MutationObserver((ms) => {
    for (const m of ms) seen.animating.push({ at: performance.now(), value: m.target.getAttribute('data-animating') });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-animating'] });
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
const round = (x) => Math.round(x * 10) / 10;

const browser = await launchChromium(base);
const report = { rate, runs: [] };
try {
  for (const reduced of [false, true]) {
    for (const route of ['/sankey', '/map']) {
      const context = await browser.newContext({ viewport: phone, reducedMotion: reduced ? 'reduce' : 'no-preference' });
      await context.addInitScript(observe);
      const page = await context.newPage();
      const entry = watchPage(page, base, { route, reduced_motion: reduced });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      entry.throttle_rate = rate;
      const t0 = Date.now();
      await page.goto(new URL(route, base).href, { waitUntil: 'load', timeout: 60000 });
      const count = () => page.evaluate(() => window.__wfThrottle.renders.length);
      // With reduced motion only the animations are in question: fewer updates do.
      const want = reduced ? Math.min(5, updates) : updates;
      while (Date.now() - t0 < waitMs && (await count()) < want + 1) await sleep(500);
      // The last render's transition count.
      await sleep(200);
      const seen = await page.evaluate(() => window.__wfThrottle);
      entry.wall_ms = Date.now() - t0;
      // The stream's messages: size, parse and apply time (lib/live.js).
      entry.stream = seen.stream.map((m) => ({ ...m, parse_ms: round(m.parse_ms) }));
      entry.renders = seen.renders.map((r) => ({ ...r, start: round(r.start), ms: round(r.ms) }));
      const firstEnd = seen.renders.length ? seen.renders[0].start + seen.renders[0].ms : Infinity;
      entry.first_render_at_ms = seen.renders.length ? round(firstEnd) : null;
      const ms = seen.renders.map((r) => r.ms).sort((a, b) => a - b);
      entry.render_ms = { n: ms.length, p50: round(pct(ms, 50) ?? 0), p95: round(pct(ms, 95) ?? 0), max: round(ms[ms.length - 1] ?? 0) };
      // The updates' renders (the first one is the page's first paint of the data).
      const later = seen.renders.slice(1).map((r) => r.ms).sort((a, b) => a - b);
      entry.update_render_ms = { n: later.length, p50: round(pct(later, 50) ?? 0), p95: round(pct(later, 95) ?? 0), max: round(later[later.length - 1] ?? 0) };
      entry.gaps_ms = seen.renders.slice(1).map((r, i) => round(r.start - seen.renders[i].start));
      entry.long_tasks_before_first_render = seen.longTasks.filter((t) => t.start < firstEnd).map((t) => ({ start: round(t.start), duration: round(t.duration) }));
      entry.long_tasks_after_first_render = seen.longTasks.filter((t) => t.start >= firstEnd).map((t) => ({ start: round(t.start), duration: round(t.duration) }));
      entry.animated_renders = seen.renders.filter((r) => r.animated).length;
      entry.animated_after_first = seen.renders.slice(1).filter((r) => r.animated).length;
      // The updates that came fast (under 1.4 s after the one before; the views animate none
      // under 1.5 s): none may animate, and none may find a transition running (unless the
      // one before animated: its 0.5 s may not be over on a busy page).
      const fast = seen.renders.map((r, i) => ({ r, i })).filter(({ r, i }) => i > 0 && r.start - seen.renders[i - 1].start < 1400);
      entry.fast_updates = fast.length;
      entry.fast_animated = fast.filter(({ r }) => r.animated).length;
      entry.fast_transitions = fast.filter(({ i }) => !seen.renders[i - 1].animated).reduce((s, { r }) => s + (r.transitions || 0), 0);
      entry.animating_seen = seen.animating.some((a) => a.value === 'true');
      await shot(page, out, `${route.slice(1)}${reduced ? '-reduced' : ''}-throttled`);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await context.close();
      report.runs.push(entry);
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
