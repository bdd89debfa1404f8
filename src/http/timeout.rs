//! A bound on how long a request may take: past it the caller gets a 503 problem instead of
//! waiting on a stuck database (the statement itself is bounded by the database's own
//! timeout and ends on its own).

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::ApiError;
use crate::state::AppState;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let secs = req.app_data::<web::Data<AppState>>().map(|s| s.settings.request_timeout_secs).unwrap_or(60);
    // Not a clone of the request: routing, further in, needs it unshared.
    let what = format!("{} {}", req.method(), req.path());
    match tokio::time::timeout(Duration::from_secs(secs), next.call(req)).await {
        Ok(res) => res.map(ServiceResponse::map_into_boxed_body),
        Err(_) => {
            log::warn!("request timed out after {secs} s: {what}");
            Err(ApiError::Unavailable(format!("the request took longer than {secs} s; retry later")).into())
        }
    }
}
