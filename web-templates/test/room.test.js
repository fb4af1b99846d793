import { test } from "node:test";
import "./setup-en.js";
import assert from "node:assert/strict";

import { roomNotices } from "../src/lib/room.js";

const wifi = (associated, stations, fill, portal = null) => ({
  interface: "wlan0",
  present: true,
  associated,
  capacity: { stations, basis: "test" },
  fill,
  uplink: { interface: "eth0", wifi: false, portal },
});

test("nothing off the appliance or with room to spare", () => {
  assert.deepEqual(roomNotices(null), []);
  assert.deepEqual(roomNotices(wifi(3, 10, "ok", { state: "open" })), []);
  // hostapd not answering: no count, no claim.
  assert.deepEqual(roomNotices({ ...wifi(null, 10, null), associated: null }), []);
});

test("room full at the admitted count, a warning at 80 %", () => {
  const full = roomNotices(wifi(10, 10, "full"));
  assert.equal(full.length, 1);
  assert.equal(full[0].kind, "room-full");
  assert.match(full[0].text, /^Room full: 10 devices/);
  const nearly = roomNotices(wifi(8, 10, "nearly"));
  assert.equal(nearly[0].kind, "room-nearly");
  assert.match(nearly[0].text, /8 of about 10/);
});

test("a captive portal on the uplink says the school network wants a login", () => {
  const l = roomNotices(wifi(2, 10, "ok", { state: "captive_portal", answer: "a redirect (302)" }));
  assert.deepEqual(
    l.map((x) => x.kind),
    ["uplink-login"],
  );
  assert.match(l[0].text, /^The school network wants a login/);
  assert.ok(!l[0].text.includes("⟦"));
});
