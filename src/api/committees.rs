//! Steering committees (Ban Chỉ đạo) and their working groups (Tổ giúp việc).

use actix_web::{get, post, web, HttpResponse};

use crate::api::responses::CommitteeNotFound;
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Op};
use crate::db::committees as db;
use crate::dto::committees::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::committees as service;
use crate::state::AppState;
use crate::time::today_vn;

/// Establish a commune's steering committee with its first members (exactly one head and one
/// standing deputy). At most one active committee per commune.
#[utoipa::path(
    tag = "committees",
    request_body = NewCommittee,
    responses(
        (status = 201, body = Committee),
        (status = 409, description = "An active committee exists, or the head/standing-deputy rule fails", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/steering-committees")]
pub async fn create_committee(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewCommittee>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let view = state
        .run(&auth, Op::CreateCommittee, move |conn, auth| service::create_committee(conn, auth, &input, today_vn()))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Committees in your unit.
#[utoipa::path(tag = "committees", params(CommitteeListQuery), responses((status = 200, body = Page<CommitteeSummary>)))]
#[get("/steering-committees")]
pub async fn list_committees(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<CommitteeListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
    let (rows, total) = state
        .run(&auth, Op::ListCommittees, move |conn, auth| {
            db::list(
                conn,
                &auth.jurisdiction,
                unit.as_ref(),
                q.status.map(|s| s.as_str()),
                page.offset(),
                page.page_size,
            )
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|c| CommitteeSummary {
            status: c.status,
            id: c.id,
            unit: c.unit_code,
            name: c.name,
            decision_number: c.decision_number,
            decision_date: c.decision_date,
            dissolved_on: c.dissolved_on,
        })
        .collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// A committee and its composition on `as_of` (default today).
#[utoipa::path(
    tag = "committees",
    params(("id" = String, Path), CommitteeQuery),
    responses((status = 200, body = Committee), CommitteeNotFound)
)]
#[get("/steering-committees/{id}")]
pub async fn get_committee(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<CommitteeQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let as_of = query.into_inner().as_of.unwrap_or_else(today_vn);
    let view = state
        .run(&auth, Op::GetCommittee, move |conn, auth| {
            let c = db::find_in(conn, &auth.jurisdiction, &id)?;
            service::view(conn, &c, as_of)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Add a member. A second head or standing deputy is a 409 unless `replaces` names the one
/// leaving, who is then ended the same day in the same transaction.
#[utoipa::path(
    tag = "committees",
    request_body = NewMember,
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Member),
        (status = 409, description = "Head/standing-deputy rule, or the committee is dissolved", body = Problem, content_type = "application/problem+json"),
        CommitteeNotFound
    )
)]
#[post("/steering-committees/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewMember>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let member = state
        .run(&auth, Op::AddCommitteeMember, move |conn, auth| {
            service::add_committee_member(conn, auth, &id, &input, today_vn())
        })
        .await?;
    Ok(HttpResponse::Created().json(member))
}

/// A member leaves. The answer lists the supervision assignments they still hold, to reassign.
#[utoipa::path(
    tag = "committees",
    request_body = EndMember,
    params(("id" = String, Path), ("member_id" = String, Path)),
    responses(
        (status = 200, body = Member),
        (status = 404, description = "No such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave the committee without its head or standing deputy", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/steering-committees/{id}/members/{member_id}/end")]
pub async fn end_member(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    body: ApiJson<EndMember>,
) -> ApiResult<HttpResponse> {
    let (id, member_id) = parse_ids(path.into_inner())?;
    let input = body.0;
    if input.to_date > today_vn() {
        return Err(ApiError::invalid("to_date", "must not be in the future"));
    }
    let member = state
        .run(&auth, Op::EndCommitteeMember, move |conn, auth| {
            service::end_member(conn, auth, &id, &member_id, input.to_date, input.reason.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(member))
}

/// Consolidation (kiện toàn): several membership changes under one decision, recorded as
/// one event; the head/standing-deputy rule is checked on the result.
#[utoipa::path(
    tag = "committees",
    request_body = NewConsolidation,
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Committee),
        (status = 409, description = "The result breaks the head/standing-deputy rule", body = Problem, content_type = "application/problem+json"),
        CommitteeNotFound
    )
)]
#[post("/steering-committees/{id}/consolidations")]
pub async fn consolidate_committee(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewConsolidation>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let view = state
        .run(&auth, Op::ConsolidateCommittee, move |conn, auth| {
            service::consolidate_committee(conn, auth, &id, &input, today_vn())
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Dissolve the committee by decision; every member's term ends that day.
#[utoipa::path(
    tag = "committees",
    request_body = Dissolution,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Committee),
        (status = 409, description = "Already dissolved", body = Problem, content_type = "application/problem+json"),
        CommitteeNotFound
    )
)]
#[post("/steering-committees/{id}/dissolve")]
pub async fn dissolve_committee(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<Dissolution>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let view = state
        .run(&auth, Op::DissolveCommittee, move |conn, auth| {
            service::dissolve_committee(conn, auth, &id, &input.decision_number, input.dissolved_on, today_vn())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_committee)
        .service(list_committees)
        .service(get_committee)
        .service(add_member)
        .service(end_member)
        .service(consolidate_committee)
        .service(dissolve_committee);
}
