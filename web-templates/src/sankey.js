// The sankey view: device -> website -> company -> country, live.
// Layout by d3-sankey; the graph (top N per column, "other" nodes, tracker links, stable order,
// highlighting) comes from lib/graph.js. Test hooks: svg#sankey, g.node[data-column] with a
// <text> label, path.link[data-tracker].
import { sankey as d3sankey, sankeyLinkHorizontal } from "d3-sankey";
import { select } from "d3-selection";
import "d3-transition";

import { buildGraph, COLUMNS, graphCache, highlightSets, primeRow, stableOrder } from "./lib/graph.js";
import { deviceLabel, formatBytes, formatShare, plural, truncate } from "./lib/format.js";
import { startLive } from "./lib/live.js";
import { byId, countryName, fill, fillChanged, h, param, REDUCED_MOTION, setParams, windowButtons, SVG_NS } from "./lib/dom.js";
import { synthetic } from "./lib/synthetic.js";
import { motion } from "./lib/motion.js";
import { startMarks } from "./lib/marks.js";
import { startReplay } from "./lib/replay.js";
import { t } from "./lib/i18n.js";

const WINDOWS = new Set(["60", "300", "900", "session", "mark"]);
/** The catalogue message of each time window ("in the last 5 minutes"). */
const WINDOW_WORDS = { 60: "sankey-when-60", 300: "sankey-when-300", 900: "sankey-when-900", session: "sankey-when-session", mark: "sankey-when-mark", replay: "sankey-when-replay" };
/** `?replay=<session id>`: the admin replays a stored session instead of the live view. */
const REPLAY = param("replay");

const state = {
  window: REPLAY ? "replay" : WINDOWS.has(param("window")) ? param("window") : "300",
  metric: param("metric") === "connections" ? "connections" : "bytes",
  device: param("device", ""),
  data: null,
  graph: null,
  order: null,
  hover: null,
  pinned: null,
  frozen: false,
  // Nodes per column while the graph is big (see render).
  topNCap: Infinity,
  // Drawn once already (a phone animates only its first drawing).
  drawn: false,
};

const svg = select(byId("sankey"));
const chart = byId("chart");
const summary = byId("sankey-summary");
const focusLine = byId("sankey-focus");
const empty = byId("sankey-empty");
const select_ = byId("device-filter");
const table = byId("paths-table");

// Fixed layers and the two stripe patterns (tracker links and tracker nodes).
svg.selectAll("*").remove();
const defs = svg.append("defs");
defs
  .append("pattern")
  .attr("id", "hatch-link")
  .attr("patternUnits", "userSpaceOnUse")
  .attr("width", 8)
  .attr("height", 8)
  .attr("patternTransform", "rotate(45)")
  .call((p) => {
    p.append("rect").attr("width", 8).attr("height", 8).attr("class", "hatch-bg");
    p.append("rect").attr("width", 3.5).attr("height", 8).attr("class", "hatch-fg");
  });
defs
  .append("pattern")
  .attr("id", "hatch-node")
  .attr("patternUnits", "userSpaceOnUse")
  .attr("width", 6)
  .attr("height", 6)
  .attr("patternTransform", "rotate(45)")
  .call((p) => {
    p.append("rect").attr("width", 6).attr("height", 6).attr("class", "hatch-node-bg");
    p.append("rect").attr("width", 3).attr("height", 6).attr("class", "hatch-node-fg");
  });
const gLinks = svg.append("g").attr("class", "links");
const gNodes = svg.append("g").attr("class", "nodes");
const gHeads = svg.append("g").attr("class", "heads").attr("aria-hidden", "true");

function dims() {
  const width = Math.max(320, Math.floor(chart.clientWidth || 360));
  const top = chart.getBoundingClientRect().top + window.scrollY;
  const avail = window.innerHeight - Math.max(0, top - window.scrollY) - 16;
  const narrow = width < 600;
  const height = Math.max(narrow ? 520 : 460, Math.min(avail, 1400));
  const font = width >= 1600 ? 16 : width >= 900 ? 14 : 12;
  return { width, height, font, narrow };
}

/** Most links that animate (see draw). */
const LINKS_ANIMATED = 60;

/** Lay out and draw `graph`; `dur` = its transitions' milliseconds (0: none). Returns nothing. */
function draw(graph, { width, height, font, narrow }, dur) {
  const line = Math.round(font * 1.35);
  const head = font + 10;
  const right = narrow ? Math.round(width * 0.22) : Math.min(190, Math.round(width * 0.14));
  const nodeW = narrow ? 8 : 12;
  // Unchanged sizes are not written again (a write restyles the whole chart).
  const root = svg.node();
  setAttr(root, "viewBox", `0 0 ${width} ${height}`);
  setAttr(root, "width", String(width));
  setAttr(root, "height", String(height));
  if (root.style.fontSize !== `${font}px`) root.style.fontSize = `${font}px`;

  const nodes = graph.nodes.map((n, i) => ({ ...n, index: i }));
  const links = graph.links.map((l) => ({ ...l }));
  const layout = d3sankey()
    .nodeId((d) => d.id)
    .nodeAlign((d) => COLUMNS.indexOf(d.column))
    .nodeSort((a, b) => a.index - b.index)
    .nodeWidth(nodeW)
    .nodePadding(line)
    // Fewer relaxation passes on a phone: each is a pass over every node and link.
    .iterations(narrow ? 3 : 6)
    .extent([
      [1, head],
      [width - right, height - 2],
    ]);
  const tl = performance.now();
  if (nodes.length) layout({ nodes, links });
  drawTimes.layout = performance.now() - tl;

  const x = COLUMNS.map((c) => {
    const n = nodes.find((d) => d.column === c);
    return n ? n.x0 : null;
  });
  const gap = nodes.length ? Math.max(40, (x[1] ?? width) - (x[0] ?? 0) - nodeW - 10) : 80;
  const maxChars = (c) => Math.max(4, Math.floor((c === "country" ? right - 8 : gap) / (font * 0.56)));

  const tr = (sel) => (dur ? sel.transition().duration(dur) : sel);
  const path = sankeyLinkHorizontal();
  const metricWords = (v) => (graph.metric === "connections" ? plural(v, "connection") : formatBytes(v));

  // Column headings.
  const heads = [
    [t("sankey-col-devices"), x[0], "start"],
    [t("sankey-col-domains"), x[1], "start"],
    [t("sankey-col-orgs"), x[2], "start"],
    [t("sankey-col-countries"), x[3], "start"],
  ].filter((d) => d[1] !== null);
  gHeads
    .selectAll("text")
    .data(heads, (d) => d[0])
    .join("text")
    .each(function (d) {
      setAttr(this, "x", String(d[1]));
      setAttr(this, "y", String(font));
      setAttr(this, "text-anchor", d[2]);
      const words = narrow ? d[0].replace(" & services", "") : d[0];
      if (this.textContent !== words) this.textContent = words;
    });

  const labelOf = (d) => d.label;
  const trackerWords = ` ${t("sankey-link-tracker")}`;
  // Each node's words once per render (its label and its title say the same).
  const words = new Map(nodes.map((d) => [d.id, nodeWords(d, graph)]));
  graph.words = words;
  // Many links morph too slowly for a phone: each frame of the transition re-interpolates
  // every path (frames of 0.5 s and more at 4x CPU throttling with a few hundred links). Then
  // the links move at once and only the nodes animate.
  const trL = links.length > LINKS_ANIMATED ? (sel) => sel : tr;
  gLinks
    .selectAll("path.link")
    .data(links, (d) => d.id)
    .join(
      (enter) =>
        enter
          .append("path")
          .attr("d", path)
          .attr("stroke-width", (d) => Math.max(1, d.width))
          .call((e) => (trL === tr && dur ? e.style("opacity", 0).call((e_) => tr(e_).style("opacity", null)) : e)),
      (update) =>
        update.call((u) =>
          trL === tr && dur
            ? tr(u).attr("d", path).attr("stroke-width", (d) => Math.max(1, d.width))
            : u.each(function (d) {
                setAttr(this, "d", path(d));
                setAttr(this, "stroke-width", String(Math.max(1, d.width)));
              }),
        ),
      (exit) => exit.call((x_) => (trL === tr && dur ? tr(x_).style("opacity", 0).remove() : x_.remove())),
    )
    .each(function (d) {
      // Unchanged attributes and words are not written again (a DOM change per link per
      // update costs a phone).
      setAttr(this, "class", d.tracker ? "link tracker" : "link");
      setAttr(this, "data-tracker", String(d.tracker));
      setAttr(this, "data-id", d.id);
      let title = this.firstChild;
      if (!title) title = this.appendChild(document.createElementNS(SVG_NS, "title"));
      const words = `${labelOf(d.source)} → ${labelOf(d.target)}: ${metricWords(d.value)}${d.tracker ? trackerWords : ""}`;
      if (title.textContent !== words) title.textContent = words;
    });

  const g = gNodes
    .selectAll("g.node")
    .data(nodes, (d) => d.id)
    .join(
      (enter) => {
        const e = enter
          .append("g")
          .attr("tabindex", 0)
          .attr("role", "button")
          .attr("transform", (d) => `translate(${d.x0},${d.y0})`)
          .style("opacity", 0);
        e.append("rect");
        e.append("text");
        e.append("title");
        tr(e).style("opacity", null);
        return e;
      },
      (update) => update.call((u) => tr(u).attr("transform", (d) => `translate(${d.x0},${d.y0})`)),
      (exit) => exit.call((x_) => tr(x_).style("opacity", 0).remove()),
    )
    .each(function (d) {
      setAttr(this, "class", `node col-${d.column}${d.tracker ? " tracker" : ""}${d.other ? " other" : ""}${d.you ? " you" : ""}`);
      setAttr(this, "data-column", d.column);
      setAttr(this, "data-id", d.id);
      setAttr(this, "data-tracker", String(d.tracker));
      setAttr(this, "aria-label", words.get(d.id));
      setAttr(this, "aria-pressed", String(state.pinned === d.id));
    });
  // On a phone an update moves the nodes (one transition each) and sizes them at once: three
  // transitions per node cost a cheap phone tens of milliseconds per update.
  const trSize = narrow ? (sel) => sel : tr;
  trSize(g.select("rect"))
    .attr("width", (d) => d.x1 - d.x0)
    .attr("height", (d) => Math.max(2, d.y1 - d.y0));
  g.select("text").each(function (d) {
    setAttr(this, "x", String(d.x1 - d.x0 + 5));
    setAttr(this, "text-anchor", "start");
    const label = truncate(`${d.tracker ? "⚠ " : ""}${d.label}`, maxChars(d.column));
    if (this.textContent !== label) this.textContent = label;
  });
  if (dur && !narrow) tr(g.select("text")).attr("y", (d) => Math.max(2, d.y1 - d.y0) / 2).attr("dy", "0.35em");
  else
    g.select("text").each(function (d) {
      setAttr(this, "y", String(Math.max(2, d.y1 - d.y0) / 2));
      setAttr(this, "dy", "0.35em");
    });
  g.select("title").each(function (d) {
    const w = words.get(d.id);
    if (this.textContent !== w) this.textContent = w;
  });

  applyHighlight();
  drawTimes.dom = performance.now() - tl - drawTimes.layout;
}

/** Set an attribute only when it changes (each write makes the browser look at the element
 * again on the next layout). */
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function nodeWords(d, graph) {
  const v = graph.metric === "connections" ? plural(d.value, "connection") : formatBytes(d.value);
  const share = formatShare(d.value, graph.total);
  const trackerPart = d.tracker ? `; ${t("sankey-node-tracker", { value: graph.metric === "connections" ? plural(d.trackerValue, "connection") : formatBytes(d.trackerValue) })}` : "";
  return `${d.label}: ${v} (${share})${trackerPart}`;
}

/** Whether the last applyHighlight lit anything (nothing lit before or now: no node or link to
 * touch, on every update of a phone nobody points at). */
let lit = false;

function applyHighlight() {
  const graph = state.graph;
  const id = state.pinned || state.hover;
  const sets = graph ? highlightSets(graph, id) : null;
  if (sets || lit) {
    svg.classed("highlighting", !!sets);
    gNodes.selectAll("g.node").classed("lit", (d) => !!sets && sets.nodes.has(d.id)).attr("aria-pressed", (d) => String(state.pinned === d.id));
    gLinks.selectAll("path.link").classed("lit", (d) => !!sets && sets.links.has(d.id));
  }
  lit = !!sets;
  if (sets && graph) {
    const n = graph.nodes.find((x) => x.id === id);
    const countIn = (col) => [...sets.nodes].filter((x) => x.startsWith(`${col}:`)).length;
    const parts = [];
    if (n.column !== "device") parts.push(plural(countIn("device"), "device"));
    if (n.column !== "org") parts.push(plural(countIn("org"), "company"));
    if (n.column !== "country") parts.push(plural(countIn("country"), "country"));
    const words = t(state.pinned ? "sankey-showing" : "sankey-pointing", { what: (graph.words && graph.words.get(n.id)) || nodeWords(n, graph), parts: parts.join(", ") });
    if (focusLine.textContent !== words) focusLine.textContent = words;
  } else {
    const words = t("sankey-focus-hint");
    if (focusLine.textContent !== words) focusLine.textContent = words;
  }
}

gNodes
  .on("pointerover", (e) => {
    const g = e.target.closest("g.node");
    if (!g || e.pointerType === "touch") return;
    state.hover = g.dataset.id;
    applyHighlight();
  })
  .on("pointerout", (e) => {
    if (!e.target.closest("g.node")) return;
    state.hover = null;
    applyHighlight();
  })
  .on("click", (e) => {
    const g = e.target.closest("g.node");
    if (!g) return;
    state.pinned = state.pinned === g.dataset.id ? null : g.dataset.id;
    applyHighlight();
  })
  .on("keydown", (e) => {
    const g = e.target.closest("g.node");
    if (!g) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      state.pinned = state.pinned === g.dataset.id ? null : g.dataset.id;
      applyHighlight();
    }
  })
  .on("focusin", (e) => {
    const g = e.target.closest("g.node");
    if (g) {
      state.hover = g.dataset.id;
      applyHighlight();
    }
  })
  .on("focusout", () => {
    state.hover = null;
    applyHighlight();
  });
svg.on("click", (e) => {
  if (!e.target.closest("g.node") && state.pinned) {
    state.pinned = null;
    applyHighlight();
  }
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && (state.pinned || state.hover)) {
    state.pinned = null;
    state.hover = null;
    applyHighlight();
  }
});

// Updates animate only now and then (see lib/motion.js): not on a fast stream, not for a
// phone that asks for reduced motion.
const sankeyMotion = motion(svg.node(), { durationMs: 550 });

/** Most links drawn: on a phone (each update lays out and redraws them all: 250 took 40–90 ms
 * of d3-sankey layout and DOM at 4x CPU throttling on a busy machine, 150 up to 65 ms; 100
 * keep an update within the 100 ms budget), on a wider screen. */
const LINK_BUDGET = { narrow: 100, wide: 800 };

function topN(d) {
  const line = Math.round(d.font * 1.35);
  return Math.min(40, Math.max(4, Math.floor((0.62 * (d.height - d.font - 12)) / line)));
}

// The rows' keys numbered once while the stream brings the same row objects (lib/live.js
// replaces only the rows that changed).
const rowCache = graphCache();
/** Where the last draw's time went (layout, DOM), for the `wf-render` measure. */
const drawTimes = { layout: 0, dom: 0 };

/** Build, lay out and draw; returns the milliseconds it took. */
function render(data, { animate = true, keepOrder = true } = {}) {
  const t0 = performance.now();
  const d = dims();
  const tDims = performance.now();
  let builds = 0;
  const build = (n) =>
    (builds += 1) &&
    buildGraph(data, {
      metric: state.metric,
      device: state.device,
      topN: n,
      order: keepOrder ? state.order : null,
      countryName,
      cache: rowCache,
    });
  // Links grow with the square of the nodes per column: a big class at the full top N is
  // hundreds of links redrawn on every update, too many for a phone (and to read). Fewer
  // nodes per column then, to fit the budget; the smaller N is kept for the next updates
  // (which look alike), and grows back two at a time while the graph is well within the
  // budget (two more nodes per column from under half the budget stay under it). Going
  // straight back to the full N made every other update build the graph twice.
  const budget = d.narrow ? LINK_BUDGET.narrow : LINK_BUDGET.wide;
  const full = topN(d);
  let n = Math.min(full, state.topNCap);
  let graph = build(n);
  if (graph.links.length > budget && n > 6) {
    // Links do not grow exactly with the square: a second try may still be over, and the
    // N found here serves the next updates, so it is found now (at most three builds).
    while (graph.links.length > budget && n > 6 && builds < 3) {
      n = Math.max(6, Math.floor(n * Math.sqrt(budget / graph.links.length)));
      graph = build(n);
    }
    state.topNCap = n;
  } else if (graph.links.length < budget / 2) {
    state.topNCap = n + 2 >= full ? Infinity : n + 2;
  }
  state.graph = graph;
  const t1 = performance.now();
  // The words above the chart first: they may move it down a line, which the next render's
  // measure finds (measuring again now would lay the page out once more in this task: tens
  // of milliseconds on a cheap phone, on every update, since the totals change).
  describe(data, graph);
  const t2 = performance.now();
  // On a phone only the first drawing animates (it fades in): moving a few dozen nodes on
  // every slow update cost a cheap phone 30–80 ms more per update (issue 16's budget is 100).
  const dur = sankeyMotion.next(animate && !(d.narrow && state.drawn));
  state.drawn = true;
  draw(graph, d, dur);
  // A taller screen than the feed was folded for: the feed with every node it can show.
  if (topN(d) > foldTop && foldTop < FOLD_TOP.wide) {
    foldTop = FOLD_TOP.wide;
    live.refresh();
  }
  state.order = stableOrder(graph);
  const ms = performance.now() - t0;
  chart.dataset.renderMs = ms.toFixed(1);
  // Each update's render, for the browser test on a throttled CPU (e2e/throttle.mjs).
  // Only the latest is kept (an open page would collect them for hours); the test observes them.
  performance.clearMeasures("wf-render");
  performance.measure("wf-render", { start: t0, detail: { view: "sankey", rows: (data.paths || []).length, paths: data.paths_total ?? (data.paths || []).length, animated: dur > 0, graph_ms: t1 - t0, dims_ms: tDims - t0, builds, words_ms: t2 - t1, layout_ms: drawTimes.layout, dom_ms: drawTimes.dom } });
  return ms;
}

/** The `n` rows of the most bytes, biggest first, without sorting them all (rows the server
 * folded are no path of their own: left out; the biggest paths are never folded). */
function biggest(rows, n) {
  const size = (r) => (r.bytes_up || 0) + (r.bytes_down || 0);
  const top = [];
  for (const r of rows) {
    if (r.other) continue;
    const s = size(r);
    if (top.length === n && s <= size(top[n - 1])) continue;
    let i = top.length;
    while (i > 0 && size(top[i - 1]) < s) i -= 1;
    top.splice(i, 0, r);
    if (top.length > n) top.pop();
  }
  return top;
}

function describe(data, graph) {
  const all = data.paths || [];
  const rows = state.device ? all.filter((r) => r.device === state.device) : all;
  // The counts come from the graph's own pass over the rows (tens of thousands on a big
  // class, on every update).
  const devices = graph.distinct.device;
  const orgs = graph.distinct.org;
  const countries = graph.distinct.country;
  const { bytes, trackerBytes } = graph;
  const when = WINDOW_WORDS[state.window] ? t(WINDOW_WORDS[state.window]) : "";
  // Whether anything above the chart changed (see render).
  let moved = false;
  if (empty.hidden !== graph.nodes.length > 0) {
    empty.hidden = graph.nodes.length > 0;
    moved = true;
  }
  svg.attr("hidden", graph.nodes.length ? null : "");
  let words;
  if (!rows.length) {
    words = t("sankey-none", { when });
  } else {
    const who = data.privacy && !state.device ? t("sankey-privacy-who") : plural(devices, "device");
    words = t("sankey-summary", {
      who,
      bytes: formatBytes(bytes),
      orgs: plural(orgs, "company"),
      countries: plural(countries, "country"),
      when,
      share: formatShare(trackerBytes, bytes),
    });
  }
  if (summary.textContent !== words) {
    summary.textContent = words;
    moved = true;
  }
  // The same as a list: the biggest paths, for screen readers and anyone who prefers words.
  const top = biggest(rows, 12);
  const names = new Map((data.devices || []).map((x) => [x.id, deviceLabel(x)]));
  const key = JSON.stringify([...names.entries(), ...top.map((r) => [r.device, r.domain, r.org, r.country, r.bytes_up + r.bytes_down, r.tracker])]);
  fillChanged(table.tBodies[0], key, () =>
    top.map((r) =>
      h(
        "tr",
        { class: r.tracker ? "tracker" : null },
        h("td", {}, names.get(r.device) || r.device),
        h("td", {}, r.domain || t("name-no-dns")),
        h("td", {}, r.org || t("name-unknown")),
        h("td", {}, r.country ? countryName(r.country) : t("name-unknown")),
        h("td", { class: "num" }, formatBytes(r.bytes_up + r.bytes_down)),
        h("td", {}, r.tracker ? h("span", { class: "badge tracker" }, t("sankey-badge-tracker")) : ""),
      ),
    ),
  );
  table.hidden = top.length === 0;
  return moved;
}

function syncDevices(data) {
  const list = data.devices || [];
  const current = state.device;
  // The same devices as last time: nothing to do (every update brings the list).
  const key = JSON.stringify([current, list]);
  if (select_.wfFilled === key) return;
  select_.wfFilled = key;
  const opts = [h("option", { value: "" }, t("all-devices", { n: list.length }))];
  for (const d of list) opts.push(h("option", { value: d.id, selected: d.id === current }, d.you ? t("name-you", { name: deviceLabel(d) }) : deviceLabel(d)));
  if (current && !list.some((d) => d.id === current)) opts.push(h("option", { value: current, selected: true }, t("device-not-seen", { id: current })));
  fill(select_, opts);
  select_.value = current;
}

// The rows folded to what the page draws (the top of each column by the metric shown, of the
// device chosen; docs/API.md `fold`).
const isAddress = (d) => d.includes(".") || d.includes(":");
const url = () =>
  `/api/v1/paths?window=${encodeURIComponent(state.window)}&fold=${state.metric}&top=${foldTop}${state.device && isAddress(state.device) ? `&device=${encodeURIComponent(state.device)}` : ""}`;
/** Nodes per column the feed keeps (`top`): a phone shows at most 20 (see topN). */
const FOLD_TOP = { narrow: 20, wide: 40 };
let foldTop = topN(dims()) <= FOLD_TOP.narrow ? FOLD_TOP.narrow : FOLD_TOP.wide;
const pushParams = () => `fold=${state.metric}&top=${foldTop}${state.device ? `&device=${encodeURIComponent(state.device)}` : ""}`;
let resolveReady;
const ready = new Promise((r) => {
  resolveReady = r;
});

const show = (data) => {
  if (state.frozen) return;
  state.data = data;
  syncDevices(data);
  render(data, { animate: !REDUCED_MOTION });
};
const idle = { pause() {}, resume() {}, refresh() {}, onEvent() {} };
const marks = REPLAY ? idle : startMarks({ sinceOn: () => state.window === "mark" });
const live = REPLAY
  ? idle
  : startLive({
      url,
      push: () => state.window,
      pushParams,
      prepare: (r) => primeRow(rowCache, r),
      status: byId("live-status"),
      listen: ["mark"],
      onEvent: (name, data) => marks.onEvent(name, data),
      onData: (data) => {
        if (state.frozen) return;
        state.data = data;
        syncDevices(data);
        render(data, { animate: true });
        resolveReady(true);
      },
      onError: () => resolveReady(false),
    });
if (REPLAY) startReplay({ id: REPLAY, onFrame: show }).then(resolveReady);

/** A user's change (window, metric, device): new order by size, redrawn at once. */
function changed() {
  setParams({ window: state.window === "300" ? null : state.window, metric: state.metric === "bytes" ? null : state.metric, device: state.device || null });
  state.order = null;
  state.pinned = null;
  state.topNCap = Infinity;
  if (state.data) render(state.data, { animate: true, keepOrder: false });
}

if (document.getElementById("window")) windowButtons(byId("window"), state.window, (w) => {
  state.window = w;
  state.order = null;
  marks.refresh();
  changed();
  live.refresh();
});
const metricButtons = byId("metric");
const setMetric = (m) => {
  for (const b of metricButtons.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.metric === m));
};
setMetric(state.metric);
metricButtons.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-metric]");
  if (!b) return;
  state.metric = b.dataset.metric;
  setMetric(state.metric);
  changed();
  // The stream folded by the other metric (its first snapshot redraws).
  live.refresh();
});
select_.addEventListener("change", () => {
  state.device = select_.value;
  changed();
  // The device's own feed (its own top websites).
  live.refresh();
});
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => state.data && render(state.data, { animate: false }), 150);
});

// For the browser benchmark and tests: render given paths (pauses the live view), and a
// synthetic input generator.
// (Added to what lib/marks.js and lib/replay.js put there.)
window.whereflow = Object.defineProperties(window.whereflow || {}, Object.getOwnPropertyDescriptors({
  ready,
  renderSankey(paths, options = {}) {
    state.frozen = true;
    live.pause();
    if (options.metric) state.metric = options.metric === "connections" ? "connections" : "bytes";
    if ("device" in options) state.device = options.device || "";
    const data = Array.isArray(paths) ? { devices: options.devices || [], paths } : paths;
    state.data = data;
    syncDevices(data);
    return render(data, { animate: !!options.animate, keepOrder: !!options.keepOrder });
  },
  resume() {
    state.frozen = false;
    live.resume();
  },
  synthetic,
  get graph() {
    return state.graph;
  },
}));
