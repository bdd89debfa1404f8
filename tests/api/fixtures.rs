//! Fixtures shared by the test files: dates relative to today, person bodies, and response
//! helpers that fail with the status and body.

use serde_json::{json, Value};

use crate::helpers::TestApp;

/// Today in Vietnam, as the service sees it.
pub fn today() -> chrono::NaiveDate {
    thncd::time::today_vn()
}

/// The day `n` days before today, as `YYYY-MM-DD`.
pub fn days_ago(n: i64) -> String {
    (today() - chrono::Duration::days(n)).to_string()
}

/// A new person's body: a man born on 1985-03-02, in `unit`.
pub fn person(name: &str, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "unit": unit})
}

/// A new person's body with the identity fields filled in.
pub fn identity(name: &str, id_number: Option<&str>, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "id_number": id_number, "unit": unit,
           "village": "Thôn 3", "education": "9/12", "occupation": "farmer"})
}

/// The body of a successful response (`null` when empty); fails with `what`, the status and
/// the body otherwise.
pub async fn ok(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub async fn post_ok(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    ok(app.post(path, token, body).await, path).await
}

pub async fn get_ok(app: &TestApp, path: &str, token: &str) -> Value {
    ok(app.get(path, token).await, path).await
}

/// Only the figures of an indicators body (it also carries unit, dates, targets, plans and
/// a timestamp).
pub fn figures_of(v: &Value) -> Value {
    let mut f = v.clone();
    for k in ["unit", "unit_name", "from", "to", "targets", "plans", "computed_at"] {
        f.as_object_mut().unwrap().remove(k);
    }
    f
}

/// A self-management group in `unit`, founded 90 days ago and launched 60 days ago after its
/// three earlier milestones; returns its id.
pub async fn launched_model(app: &TestApp, police: &str, unit: &str) -> String {
    let m = post_ok(
        app,
        "/api/v1/models",
        police,
        &json!({"name": "Tổ tự quản", "model_type": "self_management_group", "unit": unit,
                "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": days_ago(90)}),
    )
    .await;
    let mid = m["id"].as_str().unwrap().to_string();
    for (step, ago) in
        [("committee_formed", 80), ("regulations_issued", 75), ("first_activities", 70), ("launched", 60)]
    {
        post_ok(
            app,
            &format!("/api/v1/models/{mid}/milestones"),
            police,
            &json!({"step": step, "achieved_on": days_ago(ago)}),
        )
        .await;
    }
    mid
}

/// Records a person's record as expunged on `on` (with the ETag the update needs).
pub async fn expunge(app: &TestApp, justice: &str, person_id: &str, on: &str) {
    let path = format!("/api/v1/persons/{person_id}");
    let etag = app.get(&path, justice).await.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .request(reqwest::Method::PUT, &format!("{path}/expungement"), justice)
        .header("if-match", etag)
        .json(&json!({"status": "expunged", "decided_on": on, "basis": "Điều 70 BLHS"}))
        .send()
        .await
        .unwrap();
    ok(r, "expunge").await;
}
