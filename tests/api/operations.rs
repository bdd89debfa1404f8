//! Operating the service: what start-up logs say, JSON log lines, Prometheus metrics on
//! their own address, the housekeeping purges, and TLS to PostgreSQL (a private cluster
//! with `ssl=on` and a CA made by the test).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::faults::{free_port, is_root, skip, PrivatePostgres};
use crate::fixtures::count;
use crate::helpers::*;

/// The real binary serving on `database_url`, its stderr in `log`.
struct Served {
    child: Child,
    port: u16,
}

impl Served {
    async fn start(database_url: &str, data_dir: &Path, log: &Path, extra_env: &[(&str, &str)]) -> Served {
        let port = free_port();
        let file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_thncd"));
        cmd.arg("serve")
            .env("DATABASE_URL", database_url)
            .env("THNCD_DATA_DIR", data_dir)
            .env("THNCD_BIND", format!("127.0.0.1:{port}"))
            .env("THNCD_WORKERS", "1")
            .env("RUST_LOG", "info")
            .env_remove("THNCD_LOG_FORMAT")
            .env_remove("THNCD_METRICS_BIND")
            .env_remove("THNCD_JWT_SIGNING_KEY_FILE");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.stdout(Stdio::null()).stderr(file).spawn().expect("start thncd");
        let served = Served { child, port };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(served.url("/readyz")).send().await {
                if r.status() == 200 {
                    return served;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(60), "thncd did not become ready: {}", read(log));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Start-up says where things are (URL, Swagger UI, backend, database without password),
/// and warns about the development key at every start that uses it, not only the first;
/// with `THNCD_LOG_FORMAT=json` every line is one JSON object, request lines with the id.
async fn startup_log_says_where_things_are(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let url = app.settings.database_url.clone();
    let text_log = dir.path().join("text.log");
    let served = Served::start(&url, dir.path(), &text_log, &[]).await;
    served.stop();
    let log = read(&text_log);
    let base = format!("http://127.0.0.1:{}", free_port_of(&log));
    assert!(log.contains(&format!("thncd listening on {base}")), "{log}");
    assert!(log.contains(&format!("Swagger UI: {base}/swagger-ui/")), "{log}");
    let expected_db = match app.backend {
        Backend::Sqlite => format!("database: SQLite file {}", std::path::absolute(&url).unwrap().display()),
        Backend::Postgres => {
            let name = url.rsplit('/').next().unwrap();
            let expected = format!("database: {}", thncd::config::describe_database(&url));
            assert!(expected.contains(&format!(", database {name}, sslmode=prefer")), "{expected}");
            expected
        }
    };
    assert!(log.contains(&expected_db), "expected `{expected_db}` in {log}");
    assert!(log.contains("metrics: off"), "{log}");
    assert!(log.contains("GENERATED A DEVELOPMENT SIGNING KEY"), "{log}");

    // Second start: the key exists now, and the warning is still there. JSON lines this time.
    let json_log = dir.path().join("json.log");
    let served = Served::start(&url, dir.path(), &json_log, &[("THNCD_LOG_FORMAT", "json")]).await;
    let r = reqwest::Client::new().get(served.url("/healthz")).header("x-request-id", "trace-ops-42").send().await;
    assert_eq!(r.unwrap().status(), 200);
    // The access line is written once the answer is sent; give the logger a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    served.stop();
    let lines: Vec<Value> = read(&json_log)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {l}")))
        .collect();
    let messages: Vec<&str> = lines.iter().map(|l| l["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("SIGNING TOKENS WITH THE DEVELOPMENT KEY")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("Swagger UI: ")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with(&expected_db)), "{messages:?}");
    let access = lines
        .iter()
        .find(|l| l["request_id"] == "trace-ops-42")
        .unwrap_or_else(|| panic!("no line with the request id: {lines:?}"));
    assert!(access["message"].as_str().unwrap().contains("\"GET /healthz\" 200"), "{access}");
    assert_eq!(access["level"], "INFO");
    assert!(access["ts"].is_string());
    if let Backend::Postgres = app.backend {
        assert!(!read(&text_log).contains("postgres@"), "no user or password in the log");
    }
}

/// The port in the log's "listening on http://127.0.0.1:PORT".
fn free_port_of(log: &str) -> u16 {
    let rest = log.split("listening on http://127.0.0.1:").nth(1).expect("listening line");
    rest.chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap()
}

async fn scrape(port: u16) -> String {
    let r = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    r.text().await.unwrap()
}

/// `THNCD_METRICS_BIND` serves Prometheus text at `/metrics` on its own address: requests
/// by route template and status, pool, queue, token failures, report build times.
async fn metrics_are_served_on_their_own_address(backend: Backend) {
    let port = free_port();
    let Some(app) = TestApp::spawn_with(backend, |s| s.metrics_bind = Some(format!("127.0.0.1:{port}"))).await else {
        return;
    };
    // Not on the API's address.
    assert_eq!(app.client.get(app.url("/metrics")).send().await.unwrap().status(), 404);

    let (_, police) = app.account("ca.metrics", &["police"], "00070").await;
    let missing = "/api/v1/persons/0190a0b0-0000-7000-8000-000000000000";
    assert_eq!(app.get(missing, &police).await.status(), 404);
    let refused = app
        .token_request(&[("grant_type", "password"), ("username", "ca.metrics"), ("password", "wrong-Password-9")])
        .await;
    assert!(refused.status().is_client_error());
    let refused_status = refused.status().as_u16();
    let _ = app.get("/api/v1/reports/indicators?unit=00070&from=2025-01-01&to=2025-06-30", &police).await;

    let text = scrape(port).await;
    for needle in [
        "thncd_http_requests_total{method=\"GET\",route=\"/api/v1/persons/{id}\",status=\"404\"}",
        "thncd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/persons/{id}\",status=\"404\",le=\"0.005\"}",
        &format!("thncd_token_failures_total{{status=\"{refused_status}\"}}"),
        "thncd_db_pool_connections{pool=\"primary\",state=\"in_use\"}",
        "thncd_db_pool_connections{pool=\"primary\",state=\"idle\"}",
        "thncd_db_pool_max{pool=\"primary\"}",
        "thncd_db_pool_wait_seconds_bucket",
        "thncd_worker_queue_depth ",
        "thncd_report_build_seconds_bucket",
        "# TYPE thncd_http_request_duration_seconds histogram",
    ] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    // Route templates, never raw paths with ids.
    assert!(!text.contains("0190a0b0-0000"), "{text}");
    assert_eq!(reqwest::get(format!("http://127.0.0.1:{port}/other")).await.unwrap().status(), 404);
}

crate::dual_backend!(metrics_are_served_on_their_own_address);

fn exec(conn: &mut thncd::db::DbConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

const OLD: &str = "2020-01-01 00:00:00";

/// The purges remove what is older than its retention and nothing else: failed logins,
/// idempotency keys, finished webhook deliveries (never pending ones) and domain events
/// (only those already fanned out to webhooks).
async fn housekeeping_purges_what_is_past_retention(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.worker.enabled = false).await else { return };
    let retention = thncd::config::HousekeepingSettings {
        interval_secs: 3600,
        login_failure_hours: 1,
        idempotency_hours: 1,
        webhook_delivery_days: 1,
        event_days: 1,
    };
    // Two failed logins; one becomes old.
    for _ in 0..2 {
        let r = app.token_request(&[("grant_type", "password"), ("username", "nobody"), ("password", "x")]).await;
        assert!(r.status().is_client_error());
    }
    // Two idempotent creations; one key becomes old.
    for key in ["old-key", "new-key"] {
        let body = json!({"username": format!("hk.{key}"), "password": PASSWORD, "full_name": "HK", "roles": ["labour"], "unit": "01"});
        let r = app
            .request(Method::POST, "/api/v1/accounts", &app.admin_token)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let (_, police) = app.account("ca.hk", &["police"], "00070").await;
    let person = json!({"full_name": "Lê Văn Cũ", "gender": "male", "date_of_birth": "1980-01-02", "unit": "00070"});
    assert_eq!(app.post("/api/v1/persons", &police, &person).await.status(), 201);
    let mut conn = app.conn();
    let events_before = count(&mut conn, "SELECT COUNT(*) AS n FROM domain_events");
    assert!(events_before >= 1);
    // Fan the events out (the worker is off), then one more event the dispatcher has not seen.
    // On PostgreSQL the dispatcher waits for older transactions (of any database in the
    // cluster) to finish before it passes an event: retry until its cursor is at our last.
    let last_event = count(&mut conn, "SELECT MAX(id) AS n FROM domain_events");
    let started = Instant::now();
    loop {
        thncd::db::webhooks::dispatch(&mut conn, 500).unwrap();
        if count(&mut conn, "SELECT last_id AS n FROM webhook_dispatch WHERE id = 1") >= last_event {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the dispatcher did not reach the events");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let person2 = json!({"full_name": "Lê Văn Mới", "gender": "male", "date_of_birth": "1981-01-02", "unit": "00070"});
    assert_eq!(app.post("/api/v1/persons", &police, &person2).await.status(), 201);
    let undispatched = count(&mut conn, "SELECT COUNT(*) AS n FROM domain_events") - events_before;
    assert!(undispatched >= 1);

    exec(
        &mut conn,
        &format!("UPDATE login_failures SET failed_at = '{OLD}' WHERE id = (SELECT MIN(id) FROM login_failures)"),
    );
    exec(&mut conn, &format!("UPDATE idempotency_keys SET created_at = '{OLD}' WHERE idem_key = 'old-key'"));
    exec(&mut conn, &format!("UPDATE domain_events SET occurred_at = '{OLD}'"));
    exec(
        &mut conn,
        &format!(
            "INSERT INTO webhook_subscriptions (id, owner_sub, owner_roles, unit_code, province_code, url, event_types, \
             secret, active, created_at, updated_at, version) VALUES ('sub-hk', 'x', 'police', '00070', '01', \
             'https://hooks.example/x', '*', 'secret', true, '{OLD}', '{OLD}', 1)"
        ),
    );
    for (id, status) in
        [("d-delivered", "delivered"), ("d-dead", "dead"), ("d-pending", "pending"), ("d-retrying", "retrying")]
    {
        exec(
            &mut conn,
            &format!(
                "INSERT INTO webhook_deliveries (id, subscription_id, event_seq, event_id, event_type, payload, status, \
                 attempts, next_attempt_at, created_at, updated_at) VALUES ('{id}', 'sub-hk', 1, '{id}', 'person.created', \
                 '{{}}', '{status}', 1, '{OLD}', '{OLD}', '{OLD}')"
            ),
        );
    }
    exec(
        &mut conn,
        "INSERT INTO webhook_deliveries (id, subscription_id, event_seq, event_id, event_type, payload, status, \
         attempts, next_attempt_at, created_at, updated_at) VALUES ('d-recent', 'sub-hk', 1, 'd-recent', 'person.created', \
         '{}', 'delivered', 1, '2020-01-01 00:00:00', '2020-01-01 00:00:00', CURRENT_TIMESTAMP)",
    );
    drop(conn);

    let purged = thncd::worker::housekeeping(&app.pool, &retention).await.unwrap();
    assert_eq!(purged.login_failures, 1);
    assert_eq!(purged.idempotency_keys, 1);
    assert_eq!(purged.webhook_deliveries, 2);
    assert_eq!(purged.domain_events as i64, events_before);

    let mut conn = app.conn();
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM login_failures"), 1);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key = 'new-key'"), 1);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key = 'old-key'"), 0);
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE id IN ('d-pending', 'd-retrying', 'd-recent')"
        ),
        3
    );
    // Not yet fanned out: kept whatever its age.
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM domain_events"), undispatched);
    drop(conn);

    // A retention of 0 keeps everything; a second run finds nothing more.
    let keep = thncd::config::HousekeepingSettings {
        login_failure_hours: 0,
        idempotency_hours: 0,
        webhook_delivery_days: 0,
        event_days: 0,
        ..retention.clone()
    };
    assert_eq!(thncd::worker::housekeeping(&app.pool, &keep).await.unwrap(), Default::default());
    // The API still works after the purge (the new key replays, the old one runs afresh).
    let r = app.get("/api/v1/persons", &police).await;
    assert_eq!(r.status(), 200);
}

/// The worker runs the purge on its schedule.
async fn the_worker_purges_on_schedule(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| {
        s.housekeeping.interval_secs = 1;
        s.housekeeping.login_failure_hours = 1;
    })
    .await
    else {
        return;
    };
    let r = app.token_request(&[("grant_type", "password"), ("username", "nobody"), ("password", "x")]).await;
    assert!(r.status().is_client_error());
    exec(&mut app.conn(), &format!("UPDATE login_failures SET failed_at = '{OLD}'"));
    let started = Instant::now();
    while count(&mut app.conn(), "SELECT COUNT(*) AS n FROM login_failures") > 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "the worker did not purge the old login failure");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

crate::dual_backend!(housekeeping_purges_what_is_past_retention, the_worker_purges_on_schedule);

dual!(startup_log_says_where_things_are);

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A CA, and a server certificate for 127.0.0.1 and localhost signed by it, in `dir`; and a
/// second CA that signed nothing.
fn make_certificates(dir: &Path) -> bool {
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n").unwrap();
    // A self-signed CA: its key, its certificate and its subject.
    let ca = |key, certificate, subject| {
        vec![
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            certificate,
            "-days",
            "2",
            "-subj",
            subject,
        ]
    };
    let steps = [
        ca("ca.key", "ca.crt", "/CN=thncd test CA"),
        ca("other-ca.key", "other-ca.crt", "/CN=another CA"),
        vec![
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        vec![
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    ];
    steps.iter().all(|args| openssl(dir, args))
}

/// TLS to PostgreSQL: `verify-full` against the test's CA connects and the service works;
/// a CA that did not sign the server's certificate is refused at start-up, with a clear
/// error and exit status 1 (no panic).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_over_tls_is_verified() {
    if !is_root() {
        return skip("a private PostgreSQL cluster needs root (runuser)");
    }
    let certs = tempfile::tempdir().unwrap();
    if !make_certificates(certs.path()) {
        return skip("the openssl command could not make the test certificates");
    }
    let server_files = certs.path().to_path_buf();
    let Some(pg) = PrivatePostgres::start_with(|dir| {
        for file in ["server.crt", "server.key"] {
            std::fs::copy(server_files.join(file), dir.join(file)).ok()?;
        }
        let owned =
            Command::new("chown").args(["postgres:postgres", "server.crt", "server.key"]).current_dir(dir).status();
        let private = Command::new("chmod").args(["600", "server.key"]).current_dir(dir).status();
        (owned.ok()?.success() && private.ok()?.success())
            .then(|| format!("-c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key", dir.display()))
    }) else {
        return skip("initdb/pg_ctl could not start a private PostgreSQL cluster with ssl=on");
    };
    let ca = certs.path().join("ca.crt");
    let verified = format!("{}?sslmode=verify-full&sslrootcert={}", pg.url(), ca.display());

    // The service starts on it, migrates and serves.
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("tls.log");
    let served = Served::start(&verified, data.path(), &log, &[]).await;
    let ready: Value = reqwest::get(served.url("/readyz")).await.unwrap().json().await.unwrap();
    assert_eq!(ready["database"], "postgres");
    served.stop();
    assert!(read(&log).contains("sslmode=verify-full"), "{}", read(&log));
    // And the connection really is encrypted.
    let mut conn = thncd::db::build_pool(&verified, 1).unwrap().get().unwrap();
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"), 1);
    drop(conn);

    // A CA that did not sign the server certificate: refused, clearly, at start-up.
    let wrong = format!("{}?sslmode=verify-full&sslrootcert={}", pg.url(), certs.path().join("other-ca.crt").display());
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_thncd"))
        .arg("serve")
        .env("DATABASE_URL", &wrong)
        .env("THNCD_DATA_DIR", data.path())
        .env("THNCD_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("certificate verify failed"), "{stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
