//! The change feed and webhook subscriptions for partner agencies.

use actix_web::{delete, get, post, web, HttpResponse};

use crate::api::responses::SubscriptionNotFound;
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Op};
use crate::db::events::EventRow;
use crate::db::webhooks::{self as db, DeliveryRow, SubscriptionRow};
use crate::domain::events::{self, Cursor};
use crate::dto::integrations::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::services::integrations as service;
use crate::state::AppState;

fn event_view(e: EventRow) -> Event {
    Event {
        cursor: e.cursor().encode(),
        id: e.event_id,
        event_type: e.event_type,
        entity_type: e.entity_type,
        entity_id: e.entity_id,
        unit: e.unit_code,
        occurred_at: e.occurred_at.and_utc(),
    }
}

/// Events after a cursor, oldest first, limited to the types your roles may receive and to
/// your unit. Poll with the returned `next_cursor`: after downtime a client catches up with
/// nothing lost or repeated. An event appears once every write transaction that began
/// before it has ended (normally within milliseconds), which is what makes the order safe
/// to resume from.
#[utoipa::path(
    tag = "integrations",
    params(EventQuery),
    responses(
        (status = 200, body = EventPage),
        (status = 422, description = "Bad cursor, unknown type or limit", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<EventQuery>,
) -> ApiResult<HttpResponse> {
    auth.require(Op::ListEvents)?;
    let q = query.into_inner();
    let after = match q.after.as_deref() {
        None => Cursor::default(),
        Some(c) => Cursor::decode(c).ok_or_else(|| ApiError::invalid("after", "is not a cursor from this feed"))?,
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 1000"));
    }
    let allowed = events::types_for(&auth.roles);
    let types: Vec<&'static str> = match q.types.as_deref().filter(|t| !t.trim().is_empty()) {
        None => allowed,
        Some(list) => {
            let mut out = Vec::new();
            for t in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let known = events::EVENT_TYPES
                    .iter()
                    .find(|(k, _)| *k == t)
                    .ok_or_else(|| ApiError::invalid("types", format!("`{t}` is not an event type")))?;
                // Types the roles may not hear are filtered out, not refused.
                if allowed.contains(&known.0) {
                    out.push(known.0);
                }
            }
            out
        }
    };
    let rows = state
        .run(&auth, Op::ListEvents, move |conn, auth| {
            if types.is_empty() {
                return Ok(Vec::new());
            }
            crate::db::events::after(conn, Some(&auth.jurisdiction), &types, after, limit)
        })
        .await?;
    let next = rows.last().map(|e| e.cursor()).unwrap_or(after).encode();
    Ok(HttpResponse::Ok().json(EventPage { items: rows.into_iter().map(event_view).collect(), next_cursor: next }))
}

fn webhook_view(s: &SubscriptionRow, secret: Option<String>) -> Webhook {
    Webhook {
        id: s.id.clone(),
        url: s.url.clone(),
        event_types: s.types().into_iter().map(str::to_string).collect(),
        unit: s.unit_code.clone(),
        active: s.delivering(),
        state: s.state().to_string(),
        paused_reason: s.paused_reason.clone(),
        paused_at: s.paused_at.map(|t| t.and_utc()),
        description: s.description.clone(),
        created_at: s.created_at.and_utc(),
        secret,
    }
}

fn delivery_view(d: DeliveryRow) -> Delivery {
    Delivery {
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at.and_utc(),
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        delivered_at: d.delivered_at.map(|t| t.and_utc()),
        created_at: d.created_at.and_utc(),
    }
}

/// Refuses URLs that are not http(s) or carry credentials, and (unless private networks are
/// allowed) any whose host resolves to an address the address policy refuses: every address
/// it resolves to must be a public one. Unresolvable and refused names get the same answer,
/// so that the reply tells nothing about internal names.
async fn check_url(raw: &str, allow_private: bool, within: std::time::Duration) -> ApiResult<String> {
    let url = reqwest::Url::parse(raw).map_err(|_| ApiError::invalid("url", "is not a URL"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(ApiError::invalid("url", "must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::invalid("url", "must not carry credentials"));
    }
    if url.host().is_none() {
        return Err(ApiError::invalid("url", "has no host"));
    }
    if !allow_private {
        crate::webhook_target::resolve(url.as_str(), false, within)
            .await
            .map_err(|_| ApiError::invalid("url", "must resolve to public internet addresses only"))?;
    }
    Ok(url.to_string())
}

/// Subscribe a URL to event types; the response carries the signing secret, shown once.
#[utoipa::path(
    tag = "integrations",
    request_body = NewWebhook,
    responses(
        (status = 201, body = Webhook),
        (status = 422, description = "Bad URL, or an event type your roles may not receive", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewWebhook>,
) -> ApiResult<HttpResponse> {
    auth.require(Op::CreateWebhook)?;
    let input = body.0;
    let worker = &state.settings.worker;
    let url =
        check_url(&input.url, worker.allow_private_urls, std::time::Duration::from_millis(worker.timeout_ms)).await?;
    let allowed = events::types_for(&auth.roles);
    let mut types: Vec<&str> = Vec::new();
    for (i, t) in input.event_types.iter().enumerate() {
        if !events::is_known(t) {
            return Err(ApiError::invalid(format!("event_types[{i}]"), format!("`{t}` is not an event type")));
        }
        if !allowed.contains(&t.as_str()) {
            return Err(ApiError::invalid(format!("event_types[{i}]"), "your roles may not receive this event type"));
        }
        if !types.contains(&t.as_str()) {
            types.push(t);
        }
    }
    let types: Vec<String> = types.into_iter().map(str::to_string).collect();
    let description = input.description.clone();
    let (saved, secret) = state
        .run(&auth, Op::CreateWebhook, move |conn, auth| service::subscribe(conn, auth, url, &types, description))
        .await?;
    Ok(HttpResponse::Created().json(webhook_view(&saved, Some(secret))))
}

/// Your subscriptions.
#[utoipa::path(tag = "integrations", responses((status = 200, body = Vec<Webhook>)))]
#[get("/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let rows = state.run(&auth, Op::ListWebhooks, |conn, auth| db::list_for(conn, &auth.sub)).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(|r| webhook_view(r, None)).collect::<Vec<_>>()))
}

/// One of your subscriptions.
#[utoipa::path(
    tag = "integrations",
    params(("id" = String, Path)),
    responses((status = 200, body = Webhook), SubscriptionNotFound)
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row = state.run(&auth, Op::GetWebhook, move |conn, auth| db::find_own(conn, &auth.sub, &id)).await?;
    Ok(HttpResponse::Ok().json(webhook_view(&row, None)))
}

/// Stops a subscription; pending deliveries are cancelled.
#[utoipa::path(
    tag = "integrations",
    params(("id" = String, Path)),
    responses((status = 204, description = "Stopped"), SubscriptionNotFound)
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    state.run(&auth, Op::DeleteWebhook, move |conn, auth| service::unsubscribe(conn, auth, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The delivery log of a subscription, newest first.
#[utoipa::path(
    tag = "integrations",
    params(("id" = String, Path), DeliveryQuery),
    responses((status = 200, body = Page<Delivery>), SubscriptionNotFound)
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<DeliveryQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    if let Some(s) = q.status.as_deref() {
        if !["pending", "retrying", "delivered", "dead", "cancelled"].contains(&s) {
            return Err(ApiError::invalid("status", "pending, retrying, delivered, dead or cancelled"));
        }
    }
    let (rows, total) = state
        .run(&auth, Op::ListWebhookDeliveries, move |conn, auth| {
            let sub = db::find_own(conn, &auth.sub, &id)?;
            db::deliveries(conn, &sub.id, q.status.as_deref(), page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.into_iter().map(delivery_view).collect(), total)))
}

/// Sends a delivery again (a dead-lettered one included), from a fresh attempt count.
#[utoipa::path(
    tag = "integrations",
    params(("id" = String, Path), ("delivery_id" = String, Path)),
    responses(
        (status = 202, body = Delivery),
        (status = 404, description = "No such delivery of your subscription", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/replay")]
pub async fn replay_webhook_delivery(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, delivery) = parse_ids(path.into_inner())?;
    let row = state
        .run(&auth, Op::ReplayWebhookDelivery, move |conn, auth| service::replay_delivery(conn, auth, &id, &delivery))
        .await?;
    Ok(HttpResponse::Accepted().json(delivery_view(row)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_events)
        .service(create_webhook)
        .service(list_webhooks)
        .service(get_webhook)
        .service(delete_webhook)
        .service(list_webhook_deliveries)
        .service(replay_webhook_delivery);
}
