//! Domain events: feed cursors, webhook signatures, retry backoff and when a subscription
//! lapses. Pure functions, table-tested. Which types exist and who may hear of them is in
//! `auth::events`, next to the permission table.

use hmac::{Hmac, Mac};
use sha2::Sha256;

// The event types and who may hear of them sit with the permission table; re-exported for
// the handlers that still import them from here.
pub use crate::auth::events::{is_known, types_for, EVENT_TYPES};

/// A position in the feed: events are ordered by (transaction, id). Opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cursor {
    pub xid: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}-{}", self.xid, self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (x, i) = text.split_once('-')?;
        let (xid, id) = (x.parse().ok()?, i.parse().ok()?);
        (xid >= 0 && id >= 0).then_some(Cursor { xid, id })
    }
}

/// `X-Thncd-Signature` value: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before attempt `attempt + 1` after `attempt` failures: base × 2^(attempt−1),
/// capped at one hour.
pub fn backoff_ms(base_ms: u64, attempt: u32) -> u64 {
    let factor = 1u64.checked_shl(attempt.saturating_sub(1).min(30)).unwrap_or(u64::MAX);
    base_ms.saturating_mul(factor).min(3_600_000)
}

/// What a subscription's owner is now, read from its account or client record.
#[derive(Debug, Clone, Copy)]
pub struct OwnerNow<'a> {
    pub disabled: bool,
    /// Roles as stored (comma-separated).
    pub roles: &'a str,
    pub unit: &'a str,
}

/// Why a subscription made with `sub_roles` in `sub_unit` must stop delivering, now that its
/// owner is `owner`: a subscription carries the rights its owner had when it subscribed, so
/// once the owner is disabled or holds other roles or another unit it gets nothing more
/// (Law 91/2025 on personal data protection: data go only to whoever is entitled to them
/// now). `None` when the owner still holds exactly those rights, or when it has no local
/// record (a trusted agency provider's principal, governed by that provider).
pub fn owner_lapse(sub_roles: &str, sub_unit: &str, owner: Option<OwnerNow<'_>>) -> Option<&'static str> {
    let owner = owner?;
    let normal = |r: &str| crate::auth::roles::roles_to_db(&crate::auth::roles::roles_from_db(r));
    if owner.disabled {
        Some(PAUSED_OWNER_DISABLED)
    } else if normal(owner.roles) != normal(sub_roles) {
        Some(PAUSED_OWNER_ROLES_CHANGED)
    } else if owner.unit != sub_unit {
        Some(PAUSED_OWNER_UNIT_CHANGED)
    } else {
        None
    }
}

pub const PAUSED_OWNER_DISABLED: &str = "owner_disabled";
pub const PAUSED_OWNER_ROLES_CHANGED: &str = "owner_roles_changed";
pub const PAUSED_OWNER_UNIT_CHANGED: &str = "owner_unit_changed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor { xid: 812, id: 40 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("0-0"), Some(Cursor::default()));
        for bad in ["", "12", "a-b", "1-", "-1-2", "1-2-3", "99999999999999999999-1"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
        assert!(Cursor { xid: 1, id: 900 } < Cursor { xid: 2, id: 1 });
    }

    #[test]
    fn signatures_follow_the_documented_recipe() {
        // Known value: HMAC-SHA256("secret", "1700000000.{}").
        let s = signature("secret", 1_700_000_000, b"{}");
        assert!(s.starts_with("t=1700000000,v1="));
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_eq!(s, signature("secret", 1_700_000_000, b"{}"));
        assert_ne!(s, signature("secret2", 1_700_000_000, b"{}"));
        assert_ne!(s, signature("secret", 1_700_000_001, b"{}"));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let cases = [(1, 1000), (2, 2000), (3, 4000), (4, 8000), (13, 3_600_000), (200, 3_600_000)];
        for (attempt, want) in cases {
            assert_eq!(backoff_ms(1000, attempt), want, "attempt {attempt}");
        }
        assert_eq!(backoff_ms(30_000, 0), 30_000);
    }

    #[test]
    fn a_subscription_lapses_when_its_owner_loses_the_rights_it_was_made_with() {
        let owner = |disabled, roles, unit| Some(OwnerNow { disabled, roles, unit });
        let cases = [
            (owner(false, "police", "00070"), None),
            // A role added is a change too: the subscription was made without it.
            (owner(false, "justice,police", "00070"), Some(PAUSED_OWNER_ROLES_CHANGED)),
            (owner(true, "police", "00070"), Some(PAUSED_OWNER_DISABLED)),
            (owner(false, "labour", "00070"), Some(PAUSED_OWNER_ROLES_CHANGED)),
            (owner(false, "police", "00073"), Some(PAUSED_OWNER_UNIT_CHANGED)),
            (owner(true, "bank", "01"), Some(PAUSED_OWNER_DISABLED)),
            // No local record: a trusted provider's principal.
            (None, None),
        ];
        for (now, want) in cases {
            assert_eq!(owner_lapse("police", "00070", now), want, "{now:?}");
        }
        // Stored role lists are compared as sets.
        assert_eq!(owner_lapse("police,justice", "01", owner(false, "justice,police", "01")), None);
    }
}
