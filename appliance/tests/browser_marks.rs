//! The teacher's marks and the admin's replay in a real browser: headless Chromium (driven by
//! npm `playwright-core`, `web-templates/e2e/marks.mjs`) in a lab device's network namespace
//! against the real daemon, with that device's real connections. What a teacher and a class
//! would see is checked: a mark set with the presenter's form reaches two open pages at once;
//! "since the mark" hides what came before it and shows what came after; a 10 kB label is
//! refused with a reason (the form and the API); 500 event streams at once, more than
//! `web.max_event_clients`, are refused with a reason while the open pages keep their updates;
//! the replay of the session shows a flow only once it has started, plays frame by frame
//! (never the whole session at once), on the sankey and the map; a deleted session's replay
//! says it is gone. No console error and no request to another host on any page.
//!
//! Screenshots and the report go to `target/browser-marks/`. Needs root, the built front end
//! and `scripts/fetch-test-data.sh`.

mod common;

use std::time::Duration;

use common::browser::{fresh_out_dir, has, node_script, report, strings};
use common::sse::{Opened, SseStream};
use common::Daemon;
use serde_json::json;
use whereflow_lab::{Lab, LabOptions, Zone};

/// The limit of event streams in this test: below the 500 opened at once.
const MAX_STREAMS: u64 = 100;

const WEB: &str = "192.0.2.1:8080";

#[test]
fn marks_since_the_mark_and_replay_in_a_real_browser() {
    let zones = vec![Zone::new("test")
        .a("alpha", "203.0.113.10")
        .a("beta", "203.0.113.11")];
    const ADMIN_PASSWORD: &str = "lab admin password";
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    // Device 1 opens the 500 streams, device 0 has the browser's pages: each under its own
    // cap (as large as the total), so the total is what refuses them.
    let extra = format!(
        "max_event_clients = {MAX_STREAMS}\nmax_event_clients_per_device = {MAX_STREAMS}\n\
         max_connections = 1000\nmax_connections_per_device = 1000\n\n\
         [admin]\npassword = \"{ADMIN_PASSWORD}\"\n"
    );
    let d = Daemon::start(&lab, &extra).expect("daemon");

    let out_dir = fresh_out_dir("browser-marks");
    let node = node_script(&lab, &lab.devices()[0], "marks.mjs")
        .args(["--base", "http://192.0.2.1:8080", "--dns", "192.0.2.1"])
        .args([
            "--before",
            "alpha.test",
            "--after",
            "beta.test",
            "--port",
            "443",
        ])
        .args(["--admin-password", ADMIN_PASSWORD])
        .arg("--out")
        .arg(&out_dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running node (scripts/install-deps.sh installs it)");
    // When the script asks: 500 event streams at once from device 1, every request sent
    // before any answer is read; kept open until the script is done with them.
    let run = std::thread::scope(|scope| {
        let waiter = scope.spawn(|| node.wait_with_output());
        let mut held = Vec::new();
        let mut asked = false;
        while !waiter.is_finished() {
            if !asked && out_dir.join("streams.request").exists() {
                asked = true;
                let started = lab
                    .in_netns(&lab.devices()[1], || -> anyhow::Result<Vec<SseStream>> {
                        (0..500)
                            .map(|_| SseStream::start(WEB, "/api/v1/events?paths=300"))
                            .collect()
                    })
                    .expect("netns")
                    .expect("500 requests");
                let mut statuses = std::collections::BTreeMap::<String, u64>::new();
                let mut reason = None;
                for s in started {
                    match s.head().expect("an answer") {
                        Opened::Stream(s) => {
                            *statuses.entry("200".into()).or_default() += 1;
                            held.push(s);
                        }
                        Opened::Refused(code, body) => {
                            *statuses.entry(code.to_string()).or_default() += 1;
                            reason.get_or_insert(body.trim().to_string());
                        }
                    }
                }
                let v = json!({ "statuses": statuses, "refused_reason": reason });
                std::fs::write(out_dir.join("streams.json"), v.to_string()).expect("streams.json");
            }
            if out_dir.join("streams.done").exists() {
                held.clear();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        waiter.join()
    })
    .expect("waiting for node")
    .expect("node's output");
    let report = report(&run, &d, &out_dir);

    // Every page: no console error, no request elsewhere, no failed request. The deleted
    // session's page is allowed the browser's own line about the 404 it was answered.
    // The page opened while the streams were full is allowed the browser's line about its
    // stream's 503 (the page says it updates every few seconds instead, checked below).
    for (i, p) in report["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .enumerate()
    {
        let route = p["route"].as_str().unwrap_or("");
        let late = i == 3;
        let errors: Vec<String> = strings(&p["console_errors"])
            .into_iter()
            .filter(|e| !(route.contains("replay=") && e.contains("status of 404")))
            .filter(|e| !(late && e.contains("status of 503")))
            .filter(|e| !(route.starts_with("/lang/de") && e.contains("status of 401")))
            .collect();
        assert!(errors.is_empty(), "{route}: console errors {errors:?}");
        assert_eq!(p["foreign_requests"], json!([]), "{route}: other hosts");
        assert_eq!(p["failed_requests"], json!([]), "{route}: failed requests");
    }

    // The mark reaches the two open pages (and the presenter) within a second or two.
    let m = &report["marks"];
    assert_eq!(m["form_shown"], true, "{m}");
    assert!(
        m["before_shown_ms"].is_u64(),
        "the first connection never showed: {m}"
    );
    for page in ["sankey_ms", "map_ms", "presenter_ms"] {
        let ms = m[page]
            .as_u64()
            .unwrap_or_else(|| panic!("the mark never reached {page}: {m}"));
        assert!(ms <= 2000, "{page}: the mark took {ms} ms (target ≤ 2000)");
    }
    let words = m["sankey_words"].as_str().unwrap_or("");
    assert!(
        words.starts_with("Showing only what happened since the mark: “Now open TikTok”"),
        "{m}"
    );
    assert!(
        m["map_words"]
            .as_str()
            .unwrap_or("")
            .contains("Now open TikTok"),
        "{m}"
    );
    assert_eq!(m["presenter_error"], "", "{m}");
    // Since the mark: the connection before it gone, the one after it there.
    assert!(
        m["before_gone_ms"].is_u64(),
        "the connection before the mark still shows since the mark: {m}"
    );
    assert!(
        m["after_shown_ms"].is_u64(),
        "the one after never showed: {m}"
    );
    assert!(!has(&m["after_domains"], "alpha.test"), "{m}");
    assert!(has(&m["after_domains"], "beta.test"), "{m}");
    assert!(!has(&m["after_table"], "alpha.test"), "{m}");

    // A 10 kB label: refused with a reason by the form and the API; no mark added.
    let b = &report["bad_label"];
    assert_eq!(
        b["form_error"], "A mark needs a label of 1 to 80 characters (this one has 10,240).",
        "{b}"
    );
    assert_eq!(b["api_status"], 400, "{b}");
    assert!(
        b["api_error"]
            .as_str()
            .is_some_and(|e| e.contains("at most 80 characters") && e.contains("10240")),
        "{b}"
    );
    assert_eq!(b["marks_added"], 0, "{b}");

    // 500 streams at once: the limit's worth open (less the pages' own), the rest refused
    // with the reason; the pages open before got the next mark; a page opened meanwhile says
    // it updates every few seconds instead.
    let s = &report["streams"];
    // The pages hold three (sankey, map, presenter).
    let ok = s["statuses"]["200"].as_u64().unwrap_or(0);
    let refused = s["statuses"]["503"].as_u64().unwrap_or(0);
    assert_eq!(ok + refused, 500, "{s}");
    assert_eq!(
        ok,
        MAX_STREAMS - 3,
        "streams open of {MAX_STREAMS} allowed: {s}"
    );
    assert!(
        s["refused_reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("too many live viewers at once (web.max_event_clients)")),
        "{s}"
    );
    for page in ["sankey_mark_ms", "map_mark_ms"] {
        let ms = s[page]
            .as_u64()
            .unwrap_or_else(|| panic!("the second mark never reached {page}: {s}"));
        assert!(
            ms <= 2000,
            "{page}: the mark took {ms} ms with the streams full"
        );
    }
    assert_eq!(s["late_status_state"], "polling", "{s}");

    // The replay: the session's bounds; before the first connection nothing, between the
    // two only the first (set with the slider), at the end both.
    let r = &report["replay"];
    assert_eq!(r["ready"], true, "{r}");
    assert!(
        r["stored_ms"].is_u64(),
        "the store never had both flows: {r}"
    );
    assert!(
        r["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("Replay of session"),
        "{r}"
    );
    assert!(
        has(&r["at_end"], "alpha.test") && has(&r["at_end"], "beta.test"),
        "{r}"
    );
    assert!(!has(&r["before_first"], "alpha.test"), "{r}");
    assert!(!has(&r["before_first"], "beta.test"), "{r}");
    assert!(
        r["between_ms"].is_u64(),
        "the first flow never showed mid-session: {r}"
    );
    assert!(has(&r["between"], "alpha.test"), "{r}");
    assert!(
        !has(&r["between"], "beta.test"),
        "a flow showed before its start: {r}"
    );
    // Play moves through time, one frame read at a time; pause stops it.
    assert_eq!(r["play_pressed"], "true", "{r}");
    assert_eq!(r["play_label"], "Pause", "{r}");
    assert_eq!(r["paused_label"], "Play", "{r}");
    assert!(r["moved_s"].as_i64().unwrap_or(0) >= 5, "{r}");
    let requests = strings(&r["requests"]);
    assert!(
        requests.iter().skip(1).all(|q| q.contains("at=")),
        "every read after the first is one frame: {requests:?}"
    );
    assert!(
        r["play_fetches"].as_u64().unwrap_or(99) <= 8,
        "too many frames read while playing 2.6 s: {r}"
    );
    assert_eq!(r["map_ready"], true, "{r}");
    assert!(!r["map_time"].as_str().unwrap_or("").is_empty(), "{r}");

    // The deleted session: the admin page offered its replay; its replay now says it is gone.
    let g = &report["deleted"];
    assert!(g["replay_links"].as_u64().unwrap_or(0) >= 1, "{g}");
    assert_eq!(g["rows_after"], 0, "{g}");
    assert_eq!(g["ready"], false, "{g}");
    assert_eq!(g["error_visible"], true, "{g}");
    let session = r["session"].as_i64().unwrap_or(0);
    assert_eq!(
        g["error"],
        format!(
            "Session {session} is not stored any more: it was deleted, or never existed. \
             Pick another one on the admin page."
        ),
        "{g}"
    );

    // The German presenter, its login gone: the form says why in German.
    let de = &report["german"];
    assert_eq!(de["form_shown"], true, "{de}");
    assert_eq!(
        de["form_error"],
        "Die Markierung wurde nicht gesetzt: Dafür musst du als Admin angemeldet sein: \
         Melde dich unter /admin an",
        "{de}"
    );
}
