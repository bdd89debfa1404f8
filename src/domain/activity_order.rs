//! The order links of a person's live activities (see the `activity_order` migration): each
//! activity carries the day of the same person's previous live activity of the same kind and
//! sub-kind (`prev_kind_on`) and of the same family (`prev_family_on`: both counselling kinds
//! together, legal support across its sub-kinds). The national report counts persons reached
//! as the activities whose previous one lies before the period.
//!
//! Activities are ordered by day, then id (ids are time-ordered UUIDs), as the SQL window
//! that rebuilds the links after a correction or deletion orders them.
//!
//! A new activity changes at most three rows: its own links, and the next activity of its
//! kind and of its family, whose previous day becomes the new one's. [`link_new`] works that
//! out from the person's activities of the family, so an insert needs no window over the log.

use chrono::NaiveDate;

/// The family an activity kind belongs to for the distinct-person counts.
pub fn family_of(kind: &str) -> &str {
    match kind {
        "counselling_individual" | "counselling_group" => "counselling",
        other => other,
    }
}

/// The kinds of a family (the kinds whose activities share `prev_family_on` chains).
pub fn family_kinds(kind: &str) -> Vec<&str> {
    match family_of(kind) {
        "counselling" => vec!["counselling_individual", "counselling_group"],
        _ => vec![kind],
    }
}

/// One live activity, as the links see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub id: String,
    pub kind: String,
    pub sub: Option<String>,
    pub on: NaiveDate,
    pub prev_kind_on: Option<NaiveDate>,
    pub prev_family_on: Option<NaiveDate>,
}

/// A change to an existing activity's links (`None`: that link stays as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relink {
    pub id: String,
    pub prev_kind_on: Option<NaiveDate>,
    pub prev_family_on: Option<NaiveDate>,
}

/// What inserting one activity does to the links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLinks {
    pub prev_kind_on: Option<NaiveDate>,
    pub prev_family_on: Option<NaiveDate>,
    /// At most two rows (the next of the kind, the next of the family), merged when they are
    /// the same row; rows whose link already holds the new value are left out.
    pub relinks: Vec<Relink>,
}

/// The links of `new` and the changes to the others, given the person's live activities of
/// the new one's family (`existing`, without `new`; other kinds are ignored).
pub fn link_new(existing: &[Linked], new: &Linked) -> NewLinks {
    let family = family_of(&new.kind);
    let key = (new.on, new.id.as_str());
    let same_family = existing.iter().filter(|a| family_of(&a.kind) == family);
    let same_kind = || same_family.clone().filter(|a| a.kind == new.kind && a.sub == new.sub);
    let before = |a: &&Linked| (a.on, a.id.as_str()) < key;
    let after = |a: &&Linked| (a.on, a.id.as_str()) > key;
    let order = |a: &&Linked| (a.on, a.id.clone());

    let prev_kind_on = same_kind().filter(before).max_by_key(order).map(|a| a.on);
    let prev_family_on = same_family.clone().filter(before).max_by_key(order).map(|a| a.on);
    let next_kind = same_kind().filter(after).min_by_key(order);
    let next_family = same_family.clone().filter(after).min_by_key(order);

    let mut relinks: Vec<Relink> = Vec::new();
    if let Some(n) = next_kind.filter(|n| n.prev_kind_on != Some(new.on)) {
        relinks.push(Relink { id: n.id.clone(), prev_kind_on: Some(new.on), prev_family_on: None });
    }
    if let Some(n) = next_family.filter(|n| n.prev_family_on != Some(new.on)) {
        match relinks.iter_mut().find(|r| r.id == n.id) {
            Some(r) => r.prev_family_on = Some(new.on),
            None => relinks.push(Relink { id: n.id.clone(), prev_kind_on: None, prev_family_on: Some(new.on) }),
        }
    }
    NewLinks { prev_kind_on, prev_family_on, relinks }
}

/// [`link_new`] from only the person's latest activities of the family, as read newest first
/// with a limit (`whole`: fewer came back than the limit, so they are all of them); `None`
/// when rows that were not read could matter, and the whole family must be read.
///
/// Only the latest earlier activity of the new one's kind and everything after it matter:
/// nothing before it can be a previous one or a next one. The oldest day read may have
/// more rows than came back, so that activity must lie on a later day (and the new one, on
/// a day after it, then does too). Most activities are written on the day, after one of
/// their kind a few rows back: a log of years is then read from its last rows, not whole.
pub fn link_new_from_latest(latest: &[Linked], whole: bool, new: &Linked) -> Option<NewLinks> {
    if !whole {
        let oldest = latest.iter().map(|a| a.on).min()?;
        let same_kind_before = |a: &&Linked| a.kind == new.kind && a.sub == new.sub && a.on < new.on;
        let kind_day = latest.iter().filter(same_kind_before).map(|a| a.on).max()?;
        if kind_day <= oldest {
            return None;
        }
    }
    Some(link_new(latest, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
    }

    fn act(id: &str, kind: &str, sub: Option<&str>, day: u32) -> Linked {
        Linked {
            id: id.into(),
            kind: kind.into(),
            sub: sub.map(Into::into),
            on: d(day),
            prev_kind_on: None,
            prev_family_on: None,
        }
    }

    /// The links a full recomputation gives (what the SQL window computes), for checking
    /// `link_new` against every insertion point.
    fn recompute(all: &[Linked]) -> Vec<Linked> {
        let mut sorted = all.to_vec();
        sorted.sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));
        let mut out = Vec::new();
        for (i, a) in sorted.iter().enumerate() {
            let earlier = &sorted[..i];
            let pk = earlier.iter().rev().find(|b| b.kind == a.kind && b.sub == a.sub).map(|b| b.on);
            let pf = earlier.iter().rev().find(|b| family_of(&b.kind) == family_of(&a.kind)).map(|b| b.on);
            out.push(Linked { prev_kind_on: pk, prev_family_on: pf, ..a.clone() });
        }
        out
    }

    fn apply(existing: &[Linked], new: &Linked) -> Vec<Linked> {
        let links = link_new(existing, new);
        let mut all: Vec<Linked> = existing
            .iter()
            .map(|a| match links.relinks.iter().find(|r| r.id == a.id) {
                Some(r) => Linked {
                    prev_kind_on: r.prev_kind_on.or(a.prev_kind_on),
                    prev_family_on: r.prev_family_on.or(a.prev_family_on),
                    ..a.clone()
                },
                None => a.clone(),
            })
            .collect();
        all.push(Linked { prev_kind_on: links.prev_kind_on, prev_family_on: links.prev_family_on, ..new.clone() });
        all.sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));
        all
    }

    #[test]
    fn families() {
        assert_eq!(family_of("counselling_group"), "counselling");
        assert_eq!(family_of("counselling_individual"), "counselling");
        assert_eq!(family_of("legal_support"), "legal_support");
        assert_eq!(family_kinds("counselling_group"), vec!["counselling_individual", "counselling_group"]);
        assert_eq!(family_kinds("home_visit"), vec!["home_visit"]);
    }

    #[test]
    fn the_latest_activity_links_back_and_changes_no_other_row() {
        let existing = recompute(&[act("a1", "home_visit", None, 1), act("a2", "home_visit", None, 5)]);
        let links = link_new(&existing, &act("a3", "home_visit", None, 9));
        assert_eq!(links, NewLinks { prev_kind_on: Some(d(5)), prev_family_on: Some(d(5)), relinks: vec![] });
    }

    #[test]
    fn a_first_activity_has_no_links() {
        let links = link_new(&[], &act("a1", "check_in", None, 3));
        assert_eq!(links, NewLinks { prev_kind_on: None, prev_family_on: None, relinks: vec![] });
    }

    #[test]
    fn a_late_written_activity_relinks_the_next_one() {
        let existing = recompute(&[act("a1", "home_visit", None, 1), act("a2", "home_visit", None, 9)]);
        let links = link_new(&existing, &act("a3", "home_visit", None, 5));
        assert_eq!(links.prev_kind_on, Some(d(1)));
        assert_eq!(
            links.relinks,
            vec![Relink { id: "a2".into(), prev_kind_on: Some(d(5)), prev_family_on: Some(d(5)) }]
        );
    }

    #[test]
    fn counselling_kinds_share_a_family_but_not_a_kind() {
        let existing =
            recompute(&[act("a1", "counselling_individual", None, 1), act("a2", "counselling_group", None, 9)]);
        let links = link_new(&existing, &act("a3", "counselling_group", None, 5));
        assert_eq!(links.prev_kind_on, None);
        assert_eq!(links.prev_family_on, Some(d(1)));
        assert_eq!(
            links.relinks,
            vec![Relink { id: "a2".into(), prev_kind_on: Some(d(5)), prev_family_on: Some(d(5)) }]
        );
    }

    #[test]
    fn legal_support_sub_kinds_chain_apart_within_the_family() {
        let existing = recompute(&[
            act("a1", "legal_support", Some("advice"), 1),
            act("a2", "legal_support", Some("representation"), 9),
            act("a3", "legal_support", Some("advice"), 12),
        ]);
        let links = link_new(&existing, &act("a4", "legal_support", Some("advice"), 5));
        assert_eq!(links.prev_kind_on, Some(d(1)));
        assert_eq!(links.prev_family_on, Some(d(1)));
        assert_eq!(
            links.relinks,
            vec![
                Relink { id: "a3".into(), prev_kind_on: Some(d(5)), prev_family_on: None },
                Relink { id: "a2".into(), prev_kind_on: None, prev_family_on: Some(d(5)) },
            ]
        );
    }

    #[test]
    fn the_same_day_orders_by_id() {
        let existing = recompute(&[act("b", "check_in", None, 4)]);
        // An id after "b" on the same day comes after it; one before comes before it.
        assert_eq!(link_new(&existing, &act("c", "check_in", None, 4)).prev_kind_on, Some(d(4)));
        let before = link_new(&existing, &act("a", "check_in", None, 4));
        assert_eq!(before.prev_kind_on, None);
        // "b" had no previous check-in; now "a", on the same day, comes before it.
        assert_eq!(
            before.relinks,
            vec![Relink { id: "b".into(), prev_kind_on: Some(d(4)), prev_family_on: Some(d(4)) }]
        );
    }

    #[test]
    fn every_insertion_point_agrees_with_a_full_recomputation() {
        let kinds: [(&str, Option<&str>); 5] = [
            ("counselling_individual", None),
            ("counselling_group", None),
            ("legal_support", Some("advice")),
            ("legal_support", Some("mediation")),
            ("home_visit", None),
        ];
        // A mixed log, then a new activity of each kind on each day from before the first to
        // after the last (including days already used).
        let log: Vec<Linked> = (0..12)
            .map(|i| {
                let (k, s) = kinds[(i * 7 % 5) as usize];
                act(&format!("id{i:02}"), k, s, 1 + (i * 5 % 11) as u32)
            })
            .collect();
        let existing = recompute(&log);
        // The log as the write reads it, newest first (a day's ties may come in any order;
        // this is one of them).
        let mut newest_first = existing.clone();
        newest_first.sort_by(|a, b| (b.on, &a.id).cmp(&(a.on, &b.id)));
        // Reads cut by the limit, and how many of them settled the links.
        let (mut partial_reads, mut partial_answered) = (0, 0);
        for (k, s) in kinds {
            for day in 1..=13 {
                for id in ["id00x", "id05x", "id99"] {
                    let new = act(id, k, s, day);
                    let mut all = log.clone();
                    all.push(new.clone());
                    let mut expected = recompute(&all);
                    expected.sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));
                    assert_eq!(apply(&existing, &new), expected, "{k} {s:?} on day {day} as {id}");
                    // From the latest rows only, at every limit: the same links, or `None`.
                    for limit in 1..=existing.len() + 1 {
                        let read = &newest_first[..limit.min(existing.len())];
                        let whole = read.len() < limit;
                        let links = link_new_from_latest(read, whole, &new);
                        assert!(links.is_some() || !whole, "a whole read always settles the links");
                        if let Some(links) = &links {
                            assert_eq!(
                                links,
                                &link_new(&existing, &new),
                                "{k} {s:?} on day {day} as {id}, {limit} read"
                            );
                        }
                        partial_reads += usize::from(!whole);
                        partial_answered += usize::from(!whole && links.is_some());
                    }
                }
            }
        }
        // Not vacuous: a quarter of the cut reads settle the links (a third, with this log).
        assert!(partial_answered * 4 > partial_reads, "{partial_answered} of {partial_reads}");
    }

    #[test]
    fn a_long_log_is_linked_from_its_latest_rows() {
        // Two years of monthly home visits and counselling, newest first as the read gives them.
        let mut log: Vec<Linked> = (0..24)
            .flat_map(|m| {
                let day = NaiveDate::from_ymd_opt(2023 + m / 12, 1 + (m % 12) as u32, 10).unwrap();
                [("home_visit", format!("h{m:02}")), ("counselling_group", format!("c{m:02}"))]
                    .map(|(k, id)| Linked { on: day, ..act(&id, k, None, 1) })
            })
            .collect();
        log = recompute(&log);
        log.reverse();
        let today = |id: &str, kind: &str| Linked {
            on: NaiveDate::from_ymd_opt(2025, 1, 6).unwrap(),
            ..act(id, kind, None, 1)
        };
        let visit = today("n1", "home_visit");
        let links = link_new_from_latest(&log[..4], false, &visit).expect("the last visit is among the rows read");
        assert_eq!(links.prev_kind_on, NaiveDate::from_ymd_opt(2024, 12, 10));
        assert_eq!(links, link_new(&log, &visit));
        // The first individual counselling: its kind has no earlier row among those read, and
        // may have one further back, so the whole family is read.
        assert_eq!(link_new_from_latest(&log[..4], false, &today("n2", "counselling_individual")), None);
        // A late visit, dated before the rows read: read whole.
        let late = Linked { on: NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(), ..act("n3", "home_visit", None, 1) };
        assert_eq!(link_new_from_latest(&log[..4], false, &late), None);
        // Everything read (fewer rows than the limit): always answered.
        assert_eq!(link_new_from_latest(&log, true, &late), Some(link_new(&log, &late)));
    }
}
