//! Pre-release notices (thông báo trước khi chấp hành xong án) and the commune's address check.

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::NoticeNotFound;
use crate::auth::{Auth, Op};
use crate::db::release_notices::{self, NoticeScope};
use crate::dto::release_notices::*;
use crate::error::{ApiResult, Problem};
use crate::http::etag::json_with_etag;
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::http::{id_param, unit_param};
use crate::services::release_notices as service;
use crate::state::AppState;
use crate::time::today_vn;

/// A facility's pre-release notice: creates the person in `expected`, or starts a new cycle
/// for a person released before. The address check is due within 3 working days. Accepts
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "release-notices",
    request_body = NewReleaseNotice,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = ReleaseNotice),
        (status = 404, description = "person_id not found in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person cannot be expected from their current status, or the ID number is taken", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/release-notices")]
pub async fn create_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    idem: IdempotencyKey,
    body: ApiJson<NewReleaseNotice>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let hash = request_hash("create_release_notice", &input);
    let response = state
        .run(&auth, Op::CreateReleaseNotice, move |conn, auth| {
            service::create(conn, auth, &input, idem.0.as_deref(), &hash)
        })
        .await?;
    Ok(response.into_response())
}

/// Release notices in your unit, soonest verification deadline first.
#[utoipa::path(tag = "release-notices", params(ReleaseNoticeQuery), responses((status = 200, body = Page<ReleaseNotice>)))]
#[get("/release-notices")]
pub async fn list_release_notices(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<ReleaseNoticeQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
    let today = today_vn();
    let filter = release_notices::Filter {
        unit,
        overdue_on: q.verification_overdue.filter(|v| *v).map(|_| today),
        person_id: id_param("person_id", q.person_id.as_deref(), "an id")?,
    };
    let (rows, people, total) = state
        .run(&auth, Op::ListReleaseNotices, move |conn, auth| {
            let (rows, total) =
                release_notices::list(conn, &NoticeScope::of(auth), &filter, page.offset(), page.page_size)?;
            let people = release_notices::identities(conn, &rows)?;
            Ok((rows, people, total))
        })
        .await?;
    let items = rows.iter().map(|r| ReleaseNotice::build(r, people.get(&r.person_id), today)).collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// One release notice.
#[utoipa::path(
    tag = "release-notices",
    params(("id" = String, Path)),
    responses((status = 200, body = ReleaseNotice), NoticeNotFound)
)]
#[get("/release-notices/{id}")]
pub async fn get_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (row, people) = state
        .run(&auth, Op::GetReleaseNotice, move |conn, auth| {
            let row = release_notices::find_in(conn, &NoticeScope::of(auth), &id)?;
            let people = release_notices::identities(conn, std::slice::from_ref(&row))?;
            Ok((row, people))
        })
        .await?;
    Ok(json_with_etag(row.version, &ReleaseNotice::build(&row, people.get(&row.person_id), today_vn())))
}

/// Record the address check with the family (commune police).
#[utoipa::path(
    tag = "release-notices",
    request_body = VerificationInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ReleaseNotice),
        (status = 409, description = "Already verified", body = Problem, content_type = "application/problem+json"),
        NoticeNotFound
    )
)]
#[post("/release-notices/{id}/verification")]
pub async fn verify_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<VerificationInput>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let (row, people) = state
        .run(&auth, Op::VerifyReleaseNotice, move |conn, auth| {
            let row = service::verify(conn, auth, &id, &input)?;
            let people = release_notices::identities(conn, std::slice::from_ref(&row))?;
            Ok((row, people))
        })
        .await?;
    Ok(json_with_etag(row.version, &ReleaseNotice::build(&row, people.get(&row.person_id), today_vn())))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_release_notice)
        .service(list_release_notices)
        .service(get_release_notice)
        .service(verify_release_notice);
}
