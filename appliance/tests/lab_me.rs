//! "My device" actions on the lab, over real HTTP from the devices' own namespaces: a device
//! sets its nickname (which then names it in the group views) and forgets itself (its flows
//! and answers are gone, another device's are not); forms without the page's token are refused.

mod common;

use std::time::Duration;

use common::{forget_me, form_token, request_as_device, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

fn json(lab: &Lab, dev: usize, path: &str) -> Value {
    let (code, _, body) = request_as_device(lab, dev, "GET", path, &[], "").expect("GET");
    assert_eq!(code, 200, "GET {path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

#[test]
fn a_device_names_itself_and_forgets_itself() {
    let zones = vec![Zone::new("test").a("a.example", "203.0.113.10")];
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let d = Daemon::start(&lab, "").expect("daemon");
    for dev in 0..2 {
        lab.query(
            dev,
            "192.0.2.1:53".parse().expect("addr"),
            "a.example.test.",
            RecordType::A,
            false,
        )
        .expect("query");
        lab.tcp_exchange(dev, "203.0.113.10:443".parse().expect("addr"), 2000, 8000)
            .expect("exchange");
    }
    d.wait_for(&lab, Duration::from_secs(10), |f| {
        (f.len() >= 2).then_some(())
    })
    .expect("two flows");

    // Without the page's token: refused, nothing changed.
    let (code, _, _) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/nickname",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "nickname=Mallory&csrf=00",
    )
    .expect("POST");
    assert_eq!(code, 403);
    assert_eq!(json(&lab, 0, "/api/v1/me")["nickname"], Value::Null);

    // With it: saved, and the group views use it.
    let (cookie, token, _) = form_token(&lab, 0);
    let form = format!("nickname=Ana%27s+phone&csrf={token}");
    let (code, head, _) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &form,
    )
    .expect("POST");
    assert_eq!(code, 303, "{head}");
    assert_eq!(json(&lab, 0, "/api/v1/me")["nickname"], "Ana's phone");
    let paths = json(&lab, 1, "/api/v1/paths?window=900");
    let names: Vec<&str> = paths["devices"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(names.contains(&"Ana's phone"), "{names:?}");

    // A nickname with control characters is refused with a reason.
    let bad = format!("nickname=a%07b&csrf={token}");
    let (code, _, body) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &bad,
    )
    .expect("POST");
    assert_eq!(code, 400, "{body}");

    // Forget needs the confirmation box, then removes this device only.
    let (code, _, _) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/forget",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &format!("csrf={token}"),
    )
    .expect("POST");
    assert_eq!(code, 400);
    let (code, head) = forget_me(&lab, 0);
    assert_eq!(code, 303, "{head}");
    let flows = d.flows(&lab).expect("flows");
    assert!(
        flows.iter().all(|f| f["device_ip"] != "192.0.2.10"),
        "device 0 still listed"
    );
    assert!(
        flows.iter().any(|f| f["device_ip"] == "192.0.2.11"),
        "device 1 was forgotten too"
    );
    let me = json(&lab, 0, "/api/v1/me");
    assert_eq!(me["known"], false, "{me}");
    assert_eq!(me["nickname"], Value::Null);
    let dns = json(&lab, 1, "/api/v1/dns");
    assert!(dns.to_string().contains("192.0.2.11"));
    assert!(!dns.to_string().contains("192.0.2.10"));
}
