// Keeps a view live: reads a JSON endpoint now, again shortly after flow events arrive on the
// server-sent event stream (`/api/v1/events`, debounced), and every 10 s anyway. When the
// stream cannot be had (too many subscribers, an old proxy) it reads every few seconds
// instead. A small status line tells people whether what they see is live.

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

  const say = (state, words) => {
    if (!status) return;
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
      failures = 0;
      if (!paused && !stopped) onData(json);
      say(streamOk ? "live" : "polling", streamOk ? "Live" : "Updating every few seconds");
    } catch (e) {
      failures += 1;
      say("error", `Cannot reach the appliance (${e.message}); trying again…`);
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

  function openStream() {
    if (typeof EventSource === "undefined" || stopped) return;
    source = new EventSource(EVENTS_URL);
    source.addEventListener("open", () => {
      streamOk = true;
      say("live", "Live");
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
        if (events.includes(name)) schedule(fast.includes(name) ? newFlowMs : debounceMs);
      });
    }
    source.addEventListener("error", () => {
      streamOk = false;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. 503: too many viewers). Read every few seconds; try the stream later.
        say("polling", "Updating every few seconds");
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
    const every = streamOk ? everyMs : pollMs;
    if (Date.now() - lastStart >= every - 50) load();
  }, 1000);

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) schedule(0);
  });

  say("loading", "Loading…");
  if (stream) openStream();
  load();

  return {
    refresh: () => schedule(0),
    pause: () => {
      paused = true;
      say("paused", "Paused");
    },
    resume: () => {
      paused = false;
      schedule(0);
    },
    stop: () => {
      stopped = true;
      clearInterval(tick);
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
