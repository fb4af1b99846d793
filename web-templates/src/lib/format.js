// Small formatting helpers shared by every view (pure; unit-tested), in the page's
// language (lib/i18n.js): Intl for numbers, the catalogue for words.
import { intlLocale, language, pseudonymName, t } from "./i18n.js";

const UNITS = ["B", "kB", "MB", "GB", "TB"];

// Formatters by language and options, made once: a new Intl.NumberFormat costs far more than
// a format, and a sankey update formats hundreds of numbers (a phone felt it).
const formatters = new Map();
function numberFormat(options) {
  const key = `${intlLocale()}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(), options);
    formatters.set(key, f);
  }
  return f;
}

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
  const shown = numberFormat({ maximumFractionDigits: digits }).format(v);
  return isolated(`${shown} ${UNITS[i]}`);
}

/** `text` (a figure with a Latin unit) kept whole in a right-to-left page: without the
 * isolate marks Arabic pages would show "417 kB" as "kB 417" (as the server's `Tr::bytes`). */
function isolated(text) {
  return language() === "ar" ? `\u2068${text}\u2069` : text;
}

/** "1,234" with the reader's separators. */
export function formatCount(n) {
  return Number.isFinite(n) ? numberFormat({}).format(Math.round(n)) : "–";
}

/** "3 devices" / "1 device": `what` is one of the catalogue's `count-<what>` messages. */
export function plural(n, what) {
  return t(`count-${what}`, { n });
}

/** "37%": share of a total, "0%" when the total is 0. */
export function formatShare(part, total) {
  const pct = (x) => numberFormat({ style: "percent", maximumFractionDigits: 0 }).format(x);
  if (!total) return pct(0);
  const p = part / total;
  if (p > 0 && p < 0.01) return `<${pct(0.01)}`;
  return pct(Math.round(p * 100) / 100);
}

/** A device's name in the page's language: a name the appliance made up ("Device .10",
 * "Hidden device") comes with its catalogue message (`words`: `{id, args}`, the API's
 * `name_words`); any other name (nickname, host name, pseudonym) is shown as it is. */
export function deviceName(name, words) {
  if (words && (words.id === "pseudonym" || words.id === "pseudonym-numbered")) return pseudonymName(words);
  if (words && words.id) return t(words.id, words.args || {});
  return name || "";
}

/** A device as the group views show it: its emoji (from its pseudonym) and its name
 * (nickname, else pseudonym: "🦦 Blue Otter"), from a `/api/v1/paths` `devices` entry. */
export function deviceLabel(d) {
  if (!d || !d.name) return "";
  const name = deviceName(d.name, d.name_words);
  return d.emoji ? `${d.emoji} ${name}` : name;
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
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return "";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return t("ago-seconds", { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return t("ago-minutes", { n: m });
  return t("ago-hours", { n: Math.round(m / 60) });
}
