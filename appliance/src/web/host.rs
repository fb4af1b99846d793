//! The `Host` check against DNS rebinding: every request must name the appliance — one of
//! its names (`dns.local_name` and its first label, the host of `site.url`, `localhost`,
//! `web.allowed_hosts`) or one of its addresses (the address the connection came in on,
//! `dns.local_addresses`, the listen addresses) — else `421 Misdirected Request`.
//!
//! Why: a public name that answers with the appliance's address (a rebinding attack, TTL 1)
//! makes a student's browser treat the appliance as that public site, so any page could
//! read `/api/v1/me` or post forms. The browser still sends the public name as `Host`,
//! which is what is refused here. A request without `Host` (HTTP/1.0 tools) passes: browsers
//! always send one.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Config;
use crate::web::listener::ConnMeta;
use crate::web::AppState;

/// The names and addresses the pages answer to.
#[derive(Clone, Debug, Default)]
pub struct AllowedHosts {
    /// Lower case, without a trailing dot.
    names: Vec<String>,
    addresses: Vec<IpAddr>,
}

impl AllowedHosts {
    /// From the config: the appliance's names and addresses and `web.allowed_hosts`.
    pub fn from_config(config: &Config) -> AllowedHosts {
        let mut hosts = AllowedHosts::default();
        let local = config.dns.local_name.trim_end_matches('.');
        hosts.add(local);
        if let Some((first, _)) = local.split_once('.') {
            // `http://whereflow/` works where the network's search domain is `.lan`.
            hosts.add(first);
        }
        if let Some(host) = url_host(&config.site.url) {
            hosts.add(host);
        }
        hosts.add("localhost");
        for h in &config.web.allowed_hosts {
            hosts.add(h);
        }
        hosts.addresses.extend(config.dns.own_addresses());
        hosts.addresses.push(config.web.listen.ip());
        hosts
            .addresses
            .extend(config.web.https_listen.map(|a| a.ip()));
        // `0.0.0.0` / `::` is no address to be asked for by; the connection's own counts.
        hosts.addresses.retain(|a| !a.is_unspecified());
        hosts
    }

    fn add(&mut self, host: &str) {
        match parse_ip(host) {
            Some(ip) => self.addresses.push(ip),
            None => {
                let name = host.trim_end_matches('.').to_ascii_lowercase();
                if !name.is_empty() && !self.names.contains(&name) {
                    self.names.push(name);
                }
            }
        }
    }

    /// The names and addresses a certificate for the appliance should carry.
    pub fn certificate_names(&self) -> Vec<String> {
        let mut out = self.names.clone();
        out.extend(self.addresses.iter().map(IpAddr::to_string));
        out.dedup();
        out
    }

    /// The first name, for messages.
    pub fn main_name(&self) -> &str {
        self.names.first().map_or("localhost", String::as_str)
    }

    /// Does the `Host` value `host` (with or without a port) name the appliance? `local`: the
    /// address the request came in on.
    pub fn allows(&self, host: &str, local: Option<IpAddr>) -> bool {
        let bare = strip_port(host);
        match parse_ip(bare) {
            Some(ip) => {
                let ip = ip.to_canonical();
                ip.is_loopback()
                    || local.is_some_and(|l| l.to_canonical() == ip)
                    || self.addresses.iter().any(|a| a.to_canonical() == ip)
            }
            None => {
                let name = bare.trim_end_matches('.');
                self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
            }
        }
    }
}

/// The host of an `http://` or `https://` address.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    Some(strip_port(authority)).filter(|h| !h.is_empty())
}

/// `name:port` → `name`, `[v6]:port` and `[v6]` → `v6`; anything else unchanged.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    s.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()
}

/// The middleware: refuse a request whose `Host` is not the appliance's with `421`.
pub async fn check(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let local = req
        .extensions()
        .get::<ConnMeta>()
        .map(|m: &ConnMeta| m.local.ip());
    let host = req.headers().get(header::HOST).map(|h| h.to_str());
    match host {
        None => next.run(req).await,
        Some(Ok(h)) if app.hosts.allows(h, local) => next.run(req).await,
        Some(h) => {
            tracing::debug!(host = ?h, "refused a request for another host (421)");
            misdirected(&app.hosts)
        }
    }
}

fn misdirected(hosts: &AllowedHosts) -> Response {
    let mut res = (
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "This is the whereflow appliance: open it as http://{}/ or by its address. \
             Another name for it can be added to web.allowed_hosts.\n",
            hosts.main_name()
        ),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> AllowedHosts {
        let mut c = Config::default();
        c.dns.local_name = "whereflow.lan".into();
        c.site.url = "http://Classroom.example.org:8080/".into();
        c.web.allowed_hosts = vec!["wf.school.example".into(), "203.0.113.9".into()];
        AllowedHosts::from_config(&c)
    }

    #[test]
    fn the_appliance_names_and_addresses_pass_and_others_do_not() {
        let h = hosts();
        let local = Some("192.0.2.1".parse().unwrap());
        for ok in [
            "whereflow.lan",
            "WHEREFLOW.LAN.",
            "whereflow",
            "whereflow.lan:8080",
            "classroom.example.org",
            "localhost:8080",
            "wf.school.example",
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.0.2.1",
            "192.0.2.1:80",
            "203.0.113.9",
        ] {
            assert!(h.allows(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "whereflow.lan.evil.example",
            "192.0.2.2",
            "",
            "[2001:db8::1]",
            "localhost.evil.example",
        ] {
            assert!(!h.allows(bad, local), "{bad}");
        }
        assert_eq!(h.main_name(), "whereflow.lan");
    }
}
