//! Running past one machine: the optional read replica. (Two instances on one database are
//! tested with the workloads they share: `loans::two_instances_under_disbursement_and_activity_load`
//! and `integrations::two_instances_deliver_each_event_once`.)

use serde_json::json;

use crate::helpers::*;

/// With `DATABASE_READ_URL`, person lists and live indicators are read from the replica;
/// writes, single-record reads and the principal check stay on the primary. PostgreSQL
/// only: a replica of an embedded SQLite file is not a thing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_indicators_read_from_the_replica() {
    let Some(replica) = ScratchDb::migrated() else { return };
    let url = replica.url.clone();
    let app = TestApp::spawn_with(Backend::Postgres, move |s| s.read_database_url = Some(url)).await.unwrap();
    let (account, police) = app.account("ca.replica", &["police"], "VN").await;

    let created = json(
        app.post("/api/v1/persons", &police, &json!({"full_name": "Đọc Bản Sao", "gender": "female", "unit": "00070"}))
            .await,
    )
    .await;
    let id = created["id"].as_str().unwrap();
    // The primary has the person; the "replica" (another database) does not.
    assert_eq!(app.get(&format!("/api/v1/persons/{id}"), &police).await.status(), 200);
    let list = json(app.get("/api/v1/persons?q=doc%20ban%20sao", &police).await).await;
    assert_eq!(list["total"], 0, "the list was served by the replica: {list}");
    let ind = json(app.get("/api/v1/reports/indicators?unit=00070&from=2026-01-01&to=2026-06-30", &police).await).await;
    assert_eq!(ind["unit"], "00070", "{ind}");
    // Without a replica the same list reads the primary.
    let plain = TestApp::spawn(Backend::Postgres).await.unwrap();
    let (_, p2) = plain.account("ca.noreplica", &["police"], "VN").await;
    plain.post("/api/v1/persons", &p2, &json!({"full_name": "Đọc Bản Sao", "gender": "female", "unit": "00070"})).await;
    assert_eq!(json(plain.get("/api/v1/persons?q=doc%20ban%20sao", &p2).await).await["total"], 1);

    // The principal is checked on the primary: a disabled account is refused at once.
    let r = app
        .request(reqwest::Method::POST, &format!("/api/v1/accounts/{account}/disable"), &app.admin_token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "disable: {}", r.status());
    assert_problem(app.get("/api/v1/persons?q=x", &police).await, 401, "unauthorized").await;
}
