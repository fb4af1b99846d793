// An alert as a list item (browser only): the same markup as the server's
// templates/alert_macros.html, so a live update looks like the page it replaces.
import { alertTime, countWords, deviceWords, kindInfo, kindsMap, messageWords, remoteWords } from "./alerts.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** The kinds' words and symbols the page embeds (`#alert-kinds-data`). */
export function pageKinds() {
  const el = document.getElementById("alert-kinds-data");
  return kindsMap(el ? JSON.parse(el.textContent || "[]") : []);
}

/**
 * `<li class="alert kind-…">` for alert `a`. Options: `kinds` (from [`pageKinds`]),
 * `showDevice` (the alerts page; not the device's own page), `csrf` (an admin: the
 * "ignore for 1 hour" form), `ignoredUntil` (RFC 3339: an ignore made from it is in force),
 * `names` (address -> name for alerts from the event stream), `now`.
 */
export function alertItem(a, { kinds, showDevice = true, csrf = "", ignoredUntil = null, names = null, now = Date.now() } = {}) {
  const k = kindInfo(kinds, a.kind);
  const remote = remoteWords(a);
  let admin = null;
  if (csrf && ignoredUntil) {
    admin = h("p", { class: "alert-ignored" }, t("alert-ignored-until", { time: alertTime(ignoredUntil, now) }));
  } else if (csrf) {
    admin = h(
      "form",
      { method: "post", action: `/alerts/${a.id}/ignore`, class: "alert-ignore" },
      h("input", { type: "hidden", name: "csrf", value: csrf }),
      h("button", { type: "submit", class: "secondary" }, t("alert-ignore")),
    );
  }
  return h(
    "li",
    { class: `alert kind-${a.kind}`, "data-alert-id": a.id, "data-kind": a.kind, "data-device": a.device_ip || null },
    h(
      "p",
      { class: "alert-head" },
      h("span", { class: "alert-kind" }, h("span", { class: "alert-icon", "aria-hidden": "true" }, k.icon), k.label),
      showDevice ? [" ", h("span", { class: "alert-device" }, deviceWords(a, names))] : null,
    ),
    h("p", { class: "alert-message" }, messageWords(a)),
    h(
      "p",
      { class: "alert-meta" },
      remote ? [h("span", {}, `${t("alert-other-side")} `, h("span", { class: "alert-remote" }, remote)), " "] : null,
      h("span", {}, `${t("alert-first-seen")} `, h("time", { class: "alert-first", datetime: a.first_seen }, alertTime(a.first_seen, now))),
      " ",
      h("span", {}, `${t("alert-last-seen")} `, h("time", { class: "alert-last", datetime: a.last_seen }, alertTime(a.last_seen, now))),
      " ",
      h("span", { class: "alert-count" }, countWords(a.count)),
    ),
    admin,
  );
}
