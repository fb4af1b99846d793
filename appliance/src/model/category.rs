//! The small fixed set of categories the UI explains.
//!
//! Every source is normalised to these seven (third-party-web's thirteen categories are mapped
//! in `blocklists/curated.toml`, `[third_party_web.categories]`). A service that runs its own
//! delivery network takes the category of the service (`googlevideo.com` is video,
//! `fbcdn.net` is social); `Cdn` is for networks that carry many companies' content.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a domain is for, in words a classroom understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Ad networks and ad exchanges.
    Advertising,
    /// Analytics, measurement, tag managers, telemetry.
    Analytics,
    /// Social networks and messaging.
    Social,
    /// Video, music, games, news and other things to watch, read or play.
    Video,
    /// Content delivery networks and hosting shared by many companies.
    Cdn,
    /// Everyday services of the big platforms and the web: search, accounts, mail, maps, app
    /// stores, updates, cloud storage, payments, captchas.
    Platform,
    /// Known, but none of the above (chat widgets, consent pop-ups, other tools).
    Other,
}

impl Category {
    /// All categories, in the order the UI lists them.
    pub const ALL: [Category; 7] = [
        Category::Advertising,
        Category::Analytics,
        Category::Social,
        Category::Video,
        Category::Cdn,
        Category::Platform,
        Category::Other,
    ];

    /// The name used in data files and the API (`"advertising"`, `"cdn"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Advertising => "advertising",
            Category::Analytics => "analytics",
            Category::Social => "social",
            Category::Video => "video",
            Category::Cdn => "cdn",
            Category::Platform => "platform",
            Category::Other => "other",
        }
    }

    /// A short label for legends and badges.
    pub fn label(self) -> &'static str {
        match self {
            Category::Advertising => "Advertising",
            Category::Analytics => "Tracking & analytics",
            Category::Social => "Social media",
            Category::Video => "Video & entertainment",
            Category::Cdn => "Delivery network",
            Category::Platform => "Platform services",
            Category::Other => "Other",
        }
    }

    /// One or two plain sentences for a classroom.
    pub fn explain(self) -> &'static str {
        match self {
            Category::Advertising => {
                "Companies that choose and show ads. To pick an ad for you they collect what \
                 you look at, often across many apps and websites."
            }
            Category::Analytics => {
                "Services that measure what you do in an app or on a website: which pages you \
                 open, how long you stay, what you tap. Many of them follow you from site to site."
            }
            Category::Social => {
                "Social networks and messaging apps: posts, photos, chats and the buttons and \
                 logins they put into other apps."
            }
            Category::Video => {
                "Video, music, games and news: the things you watch, play, listen to or read."
            }
            Category::Cdn => {
                "Delivery networks and hosting: big computer centres that store and hand out \
                 pictures, videos and code for many different companies, close to you so it \
                 loads fast."
            }
            Category::Platform => {
                "Everyday services of the phone or computer and the big platforms: search, \
                 accounts, mail, maps, app stores, updates, cloud storage and payments."
            }
            Category::Other => {
                "A known company whose service fits none of the other groups, for example chat \
                 help or cookie banners."
            }
        }
    }

    /// Advertising and analytics: the categories that count as tracking.
    pub fn is_tracking(self) -> bool {
        matches!(self, Category::Advertising | Category::Analytics)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the seven category names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown category {0:?} (expected one of advertising, analytics, social, video, cdn, platform, other)")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), c);
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
            assert!(!c.label().is_empty());
            assert!(c.explain().ends_with('.'));
        }
        assert!("ad".parse::<Category>().is_err());
    }

    #[test]
    fn tracking_categories() {
        let tracking: Vec<_> = Category::ALL
            .into_iter()
            .filter(|c| c.is_tracking())
            .collect();
        assert_eq!(tracking, [Category::Advertising, Category::Analytics]);
    }
}
