//! Backups: `thncd backup` taken while the service runs and writes, restored the way
//! docs/operations.md says, and a second application on the restored copy finds every record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

/// The `key` of a 201 response's body.
async fn created(resp: reqwest::Response, key: &str) -> String {
    let status = resp.status();
    let body = json(resp).await;
    assert_eq!(status, 201, "{body}");
    body[key].as_str().unwrap().to_string()
}

/// The ids of every person the token sees.
async fn person_ids(app: &TestApp, token: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let body = json(app.get(&format!("/api/v1/persons?page={page}&page_size=200"), token).await).await;
        let items = body["items"].as_array().unwrap();
        ids.extend(items.iter().map(|p| p["id"].as_str().unwrap().to_string()));
        if items.len() < 200 {
            break;
        }
    }
    ids
}

/// Every audit event, newest first, as the national admin sees them.
async fn audit_events(app: &TestApp) -> BTreeMap<String, Value> {
    let mut events = BTreeMap::new();
    for page in 1.. {
        let body =
            json(app.get(&format!("/api/v1/audit-events?page={page}&page_size=200"), &app.admin_token).await).await;
        let items = body["items"].as_array().unwrap().clone();
        for item in &items {
            events.insert(item["id"].as_str().unwrap().to_string(), item.clone());
        }
        if items.len() < 200 {
            break;
        }
    }
    events
}

/// The records one person consists of, read through the API.
async fn person_records(app: &TestApp, token: &str, id: &str) -> Value {
    let mut records = json!({});
    for part in ["", "/convictions", "/activities", "/status-history"] {
        let resp = app.get(&format!("/api/v1/persons/{id}{part}"), token).await;
        assert_eq!(resp.status(), 200, "GET persons/{id}{part}");
        records[part] = json(resp).await;
    }
    records
}

/// Runs the real binary's `backup` subcommand against `database_url`; its exit status and output.
async fn run_backup(database_url: &str, output: &Path) -> (bool, String) {
    let (url, output) = (database_url.to_string(), output.to_path_buf());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_thncd"))
            .arg("backup")
            .arg("--output")
            .arg(&output)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "info")
            .output()
            .expect("run thncd backup")
    })
    .await
    .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn backup_restores_every_record(app: TestApp) {
    // Records of several kinds, through the API.
    let (police_id, police) = app.account("ca.backup", &["police"], "00070").await;
    let a = created(
        app.post("/api/v1/persons", &police, &identity("Nguyễn Văn Sao", Some("001085012345"), "00070")).await,
        "id",
    )
    .await;
    let b = created(app.post("/api/v1/persons", &police, &identity("Trần Văn Lưu", None, "00070")).await, "id").await;
    let notice = json!({"person": {"full_name": "Lê Văn Quản", "gender": "male", "unit": "00070"}, "facility": "Trại giam Nam Hà",
                        "notice_date": days_ago(90), "expected_release_date": days_ago(62)});
    let c = created(app.post("/api/v1/release-notices", &police, &notice).await, "person_id").await;
    let conviction = json!({"judgment_number": "12/2020/HS-ST", "court": "TAND", "judgment_date": days_ago(1200), "offence_articles": ["173"],
                            "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 36},
                            "release_date": days_ago(62), "release_type": "completed_sentence", "certificate_number": "88/GCN", "certificate_date": days_ago(62)});
    created(app.post(&format!("/api/v1/persons/{c}/convictions"), &police, &conviction).await, "id").await;
    receive(&app, &police, &c, &days_ago(61)).await;
    start_management(&app, &police, &c, &days_ago(60), "HS-2025-7").await;
    let visit = json!({"kind": "home_visit", "occurred_on": days_ago(2), "notes": "ổn định, có việc làm"});
    let resp = app.post(&format!("/api/v1/persons/{c}/activities"), &police, &visit).await;
    assert_eq!(resp.status(), 201, "activity");

    let account = json(app.get(&format!("/api/v1/accounts/{police_id}"), &app.admin_token).await).await;
    let mut persons = BTreeMap::new();
    for id in [&a, &b, &c] {
        persons.insert(id.clone(), person_records(&app, &police, id).await);
    }
    assert_eq!(persons[&c]["/activities"]["total"], 1);
    let events = audit_events(&app).await;
    for action in ["account.create", "person.create", "conviction.create", "activity.create"] {
        assert!(events.values().any(|e| e["action"] == action), "no {action} event before the backup");
    }

    // The backup runs while another officer keeps registering persons.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (client, url, token, stop, written) =
            (app.client.clone(), app.url("/api/v1/persons"), police.clone(), stop.clone(), written.clone());
        tokio::spawn(async move {
            let mut ids = BTreeSet::new();
            while !stop.load(Ordering::SeqCst) {
                let n = ids.len();
                let resp = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&identity(&format!("Đồng Văn {n}"), None, "00070"))
                    .send();
                let body: Value = resp.await.unwrap().json().await.unwrap();
                ids.insert(body["id"].as_str().expect("concurrent person created").to_string());
                written.fetch_add(1, Ordering::SeqCst);
            }
            ids
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while written.load(Ordering::SeqCst) < 3 {
        assert!(std::time::Instant::now() < deadline, "the concurrent writer is stuck");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(match app.backend {
        Backend::Sqlite => "thncd-backup's copy.sqlite3",
        Backend::Postgres => "thncd.dump",
    });
    // A password in the URL (ignored under trust authentication) must not be printed.
    let source_url = match app.backend {
        Backend::Sqlite => app.settings.database_url.clone(),
        Backend::Postgres => app.settings.database_url.replacen("postgres@", "postgres:Not-printed-9@", 1),
    };
    let started = std::time::Instant::now();
    let (ok, output) = run_backup(&source_url, &file).await;
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let concurrent = writer.await.unwrap();
    assert!(ok, "thncd backup failed: {output}");
    let bytes = std::fs::metadata(&file).unwrap().len();
    assert!(output.contains(&format!("backup written: {} ({bytes} bytes", file.display())), "{output}");
    assert!(!output.contains("Not-printed-9"), "a password was printed: {output}");
    eprintln!(
        "backup of {} took {took:?}: {bytes} bytes, {} persons written meanwhile",
        file.display(),
        concurrent.len()
    );
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions()) & 0o777,
        0o600
    );

    // A backup never overwrites a file.
    let before = std::fs::read(&file).unwrap();
    let (ok, output) = run_backup(&source_url, &file).await;
    assert!(!ok && output.contains("already exists"), "{output}");
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Restore as docs/operations.md says, then start a second application on the copy.
    let restored = match app.backend {
        Backend::Sqlite => {
            assert!(before.starts_with(b"SQLite format 3\0"), "not a SQLite database file");
            let target = dir.path().join("restored").join("thncd.sqlite3");
            std::fs::create_dir(target.parent().unwrap()).unwrap();
            std::fs::copy(&file, &target).unwrap();
            TestApp::spawn_on(Backend::Sqlite, target.to_string_lossy().into_owned(), None).await
        }
        Backend::Postgres => {
            assert!(before.starts_with(b"PGDMP"), "not a pg_dump custom-format archive");
            let (name, url) = create_pg_database("thncd_restore");
            let pg_restore = thncd::backup::find_pg_program("pg_restore").expect("pg_restore");
            let out = std::process::Command::new(pg_restore)
                .args(["--no-owner", "--exit-on-error", "--dbname", &url])
                .arg(&file)
                .output()
                .unwrap();
            assert!(out.status.success(), "pg_restore: {}", String::from_utf8_lossy(&out.stderr));
            TestApp::spawn_on(Backend::Postgres, url, Some(name)).await
        }
    };
    assert_ne!(restored.settings.database_url, app.settings.database_url);
    let police2 = restored.login("ca.backup", PASSWORD).await;

    // Every record is there, with the same ids and values.
    assert_eq!(
        json(restored.get(&format!("/api/v1/accounts/{police_id}"), &restored.admin_token).await).await,
        account
    );
    for (id, records) in &persons {
        assert_eq!(&person_records(&restored, &police2, id).await, records, "person {id}");
    }
    let restored_events = audit_events(&restored).await;
    for (id, event) in &events {
        assert_eq!(restored_events.get(id), Some(event), "audit event {id}");
    }

    // The copy is one consistent moment: each concurrent person in it came with its audit
    // event, and whatever was written before the backup started is in it.
    let listed = person_ids(&restored, &police2).await;
    let during: BTreeSet<&String> = listed.iter().filter(|id| !persons.contains_key(*id)).collect();
    assert!(during.iter().all(|id| concurrent.contains(*id)), "unknown persons in the copy");
    assert!(during.len() >= 3, "persons written before the backup started are missing");
    let audited: BTreeSet<&String> = concurrent
        .iter()
        .filter(|id| restored_events.values().any(|e| e["action"] == "person.create" && e["entity_id"] == id.as_str()))
        .collect();
    assert_eq!(audited, during, "concurrent persons and their audit events differ");
}

dual!(backup_restores_every_record);
