// Alerts as the views show them (pure; unit-tested): the words for kinds, times, counts and
// the other side (the same as the server renders, appliance/src/web/alerts/listing.rs), the filter,
// a live list kept in order, and the presenter's ticker lines and sound pacing. The words
// come from the page's catalogue (lib/i18n.js, views.ftl).
import { t, utcOffsetMinutes } from "./i18n.js";
import { deviceName } from "./format.js";

/** Kind id -> `{id, label, icon}` from the list the pages embed (`#alert-kinds-data`). */
export function kindsMap(list) {
  return new Map((list || []).map((k) => [k.id, k]));
}

/** A kind's words and symbol; an unknown kind (a newer appliance) still reads. */
export function kindInfo(kinds, id) {
  const k = kinds && kinds.get(id);
  if (k) return k;
  const words = String(id || "alert").replace(/_/g, " ");
  return { id, label: words.charAt(0).toUpperCase() + words.slice(1), icon: "!" };
}

const pad = (n) => String(n).padStart(2, "0");

/** As the server shows it, on the reader's clock (`offset`: minutes east of UTC, the
 * browser's by default, as the `wf_tz` cookie tells the server): "10:02:03" for today, else
 * the date too, in the language's order (`date-time`: "2026-11-20 10:02", "20.11.2026, 10:02"). */
export function alertTime(iso, now = Date.now(), offset = utcOffsetMinutes()) {
  const shift = (Number(offset) || 0) * 60000;
  const at = new Date(new Date(iso).getTime() + shift);
  if (Number.isNaN(at.getTime())) return "";
  const n = new Date(new Date(now).getTime() + shift);
  const sameDay =
    at.getUTCFullYear() === n.getUTCFullYear() && at.getUTCMonth() === n.getUTCMonth() && at.getUTCDate() === n.getUTCDate();
  const clock = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
  if (sameDay) return `${clock}:${pad(at.getUTCSeconds())}`;
  // Strings, not numbers: the year must not get a thousands separator.
  return t("date-time", { year: String(at.getUTCFullYear()), month: pad(at.getUTCMonth() + 1), day: pad(at.getUTCDate()), time: clock });
}

/** "once", "3 times" (`alert-count`). */
export function countWords(n) {
  return t("alert-count", { n: Number(n) || 0 });
}

/** The other side: "name (address)", the name, the address, or "". */
export function remoteWords(a) {
  if (a.domain && a.remote_ip) return `${a.domain} (${a.remote_ip})`;
  return a.domain || a.remote_ip || "";
}

/** What the views call an address they have no name for (as the server does): "Device .10". */
export function addressLabel(ip) {
  const s = String(ip || "");
  if (s.includes(":")) return t("device-address", { tail: `:${s.split(":").filter(Boolean).pop() || "0"}` });
  return t("device-address", { tail: `.${s.split(".").pop()}` });
}

/** The device by name (never a MAC address): the alert's own `device_name`, else one the view
 * knows (`names`: address -> name, e.g. from /api/v1/paths), else a label from its address;
 * "An outside host" for an alert about no device. */
export function deviceWords(a, names = null) {
  if (a.device_name) return deviceName(a.device_name, a.device_name_words);
  if (!a.device_ip) return t("alert-outside-host");
  return (names && names.get(a.device_ip)) || addressLabel(a.device_ip);
}

/** Most recently seen first (then newest id), as the API lists them. */
export function sortAlerts(list) {
  return [...list].sort((a, b) => {
    const t = Date.parse(b.last_seen) - Date.parse(a.last_seen);
    return t || (b.id || 0) - (a.id || 0);
  });
}

/** The list with `alert` added or replaced (by id), in order. An alert from the event stream
 * has no `device_name`: the name already known for it is kept. */
export function upsertAlert(list, alert) {
  const old = list.find((a) => a.id === alert.id);
  const merged =
    old && !alert.device_name && old.device_name
      ? { ...alert, device_name: old.device_name, device_name_words: old.device_name_words }
      : alert;
  return sortAlerts([...list.filter((a) => a.id !== alert.id), merged]);
}

/** Alerts of `kind` (any when empty) about `device` (any when empty). */
export function filterAlerts(list, { kind = "", device = "" } = {}) {
  return list.filter((a) => (!kind || a.kind === kind) && (!device || a.device_ip === device));
}

/** "No alerts", "1 alert", "3 alerts", "The newest 500 of 812 alerts" (as the server says). */
export function alertsSummary(shown, total) {
  if (!total) return t("alerts-none");
  if (shown < total) return t("alerts-newest", { shown, total });
  return t("alerts-count", { n: total });
}

/** `/api/v1/alerts` with the filter (empty values left out). */
export function alertsUrl({ kind = "", device = "", limit = null } = {}) {
  const q = new URLSearchParams();
  if (kind) q.set("kind", kind);
  if (device) q.set("device", device);
  if (limit) q.set("limit", String(limit));
  const s = q.toString();
  return s ? `/api/v1/alerts?${s}` : "/api/v1/alerts";
}

/** What happened, in the page's language when the alert carries its words (`words`: a
 * catalogue message `alert-msg-<id>` and its arguments), else its English `message`. */
export function messageWords(a) {
  if (!a.words || !a.words.id) return String(a.message || "");
  const text = t(`alert-msg-${a.words.id}`, a.words.args || {});
  return text.startsWith("⟦") ? String(a.message || "") : text;
}

/** The first sentence (a message's first sentence says what happened; the rest, why it
 * matters). Dots inside names and addresses do not end a sentence. */
export function firstSentence(text) {
  const s = String(text || "").trim();
  const m = s.match(/^.*?[.!?](?=\s+[A-Z(“"]|$)/s);
  return m ? m[0] : s;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with the device's address replaced by its name (whole addresses only: 192.0.2.1
 * is not a part of 192.0.2.10). */
export function withName(text, ip, name) {
  if (!ip || !name) return String(text || "");
  const re = new RegExp(`(?<![\\w.:])${escapeRe(ip)}(?![\\w:]|\\.\\d)`, "g");
  return String(text || "").replace(re, name);
}

/** One line of the presenter's ticker: who, what (the first sentence, the address replaced by
 * the name, at most `max` characters) and when. */
export function tickerLine(a, kinds, names = null, now = Date.now(), max = 160) {
  const k = kindInfo(kinds, a.kind);
  const who = deviceWords(a, names);
  let text = firstSentence(withName(messageWords(a), a.device_ip, who));
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return { id: a.id, kind: a.kind, label: k.label, icon: k.icon, who, text, time: alertTime(a.last_seen, now), iso: a.last_seen };
}

/** The ticker's alerts: seen within `maxAgeMs`, newest first, at most `max`. */
export function recentAlerts(list, now = Date.now(), maxAgeMs = 30 * 60 * 1000, max = 3) {
  return sortAlerts(list.filter((a) => now - Date.parse(a.last_seen) <= maxAgeMs)).slice(0, max);
}

/** Sound now? Not more than once every `gapMs` (a burst of alerts is one chime). */
export function shouldSound(lastMs, nowMs, gapMs = 2000) {
  return lastMs === null || lastMs === undefined || nowMs - lastMs >= gapMs;
}
