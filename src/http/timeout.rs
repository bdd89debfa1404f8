//! A bound on how long a request may take: past it the caller gets a 503 problem instead of
//! waiting on a stuck database (the statement itself is bounded by the database's own
//! timeout and ends on its own).
//!
//! The bound is kept in two places. The request's [`Deadline`] goes into its extensions,
//! and the database work of a handler (`AppState::run`) stops waiting at it: that 503 is a
//! handler's answer, so it passes through every other middleware (problem fields, security
//! headers, CORS) like any other. The middleware's own timeout, one second later, is the
//! backstop for anything else; its answer is an error that skips the outer middlewares.

use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::error::ApiError;
use crate::state::AppState;

/// When the request's time is up.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: Instant,
    pub secs: u64,
}

impl Deadline {
    pub fn exceeded(&self) -> ApiError {
        ApiError::Unavailable(format!("the request took longer than {} s; retry later", self.secs))
    }
}

/// Runs `work`, giving up at the deadline (when there is one).
pub async fn within<T>(
    deadline: Option<Deadline>,
    work: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d.at.into(), work).await.map_err(|_| {
            log::warn!("request reached its deadline of {} s while waiting on the database", d.secs);
            d.exceeded()
        })?,
        None => work.await,
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let secs = req.app_data::<web::Data<AppState>>().map(|s| s.settings.request_timeout_secs).unwrap_or(60);
    // Not a clone of the request: routing, further in, needs it unshared.
    let what = format!("{} {}", req.method(), req.path());
    let deadline = Deadline { at: Instant::now() + Duration::from_secs(secs), secs };
    req.extensions_mut().insert(deadline);
    match tokio::time::timeout(Duration::from_secs(secs + 1), next.call(req)).await {
        Ok(res) => res.map(ServiceResponse::map_into_boxed_body),
        Err(_) => {
            log::warn!("request timed out after {secs} s: {what}");
            Err(deadline.exceeded().into())
        }
    }
}
