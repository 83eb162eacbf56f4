//! The second factor of local accounts (ASVS 6.3.3): a time-based one-time code (TOTP,
//! RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) from an authenticator app, required of
//! supervisors and admins, with ten one-time recovery codes for a lost phone. Single
//! sign-on (OpenID Connect) leaves the second factor to the agency's identity provider.
//!
//! Codes are checked against the real time (the authenticator's), one step either side for a
//! phone's clock drift, and a step's code is accepted once only (RFC 6238 §5.2).

use chrono::{DateTime, Utc};
use reengage_core::roles::Role;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::services::Actor;
use crate::store::audit;
use crate::store::codes::instant;
use crate::store::db::{self, Db};
use crate::store::second_factor as store;

/// The name an authenticator app shows beside the account.
pub const ISSUER: &str = "Re-engage";
/// Seconds per TOTP step.
pub const STEP_SECONDS: u64 = 30;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// Whether an account of `role` must give a second factor to sign in with a password:
/// supervisors (operations manager, lead worker), who confirm staffings and finalize DQ1s,
/// and admins, who manage accounts.
pub fn required(role: Role) -> bool {
    matches!(
        role,
        Role::OperationsManager | Role::LeadWorker | Role::Admin
    )
}

/// What an authenticator app needs to enrol: the secret as text, the `otpauth://` address
/// and the same address as a QR code (SVG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

fn totp(secret: &str, email: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        email.to_owned(),
    )
    .ok()
}

/// A new random secret (160 bits, as RFC 4226 recommends), base32.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 20];
    let _ = getrandom::fill(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The enrolment of account `email` with `secret`; `None` for a secret that is not base32 of
/// at least 128 bits.
pub fn enrolment(secret: &str, email: &str) -> Option<Enrolment> {
    let totp = totp(secret, email)?;
    let uri = totp.get_url();
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .ok()?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Markup for a page: the `<svg>` element alone, without the XML declaration.
    let qr_svg = qr_svg[qr_svg.find("<svg")?..].to_owned();
    Some(Enrolment {
        secret: secret.to_owned(),
        uri,
        qr_svg,
    })
}

/// The code of `secret` at Unix time `unix` (what the authenticator app shows then).
pub fn code_at(secret: &str, unix: u64) -> Option<String> {
    Some(totp(secret, "")?.generate(unix))
}

/// The time step whose code `code` is, within one step of `now`; `None` when it matches none.
pub fn matching_step(secret: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "")?;
    let unix = u64::try_from(now.timestamp()).ok()?;
    let step = unix / STEP_SECONDS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|candidate| {
            let expected = totp.generate(candidate * STEP_SECONDS);
            // Constant time: the comparison does not tell how many digits were right.
            expected
                .bytes()
                .zip(code.bytes())
                .fold(0_u8, |diff, (a, b)| diff | (a ^ b))
                == 0
        })
        .and_then(|candidate| i64::try_from(candidate).ok())
}

/// A recovery code as typed: lower case, without spaces or dashes.
fn normalized(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn code_hash(code: &str) -> String {
    format!("{:x}", Sha256::digest(normalized(code).as_bytes()))
}

/// Ten new recovery codes, each about 49 random bits as ten characters in two groups
/// (`k7m2p-9xq4r`), from an alphabet without look-alikes (no 0/o, 1/l/i).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0_u8; 10];
            let _ = getrandom::fill(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// How a second-factor check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// The authenticator's code of a step not used before.
    Code,
    /// An unused recovery code, now spent; how many are left.
    RecoveryCode { left: i64 },
    /// Neither: wrong, already used, or no second factor enrolled.
    Refused,
}

/// Checks `code` (an authenticator code or a recovery code) for account `staff`, at the real
/// time `now`. A recovery code spent is an audit entry.
pub async fn check(
    db: &Db,
    staff: &Actor,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Checked, sqlx::Error> {
    let Some(staff_id) = staff.staff_id else {
        return Ok(Checked::Refused);
    };
    let Some(secret) = store::secret(db, staff_id).await? else {
        return Ok(Checked::Refused);
    };
    if let Some(step) = matching_step(&secret, code, now) {
        return Ok(if store::accept_step(db, staff_id, step).await? {
            Checked::Code
        } else {
            Checked::Refused
        });
    }
    if normalized(code).len() != 10 {
        return Ok(Checked::Refused);
    }
    let mut tx = db::begin_write(db).await?;
    if !store::spend_code(&mut tx, staff_id, &code_hash(code), &instant(now)).await? {
        return Ok(Checked::Refused);
    }
    let entry = staff.entry(now, "second_factor.recovery_code_used", "staff", staff_id);
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    let left = store::codes_left(db, staff_id).await?;
    Ok(Checked::RecoveryCode { left })
}

/// Enrols account `staff` with `secret` when `code` is its current code (so the app was set
/// up right); the new recovery codes, to be shown once, or `None` when the code is wrong.
pub async fn enrol(
    db: &Db,
    staff: &Actor,
    secret: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let (Some(staff_id), Some(step)) = (staff.staff_id, matching_step(secret, code, now)) else {
        return Ok(None);
    };
    let codes = new_recovery_codes();
    store_enrolment(db, staff, staff_id, secret, step, &codes, now).await?;
    Ok(Some(codes))
}

/// Enrols account `staff_id` with a known `secret` without a code: the demo's supervisors,
/// whose shared demo secret is printed with the demo password.
pub async fn enrol_known(
    db: &Db,
    by: &Actor,
    staff_id: i64,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    store_enrolment(db, by, staff_id, secret, 0, &[], now).await
}

async fn store_enrolment(
    db: &Db,
    by: &Actor,
    staff_id: i64,
    secret: &str,
    step: i64,
    codes: &[String],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let hashes: Vec<String> = codes.iter().map(|code| code_hash(code)).collect();
    let mut tx = db::begin_write(db).await?;
    store::enrol(&mut tx, staff_id, secret, step, &hashes, &instant(now)).await?;
    let entry = by.entry(now, "second_factor.enrolled", "staff", staff_id);
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await
}

/// Removes the second factor of the account with `email` (an admin's doing, for a lost
/// phone with no recovery code left): its owner enrols again at the next sign-in. Whether
/// there is such an account.
pub async fn remove(
    db: &Db,
    by: &Actor,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(db).await?;
    let email = email.trim().to_lowercase();
    let Some(staff_id) = crate::store::staff::id_by_email(&mut tx, &email).await? else {
        return Ok(false);
    };
    store::remove(&mut tx, staff_id).await?;
    let entry = by.entry(now, "second_factor.removed", "staff", staff_id);
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether account `staff_id` has enrolled.
pub async fn enrolled(db: &Db, staff_id: i64) -> Result<bool, sqlx::Error> {
    Ok(store::secret(db, staff_id).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// RFC 6238 appendix B's SHA-1 key ("12345678901234567890"), base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_are_rfc_6238s_test_vectors() {
        // Appendix B, SHA-1, the last six of the eight digits.
        for (unix, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                code_at(RFC_SECRET, unix).as_deref(),
                Some(code),
                "at {unix}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let now = Utc.timestamp_opt(1_111_111_109, 0).unwrap();
        let step = 1_111_111_109 / 30;
        for (offset, accepted) in [
            (-2_i64, false),
            (-1, true),
            (0, true),
            (1, true),
            (2, false),
        ] {
            let at = u64::try_from(1_111_111_109 + offset * 30).unwrap();
            let code = code_at(RFC_SECRET, at).unwrap();
            assert_eq!(
                matching_step(RFC_SECRET, &code, now),
                accepted.then_some(step + offset),
                "a code {offset} steps away"
            );
        }
        assert_eq!(
            matching_step(RFC_SECRET, "08 18 04", now),
            Some(step),
            "spaces"
        );
        assert_eq!(matching_step(RFC_SECRET, "81804", now), None, "five digits");
        assert_eq!(matching_step(RFC_SECRET, "", now), None);
        assert_eq!(matching_step("not base32!", "081804", now), None);
    }

    #[test]
    fn recovery_codes_are_random_readable_and_compared_as_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 11, "{code}");
            assert!(!code.contains(['0', 'o', '1', 'l', 'i']), "{code}");
            assert_eq!(
                code_hash(code),
                code_hash(&code.to_uppercase().replace('-', " "))
            );
        }
    }

    #[test]
    fn supervisors_and_admins_need_a_second_factor_and_no_one_else() {
        for role in Role::ALL {
            let expected = matches!(
                role,
                Role::OperationsManager | Role::LeadWorker | Role::Admin
            );
            assert_eq!(required(role), expected, "{role:?}");
        }
    }

    #[test]
    fn an_enrolment_carries_the_secret_in_its_address_and_qr_code() {
        let secret = new_secret();
        let enrolment = enrolment(&secret, "manager@example.test").unwrap();
        assert!(
            enrolment.uri.starts_with("otpauth://totp/Re-engage:"),
            "{}",
            enrolment.uri
        );
        assert!(enrolment.uri.contains(&format!("secret={secret}")));
        assert!(enrolment.qr_svg.starts_with("<svg"), "{}", enrolment.qr_svg);
    }
}
