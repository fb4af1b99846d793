// The presenter view, live: group totals (#totals), top companies, trackers per device by
// name only. The QR codes and join instructions are rendered by the server.
import { formatBytes, formatCount, formatShare, plural } from "./lib/format.js";
import { groupTotals, topOrgs, trackersPerDevice } from "./lib/totals.js";
import { startLive } from "./lib/live.js";
import { byId, categories, fill, h } from "./lib/dom.js";

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

function render(data) {
  const t = groupTotals(data);
  setFigure("devices", t.devices === null ? "–" : formatCount(t.devices));
  const devWords = totals.querySelector("[data-figure-words=devices]");
  if (devWords) devWords.textContent = t.devices === null ? "devices (not counted: privacy mode)" : "devices";
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
      : [h("li", { class: "muted" }, "Nothing yet: open an app or a website on a phone connected to this WiFi.")],
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
            h("span", { class: "count" }, d.trackers ? `⚠ ${plural(d.trackers, "tracker")}` : "no trackers"),
          ),
        )
      : [h("li", { class: "muted" }, "No devices yet.")],
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
    fs.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
  });
}

startLive({
  url: () => "/api/v1/paths?window=session",
  status: byId("live-status"),
  onData: render,
});
