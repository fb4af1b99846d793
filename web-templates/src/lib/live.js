// Keeps a view live: reads a JSON endpoint now, again shortly after flow events arrive on the
// server-sent event stream (`/api/v1/events`, debounced), and every 10 s anyway. When the
// stream cannot be had (too many subscribers, an old proxy) it reads every few seconds
// instead. A small status line tells people whether what they see is live.
//
// A group view (sankey, map, presenter) passes `push: () => window` instead: its stream is
// `/api/v1/events?paths=<window>` and brings the rows themselves (`paths` events, the same
// snapshot for every viewer, then `paths_delta` events with the rows that changed, at most 4
// a second), so it reads nothing while the stream is up;
// `url()` is read only when the stream is refused or brings nothing within a few seconds.
import { t } from "./i18n.js";

const EVENTS_URL = "/api/v1/events";

/**
 * Start. `url()` gives the URL to read (it may change, e.g. with the time window);
 * `onData(json)` renders, `onError(error)` hears of a failed read; `status` is an element for "Live" / "Reconnecting…" words.
 * `events` are the stream's events that call for a re-read (`fast` ones sooner); `listen` are
 * more that only go to `onEvent(name, data)` (which hears of both, `data` parsed; e.g. the
 * presenter sounds an `alert` from the stream itself). One stream per page: a page that
 * needs more than one endpoint reads the others from `onData` or `onEvent`.
 * Returns `{refresh(), pause(), resume(), stop()}`.
 */
export function startLive({
  url,
  onData,
  onError = () => {},
  status = null,
  // "changed": privacy mode's notice that some other device's data changed.
  events = ["flow_new", "flow_update", "flow_closed", "changed", "lagged"],
  listen = [],
  onEvent = null,
  debounceMs = 400,
  // A new connection (a new alert) is what people watch for: read sooner than counter updates.
  fast = ["flow_new"],
  newFlowMs = 120,
  minGapMs = 600,
  everyMs = 10000,
  pollMs = 3000,
  // false: no event stream (a page that only needs a figure now and then keeps a slot free
  // for the views; `web.max_event_clients` bounds them), read every `pollMs`.
  stream = true,
  // A group view's window: the stream pushes its `paths` snapshots (see above).
  push = null,
  pushWaitMs = 3000,
  // Push mode: more of the stream's query, e.g. `() => "fold=bytes&device=10.0.0.3"`: the rows
  // folded to what the view draws (hundreds of rows, not tens of thousands; docs/API.md). A
  // change (`refresh()`) opens a new stream.
  pushParams = null,
  // Push mode: called with each row as it arrives (snapshot or delta), so a view reads a row
  // once, in the small task that brought it, not all of them again at every render.
  prepare = null,
}) {
  let timer = null;
  let inflight = false;
  let again = false;
  let lastStart = 0;
  let paused = false;
  let source = null;
  let streamOk = false;
  let stopped = false;
  let failures = 0;
  // Push mode: who this device is (the stream's `hello`), the window the stream is for, and
  // when the last snapshot came.
  let you = null;
  let pushedWindow = null;
  let pushedFold = null;
  let lastPush = 0;
  let pushTimer = null;

  const say = (state, words) => {
    // Unchanged words are not written again: a DOM change makes the next render lay the page
    // out again (several times a second on a live view).
    if (!status || (status.dataset.state === state && status.textContent === words)) return;
    status.dataset.state = state;
    status.textContent = words;
  };

  async function load() {
    if (paused || stopped) return;
    if (inflight) {
      again = true;
      return;
    }
    inflight = true;
    lastStart = Date.now();
    try {
      const res = await fetch(url(), { headers: { accept: "application/json" }, cache: "no-store" });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      const json = await res.json();
      // Push mode read the view (the stream is slow to bring it): its rows are read like a
      // snapshot's, in slices, before the render.
      if (prepare && json && Array.isArray(json.paths)) await prepareSlices(json.paths);
      failures = 0;
      if (!paused && !stopped) onData(json);
      say(streamOk ? "live" : "polling", streamOk ? t("live-live") : t("live-polling"));
    } catch (e) {
      failures += 1;
      say("error", t("live-error", { error: e.message }));
      onError(e);
    } finally {
      inflight = false;
      if (again) {
        again = false;
        schedule(debounceMs);
      }
    }
  }

  let timerDue = 0;

  function schedule(delay) {
    const wait = Math.max(delay, minGapMs - (Date.now() - lastStart));
    if (timer !== null) {
      // Already planned: only bring it forward (a new flow after a counter update).
      if (Date.now() + wait >= timerDue) return;
      clearTimeout(timer);
    }
    timerDue = Date.now() + wait;
    timer = setTimeout(() => {
      timer = null;
      load();
    }, wait);
  }

  // Push mode: the view as the stream built it (`paths`, then `paths_delta` applied): its
  // fields and its rows by key.
  let view = null;
  let rows = new Map();
  let renderTimer = null;
  let lastRender = 0;

  // The view as `/api/v1/paths` would give it to this device (`you` marked), to `onData`:
  // at once, or after `minGapMs` since the last time (updates come up to 4 a second).
  function render() {
    renderTimer = null;
    if (!view || paused || stopped) return;
    if (preparing > 0) {
      // The rows being read first (see prepareLater): the render follows.
      renderTimer = setTimeout(render, 20);
      return;
    }
    lastRender = Date.now();
    const you_ = view.you ?? you;
    const devices = (view.devices || []).map((d) => ({ ...d, you: d.you || d.id === you_ }));
    onData({ ...view, you: you_, devices, paths: [...rows.values()] });
  }

  // Snapshots' rows still being read (`prepare`), slice by slice.
  let preparing = 0;
  const PREPARE_SLICE = 2000;
  function prepareSlices(list) {
    preparing += 1;
    return new Promise((resolve) => {
      let i = 0;
      const step = () => {
        const end = Math.min(list.length, i + PREPARE_SLICE);
        for (; i < end; i += 1) prepare(list[i]);
        if (i < list.length) {
          setTimeout(step, 0);
        } else {
          preparing -= 1;
          resolve();
        }
      };
      setTimeout(step, 0);
    });
  }

  function pushed() {
    lastPush = Date.now();
    failures = 0;
    say("live", t("live-live"));
    if (renderTimer !== null) return;
    renderTimer = setTimeout(render, Math.max(0, minGapMs - (Date.now() - lastRender)));
  }

  function onSnapshot(snap) {
    view = snap;
    rows = new Map((snap.paths || []).map((r) => [r.key, r]));
    // A whole view (tens of thousands of rows) is read in slices of a few thousand, each its
    // own task: with its parsing one task would keep a phone busy far too long.
    if (prepare) prepareSlices([...rows.values()]);
    delete view.paths;
    pushed();
  }

  function onDelta(d) {
    if (!view || d.seq <= view.seq) return;
    if (d.base !== view.seq) {
      // A gap (should not happen: the server resends the whole view to a slow subscriber).
      reopen();
      return;
    }
    for (const k of d.remove || []) rows.delete(k);
    for (const r of d.upsert || []) {
      rows.set(r.key, r);
      if (prepare) prepare(r);
    }
    view = { ...view, seq: d.seq, generated: d.generated, truncated: d.truncated, devices: d.devices || view.devices, others: d.others || view.others, paths_total: d.paths_total ?? view.paths_total };
    pushed();
  }

  // Nothing pushed soon after opening (a proxy holding the stream back): read once.
  function expectPush() {
    clearTimeout(pushTimer);
    pushTimer = setTimeout(() => {
      if (lastPush === 0 || !streamOk) load();
    }, pushWaitMs);
  }

  function openStream() {
    if (typeof EventSource === "undefined" || stopped) return;
    if (push) {
      pushedWindow = push();
      pushedFold = pushParams ? pushParams() : "";
      lastPush = 0;
      view = null;
      source = new EventSource(`${EVENTS_URL}?paths=${encodeURIComponent(pushedWindow)}${pushedFold ? `&${pushedFold}` : ""}`);
      source.addEventListener("hello", (e) => {
        try {
          you = JSON.parse(e.data).you;
        } catch {
          you = null;
        }
      });
      for (const [name, apply] of [
        ["paths", onSnapshot],
        ["paths_delta", onDelta],
      ]) {
        source.addEventListener(name, (e) => {
          const t0 = performance.now();
          let data = null;
          try {
            data = JSON.parse(e.data);
          } catch {
            return;
          }
          const t1 = performance.now();
          apply(data);
          // Each message's cost, for the browser test on a throttled CPU (e2e/throttle.mjs);
          // only the latest is kept.
          performance.clearMeasures("wf-stream");
          performance.measure("wf-stream", { start: t0, detail: { event: name, chars: e.data.length, rows: (data.paths || data.upsert || []).length, parse_ms: t1 - t0 } });
        });
      }
      expectPush();
    } else {
      source = new EventSource(EVENTS_URL);
    }
    source.addEventListener("open", () => {
      streamOk = true;
      say("live", t("live-live"));
      if (push) expectPush();
    });
    for (const name of new Set([...events, ...listen])) {
      source.addEventListener(name, (e) => {
        if (onEvent) {
          let data = null;
          try {
            data = JSON.parse(e.data);
          } catch {
            // Not JSON (none of the documented events): the name alone is the news.
          }
          onEvent(name, data);
        }
        if (!push && events.includes(name)) schedule(fast.includes(name) ? newFlowMs : debounceMs);
      });
    }
    source.addEventListener("error", () => {
      streamOk = false;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. 503: too many viewers). Read every few seconds; try the stream later.
        say("polling", t("live-polling"));
        source = null;
        setTimeout(openStream, 30000);
      } else {
        say("error", "Reconnecting…");
      }
    });
  }

  // Every 10 s anyway while the stream is up, every few seconds while it is not; nothing while
  // the page is hidden (a phone in a pocket).
  const tick = setInterval(() => {
    if (document.hidden || paused) return;
    // Push mode: the server sends every change (and a fresh snapshot every few seconds).
    if (push && streamOk && lastPush > 0) return;
    const every = streamOk ? everyMs : pollMs;
    if (Date.now() - lastStart >= every - 50) load();
  }, 1000);

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !(push && streamOk)) schedule(0);
  });

  // Push mode, the window (or `pushParams`) changed: a stream for the new window.
  function reopen() {
    if (source) source.close();
    source = null;
    streamOk = false;
    openStream();
  }

  say("loading", "Loading…");
  if (stream) openStream();
  // Push mode: the stream's first snapshot is the first read (no EventSource: read now).
  if (!(stream && push && typeof EventSource !== "undefined")) load();

  return {
    refresh: () => {
      if (push && source && (push() !== pushedWindow || (pushParams ? pushParams() : "") !== pushedFold)) reopen();
      else if (!(push && streamOk)) schedule(0);
    },
    pause: () => {
      paused = true;
      say("paused", t("live-paused"));
    },
    resume: () => {
      paused = false;
      schedule(0);
    },
    stop: () => {
      stopped = true;
      clearInterval(tick);
      clearTimeout(pushTimer);
      clearTimeout(renderTimer);
      if (source) source.close();
    },
    get failures() {
      return failures;
    },
  };
}

/** Read a JSON endpoint once. */
export async function fetchJson(u) {
  const res = await fetch(u, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${u}: ${res.status}`);
  return res.json();
}
