// The presenter's line about the room's WiFi and the uplink, from `/api/v1/status`'s `wifi`
// object (null off the appliance): "room full" at the radio's admitted count, a warning at
// 80 %, and "the school network wants a login" when the uplink's check met a captive portal.
// The server draws the same lines when the page opens (web/presenter.rs, room_notices).
import { t } from "./i18n.js";

/** The lines for `wifi` (the status's `wifi`): `[{kind, text}]`, most urgent first. */
export function roomNotices(wifi) {
  if (!wifi) return [];
  const out = [];
  const n = wifi.associated;
  const cap = wifi.capacity ? wifi.capacity.stations : null;
  if (typeof n === "number" && typeof cap === "number") {
    const args = { associated: n, capacity: cap };
    if (wifi.fill === "full") out.push({ kind: "room-full", text: t("presenter-room-full", args) });
    else if (wifi.fill === "nearly") out.push({ kind: "room-nearly", text: t("presenter-room-nearly", args) });
  }
  const portal = wifi.uplink && wifi.uplink.portal;
  if (portal && portal.state === "captive_portal") {
    out.push({ kind: "uplink-login", text: t("presenter-uplink-login") });
  }
  return out;
}
