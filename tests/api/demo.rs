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

dual!(demo_data_is_reproducible_and_coherent);
