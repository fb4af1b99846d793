// The teacher's marks ("Now open TikTok") on the group views: the latest one in words
// (#mark-latest), the "Mark now" form on the presenter page when the admin is logged in
// (#mark-form, its CSRF token in data-csrf), and the session's timeline (#timeline): bytes
// per minute per company with the marks drawn on it (lib/timeline.js). New marks come on
// the view's event stream (`mark` events: pass `marks.onEvent` to startLive's onEvent).
import { fetchJson } from "./live.js";
import { drawTimeline } from "./timeline.js";
import { intlLocale, language, t } from "./i18n.js";

const MAX_LABEL = 80;
/** How often the timeline is read again (it changes by the minute). */
const TIMELINE_EVERY_MS = 30000;

const clock = (iso) => new Date(iso).toLocaleTimeString(intlLocale(), { hour: "2-digit", minute: "2-digit" });

/**
 * Start. `sinceOn()` says whether the view shows only what happened since the latest mark;
 * `onNewMark(mark)` hears of a new one (a "since the mark" view redraws from it).
 * Returns `{onEvent(name, data), latest()}`.
 */
export function startMarks({ sinceOn = () => false, onNewMark = () => {} } = {}) {
  const line = document.getElementById("mark-latest");
  const form = document.getElementById("mark-form");
  const svg = document.getElementById("timeline");
  let marks = [];
  let timelineData = null;

  const say = () => {
    if (!line) return;
    const m = marks[marks.length - 1];
    if (!m) {
      line.textContent = t(sinceOn() ? "marks-none-since" : "marks-none");
    } else {
      line.textContent = t(sinceOn() ? "marks-since" : "marks-latest", { label: m.label, time: clock(m.at) });
    }
    line.dataset.marks = String(marks.length);
  };

  async function readTimeline() {
    if (!svg) return;
    try {
      timelineData = await fetchJson("/api/v1/timeline");
      marks = timelineData.marks || marks;
      // History off: no chart to draw.
      if (timelineData.history !== false) drawTimeline(svg, document.getElementById("timeline-legend"), timelineData);
      say();
    } catch {
      // History off or the appliance unreachable: the chart stays as it was.
    }
  }

  async function readMarks() {
    try {
      const data = await fetchJson("/api/v1/marks");
      marks = data.marks || [];
      say();
    } catch {
      // The views work without marks.
    }
  }

  if (form) {
    const input = form.querySelector("input[name=label]");
    const error = form.querySelector(".mark-error");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const label = input.value.trim();
      if (error) error.textContent = "";
      if (!label || label.length > MAX_LABEL) {
        if (error) error.textContent = t("marks-bad-label", { max: MAX_LABEL, n: label.length });
        return;
      }
      try {
        const res = await fetch("/api/v1/marks", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": form.dataset.csrf || "", "accept-language": language() },
          body: JSON.stringify({ label }),
        });
        const body = await res.json().catch(() => ({}));
        // The server checks the label as this page does (a script of another page may not).
        if (res.status === 400 && String(body.error || "").includes("label")) {
          if (error) error.textContent = t("marks-bad-label", { max: MAX_LABEL, n: label.length });
          return;
        }
        // error_said: the server's reason in this page's language (the request says which).
        if (!res.ok) throw new Error(body.error_said || body.error || `${res.status} ${res.statusText}`);
        input.value = "";
        add(body.mark);
      } catch (err) {
        if (error) error.textContent = t("marks-not-set", { why: err.message });
      }
    });
  }

  function add(mark) {
    if (!mark || marks.some((m) => m.session_id === mark.session_id && m.id === mark.id)) return;
    marks = marks.concat([mark]);
    say();
    onNewMark(mark);
    if (timelineData) {
      timelineData = { ...timelineData, marks };
      drawTimeline(svg, document.getElementById("timeline-legend"), timelineData);
    }
  }

  say();
  if (svg) {
    readTimeline();
    setInterval(() => {
      if (!document.hidden) readTimeline();
    }, TIMELINE_EVERY_MS);
  } else {
    readMarks();
  }
  const hooks = (window.whereflow = Object.assign(window.whereflow || {}, {}));
  hooks.marks = () => marks.slice();

  return {
    onEvent(name, data) {
      if (name === "mark" && data && data.mark) add(data.mark);
    },
    latest: () => marks[marks.length - 1] || null,
    refresh: say,
  };
}
