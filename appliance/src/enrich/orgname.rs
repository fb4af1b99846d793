//! Turning AS organization names into the names people know.
//!
//! AS registries name networks like `GOOGLE`, `AMAZON-02`, `FACEBOOK` or
//! `Akamai International B.V.`; a classroom wants "Google", "Amazon", "Meta", "Akamai". Known
//! networks map to the same organization names the domain lists use; anything else is cleaned
//! up (legal suffixes and AS decorations removed, shouting turned into title case).

/// AS-name keywords of the big networks, and the organization name they stand for. A keyword
/// matches a whole dash/space/dot-separated word of the AS name, case-insensitively.
const KNOWN: &[(&str, &str)] = &[
    ("google", "Google"),
    ("youtube", "Google"),
    ("facebook", "Meta"),
    ("meta", "Meta"),
    ("instagram", "Meta"),
    ("whatsapp", "Meta"),
    ("apple", "Apple"),
    ("microsoft", "Microsoft"),
    ("msn", "Microsoft"),
    ("amazon", "Amazon"),
    ("amazonaws", "Amazon"),
    ("aws", "Amazon"),
    ("bytedance", "ByteDance"),
    ("tiktok", "ByteDance"),
    ("snap", "Snap"),
    ("akamai", "Akamai"),
    ("cloudflarenet", "Cloudflare"),
    ("cloudflare", "Cloudflare"),
    ("fastly", "Fastly"),
    ("netflix", "Netflix"),
    ("spotify", "Spotify"),
    ("roblox", "Roblox"),
    ("discord", "Discord"),
    ("twitter", "X (Twitter)"),
    ("linkedin", "Microsoft"),
    ("edgecast", "Edgio"),
    ("limelight", "Edgio"),
    ("ovh", "OVHcloud"),
    ("hetzner", "Hetzner"),
    ("digitalocean", "DigitalOcean"),
];

/// Legal-form and AS-name decorations dropped from the end of a name.
const SUFFIXES: &[&str] = &[
    "llc",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "limited",
    "gmbh",
    "corp",
    "corp.",
    "corporation",
    "co",
    "co.",
    "company",
    "plc",
    "s.a.",
    "sa",
    "b.v.",
    "bv",
    "ag",
    "ab",
    "oy",
    "as",
    "asn",
    "as-block",
    "block",
    "net",
    "network",
    "networks",
    "international",
    "global",
    "l.l.c.",
    "s.r.l.",
    "srl",
    "pte",
    "pty",
    "sas",
    "se",
    "kg",
    "1",
    "2",
    "02",
    "01",
];

/// The organization name for an AS organization string; `None` for empty input.
pub fn normalise(as_org: &str) -> Option<String> {
    let trimmed = as_org.trim().trim_matches(|c: char| c == ',' || c == '.');
    if trimmed.is_empty() {
        return None;
    }
    let words: Vec<&str> = trimmed
        .split(['-', ' ', '_', ','])
        .filter(|w| !w.is_empty())
        .collect();
    for w in &words {
        let lw = w.to_ascii_lowercase();
        if let Some((_, org)) = KNOWN.iter().find(|(k, _)| *k == lw) {
            return Some((*org).to_owned());
        }
    }
    // `TELSTRA-AS-AP`: what follows an "AS" word is a registry decoration.
    let mut keep = words
        .iter()
        .skip(1)
        .position(|w| w.eq_ignore_ascii_case("as") || w.eq_ignore_ascii_case("asn"))
        .map_or(words.len(), |i| i + 1);
    while keep > 1 && SUFFIXES.contains(&words[keep - 1].to_ascii_lowercase().as_str()) {
        keep -= 1;
    }
    let kept = &words[..keep];
    let shouting = kept
        .iter()
        .all(|w| !w.chars().any(|c| c.is_ascii_lowercase()));
    let name: Vec<String> = kept
        .iter()
        .map(|w| {
            if shouting {
                title_case(w)
            } else {
                (*w).to_owned()
            }
        })
        .collect();
    Some(name.join(" "))
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn known_networks_get_the_names_people_know() {
        let cases = [
            ("GOOGLE", "Google"),
            ("Google LLC", "Google"),
            ("GOOGLE-CLOUD-PLATFORM", "Google"),
            ("AMAZON-02", "Amazon"),
            ("AMAZON-AES", "Amazon"),
            ("FACEBOOK", "Meta"),
            ("Meta Platforms, Inc.", "Meta"),
            ("MICROSOFT-CORP-MSN-AS-BLOCK", "Microsoft"),
            ("APPLE-ENGINEERING", "Apple"),
            ("CLOUDFLARENET", "Cloudflare"),
            ("Akamai International B.V.", "Akamai"),
            ("AKAMAI-AS", "Akamai"),
            ("FASTLY", "Fastly"),
            ("TIKTOK-SG", "ByteDance"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn others_are_cleaned_up() {
        assert_eq!(normalise("TELSTRA-AS-AP").as_deref(), Some("Telstra"));
        assert_eq!(
            normalise("Deutsche Telekom AG").as_deref(),
            Some("Deutsche Telekom")
        );
        assert_eq!(normalise("ORANGE-FR").as_deref(), Some("Orange Fr"));
        assert_eq!(normalise("Hetzner Online GmbH").as_deref(), Some("Hetzner"));
        assert_eq!(normalise("  "), None);
        assert_eq!(normalise("AS"), Some("As".into()), "a lone suffix is kept");
    }
}
