//! The labour office: trainings, job referrals (hiring updates employment), social
//! assistance, and the pool of employers.

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::labour::{self, AssistanceRow, EmployerRow, ReferralRow, TrainingRow};
use crate::db::persons::{self, AttributeChange, PersonScope};
use crate::db::{admin_units, audit, write_tx};
use crate::domain::enums::*;
use crate::dto::labour::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::pagination::{Page, PageRequest};
use crate::services::supervision::{audit_entry, mark_after_the_fact, place_record};
use crate::state::AppState;
use crate::time::today_vn;

fn training_view(r: &TrainingRow) -> Training {
    Training {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        course: r.course.clone(),
        provider: r.provider.clone(),
        level: TrainingLevel::parse(&r.level).unwrap_or(TrainingLevel::Other),
        start_date: r.start_date,
        end_date: r.end_date,
        result: r.result.clone(),
        certificate: r.certificate.clone(),
        created_at: r.created_at.and_utc(),
    }
}

fn referral_view(r: &ReferralRow) -> JobReferral {
    JobReferral {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        employer_id: r.employer_id.clone(),
        employer_name: r.employer_name.clone(),
        referred_on: r.referred_on,
        job: r.job.clone(),
        outcome: ReferralOutcome::parse(&r.outcome).unwrap_or(ReferralOutcome::Pending),
        outcome_on: r.outcome_on,
        version: r.version,
    }
}

fn assistance_view(r: &AssistanceRow) -> SocialAssistance {
    SocialAssistance {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        kind: AssistanceKind::parse(&r.kind).unwrap_or(AssistanceKind::Other),
        decision_number: r.decision_number.clone(),
        amount_vnd: r.amount_vnd,
        period_from: r.period_from,
        period_to: r.period_to,
        created_at: r.created_at.and_utc(),
    }
}

fn not_future(field: &str, d: chrono::NaiveDate) -> ApiResult<()> {
    if d > today_vn() {
        return Err(ApiError::invalid(field, "must not be in the future"));
    }
    Ok(())
}

/// Record a vocational training course.
#[utoipa::path(
    tag = "labour",
    request_body = NewTraining,
    params(("id" = String, Path)),
    responses((status = 201, body = Training), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[post("/persons/{id}/trainings")]
pub async fn create_training(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewTraining>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    not_future("start_date", input.start_date)?;
    if input.end_date.is_some_and(|e| e < input.start_date) {
        return Err(ApiError::invalid("end_date", "must not be before start_date"));
    }
    let row = state
        .run(&auth, Op::CreateTraining, move |conn, auth| {
            write_tx(conn, |conn| {
                let place = place_record(conn, auth, &id, input.start_date, false)?;
                let person = &place.person;
                let row = TrainingRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    person_id: person.id.clone(),
                    unit_code: place.unit_code.clone(),
                    province_code: place.province_code.clone(),
                    course: crate::text::normalize(&input.course),
                    provider: input.provider.clone(),
                    level: input.level.as_str().into(),
                    start_date: input.start_date,
                    end_date: input.end_date,
                    result: input.result.clone(),
                    certificate: input.certificate.clone(),
                    created_at: crate::time::now(),
                };
                labour::insert_training(conn, &row)?;
                audit_entry(
                    conn,
                    auth,
                    "training.create",
                    "training",
                    &row.id,
                    person,
                    None,
                    mark_after_the_fact(serde_json::to_value(&row).ok(), place.after_the_fact),
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(training_view(&row)))
}

/// A person's trainings.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Training>), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/persons/{id}/trainings")]
pub async fn list_trainings(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run(&auth, Op::ListTrainings, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            labour::trainings(conn, &person.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(training_view).collect::<Vec<_>>()))
}

/// Refer a person to a job. `outcome: hired` sets their employment status to `stable`.
#[utoipa::path(
    tag = "labour",
    request_body = NewJobReferral,
    params(("id" = String, Path)),
    responses((status = 201, body = JobReferral), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[post("/persons/{id}/job-referrals")]
pub async fn create_job_referral(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewJobReferral>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    not_future("referred_on", input.referred_on)?;
    if input.outcome != ReferralOutcome::Pending && input.outcome_on.is_none() {
        return Err(ApiError::invalid("outcome_on", "is required with an outcome"));
    }
    if input.outcome_on.is_some_and(|d| d < input.referred_on || d > today_vn()) {
        return Err(ApiError::invalid("outcome_on", "must lie between referred_on and today"));
    }
    let row = state
        .run(&auth, Op::CreateJobReferral, move |conn, auth| {
            write_tx(conn, |conn| {
                let place = place_record(conn, auth, &id, input.referred_on, true)?;
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
                    outcome: input.outcome.as_str().into(),
                    outcome_on: input.outcome_on,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                };
                labour::insert_referral(conn, &row)?;
                audit_entry(
                    conn,
                    auth,
                    "job_referral.create",
                    "job_referral",
                    &row.id,
                    person,
                    None,
                    mark_after_the_fact(serde_json::to_value(&row).ok(), place.after_the_fact),
                )?;
                if input.outcome == ReferralOutcome::Hired {
                    mark_employed(conn, auth, person, input.outcome_on.unwrap_or(input.referred_on))?;
                }
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(referral_view(&row)))
}

fn mark_employed(
    conn: &mut crate::db::DbConnection,
    auth: &Auth,
    person: &persons::PersonRow,
    on: chrono::NaiveDate,
) -> ApiResult<()> {
    if person.employment_status.as_deref() == Some(EmploymentStatus::Stable.as_str()) {
        return Ok(());
    }
    let mut after = person.clone();
    after.employment_status = Some(EmploymentStatus::Stable.as_str().into());
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

/// Record the outcome of a referral.
#[utoipa::path(
    tag = "labour",
    request_body = ReferralOutcomeInput,
    params(("id" = String, Path), ("referral_id" = String, Path)),
    responses(
        (status = 200, body = JobReferral),
        (status = 404, description = "No such referral", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Outcome already recorded", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/persons/{id}/job-referrals/{referral_id}/outcome")]
pub async fn set_job_referral_outcome(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    body: ApiJson<ReferralOutcomeInput>,
) -> ApiResult<HttpResponse> {
    let (id, rid) = path.into_inner();
    let (id, rid) = (parse_id(&id)?, parse_id(&rid)?);
    let input = body.0;
    not_future("outcome_on", input.outcome_on)?;
    let row = state
        .run(&auth, Op::SetJobReferralOutcome, move |conn, auth| {
            write_tx(conn, |conn| {
                let person = persons::find_in_for_update(conn, &PersonScope::of(auth), &id)?;
                let before = labour::find_referral(conn, &person.id, &rid)?;
                if before.outcome != ReferralOutcome::Pending.as_str() {
                    return Err(ApiError::conflict("outcome_recorded", "the outcome is already recorded"));
                }
                if input.outcome_on < before.referred_on {
                    return Err(ApiError::invalid("outcome_on", "must not be before referred_on"));
                }
                labour::set_referral_outcome(conn, &before, input.outcome.as_str(), input.outcome_on)?;
                let after = labour::find_referral(conn, &person.id, &rid)?;
                audit_entry(
                    conn,
                    auth,
                    "job_referral.outcome",
                    "job_referral",
                    &rid,
                    &person,
                    serde_json::to_value(&before).ok(),
                    serde_json::to_value(&after).ok(),
                )?;
                if input.outcome == ReferralOutcome::Hired {
                    mark_employed(conn, auth, &person, input.outcome_on)?;
                }
                Ok(after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(referral_view(&row)))
}

/// A person's job referrals.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<JobReferral>), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/persons/{id}/job-referrals")]
pub async fn list_job_referrals(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run(&auth, Op::ListJobReferrals, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            labour::referrals(conn, &person.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(referral_view).collect::<Vec<_>>()))
}

/// Record social assistance (Decree 20/2021).
#[utoipa::path(
    tag = "labour",
    request_body = NewSocialAssistance,
    params(("id" = String, Path)),
    responses((status = 201, body = SocialAssistance), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[post("/persons/{id}/social-assistance")]
pub async fn create_social_assistance(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewSocialAssistance>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    if input.period_to.is_some_and(|t| t < input.period_from) {
        return Err(ApiError::invalid("period_to", "must not be before period_from"));
    }
    let row = state
        .run(&auth, Op::CreateSocialAssistance, move |conn, auth| {
            write_tx(conn, |conn| {
                let place = place_record(conn, auth, &id, input.period_from.min(today_vn()), false)?;
                let person = &place.person;
                let row = AssistanceRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    person_id: person.id.clone(),
                    unit_code: place.unit_code.clone(),
                    province_code: place.province_code.clone(),
                    kind: input.kind.as_str().into(),
                    decision_number: input.decision_number.clone(),
                    amount_vnd: input.amount_vnd,
                    period_from: input.period_from,
                    period_to: input.period_to,
                    created_at: crate::time::now(),
                };
                labour::insert_assistance(conn, &row)?;
                audit_entry(
                    conn,
                    auth,
                    "social_assistance.create",
                    "social_assistance",
                    &row.id,
                    person,
                    None,
                    mark_after_the_fact(serde_json::to_value(&row).ok(), place.after_the_fact),
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(assistance_view(&row)))
}

/// A person's social assistance.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<SocialAssistance>), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/persons/{id}/social-assistance")]
pub async fn list_social_assistance(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run(&auth, Op::ListSocialAssistance, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            labour::assistance(conn, &person.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(assistance_view).collect::<Vec<_>>()))
}

/// Register an employer or cooperative that takes on returnees.
#[utoipa::path(tag = "labour", request_body = NewEmployer, responses((status = 201, body = Employer)))]
#[post("/employers")]
pub async fn create_employer(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewEmployer>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let row = state
        .run(&auth, Op::CreateEmployer, move |conn, auth| {
            let unit = admin_units::resolve(conn, &input.unit, "unit")?;
            if unit.level == "national" {
                return Err(ApiError::invalid("unit", "must be a province or commune code"));
            }
            crate::api::auth::ensure_covers(auth, &unit.code, unit.province_code.as_deref(), "unit")?;
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
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        action: "employer.create",
                        entity_type: "employer",
                        entity_id: Some(&row.id),
                        unit_code: Some(&row.unit_code),
                        province_code: Some(&row.province_code),
                        after: serde_json::to_value(&row).ok(),
                        ..Default::default()
                    },
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(employer_view(&row, 0)))
}

fn employer_view(r: &EmployerRow, taken_on: i64) -> Employer {
    Employer {
        id: r.id.clone(),
        name: r.name.clone(),
        unit: r.unit_code.clone(),
        sector: r.sector.clone(),
        legal_form: r.legal_form.clone(),
        contact: r.contact.clone(),
        taken_on,
        version: r.version,
    }
}

/// Employers in your unit with how many returnees each took on.
#[utoipa::path(tag = "labour", params(EmployerQuery), responses((status = 200, body = Page<Employer>)))]
#[get("/employers")]
pub async fn list_employers(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<EmployerQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = q
        .unit
        .as_deref()
        .map(|c| {
            Jurisdiction::parse(c).ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))
        })
        .transpose()?;
    let filter = labour::EmployerFilter { unit, q: q.q.filter(|s| !s.trim().is_empty()), sector: q.sector };
    let (rows, total) = state
        .run(&auth, Op::ListEmployers, move |conn, auth| {
            labour::list_employers(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(|(r, n)| employer_view(r, *n)).collect(), total)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_training)
        .service(list_trainings)
        .service(create_job_referral)
        .service(list_job_referrals)
        .service(set_job_referral_outcome)
        .service(create_social_assistance)
        .service(list_social_assistance)
        .service(create_employer)
        .service(list_employers);
}
