//! Steering-committee composition rules: roles per body, and at any date of an active
//! committee exactly one head and one standing deputy.

use chrono::NaiveDate;

use super::enums::{CommitteeBody, MemberRole};

pub fn role_fits_body(body: CommitteeBody, role: MemberRole) -> bool {
    match body {
        CommitteeBody::Committee => {
            matches!(role, MemberRole::Head | MemberRole::StandingDeputy | MemberRole::Deputy | MemberRole::Member)
        }
        CommitteeBody::WorkingGroup => matches!(role, MemberRole::Leader | MemberRole::Deputy | MemberRole::Member),
    }
}

/// A membership span: active from `from` (inclusive) until `to` (exclusive; the successor
/// starts that day).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub body: CommitteeBody,
    pub role: MemberRole,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Span {
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.from <= d && self.to.is_none_or(|t| t > d)
    }
}

/// Roles held by exactly one person at a time in an active committee.
const SINGLE_ROLES: [MemberRole; 2] = [MemberRole::Head, MemberRole::StandingDeputy];

/// Checks every date on which the composition changes from `since`: exactly one head and
/// one standing deputy. Returns the first problem in words.
pub fn check_leadership(spans: &[Span], since: NaiveDate, until: Option<NaiveDate>) -> Result<(), String> {
    let mut dates: Vec<NaiveDate> = vec![since];
    for s in spans {
        dates.push(s.from);
        if let Some(t) = s.to {
            dates.push(t);
        }
    }
    dates.retain(|d| *d >= since && until.is_none_or(|u| *d < u));
    dates.sort();
    dates.dedup();
    for d in dates {
        for role in SINGLE_ROLES {
            let n =
                spans.iter().filter(|s| s.body == CommitteeBody::Committee && s.role == role && s.active_on(d)).count();
            if n != 1 {
                return Err(format!(
                    "on {d} the committee would have {n} `{}` (exactly one is required)",
                    role.as_str()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
    }
    fn span(role: MemberRole, from: u32, to: Option<u32>) -> Span {
        Span { body: CommitteeBody::Committee, role, from: d(from), to: to.map(d) }
    }

    #[test]
    fn roles_per_body() {
        assert!(role_fits_body(CommitteeBody::Committee, MemberRole::Head));
        assert!(!role_fits_body(CommitteeBody::Committee, MemberRole::Leader));
        assert!(role_fits_body(CommitteeBody::WorkingGroup, MemberRole::Leader));
        assert!(!role_fits_body(CommitteeBody::WorkingGroup, MemberRole::StandingDeputy));
    }

    #[test]
    fn leadership_table() {
        use MemberRole::*;
        let cases: Vec<(Vec<Span>, bool)> = vec![
            (vec![span(Head, 1, None), span(StandingDeputy, 1, None)], true),
            (vec![span(Head, 1, None)], false),
            (vec![span(Head, 1, None), span(Head, 1, None), span(StandingDeputy, 1, None)], false),
            // A replacement on the 10th: old ends the 10th, new starts the 10th.
            (vec![span(Head, 1, Some(10)), span(Head, 10, None), span(StandingDeputy, 1, None)], true),
            // A gap of a day.
            (vec![span(Head, 1, Some(10)), span(Head, 11, None), span(StandingDeputy, 1, None)], false),
            // An overlap.
            (vec![span(Head, 1, Some(12)), span(Head, 10, None), span(StandingDeputy, 1, None)], false),
            // Working-group leaders do not count as heads.
            (
                vec![
                    Span { body: CommitteeBody::WorkingGroup, role: Leader, from: d(1), to: None },
                    span(StandingDeputy, 1, None),
                ],
                false,
            ),
        ];
        for (i, (spans, ok)) in cases.into_iter().enumerate() {
            assert_eq!(check_leadership(&spans, d(1), None).is_ok(), ok, "case {i}");
        }
    }

    #[test]
    fn dissolution_bounds_the_check() {
        use MemberRole::*;
        let spans = vec![span(Head, 1, Some(20)), span(StandingDeputy, 1, Some(20))];
        assert!(check_leadership(&spans, d(1), Some(d(20))).is_ok());
        assert!(check_leadership(&spans, d(1), None).is_err());
    }
}
