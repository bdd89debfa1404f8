use actix_web::{get, web, HttpResponse};

use crate::auth::fields::redact_criminal;
use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::audit;
use crate::dto::audit::{AuditEvent, AuditQuery};
use crate::error::ApiResult;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::state::AppState;

/// The audit trail within the caller's jurisdiction, newest first. Below the national level
/// the criminal-record fields of `before`/`after` (offence, judgment, penalty, expungement,
/// judicial record, classification) read `"[redacted]"`.
#[utoipa::path(tag = "audit", params(AuditQuery), responses((status = 200, body = Page<AuditEvent>)))]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = audit::Filter {
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        actor: q.actor,
        action: q.action,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
    };
    let (rows, total) = state
        .run(&auth, Op::ListAuditEvents, move |conn, auth| {
            audit::list(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    // Copies of records hold criminal-record fields; only a national reader gets their values
    // (docs/data-protection.md).
    let national = auth.jurisdiction == Jurisdiction::National;
    let items = rows
        .into_iter()
        .map(AuditEvent::from)
        .map(|mut e| {
            if !national {
                for copy in [&mut e.before, &mut e.after].into_iter().flatten() {
                    redact_criminal(copy);
                }
            }
            e
        })
        .collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_events);
}
