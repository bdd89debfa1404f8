//! Plans (Đề án, kế hoạch) with targets as the documents phrase them, and their progress.

use actix_web::{delete, get, patch, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::{IfMatchFailed, OtherAgencyIndicator, PlanNotFound};
use crate::auth::{Auth, Op};
use crate::db::plans::PlanFilter;
use crate::dto::plans::*;
use crate::error::{ApiResult, Problem};
use crate::http::etag::{etag, json_with_etag, IfMatch};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::pagination::{Page, PageRequest};
use crate::services::plans as service;
use crate::state::AppState;

/// Enters a plan: its name, issuing decision, unit or area, period and targets. Each target
/// keeps the document's sentence beside its indicator and bound; an agency sets only the
/// indicators of its family (commune committees and provincial police set any).
#[utoipa::path(
    tag = "plans",
    request_body = NewPlan,
    responses(
        (status = 201, body = Plan),
        (status = 422, description = "Bad period, bound, years or indicator, or a unit outside yours", body = Problem, content_type = "application/problem+json"),
        OtherAgencyIndicator
    )
)]
#[post("/plans")]
pub async fn create_plan_document(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewPlan>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let plan = state.run(&auth, Op::CreatePlanDocument, move |conn, auth| service::create(conn, auth, &input)).await?;
    Ok(HttpResponse::Created().insert_header(("etag", etag(plan.version))).json(plan))
}

/// Plans of your unit and the units inside it, latest period first.
#[utoipa::path(tag = "plans", params(PlanListQuery), responses((status = 200, body = Page<Plan>)))]
#[get("/plans")]
pub async fn list_plan_documents(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<PlanListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = PlanFilter { unit: q.unit, year: q.year, archived: q.archived.unwrap_or(false) };
    let (items, total) = state
        .run(&auth, Op::ListPlanDocuments, move |conn, auth| {
            service::list(conn, auth, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// A plan with its targets.
#[utoipa::path(tag = "plans", params(("id" = String, Path)), responses((status = 200, body = Plan), PlanNotFound))]
#[get("/plans/{id}")]
pub async fn get_plan_document(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let plan = state.run(&auth, Op::GetPlanDocument, move |conn, auth| service::get(conn, auth, &id)).await?;
    Ok(json_with_etag(plan.version, &plan))
}

/// Changes a plan's name, decision or period, or replaces its targets.
#[utoipa::path(
    tag = "plans",
    request_body = PlanPatch,
    params(("id" = String, Path), ("If-Match" = String, Header)),
    responses(
        (status = 200, body = Plan),
        (status = 409, description = "The plan is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, bound, years or indicator", body = Problem, content_type = "application/problem+json"),
        OtherAgencyIndicator, PlanNotFound, IfMatchFailed
    )
)]
#[patch("/plans/{id}")]
pub async fn update_plan_document(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ApiJson<PlanPatch>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let plan = state
        .run(&auth, Op::UpdatePlanDocument, move |conn, auth| service::update(conn, auth, &id, &if_match, &input))
        .await?;
    Ok(json_with_etag(plan.version, &plan))
}

/// Archives a plan: it stays readable (`archived=true`) and leaves reports.
#[utoipa::path(
    tag = "plans",
    params(("id" = String, Path)),
    responses((status = 204, description = "Archived"), OtherAgencyIndicator, PlanNotFound)
)]
#[delete("/plans/{id}")]
pub async fn archive_plan_document(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    state.run(&auth, Op::ArchivePlanDocument, move |conn, auth| service::archive(conn, auth, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every target of the plan that applies in the year, measured on the calendar year (a
/// deadline target on its date, from the plan's first 1 January): numerator, denominator,
/// value and outcome (`met`, `not_met`, `exceeded` at or above the aim, `no_data`).
#[utoipa::path(
    tag = "plans",
    params(("id" = String, Path), ProgressQuery),
    responses(
        (status = 200, body = PlanProgress),
        (status = 422, description = "A year outside the plan's period", body = Problem, content_type = "application/problem+json"),
        PlanNotFound
    )
)]
#[get("/plans/{id}/progress")]
pub async fn get_plan_document_progress(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<ProgressQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let year = query.into_inner().year;
    let out = state
        .run_read(&auth, Op::GetPlanDocumentProgress, move |conn, auth| service::progress(conn, auth, &id, year))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_plan_document)
        .service(list_plan_documents)
        .service(get_plan_document)
        .service(update_plan_document)
        .service(archive_plan_document)
        .service(get_plan_document_progress);
}
