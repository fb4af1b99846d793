//! `GET /metrics` scraped by a real Prometheus (Debian's `prometheus`), on the lab: the daemon
//! runs in the router namespace with `metrics.token` and `metrics.listen` set; a Prometheus on
//! the uplink's network (the lab's internet namespace, as a school's server would be) scrapes
//! that listener every second with the token; after devices look names up and connect,
//! Prometheus's own HTTP API shows whereflow's series with the counts the lab caused. Also: no
//! token, no entry; the metrics listener serves nothing but `/metrics`.
//! Needs root (network namespaces) and `/usr/bin/prometheus` (scripts/install-deps.sh).

mod common;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{http_get, request_as_device, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Host, Lab, LabOptions, Zone, ROUTER_WAN_V4};

const TOKEN: &str = "scrape-me-0123456789abcdef";
const PROMETHEUS: &str = "127.0.0.1:9091";

/// The daemon's `metrics.listen`: on every address, so the uplink's side reaches it.
const METRICS_PORT: u16 = 9100;

/// A Prometheus in `host`'s namespace scraping the daemon at `target`; killed on drop.
struct Prometheus {
    child: Child,
    dir: std::path::PathBuf,
    host: Host,
}

impl Prometheus {
    fn start(lab: &Lab, host: &Host, target: &str) -> Prometheus {
        let dir = std::env::temp_dir().join(format!("wf-prometheus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n\
             scrape_configs:\n  - job_name: whereflow\n    metrics_path: /metrics\n\
             \x20   authorization:\n      type: Bearer\n      credentials: {TOKEN}\n\
             \x20   static_configs:\n      - targets: ['{target}']\n"
        );
        std::fs::write(dir.join("prometheus.yml"), config).unwrap();
        let log = std::fs::File::create(dir.join("prometheus.log")).unwrap();
        let child = lab
            .command(host, "prometheus")
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address={PROMETHEUS}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus (Debian package prometheus; scripts/install-deps.sh)");
        Prometheus {
            child,
            dir,
            host: host.clone(),
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    /// Prometheus's HTTP API: `path` in the router namespace, parsed.
    fn api(&self, lab: &Lab, path: &str) -> Option<Value> {
        let path = path.to_owned();
        let (code, body) = lab
            .in_netns(&self.host, move || http_get(PROMETHEUS, &path))
            .ok()?
            .ok()?;
        (code == 200).then(|| serde_json::from_str(&body).ok())?
    }

    /// The value of the instant query `q` (a single series), once Prometheus has one.
    fn value(&self, lab: &Lab, q: &str) -> Option<f64> {
        let v = self.api(lab, &format!("/api/v1/query?query={q}"))?;
        v["data"]["result"][0]["value"][1].as_str()?.parse().ok()
    }

    /// Poll `q` until `ok` holds for its value, for at most 30 s.
    fn wait(&self, lab: &Lab, q: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        while Instant::now() < deadline {
            last = self.value(lab, q);
            if last.is_some_and(&ok) {
                return last.unwrap_or_default();
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let targets = self.api(lab, "/api/v1/targets");
        panic!(
            "{q}: last value {last:?}; targets: {targets:#?}\nprometheus log:\n{}",
            self.log()
        );
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn prometheus_scrapes_the_appliance_with_its_token() {
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![Zone::new("test")
            .a("a.example", "203.0.113.10")
            .a("b.example", "203.0.113.11")],
    })
    .expect("building the lab (needs root)");
    let d = Daemon::start(
        &lab,
        &format!("[metrics]\ntoken = \"{TOKEN}\"\nlisten = \"0.0.0.0:{METRICS_PORT}\"\n"),
    )
    .expect("daemon");

    // Without the token: 401; the admin's pages are not opened by it either.
    let (code, _, _) = request_as_device(&lab, 0, "GET", "/metrics", &[], "").expect("GET");
    assert_eq!(code, 401, "no token");
    let auth = format!("Bearer {TOKEN}");
    let (code, _, _) = request_as_device(
        &lab,
        0,
        "GET",
        "/api/v1/sessions/1/export",
        &[("Authorization", &auth)],
        "",
    )
    .expect("GET export");
    assert_ne!(
        code, 200,
        "the metrics token must not open an admin-only export"
    );

    // The web listener serves /metrics too, to a scraper with the token.
    let (code, _, body) =
        request_as_device(&lab, 0, "GET", "/metrics", &[("Authorization", &auth)], "")
            .expect("GET /metrics");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("whereflow_dns_queries_total"), "{body}");
    // The metrics listener, from the uplink's side: /metrics only, nothing of the pages.
    let metrics_addr = format!("{ROUTER_WAN_V4}:{METRICS_PORT}");
    for path in ["/", "/api/v1/me", "/admin", "/api/v1/flows"] {
        let addr = metrics_addr.clone();
        let (code, _) = lab
            .in_netns(lab.internet(), move || http_get(&addr, path))
            .unwrap()
            .expect("GET on the metrics listener");
        assert_eq!(code, 404, "{path} on the metrics listener");
    }
    let addr = metrics_addr.clone();
    let (code, _) = lab
        .in_netns(lab.internet(), move || http_get(&addr, "/metrics"))
        .unwrap()
        .unwrap();
    assert_eq!(code, 401, "the metrics listener asks for the token too");

    let prom = Prometheus::start(&lab, lab.internet(), &metrics_addr);
    let up = prom.wait(&lab, "up{job=\"whereflow\"}", |v| v == 1.0);
    eprintln!("prometheus: target up = {up}");

    // Lab traffic: 5 answered names and 3 NXDOMAINs from two devices, one connection.
    let dns = "192.0.2.1:53".parse().unwrap();
    for i in 0..5 {
        let name = if i % 2 == 0 {
            "a.example.test."
        } else {
            "b.example.test."
        };
        lab.query(i % 2, dns, name, RecordType::A, false)
            .expect("query");
    }
    for i in 0..3 {
        lab.query(0, dns, &format!("missing-{i}.test."), RecordType::A, false)
            .expect("query");
    }
    let _server = lab.tcp_server(443).expect("tcp server");
    lab.tcp_exchange(0, "203.0.113.10:443".parse().unwrap(), 2_000, 4_000)
        .expect("connection");

    let queries = prom.wait(&lab, "whereflow_dns_queries_total", |v| v >= 8.0);
    let nx = prom.wait(
        &lab,
        "whereflow_dns_answers_total{result=\"nxdomain\"}",
        |v| v >= 3.0,
    );
    let hits = prom.wait(&lab, "whereflow_dns_cache_hits_total", |v| v >= 3.0);
    let devices = prom.wait(&lab, "whereflow_devices", |v| v >= 2.0);
    let events = prom.wait(&lab, "whereflow_conntrack_events_total", |v| v >= 1.0);
    // The connection's 4,000 bytes down (plus headers) are in the bytes by category.
    let down = prom.wait(&lab, "sum(whereflow_flow_bytes{direction=\"down\"})", |v| {
        v >= 4_000.0
    });
    eprintln!(
        "prometheus sees: {queries} queries, {nx} NXDOMAIN, {hits} cache hits, {devices} \
         devices, {events} conntrack events, {down} bytes down"
    );
    assert!(
        queries < 20.0,
        "no more queries than the lab sent: {queries}"
    );
    // The history writer's queue is drained (and its series there).
    prom.wait(&lab, "whereflow_store_queued", |v| v == 0.0);
    prom.wait(&lab, "whereflow_store_written_total", |v| v >= 1.0);
    // A histogram comes through whole.
    prom.wait(&lab, "whereflow_dns_upstream_latency_seconds_count", |v| {
        v >= 2.0
    });
    drop(d);
}
