//! Labour use cases: trainings, job referrals (a hire updates the person's employment),
//! social assistance and employers. Each write and its audit event share one transaction.

use chrono::NaiveDate;

use crate::auth::Auth;
use crate::db::labour::{self, AssistanceRow, EmployerRow, ReferralRow, TrainingRow};
use crate::db::persons::{self, AttributeChange, PersonRow, PersonScope};
use crate::db::{admin_units, audit, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::dto::labour::{NewEmployer, NewJobReferral, NewSocialAssistance, NewTraining, ReferralOutcomeInput};
use crate::error::{ApiError, ApiResult};
use crate::http::parse_id;
use crate::services::supervision::{audit_entry, place_record};
use crate::time::today_vn;

pub fn create_training(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewTraining,
) -> ApiResult<TrainingRow> {
    write_tx(conn, |conn| {
        let place = place_record(conn, auth, person_id, input.start_date, false)?;
        let person = &place.person;
        let row = TrainingRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            unit_code: place.unit_code.clone(),
            province_code: place.province_code.clone(),
            course: crate::text::normalize(&input.course),
            provider: input.provider.clone(),
            level: input.level,
            start_date: input.start_date,
            end_date: input.end_date,
            result: input.result.clone(),
            certificate: input.certificate.clone(),
            created_at: crate::time::now(),
        };
        labour::insert_training(conn, &row)?;
        place.audit(conn, auth, ("training.create", "training", &row.id), None, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

pub fn create_job_referral(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewJobReferral,
) -> ApiResult<ReferralRow> {
    write_tx(conn, |conn| {
        let place = place_record(conn, auth, person_id, input.referred_on, true)?;
        let person = &place.person;
        let (employer_id, employer_name) = match (&input.employer_id, &input.employer_name) {
            (Some(eid), _) => {
                let eid = parse_id(eid).map_err(|_| ApiError::invalid("employer_id", "is not an id"))?;
                let e = labour::find_employer_in_province(conn, &person.province_code, &eid)?;
                (Some(e.id), e.name)
            }
            (None, Some(name)) if !name.trim().is_empty() => (None, crate::text::normalize(name)),
            _ => return Err(ApiError::invalid("employer_name", "give employer_id or employer_name")),
        };
        let now = crate::time::now();
        let row = ReferralRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            unit_code: place.unit_code.clone(),
            province_code: place.province_code.clone(),
            employer_id,
            employer_name,
            referred_on: input.referred_on,
            job: crate::text::normalize(&input.job),
            outcome: input.outcome,
            outcome_on: input.outcome_on,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        labour::insert_referral(conn, &row)?;
        place.audit(
            conn,
            auth,
            ("job_referral.create", "job_referral", &row.id),
            None,
            serde_json::to_value(&row).ok(),
        )?;
        if input.outcome == ReferralOutcome::Hired {
            mark_employed(conn, auth, person, input.outcome_on.unwrap_or(input.referred_on))?;
        }
        Ok(row)
    })
}

/// A hire makes the person's employment `stable`, dated, with its audit event.
fn mark_employed(conn: &mut DbConnection, auth: &Auth, person: &PersonRow, on: NaiveDate) -> ApiResult<()> {
    if person.employment_status == Some(EmploymentStatus::Stable) {
        return Ok(());
    }
    let mut after = person.clone();
    after.employment_status = Some(EmploymentStatus::Stable);
    let saved = persons::save(conn, &after, person.version)?;
    persons::record_attribute(
        conn,
        &AttributeChange {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            attribute: "employment_status".into(),
            value: Some(EmploymentStatus::Stable.as_str().into()),
            changed_on: on,
            reason: Some("hired through a job referral".into()),
            actor_sub: Some(auth.sub.clone()),
            recorded_at: crate::time::now(),
        },
    )?;
    audit_entry(
        conn,
        auth,
        "person.employment_update",
        "person",
        &person.id,
        &saved,
        Some(serde_json::json!({"employment_status": person.employment_status})),
        Some(serde_json::json!({"employment_status": "stable"})),
    )
}

pub fn set_job_referral_outcome(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    referral_id: &str,
    input: &ReferralOutcomeInput,
) -> ApiResult<ReferralRow> {
    write_tx(conn, |conn| {
        let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
        let before = labour::find_referral(conn, &person.id, referral_id)?;
        if before.outcome != ReferralOutcome::Pending {
            return Err(ApiError::conflict("outcome_recorded", "the outcome is already recorded"));
        }
        if input.outcome_on < before.referred_on {
            return Err(ApiError::invalid("outcome_on", "must not be before referred_on"));
        }
        labour::set_referral_outcome(conn, &before, input.outcome.as_str(), input.outcome_on)?;
        let after = labour::find_referral(conn, &person.id, referral_id)?;
        audit_entry(
            conn,
            auth,
            "job_referral.outcome",
            "job_referral",
            referral_id,
            &person,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        )?;
        if input.outcome == ReferralOutcome::Hired {
            mark_employed(conn, auth, &person, input.outcome_on)?;
        }
        Ok(after)
    })
}

pub fn create_social_assistance(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewSocialAssistance,
) -> ApiResult<AssistanceRow> {
    write_tx(conn, |conn| {
        let place = place_record(conn, auth, person_id, input.period_from.min(today_vn()), false)?;
        let person = &place.person;
        let row = AssistanceRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            unit_code: place.unit_code.clone(),
            province_code: place.province_code.clone(),
            kind: input.kind,
            decision_number: input.decision_number.clone(),
            amount_vnd: input.amount_vnd,
            period_from: input.period_from,
            period_to: input.period_to,
            created_at: crate::time::now(),
        };
        labour::insert_assistance(conn, &row)?;
        place.audit(
            conn,
            auth,
            ("social_assistance.create", "social_assistance", &row.id),
            None,
            serde_json::to_value(&row).ok(),
        )?;
        Ok(row)
    })
}

pub fn create_employer(conn: &mut DbConnection, auth: &Auth, input: &NewEmployer) -> ApiResult<EmployerRow> {
    let unit = admin_units::resolve(conn, &input.unit, "unit")?;
    if unit.level == "national" {
        return Err(ApiError::invalid("unit", "must be a province or commune code"));
    }
    crate::auth::ensure_covers(auth, &unit.code, unit.province_code.as_deref(), "unit")?;
    write_tx(conn, |conn| {
        let now = crate::time::now();
        let name = crate::text::normalize(&input.name);
        let row = EmployerRow {
            id: uuid::Uuid::now_v7().to_string(),
            name_folded: crate::text::fold(&name),
            name,
            unit_code: unit.code.clone(),
            province_code: unit.province_code.clone().unwrap_or_default(),
            sector: input.sector.clone(),
            legal_form: input.legal_form.clone(),
            contact: input.contact.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        labour::insert_employer(conn, &row)?;
        let entry = audit::Entry::on("employer.create", "employer", (&row.id, &row.unit_code, &row.province_code));
        audit::by(conn, auth, entry.change(None, serde_json::to_value(&row).ok()))?;
        Ok(row)
    })
}
