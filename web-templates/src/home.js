// The home page works without this; it only adds the live one-line status at the top
// ("5 devices connected, 12 companies in the last 5 minutes").
import { plural } from "./lib/format.js";
import { groupTotals } from "./lib/totals.js";
import { startLive } from "./lib/live.js";
import { t as tr } from "./lib/i18n.js";

const out = document.getElementById("home-live");
if (out) {
  startLive({
    url: () => "/api/v1/paths?window=300",
    status: document.getElementById("live-status"),
    stream: false,
    pollMs: 5000,
    onData: (data) => {
      const t = groupTotals(data);
      const who = t.devices === null ? tr("home-live-devices") : plural(t.devices, "device");
      out.textContent = t.bytes
        ? tr("home-live", { who, orgs: plural(t.orgs, "company"), countries: plural(t.countries, "country") })
        : tr("home-live-none");
    },
  });
}
