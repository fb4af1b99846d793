// "My device", live: the page is rendered by the server from the same data (it works without
// JavaScript); this refreshes it from /api/v1/me when the device's flows or DNS answers change
// and every 10 s, and when an alert about it is raised or grows. Test hooks: #me-name,
// #me-ip, #me-alerts li[data-alert-id].
import { deviceName, formatBytes } from "./lib/format.js";
import { startLive } from "./lib/live.js";
import { byId, categories, countryName, fill, h } from "./lib/dom.js";
import { alertItem, pageKinds } from "./lib/alert-dom.js";
import { t } from "./lib/i18n.js";

const name = byId("me-name");
const ip = byId("me-ip");
const orgs = byId("me-orgs");
const countries = byId("me-countries");
const timeline = byId("me-timeline");
const alertsList = document.getElementById("me-alerts");
const alertsEmpty = document.getElementById("me-alerts-empty");
const kinds = pageKinds();
const cats = categories();

function figure(key, value) {
  const el = document.querySelector(`[data-me="${key}"]`);
  if (el) el.textContent = value;
}

function emptyNote(key, show, words) {
  let el = document.querySelector(`[data-empty="${key}"]`);
  if (show && !el) {
    el = h("p", { class: "muted", "data-empty": key }, words);
    (key === "orgs" ? orgs.closest(".table-wrap") : timeline).after(el);
  } else if (!show && el) {
    el.remove();
  }
}

function render(me) {
  name.textContent = deviceName(me.name, me.name_words);
  const you = byId("me-pseudonym");
  if (you && me.pseudonym) you.textContent = `${me.emoji} ${deviceName(me.pseudonym, me.pseudonym_words)}`;
  const shown = byId("me-group-name");
  if (shown && me.group_name) shown.textContent = deviceName(me.group_name, me.group_name_words);
  ip.textContent = me.ip;
  const unknown = document.getElementById("me-unknown");
  if (unknown && me.known) unknown.hidden = true;
  figure("sent", formatBytes(me.bytes_up));
  figure("received", formatBytes(me.bytes_down));
  figure("trackers", String(me.trackers));
  figure("orgs", String(me.orgs.length));
  figure("countries", String(me.countries.length));

  fill(
    orgs.tBodies[0],
    me.orgs.map((o) =>
      h(
        "tr",
        { class: o.tracker ? "tracker" : null },
        h("td", {}, o.tracker ? "⚠ " : "", o.org),
        h(
          "td",
          {},
          h("span", { class: `swatch cat-${o.category || "other"}`, "aria-hidden": "true" }),
          cats.get(o.category)?.label || t("me-unknown-kind"),
          o.tracker ? [" ", h("span", { class: "badge tracker" }, t("badge-tracker"))] : null,
        ),
        h("td", {}, o.countries.map((c) => countryName(c)).join(", ")),
        h("td", { class: "num", "data-unit": t("unit-sent") }, formatBytes(o.bytes_up)),
        h("td", { class: "num", "data-unit": t("unit-received") }, formatBytes(o.bytes_down)),
      ),
    ),
  );
  emptyNote("orgs", me.orgs.length === 0, t("me-no-connections"));

  fill(
    countries.tBodies[0],
    me.countries.map((c) =>
      h(
        "tr",
        {},
        h("td", {}, countryName(c.code) || c.name),
        h("td", { class: "num" }, formatBytes(c.bytes)),
        h("td", { class: "num", "data-unit": t("unit-connections") }, String(c.connections)),
      ),
    ),
  );

  fill(
    timeline,
    me.timeline.map((l) =>
      h(
        "li",
        { class: l.tracker ? "tracker" : null },
        h("time", { datetime: l.at_iso }, l.at_time),
        h(
          "span",
          { class: "what" },
          l.tracker ? "⚠ " : "",
          l.name,
          l.org ? [" ", h("span", { class: "muted" }, `(${l.org})`)] : null,
          l.tracker ? [" ", h("span", { class: "badge tracker" }, t("badge-tracker"))] : null,
          l.blocked ? [" ", h("span", { class: "badge blocked" }, t("badge-blocked"))] : null,
        ),
      ),
    ),
  );
  emptyNote("timeline", me.timeline.length === 0, t("me-no-lookups"));

  if (alertsList && me.alerts_enabled) {
    const alerts = me.alerts || [];
    fill(alertsList, alerts.map((a) => alertItem(a, { kinds, showDevice: false })));
    if (alertsEmpty) alertsEmpty.hidden = alerts.length > 0;
  }
}

startLive({
  url: () => "/api/v1/me",
  status: byId("live-status"),
  events: ["flow_new", "flow_update", "flow_closed", "dns", "alert", "alert_update", "lagged"],
  fast: ["flow_new", "alert"],
  onData: render,
});
