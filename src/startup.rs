//! Building and running the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{http::header, web, App, HttpServer};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::keys::TokenKeys;
use crate::config::Settings;
use crate::db;
use crate::http::{extract, metrics, problems, request_id, semantics, timeout};
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    pool: crate::db::DbPool,
    settings: Settings,
    /// The Prometheus endpoint's server and port, with `THNCD_METRICS_BIND`.
    metrics: Option<(Server, u16)>,
}

/// Every route of the service: health checks and `/api/v1` (each module registers its own).
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(crate::api::health::routes).service(scope::scope("/api/v1").configure(crate::api::configure));
}

/// Opens the database (creating the SQLite file's folder), migrates and returns the pool.
pub fn open_database(settings: &Settings) -> Result<db::DbPool, String> {
    if settings.backend() == db::Backend::Sqlite {
        let path = std::path::Path::new(db::sqlite_path(&settings.database_url));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
    }
    let pool = db::build_pool(&settings.database_url, settings.pool_size)?;
    if settings.migrate_on_start {
        let mut conn = pool.get().map_err(|e| format!("cannot connect to the database: {e}"))?;
        let applied = db::migrate(&mut conn)?;
        if applied > 0 {
            log::info!("applied {applied} migration(s)");
        }
    }
    Ok(pool)
}

impl Application {
    pub fn build(settings: Settings) -> Result<Application, String> {
        let started = std::time::Instant::now();
        let pool = open_database(&settings)?;
        let keys = Arc::new(TokenKeys::load(&settings.jwt, &settings.data_dir)?);
        let listener = TcpListener::bind(&settings.bind).map_err(|e| format!("cannot bind {}: {e}", settings.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let doc = crate::openapi::document();
        let known_routes = web::Data::new(problems::KnownRoutes::from_doc(&doc));
        let route_ops = web::Data::new(crate::auth::permissions::RouteOps::from_doc(&doc));
        let workers = if settings.workers == 0 {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
        } else {
            settings.workers
        };
        let worker_pool = pool.clone();
        let read_pool = match &settings.read_database_url {
            Some(url) => Some(db::build_pool(url, settings.pool_size)?),
            None => None,
        };
        let metrics = match &settings.metrics_bind {
            Some(bind) => {
                let mut pools = vec![("primary", pool.clone())];
                pools.extend(read_pool.clone().map(|p| ("read", p)));
                Some(metrics::serve(bind, pools)?)
            }
            None => None,
        };
        let token_limiter =
            crate::http::rate_limit::RateLimiter::new(settings.token_rate_per_minute, Duration::from_secs(60));
        let principals =
            Arc::new(crate::auth::principals::PrincipalCache::new(Duration::from_millis(settings.principal_cache_ms)));
        let read_audit = crate::db::read_audit::ReadAuditLog::start(pool.clone());
        let state = web::Data::new(AppState {
            pool,
            read_pool,
            keys,
            settings: settings.clone(),
            token_limiter,
            principals,
            read_audit,
            report_slots: Arc::new(tokio::sync::Semaphore::new(crate::state::report_slots(settings.pool_size))),
        });
        let cors_origins = settings.cors_origins.clone();
        let max_body = settings.max_body_bytes;
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .app_data(state.clone())
                .app_data(known_routes.clone())
                .app_data(route_ops.clone())
                .app_data(web::QueryConfig::default().error_handler(extract::query_error))
                .app_data(web::PathConfig::default().error_handler(extract::path_error))
                .app_data(web::PayloadConfig::new(max_body))
                .wrap(from_fn(semantics::location))
                .wrap(from_fn(extract::query_guard))
                .wrap(from_fn(timeout::middleware))
                .wrap(from_fn(problems::middleware))
                .wrap(Compress::default())
                .wrap(security_headers())
                .wrap(cors(&cors_origins))
                // Access log and request metrics, inside the request id's scope.
                .wrap(from_fn(metrics::middleware))
                .wrap(from_fn(request_id::middleware))
                .wrap(from_fn(semantics::head_as_get))
                .into_utoipa_app()
                .configure(routes)
                .split_for_parts();
            app.service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", doc.clone()))
                // The page lives under `/swagger-ui/`; the address typed without the slash leads there.
                .route("/swagger-ui", web::get().to(swagger_ui_redirect))
                .default_service(web::to(problems::not_found))
        })
        .workers(workers)
        .client_request_timeout(Duration::from_secs(15))
        .client_disconnect_timeout(Duration::from_secs(5))
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|e| format!("cannot listen: {e}"))?
        .run();
        let base = base_url(&settings.bind, port);
        log::info!("thncd listening on {base} (ready in {} ms)", started.elapsed().as_millis());
        log::info!("Swagger UI: {base}/swagger-ui/ (contract: {base}/api-docs/openapi.json)");
        log::info!("database: {}", settings.database_location());
        if let Some(url) = &settings.read_database_url {
            log::info!("read replica: {}", crate::config::describe_database(url));
        }
        match &metrics {
            Some((_, metrics_port)) => {
                log::info!(
                    "metrics: {}/metrics",
                    base_url(settings.metrics_bind.as_deref().unwrap_or(""), *metrics_port)
                )
            }
            None => log::info!("metrics: off (set THNCD_METRICS_BIND to serve /metrics)"),
        }
        Ok(Application { port, server, pool: worker_pool, settings, metrics })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics endpoint's port, when `THNCD_METRICS_BIND` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// Serves until stopped, with the background worker (webhooks, daily jobs) alongside.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = tokio::spawn(crate::worker::run(self.pool.clone(), self.settings.clone()));
        let housekeeping = tokio::spawn(crate::worker::run_housekeeping(self.pool.clone(), self.settings.clone()));
        let metrics = self.metrics.map(|(server, _)| {
            let handle = server.handle();
            (tokio::spawn(server), handle)
        });
        let result = self.server.await;
        worker.abort();
        housekeeping.abort();
        if let Some((task, handle)) = metrics {
            handle.stop(false).await;
            task.abort();
        }
        result
    }
}

/// `http://host:port` for the log, from the bind address and the port actually bound
/// (`0.0.0.0` and `[::]` stand for every interface; the log says so as given).
fn base_url(bind: &str, port: u16) -> String {
    let host = match bind.rsplit_once(':') {
        Some((host, _)) if !host.is_empty() => host,
        _ => "127.0.0.1",
    };
    format!("http://{host}:{port}")
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
        .add((header::CACHE_CONTROL, "no-store"))
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("x-audit-reason"),
        ])
        // What a browser's script may read: versions, new records' URLs, when to retry,
        // file names of exports, and the request id to quote.
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

async fn swagger_ui_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/swagger-ui/"))
        .finish()
}
