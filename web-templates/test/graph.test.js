import { test } from "node:test";
import "./setup-en.js";
import assert from "node:assert/strict";

import {
  buildGraph,
  graphCache,
  filterPaths,
  highlightSets,
  metricValue,
  HIDDEN,
  OTHER,
  rowsThatFit,
  stableOrder,
} from "../src/lib/graph.js";
import { synthetic } from "../src/lib/synthetic.js";

const row = (device, domain, org, country, bytes, extra = {}) => ({
  device,
  domain,
  org,
  country,
  city: null,
  lat: null,
  lon: null,
  category: "other",
  tracker: false,
  bytes_up: 0,
  bytes_down: bytes,
  connections: 1,
  open: 0,
  last_seen: "2026-11-21T08:00:00Z",
  ...extra,
});

const data = {
  devices: [
    { id: "192.0.2.10", name: "Ana's phone", you: true },
    { id: "192.0.2.11", name: "Ben's laptop", you: false },
  ],
  paths: [
    row("192.0.2.10", "bbc.co.uk", "BBC", "GB", 1000),
    row("192.0.2.10", "doubleclick.net", "Google", "US", 300, { tracker: true, category: "advertising" }),
    row("192.0.2.11", "google.com", "Google", "US", 500, { connections: 7 }),
    row("192.0.2.11", null, "Cloudflare", null, 200),
  ],
};

test("four columns, labels, you marked, unknowns named in plain words", () => {
  const g = buildGraph(data, { countryName: (c) => ({ GB: "United Kingdom", US: "United States" })[c] });
  const labels = Object.fromEntries(g.nodes.map((n) => [n.id, n.label]));
  assert.equal(labels["device:192.0.2.10"], "Ana's phone (you)");
  assert.equal(labels["device:192.0.2.11"], "Ben's laptop");
  assert.equal(labels["domain:"], "no DNS seen");
  assert.equal(labels["country:GB"], "United Kingdom");
  assert.equal(labels["country:"], "Unknown place");
  assert.deepEqual(
    [...new Set(g.nodes.map((n) => n.column))],
    ["device", "domain", "org", "country"],
  );
  assert.equal(g.total, 2000);
  assert.equal(g.trackerTotal, 300);
});

test("flow is conserved through every middle node", () => {
  const g = buildGraph(data);
  for (const n of g.nodes) {
    const into = g.links.filter((l) => l.target === n.id).reduce((s, l) => s + l.value, 0);
    const out = g.links.filter((l) => l.source === n.id).reduce((s, l) => s + l.value, 0);
    if (n.column === "device") assert.equal(out, n.value);
    else if (n.column === "country") assert.equal(into, n.value);
    else {
      assert.equal(into, n.value, n.id);
      assert.equal(out, n.value, n.id);
    }
  }
});

test("tracker traffic is its own link and marks its domain and company", () => {
  const g = buildGraph(data);
  const t = g.links.filter((l) => l.tracker);
  assert.deepEqual(
    t.map((l) => l.id).sort(),
    [
      "device:192.0.2.10->domain:doubleclick.net|t",
      "domain:doubleclick.net->org:Google|t",
      "org:Google->country:US|t",
    ],
  );
  // Google carries tracker and non-tracker traffic: two links to the US.
  assert.equal(g.links.filter((l) => l.source === "org:Google").length, 2);
  const node = (id) => g.nodes.find((n) => n.id === id);
  assert.equal(node("domain:doubleclick.net").tracker, true);
  assert.equal(node("org:Google").tracker, true);
  assert.equal(node("domain:google.com").tracker, false);
  assert.equal(node("device:192.0.2.10").tracker, false, "devices are not marked");
});

test("metric: connections instead of bytes", () => {
  assert.equal(metricValue(data.paths[2], "connections"), 7);
  assert.equal(metricValue({ bytes_up: 5, bytes_down: 6 }, "bytes"), 11);
  // A connection with no counters yet still shows (as a hairline); no connection, nothing.
  assert.equal(metricValue({ bytes_up: 0, bytes_down: 0, connections: 1 }, "bytes"), 1);
  assert.equal(metricValue({ bytes_up: 0, bytes_down: 0, connections: 0 }, "bytes"), 0);
  const g = buildGraph(data, { metric: "connections" });
  assert.equal(g.metric, "connections");
  assert.equal(g.total, 10);
  assert.equal(g.nodes.find((n) => n.id === "org:Google").value, 8);
});

test("rows with no traffic in the metric are left out", () => {
  const g = buildGraph([row("a", "x.test", "X", "FR", 0, { connections: 0 })]);
  assert.equal(g.nodes.length, 0);
  assert.equal(g.links.length, 0);
});

test("filter to one device", () => {
  assert.equal(filterPaths(data.paths, "192.0.2.11").length, 2);
  assert.equal(filterPaths(data.paths, "").length, 4);
  const g = buildGraph(data, { device: "192.0.2.10" });
  assert.deepEqual(
    g.nodes.filter((n) => n.column === "device").map((n) => n.id),
    ["device:192.0.2.10"],
  );
  assert.ok(!g.nodes.some((n) => n.id === "org:Cloudflare"));
});

test("top N per column with one 'other' node that says how many it holds", () => {
  const rows = [];
  for (let i = 0; i < 10; i += 1) rows.push(row(`d${i}`, `site${i}.test`, `Org${i}`, "DE", 100 * (i + 1)));
  const g = buildGraph(rows, { topN: { device: 4, domain: 5, org: 100, country: 3 } });
  const col = (c) => g.nodes.filter((n) => n.column === c);
  assert.equal(col("device").length, 4);
  assert.equal(col("domain").length, 5);
  assert.equal(col("org").length, 10);
  assert.equal(col("country").length, 1);
  const other = col("device").at(-1);
  assert.equal(other.key, OTHER);
  assert.equal(other.other, true);
  assert.equal(other.count, 7);
  assert.equal(other.label, "7 other devices");
  assert.equal(col("domain").at(-1).label, "6 other websites and services");
  // The biggest are kept, biggest first, and nothing is lost.
  assert.deepEqual(col("device").slice(0, 3).map((n) => n.key), ["d9", "d8", "d7"]);
  assert.equal(other.value, 100 + 200 + 300 + 400 + 500 + 600 + 700);
  assert.equal(g.total, 5500);
  assert.equal(g.hidden.device, 7);
});

test("a column that fits keeps all its nodes (no 'other' of one)", () => {
  const rows = [row("a", "x.test", "X", "FR", 1), row("b", "y.test", "Y", "FR", 2)];
  const g = buildGraph(rows, { topN: 2 });
  assert.ok(!g.nodes.some((n) => n.other));
});

test("stable order: known nodes keep their place, new ones come after, other last", () => {
  const first = buildGraph([row("a", "x.test", "X", "FR", 10), row("b", "y.test", "Y", "FR", 5)]);
  const order = stableOrder(first);
  // b now sends far more, and c appears: a stays first, b second, c after.
  const next = buildGraph(
    [row("a", "x.test", "X", "FR", 10), row("b", "y.test", "Y", "FR", 900), row("c", "z.test", "Z", "FR", 50)],
    { order },
  );
  assert.deepEqual(
    next.nodes.filter((n) => n.column === "device").map((n) => n.key),
    ["a", "b", "c"],
  );
  // Without an order: biggest first.
  const fresh = buildGraph(
    [row("a", "x.test", "X", "FR", 10), row("b", "y.test", "Y", "FR", 900)],
  );
  assert.deepEqual(fresh.nodes.filter((n) => n.column === "device").map((n) => n.key), ["b", "a"]);
});

test("highlight: a device's whole path, and only it", () => {
  const g = buildGraph(data);
  const h = highlightSets(g, "device:192.0.2.10");
  assert.deepEqual(
    [...h.nodes].sort(),
    [
      "country:GB",
      "country:US",
      "device:192.0.2.10",
      "domain:bbc.co.uk",
      "domain:doubleclick.net",
      "org:BBC",
      "org:Google",
    ],
  );
  assert.ok(h.links.has("org:Google->country:US|t"));
  // Google -> US also carries Ben's traffic as a non-tracker link: not part of Ana's path.
  assert.ok(!h.links.has("org:Google->country:US"));
  assert.ok(!h.nodes.has("device:192.0.2.11"));
  // Pointing at a country shows everything that reaches it.
  const us = highlightSets(g, "country:US");
  assert.ok(us.nodes.has("device:192.0.2.11") && us.nodes.has("device:192.0.2.10"));
  assert.equal(highlightSets(g, "device:nope"), null);
  assert.equal(highlightSets(g, null), null);
});

test("50 devices x 500 domains folds to a legible graph quickly", () => {
  const input = synthetic({ devices: 50, domains: 500, seed: 7 });
  assert.equal(input.devices.length, 50);
  const t0 = performance.now();
  const g = buildGraph(input, { topN: 20 });
  const ms = performance.now() - t0;
  for (const c of ["device", "domain", "org", "country"]) {
    assert.ok(g.nodes.filter((n) => n.column === c).length <= 20, c);
  }
  const distinct = new Set(input.paths.map((r) => r.domain)).size;
  assert.ok(distinct > 300, `${distinct} domains`);
  assert.equal(g.hidden.domain, distinct - 19);
  assert.ok(g.links.some((l) => l.tracker));
  assert.ok(ms < 500, `took ${ms} ms`);
});

test("rows that fit", () => {
  assert.equal(rowsThatFit(600, 20), 30);
  assert.equal(rowsThatFit(10, 20), 3);
});

test("hidden devices and websites are named as hidden, their bytes still counted", () => {
  const hidden = {
    devices: [
      { id: "192.0.2.10", name: "Ana's phone", you: false },
      { id: "hidden", name: "Hidden devices", emoji: "🙈", you: false },
    ],
    paths: [
      row("hidden", "bbc.co.uk", "BBC", "GB", 1000),
      row("192.0.2.10", null, null, "US", 300, { domain_hidden: true }),
      row("192.0.2.10", null, "Cloudflare", null, 200),
    ],
  };
  const g = buildGraph(hidden, { countryName: (c) => c });
  const labels = Object.fromEntries(g.nodes.map((n) => [n.id, n.label]));
  assert.match(labels["device:hidden"], /Hidden devices/);
  assert.equal(labels[`domain:${HIDDEN}`], "Hidden website");
  assert.equal(labels[`org:${HIDDEN}`], "Hidden company");
  assert.equal(labels["domain:"], "no DNS seen");
  assert.equal(g.total, 1500);
});

test("the words beside the chart come with the graph: distinct counts and bytes", () => {
  const g = buildGraph(data);
  assert.deepEqual(g.distinct, { device: 2, domain: 3, org: 3, country: 2 });
  assert.equal(g.bytes, 2000);
  assert.equal(g.trackerBytes, 300);
  const one = buildGraph(data, { device: "192.0.2.11" });
  assert.deepEqual(one.distinct, { device: 1, domain: 1, org: 2, country: 1 });
  assert.equal(one.bytes, 700);
});

test("a big class: every row counted once, whatever folds into 'other'", () => {
  const rows = [];
  for (let d = 0; d < 50; d += 1) for (let k = 0; k < 400; k += 1) rows.push(row(`d${d}`, `s${k}.test`, `Org ${k % 40}`, ["CN", "GB"][k % 2], 1 + k));
  const g = buildGraph(rows, { topN: 12 });
  const sum = (c) => g.nodes.filter((n) => n.column === c).reduce((s, n) => s + n.value, 0);
  for (const c of ["device", "domain", "org", "country"]) assert.equal(sum(c), g.total);
  assert.equal(g.total, 50 * ((400 * 401) / 2));
  assert.equal(g.hidden.domain, 400 - 11);
  assert.equal(g.links.filter((l) => l.source.startsWith("device:")).reduce((s, l) => s + l.value, 0), g.total);
});

test("a cache kept between updates gives the same graph as none, as rows come, change and go", () => {
  const cache = graphCache();
  let rows = synthetic({ devices: 12, domains: 40, seed: 3 }).paths;
  for (let step = 0; step < 4; step += 1) {
    for (const metric of ["bytes", "connections"]) {
      const plain = buildGraph(rows, { topN: 8, metric });
      const cached = buildGraph(rows, { topN: 8, metric, cache });
      const norm = (g) => ({ ...g, links: [...g.links].sort((a, b) => (a.id < b.id ? -1 : 1)), rows: null });
      assert.deepEqual(norm(cached), norm(plain));
    }
    // The stream's way: changed rows are new objects, some rows leave, new ones come.
    rows = rows.slice(3).map((r, i) => (i % 5 === 0 ? { ...r, bytes_down: r.bytes_down + 1000 * step } : r));
    rows.push({ ...rows[0], device: `198.51.100.${step}`, domain: `new${step}.test` });
  }
});

// The server's folded feed (`fold=<metric>`, appliance/src/web/fold.rs) in short, for the
// websites: the 40 biggest by the metric stay rows of their own, the rest is summed per
// device, company, country and tracker flag into rows marked `other: ["domain"]`, and the
// websites folded away are counted in `others`. A device filter has its own feed: the
// device's rows, folded.
function serverFold(rows, metric, top = 40) {
  const m = new Map();
  for (const r of rows) m.set(r.domain, (m.get(r.domain) || 0) + metricValue(r, metric));
  const keep = new Set([...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([k]) => k));
  const out = [];
  const groups = new Map();
  for (const r of rows) {
    if (keep.has(r.domain)) {
      out.push(r);
      continue;
    }
    const k = JSON.stringify([r.device, r.org, r.country, r.tracker]);
    let g = groups.get(k);
    if (!g) {
      g = { ...r, domain: null, other: ["domain"], bytes_up: 0, bytes_down: 0, connections: 0 };
      groups.set(k, g);
      out.push(g);
    }
    g.bytes_up += r.bytes_up;
    g.bytes_down += r.bytes_down;
    g.connections += r.connections;
  }
  return { paths: out, others: { domain: m.size - keep.size, org: 0 } };
}

test("rows the server folded draw the same picture as all the rows", () => {
  const rows = [];
  for (let d = 0; d < 8; d += 1) {
    for (let k = 0; k < 400; k += 1) {
      // Sizes by website, a little different on each device, and quite different on device 3
      // (its own top websites: its device filter shows them); every 7th website a tracker.
      const j = d === 2 ? 399 - k : k;
      const bytes = ((j * 7919) % 5000) + 1 + d;
      rows.push(row(`10.0.0.${d + 1}`, `s${k}.test`, `Org${k % 30}`, ["GB", "SE", "CN", "US", "FR"][k % 5], bytes, { tracker: k % 7 === 0, connections: 1 + ((j * 31) % 9) }));
    }
  }
  const devices = [...new Set(rows.map((r) => r.device))].map((id) => ({ id, name: id }));
  const pick = (g) => ({
    nodes: g.nodes.map((n) => [n.id, n.value, n.trackerValue, n.count, n.label]).sort(),
    links: g.links.map((l) => [l.id, l.value]).sort(),
    total: g.total,
    trackerTotal: g.trackerTotal,
    hidden: g.hidden,
    distinct: g.distinct,
    bytes: g.bytes,
    trackerBytes: g.trackerBytes,
  });
  for (const metric of ["bytes", "connections"]) {
    const folded = serverFold(rows, metric);
    assert.ok(folded.paths.length < rows.length / 3, `${folded.paths.length} rows`);
    for (const topN of [40, 12, 6]) {
      for (const device of ["", "10.0.0.3"]) {
        const full = buildGraph({ devices, paths: rows }, { metric, topN, device });
        const feed = device ? serverFold(rows.filter((r) => r.device === device), metric) : folded;
        const small = buildGraph({ devices, ...feed }, { metric, topN, device });
        assert.deepEqual(pick(small), pick(full), `${metric} top ${topN} device ${device || "all"}`);
      }
    }
  }
});
