//! Issue 22: entering the past (backdated registration, records entered after the exit,
//! dated loan steps, imports that answer ids and carry later history, outreach above the
//! commune) and as-of dates on the state summaries.

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

/// A person registered on a past day and received the next day; returns the id.
async fn registered(app: &TestApp, police: &str, name: &str, unit: &str, registered_ago: i64) -> String {
    let mut body = person(name, unit);
    body["registered_on"] = json!(days_ago(registered_ago));
    let p = post_ok(app, "/api/v1/persons", police, &body).await;
    let id = p["id"].as_str().unwrap().to_string();
    receive(app, police, &id, &days_ago(registered_ago - 1)).await;
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
    let reception =
        |on: &str| json!({"received_on": on, "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true});
    let resp = app.post(&format!("/api/v1/persons/{id}/reception"), &police, &reception("2020-02-28")).await;
    assert_eq!(resp.status(), 422);
    let resp = app.post(&format!("/api/v1/persons/{id}/reception"), &police, &reception("2020-03-05")).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // A release notice is registered on its notice date: the field has no place there.
    let mut body = person("Phạm Văn Báo", "00070");
    body["registered_on"] = json!("2020-03-01");
    let notice = json!({"person": body, "facility": "Trại giam Nam Hà", "notice_date": days_ago(40), "expected_release_date": days_ago(20)});
    let problem =
        assert_problem(app.post("/api/v1/release-notices", &police, &notice).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "person.registered_on", "{problem}");

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
    let early = app
        .post(&step("approve"), &bank, &json!({"approved_amount_vnd": 50_000_000, "approved_on": days_ago(185)}))
        .await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "approved_on");
    let l = post_ok(
        &app,
        &step("approve"),
        &bank,
        &json!({"approved_amount_vnd": 50_000_000, "approved_on": days_ago(170)}),
    )
    .await;
    assert_eq!(l["approved_on"], days_ago(170));
    let l = json(app.get(&format!("/api/v1/loans/{id}"), &police).await).await;
    assert_eq!(l["certified_on"], days_ago(180));

    // A rejection, an overdue mark and a write-off in the future are refused, not moved to today.
    let second = post_ok(&app, "/api/v1/loans", &police, &apply(100)).await;
    let id2 = second["id"].as_str().unwrap().to_string();
    // Old clients: no body at all dates the steps today.
    let resp =
        app.request(reqwest::Method::POST, &format!("/api/v1/loans/{id2}/submit"), &police).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let l = post_ok(&app, &format!("/api/v1/loans/{id2}/certify"), &committee, &Value::Null).await;
    assert_eq!(l["submitted_on"], today().to_string());
    assert_eq!(l["certified_on"], today().to_string());
    let future = app
        .post(
            &format!("/api/v1/loans/{id2}/reject"),
            &bank,
            &json!({"rejected_on": days_ago(-3), "reason": "Không khả thi"}),
        )
        .await;
    assert_eq!(assert_problem(future, 422, "validation_failed").await["invalid_params"][0]["name"], "rejected_on");
    let early = app
        .post(
            &format!("/api/v1/loans/{id2}/reject"),
            &bank,
            &json!({"rejected_on": days_ago(1), "reason": "Không khả thi"}),
        )
        .await;
    assert_eq!(assert_problem(early, 422, "validation_failed").await["invalid_params"][0]["name"], "rejected_on");
}

dual!(dated_loan_steps);

async fn as_of_summaries(app: TestApp) {
    let (_, police) = app.account("ca.asof", &["police"], "00070").await;
    let (_, labour) = app.account("ld.asof", &["labour"], "01").await;
    let (_, bank) = app.account("nhcs.asof", &["bank"], "01").await;
    let a = registered(&app, &police, "Người Mô Hình", "00070", 300).await;

    // A model founded 90 days ago, launched 60 days ago; the person joined 55 days ago.
    let mid = launched_model(&app, &police, "00070").await;
    post_ok(
        &app,
        &format!("/api/v1/models/{mid}/participants"),
        &police,
        &json!({"role": "participant", "person_id": a, "joined_on": days_ago(55)}),
    )
    .await;
    let summary = |on: i64| {
        let path = format!("/api/v1/models-summary?unit=00070&on={}", days_ago(on));
        let app = &app;
        let police = police.clone();
        async move {
            let resp = app.get(&path, &police).await;
            assert_eq!(resp.status(), 200, "{path}");
            let s = json(resp).await;
            let t = s["by_type"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["model_type"] == "self_management_group")
                .unwrap()
                .clone();
            (t["models"].as_i64().unwrap(), t["active"].as_i64().unwrap(), t["participants"].as_i64().unwrap(), s)
        }
    };
    let (models, active, participants, _) = summary(100).await;
    assert_eq!((models, active, participants), (0, 0, 0));
    let (models, active, participants, _) = summary(65).await;
    assert_eq!((models, active, participants), (1, 0, 0));
    let (models, active, participants, s) = summary(50).await;
    assert_eq!((models, active, participants), (1, 1, 1));
    assert_eq!(s["communes_with_managed_persons"], 1);
    assert_eq!(s["communes_with_active_model"], 1);
    let future = app.get(&format!("/api/v1/models-summary?on={}", days_ago(-1)), &police).await;
    assert_eq!(assert_problem(future, 422, "validation_failed").await["invalid_params"][0]["name"], "on");

    // The plan: support required 20 days ago, in progress 5 days ago.
    let put = |etag: &str, status: &str, ago: i64| {
        app.request(reqwest::Method::PUT, &format!("/api/v1/persons/{a}/plan/employment"), &labour)
            .header("if-match", etag.to_string())
            .json(&json!({"status": status, "responsible_agency": "labour", "updated_on": days_ago(ago)}))
            .send()
    };
    assert_eq!(put("\"v0\"", "support_required", 20).await.unwrap().status(), 200);
    assert_eq!(put("\"v1\"", "in_progress", 5).await.unwrap().status(), 200);
    let employment = |s: Value| s.as_array().unwrap().iter().find(|r| r["area"] == "employment").unwrap().clone();
    let now = employment(json(app.get("/api/v1/plan-summary?unit=00070", &labour).await).await);
    assert_eq!((now["in_progress"].as_i64(), now["support_required"].as_i64()), (Some(1), Some(0)));
    let then =
        employment(json(app.get(&format!("/api/v1/plan-summary?unit=00070&on={}", days_ago(10)), &labour).await).await);
    assert_eq!((then["in_progress"].as_i64(), then["support_required"].as_i64()), (Some(0), Some(1)));
    let before = employment(json(app.get(&format!("/api/v1/plan-summary?on={}", days_ago(30)), &labour).await).await);
    assert_eq!((before["in_progress"].as_i64(), before["support_required"].as_i64()), (Some(0), Some(0)));

    // The portfolio over a period: applications of the period only.
    let apply = |ago: i64| {
        json!({"borrower_kind": "establishment", "unit": "00070", "establishment_name": "HTX Đồng Tâm",
               "establishment_registration": "0101234567", "workforce": 10, "qualifying_employees": 5, "plan_certified": true,
               "purpose": "production_business", "amount_vnd": 50_000_000, "term_months": 36, "application_date": days_ago(ago)})
    };
    for ago in [400, 200, 100] {
        post_ok(&app, "/api/v1/loans", &police, &apply(ago)).await;
    }
    let period = json(
        app.get(&format!("/api/v1/loans/portfolio?unit=00070&from={}&to={}", days_ago(250), days_ago(50)), &bank).await,
    )
    .await;
    assert_eq!(period["applications"], 2, "{period}");
    assert_eq!(period["from"], days_ago(250));
    assert_eq!(period["to"], days_ago(50));
    let all = json(
        app.get(&format!("/api/v1/loans/portfolio?unit=00070&from={}&to={}", days_ago(500), days_ago(0)), &bank).await,
    )
    .await;
    assert_eq!(all["applications"], 3, "{all}");
    let month = thncd::services::loans::month_of(today() - chrono::Duration::days(100));
    let one = json(app.get(&format!("/api/v1/loans/portfolio?unit=00070&month={month}"), &bank).await).await;
    assert_eq!(one["month"], month);
    assert!(one["applications"].as_i64().unwrap() >= 1, "{one}");
    let backwards = app.get(&format!("/api/v1/loans/portfolio?from={}&to={}", days_ago(1), days_ago(2)), &bank).await;
    assert_problem(backwards, 422, "validation_failed").await;
    let both =
        app.get(&format!("/api/v1/loans/portfolio?month={month}&from={}&to={}", days_ago(2), days_ago(1)), &bank).await;
    assert_problem(both, 422, "validation_failed").await;
}

dual!(as_of_summaries);

async fn records_entered_after_the_exit(app: TestApp) {
    let (_, police) = app.account("ca.sau", &["police"], "00070").await;
    let (_, labour) = app.account("ld.sau", &["labour"], "00070").await;
    let visit = |ago: i64| json!({"kind": "home_visit", "occurred_on": days_ago(ago)});

    // Deceased 100 days ago, after 200 days under management.
    let dead = registered(&app, &police, "Người Đã Mất", "00070", 300).await;
    post_ok(&app, &format!("/api/v1/persons/{dead}/decease"), &police, &json!({"occurred_on": days_ago(100)})).await;
    let created = post_ok(&app, &format!("/api/v1/persons/{dead}/activities"), &police, &visit(150)).await;
    let activity = &created.as_array().cloned().unwrap_or_else(|| vec![created.clone()])[0];
    assert_eq!(activity["occurred_on"], days_ago(150), "{created}");
    // After the death, or before the reception: outside every managed span.
    assert_problem(
        app.post(&format!("/api/v1/persons/{dead}/activities"), &police, &visit(50)).await,
        409,
        "person_not_managed",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/persons/{dead}/activities"), &police, &visit(310)).await,
        409,
        "person_not_managed",
    )
    .await;
    // Corrections follow the same rule.
    let aid = activity["id"].as_str().unwrap().to_string();
    let version = activity["version"].as_i64().unwrap_or(1);
    let correct = |ago: i64, version: i64| {
        app.request(reqwest::Method::PATCH, &format!("/api/v1/persons/{dead}/activities/{aid}"), &police)
            .header("if-match", format!("\"v{version}\""))
            .json(&json!({"occurred_on": days_ago(ago), "reason": "sửa ngày theo sổ"}))
            .send()
    };
    assert_problem(correct(40, version).await.unwrap(), 409, "person_not_managed").await;
    let resp = correct(140, version).await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    // Labour records too.
    let training =
        |ago: i64| json!({"course": "Sửa chữa xe máy", "level": "under_3_months", "start_date": days_ago(ago)});
    let resp = app.post(&format!("/api/v1/persons/{dead}/trainings"), &labour, &training(160)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_problem(
        app.post(&format!("/api/v1/persons/{dead}/trainings"), &labour, &training(20)).await,
        409,
        "person_not_managed",
    )
    .await;
    let assistance =
        |ago: i64| json!({"kind": "monthly_allowance", "amount_vnd": 500000, "period_from": days_ago(ago)});
    assert_eq!(
        app.post(&format!("/api/v1/persons/{dead}/social-assistance"), &labour, &assistance(120)).await.status(),
        201
    );
    assert_problem(
        app.post(&format!("/api/v1/persons/{dead}/social-assistance"), &labour, &assistance(90)).await,
        409,
        "person_not_managed",
    )
    .await;
    let referral =
        |ago: i64| json!({"employer_name": "Công ty May 10", "referred_on": days_ago(ago), "job": "công nhân"});
    assert_eq!(app.post(&format!("/api/v1/persons/{dead}/job-referrals"), &labour, &referral(130)).await.status(), 201);
    assert_problem(
        app.post(&format!("/api/v1/persons/{dead}/job-referrals"), &labour, &referral(10)).await,
        409,
        "person_not_managed",
    )
    .await;

    // The audit marks such writes as entered after the fact.
    let trail =
        json(app.get(&format!("/api/v1/audit-events?action=activity.create&entity_id={aid}"), &app.admin_token).await)
            .await;
    assert_eq!(trail["items"][0]["after"]["entered_after_the_fact"], true, "{trail}");

    // Moved to another commune 80 days ago: the first commune still records its own time.
    let moved = registered(&app, &police, "Người Chuyển Đi", "00070", 300).await;
    post_ok(
        &app,
        &format!("/api/v1/persons/{moved}/transfer"),
        &police,
        &json!({"to_unit": "00073", "moved_on": days_ago(80)}),
    )
    .await;
    let created = post_ok(&app, &format!("/api/v1/persons/{moved}/activities"), &police, &visit(120)).await;
    let activity = &created.as_array().cloned().unwrap_or_else(|| vec![created.clone()])[0];
    assert_eq!(activity["occurred_on"], days_ago(120));
    assert_problem(
        app.post(&format!("/api/v1/persons/{moved}/activities"), &police, &visit(30)).await,
        409,
        "person_not_managed",
    )
    .await;
    // A person never managed here stays invisible.
    let (_, elsewhere) = app.account("ca.khac", &["police"], "00073").await;
    let stranger = registered(&app, &elsewhere, "Người Xã Khác", "00073", 200).await;
    assert_problem(
        app.post(&format!("/api/v1/persons/{stranger}/activities"), &police, &visit(100)).await,
        404,
        "not_found",
    )
    .await;
}

dual!(records_entered_after_the_exit);

async fn outreach_above_the_commune(app: TestApp) {
    let (_, commune) = app.account("ca.tt", &["police"], "00070").await;
    let (_, province) = app.account("pc10.tt", &["police"], "01").await;
    let (_, national) = app.account("c06.tt", &["police"], "VN").await;
    let event = |unit: &str, kind: &str, audience: i64| {
        json!({"unit": unit, "held_on": days_ago(10), "kind": kind, "topic": "Phổ biến Quyết định 22/2023",
               "audience_count": audience, "quantity": 1})
    };
    post_ok(&app, "/api/v1/outreach-events", &commune, &event("00070", "meeting", 40)).await;
    // Provincial television on the province, a national campaign on VN.
    let tv = post_ok(&app, "/api/v1/outreach-events", &province, &event("01", "broadcast_news", 5000)).await;
    assert_eq!(tv["unit"], "01");
    post_ok(&app, "/api/v1/outreach-events", &national, &event("VN", "broadcast_news", 90000)).await;
    // A commune cannot book on its province, nor a province on VN.
    assert_problem(
        app.post("/api/v1/outreach-events", &commune, &event("01", "broadcast_news", 1)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.post("/api/v1/outreach-events", &province, &event("VN", "broadcast_news", 1)).await,
        422,
        "validation_failed",
    )
    .await;

    let period = format!("from={}&to={}", days_ago(30), days_ago(0));
    let org = |unit: &'static str, token: String| {
        let url = format!("/api/v1/reports/indicators?unit={unit}&{period}");
        let app = &app;
        async move {
            let resp = app.get(&url, &token).await;
            assert_eq!(resp.status(), 200, "{url}");
            json(resp).await["organisation"].clone()
        }
    };
    let c = org("00070", commune.clone()).await;
    assert_eq!((c["outreach_events"].as_i64(), c["outreach_audience"].as_i64()), (Some(1), Some(40)), "{c}");
    let p = org("01", province.clone()).await;
    assert_eq!((p["outreach_events"].as_i64(), p["outreach_audience"].as_i64()), (Some(2), Some(5040)), "{p}");
    let other = org("79", national.clone()).await;
    assert_eq!(other["outreach_events"], 0, "{other}");
    let vn = org("VN", national.clone()).await;
    assert_eq!((vn["outreach_events"].as_i64(), vn["outreach_audience"].as_i64()), (Some(3), Some(95040)), "{vn}");
    // No commune "holds" the provincial or national broadcast.
    let summary = json(app.get(&format!("/api/v1/outreach-summary?{period}"), &province).await).await;
    assert_eq!(summary["communes_holding_outreach"], 1, "{summary}");
    let listed = json(app.get("/api/v1/outreach-events", &commune).await).await;
    assert_eq!(listed["total"], 1, "{listed}");
}

dual!(outreach_above_the_commune);

async fn imports_answer_ids_and_carry_history(app: TestApp) {
    let (_, police) = app.account("ca.nhap", &["police"], "00070").await;
    let (_, province) = app.account("pc10.nhap", &["police"], "01").await;
    let post = |body: String, query: &'static str| {
        app.request(reqwest::Method::POST, &format!("/api/v1/imports{query}"), &police)
            .header("content-type", "text/csv; charset=utf-8")
            .body(body)
            .send()
    };
    let header = "full_name,gender,unit,received_on,management_started_on,moved_to,moved_on,exit_status,exit_on\r\n";
    // Refused: an unknown exit, an exit before the management it ends, a move without its day.
    let bad = format!(
        "{header}Sai Một,Nam,00070,01/03/2020,05/03/2020,,,biến mất,01/01/2022\r\n\
         Sai Hai,Nam,00070,01/03/2020,05/03/2020,,,deceased,01/01/2019\r\n\
         Sai Ba,Nam,00070,01/03/2020,05/03/2020,00073,,,\r\n"
    );
    let report = json(post(bad, "?dry_run=true").await.unwrap()).await;
    let problems: Vec<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap_or("").to_string()))
        .collect();
    for want in [(2, "exit_status"), (3, "exit_on"), (4, "moved_on")] {
        assert!(problems.contains(&(want.0, want.1.to_string())), "{want:?} missing in {report}");
    }
    assert_eq!(report["created"], json!([]));

    let good = format!(
        "{header}Ở Lại,Nam,00070,01/03/2020,05/03/2020,,,,\r\n\
         Chuyển Đi,Nam,00070,2020-04-01,2020-04-03,00073,2022-06-01,,\r\n\
         Đã Xóa,Nữ,00070,2020-05-01,2020-05-02,,,expunged,2023-05-02\r\n\
         Chuyển Rồi Mất,Nam,00070,2020-05-01,2020-05-02,00073,2021-01-01,deceased,2022-01-01\r\n"
    );
    let resp = post(good, "").await.unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let report = json(resp).await;
    let created = report["created"].as_array().unwrap().clone();
    assert_eq!(created.iter().map(|c| c["row"].as_u64().unwrap()).collect::<Vec<_>>(), vec![2, 3, 4, 5]);
    let id = |row: usize| created[row - 2]["person_id"].as_str().unwrap().to_string();

    let stayed = json(app.get(&format!("/api/v1/persons/{}", id(2)), &police).await).await;
    assert_eq!((stayed["full_name"].as_str(), stayed["status"].as_str()), (Some("Ở Lại"), Some("under_management")));
    let expunged = json(app.get(&format!("/api/v1/persons/{}", id(4)), &police).await).await;
    assert_eq!(
        (expunged["status"].as_str(), expunged["status_since"].as_str()),
        (Some("expunged"), Some("2023-05-02"))
    );

    let moved = json(app.get(&format!("/api/v1/persons/{}", id(3)), &province).await).await;
    assert_eq!((moved["unit"].as_str(), moved["status"].as_str()), (Some("00073"), Some("received")), "{moved}");
    let history = json(app.get(&format!("/api/v1/persons/{}/status-history", id(3)), &province).await).await;
    let steps: Vec<(String, String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["to_status"].as_str().unwrap().into(),
                h["occurred_on"].as_str().unwrap().into(),
                h["unit"].as_str().unwrap().into(),
            )
        })
        .collect();
    let step = |s: &str, d: &str, u: &str| (s.to_string(), d.to_string(), u.to_string());
    assert_eq!(
        steps,
        vec![
            step("expected", "2020-04-01", "00070"),
            step("received", "2020-04-01", "00070"),
            step("under_management", "2020-04-03", "00070"),
            step("moved_out", "2022-06-01", "00070"),
            step("received", "2022-06-01", "00073"),
        ]
    );
    let dead = json(app.get(&format!("/api/v1/persons/{}", id(5)), &province).await).await;
    assert_eq!((dead["unit"].as_str(), dead["status"].as_str()), (Some("00073"), Some("deceased")));

    // The indicators see the moves and exits on their days.
    let year = |y: i32| format!("/api/v1/reports/indicators?unit=00070&from={y}-01-01&to={y}-12-31");
    let exits = |y: i32| {
        let url = year(y);
        let app = &app;
        let police = police.clone();
        async move { json(app.get(&url, &police).await).await["exits"].clone() }
    };
    let (y2021, y2022, y2023) = (exits(2021).await, exits(2022).await, exits(2023).await);
    assert_eq!((y2021["moved_out"].as_i64(), y2021["expunged"].as_i64()), (Some(1), Some(0)), "{y2021}");
    assert_eq!((y2022["moved_out"].as_i64(), y2022["expunged"].as_i64()), (Some(1), Some(0)), "{y2022}");
    assert_eq!((y2023["moved_out"].as_i64(), y2023["expunged"].as_i64()), (Some(0), Some(1)), "{y2023}");
}

dual!(imports_answer_ids_and_carry_history);
