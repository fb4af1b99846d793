//! Domain classification against the built-in lists: a table of real hostnames a classroom
//! sees (organization, category, tracker flag), the registrable-domain rules, and errors in
//! list files. After `blocklists/refresh`, this test is what catches a source changing its mind
//! about a big platform.

use whereflow::enrich::domains::{ClassifierError, DomainClassifier};
use whereflow::enrich::suffix::registrable_domain;
use whereflow::model::{Category, Category::*, Domain};

/// (host, organization, category, tracker). `None` = not in any list.
#[rustfmt::skip]
const TABLE: &[(&str, Option<&str>, Option<Category>, bool)] = &[
    // Google: search and accounts are platform, not tracking; ads and analytics are.
    ("www.google.com", Some("Google"), Some(Platform), false),
    ("www.google.co.uk", Some("Google"), Some(Platform), false),
    ("clients3.google.com", Some("Google"), Some(Platform), false),
    ("mail.google.com", Some("Google"), Some(Platform), false),
    ("mtalk.google.com", Some("Google"), Some(Platform), false),
    ("android.clients.google.com", Some("Google"), Some(Platform), false),
    ("play.googleapis.com", Some("Google"), Some(Platform), false),
    ("firebaseinstallations.googleapis.com", Some("Google"), Some(Platform), false),
    ("connectivitycheck.gstatic.com", Some("Google"), Some(Platform), false),
    ("lhr25s34-in-f14.1e100.net", Some("Google"), Some(Platform), false),
    ("dns.google", Some("Google"), Some(Platform), false),
    ("fonts.gstatic.com", Some("Google"), Some(Cdn), false),
    ("fonts.googleapis.com", Some("Google"), Some(Cdn), false),
    ("www.gstatic.com", Some("Google"), Some(Cdn), false),
    ("ajax.googleapis.com", Some("Google"), Some(Cdn), false),
    // third-party-web lists this exact host (Maps imagery); exact hosts from the lists stand.
    ("lh3.googleusercontent.com", Some("Google"), Some(Platform), false),
    ("doc-0s-9c-docs.googleusercontent.com", Some("Google"), Some(Cdn), false),
    ("www.youtube.com", Some("Google"), Some(Video), false),
    ("i.ytimg.com", Some("Google"), Some(Video), false),
    ("rr3---sn-xyz.googlevideo.com", Some("Google"), Some(Video), false),
    ("yt3.ggpht.com", Some("Google"), Some(Video), false),
    ("youtubei.googleapis.com", Some("Google"), Some(Video), false),
    ("googleads.g.doubleclick.net", Some("Google"), Some(Advertising), true),
    ("stats.g.doubleclick.net", Some("Google"), Some(Advertising), true),
    ("pagead2.googlesyndication.com", Some("Google"), Some(Advertising), true),
    ("www.googleadservices.com", Some("Google"), Some(Advertising), true),
    ("adservice.google.com", Some("Google"), Some(Advertising), true),
    ("adservice.google.de", Some("Google"), Some(Advertising), true),
    ("imasdk.googleapis.com", Some("Google"), Some(Advertising), true),
    ("www.google-analytics.com", Some("Google"), Some(Analytics), true),
    ("region1.google-analytics.com", Some("Google"), Some(Analytics), true),
    ("www.googletagmanager.com", Some("Google"), Some(Analytics), true),
    ("app-measurement.com", Some("Google"), Some(Analytics), true),
    // Host-level tracker rule inside a platform host: category stays, flag comes from EasyPrivacy.
    ("csi.gstatic.com", Some("Google"), Some(Platform), true),
    // Meta.
    ("www.facebook.com", Some("Meta"), Some(Social), false),
    ("graph.facebook.com", Some("Meta"), Some(Social), false),
    ("edge-mqtt.facebook.com", Some("Meta"), Some(Social), false),
    ("scontent-lhr8-1.xx.fbcdn.net", Some("Meta"), Some(Social), false),
    ("static.xx.fbcdn.net", Some("Meta"), Some(Social), false),
    ("www.instagram.com", Some("Meta"), Some(Social), false),
    ("scontent.cdninstagram.com", Some("Meta"), Some(Social), false),
    ("web.whatsapp.com", Some("Meta"), Some(Social), false),
    ("mmg.whatsapp.net", Some("Meta"), Some(Social), false),
    ("www.threads.net", Some("Meta"), Some(Social), false),
    ("an.facebook.com", Some("Meta"), Some(Advertising), true),
    ("pixel.facebook.com", Some("Meta"), Some(Analytics), true),
    ("analytics.facebook.com", Some("Meta"), Some(Social), true),
    // Apple: third-party-web files *.apple.com under an ad product; the host level says platform.
    ("www.apple.com", Some("Apple"), Some(Platform), false),
    ("api.push.apple.com", Some("Apple"), Some(Platform), false),
    ("gateway.icloud.com", Some("Apple"), Some(Platform), false),
    ("p47-caldav.icloud.com", Some("Apple"), Some(Platform), false),
    ("is1-ssl.mzstatic.com", Some("Apple"), Some(Platform), false),
    ("ocsp2.g.aaplimg.com", Some("Apple"), Some(Platform), false),
    ("updates.cdn-apple.com", Some("Apple"), Some(Platform), false),
    ("music.apple.com", Some("Apple"), Some(Video), false),
    ("xp.apple.com", Some("Apple"), Some(Analytics), true),
    ("iadsdk.apple.com", Some("Apple"), Some(Advertising), true),
    ("metrics.mzstatic.com", Some("Apple"), Some(Platform), true),
    // Microsoft (with LinkedIn, GitHub, Xbox, Xandr).
    ("www.microsoft.com", Some("Microsoft"), Some(Platform), false),
    ("login.microsoftonline.com", Some("Microsoft"), Some(Platform), false),
    ("outlook.office365.com", Some("Microsoft"), Some(Platform), false),
    ("teams.microsoft.com", Some("Microsoft"), Some(Platform), false),
    ("www.msftconnecttest.com", Some("Microsoft"), Some(Platform), false),
    ("www.bing.com", Some("Microsoft"), Some(Platform), false),
    ("github.com", Some("Microsoft"), Some(Platform), false),
    ("raw.githubusercontent.com", Some("Microsoft"), Some(Cdn), false),
    ("ajax.aspnetcdn.com", Some("Microsoft"), Some(Cdn), false),
    ("www.linkedin.com", Some("Microsoft"), Some(Social), false),
    ("static.licdn.com", Some("Microsoft"), Some(Social), false),
    ("xsts.auth.xboxlive.com", Some("Microsoft"), Some(Video), false),
    ("bat.bing.com", Some("Microsoft"), Some(Advertising), true),
    ("px.ads.linkedin.com", Some("Microsoft"), Some(Advertising), true),
    ("ib.adnxs.com", Some("Microsoft"), Some(Advertising), true),
    ("v10.events.data.microsoft.com", Some("Microsoft"), Some(Analytics), true),
    ("c.clarity.ms", Some("Microsoft"), Some(Analytics), true),
    // Amazon (with AWS and Twitch).
    ("www.amazon.com", Some("Amazon"), Some(Platform), false),
    ("www.amazon.co.uk", Some("Amazon"), Some(Platform), false),
    ("m.media-amazon.com", Some("Amazon"), Some(Platform), false),
    ("s3.amazonaws.com", Some("Amazon"), Some(Cdn), false),
    ("d3c33hcgiwev3.cloudfront.net", Some("Amazon"), Some(Cdn), false),
    ("atv-ps.primevideo.com", Some("Amazon"), Some(Video), false),
    ("www.twitch.tv", Some("Amazon"), Some(Video), false),
    ("video-weaver.fra05.hls.ttvnw.net", Some("Amazon"), Some(Video), false),
    ("aax.amazon-adsystem.com", Some("Amazon"), Some(Advertising), true),
    ("device-metrics-us.amazon.com", Some("Amazon"), Some(Analytics), true),
    // ByteDance.
    ("www.tiktok.com", Some("ByteDance"), Some(Social), false),
    ("p16-sign-va.tiktokcdn.com", Some("ByteDance"), Some(Social), false),
    ("api16-normal-c-useast1a.tiktokv.com", Some("ByteDance"), Some(Social), false),
    ("sf16-scmcdn-sg.ibytedtos.com", Some("ByteDance"), Some(Social), false),
    ("www.capcut.com", Some("ByteDance"), Some(Video), false),
    ("analytics.tiktok.com", Some("ByteDance"), Some(Analytics), true),
    ("mon.tiktokv.com", Some("ByteDance"), Some(Analytics), true),
    ("mcs.tiktokv.us", Some("ByteDance"), Some(Social), true),
    // Snap.
    ("app.snapchat.com", Some("Snap"), Some(Social), false),
    ("cf-st.sc-cdn.net", Some("Snap"), Some(Social), false),
    ("tr.snapchat.com", Some("Snap"), Some(Advertising), true),
    // Shared delivery networks, and services that use them (longest match wins).
    ("a248.e.akamai.net", Some("Akamai"), Some(Cdn), false),
    ("e1234.dscb.akamaiedge.net", Some("Akamai"), Some(Cdn), false),
    ("www.apple.com.edgekey.net", Some("Akamai"), Some(Cdn), false),
    ("c.go-mpulse.net", Some("Akamai"), Some(Analytics), true),
    ("audio-ak-spotify-com.akamaized.net", Some("Spotify"), Some(Video), false),
    ("cdnjs.cloudflare.com", Some("Cloudflare"), Some(Cdn), false),
    ("www.cloudflare.com", Some("Cloudflare"), Some(Cdn), false),
    ("my-app.workers.dev", Some("Cloudflare"), Some(Cdn), false),
    ("cloudflare-dns.com", Some("Cloudflare"), Some(Platform), false),
    ("static.cloudflareinsights.com", Some("Cloudflare"), Some(Analytics), true),
    ("dualstack.reddit.map.fastly.net", Some("Fastly"), Some(Cdn), false),
    ("www.fastly-insights.com", Some("Fastly"), Some(Analytics), true),
    ("cdn.jsdelivr.net", Some("JSDelivr CDN"), Some(Cdn), false),
    // Entertainment.
    ("www.netflix.com", Some("Netflix"), Some(Video), false),
    ("ipv4-c001-lhr001-ix.1.oca.nflxvideo.net", Some("Netflix"), Some(Video), false),
    ("occ-0-1-2.1.nflxso.net", Some("Netflix"), Some(Video), false),
    ("logs.netflix.com", Some("Netflix"), Some(Video), true),
    ("open.spotify.com", Some("Spotify"), Some(Video), false),
    ("i.scdn.co", Some("Spotify"), Some(Video), false),
    ("apresolve.spotify.com", Some("Spotify"), Some(Video), false),
    ("www.roblox.com", Some("Roblox"), Some(Video), false),
    ("tr.rbxcdn.com", Some("Roblox"), Some(Video), false),
    ("metrics.roblox.com", Some("Roblox"), Some(Video), true),
    ("store.steampowered.com", Some("Valve"), Some(Video), false),
    ("www.epicgames.com", Some("Epic Games"), Some(Video), false),
    ("en.wikipedia.org", Some("Wikimedia Foundation"), Some(Video), false),
    ("upload.wikimedia.org", Some("Wikimedia Foundation"), Some(Video), false),
    ("kahoot.it", Some("Kahoot"), Some(Video), false),
    // Social and messaging.
    ("discord.com", Some("Discord"), Some(Social), false),
    ("cdn.discordapp.com", Some("Discord"), Some(Social), false),
    ("gateway.discord.gg", Some("Discord"), Some(Social), false),
    ("x.com", Some("X (Twitter)"), Some(Social), false),
    ("pbs.twimg.com", Some("X (Twitter)"), Some(Social), false),
    ("t.co", Some("X (Twitter)"), Some(Social), false),
    ("static.ads-twitter.com", Some("X (Twitter)"), Some(Advertising), true),
    ("www.reddit.com", Some("Reddit"), Some(Social), false),
    ("i.pinimg.com", Some("Pinterest"), Some(Social), false),
    // Other platforms.
    ("zoom.us", Some("Zoom"), Some(Platform), false),
    ("us05web.zoom.us", Some("Zoom"), Some(Platform), false),
    ("login.yahoo.com", Some("Yahoo"), Some(Platform), false),
    ("firefox.settings.services.mozilla.com", Some("Mozilla"), Some(Platform), false),
    ("incoming.telemetry.mozilla.org", Some("Mozilla"), Some(Analytics), true),
    ("js.stripe.com", Some("Stripe"), Some(Platform), false),
    ("www.paypal.com", Some("PayPal"), Some(Platform), false),
    ("cdn.cookielaw.org", Some("Optanon"), Some(Other), false),
    // Ad networks and analytics from third-party-web and the curated app SDKs.
    ("static.criteo.net", Some("Criteo"), Some(Advertising), true),
    ("cdn.taboola.com", Some("Taboola"), Some(Advertising), true),
    ("widgets.outbrain.com", Some("Outbrain"), Some(Advertising), true),
    ("fastlane.rubiconproject.com", Some("Rubicon Project"), Some(Advertising), true),
    ("ads.pubmatic.com", Some("Pubmatic"), Some(Advertising), true),
    ("d.adroll.com", Some("Adroll"), Some(Advertising), true),
    ("sb.scorecardresearch.com", Some("Scorecard Research"), Some(Advertising), true),
    ("secure.quantserve.com", Some("Quantcast"), Some(Analytics), true),
    ("static.hotjar.com", Some("Hotjar"), Some(Analytics), true),
    ("api-js.mixpanel.com", Some("Mixpanel"), Some(Analytics), true),
    ("api2.amplitude.com", Some("Amplitude"), Some(Analytics), true),
    ("cdn.segment.com", Some("Segment"), Some(Analytics), true),
    ("bam.nr-data.net", Some("New Relic"), Some(Platform), true),
    ("d.applovin.com", Some("AppLovin"), Some(Advertising), true),
    ("app.adjust.com", Some("AppLovin"), Some(Analytics), true),
    ("auction.unityads.unity3d.com", Some("Unity"), Some(Advertising), true),
    ("t.appsflyer.com", Some("AppsFlyer"), Some(Analytics), true),
    ("api2.branch.io", Some("Branch"), Some(Analytics), true),
    ("sdk.iad-01.braze.com", Some("Braze"), Some(Analytics), true),
    ("o123.ingest.sentry.io", Some("Sentry"), Some(Analytics), true),
    ("ads.mopub.com", Some("AppLovin"), Some(Advertising), true),
    ("live.chartboost.com", Some("Chartboost"), Some(Advertising), true),
    ("api.vungle.com", Some("Liftoff"), Some(Advertising), true),
    ("control.kochava.com", Some("Kochava"), Some(Analytics), true),
    // EasyList/EasyPrivacy only: a tracker without a known organization.
    ("api.kissmetrics.io", None, None, true),
    // Not in any list.
    ("www.bbc.co.uk", None, None, false),
    ("example.com", None, None, false),
    ("printer.lan", None, None, false),
    ("localhost", None, None, false),
];

fn classifier() -> DomainClassifier {
    DomainClassifier::builtin().expect("built-in lists load")
}

#[test]
fn table_of_real_hostnames() {
    let c = classifier();
    assert!(TABLE.len() >= 100, "table has {} rows", TABLE.len());
    let mut wrong = Vec::new();
    for &(host, org, category, tracker) in TABLE {
        let got = c.classify(&Domain::new(host).unwrap());
        if got.org.as_deref() != org || got.category != category || got.tracker != tracker {
            wrong.push(format!(
                "{host}: want {org:?}/{category:?}/tracker={tracker}, got {:?}/{:?}/tracker={}",
                got.org.as_deref(),
                got.category,
                got.tracker
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_curated_platform_is_covered_by_the_table() {
    let orgs: std::collections::HashSet<&str> = TABLE.iter().filter_map(|r| r.1).collect();
    for org in [
        "Google",
        "Meta",
        "Apple",
        "Microsoft",
        "Amazon",
        "ByteDance",
        "Snap",
        "Akamai",
        "Cloudflare",
        "Fastly",
        "Netflix",
        "Spotify",
        "Roblox",
        "Discord",
    ] {
        assert!(orgs.contains(org), "{org} missing from the table");
    }
    for cat in Category::ALL {
        assert!(
            TABLE.iter().any(|r| r.2 == Some(cat)),
            "{cat} missing from the table"
        );
    }
}

#[test]
fn builtin_lists_are_substantial() {
    let c = classifier();
    let (domains, trackers) = c.counts();
    assert!(domains > 3000, "{domains} domain entries");
    assert!(trackers > 50_000, "{trackers} tracker hosts");
    // Upper case and a trailing dot are normalised by Domain before lookup.
    let got = c.classify(&Domain::new("WWW.Apple.COM.").unwrap());
    assert_eq!(got.org.as_deref(), Some("Apple"));
}

/// (host, registrable domain)
#[rustfmt::skip]
const REGISTRABLE: &[(&str, Option<&str>)] = &[
    ("bbc.co.uk", Some("bbc.co.uk")),
    ("www.bbc.co.uk", Some("bbc.co.uk")),
    ("a.b.example.com", Some("example.com")),
    ("rr3---sn-xyz.googlevideo.com", Some("googlevideo.com")),
    ("googleads.g.doubleclick.net", Some("doubleclick.net")),
    // Private section of the list: each GitHub Pages / Blogspot site is its own registrable domain.
    ("foo.github.io", Some("foo.github.io")),
    ("www.foo.github.io", Some("foo.github.io")),
    ("bar.blogspot.com", Some("bar.blogspot.com")),
    ("d3c33hcgiwev3.cloudfront.net", Some("d3c33hcgiwev3.cloudfront.net")),
    // IDN in punycode (münchen.de, 例え.jp).
    ("www.xn--mnchen-3ya.de", Some("xn--mnchen-3ya.de")),
    ("xn--r8jz45g.jp", Some("xn--r8jz45g.jp")),
    ("shop.example.xn--p1ai", Some("example.xn--p1ai")),
    // xn--hkkinen-5wa.fi (hääkkinen.fi) is itself on the list, so one more label is kept.
    ("www.city.xn--hkkinen-5wa.fi", Some("city.xn--hkkinen-5wa.fi")),
    // Unknown top-level domains: the last label is the suffix (the list's implicit "*" rule).
    ("nas.lan", Some("nas.lan")),
    ("printer.office.lan", Some("office.lan")),
    ("service.test", Some("service.test")),
    // Nothing a person could register.
    ("localhost", None),
    ("wpad", None),
    ("co.uk", None),
    ("github.io", None),
    ("com", None),
    ("192.0.2.1", None),
];

#[test]
fn registrable_domains() {
    for &(host, want) in REGISTRABLE {
        let got = registrable_domain(&Domain::new(host).unwrap());
        assert_eq!(got.as_ref().map(Domain::as_str), want, "{host}");
    }
}

#[test]
fn from_text_errors_name_the_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "# c\nok.com\tOk\tother\nbad line\n",
            "",
            "domains list line 3",
        ),
        ("ok.com\tOk\tads\n", "", "line 1: unknown category"),
        ("ok.com\t \tother\n", "", "line 1: empty organization"),
        (
            "ok.com\tA\tother\nok.com\tB\tsocial\n",
            "",
            "line 2: host listed twice",
        ),
        ("a..b\tA\tother\n", "", "line 1"),
        ("com\tA\tother\n", "", "line 1"),
        ("x.com\tA\tother\tmore\n", "", "line 1"),
        ("", "ok.example\n\n# c\nnot a host\n", "tracker list line 4"),
        ("", "caf\u{e9}.example\n", "tracker list line 1"),
    ];
    for &(tsv, trackers, want) in cases {
        match DomainClassifier::from_text(tsv, trackers) {
            Ok(_) => panic!("accepted {tsv:?} / {trackers:?}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.contains(want), "{msg:?} should contain {want:?}");
                assert!(matches!(
                    e,
                    ClassifierError::Domains { .. } | ClassifierError::Trackers { .. }
                ));
            }
        }
    }
}

#[test]
fn from_text_accepts_crlf_comments_and_case() {
    let c = DomainClassifier::from_text(
        "# header\r\nExample.COM\tExample\tcdn\r\n",
        "# rules\r\nTrack.Example.com\r\n",
    )
    .unwrap();
    assert_eq!(c.counts(), (1, 1));
    let got = c.classify(&Domain::new("a.track.example.com").unwrap());
    assert_eq!(got.org.as_deref(), Some("Example"));
    assert_eq!(got.category, Some(Category::Cdn));
    assert!(got.tracker);
}
