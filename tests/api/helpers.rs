//! Test harness: each test spawns the real application on port 0 against its own fresh
//! database (a temporary SQLite file, or a new PostgreSQL database dropped afterwards) and
//! talks to it over HTTP.

use std::sync::OnceLock;

use diesel::prelude::*;
use diesel::Connection;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

use thncd::auth::roles::Role;
use thncd::config::{JwtSettings, Settings};
use thncd::db::{DbConnection, DbPool};
use thncd::startup::Application;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const ADMIN_PASSWORD: &str = "Admin-password-1";
pub const PASSWORD: &str = "Staff-password-1";

pub struct TestApp {
    pub backend: Backend,
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub settings: Settings,
    /// Token of the national admin created at start-up.
    pub admin_token: String,
    _dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
}

pub fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_required() -> bool {
    std::env::var("THNCD_REQUIRE_POSTGRES").map(|v| v == "1" || v == "true").unwrap_or(false)
}

/// Whether PostgreSQL can be reached; asked once per test binary.
pub fn pg_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| match diesel::PgConnection::establish(&pg_admin_url()) {
        Ok(_) => true,
        Err(e) => {
            if pg_required() {
                panic!("THNCD_REQUIRE_POSTGRES is set but PostgreSQL is unreachable at {}: {e}", pg_admin_url());
            }
            eprintln!(
                "\n!!!!!!!! PostgreSQL unreachable at {} ({e}): SKIPPING the PostgreSQL half of the suite. \
                 Set TEST_DATABASE_URL to run it. !!!!!!!!\n",
                pg_admin_url()
            );
            false
        }
    })
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(idx) if idx > "postgres://".len() => &base[..idx],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// The settings every test application starts with, on `database_url`, keeping its files in `dir`.
fn test_settings(dir: &std::path::Path, database_url: String) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url,
        read_database_url: None,
        data_dir: dir.to_path_buf(),
        pool_size: 8,
        jwt: JwtSettings {
            issuer: "thncd-test".into(),
            audience: "thncd-api".into(),
            signing_key_file: None,
            trusted_jwks_file: None,
            trusted_issuers: vec![],
            token_ttl_secs: 3600,
        },
        cors_origins: vec!["https://frontend.example".into()],
        max_body_bytes: 64 * 1024,
        workers: 2,
        migrate_on_start: true,
        contact_intervals: Default::default(),
        report_due: Default::default(),
        worker: thncd::worker::WorkerSettings {
            interval_ms: 50,
            max_attempts: 3,
            backoff_base_ms: 100,
            timeout_ms: 2000,
            allow_private_urls: true,
            enabled: true,
            due_job_interval_secs: 0,
        },
        import_max_bytes: 20 * 1024 * 1024,
        import_limits: Default::default(),
        trust_forwarded: false,
        // Tests log many accounts in from one address; the limit has its own test.
        token_rate_per_minute: 10_000,
        request_timeout_secs: 60,
        principal_cache_ms: 2000,
        exact_total_up_to: 1000,
        metrics_bind: None,
        housekeeping: Default::default(),
    }
}

/// Builds and spawns the application; its address and a small pool on its database.
fn start(settings: &Settings) -> (String, DbPool) {
    let app = Application::build(settings.clone()).expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let pool = thncd::db::build_pool(&settings.database_url, 2).expect("test pool");
    (address, pool)
}

impl TestApp {
    /// Spawns the app; `None` when the backend is PostgreSQL and no server is reachable.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns with adjusted settings (e.g. a trusted JWKS file).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let _ = env_logger::builder().is_test(true).try_init();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut pg_database = None;
        let database_url = match backend {
            Backend::Sqlite => dir.path().join("test.sqlite3").to_string_lossy().into_owned(),
            Backend::Postgres => {
                if !pg_available() {
                    return None;
                }
                let (name, url) = create_pg_database("thncd_test");
                pg_database = Some((pg_admin_url(), name));
                url
            }
        };
        let mut settings = test_settings(dir.path(), database_url);
        adjust(&mut settings);
        let (address, pool) = start(&settings);
        {
            let mut conn = pool.get().expect("conn");
            thncd::cli::create_account(
                &mut conn,
                "root",
                ADMIN_PASSWORD,
                &[Role::Admin],
                "VN",
                Some("Root".into()),
                Default::default(),
            )
            .expect("first admin");
        }
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut app =
            TestApp { backend, address, client, pool, settings, admin_token: String::new(), _dir: dir, pg_database };
        app.admin_token = app.login("root", ADMIN_PASSWORD).await;
        Some(app)
    }

    /// Starts the application on an existing database (a restored backup, say): migrations
    /// run as on any start; no first admin is created, the database's own `root` logs in.
    /// `pg_database`, the name of a PostgreSQL database, is dropped with the app.
    pub async fn spawn_on(backend: Backend, database_url: String, pg_database: Option<String>) -> TestApp {
        let _ = env_logger::builder().is_test(true).try_init();
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = test_settings(dir.path(), database_url);
        let (address, pool) = start(&settings);
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let pg_database = pg_database.map(|name| (pg_admin_url(), name));
        let mut app =
            TestApp { backend, address, client, pool, settings, admin_token: String::new(), _dir: dir, pg_database };
        app.admin_token = app.login("root", ADMIN_PASSWORD).await;
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn conn(&self) -> TestConn {
        TestConn(self.pool.get().expect("db connection"))
    }

    pub fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(token)
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, token).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, token).json(body).send().await.expect("request")
    }

    pub async fn token_request(&self, form: &[(&str, &str)]) -> Response {
        self.client.post(self.url("/api/v1/auth/token")).form(form).send().await.expect("request")
    }

    /// The client-credentials grant with the secret in the form.
    pub async fn client_grant(&self, client_id: &str, secret: &str) -> Response {
        self.token_request(&[("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)])
            .await
    }

    /// Logs in with the password grant and returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let resp =
            self.token_request(&[("grant_type", "password"), ("username", username), ("password", password)]).await;
        assert_eq!(resp.status(), 200, "login of {username} failed");
        let body: Value = resp.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_string()
    }

    /// Creates an account through the API as the national admin; returns (id, token).
    pub async fn account(&self, username: &str, roles: &[&str], unit: &str) -> (String, String) {
        let resp = self
            .post(
                "/api/v1/accounts",
                &self.admin_token,
                &if roles.contains(&"facility") {
                    json!({"username": username, "password": PASSWORD, "full_name": username, "roles": roles, "unit": unit,
                           "facility_name": format!("Trại giam {username}")})
                } else {
                    json!({"username": username, "password": PASSWORD, "full_name": username, "roles": roles, "unit": unit})
                },
            )
            .await;
        assert_eq!(resp.status(), 201, "create account {username}: {}", resp.text().await.unwrap());
        let body: Value = resp.json().await.unwrap();
        let id = body["id"].as_str().unwrap().to_string();
        (id, self.login(username, PASSWORD).await)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_database.take() {
            drop_pg_database(admin_url, name);
        }
    }
}

/// A new, empty PostgreSQL database named `{prefix}_{uuid}`: its name and URL.
pub fn create_pg_database(prefix: &str) -> (String, String) {
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut admin = diesel::PgConnection::establish(&pg_admin_url()).expect("connect to PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create a test database");
    (name.clone(), replace_db_name(&pg_admin_url(), &name))
}

/// Drops a test database. Runs on a plain thread: Drop may be called inside the async runtime.
pub fn drop_pg_database(admin_url: String, name: String) {
    let _ = std::thread::spawn(move || {
        if let Ok(mut admin) = diesel::PgConnection::establish(&admin_url) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    })
    .join();
}

/// A separately migrated PostgreSQL database, standing in for a read replica: it holds other
/// data than the primary, so a test sees which database served a request. Dropped with it.
pub struct ScratchDb {
    pub url: String,
    name: String,
}

impl ScratchDb {
    pub fn migrated() -> Option<ScratchDb> {
        if !pg_available() {
            return None;
        }
        let (name, url) = create_pg_database("thncd_replica");
        let pool = thncd::db::build_pool(&url, 1).expect("scratch pool");
        thncd::db::migrate(&mut pool.get().expect("conn")).expect("migrate scratch database");
        Some(ScratchDb { url, name })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        drop_pg_database(pg_admin_url(), self.name.clone());
    }
}

pub async fn json(resp: Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("status {status}: body is not JSON: {text}"))
}

/// Asserts a problem+json response with the given status and code; returns the body.
pub async fn assert_problem(resp: Response, status: u16, code: &str) -> Value {
    let actual = resp.status().as_u16();
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = json(resp).await;
    assert_eq!(actual, status, "unexpected status; body: {body}");
    assert_eq!(ct, "application/problem+json", "content type; body: {body}");
    assert_eq!(body["code"], code, "problem code; body: {body}");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["type"].is_string() && body["instance"].is_string(), "{body}");
    body
}

/// A pooled connection that dereferences straight to the diesel connection.
pub struct TestConn(thncd::db::PooledConn);

impl std::ops::Deref for TestConn {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.0
    }
}

impl std::ops::DerefMut for TestConn {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! dual {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await.unwrap();
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}

/// Like `dual!`, for a test that starts its own server (`async fn name(backend: Backend)`),
/// for instance with other settings.
#[macro_export]
macro_rules! dual_backend {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        )+
    };
}
