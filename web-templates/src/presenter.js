// The presenter view, live: group totals (#totals), top companies, trackers per device by
// name only, and a ticker of recent alerts in large type (#alert-ticker) with an optional
// chime when a new one arrives (off until the presenter turns it on: #alert-sound). The QR
// codes and join instructions are rendered by the server, and so is the line about the
// room's WiFi (#room-notices: full, nearly full, the school network wants a login), which
// is kept current from /api/v1/status every few seconds.
// Test hooks: window.whereflow.alertSounds (chimes played for alerts), .audioState().
import { deviceLabel, formatBytes, formatCount, formatShare, plural } from "./lib/format.js";
import { groupTotals, topOrgs, trackersPerDevice } from "./lib/totals.js";
import { recentAlerts, shouldSound, tickerLine, upsertAlert } from "./lib/alerts.js";
import { createChime } from "./lib/chime.js";
import { fetchJson, startLive } from "./lib/live.js";
import { byId, categories, fill, h } from "./lib/dom.js";
import { pageKinds } from "./lib/alert-dom.js";
import { startMarks } from "./lib/marks.js";
import { t as tr } from "./lib/i18n.js";
import { roomNotices } from "./lib/room.js";

const cats = categories();
const totals = byId("totals");
const orgsList = byId("top-orgs");
const trackersList = byId("trackers-per-device");

function setFigure(name, value) {
  const el = totals.querySelector(`[data-figure="${name}"]`);
  if (el) el.textContent = value;
}

/** A bar as wide as the share of the biggest (set through the CSSOM: the page's
 * Content-Security-Policy refuses inline style attributes). */
function bar(o, max) {
  const el = h("span", { class: `bar cat-${o.category}`, "aria-hidden": "true" });
  el.style.width = `${Math.max(2, (100 * o.bytes) / max).toFixed(1)}%`;
  return el;
}

// Alerts: the ticker shows the newest few seen in the last half hour.
const kinds = pageKinds();
const ticker = byId("alert-ticker");
const tickerList = byId("ticker-list");
let alerts = [];
/** Device address -> name, from /api/v1/paths (alerts on the stream carry no name). */
let names = new Map();

function drawTicker() {
  const now = Date.now();
  const lines = recentAlerts(alerts, now).map((a) => tickerLine(a, kinds, names, now));
  ticker.hidden = lines.length === 0;
  fill(
    tickerList,
    lines.map((l) =>
      h(
        "li",
        { class: `ticker-item kind-${l.kind}`, "data-alert-id": l.id },
        h(
          "span",
          { class: "ticker-head" },
          h("span", { class: "alert-icon", "aria-hidden": "true" }, l.icon),
          h("span", { class: "ticker-kind" }, l.label),
          h("span", { class: "ticker-who" }, l.who),
          h("time", { datetime: l.iso }, l.time),
        ),
        h("span", { class: "ticker-text" }, l.text),
      ),
    ),
  );
}

async function readAlerts() {
  try {
    const data = await fetchJson("/api/v1/alerts?limit=10");
    // Keep what the stream brought meanwhile; the listing names the devices.
    for (const a of data.alerts || []) alerts = upsertAlert(alerts, a);
    alerts = alerts.slice(0, 20);
    drawTicker();
  } catch {
    // The ticker waits for the next alert; the totals' status line says when the appliance
    // cannot be reached.
  }
}

// The chime: off by default; a click turns it on (browsers start audio only after one).
const chime = createChime();
const soundButton = byId("alert-sound");
let soundOn = false;
let lastSound = null;
const hooks = (window.whereflow = Object.assign(window.whereflow || {}, {
  alertSounds: 0,
  audioState: () => (chime ? chime.state : "unsupported"),
}));

function showSound() {
  soundButton.setAttribute("aria-pressed", String(soundOn));
  soundButton.textContent = tr(soundOn ? "presenter-sound-on" : "presenter-sound-off");
}

if (chime) {
  soundButton.hidden = false;
  soundButton.addEventListener("click", async () => {
    soundOn = !soundOn;
    showSound();
    try {
      if (soundOn) {
        await chime.enable();
        chime.play(true); // so the presenter hears it works, and how loud
      } else {
        await chime.disable();
      }
    } catch {
      soundOn = false;
      soundButton.textContent = tr("presenter-sound-unavailable");
    }
  });
}

function onAlertEvent(name, data) {
  if (!data || !data.alert) return;
  alerts = upsertAlert(alerts, data.alert).slice(0, 20);
  drawTicker();
  if (name !== "alert") return;
  const now = Date.now();
  if (soundOn && chime && shouldSound(lastSound, now)) {
    if (chime.play()) {
      lastSound = now;
      hooks.alertSounds += 1;
    }
  }
  // The device's name as the other views show it.
  readAlerts();
}

function render(data) {
  names = new Map((data.devices || []).map((d) => [d.id, deviceLabel(d)]));
  drawTicker();
  const t = groupTotals(data);
  setFigure("devices", t.devices === null ? "–" : formatCount(t.devices));
  const devWords = totals.querySelector("[data-figure-words=devices]");
  if (devWords) devWords.textContent = t.devices === null ? tr("presenter-devices-private") : tr("presenter-devices");
  setFigure("orgs", formatCount(t.orgs));
  setFigure("countries", formatCount(t.countries));
  setFigure("trackers", formatShare(t.trackerBytes, t.bytes));
  setFigure("bytes", formatBytes(t.bytes));

  const top = topOrgs(data.paths || [], 8);
  const max = top.length ? top[0].bytes : 1;
  fill(
    orgsList,
    top.length
      ? top.map((o) => {
          const cat = cats.get(o.category);
          return h(
            "li",
            { class: o.tracker ? "tracker" : null },
            h("span", { class: "name" }, o.tracker ? "⚠ " : "", o.org),
            h("span", { class: "meta" }, `${formatBytes(o.bytes)} · ${plural(o.devices, "device")} · ${cat ? cat.label : o.category}`),
            bar(o, max),
          );
        })
      : [h("li", { class: "muted" }, tr("presenter-nothing-yet"))],
  );

  const per = trackersPerDevice(data).slice(0, 14);
  fill(
    trackersList,
    per.length
      ? per.map((d) =>
          h(
            "li",
            { class: d.trackers ? "has" : "none" },
            h("span", { class: "name" }, d.name),
            h("span", { class: "count" }, d.trackers ? `⚠ ${plural(d.trackers, "tracker")}` : tr("presenter-no-trackers")),
          ),
        )
      : [h("li", { class: "muted" }, tr("presenter-no-devices"))],
  );
}

// Full screen on a click (browsers allow it only after one).
const fs = document.getElementById("fullscreen");
if (fs && document.fullscreenEnabled) {
  fs.hidden = false;
  fs.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
  document.addEventListener("fullscreenchange", () => {
    fs.textContent = tr(document.fullscreenElement ? "presenter-leave-fullscreen" : "presenter-fullscreen");
  });
}

// "Since the mark": the totals and lists count only what happened since the latest mark
// (the `mark` window); the choice is kept in the address (?since=mark).
const sinceButton = byId("since-mark");
let sinceMark = new URLSearchParams(window.location.search).get("since") === "mark";
const presenterWindow = () => (sinceMark ? "mark" : "session");
const marks = startMarks({ sinceOn: () => sinceMark });
const live = startLive({
  url: () => `/api/v1/paths?window=${presenterWindow()}`,
  push: presenterWindow,
  status: byId("live-status"),
  listen: ["alert", "alert_update", "mark"],
  onEvent: (name, data) => {
    if (name === "alert" || name === "alert_update") onAlertEvent(name, data);
    else marks.onEvent(name, data);
  },
  onData: render,
});
function showSince() {
  sinceButton.setAttribute("aria-pressed", String(sinceMark));
  sinceButton.textContent = tr(sinceMark ? "presenter-since-mark-on" : "presenter-since-mark-off");
  marks.refresh();
}
sinceButton.hidden = false;
showSince();
sinceButton.addEventListener("click", () => {
  sinceMark = !sinceMark;
  const u = new URL(window.location.href);
  if (sinceMark) u.searchParams.set("since", "mark");
  else u.searchParams.delete("since");
  window.history.replaceState(null, "", u);
  showSince();
  live.refresh();
});
readAlerts();

// The room's WiFi: polled (no event stream of its own: the page's one stream is the paths').
const roomBox = document.getElementById("room-notices");
const ROOM_EVERY_MS = 10000;
async function readRoom() {
  try {
    const status = await fetchJson("/api/v1/status");
    const lines = roomNotices(status.wifi);
    const now = lines.map((l) => `${l.kind}:${l.text}`).join("\n");
    // Redraw only on change: screen readers announce the box (aria-live).
    if (roomBox.dataset.shown !== now) {
      roomBox.dataset.shown = now;
      fill(
        roomBox,
        lines.map((l) => h("p", { class: `note warn room-notice ${l.kind}`, "data-room": l.kind }, l.text)),
      );
    }
  } catch {
    // Keep what is shown; the status line says when the appliance cannot be reached.
  }
  setTimeout(readRoom, ROOM_EVERY_MS);
}
if (roomBox) {
  roomBox.dataset.shown = [...roomBox.children].map((p) => `${p.dataset.room}:${p.textContent}`).join("\n");
  readRoom();
}
