import { test } from "node:test";
import "./setup-en.js";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setCatalogue } from "../src/lib/i18n.js";

import {
  addressLabel,
  alertTime,
  alertsSummary,
  alertsUrl,
  countWords,
  deviceWords,
  filterAlerts,
  firstSentence,
  kindInfo,
  kindsMap,
  recentAlerts,
  remoteWords,
  shouldSound,
  sortAlerts,
  tickerLine,
  upsertAlert,
  withName,
} from "../src/lib/alerts.js";

// As the pages embed them (appliance/src/web/page.rs kinds_json).
const kinds = kindsMap([
  { id: "upload", label: "Large upload", icon: "⇧" },
  { id: "encrypted_dns", label: "Encrypted DNS", icon: "↷" },
  { id: "scan", label: "Scanning", icon: "◎" },
]);

const alert = (id, kind, device, last, extra = {}) => ({
  id,
  kind,
  rule: `${kind}.x`,
  device_ip: device,
  device_name: device ? `Phone ${device.split(".").pop()}` : null,
  remote_ip: "203.0.113.20",
  domain: "files.example.test",
  first_seen: "2026-11-21T10:02:03.120Z",
  last_seen: last,
  count: 1,
  message: `${device} sent 150 KB to files.example.test (203.0.113.20) within 10 seconds. Files may be leaving the device.`,
  ...extra,
});

const NOW = Date.parse("2026-11-21T11:00:00Z");

test("kinds read in words with a symbol, unknown ones too", () => {
  assert.deepEqual(kindInfo(kinds, "upload"), { id: "upload", label: "Large upload", icon: "⇧" });
  assert.deepEqual(kindInfo(kinds, "new_thing"), { id: "new_thing", label: "New thing", icon: "!" });
  assert.equal(kindInfo(null, "scan").label, "Scan");
});

test("times as the server shows them (the reader's clock), counts and the other side", () => {
  assert.equal(alertTime("2026-11-21T10:02:03.120Z", NOW, 0), "10:02:03");
  assert.equal(alertTime("2026-11-20T23:59:10Z", NOW, 0), "2026-11-20 23:59");
  // Berlin (UTC+1): 23:59:10 UTC yesterday is 00:59:10 today there.
  assert.equal(alertTime("2026-11-20T23:59:10Z", NOW, 60), "00:59:10");
  assert.equal(alertTime("2026-11-21T10:02:03Z", NOW, -300), "05:02:03");
  assert.equal(alertTime("not a time", NOW, 0), "");
  // Another day, in German: the language's order.
  setCatalogue("de", readFileSync(new URL("../../appliance/locales/de/views.ftl", import.meta.url), "utf8"));
  assert.equal(alertTime("2026-11-20T23:59:10Z", NOW, 0), "20.11.2026, 23:59");
  setCatalogue("en", readFileSync(new URL("../../appliance/locales/en/views.ftl", import.meta.url), "utf8"));
  assert.equal(countWords(1), "once");
  assert.equal(countWords(3), "3 times");
  assert.equal(remoteWords({ domain: "a.test", remote_ip: "203.0.113.1" }), "a.test (203.0.113.1)");
  assert.equal(remoteWords({ domain: null, remote_ip: "203.0.113.1" }), "203.0.113.1");
  assert.equal(remoteWords({ domain: "a.test", remote_ip: null }), "a.test");
  assert.equal(remoteWords({ domain: null, remote_ip: null }), "");
});

test("devices by name, never by hardware address", () => {
  const names = new Map([["192.0.2.11", "Ben's tablet"]]);
  assert.equal(deviceWords({ device_ip: "192.0.2.10", device_name: "Anna's phone" }, names), "Anna's phone");
  assert.equal(deviceWords({ device_ip: "192.0.2.11" }, names), "Ben's tablet");
  assert.equal(deviceWords({ device_ip: "192.0.2.12" }, names), "Device .12");
  assert.equal(deviceWords({ device_ip: null, remote_ip: "198.51.100.7" }), "An outside host");
  assert.equal(addressLabel("2001:db8:1::1a2b"), "Device :1a2b");
});

test("the list stays newest first as alerts arrive and grow", () => {
  let list = sortAlerts([
    alert(1, "upload", "192.0.2.10", "2026-11-21T10:00:00Z"),
    alert(2, "scan", "192.0.2.11", "2026-11-21T10:05:00Z"),
  ]);
  assert.deepEqual(list.map((a) => a.id), [2, 1]);
  // From the stream: no device_name; the known one is kept, and it moves to the top.
  const grown = { ...alert(1, "upload", "192.0.2.10", "2026-11-21T10:06:00Z", { count: 2 }), device_name: undefined };
  list = upsertAlert(list, grown);
  assert.deepEqual(list.map((a) => a.id), [1, 2]);
  assert.equal(list[0].count, 2);
  assert.equal(list[0].device_name, "Phone 10");
  // Same time: the newer id first.
  list = upsertAlert(list, alert(3, "encrypted_dns", "192.0.2.10", "2026-11-21T10:06:00Z"));
  assert.deepEqual(list.map((a) => a.id), [3, 1, 2]);
  assert.equal(list.length, 3);
});

test("filter by kind and device", () => {
  const list = [
    alert(1, "upload", "192.0.2.10", "2026-11-21T10:00:00Z"),
    alert(2, "scan", "192.0.2.11", "2026-11-21T10:05:00Z"),
    alert(3, "scan", null, "2026-11-21T10:06:00Z"),
  ];
  assert.deepEqual(filterAlerts(list, { kind: "scan" }).map((a) => a.id), [2, 3]);
  assert.deepEqual(filterAlerts(list, { device: "192.0.2.10" }).map((a) => a.id), [1]);
  assert.deepEqual(filterAlerts(list, { kind: "scan", device: "192.0.2.10" }), []);
  assert.equal(filterAlerts(list).length, 3);
  assert.equal(alertsUrl({ kind: "scan", device: "", limit: 500 }), "/api/v1/alerts?kind=scan&limit=500");
  assert.equal(alertsUrl({}), "/api/v1/alerts");
  assert.equal(alertsUrl({ device: "2001:db8::1" }), "/api/v1/alerts?device=2001%3Adb8%3A%3A1");
});

test("the summary line says what the server says", () => {
  assert.equal(alertsSummary(0, 0), "No alerts");
  assert.equal(alertsSummary(1, 1), "1 alert");
  assert.equal(alertsSummary(4, 4), "4 alerts");
  assert.equal(alertsSummary(500, 812), "The newest 500 of 812 alerts");
});

test("ticker lines: the first sentence, the name in place of the address", () => {
  assert.equal(
    firstSentence("192.0.2.10 opened a connection to dns.example.test (203.0.113.53). Its lookups go around."),
    "192.0.2.10 opened a connection to dns.example.test (203.0.113.53).",
  );
  assert.equal(firstSentence("No full stop here"), "No full stop here");
  assert.equal(withName("192.0.2.1 and 192.0.2.10 and 192.0.2.1.", "192.0.2.1", "Ana"), "Ana and 192.0.2.10 and Ana.");
  assert.equal(withName("2001:db8::1 asked", "2001:db8::1", "Ana"), "Ana asked");
  const a = alert(7, "upload", "192.0.2.10", "2026-11-21T10:59:30Z", { device_name: null });
  const line = tickerLine(a, kinds, new Map([["192.0.2.10", "Anna's phone"]]), NOW);
  assert.deepEqual(
    { ...line },
    {
      id: 7,
      kind: "upload",
      label: "Large upload",
      icon: "⇧",
      who: "Anna's phone",
      text: "Anna's phone sent 150 KB to files.example.test (203.0.113.20) within 10 seconds.",
      time: "10:59:30",
      iso: "2026-11-21T10:59:30Z",
    },
  );
  assert.ok(!line.text.includes("192.0.2.10"));
  const long = tickerLine({ ...a, message: "x".repeat(500) }, kinds, null, NOW, 40);
  assert.equal(long.text.length, 40);
  assert.ok(long.text.endsWith("…"));
});

test("the ticker keeps the newest few of the last half hour", () => {
  const list = [
    alert(1, "upload", "192.0.2.10", "2026-11-21T10:00:00Z"),
    alert(2, "scan", "192.0.2.11", "2026-11-21T10:45:00Z"),
    alert(3, "scan", null, "2026-11-21T10:50:00Z"),
    alert(4, "upload", "192.0.2.12", "2026-11-21T10:55:00Z"),
    alert(5, "upload", "192.0.2.13", "2026-11-21T10:58:00Z"),
  ];
  assert.deepEqual(recentAlerts(list, NOW).map((a) => a.id), [5, 4, 3]);
  assert.deepEqual(recentAlerts(list, NOW, 30 * 60 * 1000, 10).map((a) => a.id), [5, 4, 3, 2]);
  assert.deepEqual(recentAlerts([], NOW), []);
});

test("a burst of alerts is one chime", () => {
  assert.equal(shouldSound(null, 1000), true);
  assert.equal(shouldSound(1000, 1500), false);
  assert.equal(shouldSound(1000, 3000), true);
  assert.equal(shouldSound(1000, 1500, 400), true);
});

test("an alert's own words are said from the catalogue, else its message", async () => {
  const { messageWords } = await import("../src/lib/alerts.js");
  const a = { message: "English sentence.", words: { id: "allow-domains", args: { device: "192.0.2.10", to: "x.test" } } };
  assert.equal(messageWords(a), "192.0.2.10 connected to x.test: the domain is not on the allow list.");
  assert.equal(messageWords({ message: "English sentence." }), "English sentence.");
  assert.equal(messageWords({ message: "Kept.", words: { id: "no-such-message", args: {} } }), "Kept.");
});

test("device names the appliance made up are said in the page's language", async () => {
  const { setCatalogue } = await import("../src/lib/i18n.js");
  const { deviceName, deviceLabel } = await import("../src/lib/format.js");
  const { readFileSync } = await import("node:fs");
  const hidden = { device_ip: "192.0.2.10", device_name: "Hidden device", device_name_words: { id: "device-name-hidden", args: {} } };
  assert.equal(deviceWords(hidden), "Hidden device");
  assert.equal(deviceName("Device .10", { id: "device-name-address", args: { tail: ".10" } }), "Device .10");
  assert.equal(deviceName("annas-phone", undefined), "annas-phone");
  const read = (lang) => readFileSync(new URL(`../../appliance/locales/${lang}/views.ftl`, import.meta.url), "utf8");
  setCatalogue("de", read("de"));
  try {
    assert.equal(deviceWords(hidden), "Verborgenes Gerät");
    assert.equal(deviceName("Device .10", { id: "device-name-address", args: { tail: ".10" } }), "Gerät .10");
    assert.equal(deviceLabel({ name: "Other devices", name_words: { id: "device-name-others" } }), "Andere Geräte");
    assert.equal(deviceLabel({ name: "Blue Otter", emoji: "🦦" }), "🦦 Blue Otter");
  } finally {
    setCatalogue("en", read("en"));
  }
});
