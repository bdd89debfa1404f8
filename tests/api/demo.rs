//! The demo-data generator: reproducible, coherent with the service's own rules.

use crate::dual;
use crate::helpers::*;

async fn demo_data_is_reproducible_and_coherent(app: TestApp) {
    let opts = thncd::demo::DemoOptions { persons: 300, seed: 7, today: thncd::time::today_vn() };
    let stats = thncd::demo::generate(&mut app.conn(), &opts).expect("generates");
    assert_eq!(stats.persons, 300);
    assert!(stats.history_rows >= 300);
    assert!(stats.facility_activities > 0, "demo facilities record their work");
    // A second run on the same database is refused rather than mixing populations.
    assert!(thncd::demo::generate(&mut app.conn(), &opts).is_err());

    let (_, national) = app.account("ca.toanquoc", &["police"], "VN").await;
    let all = json(app.get("/api/v1/persons?page_size=200&sort=created_at", &national).await).await;
    assert_eq!(all["total"], 300);
    let managed = json(app.get("/api/v1/persons?status=under_management", &national).await).await;
    assert!(managed["total"].as_i64().unwrap() > 100, "{}", managed["total"]);
    // Every person's history ends in their current status.
    let first = &all["items"][0];
    let history =
        json(app.get(&format!("/api/v1/persons/{}/status-history", first["id"].as_str().unwrap()), &national).await)
            .await;
    assert_eq!(history.as_array().unwrap().last().unwrap()["to_status"], first["status"]);

    // Same seed on another fresh database: the same people.
    let other = TestApp::spawn(app.backend).await.unwrap();
    thncd::demo::generate(&mut other.conn(), &opts).unwrap();
    let (_, national2) = other.account("ca.toanquoc", &["police"], "VN").await;
    let again = json(other.get("/api/v1/persons?page_size=200&sort=created_at", &national2).await).await;
    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut n: Vec<String> =
            v["items"].as_array().unwrap().iter().map(|p| format!("{}|{}", p["full_name"], p["id_number"])).collect();
        n.sort();
        n
    };
    assert_eq!(names(&all), names(&again));
}

/// A value of a `key=value` pair on the credential line of `role`, scoped to `unit` when given.
fn credential(text: &str, role: &str, key: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&format!("role={role}")))
        .unwrap_or_else(|| panic!("no {role} line in:\n{text}"));
    let prefix = format!("{key}=");
    line.split_whitespace().find_map(|w| w.strip_prefix(&prefix)).unwrap_or_else(|| panic!("{line}")).to_string()
}

/// The newcomer's two minutes: `thncd demo-data --with-accounts`, then log in with a printed
/// credential and see persons.
async fn demo_accounts_log_in_and_see_persons(app: TestApp) {
    let url = app.settings.database_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_thncd"))
            .args(["demo-data", "--persons", "200", "--with-accounts"])
            .env("DATABASE_URL", &url)
            .env("THNCD_DATA_DIR", &data_dir)
            .output()
            .expect("run thncd demo-data")
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("=== DEMO CREDENTIALS"), "{text}");
    for role in
        ["police", "commune_committee", "justice", "labour", "supervisor", "auditor", "admin", "facility", "bank"]
    {
        credential(&text, role, "unit");
    }
    let commune = credential(&text, "police", "unit");
    assert_eq!(commune.len(), 5, "police of a commune: {text}");

    // The commune police logs in with the printed password and sees the commune's persons.
    let police = app.login(&credential(&text, "police", "username"), &credential(&text, "police", "password")).await;
    let persons = json(app.get("/api/v1/persons?status=under_management", &police).await).await;
    assert!(persons["total"].as_i64().unwrap() > 0, "{persons}");
    assert!(persons["items"].as_array().unwrap().iter().all(|p| p["unit"] == commune.as_str()), "{persons}");

    // The demo admin manages accounts and reads no case data.
    let admin = app.login("demo.admin", &credential(&text, "admin", "password")).await;
    assert_eq!(app.get("/api/v1/accounts?q=demo", &admin).await.status(), 200);
    assert_problem(app.get("/api/v1/persons", &admin).await, 403, "forbidden").await;

    // The bank is an integration client.
    let resp = app
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", &credential(&text, "bank", "client_id")),
            ("client_secret", &credential(&text, "bank", "client_secret")),
        ])
        .await;
    assert_eq!(resp.status(), 200);
}

dual!(demo_data_is_reproducible_and_coherent, demo_accounts_log_in_and_see_persons);
