//! Report figures as SQL aggregates, one file per indicator family; `indicators` assembles them.
//!
//! The indicator queries are hand-written SQL: they need window-free "latest change up to a
//! day" logic, self-joins on the status history and conditional distinct counts, which read
//! more plainly as SQL than as diesel DSL. The SQL is the same on both backends; only the
//! placeholder syntax differs (`$n` on PostgreSQL, `?n` on SQLite). Nothing is loaded row by
//! row: every query returns counts, grouped at most by a handful of small categories, or
//! the list of commune codes (≤ 3,321) behind the commune shares.

mod caseload;
mod organisation;
mod reception;
mod report_lines;
mod scalars;
mod sql;
mod support;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use self::caseload::caseload;
use self::organisation::{
    communes_with_effective_model, communes_with_model, communes_with_outreach, communes_with_propagandists, models,
    models_by_step, outreach,
};
pub use self::organisation::{communes_with_managed, model_coverage_on, model_types_on, plan_summary_on};
use self::reception::events;
use self::scalars::scalars;
use self::support::activities;
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::domain::enums::{ActivityKind, LegalSubKind, ModelStep, ModelType, OutreachKind};
use crate::domain::indicators::*;
use crate::error::{ApiError, ApiResult};

/// All live figures for a unit and a period (targets are added by the service).
pub fn indicators(
    conn: &mut DbConnection,
    unit: &str,
    unit_name: &str,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Indicators> {
    // One snapshot for every figure; enough memory that the distinct counts and the
    // per-person aggregation sort and hash in memory, and no JIT (it costs more than it saves
    // on these one-off plans). Index pages are cached on a serving database, so the planner is
    // told random reads cost about as much as sequential ones: it then reads the narrow
    // covering indexes (see the `report_indexes` migration) instead of the wide tables.
    // On PostgreSQL the caseload, the heaviest part, is computed on a second connection in
    // the same snapshot while this one computes the rest: about half the wait for a national
    // report when the machine has a core to spare.
    let settings = ["work_mem = '64MB'", "jit = off", "random_page_cost = 1.1"];
    crate::db::read_tx_with_lane(conn, &settings, |conn, lane| {
        std::thread::scope(|threads| {
            let beside = lane.map(|lane| threads.spawn(move || lane.run(|c| caseload(c, scope, from, to))));
            let managed = |conn: &mut DbConnection| match beside {
                None => caseload(conn, scope, from, to),
                Some(handle) => match handle.join() {
                    Ok(Ok(managed)) => Ok(managed),
                    Ok(Err(e)) => {
                        log::warn!("caseload on a second connection failed ({e}); computing it here");
                        caseload(conn, scope, from, to)
                    }
                    Err(_) => Err(ApiError::internal("caseload thread panicked")),
                },
            };
            indicators_in_snapshot(conn, unit, unit_name, scope, from, to, managed)
        })
    })
}

fn indicators_in_snapshot(
    conn: &mut DbConnection,
    unit: &str,
    unit_name: &str,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
    managed_persons: impl FnOnce(&mut DbConnection) -> ApiResult<Caseload>,
) -> ApiResult<Indicators> {
    let (mut received, exits, files_opened) = events(conn, scope, from, to)?;
    let with_managed = communes_with_managed(conn, scope, from, to)?;

    let (kinds, reached) = activities(conn, scope, from, to)?;
    let s = scalars(conn, scope, from, to)?;
    received.released = s.released;
    received.released_received = s.released_received;
    let mut support = Support {
        counselling_persons: reached.counselling,
        legal_help_persons: reached.legal,
        trainings_started: s.trainings_started,
        trained_persons: s.trained_persons,
        trainings_completed: s.trainings_completed,
        job_referrals: s.job_referrals,
        hires: s.hires,
        hired_persons: s.hired_persons,
        assistance_grants: s.assistance_grants,
        assistance_persons: s.assistance_persons,
        assistance_vnd: s.assistance_vnd,
        ..Default::default()
    };
    for kind in ActivityKind::ALL {
        let rows = kinds.iter().filter(|k| k.kind == kind.as_str());
        let count = rows.clone().map(|k| k.n1).sum();
        // Distinct persons cannot be summed across legal sub-kinds; `activities` counts them apart.
        let persons = match kind {
            ActivityKind::LegalSupport => reached.legal,
            _ => rows.clone().map(|k| k.n2).sum(),
        };
        support.activities.push(KindCount { kind: kind.as_str().into(), count, persons });
    }
    for sub in LegalSubKind::ALL {
        let row = kinds.iter().find(|k| k.kind == "legal_support" && k.sub.as_deref() == Some(sub.as_str()));
        support.legal_support.push(KindCount {
            kind: sub.as_str().into(),
            count: row.map_or(0, |r| r.n1),
            persons: row.map_or(0, |r| r.n2),
        });
    }
    let individual: i64 = kinds.iter().filter(|k| k.kind == "counselling_individual").map(|k| k.n1).sum();
    let group_sessions: i64 = kinds.iter().filter(|k| k.kind == "counselling_group").map(|k| k.n3).sum();
    support.counselling_sessions = individual + group_sessions;

    let model_rows = models(conn, scope, to)?;
    let outreach_rows = outreach(conn, scope, from, to)?;
    let with_model = communes_with_model(conn, scope, to)?;
    let with_outreach = communes_with_outreach(conn, scope, from, to)?;
    let with_propagandists = communes_with_propagandists(conn, scope, to)?;
    let among = |set: &BTreeSet<String>| with_managed.intersection(set).count() as i64;
    let mut org = Organisation {
        committees_active: s.committees_active,
        propagandists: s.propagandists,
        communes_with_managed: with_managed.len() as i64,
        communes_with_model: among(&with_model),
        communes_with_outreach: among(&with_outreach),
        communes_with_propagandists: among(&with_propagandists),
        communes_with_effective_model: communes_with_effective_model(conn, scope, to)?.len() as i64,
        ..Default::default()
    };
    let steps = models_by_step(conn, scope, to)?;
    for step in ModelStep::ALL {
        let count = steps.iter().find(|(k, _)| k == step.as_str()).map_or(0, |(_, n)| *n);
        org.models_by_step.push(KindCount { kind: step.as_str().into(), count, persons: 0 });
    }
    for t in ModelType::ALL {
        let row = model_rows.iter().find(|r| r.kind == t.as_str());
        let (count, persons, all) = row.map_or((0, 0, 0), |r| (r.n1, r.n2, r.n3));
        org.models_by_type.push(KindCount { kind: t.as_str().into(), count, persons });
        org.models_active += count;
        org.model_person_participants += persons;
        org.model_participants += all;
    }
    for k in OutreachKind::ALL {
        let row = outreach_rows.iter().find(|r| r.kind == k.as_str());
        let (count, audience, quantity) = row.map_or((0, 0, 0), |r| (r.n1, r.n2, r.n3));
        org.outreach_by_kind.push(KindCount { kind: k.as_str().into(), count, persons: audience });
        org.outreach_events += count;
        org.outreach_audience += audience;
        org.outreach_quantity += quantity;
    }
    let loans = LoanFigures {
        listed_eligible: s.listed_eligible,
        applications: s.applications,
        disbursed_loans: s.disbursed_loans,
        borrowers: s.borrowers,
        disbursed_vnd: s.disbursed_vnd,
        outstanding_vnd: s.outstanding_vnd,
        borrowers_all_programmes: s.borrowers_all_programmes,
    };
    let pre_release =
        crate::db::facility_activities::pre_release_figures(conn, scope, from, to)?.pre_release(s.notices);
    let lines = report_lines::report_lines(conn, scope, from, to)?;
    let mut managed = managed_persons(conn)?;
    managed.files_opened = files_opened;
    let reoffences = exits.reoffended + exits.law_violation;
    let employed = managed.at_end_employed_stable + managed.at_end_employed_unstable;
    let rates = Rates {
        reoffending_of_received: Rate::of(reoffences, received.total),
        reoffending_of_managed: Rate::of(reoffences, managed.during_period),
        trained: Rate::of(support.trained_persons, managed.during_period),
        placed_in_jobs: Rate::of(support.hired_persons, managed.during_period),
        given_loans: Rate::of(loans.borrowers, loans.listed_eligible),
        given_legal_help: Rate::of(support.legal_help_persons, managed.during_period),
        employed_at_end: Rate::of(employed, managed.at_end),
        communes_with_model: Rate::of(org.communes_with_model, org.communes_with_managed),
        communes_with_outreach: Rate::of(org.communes_with_outreach, org.communes_with_managed),
        communes_with_propagandists: Rate::of(org.communes_with_propagandists, org.communes_with_managed),
        received_of_released: Rate::of(received.released_received, received.released),
        files_opened_of_received: Rate::of(received.files_opened, received.total),
        notified_two_months_ahead: Rate::of(
            received.notified_two_months_ahead,
            received.total - received.transferred_in,
        ),
        borrowers_of_managed: Rate::of(loans.borrowers_all_programmes, managed.during_period),
    };
    let mut ind = Indicators {
        unit: unit.to_string(),
        unit_name: unit_name.to_string(),
        from,
        to,
        received,
        exits,
        managed,
        support,
        loans,
        organisation: org,
        pre_release,
        rates,
        targets: Vec::new(),
        plans: Vec::new(),
        computed_at: chrono::Utc::now(),
        other_programme_loans: Vec::new(),
    };
    lines.apply(&mut ind);
    Ok(ind)
}
