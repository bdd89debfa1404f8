use diesel::prelude::*;
use serde_json::json;

use crate::dual;
use crate::helpers::*;

async fn audit_rows_cannot_change(app: TestApp) {
    app.account("someone", &["police"], "00070").await;
    let mut conn = app.conn();
    let before: i64 =
        diesel::sql_query("SELECT COUNT(*) AS n FROM audit_events").get_result::<Count>(&mut *conn).unwrap().n;
    assert!(before >= 2);
    let update = diesel::sql_query("UPDATE audit_events SET action = 'forged'").execute(&mut *conn);
    assert!(update.is_err(), "UPDATE must be refused");
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = diesel::sql_query("DELETE FROM audit_events").execute(&mut *conn);
    assert!(delete.is_err(), "DELETE must be refused");
    let after: i64 =
        diesel::sql_query("SELECT COUNT(*) AS n FROM audit_events").get_result::<Count>(&mut *conn).unwrap().n;
    assert_eq!(before, after);
    if app.backend == Backend::Postgres {
        assert!(diesel::sql_query("TRUNCATE audit_events").execute(&mut *conn).is_err());
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn audit_is_scoped_and_filtered(app: TestApp) {
    app.account("a.hk", &["police"], "00070").await;
    app.account("a.ld", &["police"], "24829").await;
    let (_, hanoi_auditor) = app.account("hn.auditor", &["auditor"], "01").await;
    let events = json(app.get("/api/v1/audit-events?action=account.create", &hanoi_auditor).await).await;
    let units: Vec<&str> =
        events["items"].as_array().unwrap().iter().map(|e| e["unit_code"].as_str().unwrap()).collect();
    assert!(units.contains(&"00070"));
    assert!(!units.contains(&"24829"), "another province's events are invisible");
    let national = json(app.get("/api/v1/audit-events?action=account.create", &app.admin_token).await).await;
    assert!(national["total"].as_i64().unwrap() > events["total"].as_i64().unwrap());
    // Newest first, with time filters.
    let from = chrono::Utc::now() + chrono::Duration::hours(1);
    let none = json(
        app.get(&format!("/api/v1/audit-events?from={}", from.format("%Y-%m-%dT%H:%M:%SZ")), &app.admin_token).await,
    )
    .await;
    assert_eq!(none["total"], 0);
    let _ = json!({});
}

dual!(audit_rows_cannot_change, audit_is_scoped_and_filtered);
