//! Loans of the Social Policy Bank's other programmes (issue 24, point 4): they skip the
//! Decision 22 list and engine but keep approval, idempotent postings, repayments and the
//! portfolio, and the indicators count them apart from the Decision 22 `loans`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::{days_ago, receive};
use crate::helpers::*;

/// A person released a year ago, under management in commune 00070; on no loan list.
async fn person(app: &TestApp, police: &str, name: &str) -> String {
    let r = app
        .post("/api/v1/release-notices", police, &json!({"person": {"full_name": name, "gender": "female", "unit": "00070"}, "facility": "Trại giam", "notice_date": days_ago(430), "expected_release_date": days_ago(370)}))
        .await;
    let id = json(r).await["person_id"].as_str().unwrap().to_string();
    receive(app, police, &id, &days_ago(360)).await;
    id
}

fn application(person: &str, programme: Option<&str>, name: Option<&str>, amount: i64) -> Value {
    let mut body = json!({"borrower_kind": "person", "person_id": person, "household_rep_name": "Lê Văn Chồng",
        "purpose": "production_business", "amount_vnd": amount, "term_months": 60, "entrusting_organisation": "farmers",
        "application_date": days_ago(3)});
    if let Some(p) = programme {
        body["programme"] = json!(p);
    }
    if let Some(n) = name {
        body["programme_name"] = json!(n);
    }
    body
}

async fn other_programme_loans(app: TestApp) {
    let (_, police) = app.account("ca.ctk", &["police"], "00070").await;
    let (_, committee) = app.account("ub.ctk", &["commune_committee"], "00070").await;
    let (_, bank) = app.account("nhcs.ctk", &["bank"], "01").await;
    let an = person(&app, &police, "Phạm Thị An").await;
    let binh = person(&app, &police, "Vũ Văn Bình").await;

    // The name goes with `other` and only with it.
    let r = app.post("/api/v1/loans", &police, &application(&an, Some("other"), None, 10_000_000)).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "programme_name");
    let r = app.post("/api/v1/loans", &police, &application(&an, Some("poor_households"), Some("X"), 10_000_000)).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "programme_name");
    let r = app.post("/api/v1/loans", &police, &application(&an, Some("decision_23"), None, 10_000_000)).await;
    assert_eq!(r.status(), 422);

    // Decision 22 (the default): no conviction and on no list, so the engine refuses it.
    let d22 = json(app.post("/api/v1/loans", &police, &application(&an, None, None, 50_000_000)).await).await;
    assert_eq!(d22["programme"], "decision_22");
    assert_eq!(d22["programme_name"], Value::Null);
    let r = app.post(&format!("/api/v1/loans/{}/submit", d22["id"].as_str().unwrap()), &police, &json!({})).await;
    let body = assert_problem(r, 422, "validation_failed").await;
    let failed: Vec<&str> =
        body["invalid_params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(failed.contains(&"not_on_certified_list"), "{failed:?}");

    // Poor households: 150,000,000 VND (over the Decision 22 cap), no list: submitted.
    let poor =
        json(app.post("/api/v1/loans", &police, &application(&an, Some("poor_households"), None, 150_000_000)).await)
            .await;
    assert_eq!(poor["programme"], "poor_households");
    let poor_id = poor["id"].as_str().unwrap().to_string();
    let named = json(
        app.post(
            "/api/v1/loans",
            &police,
            &application(&binh, Some("other"), Some("  Cho vay nhà ở xã hội "), 40_000_000),
        )
        .await,
    )
    .await;
    assert_eq!(named["programme"], "other");
    assert_eq!(named["programme_name"], "Cho vay nhà ở xã hội");
    let named_id = named["id"].as_str().unwrap().to_string();

    for (id, amount) in [(&poor_id, 150_000_000), (&named_id, 40_000_000)] {
        let r = app.post(&format!("/api/v1/loans/{id}/submit"), &police, &json!({"on": days_ago(3)})).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let r = app.post(&format!("/api/v1/loans/{id}/certify"), &committee, &json!({"on": days_ago(2)})).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let r = app
            .post(
                &format!("/api/v1/loans/{id}/approve"),
                &bank,
                &json!({"approved_amount_vnd": amount, "approved_on": days_ago(2)}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    // The bank's postings stay idempotent: the same key replays the first answer.
    let post = |path: String, key: &'static str, body: Value| {
        let req = app.request(Method::POST, &path, &bank).header("idempotency-key", key).json(&body);
        async move { req.send().await.unwrap() }
    };
    let tranche = json!({"amount_vnd": 100_000_000, "value_date": days_ago(1), "bank_reference": "VBSP-HN-1"});
    let first = post(format!("/api/v1/loans/{poor_id}/disbursements"), "p1", tranche.clone()).await;
    assert_eq!(first.status(), 201);
    let first = json(first).await;
    let again = post(format!("/api/v1/loans/{poor_id}/disbursements"), "p1", tranche).await;
    assert_eq!(again.status(), 201);
    assert_eq!(json(again).await["disbursed_total_vnd"], first["disbursed_total_vnd"]);
    let r = post(
        format!("/api/v1/loans/{poor_id}/disbursements"),
        "p2",
        json!({"amount_vnd": 50_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-HN-2"}),
    )
    .await;
    assert_eq!(json(r).await["disbursed_total_vnd"], 150_000_000);
    let r = post(
        format!("/api/v1/loans/{named_id}/disbursements"),
        "n1",
        json!({"amount_vnd": 40_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-NO-1"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r = post(
        format!("/api/v1/loans/{named_id}/repayments"),
        "n2",
        json!({"principal_vnd": 5_000_000, "interest_vnd": 10_000, "paid_on": days_ago(0), "bank_reference": "VBSP-NO-R1"}),
    )
    .await;
    let repaid = json(r).await;
    assert_eq!(repaid["status"], "repaying");
    assert_eq!(repaid["principal_outstanding_vnd"], 35_000_000);

    // The bank reads them like any loan, and still nothing of the person's record.
    let seen = json(app.get(&format!("/api/v1/loans/{poor_id}"), &bank).await).await;
    assert_eq!(seen["programme"], "poor_households");
    assert_eq!(app.get(&format!("/api/v1/persons/{an}/convictions"), &bank).await.status(), 403);
    let listed = json(app.get("/api/v1/loans?unit=00070", &bank).await).await;
    assert_eq!(listed["total"], 3);

    // The portfolio keeps every programme: 150,000,000 + 40,000,000 disbursed.
    let portfolio = json(
        app.get(&format!("/api/v1/loans/portfolio?unit=00070&from={}&to={}", days_ago(10), days_ago(0)), &bank).await,
    )
    .await;
    assert_eq!(portfolio["disbursed_loans"], 2);
    assert_eq!(portfolio["disbursed_vnd"], 190_000_000);
    assert_eq!(portfolio["recovered_vnd"], 5_000_000);

    // Indicators: `loans` is Decision 22 alone (one application, nothing disbursed); the
    // others by programme.
    let path = format!("/api/v1/reports/indicators?unit=00070&from={}&to={}", days_ago(10), days_ago(0));
    let ind = json(app.get(&path, &police).await).await;
    assert_eq!(ind["loans"]["applications"], 1);
    assert_eq!(ind["loans"]["disbursed_loans"], 0);
    assert_eq!(ind["loans"]["disbursed_vnd"], 0);
    assert_eq!(ind["loans"]["outstanding_vnd"], 0);
    let by: std::collections::BTreeMap<String, Value> = ind["other_programme_loans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["programme"].as_str().unwrap().to_string(), p.clone()))
        .collect();
    assert_eq!(by.len(), 6, "every programme but decision_22: {by:?}");
    assert!(!by.contains_key("decision_22"));
    assert_eq!(
        by["poor_households"],
        json!({"programme": "poor_households", "loans": 1, "persons": 1, "disbursed_vnd": 150_000_000})
    );
    assert_eq!(by["other"], json!({"programme": "other", "loans": 1, "persons": 1, "disbursed_vnd": 40_000_000}));
    assert_eq!(by["student_loans"]["loans"], 0);
    // Only the last tranche of the poor-households loan lies in a period of today alone.
    let today = format!("/api/v1/reports/indicators?unit=00070&from={0}&to={0}", days_ago(0));
    let ind = json(app.get(&today, &police).await).await;
    let poor_today = ind["other_programme_loans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["programme"] == "poor_households")
        .unwrap()
        .clone();
    assert_eq!(poor_today["disbursed_vnd"], 50_000_000);
    // The CSV carries the Vietnamese line.
    let csv = app.get(&format!("{path}&format=csv"), &police).await;
    let text = csv.text().await.unwrap();
    assert!(text.contains("other_programme_loans.poor_households.disbursed_vnd"), "{text}");
    assert!(text.contains("NHCSXH cho vay hộ nghèo — số tiền giải ngân (đồng),150000000"), "{text}");
}

dual!(other_programme_loans);
