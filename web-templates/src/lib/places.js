// From `/api/v1/paths` rows to the map's hotspots: one per city (when the address's city is
// known) or per country, with bytes, connections, how many devices reach it, the category that
// carries most of its bytes, tracker bytes, and whether it is active right now. Pure.
import { t } from "./i18n.js";

/** Seconds within which a destination counts as active (pulses on the map). */
export const ACTIVE_MS = 5000;

function num(x) {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

/** Where a row's place facts are kept on the row (`hotspots`' `cache`). */
const ROW = Symbol("wf-place-row");

/** Read `row` for `hotspots` now (a live view, as the row arrives; see `cache` there). */
export function primePlace(row) {
  if (row && typeof row === "object" && !row[ROW]) rowInfo(row, true);
}

/** What `hotspots` reads from a row: its place's kind and key, its figures (kept on it: `keep`). */
function rowInfo(r, keep) {
  const lat = num(r.lat);
  const lon = num(r.lon);
  const country = r.country || null;
  const kind = r.city && lat !== null && lon !== null ? "city" : country ? "country" : lat !== null && lon !== null ? "at" : "unknown";
  const key =
    kind === "city" ? `city:${country || ""}:${r.city}` : kind === "country" ? `country:${country}` : kind === "at" ? `at:${lat.toFixed(1)},${lon.toFixed(1)}` : "unknown";
  const seen = Date.parse(r.last_seen);
  const info = {
    lat,
    lon,
    country,
    kind,
    key,
    b: (Number(r.bytes_up) || 0) + (Number(r.bytes_down) || 0),
    connections: Number(r.connections) || 0,
    open: Number(r.open) || 0,
    seen: Number.isFinite(seen) ? seen : 0,
  };
  // Not enumerable: a copy of the row (`{...row}`, changed) does not take it along.
  if (keep) Object.defineProperty(r, ROW, { value: info });
  return info;
}

/**
 * Hotspots, biggest first. `locate(code)` gives `[lon, lat]` for a country (its centre) or
 * null; `countryName(code)` its name. `now` is the server's time (the response's `generated`),
 * so a phone whose clock is off still pulses at the right moment.
 * Returns `{placed, unplaced}`: unplaced hotspots have no known position (listed in words).
 */
export function hotspots(rows, { locate = () => null, countryName = (c) => c, now = Date.now(), activeMs = ACTIVE_MS, cache = false } = {}) {
  const spots = new Map();
  for (const r of rows) {
    // `cache`: a live view's rows are not changed in place (the stream replaces a changed
    // row), so what is read from a row is kept on it: tens of thousands of rows per update.
    const info = (cache && r[ROW]) || rowInfo(r, cache);
    const { lat, lon, country, kind, key } = info;
    let s = spots.get(key);
    if (!s) {
      let label;
      let pos = null;
      if (kind === "city") {
        label = r.city;
        pos = [lon, lat];
      } else if (kind === "country") {
        label = countryName(country) || country;
        pos = locate(country) || (lat !== null && lon !== null ? [lon, lat] : null);
      } else if (kind === "at") {
        label = t("name-unknown-place");
        pos = [lon, lat];
      } else {
        label = t("name-unknown-place");
      }
      s = {
        key,
        label,
        city: r.city && pos ? r.city : null,
        country,
        countryLabel: country ? countryName(country) || country : null,
        lon: pos ? pos[0] : null,
        lat: pos ? pos[1] : null,
        bytes: 0,
        connections: 0,
        open: 0,
        trackerBytes: 0,
        lastSeen: 0,
        devices: new Set(),
        orgs: new Map(),
        categories: new Map(),
      };
      spots.set(key, s);
    }
    const b = info.b;
    s.bytes += b;
    s.connections += info.connections;
    s.open += info.open;
    if (r.tracker) s.trackerBytes += b;
    s.devices.add(r.device);
    if (r.org) s.orgs.set(r.org, (s.orgs.get(r.org) || 0) + b);
    const cat = r.category || "other";
    s.categories.set(cat, (s.categories.get(cat) || 0) + b);
    if (info.seen > s.lastSeen) s.lastSeen = info.seen;
  }
  const out = [...spots.values()].map((s) => {
    const cats = [...s.categories.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const orgs = [...s.orgs.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      key: s.key,
      label: s.label,
      city: s.city,
      country: s.country,
      countryLabel: s.countryLabel,
      lon: s.lon,
      lat: s.lat,
      bytes: s.bytes,
      connections: s.connections,
      open: s.open,
      trackerBytes: s.trackerBytes,
      deviceCount: s.devices.size,
      category: cats.length ? cats[0][0] : "other",
      orgs: orgs.map(([o]) => o),
      lastSeen: s.lastSeen,
      active: s.lastSeen > 0 && now - s.lastSeen <= activeMs,
    };
  });
  out.sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1));
  return {
    placed: out.filter((s) => s.lon !== null),
    unplaced: out.filter((s) => s.lon === null),
  };
}

/** Circle radius for `bytes` when the biggest hotspot has `max`: area by bytes, min..maxR. */
export function radius(bytes, max, minR = 9, maxR = 30) {
  if (!(max > 0) || !(bytes > 0)) return minR;
  return minR + (maxR - minR) * Math.sqrt(Math.min(1, bytes / max));
}

/**
 * Place labels so they do not overlap: biggest first, to the right of the circle, else left,
 * above, below; a label that fits nowhere is left out (the circle still shows its device
 * count) unless it is marked `force`. `boxes`: `{x, y, r, width, height, force}` in screen units. Returns per box the position
 * `{x, y, anchor}` or null.
 */
export function placeLabels(boxes, { width = Infinity, height = Infinity } = {}) {
  const taken = [];
  // Circles are obstacles too.
  for (const b of boxes) taken.push({ x0: b.x - b.r, x1: b.x + b.r, y0: b.y - b.r, y1: b.y + b.r });
  const overlaps = (a) =>
    a.x0 < 0 || a.y0 < 0 || a.x1 > width || a.y1 > height ||
    taken.some((t) => a.x0 < t.x1 && a.x1 > t.x0 && a.y0 < t.y1 && a.y1 > t.y0);
  return boxes.map((b, i) => {
    const gap = 3;
    const w = b.width;
    const h = b.height;
    const options = [
      { x: b.x + b.r + gap, y: b.y, anchor: "start", box: { x0: b.x + b.r + gap, x1: b.x + b.r + gap + w, y0: b.y - h / 2, y1: b.y + h / 2 } },
      { x: b.x - b.r - gap, y: b.y, anchor: "end", box: { x0: b.x - b.r - gap - w, x1: b.x - b.r - gap, y0: b.y - h / 2, y1: b.y + h / 2 } },
      { x: b.x, y: b.y - b.r - gap - h / 2, anchor: "middle", box: { x0: b.x - w / 2, x1: b.x + w / 2, y0: b.y - b.r - gap - h, y1: b.y - b.r - gap } },
      { x: b.x, y: b.y + b.r + gap + h / 2, anchor: "middle", box: { x0: b.x - w / 2, x1: b.x + w / 2, y0: b.y + b.r + gap, y1: b.y + b.r + gap + h } },
    ];
    // Its own circle is not an obstacle for its own label.
    const own = taken[i];
    taken[i] = { x0: 0, x1: 0, y0: 0, y1: 0 };
    // A box marked `force` (the home marker's label) is shown even where it must overlap.
    const pick = options.find((o) => !overlaps(o.box)) || (b.force ? options[0] : null);
    taken[i] = own;
    if (!pick) return null;
    taken.push(pick.box);
    return { x: pick.x, y: pick.y, anchor: pick.anchor };
  });
}

/**
 * Move overlapping circles apart (a Dorling-style cartogram): each circle stays as close to
 * its place as it can without covering another one or a fixed obstacle (the home marker).
 * `circles`: `{x, y, r}`; returns `{x, y}` per circle, in the same order. Deterministic.
 */
export function spread(circles, { obstacles = [], padding = 2, iterations = 120 } = {}) {
  const p = circles.map((c, i) => ({ x: c.x, y: c.y, r: c.r, ox: c.x, oy: c.y, i }));
  const push = (a, b, share) => {
    let dx = b.x - a.x;
    let dy = b.y - a.y;
    let d = Math.hypot(dx, dy);
    const min = a.r + b.r + padding;
    if (d >= min) return false;
    if (d < 1e-6) {
      // Same spot: open them up along a direction given by their order.
      const angle = (b.i || 0) * 2.399963;
      dx = Math.cos(angle);
      dy = Math.sin(angle);
      d = 1;
    }
    const overlap = min - d;
    const ux = dx / d;
    const uy = dy / d;
    a.x -= ux * overlap * share;
    a.y -= uy * overlap * share;
    b.x += ux * overlap * (1 - share);
    b.y += uy * overlap * (1 - share);
    return true;
  };
  for (let it = 0; it < iterations; it += 1) {
    let moved = false;
    // A weak pull home while there is room, none in the last rounds (so nothing overlaps).
    if (it < iterations / 2) {
      for (const a of p) {
        a.x += (a.ox - a.x) * 0.05;
        a.y += (a.oy - a.y) * 0.05;
      }
    }
    for (let i = 0; i < p.length; i += 1) {
      for (let j = i + 1; j < p.length; j += 1) {
        if (push(p[i], p[j], 0.5)) moved = true;
      }
      for (const o of obstacles) {
        const fixed = { x: o.x, y: o.y, r: o.r, i: -1 };
        if (push(fixed, p[i], 0)) moved = true;
      }
    }
    if (!moved && it >= iterations / 2) break;
  }
  return p.map((a) => ({ x: a.x, y: a.y }));
}
