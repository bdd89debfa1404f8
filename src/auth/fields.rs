//! What a role may *see* and *use* of person data. [`Visibility`] is the one table of the
//! field groups each role sees in the views (purpose limitation); the rest derives from it:
//! the field group each filter, sort key and list kind reveals. A caller may filter, sort or
//! print a list only by fields its roles see in the views; otherwise the answer itself would
//! disclose the hidden field (a list of persons whose expungement falls before a date tells
//! the sentence band as surely as the date does).
//!
//! The same module names the criminal-record keys that audit copies and status-history
//! details redact for readers without criminal read rights.

use crate::auth::Role;

/// Which groups of person fields a set of roles may see (purpose limitation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Visibility {
    pub residence: bool,
    pub social: bool,
    pub release: bool,
    pub status: bool,
    pub management: bool,
    pub criminal: bool,
    pub expungement: bool,
}

impl Visibility {
    pub fn for_roles(roles: &[Role]) -> Visibility {
        let mut v = Visibility::default();
        for role in roles {
            match role {
                Role::Police | Role::CommuneCommittee => {
                    return Visibility {
                        residence: true,
                        social: true,
                        release: true,
                        status: true,
                        management: true,
                        criminal: true,
                        expungement: true,
                    }
                }
                Role::Justice => {
                    v.release = true;
                    v.status = true;
                    v.criminal = true;
                    v.expungement = true;
                }
                Role::Labour => {
                    v.residence = true;
                    v.social = true;
                    v.status = true;
                }
                Role::Bank => {
                    v.residence = true;
                    v.release = true;
                }
                Role::Supervisor => {
                    v.residence = true;
                    v.social = true;
                    v.release = true;
                    v.status = true;
                    v.management = true;
                }
                Role::Admin | Role::Auditor | Role::Facility => {}
            }
        }
        v
    }
}

/// The groups person fields are shown in (see the `Person` schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldGroup {
    /// Name, ID number, unit: every role that reaches the person.
    Identity,
    Residence,
    Social,
    Release,
    Status,
    Management,
    Criminal,
    Expungement,
}

use FieldGroup::*;

/// `GET /persons` query parameters that select rows, and the group each one reveals.
pub const PERSON_FILTERS: &[(&str, FieldGroup)] = &[
    ("unit", Identity),
    ("q", Identity),
    ("status", Status),
    ("release_type", Release),
    ("offence_group", Criminal),
    ("classification", Management),
    ("needs_focus", Management),
    ("juvenile", Management),
    ("received_from", Management),
    ("received_to", Management),
    ("expungement_due_before", Expungement),
    ("contact_overdue", Management),
];

/// `sort` values of `GET /persons`, and the group the order reveals.
pub const PERSON_SORTS: &[(&str, FieldGroup)] = &[
    ("full_name", Identity),
    ("-full_name", Identity),
    ("created_at", Identity),
    ("-created_at", Identity),
    ("received_on", Management),
    ("-received_on", Management),
    ("expungement_due_on", Expungement),
];

/// `GET /exports/persons` list kinds, and every group their selection reveals: `managed`
/// tells who is under management (status); `overdue_contacts` also the contact plan of the
/// classification group; `loan_candidates` the release type and certificate of managed
/// persons; `expungement_due` the forecast date.
pub const EXPORT_LISTS: &[(&str, &[FieldGroup])] = &[
    ("managed", &[Status]),
    ("overdue_contacts", &[Status, Management]),
    ("loan_candidates", &[Status, Release]),
    ("expungement_due", &[Expungement]),
];

/// `GET /exports/persons` parameters other than `list`, and the group each reveals.
pub const EXPORT_PARAMS: &[(&str, FieldGroup)] =
    &[("unit", Identity), ("format", Identity), ("due_before", Expungement)];

impl Visibility {
    /// Whether these roles see the fields of `group`.
    pub fn shows(self, group: FieldGroup) -> bool {
        match group {
            Identity => true,
            Residence => self.residence,
            Social => self.social,
            Release => self.release,
            Status => self.status,
            Management => self.management,
            Criminal => self.criminal,
            Expungement => self.expungement,
        }
    }

    /// Whether a `GET /persons` filter may be used (unknown names are not filters: false).
    pub fn may_filter(self, name: &str) -> bool {
        PERSON_FILTERS.iter().any(|(n, g)| *n == name && self.shows(*g))
    }

    /// Whether a `sort` value may be used.
    pub fn may_sort(self, key: &str) -> bool {
        PERSON_SORTS.iter().any(|(n, g)| *n == key && self.shows(*g))
    }

    /// Whether an export list kind may be used.
    pub fn may_export(self, list: &str) -> bool {
        EXPORT_LISTS.iter().any(|(n, groups)| *n == list && groups.iter().all(|g| self.shows(*g)))
    }

    /// Whether an export parameter may be used.
    pub fn may_use_export_param(self, name: &str) -> bool {
        EXPORT_PARAMS.iter().any(|(n, g)| *n == name && self.shows(*g))
    }

    /// The list kinds these roles may export (empty: no export at all).
    pub fn export_lists(self) -> Vec<&'static str> {
        EXPORT_LISTS.iter().filter(|(n, _)| self.may_export(n)).map(|(n, _)| *n).collect()
    }
}

/// Keys of criminal-record data in stored copies (audit `before`/`after`, status-history
/// `details`): offences, judgments, penalties, expungement and the judicial record.
pub const CRIMINAL_KEYS: &[&str] = &[
    "offence_group",
    "offence_articles",
    "chapter",
    "principal",
    "additional_penalties",
    "penalty",
    "convictions",
    "judgment_number",
    "judgment_date",
    "court",
    "new_offence",
    "classification",
    "needs_focus",
    "judicial_record_number",
    "judicial_record_issuer",
];

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

fn is_criminal_key(key: &str) -> bool {
    CRIMINAL_KEYS.contains(&key) || key.starts_with("expungement")
}

/// Replaces, at any depth, the value of every criminal-record key with [`REDACTED`], so a
/// reader still sees that the field existed (and changed) but not its value.
pub fn redact_criminal(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_criminal_key(k) {
                    if !v.is_null() {
                        *v = serde_json::Value::String(REDACTED.into());
                    }
                } else {
                    redact_criminal(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_criminal),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::permissions::Op;
    use crate::auth::Role;
    use serde_json::json;

    #[test]
    fn every_role_uses_exactly_what_it_sees() {
        // (role, filters allowed, sorts allowed, lists allowed)
        type Case = (Role, &'static [&'static str], &'static [&'static str], &'static [&'static str]);
        let cases: &[Case] = &[
            (
                Role::Police,
                &["offence_group", "expungement_due_before", "received_from"],
                &["received_on", "expungement_due_on"],
                &["managed", "overdue_contacts", "loan_candidates", "expungement_due"],
            ),
            (
                Role::Justice,
                &["status", "offence_group", "expungement_due_before"],
                &["expungement_due_on"],
                &["managed", "loan_candidates", "expungement_due"],
            ),
            (Role::Labour, &["status", "q", "unit"], &["full_name", "-created_at"], &["managed"]),
            (Role::Bank, &["release_type", "q", "unit"], &["full_name"], &[]),
            (
                Role::Supervisor,
                &["status", "release_type", "classification", "contact_overdue"],
                &["received_on"],
                &["managed", "overdue_contacts", "loan_candidates"],
            ),
        ];
        for (role, filters, sorts, lists) in cases {
            let v = Visibility::for_roles(&[*role]);
            for f in *filters {
                assert!(v.may_filter(f), "{role:?} filters on {f}");
            }
            for s in *sorts {
                assert!(v.may_sort(s), "{role:?} sorts on {s}");
            }
            assert_eq!(v.export_lists(), lists.to_vec(), "{role:?}");
        }
        let bank = Visibility::for_roles(&[Role::Bank]);
        for refused in
            ["status", "offence_group", "classification", "received_from", "expungement_due_before", "contact_overdue"]
        {
            assert!(!bank.may_filter(refused), "bank filters on {refused}");
        }
        assert!(
            !bank.may_sort("expungement_due_on") && !bank.may_sort("received_on") && !bank.may_sort("-received_on")
        );
        let labour = Visibility::for_roles(&[Role::Labour]);
        assert!(!labour.may_filter("expungement_due_before") && !labour.may_sort("expungement_due_on"));
        assert!(!labour.may_use_export_param("due_before"));
        assert!(!Visibility::for_roles(&[Role::Supervisor]).may_export("expungement_due"));
    }

    #[test]
    fn the_export_operation_is_granted_to_exactly_the_roles_with_a_list() {
        for role in Role::ALL {
            let lists = Visibility::for_roles(&[role]).export_lists();
            // Supervisors print nothing (their caseload is in the app); otherwise the
            // operation is open exactly when a list kind is.
            if role != Role::Supervisor {
                assert_eq!(Op::ExportPersons.allows(&[role]), !lists.is_empty(), "{role:?}: {lists:?}");
            } else {
                assert!(!Op::ExportPersons.allows(&[role]));
            }
        }
    }

    #[test]
    fn criminal_keys_are_redacted_at_any_depth() {
        let mut v = json!({"full_name": "A", "offence_group": "theft", "expungement_due_on": "2030-01-01",
            "expungement_status": "pending", "judicial_record_number": null,
            "nested": [{"judgment_number": "45/2019/HS-ST", "status": "reoffended"}]});
        redact_criminal(&mut v);
        assert_eq!(
            v,
            json!({"full_name": "A", "offence_group": REDACTED, "expungement_due_on": REDACTED,
                "expungement_status": REDACTED, "judicial_record_number": null,
                "nested": [{"judgment_number": REDACTED, "status": "reoffended"}]})
        );
    }
}
