// The home page works without this; it only adds the live one-line status at the top
// ("5 devices connected, 12 companies in the last 5 minutes").
import { plural } from "./lib/format.js";
import { groupTotals } from "./lib/totals.js";
import { startLive } from "./lib/live.js";

const out = document.getElementById("home-live");
if (out) {
  startLive({
    url: () => "/api/v1/paths?window=300",
    status: document.getElementById("live-status"),
    stream: false,
    pollMs: 5000,
    onData: (data) => {
      const t = groupTotals(data);
      const who = t.devices === null ? "The devices here" : plural(t.devices, "device");
      out.textContent = t.bytes
        ? `Right now: ${who} talked to ${plural(t.orgs, "company", "companies")} in ${plural(t.countries, "country", "countries")} in the last 5 minutes.`
        : "No device has sent anything in the last 5 minutes.";
    },
  });
}
