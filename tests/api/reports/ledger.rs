//! The ledger's own arithmetic: what each indicator should be.

use super::*;

pub(super) const MANAGED: [&str; 2] = ["received", "under_management"];

/// The latest change up to `day` among those recorded in the scope.
pub(super) fn state_on<'a>(p: &'a Person, scope: &str, day: NaiveDate) -> Option<&'a Change> {
    p.history.iter().rev().find(|c| c.0 <= day && in_scope(c.1, scope))
}

pub(super) fn managed_on(p: &Person, scope: &str, day: NaiveDate) -> bool {
    state_on(p, scope, day).is_some_and(|c| MANAGED.contains(&c.2))
}

pub(super) fn entered(p: &Person, scope: &str, from: NaiveDate, to: NaiveDate) -> bool {
    p.history.iter().any(|c| c.0 >= from && c.0 <= to && in_scope(c.1, scope) && MANAGED.contains(&c.2))
}

/// Value of an attribute on `day`: the latest dated statement up to that day; on the same
/// day, the one recorded last.
pub(super) fn attr_on<T: Copy>(changes: &[(NaiveDate, T)], day: NaiveDate) -> Option<T> {
    let mut best: Option<(NaiveDate, T)> = None;
    for (on, v) in changes {
        if *on <= day && best.is_none_or(|(b, _)| *on >= b) {
            best = Some((*on, *v));
        }
    }
    best.map(|(_, v)| v)
}

pub(super) fn rate(n: i64, den: i64) -> Value {
    let percent = if den == 0 { Value::Null } else { json!(((n * 20_000 + den) / (2 * den)) as f64 / 100.0) };
    json!({"numerator": n, "denominator": den, "percent": percent})
}

/// (unit, type, active from, participants (joined, left, person id))
pub(super) type ModelEntry =
    (&'static str, &'static str, Option<NaiveDate>, Vec<(NaiveDate, Option<NaiveDate>, String)>);
/// (unit, person, application date, postings (date, kind, principal))
pub(super) type LoanEntry = (&'static str, String, NaiveDate, Vec<(NaiveDate, &'static str, i64)>);

#[derive(Default)]
pub(super) struct Org {
    /// (unit, type, active_from, participants: Vec<(joined, left, person id)>)
    pub(super) models: Vec<ModelEntry>,
    /// (unit, held_on, kind, audience, quantity)
    pub(super) outreach: Vec<(&'static str, NaiveDate, &'static str, i64, i64)>,
    pub(super) propagandists: Vec<(&'static str, NaiveDate)>,
    pub(super) committees: Vec<(&'static str, NaiveDate)>,
    /// (unit, month, person ids)
    pub(super) lists: Vec<(&'static str, String, Vec<String>)>,
    /// (unit, person, application date, postings (date, kind, principal))
    pub(super) loans: Vec<LoanEntry>,
    pub(super) group_sessions: Vec<(&'static str, NaiveDate, Vec<String>)>,
}

pub(super) fn expected(persons: &[Person], org: &Org, scope: &str, from: NaiveDate, to: NaiveDate) -> Value {
    let in_period = |day: NaiveDate| day >= from && day <= to;
    let mut received = BTreeMap::<&str, i64>::new();
    let mut exits = BTreeMap::<&str, i64>::new();
    let (mut files, mut transferred_in, mut late) = (0, 0, 0);
    // Receptions whose file was opened by `to`; notified 2 months ahead; released to the
    // scope in the period (received, or past the 5 grace days) and of them received.
    let (mut files_of_received, mut notified, mut released, mut released_received) = (0, 0, 0, 0);
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
                    if h.get(i + 1).is_some_and(|n| n.2 == "under_management" && n.0 <= to) {
                        files_of_received += 1;
                    }
                    let two_months_before = p.plan.release_on.checked_sub_months(chrono::Months::new(2)).unwrap();
                    if c.3 != "moved_out" && p.plan.notice_on <= two_months_before {
                        notified += 1;
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
        if in_scope(p.plan.unit, scope) && in_period(p.plan.release_on) {
            let got = h.iter().any(|c| c.2 == "received" && c.0 >= p.plan.notice_on && c.0 <= to);
            if got || p.plan.release_on + Duration::days(5) < to {
                released += 1;
            }
            if got {
                released_received += 1;
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
        "procedure_other",
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
    // The ledger's models reach their four steps 30, 20 and 10 days before launch, and on it.
    let steps = ["committee_formed", "regulations_issued", "first_activities", "launched", "maintaining"];
    let mut by_step = BTreeMap::<&str, i64>::new();
    for (unit, _, active_from, _) in &org.models {
        let reached = active_from.and_then(|a| {
            [(30, 0), (20, 1), (10, 2), (0, 3)]
                .iter()
                .filter(|(n, _)| a - Duration::days(*n) <= to)
                .map(|s| s.1)
                .next_back()
        });
        if let (true, Some(step)) = (in_scope(unit, scope), reached) {
            *by_step.entry(steps[step]).or_default() += 1;
        }
    }
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
        "files_opened": files_of_received, "notified_two_months_ahead": notified,
        "released": released, "released_received": released_received,
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
            "legal_support_total": {"records": legal.values().map(|v| v.0).sum::<i64>(), "persons": legal_persons.len()},
            "judicial_record_requests": {"requests": 0, "certificates_issued": 0, "persons": 0},
        },
        "loans": {
            "listed_eligible": listed.len(), "applications": applications, "disbursed_loans": disbursing.len(),
            "borrowers": borrowers, "disbursed_vnd": disbursed_vnd, "outstanding_vnd": outstanding,
            "borrowers_all_programmes": borrowers,
        },
        // Every loan of the ledger is a Decision 22 loan.
        "other_programme_loans": (["poor_households", "near_poor_households", "job_creation", "clean_water_sanitation", "student_loans", "other"]
            .iter().map(|p| json!({"programme": p, "loans": 0, "persons": 0, "disbursed_vnd": 0})).collect::<Value>()),
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
            // The ledger's events carry no topic code: all `other`.
            "outreach": {
                "by_kind": outreach_kinds.iter().map(|k| {
                    let (n, a, q) = by_kind.get(k).copied().unwrap_or_default();
                    json!({"code": k, "events": n, "audience": a, "quantity": q})
                }).collect::<Value>(),
                "by_topic": (["reintegration_policy", "decision_22_loans", "law_dissemination", "crime_prevention", "drug_prevention", "other"]
                    .iter().map(|t| {
                        let sum = |f: fn(&(i64, i64, i64)) -> i64| if *t == "other" { by_kind.values().map(f).sum::<i64>() } else { 0 };
                        json!({"code": t, "events": sum(|v| v.0), "audience": sum(|v| v.1), "quantity": sum(|v| v.2)})
                    }).collect::<Value>()),
            },
            // No supervision assignments in the ledger, and no member accounts.
            "mass_organisations": {
                "by_organisation": (["police", "commune_committee", "fatherland_front", "womens_union", "youth_union", "veterans",
                                    "farmers", "elderly", "village", "family", "business", "other"]
                    .iter().map(|o| json!({"organisation": o, "persons": 0, "supervised": 0, "given_support": 0})).collect::<Value>()),
                "persons_helped_by_mass_organisations": 0,
            },
            "models_by_step": steps.iter().map(|k| json!({"kind": k, "count": by_step.get(k).copied().unwrap_or(0), "persons": 0})).collect::<Value>(),
            // The ledger's models have no reviews.
            "communes_with_effective_model": 0,
        },
        "pre_release": {"notices": notices, "in_facility_counselling": in_facility, "travel_allowances": allowances, "travel_allowance_vnd": allowance_vnd,
            "intakes": 0, "certificate_requests": 0, "policy_briefings": {"sessions": 0, "attendance": 0}, "trainings": 0, "education_sessions": 0,
            "population": 0, "counselled_or_educated": 0, "counselled_or_educated_of_held": rate(0, 0), "trained_of_held": rate(0, 0)},
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
            "received_of_released": rate(released_received, released),
            "files_opened_of_received": rate(files_of_received, get(&received, "total")),
            "notified_two_months_ahead": rate(notified, get(&received, "total") - transferred_in),
            "borrowers_of_managed": rate(borrowers, during),
        },
    })
}
