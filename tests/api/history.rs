//! Issue 22: entering the past (backdated registration, records entered after the exit,
//! dated loan steps, imports that answer ids and carry later history, outreach above the
//! commune) and as-of dates on the state summaries.

use serde_json::{json, Value};

use crate::dual;
use crate::helpers::*;

fn today() -> chrono::NaiveDate {
    thncd::time::today_vn()
}

fn days_ago(n: i64) -> String {
    (today() - chrono::Duration::days(n)).to_string()
}

fn person(name: &str, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "unit": unit})
}

async fn post_ok(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    let resp = app.post(path, token, body).await;
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A person registered on a past day and received the next day; returns the id.
async fn registered(app: &TestApp, police: &str, name: &str, unit: &str, registered_ago: i64) -> String {
    let mut body = person(name, unit);
    body["registered_on"] = json!(days_ago(registered_ago));
    let p = post_ok(app, "/api/v1/persons", police, &body).await;
    let id = p["id"].as_str().unwrap().to_string();
    post_ok(
        app,
        &format!("/api/v1/persons/{id}/reception"),
        police,
        &json!({"received_on": days_ago(registered_ago - 1), "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true}),
    )
    .await;
    id
}

async fn backdated_registration(app: TestApp) {
    let (_, police) = app.account("ca.hoankiem", &["police"], "00070").await;
    // A reception of 2020 is recorded on a person registered in 2020.
    let mut body = person("Nguyễn Văn Cũ", "00070");
    body["registered_on"] = json!("2020-03-01");
    let p = post_ok(&app, "/api/v1/persons", &police, &body).await;
    assert_eq!(p["status"], "expected");
    assert_eq!(p["status_since"], "2020-03-01");
    let id = p["id"].as_str().unwrap();
    let history = json(app.get(&format!("/api/v1/persons/{id}/status-history"), &police).await).await;
    assert_eq!(history[0]["to_status"], "expected", "{history}");
    assert_eq!(history[0]["occurred_on"], "2020-03-01", "{history}");
    // A reception before the registration is refused; on or after it, accepted.
    let reception = |on: &str| {
        json!({"received_on": on, "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true})
    };
    let resp = app.post(&format!("/api/v1/persons/{id}/reception"), &police, &reception("2020-02-28")).await;
    assert_eq!(resp.status(), 422);
    let resp = app.post(&format!("/api/v1/persons/{id}/reception"), &police, &reception("2020-03-05")).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // Without the field: today, as before.
    let p = post_ok(&app, "/api/v1/persons", &police, &person("Trần Văn Mới", "00070")).await;
    assert_eq!(p["status_since"], today().to_string());

    // In the future: a 422 on that field.
    let mut body = person("Lê Văn Sau", "00070");
    body["registered_on"] = json!((today() + chrono::Duration::days(1)).to_string());
    let problem = assert_problem(app.post("/api/v1/persons", &police, &body).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "registered_on", "{problem}");
}

dual!(backdated_registration);

async fn dated_loan_steps(app: TestApp) {
    let (_, police) = app.account("ca.loan", &["police"], "00070").await;
    let (_, committee) = app.account("ub.loan", &["commune_committee"], "00070").await;
    let (_, bank) = app.account("nhcs.hn", &["bank"], "01").await;
    let apply = |applied_ago: i64| {
        json!({"borrower_kind": "establishment", "unit": "00070", "establishment_name": "HTX Đồng Tâm",
               "establishment_registration": "0101234567", "workforce": 10, "qualifying_employees": 5, "plan_certified": true,
               "purpose": "production_business", "amount_vnd": 50_000_000, "term_months": 36,
               "application_date": days_ago(applied_ago)})
    };
    let loan = post_ok(&app, "/api/v1/loans", &police, &apply(200)).await;
    let id = loan["id"].as_str().unwrap().to_string();
    let step = |what: &str| format!("/api/v1/loans/{id}/{what}");

    // Before the application, or in the future: 422 on `on`.
    let early = app.post(&step("submit"), &police, &json!({"on": days_ago(201)})).await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "on");
    let future = app.post(&step("submit"), &police, &json!({"on": days_ago(-1)})).await;
    assert_eq!(assert_problem(future, 422, "validation_failed").await["invalid_params"][0]["name"], "on");

    let l = post_ok(&app, &step("submit"), &police, &json!({"on": days_ago(190)})).await;
    assert_eq!(l["submitted_on"], days_ago(190));
    // Certification before the submission is refused.
    let early = app.post(&step("certify"), &committee, &json!({"on": days_ago(191)})).await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "on");
    let l = post_ok(&app, &step("certify"), &committee, &json!({"on": days_ago(180)})).await;
    assert_eq!(l["certified_on"], days_ago(180));
    assert_eq!(l["submitted_on"], days_ago(190));
    // Approval is a later step than the certification.
    let early = app.post(&step("approve"), &bank, &json!({"approved_amount_vnd": 50_000_000, "approved_on": days_ago(185)})).await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "approved_on");
    let l = post_ok(&app, &step("approve"), &bank, &json!({"approved_amount_vnd": 50_000_000, "approved_on": days_ago(170)})).await;
    assert_eq!(l["approved_on"], days_ago(170));
    let l = json(app.get(&format!("/api/v1/loans/{id}"), &police).await).await;
    assert_eq!(l["certified_on"], days_ago(180));

    // A rejection, an overdue mark and a write-off in the future are refused, not moved to today.
    let second = post_ok(&app, "/api/v1/loans", &police, &apply(100)).await;
    let id2 = second["id"].as_str().unwrap().to_string();
    // Old clients: no body at all dates the steps today.
    let resp = app.request(reqwest::Method::POST, &format!("/api/v1/loans/{id2}/submit"), &police).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let l = post_ok(&app, &format!("/api/v1/loans/{id2}/certify"), &committee, &json!({})).await;
    assert_eq!(l["submitted_on"], today().to_string());
    assert_eq!(l["certified_on"], today().to_string());
    let future = app
        .post(&format!("/api/v1/loans/{id2}/reject"), &bank, &json!({"rejected_on": days_ago(-3), "reason": "Không khả thi"}))
        .await;
    assert_eq!(assert_problem(future, 422, "validation_failed").await["invalid_params"][0]["name"], "rejected_on");
    let early = app
        .post(&format!("/api/v1/loans/{id2}/reject"), &bank, &json!({"rejected_on": days_ago(1), "reason": "Không khả thi"}))
        .await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "rejected_on");
}

dual!(dated_loan_steps);
