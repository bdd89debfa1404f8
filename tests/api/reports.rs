//! Reports: a district-scale history built through the API, every indicator checked against
//! figures the test computes from its own ledger of what it did; targets, the report
//! workflow, consolidation and exports.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use futures_util::future::join_all;
use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::helpers::*;

const A: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const B: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)
const X: &str = "24829"; // Phường B'Lao, Lâm Đồng (68)

fn province_of(unit: &str) -> &'static str {
    if unit == X {
        "68"
    } else {
        "01"
    }
}

fn in_scope(unit: &str, scope: &str) -> bool {
    match scope.len() {
        _ if scope == "VN" => true,
        2 => province_of(unit) == scope,
        _ => unit == scope,
    }
}

fn today() -> NaiveDate {
    thncd::time::today_vn()
}

fn d(n: i64) -> NaiveDate {
    today() - Duration::days(n)
}

/// The past period most checks use (history path for attributes), and its boundaries.
fn p1() -> (NaiveDate, NaiveDate) {
    (d(400), d(150))
}

#[derive(Debug, Clone)]
enum Step {
    Transfer(NaiveDate, &'static str),
    Abscond(NaiveDate),
    Return(NaiveDate),
    LawViolation(NaiveDate),
    Reoffend(NaiveDate),
    Decease(NaiveDate),
    Expunge(NaiveDate),
}

impl Step {
    fn date(&self) -> NaiveDate {
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
struct Plan {
    unit: &'static str,
    name: String,
    gender: &'static str,
    dob: NaiveDate,
    notice_on: NaiveDate,
    release_on: NaiveDate,
    counselling: i64,
    allowance: i64,
    release_type: Option<&'static str>,
    received_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    /// (changed_on, classification, employment, needs_focus)
    changes: Vec<(NaiveDate, &'static str, &'static str, bool)>,
    activities: Vec<(NaiveDate, &'static str, Option<&'static str>)>,
    training: Option<(NaiveDate, NaiveDate)>,
    referral: Option<(NaiveDate, Option<NaiveDate>)>,
    assistance: Option<(NaiveDate, i64)>,
    steps: Vec<Step>,
}

/// One status change as the test recorded it: (date, unit, to, from).
type Change = (NaiveDate, &'static str, &'static str, &'static str);

struct Person {
    id: String,
    plan: Plan,
    history: Vec<Change>,
    late: bool,
}

const SNAP: [i64; 4] = [400, 150, 401, 149];

/// A date after `after` (strictly), at most today, sometimes on a period boundary.
fn next_date(rng: &mut StdRng, after: NaiveDate, max_gap: i64) -> Option<NaiveDate> {
    if rng.gen_bool(0.2) {
        let snap = d(SNAP[rng.gen_range(0..SNAP.len())]);
        if snap > after && snap <= today() {
            return Some(snap);
        }
    }
    let date = after + Duration::days(rng.gen_range(1..=max_gap));
    (date <= today()).then_some(date)
}

fn plan_person(rng: &mut StdRng, i: usize) -> Plan {
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

struct Tokens {
    police: String,
    justice: String,
    labour: String,
}

fn conviction(release_type: Option<&str>, release_on: NaiveDate) -> Value {
    let mut c = json!({"judgment_number": "45/2019/HS-ST", "court": "TAND", "judgment_date": (release_on - Duration::days(24 * 30 + 30)).to_string(),
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": 24},
           "release_date": release_on.to_string(), "release_type": release_type,
           "certificate_number": "123/GCN", "certificate_date": release_on.to_string(),
           // Negligent and serious: no criminal record (Art. 69(2)), so the justice office may
           // record the expungement on any of the fixture's dates.
           "crime_category": "serious", "culpability": "negligent"});
    if release_type == Some("conditional_early_release") {
        c["probation_end"] = json!((release_on + Duration::days(200)).to_string());
    }
    c
}

async fn ok(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap();
    assert!((200..300).contains(&status), "{what}: {status} {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

async fn patch_person(app: &TestApp, token: &str, id: &str, body: Value) {
    let etag = app.get(&format!("/api/v1/persons/{id}"), token).await.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .request(Method::PATCH, &format!("/api/v1/persons/{id}"), token)
        .header("if-match", etag)
        .json(&body)
        .send()
        .await
        .unwrap();
    ok(r, "patch").await;
}

/// Lives one planned life through the API; returns what was recorded.
async fn live(app: &TestApp, t: &Tokens, plan: Plan) -> Person {
    let p = &plan;
    let r = app
        .post(
            "/api/v1/release-notices",
            &t.police,
            &json!({"person": {"full_name": p.name, "gender": p.gender, "date_of_birth": p.dob, "unit": p.unit},
                    "facility": "Trại giam Nam Hà", "notice_date": p.notice_on, "expected_release_date": p.release_on,
                    "counselling_sessions": p.counselling, "travel_allowance_vnd": p.allowance}),
        )
        .await;
    let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
    let mut history: Vec<Change> = vec![(p.notice_on, p.unit, "expected", "")];
    if p.release_type.is_some() {
        ok(
            app.post(
                &format!("/api/v1/persons/{id}/convictions"),
                &t.police,
                &conviction(p.release_type, p.release_on),
            )
            .await,
            "conviction",
        )
        .await;
    }
    let mut late = false;
    if let Some(received) = p.received_on {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/reception"),
                &t.police,
                &json!({"received_on": received, "receiving_officer": "Cán bộ", "commitment_signed": true}),
            )
            .await;
        let body = ok(r, "reception").await;
        late = body["late_reception"].as_bool().unwrap_or(false);
        history.push((received, p.unit, "received", "expected"));
    }
    if let Some(started) = p.started_on {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/start-management"),
                &t.police,
                &json!({"started_on": started, "management_file_number": "HS"}),
            )
            .await;
        ok(r, "start").await;
        history.push((started, p.unit, "under_management", "received"));
    }
    for (on, kind, sub) in &p.activities {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/activities"),
                &t.police,
                &json!({"kind": kind, "legal_sub_kind": sub, "occurred_on": on}),
            )
            .await;
        ok(r, "activity").await;
    }
    if let Some((start, end)) = p.training {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/trainings"),
                &t.labour,
                &json!({"course": "Sửa chữa xe máy", "level": "under_3_months", "start_date": start, "end_date": end}),
            )
            .await;
        ok(r, "training").await;
    }
    if let Some((on, hired)) = p.referral {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/job-referrals"),
                &t.labour,
                &json!({"employer_name": "Công ty May 10", "referred_on": on, "job": "công nhân"}),
            )
            .await;
        let rid = ok(r, "referral").await["id"].as_str().unwrap().to_string();
        if let Some(h) = hired {
            let r = app
                .post(
                    &format!("/api/v1/persons/{id}/job-referrals/{rid}/outcome"),
                    &t.labour,
                    &json!({"outcome": "hired", "outcome_on": h}),
                )
                .await;
            ok(r, "hired").await;
        }
    }
    if let Some((on, amount)) = p.assistance {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/social-assistance"),
                &t.labour,
                &json!({"kind": "monthly_allowance", "amount_vnd": amount, "period_from": on}),
            )
            .await;
        ok(r, "assistance").await;
    }
    for (on, class, emp, focus) in &p.changes {
        patch_person(
            app,
            &t.police,
            &id,
            json!({"classification": class, "employment_status": emp, "needs_focus": focus, "changed_on": on, "change_reason": "đánh giá"}),
        )
        .await;
    }
    let mut unit: &'static str = p.unit;
    let mut status: &'static str = history.last().unwrap().2;
    for step in &p.steps {
        let on = step.date().to_string();
        let (path, body, to): (String, Value, &'static str) = match step {
            Step::Transfer(_, to_unit) => {
                let r = app
                    .post(
                        &format!("/api/v1/persons/{id}/transfer"),
                        &t.police,
                        &json!({"to_unit": to_unit, "moved_on": on}),
                    )
                    .await;
                ok(r, "transfer").await;
                history.push((step.date(), unit, "moved_out", status));
                unit = to_unit;
                history.push((step.date(), unit, "received", "moved_out"));
                status = "received";
                continue;
            }
            Step::Expunge(_) => {
                let etag = app.get(&format!("/api/v1/persons/{id}"), &t.justice).await.headers()["etag"]
                    .to_str()
                    .unwrap()
                    .to_string();
                let r = app
                    .request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &t.justice)
                    .header("if-match", etag)
                    .json(&json!({"status": "expunged", "decided_on": on, "basis": "Điều 70 BLHS"}))
                    .send()
                    .await
                    .unwrap();
                ok(r, "expunge").await;
                history.push((step.date(), unit, "expunged", status));
                status = "expunged";
                continue;
            }
            Step::Reoffend(_) => {
                let c = json!({"judgment_number": "99/2025/HS-ST", "court": "TAND", "judgment_date": on, "offence_articles": ["173"],
                               "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
                ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &t.police, &c).await, "reoffend").await;
                history.push((step.date(), unit, "reoffended", status));
                status = "reoffended";
                continue;
            }
            Step::Abscond(_) => (format!("/api/v1/persons/{id}/abscond"), json!({"occurred_on": on}), "absconded"),
            Step::Return(_) => (format!("/api/v1/persons/{id}/return"), json!({"occurred_on": on}), "under_management"),
            Step::LawViolation(_) => {
                (format!("/api/v1/persons/{id}/law-violation"), json!({"occurred_on": on}), "law_violation")
            }
            Step::Decease(_) => (format!("/api/v1/persons/{id}/decease"), json!({"occurred_on": on}), "deceased"),
        };
        ok(app.post(&path, &t.police, &body).await, to).await;
        history.push((step.date(), unit, to, status));
        status = to;
    }
    Person { id, plan, history, late }
}

// ---- the ledger's own arithmetic ----

const MANAGED: [&str; 2] = ["received", "under_management"];

/// The latest change up to `day` among those recorded in the scope.
fn state_on<'a>(p: &'a Person, scope: &str, day: NaiveDate) -> Option<&'a Change> {
    p.history.iter().rev().find(|c| c.0 <= day && in_scope(c.1, scope))
}

fn managed_on(p: &Person, scope: &str, day: NaiveDate) -> bool {
    state_on(p, scope, day).is_some_and(|c| MANAGED.contains(&c.2))
}

fn entered(p: &Person, scope: &str, from: NaiveDate, to: NaiveDate) -> bool {
    p.history.iter().any(|c| c.0 >= from && c.0 <= to && in_scope(c.1, scope) && MANAGED.contains(&c.2))
}

/// Value of an attribute on `day`: the latest dated statement up to that day; on the same
/// day, the one recorded last.
fn attr_on<T: Copy>(changes: &[(NaiveDate, T)], day: NaiveDate) -> Option<T> {
    let mut best: Option<(NaiveDate, T)> = None;
    for (on, v) in changes {
        if *on <= day && best.is_none_or(|(b, _)| *on >= b) {
            best = Some((*on, *v));
        }
    }
    best.map(|(_, v)| v)
}

fn rate(n: i64, den: i64) -> Value {
    let percent = if den == 0 { Value::Null } else { json!(((n * 20_000 + den) / (2 * den)) as f64 / 100.0) };
    json!({"numerator": n, "denominator": den, "percent": percent})
}

/// (unit, type, active from, participants (joined, left, person id))
type ModelEntry = (&'static str, &'static str, Option<NaiveDate>, Vec<(NaiveDate, Option<NaiveDate>, String)>);
/// (unit, person, application date, postings (date, kind, principal))
type LoanEntry = (&'static str, String, NaiveDate, Vec<(NaiveDate, &'static str, i64)>);

#[derive(Default)]
struct Org {
    /// (unit, type, active_from, participants: Vec<(joined, left, person id)>)
    models: Vec<ModelEntry>,
    /// (unit, held_on, kind, audience, quantity)
    outreach: Vec<(&'static str, NaiveDate, &'static str, i64, i64)>,
    propagandists: Vec<(&'static str, NaiveDate)>,
    committees: Vec<(&'static str, NaiveDate)>,
    /// (unit, month, person ids)
    lists: Vec<(&'static str, String, Vec<String>)>,
    /// (unit, person, application date, postings (date, kind, principal))
    loans: Vec<LoanEntry>,
    group_sessions: Vec<(&'static str, NaiveDate, Vec<String>)>,
}

fn expected(persons: &[Person], org: &Org, scope: &str, from: NaiveDate, to: NaiveDate) -> Value {
    let in_period = |day: NaiveDate| day >= from && day <= to;
    let mut received = BTreeMap::<&str, i64>::new();
    let mut exits = BTreeMap::<&str, i64>::new();
    let (mut files, mut transferred_in, mut late) = (0, 0, 0);
    let mut caseload = BTreeMap::<&str, i64>::new();
    let mut with_managed = BTreeSet::new();
    let mut acts = BTreeMap::<&str, (i64, BTreeSet<String>)>::new();
    let mut legal = BTreeMap::<&str, (i64, BTreeSet<String>)>::new();
    let (mut counselled, mut legal_persons) = (BTreeSet::new(), BTreeSet::new());
    let (mut trainings_started, mut trainings_completed, mut trained) = (0, 0, BTreeSet::new());
    let (mut referrals, mut hires, mut hired) = (0, 0, BTreeSet::new());
    let (mut grants, mut grant_persons, mut grant_vnd) = (0, BTreeSet::new(), 0);
    let (mut notices, mut in_facility, mut allowances, mut allowance_vnd) = (0, 0, 0, 0);
    let mut individual_sessions = 0;
    for p in persons {
        let h = &p.history;
        for (i, c) in h.iter().enumerate() {
            if !in_period(c.0) || !in_scope(c.1, scope) {
                continue;
            }
            match c.2 {
                "received" => {
                    if c.3 == "moved_out" && in_scope(h[i - 1].1, scope) {
                        continue;
                    }
                    *received.entry(p.plan.release_type.unwrap_or("release_type_unknown")).or_default() += 1;
                    *received.entry("total").or_default() += 1;
                    if c.3 == "moved_out" {
                        transferred_in += 1;
                    }
                    if c.3 == "expected" && p.late {
                        late += 1;
                    }
                }
                "under_management" if c.3 == "received" => files += 1,
                "under_management" | "expected" => {}
                exit => {
                    if exit == "moved_out" && in_scope(h[i + 1].1, scope) {
                        continue;
                    }
                    *exits.entry(exit).or_default() += 1;
                    *exits.entry("total").or_default() += 1;
                }
            }
        }
        let at_start = managed_on(p, scope, from - Duration::days(1));
        let at_end = managed_on(p, scope, to);
        if at_start {
            *caseload.entry("at_start").or_default() += 1;
            with_managed.insert(state_on(p, scope, from - Duration::days(1)).unwrap().1);
        }
        for c in h.iter().filter(|c| in_period(c.0) && in_scope(c.1, scope) && MANAGED.contains(&c.2)) {
            with_managed.insert(c.1);
        }
        if at_start || entered(p, scope, from, to) {
            *caseload.entry("during_period").or_default() += 1;
        }
        if at_end {
            *caseload.entry("at_end").or_default() += 1;
            *caseload.entry(if p.plan.gender == "male" { "at_end_male" } else { "at_end_female" }).or_default() += 1;
            // Under 18 on `to`.
            if p.plan.dob.checked_add_months(chrono::Months::new(18 * 12)).unwrap() > to {
                *caseload.entry("at_end_juveniles").or_default() += 1;
            }
            let classes: Vec<(NaiveDate, &str)> = p.plan.changes.iter().map(|c| (c.0, c.1)).collect();
            let focus: Vec<(NaiveDate, bool)> = p.plan.changes.iter().map(|c| (c.0, c.3)).collect();
            // A hire through a referral is recorded as stable employment (before the patches).
            let hire = p.plan.referral.and_then(|r| r.1).map(|h| (h, "stable"));
            let employment: Vec<(NaiveDate, &str)> =
                hire.into_iter().chain(p.plan.changes.iter().map(|c| (c.0, c.2))).collect();
            let group = match attr_on(&classes, to) {
                Some("a") => "at_end_group_a",
                Some("b") => "at_end_group_b",
                Some("c") => "at_end_group_c",
                Some("d") => "at_end_group_d",
                _ => "at_end_unclassified",
            };
            *caseload.entry(group).or_default() += 1;
            if attr_on(&focus, to) == Some(true) {
                *caseload.entry("at_end_needs_focus").or_default() += 1;
            }
            let emp = match attr_on(&employment, to) {
                Some("stable") => "at_end_employed_stable",
                Some("unstable") => "at_end_employed_unstable",
                Some("unemployed") => "at_end_unemployed",
                _ => "at_end_employment_unknown",
            };
            *caseload.entry(emp).or_default() += 1;
        }
        // Support is recorded in the first commune.
        let unit = p.plan.unit;
        if in_scope(unit, scope) {
            for (on, kind, sub) in &p.plan.activities {
                if !in_period(*on) {
                    continue;
                }
                let e = acts.entry(kind).or_default();
                e.0 += 1;
                e.1.insert(p.id.clone());
                if let Some(s) = sub {
                    let e = legal.entry(s).or_default();
                    e.0 += 1;
                    e.1.insert(p.id.clone());
                    legal_persons.insert(p.id.clone());
                }
                if *kind == "counselling_individual" {
                    individual_sessions += 1;
                    counselled.insert(p.id.clone());
                }
            }
            if let Some((start, end)) = p.plan.training {
                if in_period(start) {
                    trainings_started += 1;
                    trained.insert(p.id.clone());
                }
                if in_period(end) {
                    trainings_completed += 1;
                }
            }
            if let Some((on, hired_on)) = p.plan.referral {
                if in_period(on) {
                    referrals += 1;
                }
                if hired_on.is_some_and(in_period) {
                    hires += 1;
                    hired.insert(p.id.clone());
                }
            }
            if let Some((on, amount)) = p.plan.assistance {
                if in_period(on) {
                    grants += 1;
                    grant_persons.insert(p.id.clone());
                    grant_vnd += amount;
                }
            }
            // Each on its own date: the notice, the counselling (held on the notice date by
            // default), the travel allowance (paid on the release date by default).
            if in_period(p.plan.notice_on) {
                notices += 1;
                in_facility += p.plan.counselling;
            }
            if in_period(p.plan.release_on) && p.plan.allowance > 0 {
                allowance_vnd += p.plan.allowance;
                allowances += 1;
            }
        }
    }
    let mut group_sessions = 0;
    for (unit, on, members) in &org.group_sessions {
        if in_scope(unit, scope) && in_period(*on) {
            group_sessions += 1;
            let e = acts.entry("counselling_group").or_default();
            e.0 += members.len() as i64;
            for m in members {
                e.1.insert(m.clone());
                counselled.insert(m.clone());
            }
        }
    }
    let kinds = |all: &[&str], map: &BTreeMap<&str, (i64, BTreeSet<String>)>| -> Value {
        all.iter()
            .map(|k| {
                let (n, ps) = map.get(k).cloned().unwrap_or_default();
                json!({"kind": k, "count": n, "persons": ps.len()})
            })
            .collect()
    };
    let activity_kinds = [
        "home_visit",
        "check_in",
        "counselling_individual",
        "counselling_group",
        "psychological_support",
        "legal_support",
        "vocational_guidance",
        "loan_guidance",
        "violation_observed",
        "commendation",
        "other",
    ];
    let mut acts_with_legal = acts.clone();
    acts_with_legal.insert("legal_support", (legal.values().map(|v| v.0).sum(), legal_persons.clone()));
    let legal_kinds = [
        "national_id_card",
        "residence_registration",
        "judicial_record_certificate",
        "expungement_guidance",
        "civil_status",
        "civil_judgment_obligation",
    ];

    // Organisation.
    let model_types = [
        "self_management_group",
        "youth_volunteer_team",
        "employment_support",
        "joint_management",
        "supervision_education",
        "production",
        "other",
    ];
    // (models, participants, participants managed on `to`: the persons counted)
    let mut by_type = BTreeMap::<&str, (i64, i64, i64)>::new();
    let managed_at_end = |id: &str| persons.iter().any(|p| p.id == id && managed_on(p, "VN", to));
    let mut with_model = BTreeSet::new();
    for (unit, kind, active_from, parts) in &org.models {
        if in_scope(unit, scope) && active_from.is_some_and(|a| a <= to) {
            let e = by_type.entry(kind).or_default();
            e.0 += 1;
            let taking_part: Vec<_> = parts.iter().filter(|(j, l, _)| *j <= to && l.is_none_or(|l| l > to)).collect();
            e.1 += taking_part.len() as i64;
            e.2 += taking_part.iter().filter(|(_, _, id)| managed_at_end(id)).count() as i64;
            with_model.insert(*unit);
        }
    }
    let outreach_kinds = [
        "meeting",
        "broadcast_news",
        "article",
        "leaflet_distribution",
        "in_facility_session",
        "banner",
        "loudspeaker",
        "other",
    ];
    let mut by_kind = BTreeMap::<&str, (i64, i64, i64)>::new();
    let mut with_outreach = BTreeSet::new();
    for (unit, on, kind, audience, quantity) in &org.outreach {
        if in_scope(unit, scope) && in_period(*on) {
            let e = by_kind.entry(kind).or_default();
            e.0 += 1;
            e.1 += audience;
            e.2 += quantity;
            with_outreach.insert(*unit);
        }
    }
    let propagandists: Vec<_> = org.propagandists.iter().filter(|(u, f)| in_scope(u, scope) && *f <= to).collect();
    let with_propagandists: BTreeSet<&str> = propagandists.iter().map(|(u, _)| *u).collect();
    let committees = org.committees.iter().filter(|(u, f)| in_scope(u, scope) && *f <= to).count();
    let among = |set: &BTreeSet<&str>| with_managed.iter().filter(|u| set.contains(*u)).count() as i64;
    let models_active: i64 = by_type.values().map(|v| v.0).sum();
    let participants: i64 = by_type.values().map(|v| v.1).sum();
    let person_participants: i64 = by_type.values().map(|v| v.2).sum();

    // Loans.
    let (m_from, m_to) = (from.format("%Y-%m").to_string(), to.format("%Y-%m").to_string());
    let listed: BTreeSet<&String> = org
        .lists
        .iter()
        .filter(|(u, m, _)| in_scope(u, scope) && *m >= m_from && *m <= m_to)
        .flat_map(|(_, _, ps)| ps.iter())
        .collect();
    let scoped_loans: Vec<_> = org.loans.iter().filter(|l| in_scope(l.0, scope)).collect();
    let applications = scoped_loans.iter().filter(|l| in_period(l.2)).count() as i64;
    let disbursing: Vec<_> =
        scoped_loans.iter().filter(|l| l.3.iter().any(|(on, k, _)| *k == "disbursement" && in_period(*on))).collect();
    let disbursed_vnd: i64 = scoped_loans
        .iter()
        .flat_map(|l| l.3.iter())
        .filter(|(on, k, _)| *k == "disbursement" && in_period(*on))
        .map(|p| p.2)
        .sum();
    let outstanding: i64 = scoped_loans
        .iter()
        .flat_map(|l| l.3.iter())
        .filter(|(on, _, _)| *on <= to)
        .map(|(_, k, v)| if *k == "disbursement" { *v } else { -*v })
        .sum();
    let borrowers = disbursing.iter().map(|l| l.1.clone()).collect::<BTreeSet<_>>().len() as i64;

    let get = |m: &BTreeMap<&str, i64>, k: &str| m.get(k).copied().unwrap_or(0);
    let received_json = json!({
        "total": get(&received, "total"), "completed_sentence": get(&received, "completed_sentence"),
        "special_amnesty": get(&received, "special_amnesty"), "conditional_early_release": get(&received, "conditional_early_release"),
        "release_type_unknown": get(&received, "release_type_unknown"), "transferred_in": transferred_in, "late_parolees": late,
    });
    let exits_json = json!({
        "total": get(&exits, "total"), "expunged": get(&exits, "expunged"), "reoffended": get(&exits, "reoffended"),
        "law_violation": get(&exits, "law_violation"), "moved_out": get(&exits, "moved_out"), "absconded": get(&exits, "absconded"),
        "deceased": get(&exits, "deceased"),
    });
    let mut managed_json = json!({"files_opened": files});
    for k in [
        "at_start",
        "at_end",
        "during_period",
        "at_end_male",
        "at_end_female",
        "at_end_other_sex",
        "at_end_juveniles",
        "at_end_group_a",
        "at_end_group_b",
        "at_end_group_c",
        "at_end_group_d",
        "at_end_unclassified",
        "at_end_needs_focus",
        "at_end_employed_stable",
        "at_end_employed_unstable",
        "at_end_unemployed",
        "at_end_employment_unknown",
    ] {
        managed_json[k] = json!(get(&caseload, k));
    }
    let during = get(&caseload, "during_period");
    let at_end = get(&caseload, "at_end");
    let reoffences = get(&exits, "reoffended") + get(&exits, "law_violation");
    let communes = with_managed.len() as i64;
    json!({
        "received": received_json,
        "exits": exits_json,
        "managed": managed_json,
        "support": {
            "activities": kinds(&activity_kinds, &acts_with_legal),
            "legal_support": kinds(&legal_kinds, &legal),
            "counselling_sessions": individual_sessions + group_sessions,
            "counselling_persons": counselled.len(),
            "legal_help_persons": legal_persons.len(),
            "trainings_started": trainings_started, "trained_persons": trained.len(), "trainings_completed": trainings_completed,
            "job_referrals": referrals, "hires": hires, "hired_persons": hired.len(),
            "assistance_grants": grants, "assistance_persons": grant_persons.len(), "assistance_vnd": grant_vnd,
        },
        "loans": {
            "listed_eligible": listed.len(), "applications": applications, "disbursed_loans": disbursing.len(),
            "borrowers": borrowers, "disbursed_vnd": disbursed_vnd, "outstanding_vnd": outstanding,
        },
        "organisation": {
            "models_by_type": model_types.iter().map(|k| {
                let (n, _, ps) = by_type.get(k).copied().unwrap_or_default();
                json!({"kind": k, "count": n, "persons": ps})
            }).collect::<Value>(),
            "models_active": models_active, "model_participants": participants, "model_person_participants": person_participants,
            "committees_active": committees,
            "outreach_by_kind": outreach_kinds.iter().map(|k| {
                let (n, a, _) = by_kind.get(k).copied().unwrap_or_default();
                json!({"kind": k, "count": n, "persons": a})
            }).collect::<Value>(),
            "outreach_events": by_kind.values().map(|v| v.0).sum::<i64>(),
            "outreach_audience": by_kind.values().map(|v| v.1).sum::<i64>(),
            "outreach_quantity": by_kind.values().map(|v| v.2).sum::<i64>(),
            "propagandists": propagandists.len(),
            "communes_with_managed": communes,
            "communes_with_model": among(&with_model),
            "communes_with_outreach": among(&with_outreach),
            "communes_with_propagandists": among(&with_propagandists),
        },
        "pre_release": {"notices": notices, "in_facility_counselling": in_facility, "travel_allowances": allowances, "travel_allowance_vnd": allowance_vnd,
            "intakes": 0, "certificate_requests": 0, "policy_briefings": {"sessions": 0, "attendance": 0}, "trainings": 0, "education_sessions": 0},
        "rates": {
            "reoffending_of_received": rate(reoffences, get(&received, "total")),
            "reoffending_of_managed": rate(reoffences, during),
            "trained": rate(trained.len() as i64, during),
            "placed_in_jobs": rate(hired.len() as i64, during),
            "given_loans": rate(borrowers, listed.len() as i64),
            "given_legal_help": rate(legal_persons.len() as i64, during),
            "employed_at_end": rate(get(&caseload, "at_end_employed_stable") + get(&caseload, "at_end_employed_unstable"), at_end),
            "communes_with_model": rate(among(&with_model), communes),
            "communes_with_outreach": rate(among(&with_outreach), communes),
            "communes_with_propagandists": rate(among(&with_propagandists), communes),
        },
    })
}

fn month(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Builds the organisation side: models, outreach, propagandists, a committee, a group
/// counselling session and loans; records each in the ledger.
async fn organise(app: &TestApp, t: &Tokens, persons: &[Person], org: &mut Org) {
    let (_, police_a) = app.account("ca.a", &["police"], A).await;
    let (_, committee_a) = app.account("ub.a", &["commune_committee"], A).await;
    let (_, bank) = app.account("nh.01", &["bank"], "01").await;
    let member = |body: &str, role: &str, name: &str| json!({"body": body, "role": role, "full_name": name, "organisation": "commune_committee", "from_date": d(500)});
    ok(
        app.post(
            "/api/v1/steering-committees",
            &t.police,
            &json!({"unit": A, "name": "Ban Chỉ đạo", "decision_number": "01/QĐ-UBND", "decision_date": d(500),
                    "members": [member("committee", "head", "Chủ tịch"), member("committee", "standing_deputy", "Trưởng CA")]}),
        )
        .await,
        "committee",
    )
    .await;
    org.committees.push((A, d(500)));

    // A self-management group in A (active since launch), a planned one in B, one in X.
    let managed_in = |unit: &str| -> Vec<&Person> {
        persons
            .iter()
            .filter(|p| {
                let last = p.history.last().unwrap();
                last.1 == unit && last.2 == "under_management" && p.history.iter().all(|c| c.1 == unit)
            })
            .collect()
    };
    for (unit, kind, launch) in [
        (A, "self_management_group", Some(460)),
        (B, "youth_volunteer_team", None),
        (X, "employment_support", Some(300)),
    ] {
        let m = ok(
            app.post(
                "/api/v1/models",
                &t.police,
                &json!({"name": format!("Mô hình {unit}"), "model_type": kind, "unit": unit, "founding_decision_number": "05/QĐ", "founding_decision_date": d(520)}),
            )
            .await,
            "model",
        )
        .await;
        let id = m["id"].as_str().unwrap().to_string();
        let mut parts = Vec::new();
        if let Some(l) = launch {
            for (step, n) in [
                ("committee_formed", l + 30),
                ("regulations_issued", l + 20),
                ("first_activities", l + 10),
                ("launched", l),
            ] {
                let r = app
                    .post(
                        &format!("/api/v1/models/{id}/milestones"),
                        &t.police,
                        &json!({"step": step, "achieved_on": d(n)}),
                    )
                    .await;
                ok(r, "milestone").await;
            }
            for (i, p) in managed_in(unit).iter().take(3).enumerate() {
                let joined = d(l - 5);
                let r = app
                    .post(
                        &format!("/api/v1/models/{id}/participants"),
                        &t.police,
                        &json!({"role": "participant", "person_id": p.id, "joined_on": joined}),
                    )
                    .await;
                let pid = ok(r, "participant").await["id"].as_str().unwrap().to_string();
                let left = if i == 0 {
                    let r = app
                        .post(
                            &format!("/api/v1/models/{id}/participants/{pid}/leave"),
                            &t.police,
                            &json!({"left_on": d(200)}),
                        )
                        .await;
                    ok(r, "leave").await;
                    Some(d(200))
                } else {
                    None
                };
                parts.push((joined, left, p.id.clone()));
            }
        }
        org.models.push((unit, kind, launch.map(d), parts));
    }

    for (unit, n, kind, audience, quantity) in [
        (A, 400, "meeting", 50, 1),
        (A, 150, "article", 0, 3),
        (A, 401, "meeting", 30, 1),
        (B, 250, "broadcast_news", 0, 2),
        (X, 200, "leaflet_distribution", 100, 500),
        (A, 10, "meeting", 40, 1),
    ] {
        let r = app
            .post("/api/v1/outreach-events", &t.police, &json!({"unit": unit, "held_on": d(n), "kind": kind, "topic": "Phổ biến pháp luật", "audience_count": audience, "quantity": quantity}))
            .await;
        ok(r, "outreach").await;
        org.outreach.push((unit, d(n), kind, audience, quantity));
    }
    for (unit, n) in [(B, 300), (X, 100)] {
        let r = app
            .post("/api/v1/propagandists", &t.police, &json!({"unit": unit, "full_name": "Tuyên Truyền Viên", "organisation": "youth_union", "from_date": d(n)}))
            .await;
        ok(r, "propagandist").await;
        org.propagandists.push((unit, d(n)));
    }

    // A group counselling session among persons still managed in B.
    let group: Vec<&Person> = managed_in(B).into_iter().take(3).collect();
    if group.len() == 3 {
        let on = group.iter().map(|p| p.history.last().unwrap().0).max().unwrap().max(d(160));
        let ids: Vec<String> = group.iter().map(|p| p.id.clone()).collect();
        let r = app
            .post(
                &format!("/api/v1/persons/{}/activities", ids[0]),
                &t.police,
                &json!({"kind": "counselling_group", "occurred_on": on, "participant_ids": ids[1..]}),
            )
            .await;
        ok(r, "group").await;
        org.group_sessions.push((B, on, ids));
    }

    // Loans in A this month: three listed, two borrow, one repays a little.
    let borrowers: Vec<&Person> = managed_in(A)
        .into_iter()
        .filter(|p| matches!(p.plan.release_type, Some("completed_sentence") | Some("special_amnesty")))
        .take(3)
        .collect();
    assert_eq!(borrowers.len(), 3, "the seed must give three managed borrowers in {A}");
    let entries: Vec<Value> = borrowers
        .iter()
        .map(|p| json!({"person_id": p.id, "purpose": "production_business", "amount_wished_vnd": 50_000_000}))
        .collect();
    let list = ok(
        app.post(
            "/api/v1/loan-eligibility-lists",
            &police_a,
            &json!({"unit": A, "month": month(today()), "entries": entries}),
        )
        .await,
        "list",
    )
    .await;
    let lid = list["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/loan-eligibility-lists/{lid}/certify"),
            &committee_a,
            &json!({"decision_number": "20/QĐ-UBND", "certified_on": today()}),
        )
        .await,
        "certify",
    )
    .await;
    ok(
        app.post(&format!("/api/v1/loan-eligibility-lists/{lid}/send"), &police_a, &json!({"on": today()})).await,
        "send",
    )
    .await;
    org.lists.push((A, month(today()), borrowers.iter().map(|p| p.id.clone()).collect()));
    for (i, p) in borrowers.iter().take(2).enumerate() {
        let loan = ok(
            app.post(
                "/api/v1/loans",
                &police_a,
                &json!({"borrower_kind": "person", "person_id": p.id, "household_rep_name": "Mẹ", "purpose": "production_business",
                        "amount_vnd": 50_000_000, "term_months": 36, "entrusting_organisation": "womens_union", "application_date": today()}),
            )
            .await,
            "loan",
        )
        .await;
        let id = loan["id"].as_str().unwrap().to_string();
        ok(app.post(&format!("/api/v1/loans/{id}/submit"), &police_a, &json!({})).await, "submit").await;
        ok(app.post(&format!("/api/v1/loans/{id}/certify"), &committee_a, &json!({})).await, "certify loan").await;
        ok(
            app.post(
                &format!("/api/v1/loans/{id}/approve"),
                &bank,
                &json!({"approved_amount_vnd": 50_000_000, "approved_on": today()}),
            )
            .await,
            "approve",
        )
        .await;
        let amount = if i == 0 { 40_000_000 } else { 30_000_000 };
        let r = app
            .request(Method::POST, &format!("/api/v1/loans/{id}/disbursements"), &bank)
            .header("idempotency-key", format!("d-{id}"))
            .json(&json!({"amount_vnd": amount, "value_date": today(), "bank_reference": format!("VBSP-{i}")}))
            .send()
            .await
            .unwrap();
        ok(r, "disburse").await;
        let mut postings = vec![(today(), "disbursement", amount)];
        if i == 1 {
            let r = app
                .request(Method::POST, &format!("/api/v1/loans/{id}/repayments"), &bank)
                .header("idempotency-key", format!("r-{id}"))
                .json(&json!({"principal_vnd": 5_000_000, "interest_vnd": 100_000, "paid_on": today(), "bank_reference": "VBSP-R"}))
                .send()
                .await
                .unwrap();
            ok(r, "repay").await;
            postings.push((today(), "repayment", 5_000_000));
        }
        org.loans.push((A, p.id.clone(), today(), postings));
    }
}

/// Only the figures (the response also carries unit, dates, targets and a timestamp).
fn figures_of(v: &Value) -> Value {
    let mut f = v.clone();
    for k in ["unit", "unit_name", "from", "to", "targets", "computed_at"] {
        f.as_object_mut().unwrap().remove(k);
    }
    f
}

fn assert_same(actual: &Value, expected: &Value, ctx: &str) {
    if actual == expected {
        return;
    }
    // Name the differing leaves, so a failure says which indicator is wrong.
    fn walk(a: &Value, e: &Value, path: String, out: &mut Vec<String>) {
        match (a, e) {
            (Value::Object(x), Value::Object(y)) => {
                for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                    walk(
                        x.get(k).unwrap_or(&Value::Null),
                        y.get(k).unwrap_or(&Value::Null),
                        format!("{path}.{k}"),
                        out,
                    );
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(p, q, format!("{path}[{i}]"), out);
                }
            }
            _ if a != e => out.push(format!("{path}: got {a}, expected {e}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(actual, expected, String::new(), &mut out);
    panic!("{ctx}: {} indicator(s) differ:\n{}", out.len(), out.join("\n"));
}

async fn indicators_match_the_ledger(app: TestApp) {
    let (_, police) = app.account("ca.vn", &["police"], "VN").await;
    let (_, justice) = app.account("tp.vn", &["justice"], "VN").await;
    let (_, labour) = app.account("ld.vn", &["labour"], "VN").await;
    let t = Tokens { police, justice, labour };
    let mut rng = StdRng::seed_from_u64(20_251_122);
    let plans: Vec<Plan> = (0..260).map(|i| plan_person(&mut rng, i)).collect();
    let mut persons = Vec::new();
    for chunk in plans.chunks(16) {
        persons.extend(join_all(chunk.iter().cloned().map(|p| live(&app, &t, p))).await);
    }
    let mut org = Org::default();
    organise(&app, &t, &persons, &mut org).await;

    // The history must have exercised what the report counts.
    let all: Vec<&str> = persons.iter().flat_map(|p| p.history.iter().map(|c| c.2)).collect();
    for status in ["expunged", "reoffended", "law_violation", "moved_out", "absconded", "deceased"] {
        assert!(all.contains(&status), "no {status} in the generated history");
    }
    let (f1, t1) = p1();
    let on_boundary = persons.iter().flat_map(|p| &p.history).filter(|c| c.0 == f1 || c.0 == t1).count();
    assert!(on_boundary >= 5, "only {on_boundary} changes on the period's first or last day");

    let periods =
        [(f1, t1), (d(365), today()), (d(800), today()), (f1, f1), (t1 + Duration::days(1), t1 + Duration::days(1))];
    let mut checked = 0;
    for (from, to) in periods {
        for scope in [A, B, X, "01", "68", "VN"] {
            let url = format!("/api/v1/reports/indicators?unit={scope}&from={from}&to={to}");
            let resp = app.get(&url, &t.police).await;
            let actual = ok(resp, &url).await;
            assert_eq!(actual["unit"], scope);
            let want = expected(&persons, &org, scope, from, to);
            assert_same(
                &figures_of(&actual),
                &want,
                &format!(
                    "{} {scope} {from}..{to}",
                    match app.backend {
                        Backend::Sqlite => "SQLite",
                        Backend::Postgres => "PostgreSQL",
                    }
                ),
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
    // Province level counts a mover between its communes once: no moves inside 01 appear.
    let whole = ok(
        app.get(&format!("/api/v1/reports/indicators?unit=01&from={}&to={}", d(800), today()), &t.police).await,
        "01",
    )
    .await;
    let internal = persons
        .iter()
        .flat_map(|p| p.history.windows(2))
        .filter(|w| w[0].2 == "moved_out" && province_of(w[0].1) == "01" && province_of(w[1].1) == "01")
        .count();
    assert!(internal > 0, "the seed must move someone inside the province");
    let commune_moves: i64 = [A, B]
        .iter()
        .map(|u| expected(&persons, &org, u, d(800), today())["exits"]["moved_out"].as_i64().unwrap())
        .sum();
    assert_eq!(commune_moves - whole["exits"]["moved_out"].as_i64().unwrap(), internal as i64);

    // A commune token sees its own unit only.
    let (_, commune) = app.account("ca.b", &["police"], B).await;
    let r = app.get(&format!("/api/v1/reports/indicators?unit={A}&from={f1}&to={t1}"), &commune).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "unit");
    let mine = ok(app.get(&format!("/api/v1/reports/indicators?from={f1}&to={t1}"), &commune).await, "own").await;
    assert_eq!(mine["unit"], B);
    // The bank and supervisors have no business with these figures.
    let (_, bank) = app.account("nh.vn", &["bank"], "VN").await;
    assert_problem(app.get(&format!("/api/v1/reports/indicators?from={f1}&to={t1}"), &bank).await, 403, "forbidden")
        .await;
    // Bad periods.
    let r = app.get(&format!("/api/v1/reports/indicators?unit=VN&from={t1}&to={f1}"), &t.police).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "from");
    let r = app.get("/api/v1/reports/indicators?unit=VN&from=2025-02-31&to=2025-03-01", &t.police).await;
    assert_problem(r, 400, "invalid_query").await;
}

async fn reoffending_rate_of_the_province_example(app: TestApp) {
    // 1,797 persons under management measures in a period, 134 of them reoffending: 7.46 %.
    let (_, police) = app.account("ca.vd", &["police"], "VN").await;
    let received_on = d(300);
    let one = |i: usize| {
        let police = police.clone();
        let app = &app;
        async move {
            let r = app
                .post(
                    "/api/v1/release-notices",
                    &police,
                    &json!({"person": {"full_name": format!("Người {i}"), "gender": if i % 12 == 0 { "female" } else { "male" }, "unit": if i % 2 == 0 { A } else { B }},
                            "facility": "Trại giam", "notice_date": d(400), "expected_release_date": d(310)}),
                )
                .await;
            let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
            let r = app
                .post(
                    &format!("/api/v1/persons/{id}/reception"),
                    &police,
                    &json!({"received_on": received_on, "receiving_officer": "A", "commitment_signed": true}),
                )
                .await;
            ok(r, "reception").await;
            if i < 134 {
                let c = json!({"judgment_number": "1/2026/HS-ST", "court": "TAND", "judgment_date": d(100 + (i as i64 % 50)), "offence_articles": ["173"],
                               "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
                ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &c).await, "reoffend").await;
            }
        }
    };
    let indices: Vec<usize> = (0..1797).collect();
    for chunk in indices.chunks(24) {
        join_all(chunk.iter().map(|i| one(*i))).await;
    }
    let r =
        ok(app.get(&format!("/api/v1/reports/indicators?unit=01&from={}&to={}", d(350), d(1)), &police).await, "01")
            .await;
    assert_eq!(r["managed"]["during_period"], 1797);
    assert_eq!(r["exits"]["reoffended"], 134);
    assert_eq!(r["rates"]["reoffending_of_managed"], json!({"numerator": 134, "denominator": 1797, "percent": 7.46}));
    assert_eq!(r["managed"]["at_end"], 1797 - 134);
    assert_eq!(r["managed"]["at_end_female"], (0..1797).filter(|i| i % 12 == 0 && *i >= 134).count());
}

async fn targets_reports_and_exports(app: TestApp) {
    let (_, vn) = app.account("ca.vn2", &["police"], "VN").await;
    let (_, province) = app.account("ca.hn", &["police"], "01").await;
    let (_, ub_a) = app.account("ub.a2", &["commune_committee"], A).await;
    let (_, ca_b) = app.account("ca.b2", &["police"], B).await;
    let (_, auditor) = app.account("kt.hn", &["auditor"], "01").await;
    // A small history: two received in A, one reoffends; one in B.
    for (unit, name, reoffend) in [(A, "Một", true), (A, "Hai", false), (B, "Ba", false)] {
        let r = app
            .post("/api/v1/release-notices", &vn, &json!({"person": {"full_name": name, "gender": "male", "unit": unit}, "facility": "Trại", "notice_date": d(300), "expected_release_date": d(250)}))
            .await;
        let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
        ok(
            app.post(
                &format!("/api/v1/persons/{id}/reception"),
                &vn,
                &json!({"received_on": d(240), "receiving_officer": "A", "commitment_signed": true}),
            )
            .await,
            "rec",
        )
        .await;
        if reoffend {
            let c = json!({"judgment_number": "1/2026", "court": "TAND", "judgment_date": d(100), "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
                           "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
            ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &vn, &c).await, "reoffend").await;
        }
    }
    let year = chrono::Datelike::year(&d(1));
    let (from, to) = (d(260), d(1));

    // Targets: national "reoffending under 1 %", a province band for training, A's own stricter reoffending target.
    let target = |token: &str, body: Value| {
        let req = app.request(Method::POST, "/api/v1/targets", token).json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = target(
        &vn,
        json!({"unit": "VN", "year": year, "indicator": "rates.reoffending_of_managed", "measure": "rate", "max": 1.0}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r =
        target(&province, json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 20, "max": 25}))
            .await;
    assert_eq!(r.status(), 201);
    let r =
        target(&province, json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 20, "max": 30}))
            .await;
    assert_eq!(r.status(), 200, "a second POST replaces");
    let r =
        target(&ub_a, json!({"year": year, "indicator": "rates.reoffending_of_managed", "measure": "rate", "max": 60}))
            .await;
    assert_eq!(r.status(), 201);
    let r = target(&ub_a, json!({"year": year, "indicator": "received.total", "measure": "count", "min": 2})).await;
    assert_eq!(r.status(), 201);
    for (body, field) in [
        (json!({"year": year, "indicator": "rates.nonsense", "measure": "rate", "max": 1}), "indicator"),
        (json!({"year": year, "indicator": "received.total", "measure": "rate", "max": 1}), "measure"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 30, "max": 20}), "min"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate"}), "min"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate", "max": 101}), "max"),
        (json!({"unit": B, "year": year, "indicator": "rates.trained", "measure": "rate", "max": 1}), "unit"),
    ] {
        let body = assert_problem(target(&ub_a, body).await, 422, "validation_failed").await;
        assert_eq!(body["invalid_params"][0]["name"], field, "{body}");
    }
    let eff = ok(app.get(&format!("/api/v1/targets?unit={A}&year={year}"), &province).await, "targets").await;
    let by: BTreeMap<String, (String, bool)> = eff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["indicator"].as_str().unwrap().to_string(),
                (t["unit"].as_str().unwrap().to_string(), t["own"].as_bool().unwrap()),
            )
        })
        .collect();
    assert_eq!(by["rates.reoffending_of_managed"], (A.to_string(), true));
    assert_eq!(by["rates.trained"], ("01".to_string(), false));
    assert_eq!(by["received.total"], (A.to_string(), true));
    let ind =
        ok(app.get(&format!("/api/v1/reports/indicators?unit={A}&from={from}&to={to}"), &ub_a).await, "ind").await;
    let checks: BTreeMap<String, Value> = ind["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["indicator"].as_str().unwrap().to_string(), t.clone()))
        .collect();
    assert_eq!(ind["rates"]["reoffending_of_managed"]["percent"], 50.0);
    assert_eq!(checks["rates.reoffending_of_managed"]["outcome"], "met"); // A's own 60 % ceiling
    assert_eq!(checks["rates.reoffending_of_managed"]["set_by"], A);
    assert_eq!(checks["rates.trained"]["outcome"], "not_met"); // 0 % against the province's 20–30 %
    assert_eq!(checks["received.total"]["actual"], 2.0);
    assert_eq!(checks["received.total"]["outcome"], "met");
    let ind_b =
        ok(app.get(&format!("/api/v1/reports/indicators?unit={B}&from={from}&to={to}"), &ca_b).await, "ind b").await;
    let b_reoff = ind_b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "rates.reoffending_of_managed")
        .unwrap()
        .clone();
    assert_eq!((b_reoff["set_by"].as_str(), b_reoff["outcome"].as_str()), (Some("VN"), Some("met"))); // 0 % < 1 %

    // A commune's report: draft → submitted → returned → revised → submitted → accepted.
    let new = json!({"period_kind": "semiannual", "period_from": from, "period_to": to, "sections": {"situation": "Tình hình ổn định."}});
    let r = app.post("/api/v1/reports", &ub_a, &new).await;
    assert_eq!(r.status(), 201);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let rep = json(r).await;
    let id = rep["id"].as_str().unwrap().to_string();
    assert_eq!(rep["status"], "draft");
    assert_eq!(rep["figures"]["received"]["total"], 2);
    assert_eq!(rep["due_on"], format!("{year}-05-15"));
    assert_problem(app.post("/api/v1/reports", &ub_a, &new).await, 409, "report_exists").await;
    let edit = |etag: &str, body: Value| {
        let req = app
            .request(Method::PATCH, &format!("/api/v1/reports/{id}"), &ub_a)
            .header("if-match", etag.to_string())
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = edit(&etag, json!({"sections": {"situation": "Tình hình ổn định.", "strengths": "Phối hợp tốt", "next_tasks": "=cmd|' /C calc'!A0"}})).await;
    assert_eq!(r.status(), 200);
    assert_problem(edit(&etag, json!({"title": "x"})).await, 412, "version_mismatch").await;
    assert_problem(
        app.post(&format!("/api/v1/reports/{id}/accept"), &province, &json!({})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_problem(app.post(&format!("/api/v1/reports/{id}/submit"), &province, &json!({})).await, 403, "forbidden")
        .await;
    let sub = ok(app.post(&format!("/api/v1/reports/{id}/submit"), &ub_a, &json!({})).await, "submit").await;
    assert_eq!(sub["status"], "submitted");
    let etag = format!("\"v{}\"", sub["version"]);
    assert_problem(edit(&etag, json!({"title": "changed"})).await, 409, "transition_not_allowed").await;
    // The commune cannot accept its own report; the province returns it with a comment.
    assert_problem(app.post(&format!("/api/v1/reports/{id}/accept"), &ub_a, &json!({})).await, 403, "forbidden").await;
    let r = app.post(&format!("/api/v1/reports/{id}/return"), &province, &json!({})).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "comment");
    let ret = ok(
        app.post(&format!("/api/v1/reports/{id}/return"), &province, &json!({"comment": "Bổ sung số liệu vay vốn"}))
            .await,
        "return",
    )
    .await;
    assert_eq!(ret["status"], "returned");
    let v2 = app.post(&format!("/api/v1/reports/{id}/revise"), &ub_a, &json!({})).await;
    assert_eq!(v2.status(), 201);
    let v2 = json(v2).await;
    let id2 = v2["id"].as_str().unwrap().to_string();
    assert_eq!((v2["version_no"].as_i64(), v2["supersedes_id"].as_str()), (Some(2), Some(id.as_str())));
    assert_eq!(v2["sections"]["strengths"], "Phối hợp tốt");
    assert_problem(
        app.post(&format!("/api/v1/reports/{id}/revise"), &ub_a, &json!({})).await,
        409,
        "not_latest_version",
    )
    .await;
    let old = ok(app.get(&format!("/api/v1/reports/{id}"), &ub_a).await, "old").await;
    assert_eq!(old["status"], "returned");
    assert_eq!(old["decision_comment"], "Bổ sung số liệu vay vốn");
    ok(app.post(&format!("/api/v1/reports/{id2}/submit"), &ub_a, &json!({})).await, "submit v2").await;
    let acc =
        ok(app.post(&format!("/api/v1/reports/{id2}/accept"), &province, &json!({"comment": "Đạt"})).await, "accept")
            .await;
    assert_eq!(acc["status"], "accepted");

    // B never reports: overdue once the due date passed (d(1) is in `year`; 15 May may or may not be past).
    let overdue =
        ok(app.get(&format!("/api/v1/reports/overdue?period_kind=semiannual&year={year}"), &province).await, "overdue")
            .await;
    let units: Vec<&str> = overdue["items"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap()).collect();
    assert!(units.contains(&B) && !units.contains(&A), "{units:?}");
    assert_eq!(overdue["items"].as_array().unwrap().len(), 125, "126 communes in Hà Nội, one reported");
    assert_eq!(overdue["past_due"], today() > NaiveDate::from_ymd_opt(year, 5, 15).unwrap());
    let r = app.get(&format!("/api/v1/reports/overdue?period_kind=semiannual&year={year}"), &ub_a).await;
    assert_problem(r, 422, "validation_failed").await;

    // A late change to A's history makes the live figures differ from what A submitted.
    let r = app
        .post("/api/v1/release-notices", &vn, &json!({"person": {"full_name": "Bốn", "gender": "female", "unit": A}, "facility": "Trại", "notice_date": d(300), "expected_release_date": d(250)}))
        .await;
    let late_id = ok(r, "late").await["person_id"].as_str().unwrap().to_string();
    ok(
        app.post(
            &format!("/api/v1/persons/{late_id}/reception"),
            &vn,
            &json!({"received_on": d(200), "receiving_officer": "A", "commitment_signed": true}),
        )
        .await,
        "late rec",
    )
    .await;
    let prov = app
        .post("/api/v1/reports", &province, &json!({"period_kind": "semiannual", "period_from": from, "period_to": to}))
        .await;
    assert_eq!(prov.status(), 201);
    let prov_id = json(prov).await["id"].as_str().unwrap().to_string();
    let cons = ok(app.get(&format!("/api/v1/reports/{prov_id}/consolidated"), &province).await, "consolidated").await;
    assert_eq!(cons["communes"].as_array().unwrap().len(), 1);
    let a = &cons["communes"][0];
    assert_eq!((a["unit"].as_str(), a["report_id"].as_str()), (Some(A), Some(id2.as_str())));
    assert_eq!(a["submitted"]["received"]["total"], 2);
    assert_eq!(a["live"]["received"]["total"], 3);
    let diffs: BTreeMap<String, (Value, Value)> = a["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["key"].as_str().unwrap().to_string(), (d["submitted"].clone(), d["live"].clone())))
        .collect();
    assert_eq!(diffs["received.total"], (json!(2), json!(3)));
    assert_eq!(diffs["rates.reoffending_of_managed"], (json!(5000), json!(3333)));
    assert_eq!(cons["missing"], json!([B]));
    assert_problem(
        app.get(&format!("/api/v1/reports/{id2}/consolidated"), &province).await,
        422,
        "not_a_province_report",
    )
    .await;

    // Exports.
    let r = app.get(&format!("/api/v1/reports/{id2}/export?format=csv"), &auditor).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("received.total,received,Tổng số tiếp nhận trong kỳ,2\r\n"), "{csv}");
    assert!(
        csv.contains("rates.reoffending_of_managed,rates,\"Tỷ lệ tái phạm, VPPL trên số được quản lý (%)\",50.00\r\n")
    );
    let r = app.get(&format!("/api/v1/reports/{id2}/export?format=html"), &province).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("<h2>I. Tình hình chung</h2><p>Tình hình ổn định.</p>"));
    assert!(html.contains("Tổng số tiếp nhận trong kỳ</td><td class=\"num\">2</td>"));
    assert!(html.contains("50,00 % (1/2)"));
    assert!(html.contains("=cmd|&#39; /C calc&#39;!A0"));
    let r = app.get(&format!("/api/v1/reports/{prov_id}/export?format=xlsx"), &province).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    // The workbook lists a sheet per commune that reported.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("xl/worksheets/sheet2.xml") && !text.contains("xl/worksheets/sheet3.xml"));
    assert_problem(
        app.get(&format!("/api/v1/reports/{id2}/export?format=pdf"), &province).await,
        422,
        "validation_failed",
    )
    .await;
    // Visibility: B's police cannot see A's report; the list is scoped.
    assert_problem(app.get(&format!("/api/v1/reports/{id2}"), &ca_b).await, 404, "not_found").await;
    let mine = ok(app.get("/api/v1/reports", &ca_b).await, "list b").await;
    assert_eq!(mine["total"], 0);
    let all = ok(app.get("/api/v1/reports?period_kind=semiannual", &province).await, "list 01").await;
    assert_eq!(all["total"], 3);
    // Every step is in the audit trail.
    let audit = ok(app.get(&format!("/api/v1/audit-events?entity_id={id}"), &app.admin_token).await, "audit").await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["report.create", "report.update", "report.submit", "report.return"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

/// `(count, persons)` of one activity kind (or legal sub-kind) in an indicators body.
fn reached(v: &Value, list: &str, kind: &str) -> (i64, i64) {
    let row = v["support"][list].as_array().unwrap().iter().find(|k| k["kind"] == kind).unwrap();
    (row["count"].as_i64().unwrap(), row["persons"].as_i64().unwrap())
}

/// The country counts persons reached from each activity's link to the person's previous
/// one of the same kind; corrections and deletions must re-link. Checked against hand counts
/// and against the communes' own distinct counts (no one here spans two communes).
async fn national_counts_follow_corrections_and_deletions(app: TestApp) {
    let (_, police) = app.account("ca.reach", &["police"], "VN").await;
    let (app, police) = (&app, police.as_str());
    let ago = |n: i64| (today() - Duration::days(n)).to_string();
    // Registered before the oldest activity: none may be dated before the registration.
    let person =
        |name: &str, unit: &str| json!({"full_name": name, "gender": "male", "unit": unit, "registered_on": ago(300)});
    let mut ids = Vec::new();
    for (name, unit) in [("Phan Văn Một", A), ("Phan Văn Hai", A), ("Phan Văn Ba", X)] {
        ids.push(
            ok(app.post("/api/v1/persons", police, &person(name, unit)).await, "person").await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let (p, q, r) = (&ids[0], &ids[1], &ids[2]);
    let mut act = BTreeMap::new();
    for (key, who, kind, sub, on) in [
        ("p_old", p, "home_visit", None, 200),
        ("p_50", p, "home_visit", None, 50),
        ("p_40", p, "home_visit", None, 40),
        ("p_id", p, "legal_support", Some("national_id_card"), 30),
        ("p_guid", p, "legal_support", Some("expungement_guidance"), 20),
        ("p_ind", p, "counselling_individual", None, 10),
        ("q_60", q, "home_visit", None, 60),
        ("p_praise", p, "commendation", None, 45),
        ("p_praise2", p, "commendation", None, 35),
        ("r_70", r, "legal_support", Some("national_id_card"), 70),
        ("r_65", r, "legal_support", Some("national_id_card"), 65),
    ] {
        let body = json!({"kind": kind, "legal_sub_kind": sub, "occurred_on": ago(on)});
        let created = ok(app.post(&format!("/api/v1/persons/{who}/activities"), police, &body).await, key).await;
        act.insert(key, (who.clone(), created[0]["id"].as_str().unwrap().to_string()));
    }
    let group = json!({"kind": "counselling_group", "occurred_on": ago(5), "participant_ids": [p]});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &group).await, "group").await;

    let from = ago(100);
    let figures = |unit: &'static str| {
        let url = format!("/api/v1/reports/indicators?unit={unit}&from={from}&to={}", today());
        async move { ok(app.get(&url, police).await, &url).await }
    };
    // (home visits, national id card, expungement guidance, legal support, legal persons)
    let check = |vn: Value, a: Value, x: Value, want: [(i64, i64); 4], legal_persons: i64, step: &str| {
        let got = [
            reached(&vn, "activities", "home_visit"),
            reached(&vn, "legal_support", "national_id_card"),
            reached(&vn, "legal_support", "expungement_guidance"),
            reached(&vn, "activities", "legal_support"),
        ];
        assert_eq!(got, want, "{step}: VN (count, persons) for home visits, ID card, guidance, legal support");
        assert_eq!(vn["support"]["legal_help_persons"], legal_persons, "{step}");
        for (list, kind) in [
            ("activities", "home_visit"),
            ("legal_support", "national_id_card"),
            ("legal_support", "expungement_guidance"),
            ("activities", "legal_support"),
            ("activities", "counselling_individual"),
            ("activities", "counselling_group"),
            ("activities", "commendation"),
        ] {
            let (va, vx) = (reached(&a, list, kind), reached(&x, list, kind));
            assert_eq!(reached(&vn, list, kind), (va.0 + vx.0, va.1 + vx.1), "{step}: VN = A + X for {kind}");
        }
        for key in ["counselling_persons", "counselling_sessions", "legal_help_persons"] {
            let sum = a["support"][key].as_i64().unwrap() + x["support"][key].as_i64().unwrap();
            assert_eq!(vn["support"][key], sum, "{step}: VN = A + X for {key}");
        }
    };
    let vn = figures("VN").await;
    assert_eq!(reached(&vn, "activities", "counselling_group"), (2, 2));
    assert_eq!(reached(&vn, "activities", "counselling_individual"), (1, 1));
    assert_eq!(reached(&vn, "activities", "commendation"), (2, 1)); // not a contact kind: linked all the same
    assert_eq!(vn["support"]["counselling_persons"], 2); // P (individual and group) and Q
    assert_eq!(vn["support"]["counselling_sessions"], 2); // one individual, one group session
    check(vn, figures(A).await, figures(X).await, [(3, 2), (3, 2), (1, 1), (4, 2)], 2, "as written");

    let correct = |key: &str, body: Value| {
        let (who, id) = act[key].clone();
        let path = format!("/api/v1/persons/{who}/activities/{id}");
        async move {
            let resp = app
                .request(Method::PATCH, &path, police)
                .header("if-match", "\"v1\"")
                .json(&body)
                .send()
                .await
                .unwrap();
            ok(resp, &path).await
        }
    };
    let delete = |key: &str| {
        let (who, id) = act[key].clone();
        let path = format!("/api/v1/persons/{who}/activities/{id}?reason=nh%E1%BA%A7m");
        async move { assert_eq!(app.request(Method::DELETE, &path, police).send().await.unwrap().status(), 204, "{path}") }
    };
    // P's first visit in the period moves before it: the next one becomes P's first.
    correct("p_50", json!({"occurred_on": ago(150), "reason": "sai ngày"})).await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 2), (3, 2), (1, 1), (4, 2)],
        2,
        "visit moved out",
    );
    // That one deleted too: P has no visit in the period.
    delete("p_40").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (3, 2), (1, 1), (4, 2)],
        2,
        "visit deleted",
    );
    // R's first ID-card help deleted: the second becomes R's first, still one person.
    delete("r_70").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (2, 2), (1, 1), (3, 2)],
        2,
        "first of two deleted",
    );
    // P's guidance re-filed as ID-card help: two ID-card helps for P, guidance to nobody.
    correct("p_guid", json!({"legal_sub_kind": "national_id_card", "reason": "sai loại"})).await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "sub-kind changed",
    );
    // A visit to Q written late, dated before Q's visit of 60 days ago: it becomes Q's first
    // in the period and the 60-day one must be re-linked to it (else Q counts twice).
    let late = json!({"kind": "home_visit", "occurred_on": ago(80)});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &late).await, "late visit").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "visit written late",
    );
    // And one written late before the period: still one person, one more visit after it.
    let older = json!({"kind": "home_visit", "occurred_on": ago(120)});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &older).await, "older visit").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "visit before the period written late",
    );
}

dual!(
    indicators_match_the_ledger,
    reoffending_rate_of_the_province_example,
    targets_reports_and_exports,
    national_counts_follow_corrections_and_deletions
);
