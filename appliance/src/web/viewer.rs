//! Who is asking: the device behind a request's source address, and what privacy mode lets
//! it see. Pages and `/me` endpoints use it to show a device itself; list endpoints use it
//! to limit a device to its own data when `web.privacy_mode` is on. [`Censoring`] adds the
//! teacher's rules for a viewer who is not the logged-in admin.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::devices::DeviceRegistry;
use crate::model::{DeviceId, DeviceIdentity};
use crate::web::AppState;

/// The requester.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The device asking (its source address; IPv4-mapped IPv6 is unmapped).
    pub device: DeviceId,
    /// Who the device is across its addresses (by MAC when known): privacy mode lets it see
    /// its data from any of its addresses, and no other device's through a second address.
    pub identity: DeviceIdentity,
    /// Privacy mode applies to this request: only the viewer's own data individually.
    pub private: bool,
}

impl Viewer {
    /// May this viewer see `device`'s own data? (`devices` says who is behind an address.)
    pub fn may_see(&self, device: DeviceId, devices: &DeviceRegistry) -> bool {
        !self.private || device == self.device || devices.identity(device.ip()) == self.identity
    }

    /// May this viewer see the data of the device `identity`?
    pub fn may_see_identity(&self, identity: DeviceIdentity) -> bool {
        !self.private || identity == self.identity
    }

    /// The device filter a list endpoint must apply: in privacy mode, the viewer; a request
    /// for another device (an address of another identity) is refused with a 403 saying why.
    pub fn restrict(
        &self,
        asked: Option<IpAddr>,
        devices: &DeviceRegistry,
    ) -> Result<Option<DeviceId>, NotYours> {
        match (self.private, asked.map(|ip| DeviceId(ip.to_canonical()))) {
            (false, asked) => Ok(asked),
            (true, None) => Ok(Some(self.device)),
            (true, Some(d)) if self.may_see(d, devices) => Ok(Some(d)),
            (true, Some(_)) => Err(NotYours),
        }
    }
}

/// A device asked for another device's data in privacy mode: answered with a 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotYours;

impl IntoResponse for NotYours {
    fn into_response(self) -> Response {
        (
            StatusCode::FORBIDDEN,
            Json(json!({ "error": "privacy mode is on: a device can only see its own data" })),
        )
            .into_response()
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(addr)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            // Only a router built without connect info (a unit test) gets here.
            return Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": "the client's address is unknown" })),
            )
                .into_response());
        };
        let ip = addr.ip().to_canonical();
        Ok(Viewer {
            device: DeviceId(ip),
            identity: app.devices.identity(ip),
            private: app.privacy,
        })
    }
}

/// The teacher's group-view rules as this request must apply them
/// ([`crate::group_view::Censor`]): nothing for the logged-in admin, else the rules resolved
/// now, the viewer's own device exempt. Every row-by-row output takes this one extractor.
pub struct Censoring(pub crate::group_view::Censor);

impl FromRequestParts<AppState> for Censoring {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, app).await?;
        let admin = crate::web::auth::AdminSession::from_request_parts(parts, app)
            .await
            .is_ok();
        Ok(Censoring(app.censor(&viewer, admin)))
    }
}

/// Refused: a non-admin asked for the rows of a device the teacher hid (`403`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HiddenDevice;

impl IntoResponse for HiddenDevice {
    fn into_response(self) -> Response {
        (
            StatusCode::FORBIDDEN,
            Json(json!({ "error": "this device is hidden from the group views" })),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::registry::Sighting;

    /// Privacy mode is by device: the viewer's other address is its own, another device's
    /// address is not, whichever family.
    #[test]
    fn privacy_is_by_identity() {
        let r = DeviceRegistry::new(10);
        let at = chrono::Utc::now();
        for (ip, mac) in [
            ("192.0.2.10", "02:00:00:00:00:01"),
            ("2001:db8:1::a", "02:00:00:00:00:01"),
            ("192.0.2.11", "02:00:00:00:00:02"),
            ("2001:db8:1::b", "02:00:00:00:00:02"),
        ] {
            r.observe(&Sighting {
                ip: ip.parse().unwrap(),
                mac: mac.parse().unwrap(),
                hostname: None,
                since: at,
                seen: None,
            });
        }
        let ip = |s: &str| -> IpAddr { s.parse().unwrap() };
        let me = ip("192.0.2.10");
        let viewer = Viewer {
            device: DeviceId(me),
            identity: r.identity(me),
            private: true,
        };
        assert_eq!(
            viewer.restrict(Some(ip("2001:db8:1::a")), &r),
            Ok(Some(DeviceId(ip("2001:db8:1::a"))))
        );
        assert_eq!(viewer.restrict(None, &r), Ok(Some(DeviceId(me))));
        for other in ["192.0.2.11", "2001:db8:1::b", "192.0.2.99"] {
            assert_eq!(
                viewer.restrict(Some(ip(other)), &r),
                Err(NotYours),
                "{other}"
            );
            assert!(!viewer.may_see(DeviceId(ip(other)), &r), "{other}");
        }
        assert!(viewer.may_see(DeviceId(ip("2001:db8:1::a")), &r));
        // Without privacy mode everyone sees everything.
        let open = Viewer {
            private: false,
            ..viewer
        };
        assert!(open.may_see(DeviceId(ip("192.0.2.11")), &r));
        assert_eq!(
            open.restrict(Some(ip("192.0.2.11")), &r),
            Ok(Some(DeviceId(ip("192.0.2.11"))))
        );
    }
}
