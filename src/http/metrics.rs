//! Prometheus metrics and the access log.
//!
//! With `THNCD_METRICS_BIND` set, a recorder (metrics-exporter-prometheus) is installed and a
//! second HTTP server on that address answers `GET /metrics` in the Prometheus text format;
//! unset, nothing is recorded or served. The API's own address never serves metrics.
//!
//! Series (all prefixed `thncd_`):
//! - `http_requests_total`, `http_request_duration_seconds` by `method`, `route` (the
//!   route template, `/api/v1/persons/{id}`; `unmatched` otherwise) and `status`;
//! - `token_failures_total` by `status` (refused token requests);
//! - `db_pool_connections` by `pool` and `state` (`in_use`, `idle`), `db_pool_max`,
//!   `db_pool_wait_seconds` (time to get a connection) and `db_pool_timeouts_total`;
//! - `worker_queue_depth` (webhook deliveries pending or retrying);
//! - `webhook_deliveries_total` by `outcome` (`delivered`, `retrying`, `dead`);
//! - `report_build_seconds` by `outcome` (indicators, exports, report snapshots), and
//!   `report_slot_wait_seconds` (the wait of reports for a connection of their half of the pool).

use std::net::TcpListener;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, App, HttpMessage, HttpResponse, HttpServer};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::db::DbPool;
use crate::http::request_id::RequestId;

/// Latency buckets, seconds: requests and report builds (50 ms SLO-ish region dense).
const BUCKETS: &[f64] = &[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

const TOKEN_ROUTE: &str = "/api/v1/auth/token";

/// The process-wide recorder, installed once (several applications in one test process
/// share it).
fn recorder() -> Result<PrometheusHandle, String> {
    static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);
    let mut slot = HANDLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(handle) = slot.as_ref() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets(BUCKETS)
        .and_then(|b| b.install_recorder())
        .map_err(|e| format!("cannot install the metrics recorder: {e}"))?;
    // Histogram samples are buffered until upkeep folds them in: without a listener of the
    // exporter's own, this thread does it (as the exporter's would, every 5 seconds).
    let upkeep = handle.clone();
    std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            upkeep.run_upkeep();
        })
        .map_err(|e| format!("cannot start the metrics upkeep thread: {e}"))?;
    *slot = Some(handle.clone());
    Ok(handle)
}

struct Scrape {
    handle: PrometheusHandle,
    pools: Vec<(&'static str, DbPool)>,
}

/// Binds `bind` and returns the metrics server (to be awaited or spawned) and its port.
pub fn serve(bind: &str, pools: Vec<(&'static str, DbPool)>) -> Result<(Server, u16), String> {
    let handle = recorder()?;
    let listener = TcpListener::bind(bind).map_err(|e| format!("THNCD_METRICS_BIND: cannot bind {bind}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let scrape = web::Data::new(Scrape { handle, pools });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(scrape.clone())
            .route("/metrics", web::get().to(render))
            .default_service(web::to(HttpResponse::NotFound))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)
    .map_err(|e| format!("THNCD_METRICS_BIND: cannot listen: {e}"))?
    .run();
    Ok((server, port))
}

async fn render(scrape: web::Data<Scrape>) -> HttpResponse {
    for (name, pool) in &scrape.pools {
        let state = pool.state();
        let in_use = state.connections.saturating_sub(state.idle_connections);
        metrics::gauge!("thncd_db_pool_connections", "pool" => *name, "state" => "in_use").set(in_use as f64);
        metrics::gauge!("thncd_db_pool_connections", "pool" => *name, "state" => "idle")
            .set(state.idle_connections as f64);
        metrics::gauge!("thncd_db_pool_max", "pool" => *name).set(pool.max_size() as f64);
    }
    if let Some((_, primary)) = scrape.pools.first() {
        match crate::db::run(primary, crate::db::housekeeping::delivery_queue_depth).await {
            Ok(depth) => metrics::gauge!("thncd_worker_queue_depth").set(depth as f64),
            Err(e) => log::warn!("metrics: worker queue depth: {e}"),
        }
    }
    scrape.handle.run_upkeep();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(scrape.handle.render())
}

/// Records each request (count and latency by route template and status, refused token
/// requests) and writes the access log line. Runs inside the request-id middleware, so the
/// line carries the request id. Path only: query strings may carry names or ID numbers.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_string();
    // Through connection_info, as actix's Logger (`%a`) did: that caches ConnectionInfo in
    // the request's extensions before any handler holds them borrowed (the token handler
    // reads the client address while holding them; a first, inserting call there panics).
    let peer = req.connection_info().realip_remote_addr().unwrap_or("-").to_string();
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let res = next.call(req).await;
    let elapsed = started.elapsed();
    let (status, route, size) = match &res {
        Ok(res) => {
            let size = match res.response().body().size() {
                BodySize::Sized(n) => n.to_string(),
                _ => "-".into(),
            };
            (res.status().as_u16(), res.request().match_pattern(), size)
        }
        Err(e) => (e.as_response_error().status_code().as_u16(), None, "-".into()),
    };
    record(&method, route.as_deref(), status, elapsed);
    log::info!(
        target: "thncd::access",
        "{peer} \"{method} {path}\" {status} {size} {:.3}ms rid={rid}",
        elapsed.as_secs_f64() * 1000.0
    );
    res
}

fn record(method: &str, route: Option<&str>, status: u16, elapsed: Duration) {
    let route = route.unwrap_or("unmatched").to_string();
    let status_label = status.to_string();
    let labels = [("method", method.to_string()), ("route", route.clone()), ("status", status_label.clone())];
    metrics::counter!("thncd_http_requests_total", &labels).increment(1);
    metrics::histogram!("thncd_http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
    if route == TOKEN_ROUTE && status >= 400 {
        metrics::counter!("thncd_token_failures_total", "status" => status_label).increment(1);
    }
}
