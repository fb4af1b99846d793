// A deterministic synthetic `/api/v1/paths` response: N devices talking to M domains of many
// companies in many countries. For unit tests and the browser benchmark
// (`whereflow.synthetic({devices: 50, domains: 500})`).

const COUNTRIES = [
  ["US", "Ashburn", 39.04, -77.49],
  ["US", "San Jose", 37.34, -121.89],
  ["IE", "Dublin", 53.35, -6.26],
  ["DE", "Frankfurt am Main", 50.11, 8.68],
  ["NL", "Amsterdam", 52.37, 4.9],
  ["GB", "London", 51.51, -0.13],
  ["FR", "Paris", 48.86, 2.35],
  ["SE", "Stockholm", 59.33, 18.07],
  ["SG", "Singapore", 1.29, 103.85],
  ["JP", "Tokyo", 35.68, 139.69],
  ["BR", "São Paulo", -23.55, -46.63],
  ["AU", "Sydney", -33.87, 151.21],
  ["IN", "Mumbai", 19.08, 72.88],
  ["ZA", "Johannesburg", -26.2, 28.05],
  ["CA", "Toronto", 43.65, -79.38],
  [null, null, null, null],
];
const CATEGORIES = ["advertising", "analytics", "social", "video", "cdn", "platform", "other"];

function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** `{window, generated, privacy, you, devices, paths}` like `/api/v1/paths`. */
export function synthetic({ devices = 50, domains = 500, perDevice = 40, seed = 1 } = {}) {
  const rnd = prng(seed);
  const orgs = Math.max(1, Math.round(domains / 4));
  const domainList = [];
  for (let i = 0; i < domains; i += 1) {
    const org = Math.floor(Math.pow(rnd(), 2) * orgs);
    const category = CATEGORIES[org % CATEGORIES.length];
    domainList.push({
      domain: i === 0 ? null : `service-${i}.example`,
      org: `Company ${org}`,
      category,
      tracker: category === "advertising" || category === "analytics",
      place: COUNTRIES[org % COUNTRIES.length],
      weight: 1 / (1 + i / 20),
    });
  }
  const devs = [];
  const paths = [];
  const now = Date.now();
  for (let d = 0; d < devices; d += 1) {
    const id = `10.0.${Math.floor(d / 250)}.${(d % 250) + 2}`;
    devs.push({ id, name: d % 3 === 0 ? `Phone ${d + 1}` : `Laptop ${d + 1}`, you: d === 0 });
    const seen = new Set();
    const n = Math.min(domains, perDevice);
    for (let k = 0; k < n; k += 1) {
      // Popular domains more often (a long tail like real traffic).
      const i = Math.min(domains - 1, Math.floor(Math.pow(rnd(), 3) * domains));
      if (seen.has(i)) continue;
      seen.add(i);
      const x = domainList[i];
      const [country, city, lat, lon] = x.place;
      const bytes = Math.round(2000 + rnd() * 2e6 * x.weight);
      paths.push({
        device: id,
        domain: x.domain,
        org: x.org,
        country,
        city,
        lat,
        lon,
        category: x.category,
        tracker: x.tracker,
        bytes_up: Math.round(bytes / 10),
        bytes_down: bytes,
        connections: 1 + Math.floor(rnd() * 6),
        open: rnd() < 0.3 ? 1 : 0,
        last_seen: new Date(now - Math.floor(rnd() * 300000)).toISOString(),
      });
    }
  }
  return {
    window: "300",
    generated: new Date(now).toISOString(),
    privacy: false,
    you: devs.length ? devs[0].id : null,
    devices: devs,
    paths,
  };
}
