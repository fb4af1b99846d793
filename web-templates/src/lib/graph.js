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
      return row.domain == null || row.domain === "" ? "" : String(row.domain);
    case "org":
      if (row.domain_hidden) return HIDDEN;
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
 * Build the sankey graph.
 *
 * `data`: the `/api/v1/paths` response (`{devices, paths}`) or an array of rows.
 * Options: `metric` ("bytes" | "connections"), `device` (filter), `topN` (per column; a column
 * with more nodes keeps its N-1 biggest and folds the rest into "Other N ..."), `order` (a
 * Map id -> rank from a previous render, see `stableOrder`), `countryName` (code -> name).
 *
 * Returns `{nodes, links, rows, total, trackerTotal, hidden}`: nodes `{id, column, key, label,
 * value, trackerValue, tracker, other, count, you, title}`; links `{id, source, target, value,
 * tracker}` (source/target are node ids); `rows` are the node and link ids each input row
 * passes through (`{nodes, links}`, for highlighting); `hidden` counts what went into each "other" node.
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
  const rows = filterPaths(allRows, options.device).filter((r) => metricValue(r, metric) > 0);

  // Totals per column key, to choose the top N.
  const totals = COLUMNS.map(() => new Map());
  for (const r of rows) {
    const v = metricValue(r, metric);
    COLUMNS.forEach((c, i) => {
      const k = rowKey(r, c);
      totals[i].set(k, (totals[i].get(k) || 0) + v);
    });
  }
  const kept = COLUMNS.map((c, i) => {
    const limit = limitFor(options.topN, c);
    const entries = [...totals[i].entries()];
    if (entries.length <= limit) return new Set(entries.map(([k]) => k));
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new Set(entries.slice(0, limit - 1).map(([k]) => k));
  });

  const nodes = new Map();
  const links = new Map();
  const rowIds = [];
  const hiddenKeys = COLUMNS.map(() => new Set());
  let total = 0;
  let trackerTotal = 0;

  for (const r of rows) {
    const v = metricValue(r, metric);
    const tracker = r.tracker === true;
    total += v;
    if (tracker) trackerTotal += v;
    const ids = COLUMNS.map((c, i) => {
      let k = rowKey(r, c);
      if (!kept[i].has(k)) {
        hiddenKeys[i].add(k);
        k = OTHER;
      }
      const id = nodeId(c, k);
      let n = nodes.get(id);
      if (!n) {
        n = {
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
        nodes.set(id, n);
      }
      n.value += v;
      if (tracker) n.trackerValue += v;
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
    hidden[c] = hiddenKeys[i].size;
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
  return {
    metric,
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
