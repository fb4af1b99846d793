// The session's timeline as a small SVG chart: stacked bars of bytes per time step per
// company (`GET /api/v1/timeline`), the teacher's marks as labelled vertical lines. Plain
// DOM, no chart library. Colours are classes (tl-0 … tl-9 in style.css): the page's
// Content-Security-Policy refuses inline styles.
import { formatBytes } from "./format.js";
import { fill, h, SVG_NS } from "./dom.js";
import { intlLocale, t } from "./i18n.js";

/** The series the server names for groups, not companies, in the page's words. */
const GROUPS = { Other: "timeline-other", Unknown: "timeline-unknown", Hidden: "timeline-hidden" };
const orgName = (org) => (GROUPS[org] ? t(GROUPS[org]) : org);

const W = 720;
const H = 180;
const PAD = { left: 56, right: 8, top: 22, bottom: 20 };

function el(tag, attrs = {}, text = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

const hhmm = (ms) => new Date(ms).toLocaleTimeString(intlLocale(), { hour: "2-digit", minute: "2-digit" });

/** Draw `data` (the timeline JSON) into `svg`, its companies into the `legend` list. */
export function drawTimeline(svg, legend, data) {
  const steps = Math.max(1, data.steps || 1);
  const series = data.series || [];
  const start = Date.parse(data.start);
  const step = data.step_ms || 60000;
  const totals = Array.from({ length: steps }, (_, i) => series.reduce((s, x) => s + (x.bytes[i] || 0), 0));
  const max = Math.max(1, ...totals);
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const bw = iw / steps;
  const x = (ms) => PAD.left + ((ms - start) / (step * steps)) * iw;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const parts = [];
  parts.push(el("line", { class: "tl-axis", x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
  parts.push(el("text", { class: "tl-tick", x: PAD.left - 4, y: PAD.top + 4, "text-anchor": "end" }, formatBytes(max)));
  parts.push(el("text", { class: "tl-tick", x: PAD.left, y: H - 4 }, hhmm(start)));
  parts.push(el("text", { class: "tl-tick", x: W - PAD.right, y: H - 4, "text-anchor": "end" }, hhmm(start + step * steps)));
  for (let i = 0; i < steps; i += 1) {
    let y = H - PAD.bottom;
    series.forEach((s, k) => {
      const v = s.bytes[i] || 0;
      if (!v) return;
      const hgt = (v / max) * ih;
      y -= hgt;
      const r = el("rect", { class: `tl-bar tl-${k % 10}`, x: PAD.left + i * bw, y, width: Math.max(1, bw - 1), height: hgt });
      r.append(el("title", {}, `${hhmm(start + i * step)}: ${orgName(s.org)}, ${formatBytes(v)}`));
      parts.push(r);
    });
  }
  for (const m of data.marks || []) {
    const mx = Math.min(W - PAD.right, Math.max(PAD.left, x(Date.parse(m.at))));
    parts.push(el("line", { class: "tl-mark", x1: mx, x2: mx, y1: PAD.top - 4, y2: H - PAD.bottom, "data-mark": m.id }));
    parts.push(el("text", { class: "tl-mark-label", x: mx + 3, y: PAD.top - 8 }, m.label.length > 24 ? `${m.label.slice(0, 23)}…` : m.label));
  }
  svg.replaceChildren(...parts);
  svg.dataset.steps = String(steps);
  if (legend) {
    fill(
      legend,
      series.map((s, k) =>
        h("li", {}, h("span", { class: `swatch tl-${k % 10}`, "aria-hidden": "true" }), `${orgName(s.org)} (${formatBytes(s.bytes.reduce((a, b) => a + b, 0))})`),
      ),
    );
  }
}
