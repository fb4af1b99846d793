//! Friendly pseudonyms for the group views: "Blue Otter" 🦦, easy to say aloud and to read on
//! a projector, instead of a device's DHCP host name ("alice-laptop"), MAC or address.
//!
//! A pseudonym is picked by a keyed hash (HMAC-SHA-256) of the device's stable key — its MAC
//! when known, else its address — under a random key made for the session: the same device
//! keeps its pseudonym all session, a new session (or a restart) deals new ones, and nobody
//! can work a MAC back out of a pseudonym. Two devices never share one within a session: a
//! taken slot sends the next device on to the next free one, and after every colour and
//! animal is used (512 devices) a number is added ("Blue Otter 2").
//!
//! Bounded: at most `capacity` keys are remembered, least recently used first out (its slot
//! is freed).

use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroUsize;

use fluent_bundle::FluentValue;
use lru::LruCache;
use ring::hmac;
use serde::{Serialize, Serializer};

use super::mac::MacAddr;
use super::name::NameWords;
use crate::i18n::Tr;

/// Colours easy to say and to tell apart (no skin or people colours). In English: the
/// stable form (the API's `pseudonym`, the IPFIX export, the CSV); the catalogues say them as
/// `colour-<lowercase>` (views.ftl).
const COLOURS: [&str; 16] = [
    "Red", "Orange", "Gold", "Green", "Blue", "Purple", "Pink", "Silver", "Teal", "Coral",
    "Violet", "Mint", "Amber", "Lime", "Navy", "Ruby",
];

/// Animals with their emoji (single code points, so every system draws them the same way);
/// the catalogues say them as `animal-<lowercase>` with a `.gender` the colour agrees with.
const ANIMALS: [(&str, &str); 32] = [
    ("Otter", "🦦"),
    ("Fox", "🦊"),
    ("Panda", "🐼"),
    ("Koala", "🐨"),
    ("Tiger", "🐯"),
    ("Lion", "🦁"),
    ("Rabbit", "🐰"),
    ("Owl", "🦉"),
    ("Penguin", "🐧"),
    ("Dolphin", "🐬"),
    ("Whale", "🐳"),
    ("Turtle", "🐢"),
    ("Frog", "🐸"),
    ("Bee", "🐝"),
    ("Butterfly", "🦋"),
    ("Octopus", "🐙"),
    ("Hedgehog", "🦔"),
    ("Hamster", "🐹"),
    ("Deer", "🦌"),
    ("Zebra", "🦓"),
    ("Giraffe", "🦒"),
    ("Elephant", "🐘"),
    ("Camel", "🐫"),
    ("Kangaroo", "🦘"),
    ("Parrot", "🦜"),
    ("Flamingo", "🦩"),
    ("Swan", "🦢"),
    ("Duck", "🦆"),
    ("Seal", "🦭"),
    ("Beaver", "🦫"),
    ("Llama", "🦙"),
    ("Badger", "🦡"),
];

/// Colour × animal pairs before numbers are added.
const SLOTS: u32 = (COLOURS.len() * ANIMALS.len()) as u32;

/// A device's pseudonym for the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pseudonym {
    /// Colour × animal index, plus `SLOTS` per round after all were used.
    slot: u32,
}

impl Pseudonym {
    /// The colour word ("Blue").
    pub fn colour(self) -> &'static str {
        COLOURS[(self.slot % SLOTS) as usize / ANIMALS.len()]
    }

    /// The animal word ("Otter").
    pub fn animal(self) -> &'static str {
        ANIMALS[(self.slot % SLOTS) as usize % ANIMALS.len()].0
    }

    /// The animal's emoji ("🦦").
    pub fn emoji(self) -> &'static str {
        ANIMALS[(self.slot % SLOTS) as usize % ANIMALS.len()].1
    }
}

impl Pseudonym {
    /// The catalogue words (`pseudonym`, views.ftl): the colour's and the animal's ids
    /// (`blue`, `otter`) and, after the first round, its number. The same slot in every
    /// language: only the words change.
    pub fn words(self) -> NameWords {
        let mut args = std::collections::BTreeMap::new();
        args.insert("colour", self.colour().to_lowercase());
        args.insert("animal", self.animal().to_lowercase());
        let id = match self.slot / SLOTS {
            0 => "pseudonym",
            round => {
                args.insert("round", (round + 1).to_string());
                "pseudonym-numbered"
            }
        };
        NameWords { id, args }
    }

    /// In the language of `tr`: the animal and its gender, the colour in that gender, both
    /// in the language's order (all three chosen by the catalogue).
    pub fn say(self, tr: Tr) -> String {
        say_words(&self.words(), tr)
    }
}

/// [`Pseudonym::words`] said in the language of `tr` (the scripts do the same:
/// `pseudonymName` in `web-templates/src/lib/i18n.js`).
pub(crate) fn say_words(w: &NameWords, tr: Tr) -> String {
    let arg = |k: &str| w.args.get(k).map_or("", String::as_str);
    let animal = format!("animal-{}", arg("animal"));
    let gender = tr.attr(&animal, "gender");
    let colour = tr.t1(&format!("colour-{}", arg("colour")), "gender", &gender);
    tr.ta(
        w.id,
        [
            ("colour", FluentValue::from(colour)),
            ("animal", FluentValue::from(tr.t(&animal))),
            ("round", FluentValue::from(arg("round"))),
        ],
    )
}

impl fmt::Display for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.colour(), self.animal())?;
        match self.slot / SLOTS {
            0 => Ok(()),
            round => write!(f, " {}", round + 1),
        }
    }
}

impl Serialize for Pseudonym {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a pseudonym is kept under: the MAC when known, else the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StableKey {
    /// A device known by its MAC address.
    Mac(MacAddr),
    /// An address with no known MAC (yet).
    Ip(IpAddr),
}

impl StableKey {
    fn bytes(self) -> Vec<u8> {
        match self {
            StableKey::Mac(m) => [&[b'm'][..], &m.0[..]].concat(),
            StableKey::Ip(IpAddr::V4(a)) => [&[b'4'][..], &a.octets()[..]].concat(),
            StableKey::Ip(IpAddr::V6(a)) => [&[b'6'][..], &a.octets()[..]].concat(),
        }
    }
}

/// The session's pseudonyms (see the module docs). Not shared by itself: the registry keeps
/// it behind its lock.
pub struct Pseudonyms {
    secret: [u8; 32],
    key: hmac::Key,
    by_key: LruCache<StableKey, Pseudonym>,
    taken: HashSet<u32>,
}

impl Pseudonyms {
    /// Pseudonyms for a new session, remembering at most `capacity` devices and addresses.
    pub fn new(capacity: usize) -> Pseudonyms {
        let mut secret = [0u8; 32];
        rand::fill(&mut secret[..]);
        Pseudonyms::with_secret(capacity, secret)
    }

    /// Pseudonyms under a saved session key (a restart within the session).
    pub fn with_secret(capacity: usize, secret: [u8; 32]) -> Pseudonyms {
        Pseudonyms {
            secret,
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            by_key: LruCache::new(NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN)),
            taken: HashSet::new(),
        }
    }

    /// Forget every pseudonym and draw a new key: a new session deals new names.
    pub fn new_session(&mut self) {
        *self = Pseudonyms::new(self.capacity());
    }

    /// The bound it was created with.
    pub fn capacity(&self) -> usize {
        self.by_key.cap().get()
    }

    /// The session key, to be saved (see `store::pseudonym_key`).
    pub fn secret(&self) -> [u8; 32] {
        self.secret
    }

    /// The pseudonym of `key`, dealt now if it has none.
    pub fn get(&mut self, key: StableKey) -> Pseudonym {
        if let Some(p) = self.by_key.get(&key) {
            return *p;
        }
        let tag = hmac::sign(&self.key, &key.bytes());
        let mut h = [0u8; 4];
        h.copy_from_slice(&tag.as_ref()[..4]);
        let start = u32::from_be_bytes(h) % SLOTS;
        // The LRU's bound keeps `taken` below `capacity`, so this ends within capacity + 1
        // steps; on a full cache the evicted key's slot is freed below first.
        if self.by_key.len() == self.by_key.cap().get() {
            if let Some((_, old)) = self.by_key.pop_lru() {
                self.taken.remove(&old.slot);
            }
        }
        let mut slot = start;
        while self.taken.contains(&slot) {
            slot = next_slot(slot, start);
        }
        let p = Pseudonym { slot };
        self.taken.insert(slot);
        self.by_key.put(key, p);
        p
    }

    /// An address's pseudonym becomes its device's once the MAC is learnt (if the device has
    /// none yet), so the name people saw does not change a second after joining.
    pub fn adopt(&mut self, from: StableKey, to: StableKey) {
        if self.by_key.contains(&to) {
            return;
        }
        if let Some(p) = self.by_key.pop(&from) {
            self.by_key.put(to, p);
        }
    }

    /// Forget a key's pseudonym (a forgotten device).
    pub fn remove(&mut self, key: StableKey) {
        if let Some(p) = self.by_key.pop(&key) {
            self.taken.remove(&p.slot);
        }
    }
}

/// The slot after `slot` in a probe that began at `start`: round the colour × animal pairs,
/// then on to the next round's (numbered) copies.
fn next_slot(slot: u32, start: u32) -> u32 {
    let round = slot / SLOTS;
    let next = (slot % SLOTS + 1) % SLOTS;
    if next == start {
        (round + 1).saturating_mul(SLOTS).saturating_add(start)
    } else {
        round * SLOTS + next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The pseudonym of colour `c` and animal `a` (their English words) in `round`.
    fn named(c: &str, a: &str, round: u32) -> Pseudonym {
        let ci = COLOURS.iter().position(|x| *x == c).unwrap();
        let ai = ANIMALS.iter().position(|x| x.0 == a).unwrap();
        Pseudonym {
            slot: round * SLOTS + (ci * ANIMALS.len() + ai) as u32,
        }
    }

    #[test]
    fn pseudonyms_agree_in_each_language() {
        let say = |c, a, lang| named(c, a, 0).say(Tr::new(lang));
        let cases = [
            (
                "Blue",
                "Otter",
                ["Blue Otter", "Blauer Otter", "Loutre bleue", "Nutria azul"],
            ),
            (
                "Blue",
                "Owl",
                ["Blue Owl", "Blaue Eule", "Chouette bleue", "Búho azul"],
            ),
            (
                "Blue",
                "Zebra",
                ["Blue Zebra", "Blaues Zebra", "Zèbre bleu", "Cebra azul"],
            ),
            (
                "Red",
                "Fox",
                ["Red Fox", "Roter Fuchs", "Renard rouge", "Zorro rojo"],
            ),
            (
                "Red",
                "Bee",
                ["Red Bee", "Rote Biene", "Abeille rouge", "Abeja roja"],
            ),
            (
                "Silver",
                "Turtle",
                [
                    "Silver Turtle",
                    "Silberne Schildkröte",
                    "Tortue argentée",
                    "Tortuga plateada",
                ],
            ),
            (
                "Gold",
                "Camel",
                [
                    "Gold Camel",
                    "Goldenes Kamel",
                    "Chameau doré",
                    "Camello dorado",
                ],
            ),
            (
                "Violet",
                "Butterfly",
                [
                    "Violet Butterfly",
                    "Violetter Schmetterling",
                    "Papillon violet",
                    "Mariposa violeta",
                ],
            ),
        ];
        for (c, a, said) in cases {
            for (lang, want) in Lang::ALL.into_iter().zip(said) {
                assert_eq!(say(c, a, lang), want, "{lang}");
            }
        }
        // Arabic: the noun first, the colour agreeing with it (right to left on the page).
        for (c, a, want) in [
            ("Blue", "Otter", "قضاعة زرقاء"),
            ("Blue", "Owl", "بومة زرقاء"),
            ("Red", "Fox", "ثعلب أحمر"),
            ("Red", "Bee", "نحلة حمراء"),
            ("Gold", "Camel", "جمل ذهبي"),
        ] {
            assert_eq!(say(c, a, Lang::Ar), want);
        }
        // A later round keeps its number; the English is the stable form.
        let p = named("Green", "Owl", 1);
        assert_eq!(p.to_string(), "Green Owl 2");
        assert_eq!(p.say(Tr::new(Lang::De)), "Grüne Eule 2");
        assert_eq!(p.say(Tr::new(Lang::Fr)), "Chouette verte 2");
        assert_eq!(p.say(Tr::new(Lang::En)), p.to_string());
    }

    #[test]
    fn every_pseudonym_is_said_and_distinct_in_every_language() {
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            let mut seen = HashSet::new();
            for slot in 0..SLOTS {
                let said = Pseudonym { slot }.say(tr);
                assert!(!said.contains('⟦') && !said.contains('{'), "{lang}: {said}");
                assert!(seen.insert(said.clone()), "{lang}: {said} twice");
            }
            // English says exactly the stable form.
            if lang == Lang::En {
                for slot in [0, 17, SLOTS - 1, SLOTS + 3] {
                    assert_eq!(Pseudonym { slot }.say(tr), Pseudonym { slot }.to_string());
                }
            }
        }
    }

    fn mac(i: u16) -> StableKey {
        let [a, b] = i.to_be_bytes();
        StableKey::Mac(MacAddr([0x02, 0, 0, 0, a, b]))
    }

    #[test]
    fn stable_within_a_session_and_new_in_the_next() {
        let mut p = Pseudonyms::new(100);
        let first: Vec<Pseudonym> = (0..20).map(|i| p.get(mac(i))).collect();
        let again: Vec<Pseudonym> = (0..20).rev().map(|i| p.get(mac(i))).collect();
        assert_eq!(first, again.into_iter().rev().collect::<Vec<_>>());
        p.new_session();
        let next: Vec<Pseudonym> = (0..20).map(|i| p.get(mac(i))).collect();
        // 20 devices all dealt the same 20 names by a new key: 1 in ~10^50.
        assert_ne!(first, next);
        // The same key (saved, after a restart) deals the same names, in any order.
        let mut again = Pseudonyms::with_secret(100, p.secret());
        let restored: Vec<Pseudonym> = (0..20).map(|i| again.get(mac(i))).collect();
        assert_eq!(next, restored);
    }

    #[test]
    fn never_two_devices_with_one_name() {
        let mut p = Pseudonyms::new(2000);
        let names: HashSet<String> = (0..1100).map(|i| p.get(mac(i)).to_string()).collect();
        assert_eq!(names.len(), 1100);
        // Past 512 devices, numbered copies.
        assert!(names.iter().any(|n| n.ends_with(" 2")), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(" 3")), "{names:?}");
    }

    #[test]
    fn easy_to_say_words_and_an_emoji() {
        let mut p = Pseudonyms::new(10);
        let x = p.get(StableKey::Ip("192.0.2.7".parse().unwrap()));
        let text = x.to_string();
        let (colour, animal) = text.split_once(' ').unwrap();
        assert!(COLOURS.contains(&colour), "{text}");
        assert!(ANIMALS.iter().any(|(a, _)| *a == animal), "{text}");
        assert_eq!(x.emoji().chars().count(), 1);
        assert_eq!(serde_json::to_value(x).unwrap(), text.as_str());
        for (a, e) in ANIMALS {
            assert!(a.chars().all(|c| c.is_ascii_alphabetic()), "{a}");
            assert_eq!(e.chars().count(), 1, "{a}");
        }
    }

    #[test]
    fn bounded_and_slots_freed() {
        let mut p = Pseudonyms::new(3);
        for i in 0..100 {
            p.get(mac(i));
        }
        assert_eq!(p.by_key.len(), 3);
        assert_eq!(p.taken.len(), 3);
        p.remove(mac(99));
        assert_eq!(p.taken.len(), 2);
    }

    #[test]
    fn an_address_name_moves_to_the_device() {
        let mut p = Pseudonyms::new(10);
        let ip = StableKey::Ip("192.0.2.7".parse().unwrap());
        let before = p.get(ip);
        p.adopt(ip, mac(1));
        assert_eq!(p.get(mac(1)), before);
    }
}
