import { test } from "node:test";
import assert from "node:assert/strict";

import { motion, shouldAnimate } from "../src/lib/motion.js";

test("the first update animates, one soon after it does not", () => {
  assert.equal(shouldAnimate({ now: 0, last: null }), true);
  assert.equal(shouldAnimate({ now: 1000, last: 0 }), false);
  assert.equal(shouldAnimate({ now: 1600, last: 0 }), true);
});

test("reduced motion never animates", () => {
  assert.equal(shouldAnimate({ now: 0, last: null, reduced: true }), false);
  assert.equal(shouldAnimate({ now: 99999, last: 0, reduced: true }), false);
});

test("not while the last animation runs", () => {
  assert.equal(shouldAnimate({ now: 2000, last: 0, busyUntil: 2500 }), false);
});

test("a stream of updates every 600 ms animates only the first", () => {
  let t = 0;
  const m = motion(null, { durationMs: 550, now: () => t, reduced: () => false });
  const got = [];
  for (let i = 0; i < 10; i++) {
    got.push(m.next());
    t += 600;
  }
  assert.deepEqual(got, [550, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // A pause, then the next one animates again.
  t += 2000;
  assert.equal(m.next(), 550);
  assert.equal(m.next(false), 0);
});
