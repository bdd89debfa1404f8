//! The labour office: trainings, job referrals (hiring updates employment), social
//! assistance, and the pool of employers.

use actix_web::{get, post, web, HttpResponse};

use crate::api::responses::PersonNotFound;
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Op};
use crate::db::labour::{self, AssistanceRow, EmployerRow, ReferralRow, TrainingRow};
use crate::db::persons::{self, PersonScope};
use crate::db::DbConnection;
use crate::domain::enums::*;
use crate::dto::labour::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::labour as service;
use crate::state::AppState;
use crate::time::today_vn;

fn training_view(r: &TrainingRow) -> Training {
    Training {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        course: r.course.clone(),
        provider: r.provider.clone(),
        level: r.level,
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
        outcome: r.outcome,
        outcome_on: r.outcome_on,
        version: r.version,
    }
}

fn assistance_view(r: &AssistanceRow) -> SocialAssistance {
    SocialAssistance {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        kind: r.kind,
        decision_number: r.decision_number.clone(),
        amount_vnd: r.amount_vnd,
        period_from: r.period_from,
        period_to: r.period_to,
        created_at: r.created_at.and_utc(),
    }
}

/// A person's records of one kind (trainings, referrals, assistance), as views.
async fn person_records<R, V>(
    state: &AppState,
    auth: &Auth,
    op: Op,
    id: String,
    load: fn(&mut DbConnection, &str) -> ApiResult<Vec<R>>,
    view: fn(&R) -> V,
) -> ApiResult<HttpResponse>
where
    R: Send + 'static,
    V: serde::Serialize,
{
    let id = parse_id(&id)?;
    let rows = state
        .run(auth, op, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            load(conn, &person.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(view).collect::<Vec<_>>()))
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
    responses((status = 201, body = Training), PersonNotFound)
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
        .run(&auth, Op::CreateTraining, move |conn, auth| service::create_training(conn, auth, &id, &input))
        .await?;
    Ok(HttpResponse::Created().json(training_view(&row)))
}

/// A person's trainings.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Training>), PersonNotFound)
)]
#[get("/persons/{id}/trainings")]
pub async fn list_trainings(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    person_records(&state, &auth, Op::ListTrainings, id.into_inner(), labour::trainings, training_view).await
}

/// Refer a person to a job. `outcome: hired` sets their employment status to `stable`.
#[utoipa::path(
    tag = "labour",
    request_body = NewJobReferral,
    params(("id" = String, Path)),
    responses((status = 201, body = JobReferral), PersonNotFound)
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
        .run(&auth, Op::CreateJobReferral, move |conn, auth| service::create_job_referral(conn, auth, &id, &input))
        .await?;
    Ok(HttpResponse::Created().json(referral_view(&row)))
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
    let (id, rid) = parse_ids(path.into_inner())?;
    let input = body.0;
    not_future("outcome_on", input.outcome_on)?;
    let row = state
        .run(&auth, Op::SetJobReferralOutcome, move |conn, auth| {
            service::set_job_referral_outcome(conn, auth, &id, &rid, &input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(referral_view(&row)))
}

/// A person's job referrals.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<JobReferral>), PersonNotFound)
)]
#[get("/persons/{id}/job-referrals")]
pub async fn list_job_referrals(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    person_records(&state, &auth, Op::ListJobReferrals, id.into_inner(), labour::referrals, referral_view).await
}

/// Record social assistance (Decree 20/2021).
#[utoipa::path(
    tag = "labour",
    request_body = NewSocialAssistance,
    params(("id" = String, Path)),
    responses((status = 201, body = SocialAssistance), PersonNotFound)
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
            service::create_social_assistance(conn, auth, &id, &input)
        })
        .await?;
    Ok(HttpResponse::Created().json(assistance_view(&row)))
}

/// A person's social assistance.
#[utoipa::path(
    tag = "labour",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<SocialAssistance>), PersonNotFound)
)]
#[get("/persons/{id}/social-assistance")]
pub async fn list_social_assistance(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    person_records(&state, &auth, Op::ListSocialAssistance, id.into_inner(), labour::assistance, assistance_view).await
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
    let row =
        state.run(&auth, Op::CreateEmployer, move |conn, auth| service::create_employer(conn, auth, &input)).await?;
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
    query: ApiQuery<EmployerQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
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
