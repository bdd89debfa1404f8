//! The figures the planning documents measure (issue #27, points 6–11): received of
//! released, files opened of received, notified two months ahead, borrowers of managed,
//! models by step and communes with an effective model, each computed by hand from a small
//! history, addressable as a target, and shown in the exports. (The pre-release rates are
//! checked with the facility figures in `facility.rs`.)

use calamine::{Data, Reader, Xlsx};

use super::*;

/// A release notice to commune A: (notice day, expected release day) in days ago; the
/// person's id.
async fn notified(app: &TestApp, vn: &str, name: &str, notice: i64, release: i64) -> String {
    let body = json!({"person": {"full_name": name, "gender": "male", "unit": A}, "facility": "Trại giam Nam Hà",
                      "notice_date": d(notice), "expected_release_date": d(release)});
    post_ok(app, "/api/v1/release-notices", vn, &body).await["person_id"].as_str().unwrap().to_string()
}

async fn receive(app: &TestApp, vn: &str, id: &str, on: i64, file_opened_on: Option<i64>) {
    crate::fixtures::receive(app, vn, id, &d(on)).await;
    if let Some(started) = file_opened_on {
        start_management(app, vn, id, &d(started), &format!("HS-{id}")).await;
    }
}

/// A loan of another programme of the bank, disbursed `disbursed` days ago.
async fn disbursed_loan(app: &TestApp, tokens: (&str, &str, &str), person: &str, programme: &str, disbursed: i64) {
    let (police, committee, bank) = tokens;
    let body = json!({"borrower_kind": "person", "person_id": person, "household_rep_name": "Lê Văn Chồng",
        "purpose": "production_business", "amount_vnd": 20_000_000, "term_months": 36, "entrusting_organisation": "farmers",
        "application_date": d(disbursed + 3), "programme": programme});
    let id = post_ok(app, "/api/v1/loans", police, &body).await["id"].as_str().unwrap().to_string();
    ok(app.post(&format!("/api/v1/loans/{id}/submit"), police, &json!({"on": d(disbursed + 3)})).await, "submit").await;
    ok(app.post(&format!("/api/v1/loans/{id}/certify"), committee, &json!({"on": d(disbursed + 2)})).await, "certify")
        .await;
    let approve = json!({"approved_amount_vnd": 20_000_000, "approved_on": d(disbursed + 1)});
    ok(app.post(&format!("/api/v1/loans/{id}/approve"), bank, &approve).await, "approve").await;
    let tranche = json!({"amount_vnd": 20_000_000, "value_date": d(disbursed), "bank_reference": format!("VBSP-{id}")});
    let r = app
        .request(Method::POST, &format!("/api/v1/loans/{id}/disbursements"), bank)
        .header("idempotency-key", format!("k-{id}"))
        .json(&tranche)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// A model in `unit` founded 90 days ago with the steps given (step, days ago), and its
/// reviews (rating, days ago).
async fn model(app: &TestApp, police: &str, unit: &str, steps: &[(&str, i64)], reviews: &[(&str, i64)]) -> String {
    let body = json!({"name": format!("Tổ tự quản {unit}"), "model_type": "self_management_group", "unit": unit,
                      "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": d(90)});
    let id = post_ok(app, "/api/v1/models", police, &body).await["id"].as_str().unwrap().to_string();
    for (step, ago) in steps {
        let body = json!({"step": step, "achieved_on": d(*ago)});
        post_ok(app, &format!("/api/v1/models/{id}/milestones"), police, &body).await;
    }
    for (rating, ago) in reviews {
        let body = json!({"kind": "interim", "period_from": d(80), "period_to": d(*ago), "reviewed_on": d(*ago),
                          "rating": rating, "findings": "duy trì"});
        post_ok(app, &format!("/api/v1/models/{id}/reviews"), police, &body).await;
    }
    id
}

fn rate(v: &Value) -> (i64, i64) {
    (v["numerator"].as_i64().unwrap(), v["denominator"].as_i64().unwrap())
}

async fn figures_the_documents_measure(app: TestApp) {
    let (_, vn) = app.account("ca.docs.vn", &["police"], "VN").await;
    let (_, province) = app.account("ca.docs.01", &["police"], "01").await;
    let (_, police_a) = app.account("ca.docs.a", &["police"], A).await;
    let (_, committee_a) = app.account("ub.docs.a", &["commune_committee"], A).await;
    let (_, bank) = app.account("nh.docs.01", &["bank"], "01").await;
    let (from, to) = (d(200), d(1));

    // Released to A in the period (expected release between d(200) and d(1)):
    // Một: notified 70 days ahead, received, file opened; Hai: notified 20 days ahead,
    // received, no file; Ba: released 60 days ago, never came (counts against); Bốn:
    // released 3 days ago, still within the 5 grace days (not counted yet).
    // Năm: released before the period, managed throughout it.
    let mot = notified(&app, &vn, "Một", 190, 120).await;
    receive(&app, &vn, &mot, 118, Some(115)).await;
    let hai = notified(&app, &vn, "Hai", 150, 130).await;
    receive(&app, &vn, &hai, 128, None).await;
    notified(&app, &vn, "Ba", 100, 60).await;
    notified(&app, &vn, "Bốn", 30, 3).await;
    let nam = notified(&app, &vn, "Năm", 400, 300).await;
    receive(&app, &vn, &nam, 298, Some(295)).await;
    // Borrowers of any programme: Năm (poor households) and Một (job creation).
    let lenders = (police_a.as_str(), committee_a.as_str(), bank.as_str());
    disbursed_loan(&app, lenders, &nam, "poor_households", 10).await;
    disbursed_loan(&app, lenders, &mot, "job_creation", 5).await;
    // Models: A's reached `launched`, its latest review effective (an earlier one partly);
    // B's reached only `committee_formed`, its latest review ineffective; a third, in A,
    // reached no step.
    let steps_a = [("committee_formed", 80), ("regulations_issued", 75), ("first_activities", 70), ("launched", 60)];
    model(&app, &province, A, &steps_a, &[("partly_effective", 20), ("effective", 10)]).await;
    model(&app, &province, B, &[("committee_formed", 50)], &[("effective", 30), ("ineffective", 8)]).await;
    model(&app, &province, A, &[], &[]).await;

    let get = |unit: &str| {
        let request =
            app.request(Method::GET, &format!("/api/v1/reports/indicators?unit={unit}&from={from}&to={to}"), &province);
        async move { request.send().await.unwrap() }
    };
    let a = ok(get(A).await, "A").await;
    let (r, rt) = (&a["received"], &a["rates"]);
    assert_eq!((r["total"].as_i64(), r["transferred_in"].as_i64()), (Some(2), Some(0)), "{r}");
    assert_eq!((r["released"].as_i64(), r["released_received"].as_i64()), (Some(3), Some(2)), "{r}");
    assert_eq!(rate(&rt["received_of_released"]), (2, 3));
    assert_eq!(rt["received_of_released"]["percent"], 66.67);
    assert_eq!(rate(&rt["files_opened_of_received"]), (1, 2));
    assert_eq!(rate(&rt["notified_two_months_ahead"]), (1, 2));
    assert_eq!(a["managed"]["during_period"], 3, "Một, Hai and Năm");
    assert_eq!(a["loans"]["borrowers_all_programmes"], 2);
    assert_eq!(a["loans"]["borrowers"], 0, "no Decision 22 loan");
    assert_eq!(rate(&rt["borrowers_of_managed"]), (2, 3));
    let by_step = |v: &Value| -> BTreeMap<String, i64> {
        v["organisation"]["models_by_step"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k["kind"].as_str().unwrap().to_string(), k["count"].as_i64().unwrap()))
            .collect()
    };
    let steps = |pairs: &[(&str, i64)]| -> BTreeMap<String, i64> {
        ["committee_formed", "regulations_issued", "first_activities", "launched", "maintaining"]
            .iter()
            .map(|s| (s.to_string(), pairs.iter().find(|p| p.0 == *s).map_or(0, |p| p.1)))
            .collect()
    };
    assert_eq!(by_step(&a), steps(&[("launched", 1)]));
    assert_eq!(a["organisation"]["communes_with_effective_model"], 1);
    let hanoi = ok(get("01").await, "01").await;
    assert_eq!(by_step(&hanoi), steps(&[("launched", 1), ("committee_formed", 1)]));
    assert_eq!(hanoi["organisation"]["communes_with_effective_model"], 1, "B's latest review is ineffective");
    assert_eq!(rate(&hanoi["rates"]["received_of_released"]), (2, 3));
    // On d(9) B's latest review was still its effective one (the ineffective one is d(8)).
    let earlier = ok(
        app.get(&format!("/api/v1/reports/indicators?unit=01&from={from}&to={}", d(9)), &province).await,
        "01 earlier",
    )
    .await;
    assert_eq!(earlier["organisation"]["communes_with_effective_model"], 2, "A (d(10)) and B (d(30))");
    let before = ok(
        app.get(&format!("/api/v1/reports/indicators?unit=01&from={from}&to={}", d(12)), &province).await,
        "01 before",
    )
    .await;
    assert_eq!(before["organisation"]["communes_with_effective_model"], 1, "A's latest is partly effective: only B");
    // The old middle rating is gone.
    let mid = model(&app, &province, A, &[], &[]).await;
    let body =
        json!({"kind": "interim", "period_from": d(80), "period_to": d(2), "reviewed_on": d(2), "rating": "average"});
    assert_problem(
        app.post(&format!("/api/v1/models/{mid}/reviews"), &province, &body).await,
        422,
        "validation_failed",
    )
    .await;

    // Each new figure is a target indicator.
    let year = chrono::Datelike::year(&d(1));
    for (indicator, measure, bound, outcome) in [
        ("rates.received_of_released", "rate", json!({"min": 100}), "not_met"),
        ("rates.borrowers_of_managed", "rate", json!({"min": 50}), "met"),
        ("organisation.models_by_step.launched", "count", json!({"min": 1}), "met"),
        ("received.notified_two_months_ahead", "count", json!({"min": 1}), "met"),
        ("pre_release.trained_of_held", "rate", json!({"min": 20}), "no_data"),
    ] {
        let mut body = json!({"year": year, "indicator": indicator, "measure": measure});
        body.as_object_mut().unwrap().extend(bound.as_object().unwrap().clone());
        let r = app.post("/api/v1/targets", &committee_a, &body).await;
        assert_eq!(r.status(), 201, "{indicator}: {}", r.text().await.unwrap());
        let checks = ok(get(A).await, "A targets").await;
        let check = checks["targets"].as_array().unwrap().iter().find(|t| t["indicator"] == indicator).unwrap().clone();
        assert_eq!(check["outcome"], outcome, "{check}");
    }
    let wrong = json!({"year": year, "indicator": "pre_release.trained_of_held", "measure": "count", "min": 1});
    let problem =
        assert_problem(app.post("/api/v1/targets", &committee_a, &wrong).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "measure");

    // The exports show them with Vietnamese labels.
    let path = format!("/api/v1/reports/indicators?unit={A}&from={from}&to={to}");
    let csv = app.get(&format!("{path}&format=csv"), &province).await.text().await.unwrap();
    for line in [
        "rates.received_of_released,rates,Tỷ lệ tiếp nhận trên số chấp hành xong án về địa phương (%),66.67",
        "rates.files_opened_of_received,rates,Tỷ lệ lập hồ sơ quản lý trên số tiếp nhận (%),50.00",
        "rates.notified_two_months_ahead,rates,Tỷ lệ được thông báo trước 02 tháng khi chấp hành xong án (%),50.00",
        "rates.borrowers_of_managed,rates,Tỷ lệ người được vay vốn trên số được quản lý (%),66.67",
        "organisation.models_by_step.launched,organisation,Mô hình đã đạt bước: ra mắt,1",
        "organisation.communes_with_effective_model,organisation,Số xã có mô hình được đánh giá hiệu quả,1",
        "pre_release.trained_of_held,pre_release,Tỷ lệ phạm nhân trong độ tuổi lao động được dạy nghề (%),",
    ] {
        assert!(csv.contains(&format!("{line}\r\n")), "{line} missing from\n{csv}");
    }
    let r = app.get(&format!("{path}&format=xlsx"), &province).await;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("Chỉ tiêu").unwrap();
    let row = |key: &str| -> Vec<Data> {
        sheet.rows().find(|c| c.get(3) == Some(&Data::String(key.into()))).unwrap_or_else(|| panic!("{key}")).to_vec()
    };
    let number = |key: &str| match row(key)[2] {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        ref other => panic!("{key}: {other:?}"),
    };
    assert_eq!(number("rates.received_of_released"), 66.67);
    assert_eq!(number("organisation.communes_with_effective_model"), 1.0);
    let new = json!({"period_kind": "semiannual", "period_from": from, "period_to": to});
    let id = post_ok(&app, "/api/v1/reports", &committee_a, &new).await["id"].as_str().unwrap().to_string();
    let html = app.get(&format!("/api/v1/reports/{id}/export?format=html"), &committee_a).await.text().await.unwrap();
    assert!(
        html.contains(
            "Tỷ lệ tiếp nhận trên số chấp hành xong án về địa phương (%)</td><td class=\"num\">66,67 % (2/3)"
        ),
        "{html}"
    );
    assert!(html.contains("Số xã có mô hình được đánh giá hiệu quả</td><td class=\"num\">1</td>"));
}

dual!(figures_the_documents_measure);
