import { test } from "node:test";
import "./setup-en.js";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setCatalogue } from "../src/lib/i18n.js";

import { groupTotals, topOrgs, trackersPerDevice } from "../src/lib/totals.js";
import { deviceLabel, formatBytes, formatShare, truncate, plural, ago } from "../src/lib/format.js";

const r = (device, domain, org, country, bytes, tracker = false) => ({
  device, domain, org, country, bytes_up: 0, bytes_down: bytes, tracker, connections: 1, category: tracker ? "advertising" : "other",
});

const data = {
  privacy: false,
  devices: [
    { id: "10.0.0.2", name: "Ana's phone", you: true },
    { id: "10.0.0.3", name: "10.0.0.3", you: false },
    { id: "10.0.0.4", name: "Quiet tablet", you: false },
  ],
  paths: [
    r("10.0.0.2", "doubleclick.net", "Google", "US", 100, true),
    r("10.0.0.2", "google-analytics.com", "Google", "US", 100, true),
    r("10.0.0.2", "bbc.co.uk", "BBC", "GB", 600),
    r("10.0.0.3", "doubleclick.net", "Google", "US", 200, true),
    r("10.0.0.3", null, "Cloudflare", null, 1000),
  ],
};

test("group totals", () => {
  assert.deepEqual(groupTotals(data), { devices: 2, orgs: 3, countries: 2, bytes: 2000, trackerBytes: 400 });
  assert.equal(groupTotals({ paths: [] }).devices, 0);
  // Privacy mode: the other devices are one ("others"), so there is no count to show.
  assert.equal(groupTotals({ privacy: true, devices: [{}, {}], paths: [r("others", "a", "A", "FR", 1)] }).devices, null);
});

test("top organizations by bytes", () => {
  const t = topOrgs(data.paths, 2);
  assert.deepEqual(t.map((o) => [o.org, o.bytes, o.devices, o.tracker]), [
    ["Cloudflare", 1000, 1, false],
    ["BBC", 600, 1, false],
  ]);
  assert.equal(topOrgs(data.paths, 5)[2].org, "Google");
  assert.equal(topOrgs(data.paths, 5)[2].tracker, true);
});

test("trackers per device: names only, never addresses", () => {
  const t = trackersPerDevice(data);
  assert.deepEqual(t, [
    { name: "Ana's phone", you: true, trackers: 2 },
    { name: "Device 1", you: false, trackers: 1 },
    { name: "Quiet tablet", you: false, trackers: 0 },
  ]);
  assert.ok(!JSON.stringify(t).includes("10.0.0"));
});

test("devices by emoji and name; emoji never cut in half", () => {
  assert.equal(deviceLabel({ id: "10.0.0.2", name: "Blue Otter", emoji: "🦦" }), "🦦 Blue Otter");
  assert.equal(deviceLabel({ id: "10.0.0.2", name: "Ana's phone" }), "Ana's phone");
  assert.equal(deviceLabel(null), "");
  const t = trackersPerDevice({ devices: [{ id: "10.0.0.2", name: "Blue Otter", emoji: "🦦" }], paths: [r("10.0.0.2", "a.com", "A", "US", 5, true)] });
  assert.equal(t[0].name, "🦦 Blue Otter");
  assert.equal(truncate("🦦🦊🐼🐨", 3), "🦦🦊…");
});

test("formatting", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1200), "1.2 kB");
  assert.equal(formatBytes(48000), "48 kB");
  assert.equal(formatBytes(123456789), "123 MB");
  assert.equal(formatBytes(-1), "–");
  assert.equal(formatShare(1, 3), "33%");
  assert.equal(formatShare(1, 1000), "<1%");
  assert.equal(formatShare(0, 0), "0%");
  assert.equal(truncate("googleusercontent.com", 10), "googleuse…");
  assert.equal(truncate("bbc.co.uk", 10), "bbc.co.uk");
  assert.equal(plural(1, "device"), "1 device");
  assert.equal(plural(2, "company", "companies"), "2 companies");
  assert.equal(ago("2026-01-01T00:00:00Z", Date.parse("2026-01-01T00:00:12Z")), "12 s ago");
});

test("a figure with its unit stays one run on an Arabic page", () => {
  setCatalogue("ar", readFileSync(new URL("../../appliance/locales/ar/views.ftl", import.meta.url), "utf8"));
  try {
    assert.equal(formatBytes(417000), "\u2068417 kB\u2069");
  } finally {
    setCatalogue("en", readFileSync(new URL("../../appliance/locales/en/views.ftl", import.meta.url), "utf8"));
  }
});
