//! Random lives planned for the ledger: status changes, attributes and support.

use super::*;

#[derive(Debug, Clone)]
pub(super) enum Step {
    Transfer(NaiveDate, &'static str),
    Abscond(NaiveDate),
    Return(NaiveDate),
    LawViolation(NaiveDate),
    Reoffend(NaiveDate),
    Decease(NaiveDate),
    Expunge(NaiveDate),
}

impl Step {
    pub(super) fn date(&self) -> NaiveDate {
        match self {
            Step::Transfer(d, _)
            | Step::Abscond(d)
            | Step::Return(d)
            | Step::LawViolation(d)
            | Step::Reoffend(d)
            | Step::Decease(d)
            | Step::Expunge(d) => *d,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) unit: &'static str,
    pub(super) name: String,
    pub(super) gender: &'static str,
    pub(super) dob: NaiveDate,
    pub(super) notice_on: NaiveDate,
    pub(super) release_on: NaiveDate,
    pub(super) counselling: i64,
    pub(super) allowance: i64,
    pub(super) release_type: Option<&'static str>,
    pub(super) received_on: Option<NaiveDate>,
    pub(super) started_on: Option<NaiveDate>,
    /// (changed_on, classification, employment, needs_focus)
    pub(super) changes: Vec<(NaiveDate, &'static str, &'static str, bool)>,
    pub(super) activities: Vec<(NaiveDate, &'static str, Option<&'static str>)>,
    pub(super) training: Option<(NaiveDate, NaiveDate)>,
    pub(super) referral: Option<(NaiveDate, Option<NaiveDate>)>,
    pub(super) assistance: Option<(NaiveDate, i64)>,
    pub(super) steps: Vec<Step>,
}

/// One status change as the test recorded it: (date, unit, to, from).
pub(super) type Change = (NaiveDate, &'static str, &'static str, &'static str);

pub(super) struct Person {
    pub(super) id: String,
    pub(super) plan: Plan,
    pub(super) history: Vec<Change>,
    pub(super) late: bool,
}

pub(super) const SNAP: [i64; 4] = [400, 150, 401, 149];

/// A date after `after` (strictly), at most today, sometimes on a period boundary.
pub(super) fn next_date(rng: &mut StdRng, after: NaiveDate, max_gap: i64) -> Option<NaiveDate> {
    if rng.gen_bool(0.2) {
        let snap = d(SNAP[rng.gen_range(0..SNAP.len())]);
        if snap > after && snap <= today() {
            return Some(snap);
        }
    }
    let date = after + Duration::days(rng.gen_range(1..=max_gap));
    (date <= today()).then_some(date)
}

pub(super) fn plan_person(rng: &mut StdRng, i: usize) -> Plan {
    let unit = match rng.gen_range(0..10) {
        0..=4 => A,
        5..=8 => B,
        _ => X,
    };
    let notice_on = d(rng.gen_range(250..760));
    let release_on = notice_on + Duration::days(60);
    let release_type = match rng.gen_range(0..100) {
        0..=59 => Some("completed_sentence"),
        60..=79 => Some("special_amnesty"),
        80..=91 => Some("conditional_early_release"),
        _ => None,
    };
    let dob = if rng.gen_bool(0.06) {
        today() - Duration::days(rng.gen_range(15 * 365..18 * 365 - 30))
    } else {
        NaiveDate::from_ymd_opt(rng.gen_range(1960..2000), rng.gen_range(1..=12), rng.gen_range(1..=28)).unwrap()
    };
    let mut plan = Plan {
        unit,
        name: format!("Người Thứ {i}"),
        gender: if rng.gen_bool(0.88) { "male" } else { "female" },
        dob,
        notice_on,
        release_on,
        counselling: rng.gen_range(0..4),
        allowance: if rng.gen_bool(0.3) { rng.gen_range(1..8) * 50_000 } else { 0 },
        release_type,
        received_on: None,
        started_on: None,
        changes: vec![],
        activities: vec![],
        training: None,
        referral: None,
        assistance: None,
        steps: vec![],
    };
    if rng.gen_bool(0.12) {
        return plan; // still expected
    }
    let late_days =
        if release_type == Some("conditional_early_release") && rng.gen_bool(0.4) { 8 } else { rng.gen_range(0..5) };
    let received = (release_on + Duration::days(late_days)).min(today());
    plan.received_on = Some(received);
    let mut last = received;
    if rng.gen_bool(0.9) {
        let started = (received + Duration::days(rng.gen_range(1..6))).min(today());
        if started > received {
            plan.started_on = Some(started);
            last = started;
        }
    }
    // Steps through the lifecycle.
    let mut unit_now = unit;
    let mut status = if plan.started_on.is_some() { "under_management" } else { "received" };
    for _ in 0..3 {
        let roll = rng.gen_range(0..100);
        let Some(on) = next_date(rng, last, 200) else { break };
        let step = match (status, roll) {
            ("absconded", 0..=49) => Step::Return(on),
            ("absconded", 50..=69) => Step::Reoffend(on),
            ("absconded", _) => break,
            (_, 0..=29) => break,
            (_, 30..=39) if unit_now != X => Step::Transfer(on, if unit_now == A { B } else { A }),
            (_, 30..=39) => Step::Transfer(on, A),
            (_, 40..=45) => Step::Transfer(on, if unit_now == X { B } else { X }),
            (_, 46..=57) => Step::Expunge(on),
            (_, 58..=67) => Step::Reoffend(on),
            (_, 68..=77) => Step::LawViolation(on),
            (_, 78..=91) => Step::Abscond(on),
            _ => Step::Decease(on),
        };
        status = match &step {
            Step::Transfer(_, to) => {
                unit_now = to;
                "received"
            }
            Step::Abscond(_) => "absconded",
            Step::Return(_) => "under_management",
            _ => "exited",
        };
        last = on;
        plan.steps.push(step);
        if status == "exited" {
            break;
        }
    }
    // Support while still in the first commune: dated between reception and the first step.
    let until = plan.steps.first().map(|s| s.date() - Duration::days(1)).unwrap_or(today()).min(today());
    let span = (until - received).num_days();
    if span >= 1 {
        let pick = |rng: &mut StdRng| received + Duration::days(rng.gen_range(0..=span));
        for _ in 0..rng.gen_range(0..5) {
            let (kind, sub) = match rng.gen_range(0..8) {
                0 => ("home_visit", None),
                1 => ("check_in", None),
                2 => ("counselling_individual", None),
                3 => ("psychological_support", None),
                4 => ("legal_support", Some("national_id_card")),
                5 => ("legal_support", Some("expungement_guidance")),
                6 => ("legal_support", Some("residence_registration")),
                _ => ("vocational_guidance", None),
            };
            plan.activities.push((pick(rng), kind, sub));
        }
        if rng.gen_bool(0.25) {
            let start = pick(rng);
            plan.training = Some((start, start + Duration::days(60)));
        }
        if rng.gen_bool(0.2) {
            let on = pick(rng);
            let hired =
                if rng.gen_bool(0.6) { Some((on + Duration::days(rng.gen_range(0..20))).min(until)) } else { None };
            plan.referral = Some((on, hired.filter(|h| *h >= on)));
        }
        if rng.gen_bool(0.15) {
            plan.assistance = Some((pick(rng), rng.gen_range(1..10) * 100_000));
        }
        let mut on = received;
        for _ in 0..rng.gen_range(0..3) {
            on = (on + Duration::days(rng.gen_range(1..150))).min(today());
            let class = ["a", "b", "c", "d"][rng.gen_range(0..4)];
            let emp = ["stable", "unstable", "unemployed"][rng.gen_range(0..3)];
            plan.changes.push((on, class, emp, rng.gen_bool(0.2)));
        }
    }
    plan
}
