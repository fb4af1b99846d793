// From `/api/v1/paths` rows to the sankey's graph: four columns
// (device -> registrable domain -> organization -> country), link values by bytes or by
// connections, the biggest N nodes per column kept and the rest folded into one "other" node,
// tracker traffic as separate links, a stable node order, and the sets to highlight when a
// node is pointed at. Pure: no DOM, no d3; unit-tested in test/graph.test.js.

import { deviceLabel } from "./format.js";
import { t } from "./i18n.js";
export const COLUMNS = ["device", "domain", "org", "country"];

/** Key of the "other" node of a column (cannot clash with a real id). */
export const OTHER = "\u0000other";

/** Key of a website (and its company) the teacher hid from the group views. */
export const HIDDEN = "\u0000hidden";

/**
 * Key of the rows the server folded (a live view's `fold=views` feed: a row with
 * `other: ["domain"]` stands for the websites outside the view's top; see docs/API.md). It
 * always goes into the column's "other" node, and the websites it stands for are counted
 * from the feed's `others`.
 */
export const FOLDED = "\u0000folded";

/** Is `column` of `row` folded by the server? */
function folded(row, column) {
  return Array.isArray(row.other) && row.other.includes(column);
}

/**
 * How many keys per column the server folded away in the rows at hand (the feed's `others`;
 * a device filter has its own feed). Columns not folded: 0.
 */
export function foldedCounts(data) {
  const o = data && !Array.isArray(data) ? data.others : null;
  return { device: 0, domain: (o && o.domain) || 0, org: (o && o.org) || 0, country: 0 };
}

/**
 * The value of one row: bytes both ways, or connections. A connection that has just begun has
 * no byte count yet (the kernel reports counters every couple of seconds), so it counts as one
 * byte: it shows at once as a hairline, not two seconds later.
 */
export function metricValue(row, metric) {
  const connections = Math.max(0, Number(row.connections) || 0);
  if (metric === "connections") return connections;
  const bytes = Math.max(0, (Number(row.bytes_up) || 0) + (Number(row.bytes_down) || 0));
  return bytes === 0 && connections > 0 ? 1 : bytes;
}

/** Rows of one device only (`device` null or "" = all). */
export function filterPaths(rows, device) {
  if (!device) return rows;
  return rows.filter((r) => r.device === device);
}

/** The node key of a row in a column. */
export function rowKey(row, column) {
  switch (column) {
    case "device":
      return String(row.device);
    case "domain":
      if (row.domain_hidden) return HIDDEN;
      if (folded(row, "domain")) return FOLDED;
      return row.domain == null || row.domain === "" ? "" : String(row.domain);
    case "org":
      if (row.domain_hidden) return HIDDEN;
      if (folded(row, "org")) return FOLDED;
      return row.org == null || row.org === "" ? "" : String(row.org);
    case "country":
      return row.country == null || row.country === "" ? "" : String(row.country);
    default:
      throw new Error(`unknown column ${column}`);
  }
}

/** Node id: column and key. */
export function nodeId(column, key) {
  return `${column}:${key}`;
}

function defaultLabel(column, key, ctx) {
  if (key === OTHER) return t("name-other");
  if (key === HIDDEN) return column === "org" ? t("name-hidden-company") : t("name-hidden-website");
  switch (column) {
    case "device": {
      const d = ctx.devices.get(key);
      const name = d && d.name ? deviceLabel(d) : key;
      return d && d.you ? t("name-you", { name }) : name;
    }
    case "domain":
      return key === "" ? t("name-no-dns") : key;
    case "org":
      return key === "" ? t("name-unknown-company") : key;
    case "country":
      return key === "" ? t("name-unknown-place") : ctx.countryName(key) || key;
    default:
      return key;
  }
}

/** How many nodes each column may show: a number, or `{device, domain, org, country}`. */
function limitFor(topN, column) {
  const n = typeof topN === "number" ? topN : topN && topN[column];
  return Number.isFinite(n) && n >= 2 ? Math.floor(n) : Infinity;
}

/**
 * A cache for `buildGraph` (`options.cache`) kept by a live view between updates: the
 * columns' keys numbered once, and each row's numbers kept on the row (rows the stream did
 * not change are the same objects). Only for rows that are not changed in place. Bounded:
 * it starts again when it holds four times the keys of the rows at hand.
 */
export function graphCache() {
  const cache = {};
  resetCache(cache);
  return cache;
}

/**
 * Read `row` into `cache` now (a live view, as the row arrives): the next `buildGraph` with
 * this cache finds it read.
 */
export function primeRow(cache, row) {
  if (row && typeof row === "object" && row[cache.intern.tag] === undefined) rowInfo(row, cache.intern);
}

/** A row's value both ways, bytes, and the numbers of its keys in `dict` (kept on the row). */
function rowInfo(r, dict) {
  const C = COLUMNS.length;
  const b = (Number(r.bytes_up) || 0) + (Number(r.bytes_down) || 0);
  const vb = metricValue(r, "bytes");
  const vc = metricValue(r, "connections");
  const xs = new Int32Array(C);
  if (vb > 0 || vc > 0) {
    for (let i = 0; i < C; i += 1) {
      const k = rowKey(r, COLUMNS[i]);
      let x = dict.ids[i].get(k);
      if (x === undefined) {
        x = dict.names[i].length;
        dict.ids[i].set(k, x);
        dict.names[i].push(k);
        dict.size += 1;
      }
      xs[i] = x;
    }
  }
  const info = { b, vb, vc, tracker: r.tracker === true, xs };
  // Not enumerable: a copy of the row (`{...row}`, changed) does not take it along.
  if (dict.tag) Object.defineProperty(r, dict.tag, { value: info });
  return info;
}

function resetCache(cache) {
  cache.intern = { ids: COLUMNS.map(() => new Map()), names: COLUMNS.map(() => []), size: 0, tag: Symbol("wf-graph-row") };
}

/**
 * Build the sankey graph.
 *
 * `data`: the `/api/v1/paths` response (`{devices, paths}`) or an array of rows.
 * Options: `metric` ("bytes" | "connections"), `device` (filter), `topN` (per column; a column
 * with more nodes keeps its N-1 biggest and folds the rest into "Other N ..."), `order` (a
 * Map id -> rank from a previous render, see `stableOrder`), `countryName` (code -> name).
 *
 * Returns `{nodes, links, rows, total, trackerTotal, hidden, distinct, bytes, trackerBytes}`
 * (`distinct`: known keys per column of the rows with traffic; `bytes`, `trackerBytes`: of
 * every row, for the words beside the chart): nodes `{id, column, key, label,
 * value, trackerValue, tracker, other, count, you, title}`; links `{id, source, target, value,
 * tracker}` (source/target are node ids); `rows` are the node and link ids of each way the
 * input rows take through the graph (`{nodes, links}`, one per distinct way, for
 * highlighting); `hidden` counts what went into each "other" node.
 */
export function buildGraph(data, options = {}) {
  const metric = options.metric === "connections" ? "connections" : "bytes";
  const allRows = Array.isArray(data) ? data : (data && data.paths) || [];
  const deviceList = Array.isArray(data) ? options.devices || [] : (data && data.devices) || [];
  const devices = new Map(deviceList.map((d) => [String(d.id), d]));
  const ctx = {
    devices,
    countryName: options.countryName || ((c) => c),
  };
  // One pass over the rows (tens of thousands on a big class, on a phone, several times a
  // second): each row's value and keys once, numbers from there on.
  const rows = filterPaths(allRows, options.device);
  const n = rows.length;
  const C = COLUMNS.length;
  // Each column's keys get numbers as they come (`names`), each row its value and its
  // numbers once (`codes`); from there on arrays of numbers, no strings. With a `cache`
  // (see graphCache) the numbers are kept between calls: a row the stream did not change is
  // the same object, and costs no string work again.
  const cache = options.cache && options.cache.intern ? options.cache : null;
  if (cache && cache.intern.size > Math.max(4096, 4 * n)) resetCache(cache);
  const dict = cache ? cache.intern : { ids: COLUMNS.map(() => new Map()), names: COLUMNS.map(() => []), size: 0, tag: null };
  const ids_ = dict.ids;
  const names = dict.names;
  const values = new Float64Array(n);
  const codes = new Int32Array(n * C);
  // The words above the chart, from the same pass: bytes, tracker bytes (every row).
  let bytes = 0;
  let trackerBytes = 0;
  const tag = dict.tag;
  for (let j = 0; j < n; j += 1) {
    const r = rows[j];
    let info = tag ? r[tag] : undefined;
    if (info === undefined) info = rowInfo(r, dict);
    bytes += info.b;
    if (info.tracker) trackerBytes += info.b;
    const v = metric === "connections" ? info.vc : info.vb;
    values[j] = v;
    if (!(v > 0)) continue;
    for (let i = 0; i < C; i += 1) codes[j * C + i] = info.xs[i];
  }
  // Each key's sum, over the rows with traffic; a key with none (only in rows of earlier
  // calls, or with no traffic) is left out below.
  const sums = names.map((a) => new Float64Array(a.length));
  const seen = names.map((a) => new Uint8Array(a.length));
  for (let j = 0; j < n; j += 1) {
    const v = values[j];
    if (!(v > 0)) continue;
    for (let i = 0; i < C; i += 1) {
      const x = codes[j * C + i];
      sums[i][x] += v;
      seen[i][x] = 1;
    }
  }
  // Kept keys get a number per column (1, 2, ...); 0 is the column's "other".
  // The server's folded rows (FOLDED) always go to "other"; the keys they stand for count.
  const foldedAway = foldedCounts(data);
  const keptOf = [];
  const keyAt = [];
  const hiddenCount = [];
  COLUMNS.forEach((c, i) => {
    const limit = limitFor(options.topN, c);
    let order = [];
    for (let x = 0; x < names[i].length; x += 1) if (seen[i][x] && names[i][x] !== FOLDED) order.push(x);
    const present = order.length + foldedAway[c];
    if (present > limit) {
      order.sort((a, b) => sums[i][b] - sums[i][a] || (names[i][a] < names[i][b] ? -1 : names[i][a] > names[i][b] ? 1 : 0));
      order = order.slice(0, limit - 1);
    }
    const to = new Int32Array(names[i].length);
    order.forEach((x, rank) => {
      to[x] = rank + 1;
    });
    keptOf.push(to);
    keyAt.push([OTHER, ...order.map((x) => names[i][x])]);
    hiddenCount.push(present - order.length);
  });

  // The rows summed by their way through the graph (kept key or "other" in each column, and
  // tracker or not): a few hundred ways, whatever the number of rows. A way is one number
  // while the columns' sizes multiply to a safe integer (the top N of a sankey always do),
  // else its numbers joined.
  const base = keyAt.map((a) => a.length);
  const numeric = base.reduce((p, b) => p * b, 2) < Number.MAX_SAFE_INTEGER;
  const ways = new Map();
  let total = 0;
  let trackerTotal = 0;
  for (let j = 0; j < n; j += 1) {
    const v = values[j];
    if (!(v > 0)) continue;
    const tracker = rows[j].tracker === true;
    let code;
    if (numeric) {
      code = 0;
      for (let i = 0; i < C; i += 1) code = code * base[i] + keptOf[i][codes[j * C + i]];
      code = code * 2 + (tracker ? 1 : 0);
    } else {
      code = `${COLUMNS.map((c, i) => keptOf[i][codes[j * C + i]]).join(",")},${tracker ? 1 : 0}`;
    }
    total += v;
    if (tracker) trackerTotal += v;
    ways.set(code, (ways.get(code) || 0) + v);
  }

  const nodes = new Map();
  const links = new Map();
  const rowIds = [];
  for (const [code0, v] of ways) {
    let tracker;
    let xs;
    if (numeric) {
      let code = code0;
      tracker = code % 2 === 1;
      code = Math.floor(code / 2);
      xs = new Array(COLUMNS.length);
      for (let i = COLUMNS.length - 1; i >= 0; i -= 1) {
        xs[i] = code % base[i];
        code = Math.floor(code / base[i]);
      }
    } else {
      xs = code0.split(",").map(Number);
      tracker = xs.pop() === 1;
    }
    const ids = COLUMNS.map((c, i) => {
      const k = keyAt[i][xs[i]];
      const id = nodeId(c, k);
      let node = nodes.get(id);
      if (!node) {
        node = {
          id,
          column: c,
          key: k,
          label: "",
          value: 0,
          trackerValue: 0,
          tracker: false,
          other: k === OTHER,
          count: 0,
          you: c === "device" && !!(devices.get(k) || {}).you,
        };
        nodes.set(id, node);
      }
      node.value += v;
      if (tracker) node.trackerValue += v;
      return id;
    });
    const linkIds = [];
    for (let i = 0; i + 1 < ids.length; i += 1) {
      const id = `${ids[i]}->${ids[i + 1]}${tracker ? "|t" : ""}`;
      linkIds.push(id);
      let l = links.get(id);
      if (!l) {
        l = { id, source: ids[i], target: ids[i + 1], value: 0, tracker };
        links.set(id, l);
      }
      l.value += v;
    }
    rowIds.push({ nodes: ids, links: linkIds });
  }

  const hidden = {};
  COLUMNS.forEach((c, i) => {
    hidden[c] = hiddenCount[i];
  });
  for (const n of nodes.values()) {
    if (n.other) {
      n.count = hidden[n.column];
      n.label = t(`other-${n.column}`, { n: n.count }); // "3 other companies"
    } else {
      n.label = defaultLabel(n.column, n.key, ctx);
    }
    // A domain or company is marked when any of its traffic is tracking or advertising.
    n.tracker = n.column !== "device" && n.column !== "country" && n.trackerValue > 0;
  }

  const ordered = sortNodes([...nodes.values()], options.order);
  // Distinct devices, companies and countries of the rows with traffic (unknown and hidden
  // ones not counted).
  const distinct = {};
  COLUMNS.forEach((c, i) => {
    let count = 0;
    names[i].forEach((k, x) => {
      if (seen[i][x] && k !== "" && k !== HIDDEN && k !== FOLDED) count += 1;
    });
    distinct[c] = count + foldedAway[c];
  });
  return {
    metric,
    distinct,
    bytes,
    trackerBytes,
    nodes: ordered,
    links: [...links.values()],
    rows: rowIds,
    total,
    trackerTotal,
    hidden,
  };
}

/**
 * Nodes in column order; within a column by the previous render's rank where known (so live
 * updates do not reorder what people are looking at), new nodes after those by value, and the
 * "other" node always last.
 */
export function sortNodes(nodes, order) {
  const rank = order instanceof Map ? order : new Map();
  const col = (n) => COLUMNS.indexOf(n.column);
  return nodes.slice().sort((a, b) => {
    if (col(a) !== col(b)) return col(a) - col(b);
    if (a.other !== b.other) return a.other ? 1 : -1;
    const ra = rank.has(a.id) ? rank.get(a.id) : Infinity;
    const rb = rank.has(b.id) ? rank.get(b.id) : Infinity;
    if (ra !== rb) return ra - rb;
    if (b.value !== a.value) return b.value - a.value;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The rank of every node of `graph` (its position in `graph.nodes`), for the next render. */
export function stableOrder(graph) {
  return new Map(graph.nodes.map((n, i) => [n.id, i]));
}

/**
 * What to highlight when a node is pointed at: every node and link on a path that passes
 * through it (for a device: its whole path to the countries). `null` = nothing highlighted.
 */
export function highlightSets(graph, id) {
  if (!id || !graph.nodes.some((n) => n.id === id)) return null;
  const nodes = new Set();
  const links = new Set();
  for (const r of graph.rows) {
    if (!r.nodes.includes(id)) continue;
    r.nodes.forEach((x) => nodes.add(x));
    r.links.forEach((x) => links.add(x));
  }
  return { nodes, links };
}

/** How many nodes a column can hold in `height` pixels with one label line each. */
export function rowsThatFit(height, lineHeight) {
  return Math.max(3, Math.floor(height / Math.max(1, lineHeight)));
}
