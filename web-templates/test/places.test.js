import { test } from "node:test";
import "./setup-en.js";
import assert from "node:assert/strict";

import { hotspots, placeLabels, primePlace, radius, spread } from "../src/lib/places.js";
import { synthetic } from "../src/lib/synthetic.js";

const row = (device, extra) => ({
  device,
  domain: "x.test",
  org: "X",
  country: null,
  city: null,
  lat: null,
  lon: null,
  category: "other",
  tracker: false,
  bytes_up: 0,
  bytes_down: 100,
  connections: 1,
  open: 0,
  last_seen: "2026-11-21T08:00:00Z",
  ...extra,
});

const now = Date.parse("2026-11-21T08:00:03Z");

test("one hotspot per city, else per country; devices counted once", () => {
  const rows = [
    row("a", { country: "GB", city: "London", lat: 51.5, lon: -0.12, bytes_down: 500, category: "video" }),
    row("b", { country: "GB", city: "London", lat: 51.5, lon: -0.12, bytes_down: 100, category: "advertising", tracker: true }),
    row("a", { country: "GB", city: "London", lat: 51.5, lon: -0.12, org: "Y" }),
    row("a", { country: "FR" }),
    row("c", {}),
  ];
  const { placed, unplaced } = hotspots(rows, {
    locate: (c) => ({ FR: [2, 46] })[c] || null,
    countryName: (c) => ({ FR: "France", GB: "United Kingdom" })[c],
    now,
  });
  assert.deepEqual(placed.map((s) => s.label), ["London", "France"]);
  const london = placed[0];
  assert.equal(london.deviceCount, 2);
  assert.equal(london.bytes, 700);
  assert.equal(london.trackerBytes, 100);
  assert.equal(london.category, "video");
  assert.deepEqual(london.orgs, ["X", "Y"]);
  assert.equal(london.countryLabel, "United Kingdom");
  assert.deepEqual([london.lon, london.lat], [-0.12, 51.5]);
  assert.deepEqual([placed[1].lon, placed[1].lat], [2, 46]);
  assert.deepEqual(unplaced.map((s) => s.label), ["Unknown place"]);
});

test("a country the map cannot place is listed, not lost", () => {
  const { placed, unplaced } = hotspots([row("a", { country: "ZZ" })], { now });
  assert.equal(placed.length, 0);
  assert.equal(unplaced[0].label, "ZZ");
});

test("active: seen within a few seconds of the server's time", () => {
  const rows = [
    row("a", { country: "FR", last_seen: "2026-11-21T08:00:01Z" }),
    row("a", { country: "DE", last_seen: "2026-11-21T07:59:00Z" }),
  ];
  const { placed } = hotspots(rows, { locate: () => [0, 0], now });
  const by = Object.fromEntries(placed.map((s) => [s.country, s.active]));
  assert.deepEqual(by, { FR: true, DE: false });
});

test("radius grows with the area, within bounds", () => {
  assert.equal(radius(0, 100), 9);
  assert.equal(radius(100, 100), 30);
  assert.ok(radius(25, 100) < radius(50, 100));
  assert.equal(radius(10, 0), 9);
});

test("labels never overlap each other or other circles", () => {
  const boxes = [
    { x: 100, y: 100, r: 10, width: 60, height: 14 },
    { x: 105, y: 104, r: 10, width: 60, height: 14 },
    { x: 300, y: 100, r: 10, width: 60, height: 14 },
  ];
  const pos = placeLabels(boxes, { width: 1000, height: 1000 });
  assert.equal(pos[0].anchor, "end", "the right side is covered by the second circle");
  assert.ok(pos[2]);
  const rects = pos
    .map((p, i) => p && { p, b: boxes[i] })
    .filter(Boolean)
    .map(({ p, b }) => {
      const x0 = p.anchor === "start" ? p.x : p.anchor === "end" ? p.x - b.width : p.x - b.width / 2;
      return { x0, x1: x0 + b.width, y0: p.y - b.height / 2, y1: p.y + b.height / 2 };
    });
  for (let i = 0; i < rects.length; i += 1) {
    for (let j = i + 1; j < rects.length; j += 1) {
      const a = rects[i];
      const b = rects[j];
      assert.ok(!(a.x0 < b.x1 && a.x1 > b.x0 && a.y0 < b.y1 && a.y1 > b.y0), `${i} and ${j} overlap`);
    }
  }
});

test("a label that fits nowhere is left out", () => {
  const pos = placeLabels([{ x: 5, y: 5, r: 4, width: 100, height: 14 }], { width: 20, height: 20 });
  assert.equal(pos[0], null);
  const forced = placeLabels([{ x: 5, y: 5, r: 4, width: 100, height: 14, force: true }], { width: 20, height: 20 });
  assert.equal(forced[0].anchor, "start");
});

test("spread: overlapping circles move apart, lone ones stay, obstacles are kept clear", () => {
  const circles = [
    { x: 100, y: 100, r: 10 },
    { x: 104, y: 100, r: 10 },
    { x: 100, y: 100, r: 8 },
    { x: 400, y: 400, r: 10 },
  ];
  const home = { x: 110, y: 110, r: 6 };
  const out = spread(circles, { obstacles: [home], padding: 2 });
  for (let i = 0; i < out.length; i += 1) {
    for (let j = i + 1; j < out.length; j += 1) {
      const d = Math.hypot(out[i].x - out[j].x, out[i].y - out[j].y);
      assert.ok(d >= circles[i].r + circles[j].r + 1.5, `${i} and ${j} overlap (${d})`);
    }
    const dh = Math.hypot(out[i].x - home.x, out[i].y - home.y);
    assert.ok(dh >= circles[i].r + home.r + 1.5, `${i} covers home`);
  }
  assert.deepEqual(out[3], { x: 400, y: 400 });
  // Still near their places.
  assert.ok(Math.hypot(out[0].x - 100, out[0].y - 100) < 40);
  assert.deepEqual(spread(circles, { obstacles: [home] }), out, "deterministic");
});

test("rows read as they arrive (primePlace, cache) give the same places as rows read now", () => {
  let rows = synthetic({ devices: 10, domains: 60, seed: 5 }).paths;
  const now = Date.parse("2026-11-21T08:00:03Z");
  for (let step = 0; step < 3; step += 1) {
    rows.forEach((r, i) => i % 2 === 0 && primePlace(r));
    assert.deepEqual(hotspots(rows, { now, cache: true }), hotspots(rows, { now }));
    // The stream's way: a changed row is a copy (which must not carry the old reading).
    rows = rows.map((r, i) => (i % 4 === step ? { ...r, bytes_down: r.bytes_down + 5000, country: "FR", city: null } : r));
  }
});
