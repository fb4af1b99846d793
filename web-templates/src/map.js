// The world map: the appliance's own place (from /api/v1/site), lines to every city or country
// data went to, circles sized by data and coloured by category (the category is also written
// next to the place), the number of devices inside each circle, and a pulse while a place is
// active. Outlines: world-atlas (Natural Earth 1:110m, bundled). Projection: d3-geo.
// Test hooks: svg inside #map, path.country, g.hotspot[data-label].
import { geoArea, geoCentroid, geoNaturalEarth1, geoPath } from "d3-geo";
import { select } from "d3-selection";
import "d3-transition";
import { feature } from "topojson-client";
import world from "world-atlas/countries-110m.json";

import { hotspots, placeLabels, primePlace, radius, spread } from "./lib/places.js";
import { deviceLabel, formatBytes, formatShare, plural } from "./lib/format.js";
import { fetchJson, startLive } from "./lib/live.js";
import { startMarks } from "./lib/marks.js";
import { startReplay } from "./lib/replay.js";
import { COUNTRY_POINTS } from "./lib/country-points.js";
import { motion } from "./lib/motion.js";
import { COUNTRIES } from "whereflow:countries";
import { byId, categories, countryName, countryNumeric, fill, fillChanged, h, param, REDUCED_MOTION, setParams, windowButtons } from "./lib/dom.js";
import { language, t } from "./lib/i18n.js";

const WINDOWS = new Set(["60", "300", "900", "session", "mark"]);
const CATEGORY_WORDS = {
  advertising: "ads",
  analytics: "tracking",
  social: "social",
  video: "video",
  cdn: "delivery",
  platform: "platform",
  other: "other",
};

const state = {
  window: WINDOWS.has(param("window")) ? param("window") : "300",
  device: param("device", ""),
  data: null,
  home: null,
};
const cats = categories();
const container = byId("map");
const note = byId("map-home-note");
const list = byId("places-table");
const summary = byId("map-summary");
const select_ = byId("device-filter");

// Countries without Antarctica (nobody's data goes there; it would take a fifth of the height).
const land = feature(world, world.objects.countries);
land.features = land.features.filter((f) => f.id !== "010");
const byNumeric = new Map(land.features.filter((f) => f.id).map((f) => [f.id, f]));
// The outlines' own names are English: each is named in the page's language by its code.
const alpha2ByNumeric = new Map(Object.entries(COUNTRIES).filter(([, v]) => v[0]).map(([a2, v]) => [v[0], a2]));
const centres = new Map();

/** Centre of a country's largest outline (France without French Guiana, the US without Alaska). */
function centreOf(f) {
  const g = f.geometry;
  if (g.type !== "MultiPolygon") return geoCentroid(f);
  let best = null;
  let bestArea = -1;
  for (const coords of g.coordinates) {
    const part = { type: "Polygon", coordinates: coords };
    const a = geoArea(part);
    if (a > bestArea) {
      bestArea = a;
      best = part;
    }
  }
  return geoCentroid(best);
}

/** `[lon, lat]` of a country, or null. */
function locate(code) {
  if (!code) return null;
  const up = String(code).toUpperCase();
  if (centres.has(up)) return centres.get(up);
  const f = byNumeric.get(countryNumeric(up));
  const p = f ? centreOf(f) : COUNTRY_POINTS[up] || null;
  centres.set(up, p);
  return p;
}

const svg = select(container).append("svg").attr("class", "world").attr("role", "img").attr("aria-labelledby", "map-title map-summary");
const gBase = svg.append("g").attr("class", "base");
const gArcs = svg.append("g").attr("class", "arcs");
const gSpots = svg.append("g").attr("class", "spots");
const gHome = svg.append("g").attr("class", "home-layer");
let projection = null;
let path = null;
let size = { width: 0, height: 0 };

function layoutBase() {
  // On a phone the map is wider than the screen (scroll sideways): readable beats whole.
  const width = Math.max(860, Math.floor(container.clientWidth || 860));
  projection = geoNaturalEarth1().fitWidth(width - 8, land);
  path = geoPath(projection);
  const [[, y0], [, y1]] = path.bounds(land);
  const height = Math.ceil(y1 - y0 + 8);
  projection.translate([projection.translate()[0] + 4, projection.translate()[1] - y0 + 4]);
  size = { width, height, font: width >= 1600 ? 16 : width >= 1000 ? 14 : 12 };
  svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height).style("font-size", `${size.font}px`);
  gBase
    .selectAll("path.country")
    .data(land.features, (d, i) => d.id || `x${i}`)
    .join("path")
    .attr("class", "country")
    .attr("data-id", (d) => d.id || "")
    .attr("d", path)
    .selectAll("title")
    .data((d) => [d])
    .join("title")
    .text((d) => (d.id && countryName(alpha2ByNumeric.get(d.id))) || (d.properties && d.properties.name) || "");
}

function drawHome() {
  const home = state.home;
  const has = home && Number.isFinite(home.latitude) && Number.isFinite(home.longitude);
  gHome.selectAll("*").remove();
  if (!has) {
    note.textContent =
      t("map-home-unset-long");
    note.hidden = false;
    return null;
  }
  note.hidden = true;
  const [x, y] = projection([home.longitude, home.latitude]);
  const g = gHome.append("g").attr("class", "home").attr("transform", `translate(${x},${y})`);
  // A house: a shape, not only a colour.
  g.append("path").attr("d", "M0,-11 L10,-2 L7,-2 L7,8 L-7,8 L-7,-2 L-10,-2 Z");
  g.append("text").attr("class", "home-label").attr("dy", "0.35em").text(homeText());
  g.append("title").text(t("map-home-title"));
  return [home.longitude, home.latitude];
}

function homeText() {
  const home = state.home;
  return home && home.name ? t("map-you-are-here-named", { name: home.name }) : t("map-you-are-here");
}

// Updates animate only now and then (see lib/motion.js).
const mapMotion = motion(container, { durationMs: 500 });

function draw(data, animate) {
  const t0 = performance.now();
  const rows = (data.paths || []).filter((r) => !state.device || r.device === state.device);
  const now = Date.parse(data.generated) || Date.now();
  const { placed, unplaced } = hotspots(rows, { locate, countryName, now, cache: true });
  const t1 = performance.now();
  const homePos = drawHome();
  const max = placed.reduce((m, s) => Math.max(m, s.bytes), 0);
  const dur = mapMotion.next(animate);
  const tr = (sel) => (dur ? sel.transition().duration(dur) : sel);

  // Countries that data went to are shaded (the circles carry the detail).
  const reached = new Set(rows.map((r) => countryNumeric(r.country)).filter(Boolean));
  gBase.selectAll("path.country").classed("reached", (d) => reached.has(d.id));

  // Lines from home, widest for the most data; mostly-tracker places get dashed lines.
  const arcs = homePos ? placed : [];
  gArcs
    .selectAll("path.arc")
    .data(arcs, (d) => d.key)
    .join("path")
    .attr("class", (d) => `arc cat-${d.category}${d.trackerBytes * 2 > d.bytes ? " tracker" : ""}`)
    .attr("d", (d) => path({ type: "LineString", coordinates: [homePos, [d.lon, d.lat]] }))
    .attr("stroke-width", (d) => 1 + 4 * Math.sqrt(max ? d.bytes / max : 0));

  const homeXY = homePos ? projection(homePos) : null;
  // Circles by data; where they would cover each other they are pushed apart a little, with a
  // thin line to the real place.
  const shown = placed.slice(0, 150);
  const pts0 = shown.map((s) => {
    const [x, y] = projection([s.lon, s.lat]);
    return { ...s, px: x, py: y, x, y, r: radius(s.bytes, max, size.font * 0.75, size.font * 1.75) };
  });
  const moved = spread(pts0, { obstacles: homeXY ? [{ x: homeXY[0], y: homeXY[1], r: 13 }] : [], padding: 2 });
  const pts = pts0.map((s, i) => ({ ...s, x: moved[i].x, y: moved[i].y }));
  // Labels: the home label first, then biggest first; never on top of each other or a circle.
  const text = (s) => `${s.label} · ${CATEGORY_WORDS[s.category] || s.category}`;
  const lh = size.font * 1.2;
  const boxes = pts.map((s) => ({ x: s.x, y: s.y, r: s.r, width: text(s).length * size.font * 0.6, height: lh }));
  if (homeXY) boxes.unshift({ x: homeXY[0], y: homeXY[1], r: 12, width: homeText().length * size.font * 0.6, height: lh, force: true });
  const where = placeLabels(boxes, size);
  if (homeXY) {
    const hp = where.shift();
    const label = gHome.select("text.home-label");
    if (hp) label.attr("x", hp.x - homeXY[0]).attr("y", hp.y - homeXY[1]).attr("text-anchor", hp.anchor);
    else label.text("");
  }

  gSpots
    .selectAll("line.leader")
    .data(pts.filter((d) => Math.hypot(d.x - d.px, d.y - d.py) > d.r * 0.6), (d) => d.key)
    .join("line")
    .attr("class", "leader")
    .attr("x1", (d) => d.px)
    .attr("y1", (d) => d.py)
    .attr("x2", (d) => d.x)
    .attr("y2", (d) => d.y);

  const g = gSpots
    .selectAll("g.hotspot")
    .data(pts, (d) => d.key)
    .join(
      (enter) => {
        const e = enter.append("g").attr("transform", (d) => `translate(${d.x},${d.y})`);
        e.append("circle").attr("class", "pulse");
        e.append("circle").attr("class", "dot").attr("r", 0);
        e.append("text").attr("class", "count").attr("dy", "0.35em").attr("text-anchor", "middle");
        e.append("text").attr("class", "label").attr("dy", "0.35em");
        e.append("title");
        return e;
      },
      (update) => update,
      (exit) => exit.remove(),
    )
    .attr("class", (d) => `hotspot cat-${d.category}${d.active ? " active" : ""}${d.trackerBytes > 0 ? " has-tracker" : ""}`)
    .attr("data-label", (d) => d.label)
    .attr("data-category", (d) => d.category)
    .attr("data-devices", (d) => d.deviceCount)
    .attr("tabindex", 0)
    .attr("aria-label", (d) => words(d))
    .attr("transform", (d) => `translate(${d.x},${d.y})`);
  g.select("circle.pulse").attr("r", (d) => d.r);
  tr(g.select("circle.dot")).attr("r", (d) => d.r);
  g.select("text.count").text((d) => d.deviceCount);
  g.each(function (d, i) {
    const label = this.querySelector("text.label");
    const p = where[i];
    if (!p) {
      label.textContent = "";
      return;
    }
    label.textContent = text(d);
    label.setAttribute("x", String(p.x - d.x));
    label.setAttribute("y", String(p.y - d.y));
    label.setAttribute("text-anchor", p.anchor);
  });
  g.select("title").text((d) => words(d));
  // Keep the biggest circles underneath the smaller ones.
  g.sort((a, b) => b.bytes - a.bytes);

  describe(rows, placed, unplaced);
  // Each update's render, for the browser test on a throttled CPU (e2e/throttle.mjs).
  performance.clearMeasures("wf-render");
  performance.measure("wf-render", { start: t0, detail: { view: "map", rows: rows.length, paths: data.paths_total ?? rows.length, animated: dur > 0, places_ms: t1 - t0 } });
}

function words(s) {
  const cat = cats.get(s.category);
  const where = s.city ? `${s.city}, ${s.countryLabel || t("map-unknown-country")}` : s.label;
  const trackers = s.trackerBytes ? t("map-place-trackers", { share: formatShare(s.trackerBytes, s.bytes) }) : "";
  const kind = cat ? cat.label.toLocaleLowerCase(language()) : s.category;
  const base = t("map-place-words", { where, bytes: formatBytes(s.bytes), devices: plural(s.deviceCount, "device"), kind });
  return `${base}${trackers}${s.active ? t("map-place-active") : ""}`;
}

function describe(rows, placed, unplaced) {
  const all = placed.concat(unplaced).sort((a, b) => b.bytes - a.bytes);
  const countries = new Set(rows.map((r) => r.country).filter(Boolean));
  const active = placed.filter((s) => s.active).length;
  const words = rows.length
    ? t(active ? "map-summary-active" : "map-summary", {
        places: plural(all.length, "place"),
        countries: plural(countries.size, "country"),
        active: plural(active, "place"),
      })
    : t("map-none");
  if (summary.textContent !== words) summary.textContent = words;
  // Rewritten only when what it shows changed.
  const shown = all.slice(0, 40);
  const key = JSON.stringify(shown.map((s) => [s.key, s.deviceCount, formatBytes(s.bytes), s.category, s.orgs.slice(0, 3), s.trackerBytes ? formatShare(s.trackerBytes, s.bytes) : ""]));
  fillChanged(list.tBodies[0], key, () =>
    shown.map((s) => {
      const cat = cats.get(s.category);
      return h(
        "tr",
        {},
        h("td", {}, s.city ? `${s.city}, ${s.countryLabel || "?"}` : s.label, s.lon === null ? h("span", { class: "muted" }, ` ${t("map-not-on-map")}`) : ""),
        h("td", { class: "num", "data-unit": s.deviceCount === 1 ? "device" : "devices" }, String(s.deviceCount)),
        h("td", { class: "num" }, formatBytes(s.bytes)),
        h("td", {}, h("span", { class: `swatch cat-${s.category}`, "aria-hidden": "true" }), cat ? cat.label : s.category),
        h("td", {}, s.orgs.slice(0, 3).join(", ")),
        h("td", { class: "num", "data-unit": s.trackerBytes ? "to trackers" : null }, s.trackerBytes ? `⚠ ${formatShare(s.trackerBytes, s.bytes)}` : ""),
      );
    }),
  );
  list.hidden = all.length === 0;
}

function syncDevices(data) {
  const devices = data.devices || [];
  // The same devices as last time: nothing to do (every update brings the list).
  const key = JSON.stringify([state.device, devices]);
  if (select_.wfFilled === key) return;
  select_.wfFilled = key;
  const opts = [h("option", { value: "" }, t("all-devices", { n: devices.length }))];
  for (const d of devices) opts.push(h("option", { value: d.id, selected: d.id === state.device }, d.you ? t("name-you", { name: deviceLabel(d) }) : deviceLabel(d)));
  fill(select_, opts);
  select_.value = state.device;
}

layoutBase();
fetchJson("/api/v1/site")
  .then((site) => {
    state.home = site;
  })
  .catch(() => {
    state.home = null;
  })
  .finally(() => {
    drawHome();
    if (state.data) draw(state.data, false);
    scrollToHome();
  });

/** On a narrow screen the map is wider than the screen: start with home in view. */
function scrollToHome() {
  const h_ = state.home;
  if (!h_ || !Number.isFinite(h_.longitude) || container.scrollWidth <= container.clientWidth) return;
  const [x] = projection([h_.longitude, h_.latitude || 0]);
  container.scrollLeft = Math.max(0, x - container.clientWidth / 2);
}

/** `?replay=<session id>`: the admin replays a stored session instead of the live view. */
const REPLAY = param("replay");
/** The live feed (none while replaying). */
let live = null;
const onData = (data) => {
  state.data = data;
  syncDevices(data);
  draw(data, !REDUCED_MOTION);
};
if (REPLAY) {
  startReplay({ id: REPLAY, onFrame: onData });
} else {
  const marks = startMarks({ sinceOn: () => state.window === "mark" });
  live = startLive({
    // The rows folded to what the page draws, of the device chosen (docs/API.md `fold`).
    url: () =>
      `/api/v1/paths?window=${encodeURIComponent(state.window)}&fold=bytes&top=1${state.device && (state.device.includes(".") || state.device.includes(":")) ? `&device=${encodeURIComponent(state.device)}` : ""}`,
    push: () => state.window,
    // `top=1`: the map draws no websites (its places and their three biggest companies stay).
    pushParams: () => `fold=bytes&top=1${state.device ? `&device=${encodeURIComponent(state.device)}` : ""}`,
    prepare: primePlace,
    status: byId("live-status"),
    listen: ["mark"],
    onEvent: (name, data) => marks.onEvent(name, data),
    onData,
  });
  windowButtons(byId("window"), state.window, (w) => {
    state.window = w;
    setParams({ window: w === "300" ? null : w });
    marks.refresh();
    live.refresh();
  });
}
select_.addEventListener("change", () => {
  state.device = select_.value;
  setParams({ device: state.device || null });
  if (state.data) draw(state.data, false);
  // The device's own feed.
  if (live) live.refresh();
});
let resizeTimer = null;
let lastWidth = container.clientWidth;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (container.clientWidth === lastWidth) return;
    lastWidth = container.clientWidth;
    layoutBase();
    if (state.data) draw(state.data, false);
  }, 150);
});
