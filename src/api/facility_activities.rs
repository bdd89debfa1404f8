//! Work inside detention facilities (`/facility-activities`): intakes, completion
//! certificate requests, counselling, policy briefings, vocational training, pre-release
//! education, travel allowances, population counts.

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::auth::{Auth, Op};
use crate::db::facility_activities::{self, ActivityScope};
use crate::dto::facility_activities::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::facility_activities as service;
use crate::state::AppState;
use crate::time::today_vn;

/// Record work inside a facility, on its own date. A `facility` principal records for its
/// own facility and unit; police for a unit inside theirs. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "facility-activities",
    request_body = NewFacilityActivity,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = FacilityActivity),
        (status = 422, description = "Invalid figures for the kind, unit outside yours, or unknown person_ids", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/facility-activities")]
pub async fn create_facility_activity(
    state: web::Data<AppState>,
    auth: Auth,
    idem: IdempotencyKey,
    body: ApiJson<NewFacilityActivity>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let hash = request_hash("create_facility_activity", &input);
    let response = state
        .run(&auth, Op::CreateFacilityActivity, move |conn, auth| {
            service::create(conn, auth, &input, today_vn(), idem.0.as_deref(), &hash)
        })
        .await?;
    Ok(response.into_response())
}

/// Facility activities: a facility's own records, or those of your unit, latest first.
#[utoipa::path(
    tag = "facility-activities",
    params(FacilityActivityQuery),
    responses((status = 200, body = Page<FacilityActivity>))
)]
#[get("/facility-activities")]
pub async fn list_facility_activities(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<FacilityActivityQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if from > to {
            return Err(ApiError::invalid("to", "must not be before from"));
        }
    }
    let filter = facility_activities::Filter { kind: q.kind.map(|k| k.as_str().into()), unit, from: q.from, to: q.to };
    let (rows, total) = state
        .run(&auth, Op::ListFacilityActivities, move |conn, auth| {
            facility_activities::list(conn, &ActivityScope::of(auth), &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(FacilityActivity::build).collect(), total)))
}

/// One facility activity.
#[utoipa::path(
    tag = "facility-activities",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = FacilityActivity),
        (status = 404, description = "No such record among yours or in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/facility-activities/{id}")]
pub async fn get_facility_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row = state
        .run(&auth, Op::GetFacilityActivity, move |conn, auth| {
            facility_activities::find_in(conn, &ActivityScope::of(auth), &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(FacilityActivity::build(&row)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_facility_activity).service(list_facility_activities).service(get_facility_activity);
}
