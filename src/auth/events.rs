//! Which event types exist and which roles may hear of each: the change feed and webhooks
//! deliver an event only to a subscriber whose roles are listed here (and who may call
//! `list_events` / `create_webhook` in the permission table).

use super::roles::Role::{self, *};

const PERSON: &[Role] = &[Police, CommuneCommittee, Justice, Labour];
const CRIMINAL: &[Role] = &[Police, CommuneCommittee, Justice];
const LOAN: &[Role] = &[Police, CommuneCommittee, Bank];
const REPORT: &[Role] = &[Police, CommuneCommittee];

/// Every event type, with the roles that may receive it. Payloads are minimal (type, id,
/// unit, time): receivers fetch the record with their own rights.
pub const EVENT_TYPES: &[(&str, &[Role])] = &[
    ("person.expected", PERSON),
    ("person.received", PERSON),
    ("person.status_changed", PERSON),
    ("person.transferred", PERSON),
    ("expungement.due", CRIMINAL),
    ("expungement.updated", CRIMINAL),
    ("loan_list.sent", LOAN),
    ("loan.approved", LOAN),
    ("loan.disbursed", LOAN),
    ("loan.overdue", LOAN),
    ("report.submitted", REPORT),
];

pub fn is_known(event_type: &str) -> bool {
    EVENT_TYPES.iter().any(|(t, _)| *t == event_type)
}

/// The event types any of `roles` may receive.
pub fn types_for(roles: &[Role]) -> Vec<&'static str> {
    EVENT_TYPES.iter().filter(|(_, allowed)| allowed.iter().any(|r| roles.contains(r))).map(|(t, _)| *t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_hear_their_own_events() {
        let bank = types_for(&[Bank]);
        assert_eq!(bank, vec!["loan_list.sent", "loan.approved", "loan.disbursed", "loan.overdue"]);
        let justice = types_for(&[Justice]);
        assert!(justice.contains(&"expungement.due") && justice.contains(&"person.status_changed"));
        assert!(!justice.contains(&"loan.disbursed"));
        assert!(types_for(&[Supervisor]).is_empty());
        assert!(types_for(&[Admin]).is_empty());
        assert_eq!(types_for(&[Police]).len(), EVENT_TYPES.len());
        assert!(is_known("loan.overdue") && !is_known("loan.eaten"));
    }
}
