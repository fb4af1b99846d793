// When a view animates an update: not when the phone asks for reduced motion, not when
// updates come fast (the last one less than `minGapMs` ago), not while the last animation
// still runs. A cheap phone then draws each update once, without 550 ms of transitions
// stacking up behind the next update. While a transition runs, `el.dataset.animating` is
// "true" (what the browser test watches; also a hook for CSS).

/** `prefers-reduced-motion: reduce` now (a phone may change it while the page is open). */
export function prefersReducedMotion() {
  return typeof window !== "undefined" && !!window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * The decision alone, for tests: animate an update at `now` (ms) given the time of the last
 * update `last` (null: none yet), when the running animation ends `busyUntil`, and whether
 * motion is reduced.
 */
export function shouldAnimate({ now, last, busyUntil = 0, reduced = false, minGapMs = 1500 }) {
  if (reduced) return false;
  if (now < busyUntil) return false;
  return last === null || now - last >= minGapMs;
}

/**
 * A view's motion: `next(wanted)` is asked once per update and says how long its transitions
 * last (0: none); `el` carries `data-animating` while they run.
 */
export function motion(el, { durationMs, minGapMs = 1500, now = () => performance.now(), reduced = prefersReducedMotion } = {}) {
  let last = null;
  let busyUntil = 0;
  let timer = null;
  return {
    next(wanted = true) {
      const t = now();
      const on = wanted && shouldAnimate({ now: t, last, busyUntil, reduced: reduced(), minGapMs });
      last = t;
      if (!on) return 0;
      busyUntil = t + durationMs;
      if (el) {
        el.dataset.animating = "true";
        clearTimeout(timer);
        timer = setTimeout(() => {
          el.dataset.animating = "false";
        }, durationMs);
      }
      return durationMs;
    },
  };
}
