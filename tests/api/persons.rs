//! Persons: registry, lifecycle, convictions, expungement, visibility and search.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

/// A release notice for a new person; returns the person id.
async fn notice(app: &TestApp, token: &str, person: Value) -> String {
    let mut body = notice_body(person, 400, 340);
    body["counselling_sessions"] = json!(3);
    body["travel_allowance_vnd"] = json!(350000);
    notify(app, token, &body).await
}

async fn action(app: &TestApp, token: &str, id: &str, what: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/persons/{id}/{what}"), token, &body).await
}

fn served_conviction(release_days_ago: i64, months: i32) -> Value {
    json!({"judgment_number": "45/2019/HS-ST", "court": "TAND huyện Gia Lâm", "judgment_date": days_ago(release_days_ago + months as i64 * 30 + 30),
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": months},
           "obligations": [{"kind": "court_fees", "amount_vnd": 200000, "paid": true, "paid_on": days_ago(release_days_ago)}],
           "release_date": days_ago(release_days_ago), "release_type": "completed_sentence",
           "certificate_number": "123/GCN", "certificate_date": days_ago(release_days_ago)})
}

async fn from_release_notice_to_expunged(app: TestApp) {
    let (_, police) = app.account("ca.hoankiem", &["police"], "00070").await;
    let (_, justice) = app.account("tp.hanoi", &["justice"], "01").await;
    let id = notice(&app, &police, identity("Nguyễn Văn An", Some("001085012345"), "00070")).await;

    let p = json(app.get(&format!("/api/v1/persons/{id}"), &police).await).await;
    assert_eq!(p["status"], "expected");

    // The address check is due within 3 working days; it was long ago, so it is overdue.
    let overdue = json(app.get("/api/v1/release-notices?verification_overdue=true", &police).await).await;
    assert_eq!(overdue["total"], 1);
    let notice_id = overdue["items"][0]["id"].as_str().unwrap().to_string();
    let resp = app
        .post(
            &format!("/api/v1/release-notices/{notice_id}/verification"),
            &police,
            &json!({"verified_on": days_ago(398), "result": "confirmed"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let overdue = json(app.get("/api/v1/release-notices?verification_overdue=true", &police).await).await;
    assert_eq!(overdue["total"], 0);

    // The judgment (served two years of prison, released 340 days ago).
    let resp = app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &served_conviction(340, 24)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());

    let resp = action(
        &app,
        &police,
        &id,
        "reception",
        json!({"received_on": days_ago(338), "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let resp = action(
        &app,
        &police,
        &id,
        "start-management",
        json!({"started_on": days_ago(337), "management_file_number": "HS-2025-001"}),
    )
    .await;
    let p = json(resp).await;
    assert_eq!(p["status"], "under_management");
    assert_eq!(p["release_type"], "completed_sentence");

    // Imprisonment ≤ 5 years, automatic track: 2 years from release.
    let release = today() - chrono::Duration::days(340);
    let due = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&release) + 2,
        chrono::Datelike::month(&release),
        chrono::Datelike::day(&release).min(28),
    )
    .unwrap();
    let forecast = app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await;
    let etag = forecast.headers()["etag"].to_str().unwrap().to_string();
    let forecast = json(forecast).await;
    assert_eq!(forecast["track"], "automatic");
    assert_eq!(forecast["waiting_period_years"], 2);
    if chrono::Datelike::day(&release) <= 28 {
        assert_eq!(forecast["earliest_date"], due.to_string());
    }
    assert_eq!(forecast["eligible_today"], false);
    // "Who becomes eligible within the next two years?" finds them.
    let soon = json(
        app.get(&format!("/api/v1/persons?expungement_due_before={}", today() + chrono::Duration::days(800)), &police)
            .await,
    )
    .await;
    assert_eq!(soon["total"], 1);

    // Police may not decide; justice needs If-Match. Before the automatic date only a court
    // may expunge (Art. 72: one third of the period, 8 months, has passed).
    let decision = json!({"status": "expunged", "decided_on": today().to_string(), "basis": "Điều 72 BLHS", "judicial_record_number": "LLTP-77",
                          "basis_kind": "court_decision", "decision_number": "3/2025/QĐ-TA"});
    assert_problem(
        app.request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &police)
            .header("if-match", &etag)
            .json(&decision)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &justice)
            .json(&decision)
            .send()
            .await
            .unwrap(),
        428,
        "if_match_required",
    )
    .await;
    let resp = app
        .request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &justice)
        .header("if-match", &etag)
        .json(&decision)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let p = json(app.get(&format!("/api/v1/persons/{id}"), &police).await).await;
    assert_eq!(p["status"], "expunged");
    assert_eq!(p["expungement_status"], "expunged");
    assert_eq!(p["judicial_record_number"], "LLTP-77");

    let history = json(app.get(&format!("/api/v1/persons/{id}/status-history"), &police).await).await;
    let statuses: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["to_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["expected", "received", "under_management", "expunged"]);
    // Expunged is an exit: nothing further but a new cycle.
    let resp = action(&app, &police, &id, "abscond", json!({"occurred_on": today().to_string()})).await;
    let body = assert_problem(resp, 409, "transition_not_allowed").await;
    assert_eq!(body["allowed"], json!(["release_notice"]));
    // Every step was audited.
    let trail =
        json(app.get(&format!("/api/v1/audit-events?entity_id={id}&page_size=100"), &app.admin_token).await).await;
    let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["person.create", "person.reception", "person.start_management", "person.expunge", "person.read"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

async fn every_exit_and_illegal_transitions(app: TestApp) {
    let (_, police) = app.account("ca.cuanam", &["police"], "00073").await;
    let mut ids = Vec::new();
    for (i, name) in ["Trần Văn Bốn", "Lê Thị Năm", "Phạm Văn Sáu", "Hoàng Văn Bảy", "Vũ Văn Tám"].iter().enumerate()
    {
        let id = notice(&app, &police, identity(name, None, "00073")).await;
        // Illegal before reception.
        let body = assert_problem(
            action(
                &app,
                &police,
                &id,
                "start-management",
                json!({"started_on": days_ago(10), "management_file_number": "X"}),
            )
            .await,
            409,
            "transition_not_allowed",
        )
        .await;
        assert_eq!(body["allowed"], json!(["reception", "decease"]));
        assert_eq!(action(&app, &police, &id, "reception", json!({"received_on": days_ago(30 + i as i64), "receiving_officer": "Cán bộ A", "commitment_signed": true})).await.status(), 200);
        assert_eq!(
            action(
                &app,
                &police,
                &id,
                "start-management",
                json!({"started_on": days_ago(29), "management_file_number": format!("HS-{i}")})
            )
            .await
            .status(),
            200
        );
        ids.push(id);
    }
    let d = days_ago(5);
    assert_eq!(
        action(&app, &police, &ids[0], "abscond", json!({"occurred_on": d, "reason": "bỏ đi"})).await.status(),
        200
    );
    assert_eq!(action(&app, &police, &ids[0], "return", json!({"occurred_on": days_ago(2)})).await.status(), 200);
    assert_eq!(action(&app, &police, &ids[1], "law-violation", json!({"occurred_on": d})).await.status(), 200);
    assert_eq!(action(&app, &police, &ids[2], "decease", json!({"occurred_on": d})).await.status(), 200);
    // Reoffending through a new conviction.
    let mut new_crime = served_conviction(0, 12);
    new_crime["judgment_date"] = json!(d);
    new_crime["release_date"] = Value::Null;
    new_crime["release_type"] = Value::Null;
    new_crime["certificate_number"] = Value::Null;
    new_crime["certificate_date"] = Value::Null;
    new_crime["obligations"] = json!([]);
    new_crime["new_offence"] = json!(true);
    let resp = app.post(&format!("/api/v1/persons/{}/convictions", ids[3]), &police, &new_crime).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    // Transfer to a commune in another province: one person, both communes in the history.
    let resp =
        action(&app, &police, &ids[4], "transfer", json!({"to_unit": "24829", "moved_on": d, "reason": "về quê vợ"}))
            .await;
    assert_eq!(resp.status(), 200);

    let (_, province) = app.account("ca.hanoi", &["police"], "01").await;
    let statuses = |p: &Value| p["status"].as_str().unwrap().to_string();
    let expect = ["under_management", "law_violation", "deceased", "reoffended"];
    for (id, status) in ids.iter().zip(expect) {
        assert_eq!(statuses(&json(app.get(&format!("/api/v1/persons/{id}"), &province).await).await), status);
    }
    // The transferred person left Hà Nội's jurisdiction and is now in Lâm Đồng (68).
    assert_problem(app.get(&format!("/api/v1/persons/{}", ids[4]), &province).await, 404, "not_found").await;
    let (_, lam_dong) = app.account("ca.blao", &["police"], "24829").await;
    let moved = json(app.get(&format!("/api/v1/persons/{}", ids[4]), &lam_dong).await).await;
    assert_eq!(moved["status"], "received");
    assert_eq!(moved["unit"], "24829");
    let history = json(app.get(&format!("/api/v1/persons/{}/status-history", ids[4]), &lam_dong).await).await;
    let tail: Vec<(String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .map(|h| (h["to_status"].as_str().unwrap().into(), h["unit"].as_str().unwrap().into()))
        .collect();
    assert_eq!(tail, vec![("received".into(), "24829".into()), ("moved_out".into(), "00073".into())]);

    // Illegal transitions list what is allowed.
    let body = assert_problem(
        action(&app, &police, &ids[2], "return", json!({"occurred_on": d})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(body["allowed"], json!([]));
    let body = assert_problem(
        action(
            &app,
            &police,
            &ids[0],
            "reception",
            json!({"received_on": d, "receiving_officer": "x", "commitment_signed": true}),
        )
        .await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert!(body["allowed"].as_array().unwrap().contains(&json!("abscond")));
    // Incoherent dates.
    let future = (today() + chrono::Duration::days(3)).to_string();
    assert_problem(
        action(&app, &police, &ids[0], "abscond", json!({"occurred_on": future})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        action(&app, &police, &ids[0], "abscond", json!({"occurred_on": days_ago(300)})).await,
        422,
        "validation_failed",
    )
    .await;
}

async fn convictions_must_be_coherent(app: TestApp) {
    let (_, police) = app.account("ca.hk2", &["police"], "00070").await;
    let id = notice(&app, &police, identity("Đỗ Văn Chín", None, "00070")).await;
    let mut bad = served_conviction(100, 24);
    bad["release_date"] = json!("2001-01-01");
    bad["principal"] = json!({"kind": "imprisonment"});
    bad["obligations"] = json!([{"kind": "civil_compensation", "amount_vnd": 5000000, "paid": true}]);
    let body = assert_problem(
        app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let names: Vec<&str> =
        body["invalid_params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for n in ["principal.months", "release_date", "obligations[0].paid_on"] {
        assert!(names.contains(&n), "{n} not in {names:?}");
    }
    let mut parole = served_conviction(20, 36);
    parole["release_type"] = json!("conditional_early_release");
    let body = assert_problem(
        app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &parole).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["invalid_params"][0]["name"], "probation_end");
    let mut wrong_enum = served_conviction(20, 36);
    wrong_enum["offence_group"] = json!("jaywalking");
    assert_problem(
        app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &wrong_enum).await,
        422,
        "validation_failed",
    )
    .await;

    // A parolee reporting 8 days after release is flagged late.
    parole["probation_end"] = json!((today() + chrono::Duration::days(200)).to_string());
    assert_eq!(app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &parole).await.status(), 201);
    let p = json(
        action(
            &app,
            &police,
            &id,
            "reception",
            json!({"received_on": days_ago(12), "receiving_officer": "A", "commitment_signed": true}),
        )
        .await,
    )
    .await;
    assert_eq!(p["late_reception"], true, "{p}");
    assert_eq!(p["juvenile"], false);
    let resp = action(
        &app,
        &police,
        &id,
        "start-management",
        json!({"started_on": days_ago(11), "management_file_number": "HS-9"}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    // Reception before release is incoherent (another person).
    let other = notice(&app, &police, identity("Bùi Văn Mười", None, "00070")).await;
    assert_eq!(
        app.post(&format!("/api/v1/persons/{other}/convictions"), &police, &served_conviction(20, 12)).await.status(),
        201
    );
    let resp = action(
        &app,
        &police,
        &other,
        "reception",
        json!({"received_on": days_ago(25), "receiving_officer": "A", "commitment_signed": true}),
    )
    .await;
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "received_on");
}

async fn id_numbers_are_unique_and_valid(app: TestApp) {
    let (_, police) = app.account("ca.hk3", &["police"], "00070").await;
    notice(&app, &police, identity("Ngô Văn Một", Some("001085099999"), "00070")).await;
    let resp = app.post("/api/v1/persons", &police, &identity("Ngô Văn Hai", Some("001085099999"), "00070")).await;
    assert_problem(resp, 409, "duplicate_id_number").await;
    // Checksum-like rules: century/sex digit against date of birth and gender.
    let resp = app.post("/api/v1/persons", &police, &identity("Ngô Văn Ba", Some("001185012345"), "00070")).await;
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "id_number");
    let resp = app.post("/api/v1/persons", &police, &identity("Ngô Văn Ba", Some("12345"), "00070")).await;
    assert_problem(resp, 422, "validation_failed").await;
    // Foreign nationals need a country; commune codes must exist and be inside the unit.
    let mut foreigner = identity("John Smith", None, "00070");
    foreigner["nationality"] = json!("foreign");
    assert_eq!(
        assert_problem(app.post("/api/v1/persons", &police, &foreigner).await, 422, "validation_failed").await
            ["invalid_params"][0]["name"],
        "country"
    );
    assert_problem(app.post("/api/v1/persons", &police, &identity("X", None, "00073")).await, 422, "validation_failed")
        .await;
    assert_problem(app.post("/api/v1/persons", &police, &identity("X", None, "99999")).await, 422, "validation_failed")
        .await;
}

async fn jurisdiction_and_field_visibility(app: TestApp) {
    let (_, police) = app.account("ca.hk4", &["police"], "00070").await;
    let (_, other_commune) = app.account("ca.cn4", &["police"], "00073").await;
    let (_, bank) = app.account("nh.hanoi", &["bank"], "01").await;
    let (_, labour) = app.account("ld.hanoi", &["labour"], "01").await;
    let (_, admin_hanoi) = app.account("qt.hanoi", &["admin"], "01").await;
    let (_, committee) = app.account("ub.hk4", &["commune_committee"], "00070").await;
    let id = notice(&app, &police, identity("Đặng Thị Hoa", None, "00070")).await;
    app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &served_conviction(60, 12)).await;
    // Under management (so the labour office reaches the person) and on a loan list sent to
    // the bank (so the bank does).
    for (step, body) in [
        ("reception", json!({"received_on": days_ago(50), "receiving_officer": "A", "commitment_signed": true})),
        ("start-management", json!({"started_on": days_ago(49), "management_file_number": "HS-4"})),
    ] {
        assert_eq!(action(&app, &police, &id, step, body).await.status(), 200, "{step}");
    }
    let month = thncd::services::loans::month_of(thncd::time::today_vn());
    let list = json(
        app.post(
            "/api/v1/loan-eligibility-lists",
            &police,
            &json!({"unit": "00070", "month": month,
                    "entries": [{"person_id": id, "purpose": "production_business", "amount_wished_vnd": 30_000_000}]}),
        )
        .await,
    )
    .await;
    let list = list["id"].as_str().unwrap_or_else(|| panic!("{list}")).to_string();
    certify_and_send(&app, &list, &committee, &police).await;
    let etag = app.get(&format!("/api/v1/persons/{id}"), &police).await.headers()["etag"].to_str().unwrap().to_string();
    let resp = app
        .request(Method::PATCH, &format!("/api/v1/persons/{id}"), &police)
        .header("if-match", &etag)
        .json(&json!({"classification": "b", "needs_focus": true, "employment_status": "unstable", "change_reason": "đánh giá quý"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let history = json(app.get(&format!("/api/v1/persons/{id}/attribute-history"), &police).await).await;
    assert_eq!(history.as_array().unwrap().len(), 3);
    assert_eq!(history[0]["reason"], "đánh giá quý");
    // Stale ETag.
    let resp = app
        .request(Method::PATCH, &format!("/api/v1/persons/{id}"), &police)
        .header("if-match", &etag)
        .json(&json!({"phone": "0900000000"}))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 412, "version_mismatch").await;
    // Classification change without a reason.
    let etag = app.get(&format!("/api/v1/persons/{id}"), &police).await.headers()["etag"].to_str().unwrap().to_string();
    let resp = app
        .request(Method::PATCH, &format!("/api/v1/persons/{id}"), &police)
        .header("if-match", &etag)
        .json(&json!({"classification": "c"}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "change_reason");

    // Another commune: 404, and absent from its lists.
    assert_problem(app.get(&format!("/api/v1/persons/{id}"), &other_commune).await, 404, "not_found").await;
    assert_eq!(json(app.get("/api/v1/persons", &other_commune).await).await["total"], 0);
    // The bank sees identity, residence and release, never offences, classification or status.
    let seen = json(app.get(&format!("/api/v1/persons/{id}"), &bank).await).await;
    assert_eq!(seen["full_name"], "Đặng Thị Hoa");
    assert_eq!(seen["release_type"], "completed_sentence");
    assert_eq!(seen["village"], "Thôn 3");
    for hidden in [
        "offence_group",
        "classification",
        "needs_focus",
        "status",
        "expungement_due_on",
        "employment_status",
        "education",
    ] {
        assert!(seen.get(hidden).is_none(), "bank sees {hidden}: {seen}");
    }
    let listed = json(app.get("/api/v1/persons", &bank).await).await;
    assert!(listed["items"][0].get("offence_group").is_none());
    assert_problem(app.get(&format!("/api/v1/persons/{id}/convictions"), &bank).await, 403, "forbidden").await;
    let body =
        assert_problem(app.get("/api/v1/persons?offence_group=theft", &bank).await, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "offence_group");
    // Labour sees social fields but not convictions.
    let seen = json(app.get(&format!("/api/v1/persons/{id}"), &labour).await).await;
    assert_eq!(seen["employment_status"], "unstable");
    assert!(seen.get("offence_group").is_none() && seen.get("classification").is_none());
    assert_problem(app.get(&format!("/api/v1/persons/{id}/convictions"), &labour).await, 403, "forbidden").await;
    // Admins manage accounts, not persons.
    assert_problem(app.get(&format!("/api/v1/persons/{id}"), &admin_hanoi).await, 403, "forbidden").await;
    // Reading convictions is audited.
    let convictions = json(app.get(&format!("/api/v1/persons/{id}/convictions"), &police).await).await;
    assert_eq!(convictions[0]["principal"]["months"], 12);
    let reads = json(
        app.get(&format!("/api/v1/audit-events?entity_id={id}&action=person.read&page_size=100"), &app.admin_token)
            .await,
    )
    .await;
    let convictions_reads =
        reads["items"].as_array().unwrap().iter().filter(|e| e["after"]["operation"] == "list_convictions").count();
    assert_eq!(convictions_reads, 1, "{reads}");
}

async fn accent_insensitive_search(app: TestApp) {
    let (_, police) = app.account("ca.hk5", &["police"], "00070").await;
    let names = [
        "Nguyễn Văn An",
        "Trần Thị Ánh Tuyết",
        "Đặng Đình Đức",
        "Lê Thị Ngọc Hằng",
        "Phạm Quốc Ưng",
        "Huỳnh Thị Mỹ Ỷ",
        "Võ Văn Ơn",
        "Bùi Thị Ẩn",
    ];
    for (i, n) in names.iter().enumerate() {
        let mut p = identity(n, None, "00070");
        p["gender"] = json!(if i % 2 == 0 { "male" } else { "female" });
        notice(&app, &police, p).await;
    }
    let search = |q: &str| {
        let url = format!("/api/v1/persons?q={}", urlencode(q));
        let police = police.clone();
        let app = &app;
        async move { json(app.get(&url, &police).await).await }
    };
    let cases = [
        ("nguyen van an", "Nguyễn Văn An"),
        ("NGUYEN VAN AN", "Nguyễn Văn An"),
        ("anh tuyet", "Trần Thị Ánh Tuyết"),
        ("dang dinh duc", "Đặng Đình Đức"),
        ("DANG DINH DUC", "Đặng Đình Đức"),
        ("đặng đình", "Đặng Đình Đức"),
        ("ngoc hang", "Lê Thị Ngọc Hằng"),
        ("quoc ung", "Phạm Quốc Ưng"),
        ("my y", "Huỳnh Thị Mỹ Ỷ"),
        ("van on", "Võ Văn Ơn"),
        ("thi an", "Bùi Thị Ẩn"),
    ];
    for (q, expected) in cases {
        let found = search(q).await;
        let hits: Vec<&str> =
            found["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
        assert!(hits.contains(&expected), "q={q} found {hits:?}");
        assert!(hits.len() <= 2, "q={q} found too much: {hits:?}");
    }
    // Sorted by name by default, paged.
    let all = json(app.get("/api/v1/persons?page_size=3&sort=-full_name", &police).await).await;
    assert_eq!(all["total"], 8);
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_problem(app.get("/api/v1/persons?sort=shoe_size", &police).await, 422, "validation_failed").await;
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn reoffender_starts_a_new_cycle(app: TestApp) {
    let (_, police) = app.account("ca.hk6", &["police"], "00070").await;
    let id = notice(&app, &police, identity("Mai Văn Lặp", Some("001085077777"), "00070")).await;
    action(
        &app,
        &police,
        &id,
        "reception",
        json!({"received_on": days_ago(300), "receiving_officer": "A", "commitment_signed": true}),
    )
    .await;
    action(
        &app,
        &police,
        &id,
        "start-management",
        json!({"started_on": days_ago(299), "management_file_number": "HS-1"}),
    )
    .await;
    assert_eq!(action(&app, &police, &id, "law-violation", json!({"occurred_on": days_ago(200)})).await.status(), 200);
    // A new notice with the same ID number links the same person instead of duplicating.
    let resp = app
        .post("/api/v1/release-notices", &police, &json!({"person": identity("Mai Văn Lặp", Some("001085077777"), "00070"), "facility": "Trại giam Ba Sao", "notice_date": days_ago(20), "expected_release_date": days_ago(1)}))
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_eq!(json(resp).await["person_id"], id.as_str());
    let p = json(app.get(&format!("/api/v1/persons/{id}"), &police).await).await;
    assert_eq!(p["status"], "expected");
    assert_eq!(json(app.get("/api/v1/persons?q=001085077777", &police).await).await["total"], 1);
    // Idempotent notice posts from a facility system.
    let body = json!({"person": identity("Cao Văn Lại", None, "00070"), "facility": "Trại giam Ba Sao", "notice_date": days_ago(5), "expected_release_date": days_ago(1)});
    let send = || {
        app.request(Method::POST, "/api/v1/release-notices", &police)
            .header("idempotency-key", "facility-42")
            .json(&body)
            .send()
    };
    let first = json(send().await.unwrap()).await;
    let second = json(send().await.unwrap()).await;
    assert_eq!(first["id"], second["id"]);
    assert_eq!(json(app.get("/api/v1/persons?q=cao%20van%20lai", &police).await).await["total"], 1);
}

dual!(
    from_release_notice_to_expunged,
    every_exit_and_illegal_transitions,
    convictions_must_be_coherent,
    id_numbers_are_unique_and_valid,
    jurisdiction_and_field_visibility,
    accent_insensitive_search,
    reoffender_starts_a_new_cycle,
);
