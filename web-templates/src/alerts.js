// The alerts page, live: the server renders the list (it works without JavaScript); this
// re-reads /api/v1/alerts soon after `alert` / `alert_update` events on the event stream (and
// every 10 s), applies the filter without a reload, and lets a logged-in admin ignore an
// alert for an hour through the JSON API (the page's forms do the same without script).
// Test hooks: #alerts-list li[data-alert-id], .alert-count, .alert-ignored.
import { alertsSummary, alertsUrl } from "./lib/alerts.js";
import { alertItem, pageKinds } from "./lib/alert-dom.js";
import { fetchJson, startLive } from "./lib/live.js";
import { byId, h, setParams } from "./lib/dom.js";
import { t } from "./lib/i18n.js";
import { deviceName } from "./lib/format.js";

const PAGE_MAX = 500;

const list = document.getElementById("alerts-list");
if (list) start(list);

function start(list) {
  const kinds = pageKinds();
  const csrf = list.dataset.csrf || "";
  const form = byId("alerts-filter");
  const kindSel = byId("filter-kind");
  const devSel = document.getElementById("filter-device");
  const summary = byId("alerts-summary");
  const empty = byId("alerts-empty");
  const apply = document.getElementById("filter-apply");
  if (apply) apply.hidden = true; // the filter applies as it changes

  /** alert id -> RFC 3339 end of an ignore made from it (admin only). */
  let ignored = new Map();
  let last = null;
  let drawn = "";

  const filter = () => ({ kind: kindSel.value, device: devSel ? devSel.value : "" });

  /** Devices that got alerts since the page was rendered join the filter. */
  function addDevices(alerts) {
    if (!devSel) return;
    const have = new Set([...devSel.options].map((o) => o.value));
    for (const a of alerts) {
      if (a.device_ip && a.device_name && !have.has(a.device_ip)) {
        devSel.append(h("option", { value: a.device_ip }, deviceName(a.device_name, a.device_name_words)));
        have.add(a.device_ip);
      }
    }
  }

  function draw() {
    if (!last || !last.enabled) return;
    const alerts = last.alerts || [];
    // Nothing changed: leave the list (and whatever has focus in it) alone.
    const key = JSON.stringify([
      alerts.map((a) => [a.id, a.count, a.last_seen, a.device_name]),
      [...ignored],
      filter(),
    ]);
    if (key === drawn) return;
    drawn = key;
    const focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.closest("[data-alert-id]")?.dataset.alertId
      : null;
    list.replaceChildren(
      ...alerts.map((a) => alertItem(a, { kinds, csrf, ignoredUntil: ignored.get(a.id) || null })),
    );
    if (focused) list.querySelector(`[data-alert-id="${focused}"] button`)?.focus();
    summary.textContent = alertsSummary(alerts.length, Number(last.total) || alerts.length);
    const f = filter();
    empty.textContent = f.kind || f.device ? t("alerts-no-match") : t("alerts-nothing");
    empty.hidden = alerts.length > 0;
    addDevices(alerts);
  }

  async function readIgnores() {
    try {
      const data = await fetchJson("/api/v1/alerts/ignores");
      const next = new Map();
      for (const t of data.ignores || []) {
        if (t.alert_id === null || t.alert_id === undefined) continue;
        const prev = next.get(t.alert_id);
        if (!prev || Date.parse(t.expires) > Date.parse(prev)) next.set(t.alert_id, t.expires);
      }
      ignored = next;
    } catch {
      // Logged out meanwhile: the buttons stay; pressing one says so.
    }
  }

  const live = startLive({
    url: () => alertsUrl({ ...filter(), limit: PAGE_MAX }),
    status: byId("live-status"),
    events: ["alert", "alert_update", "lagged"],
    fast: ["alert", "alert_update"],
    onData: (data) => {
      last = data;
      // An admin's list waits for the ignores, so an ignored alert never flashes its button.
      if (csrf) readIgnores().then(draw);
      else draw();
    },
  });

  function changed() {
    const f = filter();
    setParams({ kind: f.kind, device: f.device, done: null });
    drawn = "";
    live.refresh();
  }
  kindSel.addEventListener("change", changed);
  if (devSel) devSel.addEventListener("change", changed);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    changed();
  });

  // "Ignore for 1 hour": the JSON endpoint with this login's CSRF token.
  list.addEventListener("submit", async (e) => {
    const f = e.target.closest("form.alert-ignore");
    if (!f || !csrf) return;
    e.preventDefault();
    const item = f.closest("[data-alert-id]");
    const id = Number(item.dataset.alertId);
    const button = f.querySelector("button");
    button.disabled = true;
    button.textContent = "Ignoring…";
    item.querySelector(".alert-error")?.remove();
    let why = null;
    try {
      const res = await fetch(`/api/v1/alerts/${id}/ignore`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ minutes: 60 }),
      });
      if (res.status === 201) {
        const body = await res.json();
        ignored.set(id, body.ignore.expires);
        drawn = "";
        draw();
        list.querySelector(`[data-alert-id="${id}"] .alert-ignored`)?.setAttribute("role", "status");
        return;
      }
      if (res.status === 401) why = t("alerts-login-ended");
      else if (res.status === 403) why = t("alerts-refused");
      else if (res.status === 404) why = t("alerts-gone");
      else why = t("alerts-not-ignored-status", { status: String(res.status) });
    } catch (err) {
      why = t("alerts-unreachable", { error: err.message });
    }
    button.disabled = false;
    button.textContent = t("alert-ignore");
    f.after(h("p", { class: "alert-error", role: "alert" }, why));
  });
}
