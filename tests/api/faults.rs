//! Faults: the service killed with SIGKILL under write load, PostgreSQL stopped under load,
//! and a SQLite disk that fills up. After each, every acknowledged write is there with its
//! audit event and outbox event, nothing is half-written, and the service recovers by itself.
//!
//! These tests need root for `mount` and `runuser` (a private PostgreSQL cluster): without it
//! they are skipped loudly, unless `THNCD_REQUIRE_FAULTS=1` (as in CI) makes that a failure.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::count;
use crate::helpers::*;

pub(crate) fn faults_required() -> bool {
    std::env::var("THNCD_REQUIRE_FAULTS").map(|v| v == "1" || v == "true").unwrap_or(false)
}

pub(crate) fn skip(why: &str) {
    assert!(!faults_required(), "THNCD_REQUIRE_FAULTS is set but {why}");
    eprintln!("\n!!!!!!!! SKIPPING a fault-injection test: {why} !!!!!!!!\n");
}

pub(crate) fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn person(name: &str) -> Value {
    json!({"full_name": name, "gender": "female", "date_of_birth": "1991-05-06", "unit": "00070"})
}

/// The real binary, as a child process we can kill.
struct Service {
    child: Child,
    address: String,
    client: reqwest::Client,
}

impl Service {
    async fn start(database_url: &str, data_dir: &std::path::Path) -> Service {
        let port = free_port();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(data_dir.join("service.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_thncd"))
            .env("DATABASE_URL", database_url)
            .env("THNCD_DATA_DIR", data_dir)
            .env("THNCD_BIND", format!("127.0.0.1:{port}"))
            .env("THNCD_WORKERS", "2")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start the service");
        let service = Service {
            child,
            address: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap(),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = service.client.get(format!("{}/readyz", service.address)).send().await {
                if r.status() == 200 {
                    return service;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(60), "the service did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    async fn login(&self, username: &str, password: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/v1/auth/token", self.address))
            .form(&[("grant_type", "password"), ("username", username), ("password", password)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }
}

impl Service {
    async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        let url = format!("{}{path}", self.address);
        self.client.post(url).bearer_auth(token).json(body).send().await.unwrap()
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).bearer_auth(token).send().await.unwrap()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_admin(database_url: &str, data_dir: &std::path::Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_thncd"))
        .args(["accounts", "create", "--username", "root", "--role", "admin", "--unit", "VN"])
        .env("DATABASE_URL", database_url)
        .env("THNCD_DATA_DIR", data_dir)
        .env("THNCD_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// SQLite's own verdict on the whole file: "ok" when nothing is corrupt.
fn integrity_check(conn: &mut thncd::db::DbConnection) -> String {
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    diesel::sql_query("PRAGMA integrity_check").get_result::<Check>(conn).unwrap().integrity_check
}

/// Writers that create persons until told to stop or the service goes away; returns the
/// ids and names the service acknowledged with 201.
fn write_load(
    address: &str,
    token: &str,
    writers: usize,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Vec<(String, String)>>> {
    (0..writers)
        .map(|w| {
            let (address, token, stop) = (address.to_string(), token.to_string(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
                let mut acked = Vec::new();
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let name = format!("Người Thử {w}-{i}");
                    let resp = client
                        .post(format!("{address}/api/v1/persons"))
                        .bearer_auth(&token)
                        .json(&person(&name))
                        .send()
                        .await;
                    match resp {
                        Ok(r) if r.status() == StatusCode::CREATED => match r.json::<Value>().await {
                            Ok(body) => acked.push((body["id"].as_str().unwrap().to_string(), name)),
                            // Killed between the status line and the body: not acknowledged.
                            Err(_) => break,
                        },
                        Ok(r) => panic!("write refused before the kill: {} {}", r.status(), r.text().await.unwrap()),
                        Err(_) => break,
                    }
                }
                acked
            })
        })
        .collect()
}

/// SIGKILL during sustained writes, then a restart on the same database.
async fn sigkill_under_write_load(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mut pg_database = None;
    let url = match backend {
        Backend::Sqlite => dir.path().join("thncd.sqlite3").to_string_lossy().into_owned(),
        Backend::Postgres => {
            if !pg_available() {
                return;
            }
            let (name, url) = create_pg_database("thncd_kill");
            pg_database = Some(name);
            url
        }
    };
    create_admin(&url, dir.path());
    let mut service = Service::start(&url, dir.path()).await;
    let admin = service.login("root", ADMIN_PASSWORD).await;
    let account = json!({"username": "ca.kill", "password": PASSWORD, "full_name": "Công an", "roles": ["police"], "unit": "00070"});
    assert_eq!(service.post("/api/v1/accounts", &admin, &account).await.status(), 201);
    let police = service.login("ca.kill", PASSWORD).await;

    let stop = Arc::new(AtomicBool::new(false));
    let writers = write_load(&service.address, &police, 8, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    service.kill();
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    assert!(acked.len() >= 20, "only {} writes were acknowledged before the kill", acked.len());

    // Restart on the same files: every acknowledged person is there, as written.
    let service = Service::start(&url, dir.path()).await;
    let police = service.login("ca.kill", PASSWORD).await;
    for (id, name) in &acked {
        let body: Value = service.get(&format!("/api/v1/persons/{id}"), &police).await.json().await.unwrap();
        assert_eq!(body["full_name"], name.as_str(), "acknowledged person {id} after the kill");
    }
    // Nothing half-written: each stored person has its audit event and its outbox event.
    let pool = thncd::db::build_pool(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let persons = count(&mut conn, "SELECT COUNT(*) AS n FROM persons");
    let audited = count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'person.create'");
    let events = count(&mut conn, "SELECT COUNT(*) AS n FROM domain_events WHERE event_type = 'person.expected'");
    assert_eq!(persons, audited, "every person has its audit event");
    assert_eq!(persons, events, "every person has its outbox event");
    assert!(
        persons >= acked.len() as i64 && persons <= acked.len() as i64 + 8,
        "{persons} stored, {} acked",
        acked.len()
    );
    if backend == Backend::Sqlite {
        assert_eq!(integrity_check(&mut conn), "ok");
    }
    // And the restarted service takes writes again.
    assert_eq!(service.post("/api/v1/persons", &police, &person("Sau Khởi Động")).await.status(), 201);
    eprintln!(
        "SIGKILL ({backend:?}): {} acknowledged writes verified after the restart ({persons} stored)",
        acked.len()
    );
    drop(conn);
    drop(pool);
    drop(service);
    if let Some(name) = pg_database {
        drop_pg_database(pg_admin_url(), name);
    }
}

mod sigkill {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::sigkill_under_write_load(super::Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        super::sigkill_under_write_load(super::Backend::Postgres).await;
    }
}

/// A PostgreSQL cluster of the test's own (stopping the shared one would break other tests).
pub(crate) struct PrivatePostgres {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) port: u16,
    /// Server options besides port, socket directory and address (`-c ssl=on`…).
    options: String,
}

pub(crate) fn pg_bin(tool: &str) -> Option<String> {
    let root = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    let mut versions: Vec<_> = root.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    versions.sort();
    versions.into_iter().rev().map(|v| v.join("bin").join(tool)).find(|p| p.exists()).map(|p| p.display().to_string())
}

impl PrivatePostgres {
    pub(crate) fn start() -> Option<PrivatePostgres> {
        Self::start_with(|_| Some(String::new()))
    }

    /// Like [`PrivatePostgres::start`], with `setup` called on the cluster's folder (owned by
    /// `postgres`) after initdb: it may add files and returns extra server options.
    pub(crate) fn start_with(setup: impl FnOnce(&std::path::Path) -> Option<String>) -> Option<PrivatePostgres> {
        let initdb = pg_bin("initdb")?;
        let dir = tempfile::tempdir().unwrap();
        let chown = Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().ok()?;
        if !chown.success() {
            return None;
        }
        let data = dir.path().join("data");
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--", &initdb, "-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("initdb: {}", String::from_utf8_lossy(&out.stderr));
            return None;
        }
        let options = setup(dir.path())?;
        let pg = PrivatePostgres { dir, port: free_port(), options };
        pg.ctl("start").then_some(pg)
    }

    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn ctl(&self, action: &str) -> bool {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("pg.log");
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--", &pg_bin("pg_ctl").unwrap(), "-w", "-D"]).arg(&data);
        match action {
            "start" => cmd.arg("-l").arg(&log).arg("-o").arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off {}",
                self.port,
                self.dir.path().display(),
                self.options
            )),
            // Immediate: the server goes away as in a crash; connections are cut.
            _ => cmd.args(["-m", "immediate"]),
        };
        cmd.arg(action).stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.ctl("stop");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_outage_fails_fast_and_recovers() {
    if !is_root() {
        return skip("a private PostgreSQL cluster needs root (runuser)");
    }
    let Some(pg) = PrivatePostgres::start() else {
        return skip("initdb/pg_ctl could not start a private PostgreSQL cluster");
    };
    // Spawned with the harness's SQLite defaults, then pointed at the private cluster.
    let url = pg.url();
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.database_url = url).await.unwrap();
    let (_, police) = app.account("ca.outage", &["police"], "00070").await;
    let r = app.post("/api/v1/persons", &police, &person("Trước Sự Cố")).await;
    assert_eq!(r.status(), 201);
    let id = json(r).await["id"].as_str().unwrap().to_string();

    // Load: readers and writers, every answer recorded with its latency.
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<(u16, String, Duration)>>> = Arc::default();
    let mut tasks = Vec::new();
    for w in 0..4 {
        let (stop, seen, client) = (stop.clone(), seen.clone(), app.client.clone());
        let (read_url, write_url, token) =
            (app.url(&format!("/api/v1/persons/{id}")), app.url("/api/v1/persons"), police.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let req = if w % 2 == 0 {
                    client.get(&read_url).bearer_auth(&token)
                } else {
                    client.post(&write_url).bearer_auth(&token).json(&person(&format!("Tải {w}-{i}")))
                };
                let r = req.send().await.unwrap();
                let status = r.status().as_u16();
                let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                seen.lock().unwrap().push((status, ct, started.elapsed()));
                i += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(pg.ctl("stop"), "stop the private cluster");
    let down_at = seen.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "readiness follows the database");
    let during: Vec<_> = seen.lock().unwrap()[down_at..].to_vec();
    assert!(pg.ctl("start"), "restart the private cluster");
    let back = Instant::now();
    // The service recovers on its own: the same token reads and writes again.
    loop {
        let r = app.get(&format!("/api/v1/persons/{id}"), &police).await;
        if r.status() == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(30), "no recovery: {}", r.status());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered_in = back.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(app.post("/api/v1/persons", &police, &person("Sau Sự Cố")).await.status(), 201);

    let all = seen.lock().unwrap().clone();
    let failures: Vec<_> = all.iter().filter(|(s, _, _)| *s >= 500).collect();
    assert!(!failures.is_empty(), "the outage was seen");
    for (status, ct, took) in &failures {
        assert_eq!(*status, 503, "an outage answers 503, never a 500");
        assert_eq!(ct, "application/problem+json");
        assert!(*took < Duration::from_secs(6), "a request waited {took:?} during the outage");
    }
    // Once the pool has noticed, failures are immediate rather than a pool timeout each.
    let mut latencies: Vec<Duration> = failures.iter().map(|(_, _, d)| *d).collect();
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    assert!(median < Duration::from_millis(1500), "median 503 took {median:?}");
    let slowest = during.iter().map(|(_, _, d)| *d).max().unwrap_or_default();
    eprintln!(
        "PostgreSQL outage: {} requests, {} answered 503 (median {median:?}, slowest {slowest:?}); recovered {recovered_in:?} after the restart",
        all.len(),
        failures.len()
    );
}

/// A SQLite database on a small filesystem of its own, filled up under the service.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_disk_full_is_a_clear_503() {
    if !is_root() {
        return skip("mounting a small filesystem needs root");
    }
    let mount = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"])
        .arg(mount.path())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        return skip("mount -t tmpfs failed");
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.path().to_path_buf());
    let db = mount.path().join("thncd.sqlite3").to_string_lossy().into_owned();
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.database_url = db).await.unwrap();
    let (_, police) = app.account("ca.full", &["police"], "00070").await;
    let mut acked = Vec::new();
    for i in 0..5 {
        let r = app.post("/api/v1/persons", &police, &person(&format!("Trước Khi Đầy {i}"))).await;
        assert_eq!(r.status(), 201);
        acked.push(json(r).await["id"].as_str().unwrap().to_string());
    }
    // Fill the filesystem to the last byte.
    let filler = mount.path().join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
    // Writes fail with a clear 503 (the WAL may still hold a few free frames, so some succeed).
    let mut refused = 0;
    for i in 0..300 {
        let body = json!({"full_name": format!("Khi Đầy {i} {}", "x".repeat(150)), "gender": "male", "unit": "00070",
                          "village": "y".repeat(190), "occupation": "z".repeat(190)});
        let r = app.post("/api/v1/persons", &police, &body).await;
        match r.status().as_u16() {
            201 => acked.push(json(r).await["id"].as_str().unwrap().to_string()),
            _ => {
                let p = assert_problem(r, 503, "unavailable").await;
                assert!(!p.to_string().to_lowercase().contains("sqlite"), "no internal message: {p}");
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
        }
    }
    assert!(refused >= 3, "the full disk was never noticed");
    // Reads that carry no criminal data still work.
    assert_eq!(app.get(&format!("/api/v1/persons/{}/activities", acked[0]), &police).await.status(), 200);
    // A read of criminal data must be audited: when its audit event cannot be written, the
    // read is refused (fail closed), with no internal message.
    let p = assert_problem(app.get(&format!("/api/v1/persons/{}", acked[0]), &police).await, 503, "unavailable").await;
    assert!(!p.to_string().to_lowercase().contains("sqlite"), "no internal message: {p}");
    // Space is back: writes work again, nothing acknowledged was lost, the file is sound.
    std::fs::remove_file(&filler).unwrap();
    let r = app.post("/api/v1/persons", &police, &person("Sau Khi Dọn")).await;
    assert_eq!(r.status(), 201);
    for id in &acked {
        assert_eq!(app.get(&format!("/api/v1/persons/{id}"), &police).await.status(), 200, "{id}");
    }
    let mut conn = app.conn();
    assert_eq!(integrity_check(&mut conn), "ok");
    let persons = count(&mut conn, "SELECT COUNT(*) AS n FROM persons");
    let audited = count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'person.create'");
    assert_eq!(persons, audited);
    assert_eq!(persons, acked.len() as i64 + 1);
    eprintln!("SQLite disk full: {refused} writes refused with 503, {} acknowledged writes verified", acked.len());
}

/// The SQLite database and its write-ahead log made read-only under the running service
/// (the immutable attribute, which also stops writes through descriptors already open):
/// writes get a clear 503, reads go on, and once the files are writable again the service
/// takes writes with nothing lost and a sound file. The shared-memory index (`-shm`) stays
/// writable: it is memory-mapped, and a refused write to a mapping is a SIGBUS, which is
/// also why the service runs as a child process here.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_read_only_file_is_a_clear_503() {
    if !is_root() {
        return skip("chattr +i needs root");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("thncd.sqlite3");
    let url = db.to_string_lossy().into_owned();
    create_admin(&url, dir.path());
    let mut service = Service::start(&url, dir.path()).await;
    let admin = service.login("root", ADMIN_PASSWORD).await;
    let account = json!({"username": "ca.khoa", "password": PASSWORD, "full_name": "Công an", "roles": ["police"], "unit": "00070"});
    assert_eq!(service.post("/api/v1/accounts", &admin, &account).await.status(), 201);
    let police = service.login("ca.khoa", PASSWORD).await;
    let mut acked = Vec::new();
    for i in 0..5 {
        let r = service.post("/api/v1/persons", &police, &person(&format!("Trước Khi Khoá {i}"))).await;
        assert_eq!(r.status(), 201);
        acked.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }

    let files = [db.clone(), dir.path().join("thncd.sqlite3-wal")];
    assert!(files[1].exists(), "the database runs in WAL mode");
    let chattr =
        move |flag: &str| Command::new("chattr").arg(flag).args(&files).status().map(|s| s.success()).unwrap_or(false);
    if !chattr("+i") {
        return skip("chattr +i is not supported on the temporary directory's filesystem");
    }
    struct Writable<F: Fn(&str) -> bool>(F);
    impl<F: Fn(&str) -> bool> Drop for Writable<F> {
        fn drop(&mut self) {
            (self.0)("-i");
        }
    }
    let writable = Writable(chattr);
    let mut refused = 0;
    for i in 0..20 {
        let r = service.post("/api/v1/persons", &police, &person(&format!("Khi Khoá {i}"))).await;
        if r.status() == 201 {
            acked.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
            continue;
        }
        let p = assert_problem(r, 503, "unavailable").await;
        assert!(!p.to_string().to_lowercase().contains("sqlite"), "no internal message: {p}");
        refused += 1;
        if refused >= 3 {
            break;
        }
    }
    assert!(refused >= 3, "the read-only file was never noticed");
    // Reads that carry no criminal data do not need the files to be writable; a read of
    // criminal data does, for its audit event (fail closed).
    let r = service.get(&format!("/api/v1/persons/{}/activities", acked[0]), &police).await;
    assert_eq!(r.status(), 200);
    let r = service.get(&format!("/api/v1/persons/{}", acked[0]), &police).await;
    assert_problem(r, 503, "unavailable").await;

    drop(writable);
    let mut resumed = false;
    for _ in 0..50 {
        let r = service.post("/api/v1/persons", &police, &person("Sau Khi Mở Khoá")).await;
        if r.status() == 201 {
            acked.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
            resumed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(resumed, "writes resume once the files are writable");
    for id in &acked {
        assert_eq!(service.get(&format!("/api/v1/persons/{id}"), &police).await.status(), 200, "{id}");
    }
    // The service is still the same process (nothing crashed it), then it stops and the file is checked.
    assert!(service.child.try_wait().unwrap().is_none(), "the service exited");
    service.kill();
    let pool = thncd::db::build_pool(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    assert_eq!(integrity_check(&mut conn), "ok");
    let persons = count(&mut conn, "SELECT COUNT(*) AS n FROM persons");
    let audited = count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'person.create'");
    assert_eq!(persons, audited, "every person has its audit event");
    assert_eq!(persons, acked.len() as i64, "exactly the acknowledged writes are stored");
    eprintln!("SQLite read-only: {refused} writes refused with 503, {} acknowledged writes verified", acked.len());
}

/// A request stuck behind a lock held elsewhere (here a SQLite write lock taken by another
/// connection) ends at the configured request timeout with a 503 problem, while other
/// requests go on being served; nothing is half-written once the lock is released.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stuck_request_times_out_with_a_503() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.request_timeout_secs = 1).await.unwrap();
    let (_, police) = app.account("ca.cho", &["police"], "00070").await;
    let mut holder = app.conn();
    let before = count(&mut holder, "SELECT COUNT(*) AS n FROM persons");
    diesel::sql_query("BEGIN IMMEDIATE").execute(&mut *holder).unwrap();

    let started = Instant::now();
    let r = app.post("/api/v1/persons", &police, &person("Chờ Khoá")).await;
    let took = started.elapsed();
    // A complete answer: the security headers and request id of any other response.
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().contains_key("x-request-id"));
    let p = assert_problem(r, 503, "unavailable").await;
    assert!(p["request_id"].is_string(), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("longer than 1 s"), "{p}");
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(5), "answered after {took:?}");
    // Reads are not held up by the write lock.
    assert_eq!(app.get("/api/v1/persons", &police).await.status(), 200);

    diesel::sql_query("ROLLBACK").execute(&mut *holder).unwrap();
    drop(holder);
    // The abandoned write either completed or rolled back once the lock was free; either way
    // whole, with its audit event.
    let mut persons = 0;
    for _ in 0..100 {
        let mut conn = app.conn();
        persons = count(&mut conn, "SELECT COUNT(*) AS n FROM persons");
        let audited = count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'person.create'");
        assert_eq!(persons, audited, "every stored person has its audit event");
        if persons > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(persons == before || persons == before + 1);
    // And the service takes writes again.
    assert_eq!(app.post("/api/v1/persons", &police, &person("Sau Khi Chờ")).await.status(), 201);
    eprintln!("request timeout: a stuck write answered 503 after {took:?}");
}
