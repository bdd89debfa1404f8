//! Roles and jurisdictions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a principal may do. Staff accounts and integration clients both carry roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, clients and reference data.
    Admin,
    /// Commune/province police (the standing agency).
    Police,
    /// Commune People's Committee (UBND xã).
    CommuneCommittee,
    /// Justice office (Tư pháp).
    Justice,
    /// Labour / culture–social office.
    Labour,
    /// Social Policy Bank branch.
    Bank,
    /// A supervisor who logs in for their assigned persons.
    Supervisor,
    /// Reads the audit trail.
    Auditor,
    /// A detention facility (trại giam, trại tạm giam, nhà tạm giữ): sends release notices
    /// to any commune and records its own in-facility work; reads back only what it created.
    Facility,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::Police,
        Role::CommuneCommittee,
        Role::Justice,
        Role::Labour,
        Role::Bank,
        Role::Supervisor,
        Role::Auditor,
        Role::Facility,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Police => "police",
            Role::CommuneCommittee => "commune_committee",
            Role::Justice => "justice",
            Role::Labour => "labour",
            Role::Bank => "bank",
            Role::Supervisor => "supervisor",
            Role::Auditor => "auditor",
            Role::Facility => "facility",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A `facility` principal names its facility; no other principal carries a facility name.
pub fn check_facility_name(roles: &[Role], facility_name: Option<&str>) -> Result<(), &'static str> {
    match (roles.contains(&Role::Facility), facility_name.is_some_and(|n| !n.trim().is_empty())) {
        (true, false) => Err("facility_name is required with the facility role"),
        (false, true) => Err("facility_name is only for the facility role"),
        _ => Ok(()),
    }
}

/// Stored as a comma-separated list in the database.
pub fn roles_to_db(roles: &[Role]) -> String {
    let mut sorted: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.join(",")
}

pub fn roles_from_db(text: &str) -> Vec<Role> {
    text.split(',').filter_map(|s| Role::parse(s.trim())).collect()
}

/// The administrative scope a token acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jurisdiction {
    National,
    Province(String),
    Commune(String),
}

pub const NATIONAL_CODE: &str = "VN";

impl Jurisdiction {
    /// `VN`, a 2-digit province code or a 5-digit commune code.
    pub fn parse(unit: &str) -> Option<Jurisdiction> {
        let all_digits = unit.bytes().all(|b| b.is_ascii_digit());
        match unit.len() {
            _ if unit == NATIONAL_CODE => Some(Jurisdiction::National),
            2 if all_digits => Some(Jurisdiction::Province(unit.to_string())),
            5 if all_digits => Some(Jurisdiction::Commune(unit.to_string())),
            _ => None,
        }
    }

    /// Whether a record in `unit_code` (with its province) lies inside this jurisdiction.
    pub fn covers(&self, unit_code: &str, province_code: Option<&str>) -> bool {
        match self {
            Jurisdiction::National => true,
            Jurisdiction::Province(p) => unit_code == p || province_code == Some(p.as_str()),
            Jurisdiction::Commune(c) => unit_code == c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(Jurisdiction::parse("VN"), Some(Jurisdiction::National));
        assert_eq!(Jurisdiction::parse("01"), Some(Jurisdiction::Province("01".into())));
        assert_eq!(Jurisdiction::parse("00070"), Some(Jurisdiction::Commune("00070".into())));
        assert_eq!(Jurisdiction::parse("0007"), None);
        assert_eq!(Jurisdiction::parse("ab"), None);
    }

    #[test]
    fn province_covers_its_communes_only() {
        let p = Jurisdiction::Province("01".into());
        assert!(p.covers("00070", Some("01")));
        assert!(!p.covers("24829", Some("68")));
        assert!(p.covers("01", Some("01")));
        let c = Jurisdiction::Commune("00070".into());
        assert!(c.covers("00070", Some("01")));
        assert!(!c.covers("00073", Some("01")));
    }

    #[test]
    fn roles_round_trip() {
        let text = roles_to_db(&[Role::Police, Role::Admin, Role::Police]);
        assert_eq!(text, "admin,police");
        assert_eq!(roles_from_db(&text), vec![Role::Admin, Role::Police]);
    }
}
