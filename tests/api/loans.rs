//! Loans: the list, the application, the bank's idempotent postings under concurrency,
//! misuse and recovery, visibility for the bank, and the monthly portfolio.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

fn this_month() -> String {
    thncd::services::loans::month_of(thncd::time::today_vn())
}

struct Actors {
    police: String,
    committee: String,
    bank: String,
}

async fn actors(app: &TestApp) -> Actors {
    let (_, police) = app.account("ca.loan", &["police"], "00070").await;
    let (_, committee) = app.account("ub.loan", &["commune_committee"], "00070").await;
    let (_, bank) = app.account("nhcs.hn", &["bank"], "01").await;
    Actors { police, committee, bank }
}

/// A person released a year ago after a completed sentence, under management.
async fn returnee(app: &TestApp, police: &str, name: &str) -> String {
    let r = app
        .post("/api/v1/release-notices", police, &json!({"person": {"full_name": name, "gender": "male", "unit": "00070"}, "facility": "Trại giam", "notice_date": days_ago(430), "expected_release_date": days_ago(370)}))
        .await;
    let id = json(r).await["person_id"].as_str().unwrap().to_string();
    let conviction = json!({"judgment_number": "12/2020/HS-ST", "court": "TAND", "judgment_date": days_ago(1200), "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
                            "principal": {"kind": "imprisonment", "months": 24}, "release_date": days_ago(365), "release_type": "completed_sentence", "certificate_number": "88/GCN", "certificate_date": days_ago(365)});
    assert_eq!(app.post(&format!("/api/v1/persons/{id}/convictions"), police, &conviction).await.status(), 201);
    receive(app, police, &id, &days_ago(360)).await;
    start_management(app, police, &id, &days_ago(359), "HS").await;
    id
}

/// Lists the person for this month, certifies, sends and acknowledges the list.
async fn certified_list(app: &TestApp, a: &Actors, persons: &[&str]) -> String {
    certified_list_of(app, a, persons, &this_month()).await
}

/// The same for the list of `month`.
async fn certified_list_of(app: &TestApp, a: &Actors, persons: &[&str], month: &str) -> String {
    let entries: Vec<Value> = persons
        .iter()
        .map(|p| json!({"person_id": p, "purpose": "production_business", "amount_wished_vnd": 50_000_000}))
        .collect();
    let r = app
        .post(
            "/api/v1/loan-eligibility-lists",
            &a.police,
            &json!({"unit": "00070", "month": month, "entries": entries}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let list = json(r).await;
    let id = list["id"].as_str().unwrap().to_string();
    assert_problem(
        app.post(&format!("/api/v1/loan-eligibility-lists/{id}/send"), &a.police, &json!({"on": days_ago(0)})).await,
        409,
        "list_state",
    )
    .await;
    certify_and_send(app, &id, &a.committee, &a.police).await;
    let ack = json(
        app.post(&format!("/api/v1/loan-eligibility-lists/{id}/acknowledge"), &a.bank, &json!({"on": days_ago(0)}))
            .await,
    )
    .await;
    assert_eq!(ack["status"], "acknowledged");
    id
}

async fn apply(app: &TestApp, a: &Actors, person: &str, amount: i64) -> reqwest::Response {
    app.post(
        "/api/v1/loans",
        &a.police,
        &json!({"borrower_kind": "person", "person_id": person, "household_rep_name": "Nguyễn Thị Mẹ", "purpose": "production_business",
                "amount_vnd": amount, "term_months": 36, "entrusting_organisation": "womens_union", "savings_group": "Tổ TK&VV thôn 3",
                "application_date": days_ago(0)}),
    )
    .await
}

/// A loan approved for `approved` VND; returns its id.
async fn approved_loan(app: &TestApp, a: &Actors, person: &str, approved: i64) -> String {
    let loan = json(apply(app, a, person, approved).await).await;
    let id = loan["id"].as_str().unwrap().to_string();
    let r = app.post(&format!("/api/v1/loans/{id}/submit"), &a.police, &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(app.post(&format!("/api/v1/loans/{id}/certify"), &a.committee, &json!({})).await.status(), 200);
    let r = app
        .post(
            &format!("/api/v1/loans/{id}/approve"),
            &a.bank,
            &json!({"approved_amount_vnd": approved, "approved_on": days_ago(0)}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    id
}

async fn loan_from_list_to_settled(app: TestApp) {
    let a = actors(&app).await;
    let person = returnee(&app, &a.police, "Vay Vốn Một").await;
    // Not yet on a certified list: not eligible, and the reasons say why.
    let e = json(
        app.get(&format!("/api/v1/persons/{person}/loan-eligibility?purpose=production_business"), &a.police).await,
    )
    .await;
    assert_eq!(e["eligible"], false);
    assert!(e["failures"].as_array().unwrap().iter().any(|f| f["code"] == "not_on_certified_list"), "{e}");
    certified_list(&app, &a, &[&person]).await;
    let e =
        json(app.get(&format!("/api/v1/persons/{person}/loan-eligibility?purpose=production_business"), &a.bank).await)
            .await;
    assert_eq!(e["eligible"], true, "{e}");
    assert_eq!(e["max_amount_vnd"], 100_000_000);

    // Above the cap: refused at submission with the engine's reason.
    let over = json(apply(&app, &a, &person, 100_000_001).await).await;
    let r = app.post(&format!("/api/v1/loans/{}/submit", over["id"].as_str().unwrap()), &a.police, &json!({})).await;
    let body = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "amount_over_cap");

    let id = approved_loan(&app, &a, &person, 60_000_000).await;
    let loan = json(app.get(&format!("/api/v1/loans/{id}"), &a.bank).await).await;
    assert_eq!(loan["rate_bp"], 660);
    assert_eq!(loan["overdue_rate_bp"], 858);
    assert_eq!(loan["status"], "approved");
    // Two tranches, then repayment in full settles it.
    let post = |path: String, key: &str, body: Value| {
        let req = app.request(Method::POST, &path, &a.bank).header("idempotency-key", key.to_string()).json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = post(
        format!("/api/v1/loans/{id}/disbursements"),
        "d1",
        json!({"amount_vnd": 40_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-0001"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r = post(
        format!("/api/v1/loans/{id}/disbursements"),
        "d2",
        json!({"amount_vnd": 30_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-0002"}),
    )
    .await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "amount_vnd");
    let r = post(
        format!("/api/v1/loans/{id}/disbursements"),
        "d3",
        json!({"amount_vnd": 20_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-0001"}),
    )
    .await;
    assert_problem(r, 409, "duplicate_bank_reference").await;
    let r = post(
        format!("/api/v1/loans/{id}/disbursements"),
        "d4",
        json!({"amount_vnd": 20_000_000, "value_date": days_ago(0), "bank_reference": "VBSP-0003"}),
    )
    .await;
    let loan = json(r).await;
    assert_eq!(loan["disbursed_total_vnd"], 60_000_000);
    assert_eq!(loan["status"], "disbursed");
    assert_eq!(
        loan["schedule"].as_array().unwrap().iter().map(|l| l["principal_vnd"].as_i64().unwrap()).sum::<i64>(),
        60_000_000
    );
    let r = post(format!("/api/v1/loans/{id}/repayments"), "r1", json!({"principal_vnd": 10_000_000, "interest_vnd": 300_000, "paid_on": days_ago(0), "bank_reference": "VBSP-R1"})).await;
    assert_eq!(json(r).await["status"], "repaying");
    let r = post(
        format!("/api/v1/loans/{id}/repayments"),
        "r2",
        json!({"principal_vnd": 60_000_000, "interest_vnd": 0, "paid_on": days_ago(0), "bank_reference": "VBSP-R2"}),
    )
    .await;
    assert_problem(r, 422, "validation_failed").await;
    let r = post(format!("/api/v1/loans/{id}/repayments"), "r3", json!({"principal_vnd": 50_000_000, "interest_vnd": 100_000, "paid_on": days_ago(0), "bank_reference": "VBSP-R3"})).await;
    let settled = json(r).await;
    assert_eq!(settled["status"], "settled");
    assert_eq!(settled["principal_outstanding_vnd"], 0);
    // Every step audited.
    let trail =
        json(app.get(&format!("/api/v1/audit-events?entity_id={id}&page_size=100"), &app.admin_token).await).await;
    let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for step in ["loan.create", "loan.submit", "loan.certify", "loan.approve", "loan.disburse", "loan.repay"] {
        assert!(actions.contains(&step), "{step} not in {actions:?}");
    }
    // The portfolio for the month, also as CSV.
    let p = json(app.get(&format!("/api/v1/loans/portfolio?month={}&unit=01", this_month()), &a.bank).await).await;
    assert_eq!(p["listed_eligible"], 1);
    assert_eq!(p["applications"], 2);
    assert_eq!(p["approved"], 1);
    assert_eq!(p["disbursed_loans"], 1);
    assert_eq!(p["disbursed_vnd"], 60_000_000);
    assert_eq!(p["recovered_vnd"], 60_000_000);
    assert_eq!(p["outstanding_vnd"], 0);
    let csv = app.get(&format!("/api/v1/loans/portfolio?month={}&format=csv", this_month()), &a.bank).await;
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("unit,month,listed_eligible"), "{text}");
    assert!(text.contains(",60000000,"), "{text}");
}

async fn rejection_and_misuse(app: TestApp) {
    let a = actors(&app).await;
    let one = returnee(&app, &a.police, "Vay Hai").await;
    let two = returnee(&app, &a.police, "Vay Ba").await;
    certified_list(&app, &a, &[&one, &two]).await;
    let loan = json(apply(&app, &a, &one, 30_000_000).await).await;
    let id = loan["id"].as_str().unwrap();
    app.post(&format!("/api/v1/loans/{id}/submit"), &a.police, &json!({})).await;
    // The bank cannot approve before the commune certifies.
    let body = assert_problem(
        app.post(
            &format!("/api/v1/loans/{id}/approve"),
            &a.bank,
            &json!({"approved_amount_vnd": 1, "approved_on": days_ago(0)}),
        )
        .await,
        409,
        "loan_action_not_allowed",
    )
    .await;
    assert_eq!(body["allowed"], json!(["certify"]));
    app.post(&format!("/api/v1/loans/{id}/certify"), &a.committee, &json!({})).await;
    let r = app
        .post(
            &format!("/api/v1/loans/{id}/reject"),
            &a.bank,
            &json!({"rejected_on": days_ago(0), "reason": "Phương án không khả thi"}),
        )
        .await;
    let rejected = json(r).await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["status_reason"], "Phương án không khả thi");

    let id = approved_loan(&app, &a, &two, 50_000_000).await;
    let r = app
        .post(
            &format!("/api/v1/loans/{id}/disbursements"),
            &a.bank,
            &json!({"amount_vnd": 50_000_000, "value_date": days_ago(0), "bank_reference": "VB-77"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(
            &format!("/api/v1/loans/{id}/use-checks"),
            &a.police,
            &json!({"checked_on": days_ago(0), "result": "misused", "findings": "dùng vốn sai mục đích"}),
        )
        .await;
    assert_eq!(json(r).await["status"], "recovery");
    let r = app
        .post(
            &format!("/api/v1/loans/{id}/repayments"),
            &a.bank,
            &json!({"principal_vnd": 20_000_000, "interest_vnd": 0, "paid_on": days_ago(0), "bank_reference": "VB-78"}),
        )
        .await;
    assert_eq!(json(r).await["status"], "recovery");
    // The bank sees borrowers' identity, never offences or convictions; nor other branches' loans.
    let person = json(app.get(&format!("/api/v1/persons/{two}"), &a.bank).await).await;
    assert!(person.get("offence_group").is_none());
    assert_problem(app.get(&format!("/api/v1/persons/{two}/convictions"), &a.bank).await, 403, "forbidden").await;
    let (_, other_branch) = app.account("nhcs.ld", &["bank"], "68").await;
    assert_problem(app.get(&format!("/api/v1/loans/{id}"), &other_branch).await, 404, "not_found").await;
    assert_problem(
        app.post(
            &format!("/api/v1/loans/{id}/repayments"),
            &other_branch,
            &json!({"principal_vnd": 1, "interest_vnd": 0, "paid_on": days_ago(0), "bank_reference": "X"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let loan = json(app.get(&format!("/api/v1/loans/{id}"), &a.bank).await).await;
    assert!(loan.to_string().find("theft").is_none());
}

async fn concurrent_disbursements(app: TestApp) {
    let a = actors(&app).await;
    let person = returnee(&app, &a.police, "Vay Đồng Thời").await;
    let other = returnee(&app, &a.police, "Vay Song Song").await;
    certified_list(&app, &a, &[&person, &other]).await;

    // 50 concurrent posts with the same key make one disbursement.
    let id = approved_loan(&app, &a, &person, 80_000_000).await;
    let body = json!({"amount_vnd": 10_000_000, "value_date": days_ago(0), "bank_reference": "SAME-KEY-1"});
    let sends = (0..50).map(|_| {
        app.request(Method::POST, &format!("/api/v1/loans/{id}/disbursements"), &a.bank)
            .header("idempotency-key", "retry-me")
            .json(&body)
            .send()
    });
    let results = futures_util::future::join_all(sends).await;
    let mut statuses: Vec<u16> = results.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    statuses.dedup();
    assert_eq!(statuses, vec![201], "every retry answered like the first");
    let loan = json(app.get(&format!("/api/v1/loans/{id}"), &a.bank).await).await;
    assert_eq!(loan["disbursed_total_vnd"], 10_000_000);
    assert_eq!(loan["postings"].as_array().unwrap().len(), 1);

    // Two different keys that together exceed the approved amount: exactly one accepted.
    let id2 = approved_loan(&app, &a, &other, 50_000_000).await;
    let send = |key: &'static str, reference: &'static str| {
        app.request(Method::POST, &format!("/api/v1/loans/{id2}/disbursements"), &a.bank)
            .header("idempotency-key", key)
            .json(&json!({"amount_vnd": 30_000_000, "value_date": days_ago(0), "bank_reference": reference}))
            .send()
    };
    let (x, y) = tokio::join!(send("k-a", "REF-A"), send("k-b", "REF-B"));
    let mut statuses = vec![x.unwrap().status().as_u16(), y.unwrap().status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, vec![201, 422]);
    let loan = json(app.get(&format!("/api/v1/loans/{id2}"), &a.bank).await).await;
    assert_eq!(loan["disbursed_total_vnd"], 30_000_000);
}

/// Two instances on one database, the bank posting disbursements (each post sent once to
/// each instance, as a client retrying through a load balancer would) while officers log
/// activities through both: no duplicate, no lost write, the approved amount never passed.
async fn two_instances_under_disbursement_and_activity_load(app: TestApp) {
    let second = thncd::startup::Application::build(app.settings.clone()).expect("second instance builds");
    let there = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    let a = actors(&app).await;
    let person = returnee(&app, &a.police, "Hai Máy Chủ").await;
    certified_list(&app, &a, &[&person]).await;
    let loan = approved_loan(&app, &a, &person, 50_000_000).await;
    let bases = [app.address.clone(), there.clone()];

    // 60 tranches of 1,000,000 VND against 50,000,000 approved, each key sent to both.
    let disbursements = (0..120).map(|i| {
        let (key, base) = (i / 2, &bases[i % 2]);
        let body = json!({"amount_vnd": 1_000_000, "value_date": days_ago(0), "bank_reference": format!("HAI-{key}")});
        let req = app
            .client
            .post(format!("{base}/api/v1/loans/{loan}/disbursements"))
            .bearer_auth(&a.bank)
            .header("idempotency-key", format!("two-{key}"))
            .json(&body);
        async move {
            let r = req.send().await.unwrap();
            (key, r.status().as_u16(), r.text().await.unwrap())
        }
    });
    // 60 activities, alternating instances, at the same time.
    let activities = (0..60).map(|i| {
        let body = json!({"kind": "home_visit", "occurred_on": days_ago(i % 30), "notes": format!("lần {i}")});
        let req = app
            .client
            .post(format!("{}/api/v1/persons/{person}/activities", bases[i as usize % 2]))
            .bearer_auth(&a.police)
            .json(&body);
        async move { req.send().await.unwrap().status().as_u16() }
    });
    let (posted, logged) = tokio::join!(join_all(disbursements), join_all(activities));

    assert!(logged.iter().all(|s| *s == 201), "every activity accepted: {logged:?}");
    let mut by_key: std::collections::BTreeMap<usize, Vec<(u16, String)>> = Default::default();
    for (key, status, body) in posted {
        by_key.entry(key).or_default().push((status, body));
    }
    let mut accepted = 0;
    for (key, answers) in &by_key {
        let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
        match statuses[..] {
            [201, 201] => {
                assert_eq!(answers[0].1, answers[1].1, "key {key}: the retry got the first answer");
                accepted += 1;
            }
            [422, 422] => {}
            _ => panic!("key {key}: {statuses:?} — a retried post must be answered like the first"),
        }
    }
    assert_eq!(accepted, 50, "exactly the approved amount is disbursed");

    let l = json(app.get(&format!("/api/v1/loans/{loan}"), &a.bank).await).await;
    assert_eq!(l["disbursed_total_vnd"], 50_000_000);
    let refs: std::collections::BTreeSet<&str> = l["postings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "disbursement")
        .map(|p| p["bank_reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs.len(), 50, "one posting per accepted key");

    let page = json(app.get(&format!("/api/v1/persons/{person}/activities?page_size=100"), &a.police).await).await;
    assert_eq!(page["total"], 60, "every acknowledged activity is there once");
    let trail = json(
        app.get("/api/v1/audit-events?action=activity.create&page_size=100&entity_type=activity", &app.admin_token)
            .await,
    )
    .await;
    assert_eq!(trail["total"], 60, "one audit event per activity");
    // Written at once on two instances, days out of order, each visit still links to the
    // one before it: the country counts one person reached, as a distinct count would.
    let (_, national) = app.account("ca.quocgia", &["police"], "VN").await;
    let url = format!("/api/v1/reports/indicators?unit=VN&from={}&to={}", days_ago(29), days_ago(0));
    let vn = json(app.get(&url, &national).await).await;
    let visits = vn["support"]["activities"].as_array().unwrap().iter().find(|k| k["kind"] == "home_visit").unwrap();
    assert_eq!((visits["count"].as_i64(), visits["persons"].as_i64()), (Some(60), Some(1)), "{visits}");
    let trail = json(app.get("/api/v1/audit-events?action=loan.disburse&page_size=100", &app.admin_token).await).await;
    assert_eq!(trail["total"], 50, "one audit event per disbursement");
}

/// A page of loans reads its postings, steps and borrowers for all its loans at once: each
/// loan still gets its own (interest due from its own postings, its own step dates and
/// borrower), exactly as the single-loan view shows them.
async fn a_page_of_loans_keeps_each_loans_postings(app: TestApp) {
    let a = actors(&app).await;
    let names = ["Trang Một", "Trang Hai", "Trang Ba"];
    let mut persons = Vec::new();
    for name in names {
        persons.push(returnee(&app, &a.police, name).await);
    }
    // Applied, certified and approved 40 days ago, so that interest has accrued since.
    let applied = days_ago(40);
    let month = thncd::services::loans::month_of(chrono::NaiveDate::parse_from_str(&applied, "%Y-%m-%d").unwrap());
    let refs: Vec<&str> = persons.iter().map(String::as_str).collect();
    certified_list_of(&app, &a, &refs, &month).await;
    let mut loans = Vec::new();
    for person in &persons {
        let r = app
            .post(
                "/api/v1/loans",
                &a.police,
                &json!({"borrower_kind": "person", "person_id": person, "household_rep_name": "Nguyễn Thị Mẹ",
                        "purpose": "production_business", "amount_vnd": 50_000_000, "term_months": 36,
                        "application_date": applied}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let id = json(r).await["id"].as_str().unwrap().to_string();
        for (step, token) in [("submit", &a.police), ("certify", &a.committee)] {
            let r = app.post(&format!("/api/v1/loans/{id}/{step}"), token, &json!({"on": applied})).await;
            assert_eq!(r.status(), 200, "{step}: {}", r.text().await.unwrap());
        }
        let r = app
            .post(
                &format!("/api/v1/loans/{id}/approve"),
                &a.bank,
                &json!({"approved_amount_vnd": 50_000_000, "approved_on": applied}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        loans.push(id);
    }
    // The first loan gets 10 M, the second 40 M less 5 M repaid, the third nothing.
    let post = |loan: &str, kind: &str, body: Value| {
        let url = format!("/api/v1/loans/{loan}/{kind}");
        let token = a.bank.clone();
        let app = &app;
        async move {
            let r = app.post(&url, &token, &body).await;
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        }
    };
    post(
        &loans[0],
        "disbursements",
        json!({"amount_vnd": 10_000_000, "value_date": days_ago(30), "bank_reference": "PAGE-1"}),
    )
    .await;
    post(
        &loans[1],
        "disbursements",
        json!({"amount_vnd": 40_000_000, "value_date": days_ago(30), "bank_reference": "PAGE-2"}),
    )
    .await;
    post(
        &loans[1],
        "repayments",
        json!({"principal_vnd": 5_000_000, "interest_vnd": 0, "paid_on": days_ago(10), "bank_reference": "PAGE-3"}),
    )
    .await;

    let page = json(app.get("/api/v1/loans?page_size=10", &a.bank).await).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{page}");
    let mut interest = Vec::new();
    for (id, name) in loans.iter().zip(names) {
        let listed = items.iter().find(|l| l["id"] == id.as_str()).unwrap();
        let one = json(app.get(&format!("/api/v1/loans/{id}"), &a.bank).await).await;
        for field in ["interest_due_vnd", "submitted_on", "certified_on", "borrower_name", "principal_outstanding_vnd"]
        {
            assert_eq!(listed[field], one[field], "{field} of {name}");
        }
        assert_eq!(listed["borrower_name"], name);
        assert_eq!(listed["submitted_on"], applied.as_str());
        assert!(listed["postings"].is_null(), "a page leaves the postings out");
        interest.push(listed["interest_due_vnd"].as_i64().unwrap());
    }
    let one = |i: usize| {
        let url = format!("/api/v1/loans/{}", loans[i]);
        let app = &app;
        let token = a.bank.clone();
        async move { json(app.get(&url, &token).await).await }
    };
    let refs_of = |loan: &Value| -> Vec<String> {
        loan["postings"].as_array().unwrap().iter().map(|p| p["bank_reference"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(refs_of(&one(0).await), ["PAGE-1"]);
    assert_eq!(refs_of(&one(1).await), ["PAGE-2", "PAGE-3"]);
    assert!(refs_of(&one(2).await).is_empty());
    assert!(interest[0] > 0 && interest[1] > interest[0] && interest[2] == 0, "{interest:?}");
}

dual!(
    a_page_of_loans_keeps_each_loans_postings,
    loan_from_list_to_settled,
    rejection_and_misuse,
    concurrent_disbursements,
    two_instances_under_disbursement_and_activity_load
);
