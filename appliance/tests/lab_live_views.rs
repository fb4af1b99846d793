//! The live views' event stream on the lab (`/api/v1/events?paths=<window>`): an update
//! reaches every subscriber of a view as the same bytes; a privacy-mode device gets only its
//! own rows; more subscribers than `web.max_event_clients` are refused with a 503 that says
//! why, and the others keep their updates. Real daemon, real sockets, from the devices'
//! namespaces as phones on the WiFi would connect.

mod common;

use std::time::{Duration, Instant};

use common::sse::{Opened, SseEvent, SseStream};
use common::Daemon;
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const WEB: &str = "192.0.2.1:8080";

fn lab(devices: usize) -> Lab {
    let zones = vec![Zone::new("test")
        .a("alpha", "203.0.113.10")
        .a("beta", "203.0.113.11")];
    Lab::build(LabOptions { devices, zones }).expect("building the lab (needs root)")
}

/// Device `dev` looks `name` up and makes a short connection to `ip`.
fn browse(lab: &Lab, dev: usize, name: &str, ip: &str) {
    lab.query(
        dev,
        "192.0.2.1:53".parse().expect("addr"),
        name,
        RecordType::A,
        false,
    )
    .expect("query");
    lab.tcp_exchange(dev, format!("{ip}:443").parse().expect("addr"), 1000, 5000)
        .expect("exchange");
}

/// A view's stream, opened from device `dev`'s namespace.
fn subscribe(lab: &Lab, dev: usize, window: &str) -> SseStream {
    let path = format!("/api/v1/events?paths={window}");
    match lab
        .in_netns(&lab.devices()[dev], move || SseStream::open(WEB, &path))
        .expect("netns")
        .expect("open")
    {
        Opened::Stream(s) => s,
        Opened::Refused(code, body) => panic!("refused: {code} {body}"),
    }
}

/// The rows an event brings (`paths`: all, `paths_delta`: the changed ones).
fn rows(ev: &SseEvent) -> Vec<Value> {
    let v: Value = serde_json::from_str(&ev.data).expect("event JSON");
    let key = if ev.name == "paths_delta" {
        "upsert"
    } else {
        "paths"
    };
    v[key].as_array().cloned().unwrap_or_default()
}

/// Read events until one whose rows have `domain`; every event read is returned.
fn until_domain(s: &mut SseStream, domain: &str, limit: Duration) -> Vec<SseEvent> {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let Some(ev) = s.next(Duration::from_millis(200)).expect("read") else {
            continue;
        };
        let hit = (ev.name == "paths" || ev.name == "paths_delta")
            && rows(&ev).iter().any(|r| r["domain"] == domain);
        seen.push(ev);
        if hit {
            return seen;
        }
    }
    panic!("no update with {domain} within {limit:?}; events: {seen:#?}");
}

#[test]
fn an_update_reaches_two_subscribers_with_the_same_bytes() {
    let lab = lab(2);
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let _d = Daemon::start(&lab, "").expect("daemon");
    let mut a = subscribe(&lab, 0, "300");
    let mut b = subscribe(&lab, 1, "300");
    for (s, me) in [(&mut a, "192.0.2.10"), (&mut b, "192.0.2.11")] {
        let hello = s
            .next(Duration::from_secs(5))
            .expect("read")
            .expect("hello");
        assert_eq!(hello.name, "hello");
        let v: Value = serde_json::from_str(&hello.data).expect("JSON");
        assert_eq!(v["you"], me, "{v}");
        assert_eq!(v["window"], "300", "{v}");
    }
    let started = Instant::now();
    browse(&lab, 0, "alpha.test.", "203.0.113.10");
    let got_a = until_domain(&mut a, "alpha.test", Duration::from_secs(10));
    let got_b = until_domain(&mut b, "alpha.test", Duration::from_secs(10));
    let took = started.elapsed();
    let (last_a, last_b) = (got_a.last().expect("event"), got_b.last().expect("event"));
    // One update for everyone: the same event, byte for byte, on both streams.
    assert_eq!(last_a, last_b, "the two subscribers got different updates");
    let row = rows(last_a)
        .into_iter()
        .find(|r| r["domain"] == "alpha.test")
        .expect("row");
    assert_eq!(row["device"], "192.0.2.10", "{row}");
    assert!(row["key"].is_string(), "rows carry their key: {row}");
    assert!(took < Duration::from_secs(5), "update took {took:?}");
    // The stream of a view carries no flow or DNS events.
    for ev in got_a.iter().chain(&got_b) {
        assert!(
            ["paths", "paths_delta", "hello"].contains(&ev.name.as_str()),
            "unexpected event {ev:?}"
        );
    }
    // A window the views do not offer is refused, saying which there are.
    let refused = lab
        .in_netns(&lab.devices()[0], || {
            SseStream::open(WEB, "/api/v1/events?paths=77")
        })
        .expect("netns")
        .expect("open");
    match refused {
        Opened::Refused(400, body) => assert!(body.contains("60, 300, 900, session"), "{body}"),
        Opened::Refused(code, body) => panic!("{code}: {body}"),
        Opened::Stream(_) => panic!("paths=77 was accepted"),
    }
}

#[test]
fn privacy_mode_subscriber_gets_only_its_own_rows() {
    let lab = lab(2);
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let _d = Daemon::start(&lab, "privacy_mode = true\n").expect("daemon");
    let mut a = subscribe(&lab, 0, "session");
    let mut b = subscribe(&lab, 1, "session");
    browse(&lab, 0, "alpha.test.", "203.0.113.10");
    browse(&lab, 1, "beta.test.", "203.0.113.11");
    let mut seen_a = until_domain(&mut a, "alpha.test", Duration::from_secs(10));
    let mut seen_b = until_domain(&mut b, "beta.test", Duration::from_secs(10));
    // And whatever else comes in the next seconds (device 0's counters, the refresh).
    for (s, seen) in [(&mut a, &mut seen_a), (&mut b, &mut seen_b)] {
        let until = Instant::now() + Duration::from_secs(6);
        while Instant::now() < until {
            if let Some(ev) = s.next(Duration::from_millis(200)).expect("read") {
                seen.push(ev);
            }
        }
    }
    for (seen, me, other, other_domain) in [
        (&seen_a, "192.0.2.10", "192.0.2.11", "beta.test"),
        (&seen_b, "192.0.2.11", "192.0.2.10", "alpha.test"),
    ] {
        let hello: Value = serde_json::from_str(&seen[0].data).expect("hello");
        assert_eq!(hello["privacy"], true);
        assert_eq!(hello["you"], me);
        for ev in seen {
            assert!(!ev.data.contains(other), "{me} got {other}: {ev:?}");
            assert!(
                !ev.data.contains(other_domain),
                "{me} got {other_domain}: {ev:?}"
            );
            for r in rows(ev) {
                // One other device is fewer than `web.privacy_min_devices`: no "others" rows.
                assert_eq!(r["device"], me, "{me} got a row not its own: {r}");
            }
        }
    }
}

#[test]
fn five_hundred_subscribers_the_limit_refused_with_a_reason_the_others_kept() {
    let lab = lab(4);
    let _tcp = lab.tcp_server(443).expect("tcp server");
    // The default limit (`web.max_event_clients` = 256), from four devices of 125
    // subscribers each (each under its own cap, so the total limit is what refuses).
    let _d = Daemon::start(
        &lab,
        "max_event_clients_per_device = 128\nmax_connections_per_device = 256\n",
    )
    .expect("daemon");
    // Every request sent before any answer is read: 500 at once.
    let mut started = Vec::new();
    for dev in 0..4 {
        let mut some = lab
            .in_netns(&lab.devices()[dev], || -> anyhow::Result<Vec<SseStream>> {
                (0..125)
                    .map(|_| SseStream::start(WEB, "/api/v1/events?paths=300"))
                    .collect()
            })
            .expect("netns")
            .expect("125 requests");
        started.append(&mut some);
    }
    let opened: Vec<Opened> = started
        .into_iter()
        .map(SseStream::head)
        .collect::<anyhow::Result<_>>()
        .expect("answers");
    let mut streams = Vec::new();
    let mut refused = Vec::new();
    for o in opened {
        match o {
            Opened::Stream(s) => streams.push(s),
            Opened::Refused(code, body) => refused.push((code, body)),
        }
    }
    assert_eq!(streams.len(), 256, "accepted streams");
    assert_eq!(refused.len(), 244, "refused streams");
    for (code, body) in &refused {
        assert_eq!(*code, 503, "{body}");
        assert!(
            body.contains("too many live viewers at once (web.max_event_clients)"),
            "{body}"
        );
    }
    // The ones that got in keep their updates.
    browse(&lab, 0, "alpha.test.", "203.0.113.10");
    let deadline = Instant::now() + Duration::from_secs(20);
    for (i, s) in streams.iter_mut().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "stream {i}: out of time");
        until_domain(s, "alpha.test", left);
    }
}

/// A view's stream as the sankey and map ask for it: `&fold=bytes` (and `&device=`, `&top=`).
fn subscribe_to(lab: &Lab, dev: usize, query: &str) -> Opened {
    let path = format!("/api/v1/events?{query}");
    lab.in_netns(&lab.devices()[dev], move || SseStream::open(WEB, &path))
        .expect("netns")
        .expect("open")
}

#[test]
fn a_folded_view_is_one_feed_for_its_subscribers_and_a_device_filter_its_own() {
    let lab = lab(2);
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let _d = Daemon::start(&lab, "").expect("daemon");
    let stream = |dev, query| match subscribe_to(&lab, dev, query) {
        Opened::Stream(s) => s,
        Opened::Refused(code, body) => panic!("{query}: refused {code} {body}"),
    };
    let mut a = stream(0, "paths=300&fold=bytes&top=20");
    let mut b = stream(1, "paths=300&fold=bytes&top=20");
    let mut only_b = stream(0, "paths=300&fold=bytes&top=20&device=192.0.2.11");
    browse(&lab, 0, "alpha.test.", "203.0.113.10");
    let got_a = until_domain(&mut a, "alpha.test", Duration::from_secs(10));
    let got_b = until_domain(&mut b, "alpha.test", Duration::from_secs(10));
    // The same view: the same bytes for both.
    assert_eq!(got_a.last(), got_b.last(), "different updates");
    let last: Value = serde_json::from_str(&got_a.last().expect("event").data).expect("JSON");
    assert_eq!(last["fold"], "bytes", "{last}");
    assert_eq!(last["top"], 20, "{last}");
    assert!(
        last["paths_total"].as_u64().is_some_and(|n| n >= 1),
        "{last}"
    );
    // The first whole view says how much was folded away (nothing, on two rows).
    let first = got_a
        .iter()
        .find(|e| e.name == "paths")
        .expect("a paths event");
    let first: Value = serde_json::from_str(&first.data).expect("JSON");
    assert_eq!(
        first["others"],
        serde_json::json!({"domain": 0, "org": 0}),
        "{first}"
    );
    // The device filter's feed: only that device's rows (none of device 0's), every device
    // of the view named.
    browse(&lab, 1, "beta.test.", "203.0.113.11");
    let got = until_domain(&mut only_b, "beta.test", Duration::from_secs(10));
    for ev in &got {
        for r in rows(ev) {
            assert_eq!(r["device"], "192.0.2.11", "{r}");
        }
    }
    let last: Value = serde_json::from_str(&got.last().expect("event").data).expect("JSON");
    if let Some(devices) = last["devices"].as_array() {
        assert!(devices.iter().any(|d| d["id"] == "192.0.2.10"), "{last}");
    }
    // What is not a fold is refused, saying why.
    for (query, says) in [
        ("paths=300&fold=views", "bytes"),
        ("paths=300&device=192.0.2.10", "fold"),
        ("paths=300&fold=bytes&top=0", "top"),
        ("fold=bytes", "paths"),
    ] {
        match subscribe_to(&lab, 0, query) {
            Opened::Refused(400, body) => assert!(body.contains(says), "{query}: {body}"),
            Opened::Refused(code, body) => panic!("{query}: {code} {body}"),
            Opened::Stream(_) => panic!("{query} was accepted"),
        }
    }
}
