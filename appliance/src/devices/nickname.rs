//! The rules for a nickname a person gives their device: letters, digits, spaces, common
//! punctuation and emoji; nothing invisible or stacking (zero-width characters, text-direction
//! marks, control characters, piles of combining marks) that could hide text, make a name
//! display as another or spill over the projector; at most [`MAX_NICKNAME_CHARS`] characters;
//! and not an obvious insult (a small built-in word list, matched through common
//! l33t spellings and separators).

/// Most characters in a nickname.
pub const MAX_NICKNAME_CHARS: usize = 32;

/// Most combining marks on one base character (enough for any script's accents, not for
/// "Zalgo" text that climbs over the lines around it).
const MAX_MARKS_PER_BASE: usize = 2;

/// Why a nickname was refused (the message is shown to the person).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NicknameError {
    /// Nothing left after trimming spaces.
    #[error("the nickname is empty")]
    Empty,
    /// Longer than [`MAX_NICKNAME_CHARS`] characters.
    #[error("the nickname is longer than {MAX_NICKNAME_CHARS} characters")]
    TooLong,
    /// Contains control characters (or invisible text-direction marks).
    #[error("the nickname contains control characters or text-direction marks")]
    ControlCharacter,
    /// Contains an invisible character (zero-width space, word joiner, filler...).
    #[error("the nickname contains an invisible character")]
    Invisible,
    /// More than [`MAX_MARKS_PER_BASE`] combining marks on one letter.
    #[error("the nickname stacks too many accents on one letter")]
    StackedMarks,
    /// Bytes that are not UTF-8 text (decoded as U+FFFD on the way in) or an object
    /// replacement character.
    #[error("the nickname is not valid text (UTF-8)")]
    NotText,
    /// A word from the built-in list of insults.
    #[error("please pick a friendlier nickname")]
    Rude,
}

/// Text-direction marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E,
/// U+2066–9): they can make a name display as another.
fn direction_mark(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing: zero-width space/joiners, word joiner and invisible
/// operators, BOM, soft hyphen, Mongolian vowel separator, Hangul fillers, braille blank,
/// tag characters, interlinear annotation, line/paragraph separators.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}'
        | '\u{206a}'..='\u{206f}' | '\u{2800}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e0fff}')
}

/// Generic combining marks (the blocks "Zalgo" text is made of).
fn combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{0483}'..='\u{0489}' | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Pictographs (emoji) and their skin-tone modifiers.
fn emoji(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{21ff}' | '\u{2300}'..='\u{23ff}' | '\u{2460}'..='\u{27bf}'
        | '\u{2900}'..='\u{297f}' | '\u{2b00}'..='\u{2bff}' | '\u{1f000}'..='\u{1faff}')
}

/// Whether `chars[i]`, a zero-width joiner or variation selector, is part of an emoji
/// sequence (👩‍💻, ❤️): allowed there, invisible anywhere else.
fn in_emoji_sequence(chars: &[char], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    let after_emoji = prev.is_some_and(|p| emoji(p) || p == '\u{fe0f}');
    match chars[i] {
        '\u{fe0f}' | '\u{fe0e}' => prev.is_some_and(emoji),
        '\u{200d}' => after_emoji && next.is_some_and(emoji),
        _ => false,
    }
}

/// Check and normalise a nickname: any run of spaces (of any kind) becomes one space, ends
/// trimmed; then the rules in the module docs.
pub fn validate_nickname(raw: &str) -> Result<String, NicknameError> {
    // Bounded work on a long paste: the form field is short, the rule is 32.
    let raw: String = raw.chars().take(MAX_NICKNAME_CHARS * 8).collect();
    let mut name = String::with_capacity(raw.len());
    for word in raw.split(|c: char| c.is_whitespace() && !c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        return Err(NicknameError::Empty);
    }
    if name.chars().count() > MAX_NICKNAME_CHARS {
        return Err(NicknameError::TooLong);
    }
    let chars: Vec<char> = name.chars().collect();
    let mut marks = 0;
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '\u{fffc}' | '\u{fffd}') {
            return Err(NicknameError::NotText);
        }
        if c.is_control() || direction_mark(c) {
            return Err(NicknameError::ControlCharacter);
        }
        if invisible(c) && !in_emoji_sequence(&chars, i) {
            return Err(NicknameError::Invisible);
        }
        if combining_mark(c) {
            marks += 1;
            if marks > MAX_MARKS_PER_BASE || i == 0 {
                return Err(NicknameError::StackedMarks);
            }
        } else {
            marks = 0;
        }
    }
    if rude(&name) {
        return Err(NicknameError::Rude);
    }
    Ok(name)
}

/// Refused anywhere inside a word ("xXfuckXx").
const RUDE_INSIDE: &[&str] = &[
    "fuck", "nigger", "nigga", "faggot", "porn", "whore", "bitch", "asshole", "motherf",
    "dickhead", "bollock",
];

/// Refused as a whole word only (they occur inside harmless words: Scunthorpe, grape, Essex,
/// swanky, torpedo).
const RUDE_WORDS: &[&str] = &[
    "shit", "shitty", "cunt", "dick", "cock", "fag", "slut", "twat", "rape", "rapist", "nazi",
    "hitler", "sex", "sexy", "penis", "vagina", "ass", "arse", "tits", "boobs", "retard", "spaz",
    "kys", "bastard", "piss", "prick", "cum", "nude", "nudes", "milf", "dildo", "jizz", "hoe",
    "hoes", "thot", "kkk", "wank", "wanker", "pedo", "paedo",
];

/// The built-in list, through l33t spellings (`5h1t`), stretched letters (`fuuuck`) and
/// separators (`f.u.c.k`, `s h i t`).
fn rude(name: &str) -> bool {
    let lowered: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' | '|' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .collect();
    let mut words: Vec<String> = lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    // Letters spaced out spell one word ("f u c k", "f.u.c.k"): only then are words joined,
    // so that "Bob Itch" is not "bobitch".
    if words.len() > 1 && words.iter().all(|w| w.chars().count() <= 2) {
        words = vec![words.concat()];
    }
    words.iter().any(|w| {
        [w.clone(), squeeze(w, 1), squeeze(w, 2)]
            .iter()
            .any(|v| RUDE_INSIDE.iter().any(|r| v.contains(r)) || RUDE_WORDS.contains(&v.as_str()))
    })
}

/// `w` with every run of one letter cut to `keep` ("fuuuck" → "fuck" with 1; "asss" → "ass"
/// with 2).
fn squeeze(w: &str, keep: usize) -> String {
    let mut out = String::with_capacity(w.len());
    let mut last = None;
    let mut run = 0;
    for c in w.chars() {
        run = if Some(c) == last { run + 1 } else { 1 };
        last = Some(c);
        if run <= keep {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> NicknameError {
        validate_nickname(s).expect_err(s)
    }

    #[test]
    fn friendly_names_pass_and_are_tidied() {
        assert_eq!(validate_nickname("  Alice  "), Ok("Alice".into()));
        assert_eq!(validate_nickname("Zoë's 📱"), Ok("Zoë's 📱".into()));
        assert_eq!(
            validate_nickname("Ana\u{3000}\u{a0} phone"),
            Ok("Ana phone".into())
        );
        for ok in [
            "Bob's Pi (2)",
            "Dr. Who? #1 – yes!",
            "👩‍💻 coder",
            "❤️ Mia",
            "👍🏽 ok",
            "Grape Essex Scunthorpe",
            "Ñandú",
            "e\u{301}\u{302}",
            "李小龍",
            "नमस्ते",
            "Raúl-Ölçer",
            "Cassie's class",
            "Bob Itch",
            "Swanky torpedo",
        ] {
            assert!(
                validate_nickname(ok).is_ok(),
                "{ok}: {:?}",
                validate_nickname(ok)
            );
        }
        assert_eq!(validate_nickname(&"é".repeat(32)), Ok("é".repeat(32)));
    }

    #[test]
    fn empty_long_and_control() {
        assert_eq!(err("   "), NicknameError::Empty);
        assert_eq!(err(&"é".repeat(33)), NicknameError::TooLong);
        assert_eq!(err(&"x".repeat(100_000)), NicknameError::TooLong);
        assert_eq!(err("a\nb"), NicknameError::ControlCharacter);
        assert_eq!(err("a\u{7f}"), NicknameError::ControlCharacter);
        assert_eq!(err("a\u{0}b"), NicknameError::ControlCharacter);
        assert_eq!(err("evil\u{202e}gnp"), NicknameError::ControlCharacter);
        assert_eq!(err("a\u{061c}b"), NicknameError::ControlCharacter);
        assert_eq!(err("a\u{2067}b"), NicknameError::ControlCharacter);
        let lossy = String::from_utf8_lossy(b"ab\xff\xfecd");
        assert_eq!(err(&lossy), NicknameError::NotText);
    }

    #[test]
    fn invisible_and_stacking() {
        for s in [
            "a\u{200b}b",
            "a\u{200c}b",
            "a\u{200d}b",
            "a\u{2060}b",
            "\u{feff}ab",
            "a\u{ad}b",
            "\u{3164}",
            "a\u{e0041}",
            "a\u{fe0f}",
            "📱\u{200d}",
        ] {
            assert_eq!(err(s), NicknameError::Invisible, "{s:?}");
        }
        assert_eq!(err("e\u{301}\u{302}\u{303}"), NicknameError::StackedMarks);
        assert_eq!(
            err("Z\u{334}\u{351}\u{30c}a\u{337}l\u{335}go"),
            NicknameError::StackedMarks
        );
        assert_eq!(err("\u{301}a"), NicknameError::StackedMarks);
    }

    #[test]
    fn obvious_abuse_is_refused() {
        for s in [
            "fuck",
            "FUCK you",
            "f.u.c.k",
            "fuuuuck",
            "Ph0ne of 5h1t",
            "s h i t",
            "xXbitchXx",
            "a$$",
            "dumb ass",
            "nazi 🐸",
        ] {
            assert_eq!(err(s), NicknameError::Rude, "{s}");
        }
    }
}
