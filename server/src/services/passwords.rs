//! NIST SP 800-63B rules for a new password: long enough, not too long to hash, and not one
//! an attacker tries first. No composition rules (no "one digit, one symbol").

use std::collections::HashSet;
use std::sync::OnceLock;

/// Without a second factor: at least 15 characters (8 once MFA exists).
pub const MIN_CHARS: usize = 15;
/// At most this many characters are accepted (NIST asks for at least 64).
pub const MAX_CHARS: usize = 256;

/// Why a new password is refused; each says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Weak {
    #[error("The password needs at least {MIN_CHARS} characters; a few words make a good one.")]
    TooShort,
    #[error("The password can have at most {MAX_CHARS} characters.")]
    TooLong,
    #[error(
        "That password is on the list of passwords attackers try first. Choose another; a few unrelated words work well."
    )]
    Common,
    #[error(
        "That password repeats or runs in sequence (like “aaaa…” or “1234…”). Choose another; a few unrelated words work well."
    )]
    Pattern,
    #[error("That password contains your e-mail name or the name of this service. Choose another.")]
    Context,
}

fn common() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect()
    })
}

/// The password with digits and symbols around it removed ("Password2026!" → "password").
fn core_word(lower: &str) -> &str {
    lower.trim_matches(|c: char| !c.is_alphabetic())
}

/// Made of one short unit repeated ("abcabcabc…"), or every character one step from the last
/// ("abcdef…", "98765…").
fn is_pattern(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    let repeated = (1..=chars.len() / 2).any(|unit| {
        chars.len().is_multiple_of(unit) && chars.chunks(unit).all(|chunk| chunk == &chars[..unit])
    });
    let step = |d: i64| {
        chars
            .windows(2)
            .all(|pair| i64::from(u32::from(pair[1])) - i64::from(u32::from(pair[0])) == d)
    };
    repeated || step(1) || step(-1)
}

/// Checks a new password for the account with `email`.
pub fn check(password: &str, email: &str) -> Result<(), Weak> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Weak::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(Weak::TooLong);
    }
    let lower = password.to_lowercase();
    let list = common();
    if list.contains(lower.as_str()) || list.contains(core_word(&lower)) {
        return Err(Weak::Common);
    }
    if is_pattern(&lower) {
        return Err(Weak::Pattern);
    }
    let name = email.split('@').next().unwrap_or("").to_lowercase();
    let compact: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if compact.contains("reengage") || (name.len() >= 4 && lower.contains(&name)) {
        return Err(Weak::Context);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_and_no_composition_rules() {
        assert_eq!(check("fourteen chars", "a@x.test"), Err(Weak::TooShort));
        assert_eq!(check("lantern otter gravel", "a@x.test"), Ok(()));
        let long: String = (0..257)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect();
        assert_eq!(check(&long, "a@x.test"), Err(Weak::TooLong));
        // 64 characters of anything sensible are accepted.
        let sixty_four = "correct horse battery staple lantern otter gravel tundra pike ok";
        assert_eq!(sixty_four.chars().count(), 64);
        assert_eq!(check(sixty_four, "a@x.test"), Ok(()));
    }

    #[test]
    fn the_shipped_list_refuses_common_passwords_and_their_dressed_up_forms() {
        assert!(common().len() > 10_000);
        assert_eq!(check("123456789qwerty", "a@x.test"), Err(Weak::Common));
        assert_eq!(check("Q1W2E3R4T5Y6U7I8", "a@x.test"), Err(Weak::Common));
        assert_eq!(check("password20262026!", "a@x.test"), Err(Weak::Common));
        assert_eq!(check("!!!sunshine!!!2026", "a@x.test"), Err(Weak::Common));
    }

    #[test]
    fn repeats_and_sequences_are_refused() {
        assert_eq!(check("aaaaaaaaaaaaaaaa", "a@x.test"), Err(Weak::Pattern));
        assert_eq!(check("xyzxyzxyzxyzxyz", "a@x.test"), Err(Weak::Pattern));
        assert_eq!(check("abcdefghijklmnop", "a@x.test"), Err(Weak::Pattern));
        assert_eq!(check("zyxwvutsrqponmlk", "a@x.test"), Err(Weak::Pattern));
    }

    #[test]
    fn context_words_are_refused() {
        assert_eq!(
            check("my re-engage login 7", "a@x.test"),
            Err(Weak::Context)
        );
        assert_eq!(
            check("casey.coach rides a bike", "casey.coach@x.test"),
            Err(Weak::Context)
        );
    }
}
