// Small formatting helpers shared by every view (pure; unit-tested).

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** "1.2 MB": decimal units, the way phones count data. */
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 0) return "–";
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i += 1;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  return `${v.toFixed(digits).replace(/\.0$/, "")} ${UNITS[i]}`;
}

/** "1,234" with the reader's separators. */
export function formatCount(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–";
}

/** "3 devices" / "1 device". */
export function plural(n, one, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "37%": share of a total, "0%" when the total is 0. */
export function formatShare(part, total) {
  if (!total) return "0%";
  const p = (100 * part) / total;
  if (p > 0 && p < 1) return "<1%";
  return `${Math.round(p)}%`;
}

/** A device as the group views show it: its emoji (from its pseudonym) and its name
 * (nickname, else pseudonym: "🦦 Blue Otter"), from a `/api/v1/paths` `devices` entry. */
export function deviceLabel(d) {
  if (!d || !d.name) return "";
  return d.emoji ? `${d.emoji} ${d.name}` : d.name;
}

/** Cut a label to `max` characters with an ellipsis (the full text goes in a title). */
export function truncate(text, max) {
  // By code points, so an emoji in a name is never cut in half.
  const s = Array.from(String(text));
  if (max < 2) return s.slice(0, Math.max(0, max)).join("");
  return s.length > max ? `${s.slice(0, max - 1).join("")}…` : s.join("");
}

/** The words for an RFC 3339 time relative to `now` ("12 s ago"). */
export function ago(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}
