// Builds the front end into dist/: one bundle per view (esbuild, ES modules with shared
// chunks, content-hashed names), the style sheet, a gzip copy of every file, and
// dist/manifest.json (view name -> file). appliance/build.rs embeds all of it into the binary.
// Fails when JS + CSS exceed the size budget. Run through scripts/build-web.sh.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, constants } from "node:zlib";

const require = createRequire(import.meta.url);
const OUT = "dist";
/** JS + CSS, gzipped, all views together (budget: at most 250 KB). */
const BUDGET_GZ = 250 * 1024;

// `whereflow:countries`: ISO 3166 alpha-2 -> [numeric id as world-atlas uses it, English name],
// cut down at build time from i18n-iso-countries (its full data is ~10x bigger). The names in
// every language the appliance speaks go to dist/countries.tsv (code, en, de, fr, es, ar), which
// appliance/build.rs embeds: the server names countries in the page's language and hands the
// scripts the names of that language (see src/lib/i18n.js).
const LANGS = ["en", "de", "fr", "es", "ar"];
// The everyday name where the list has one ("Russia", not "Russian Federation").
const EVERYDAY_EN = { US: "United States", GB: "United Kingdom", VA: "Vatican City", FM: "Micronesia", MD: "Moldova", LA: "Laos", SY: "Syria", BN: "Brunei", KR: "South Korea", KP: "North Korea", VG: "British Virgin Islands", VI: "US Virgin Islands", CD: "DR Congo", BO: "Bolivia", VE: "Venezuela" };
const KOSOVO = { en: "Kosovo", de: "Kosovo", fr: "Kosovo", es: "Kosovo", ar: "كوسوفو" };
function countryNames(lang) {
  const names = require(`i18n-iso-countries/langs/${lang}.json`).countries;
  const out = {};
  for (const [a2, n] of Object.entries(names)) {
    out[a2] = (lang === "en" && EVERYDAY_EN[a2]) || (Array.isArray(n) ? n[1] || n[0] : n);
  }
  out.XK = out.XK || KOSOVO[lang];
  return out;
}
const countries = {
  name: "countries",
  setup(b) {
    b.onResolve({ filter: /^whereflow:countries$/ }, (a) => ({ path: a.path, namespace: "wf" }));
    b.onLoad({ filter: /.*/, namespace: "wf" }, () => {
      const codes = require("i18n-iso-countries/codes.json");
      const names = countryNames("en");
      const table = {};
      for (const [a2, , num] of codes) table[a2] = [num, names[a2]];
      table.XK = ["", "Kosovo"];
      return { contents: `export const COUNTRIES = ${JSON.stringify(table)};`, loader: "js" };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const result = await build({
  entryPoints: {
    sankey: "src/sankey.js",
    map: "src/map.js",
    presenter: "src/presenter.js",
    me: "src/me.js",
    alerts: "src/alerts.js",
    home: "src/home.js",
    style: "src/style.css",
  },
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: "es2020",
  outdir: OUT,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [countries],
});

{
  const per = LANGS.map(countryNames);
  const codes = Object.keys(per[0]).sort();
  const clean = (n) => String(n || "").replace(/[\t\n]/g, " ");
  writeFileSync(join(OUT, "countries.tsv"), codes.map((c) => `${[c, ...per.map((p) => clean(p[c]))].join("\t")}\n`).join(""));
}

const manifest = {};
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (!out.entryPoint) continue;
  const ext = file.endsWith(".css") ? "css" : "js";
  const name = out.entryPoint.replace(/^src\//, "").replace(/\.(js|css)$/, "");
  manifest[`${name}.${ext}`] = relative(OUT, file);
}
writeFileSync(join(OUT, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
// The same for appliance/build.rs, which has no JSON parser: "name<TAB>file" per line.
writeFileSync(
  join(OUT, "manifest.tsv"),
  Object.entries(manifest).map(([k, v]) => `${k}\t${v}\n`).join(""),
);

let total = 0;
let totalGz = 0;
const rows = [];
for (const f of readdirSync(OUT).sort()) {
  if (f.endsWith(".gz") || f.startsWith("manifest.") || f === "countries.tsv") continue;
  const body = readFileSync(join(OUT, f));
  const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(join(OUT, `${f}.gz`), gz);
  total += statSync(join(OUT, f)).size;
  totalGz += gz.length;
  rows.push([f, body.length, gz.length]);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
console.log("web-templates/dist (raw, gzip):");
for (const [f, raw, gz] of rows) console.log(`  ${f.padEnd(28)} ${kb(raw)} ${kb(gz)}`);
console.log(`  ${"total JS + CSS".padEnd(28)} ${kb(total)} ${kb(totalGz)}  (budget ${kb(BUDGET_GZ).trim()} gzipped)`);
if (totalGz > BUDGET_GZ) {
  console.error(`error: JS + CSS is ${totalGz} bytes gzipped, over the ${BUDGET_GZ}-byte budget`);
  process.exit(1);
}
