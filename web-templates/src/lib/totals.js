// Group figures for the presenter view: totals, top organizations across the group, and
// trackers per device (by name only). Pure.

function bytesOf(r) {
  return (Number(r.bytes_up) || 0) + (Number(r.bytes_down) || 0);
}

/** `{devices, orgs, countries, bytes, trackerBytes}` over all rows (`devices` null in privacy
 * mode, where the other devices are one). */
import { deviceLabel } from "./format.js";
import { t } from "./i18n.js";
export function groupTotals(data) {
  const rows = (data && data.paths) || [];
  const devices = new Set();
  const orgs = new Set();
  const countries = new Set();
  let bytes = 0;
  let trackerBytes = 0;
  for (const r of rows) {
    devices.add(r.device);
    if (r.org) orgs.add(r.org);
    if (r.country) countries.add(r.country);
    const b = bytesOf(r);
    bytes += b;
    if (r.tracker) trackerBytes += b;
  }
  // In privacy mode every other device is folded into one ("others"): no count to give.
  return {
    devices: data && data.privacy ? null : devices.size,
    orgs: orgs.size,
    countries: countries.size,
    bytes,
    trackerBytes,
  };
}

/** The `n` organizations with the most bytes: `{org, bytes, devices, tracker, category}`. */
export function topOrgs(rows, n = 8) {
  const m = new Map();
  for (const r of rows || []) {
    const org = r.domain_hidden ? t("name-hidden-company") : r.org || t("name-unknown-company");
    let o = m.get(org);
    if (!o) {
      o = { org, bytes: 0, trackerBytes: 0, devices: new Set(), cats: new Map() };
      m.set(org, o);
    }
    const b = bytesOf(r);
    o.bytes += b;
    if (r.tracker) o.trackerBytes += b;
    o.devices.add(r.device);
    const c = r.category || "other";
    o.cats.set(c, (o.cats.get(c) || 0) + b);
  }
  return [...m.values()]
    .filter((o) => o.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || (a.org < b.org ? -1 : 1))
    .slice(0, n)
    .map((o) => ({
      org: o.org,
      bytes: o.bytes,
      devices: o.devices.size,
      tracker: o.trackerBytes > 0,
      category: [...o.cats.entries()].sort((a, b) => b[1] - a[1])[0][0],
    }));
}

function looksLikeAddress(s) {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-f:]+$/i.test(s) && s.includes(":");
}

/**
 * Per device: how many different tracker domains (or companies, when the domain is unknown)
 * it reached. Names only, never addresses: `{name, you, trackers}`, most first; devices with
 * none are listed too (0 is good news worth showing).
 */
export function trackersPerDevice(data) {
  const names = new Map(((data && data.devices) || []).map((d) => [d.id, d]));
  const per = new Map();
  for (const d of names.keys()) per.set(d, new Set());
  for (const r of (data && data.paths) || []) {
    if (!per.has(r.device)) per.set(r.device, new Set());
    if (r.tracker) per.get(r.device).add(r.domain || `org:${r.org}`);
  }
  let unnamed = 0;
  return [...per.entries()]
    .map(([id, set]) => {
      const d = names.get(id);
      let name = d && d.name && d.name !== id && !looksLikeAddress(d.name) ? deviceLabel(d) : null;
      if (!name) {
        unnamed += 1;
        name = t("device-numbered", { n: unnamed });
      }
      return { name, you: !!(d && d.you), trackers: set.size };
    })
    .sort((a, b) => b.trackers - a.trackers || (a.name < b.name ? -1 : 1));
}
