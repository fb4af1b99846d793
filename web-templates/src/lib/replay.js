// Replay of a stored session for the admin (`/sankey?replay=<id>`, `/map?replay=<id>`): play,
// pause and scrub through the session's time. Each position is one frame from
// `/api/v1/sessions/<id>/replay?at=<ms>&window=<s>` (the paths seen in the window before that
// moment, in /api/v1/paths's shape), read when it is needed: never the whole session at once,
// so a two-hour class replays on a phone. A few frames ahead are read while playing, and at
// most CACHE_FRAMES are kept.
import { intlLocale, language, t } from "./i18n.js";
import { byId, h, fill } from "./dom.js";

/** Frames kept in memory (a frame is at most a few hundred rows). */
const CACHE_FRAMES = 12;
/** Frames read ahead of the one shown while playing. */
const AHEAD = 2;
/** A frame shows the paths of this many seconds before its moment (the views' default window). */
const WINDOW_SECS = 300;
/** Real time between two frames while playing. */
const PLAY_EVERY_MS = 1000;
/** At most this many steps from start to end (a long session takes longer steps). */
const MAX_STEPS = 240;
const MIN_STEP_MS = 5000;

const clock = (ms) => new Date(ms).toLocaleTimeString(intlLocale(), { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const duration = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
};

/** Why a replay read failed, in the page's words. */
class ReplayError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function read(u) {
  const res = await fetch(u, { headers: { accept: "application/json", "accept-language": language() }, cache: "no-store" });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ReplayError(res.status, body.error_said || body.error || `${res.status} ${res.statusText}`);
  }
  return res.json();
}

/**
 * Start the replay of session `id`; `onFrame(data)` draws a frame. Returns a promise that
 * settles once the first frame is drawn (false: the session could not be read; the page
 * says why).
 */
export function startReplay({ id, onFrame }) {
  const play = byId("replay-play");
  const scrub = byId("replay-scrub");
  const time = byId("replay-time");
  const error = byId("replay-error");
  const ticks = byId("replay-marks");
  const section = byId("replay");
  const base = `/api/v1/sessions/${encodeURIComponent(id)}/replay`;
  const cache = new Map();
  let start = 0;
  let end = 0;
  let stepMs = MIN_STEP_MS;
  let pos = 0;
  let timer = null;
  let shown = null;
  let wanted = null;
  let fetches = 0;

  const say = (e) => {
    let words;
    if (e instanceof ReplayError && e.status === 404) words = t("replay-gone", { id: String(id) });
    else if (e instanceof ReplayError && (e.status === 401 || e.status === 403)) words = t("replay-denied");
    else words = t("replay-failed", { why: e.message || String(e) });
    error.textContent = words;
    error.hidden = false;
  };

  const frameAt = (offset) => {
    const at = Math.min(end, start + offset);
    if (cache.has(at)) return cache.get(at);
    fetches += 1;
    const p = read(`${base}?at=${at}&window=${WINDOW_SECS}`);
    cache.set(at, p);
    while (cache.size > CACHE_FRAMES) cache.delete(cache.keys().next().value);
    p.catch(() => cache.delete(at));
    return p;
  };

  const label = () => {
    time.textContent = t("replay-position", {
      time: clock(start + pos),
      elapsed: duration(pos),
      total: duration(end - start),
    });
    scrub.setAttribute("aria-valuetext", time.textContent);
  };

  /** Show the frame at `offset` ms from the start (the latest asked wins). */
  async function show(offset) {
    pos = Math.max(0, Math.min(end - start, offset));
    scrub.value = String(Math.round(pos / 1000));
    label();
    const mine = pos;
    wanted = mine;
    try {
      const data = await frameAt(mine);
      if (wanted !== mine || shown === mine) return true;
      shown = mine;
      error.hidden = true;
      onFrame(data);
      // The moment drawn (ms since the epoch), for tests and anyone inspecting the page.
      section.dataset.shownAt = String(start + mine);
      return true;
    } catch (e) {
      say(e);
      stop();
      return false;
    }
  }

  function setPlaying(on) {
    play.setAttribute("aria-pressed", String(on));
    play.textContent = on ? t("replay-pause") : t("replay-play");
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    setPlaying(false);
  }

  function tick() {
    const next = pos + stepMs;
    if (next >= end - start) {
      show(end - start);
      stop();
      return;
    }
    show(next);
    for (let i = 1; i <= AHEAD; i++) frameAt(next + i * stepMs).catch(() => {});
  }

  function start_() {
    if (timer) return;
    if (pos >= end - start) show(0);
    setPlaying(true);
    timer = setInterval(tick, PLAY_EVERY_MS);
    for (let i = 1; i <= AHEAD; i++) frameAt(pos + i * stepMs).catch(() => {});
  }

  play.addEventListener("click", () => (timer ? stop() : start_()));
  let scrubTimer = null;
  scrub.addEventListener("input", () => {
    pos = Number(scrub.value) * 1000;
    label();
    clearTimeout(scrubTimer);
    scrubTimer = setTimeout(() => show(pos), 120);
  });
  scrub.addEventListener("change", () => {
    clearTimeout(scrubTimer);
    show(Number(scrub.value) * 1000);
  });

  const ready = read(base)
    .then(async (s) => {
      start = Date.parse(s.start);
      end = Math.max(start, Date.parse(s.end));
      stepMs = Math.max(MIN_STEP_MS, Math.ceil((end - start) / MAX_STEPS / 1000) * 1000);
      scrub.max = String(Math.round((end - start) / 1000));
      scrub.disabled = false;
      play.disabled = false;
      if (ticks) {
        fill(
          ticks,
          (s.marks || []).map((m) => h("option", { value: String(Math.round((Date.parse(m.at) - start) / 1000)), label: m.label })),
        );
      }
      setPlaying(false);
      // Start at the end: the whole session's last minutes, as the class left it.
      return show(end - start);
    })
    .catch((e) => {
      say(e);
      time.textContent = "";
      return false;
    });

  const hooks = (window.whereflow = Object.assign(window.whereflow || {}, {}));
  hooks.replay = {
    ready,
    /** Show the frame at `at` (ms since the epoch); resolves once drawn. */
    seek: (at) => show(at - start),
    bounds: () => ({ start, end, stepMs, window: WINDOW_SECS }),
    fetches: () => fetches,
    playing: () => !!timer,
  };
  return ready;
}
