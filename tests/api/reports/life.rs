//! The planned lives and the organisation side, entered through the API.

use super::*;

pub(super) fn conviction(release_type: Option<&str>, release_on: NaiveDate) -> Value {
    let mut c = json!({"judgment_number": "45/2019/HS-ST", "court": "TAND", "judgment_date": (release_on - Duration::days(24 * 30 + 30)).to_string(),
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": 24},
           "release_date": release_on.to_string(), "release_type": release_type,
           "certificate_number": "123/GCN", "certificate_date": release_on.to_string(),
           // Negligent and serious: no criminal record (Art. 69(2)), so the justice office may
           // record the expungement on any of the fixture's dates.
           "crime_category": "serious", "culpability": "negligent"});
    if release_type == Some("conditional_early_release") {
        c["probation_end"] = json!((release_on + Duration::days(200)).to_string());
    }
    c
}

pub(super) async fn patch_person(app: &TestApp, token: &str, id: &str, body: Value) {
    let etag = app.get(&format!("/api/v1/persons/{id}"), token).await.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .request(Method::PATCH, &format!("/api/v1/persons/{id}"), token)
        .header("if-match", etag)
        .json(&body)
        .send()
        .await
        .unwrap();
    ok(r, "patch").await;
}

/// Lives one planned life through the API; returns what was recorded.
pub(super) async fn live(app: &TestApp, t: &Tokens, plan: Plan) -> Person {
    let p = &plan;
    let r = app
        .post(
            "/api/v1/release-notices",
            &t.police,
            &json!({"person": {"full_name": p.name, "gender": p.gender, "date_of_birth": p.dob, "unit": p.unit},
                    "facility": "Trại giam Nam Hà", "notice_date": p.notice_on, "expected_release_date": p.release_on,
                    "counselling_sessions": p.counselling, "travel_allowance_vnd": p.allowance}),
        )
        .await;
    let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
    let mut history: Vec<Change> = vec![(p.notice_on, p.unit, "expected", "")];
    if p.release_type.is_some() {
        ok(
            app.post(
                &format!("/api/v1/persons/{id}/convictions"),
                &t.police,
                &conviction(p.release_type, p.release_on),
            )
            .await,
            "conviction",
        )
        .await;
    }
    let mut late = false;
    if let Some(received) = p.received_on {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/reception"),
                &t.police,
                &json!({"received_on": received, "receiving_officer": "Cán bộ", "commitment_signed": true}),
            )
            .await;
        let body = ok(r, "reception").await;
        late = body["late_reception"].as_bool().unwrap_or(false);
        history.push((received, p.unit, "received", "expected"));
    }
    if let Some(started) = p.started_on {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/start-management"),
                &t.police,
                &json!({"started_on": started, "management_file_number": "HS"}),
            )
            .await;
        ok(r, "start").await;
        history.push((started, p.unit, "under_management", "received"));
    }
    for (on, kind, sub) in &p.activities {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/activities"),
                &t.police,
                &json!({"kind": kind, "legal_sub_kind": sub, "occurred_on": on}),
            )
            .await;
        ok(r, "activity").await;
    }
    if let Some((start, end)) = p.training {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/trainings"),
                &t.labour,
                &json!({"course": "Sửa chữa xe máy", "level": "under_3_months", "start_date": start, "end_date": end}),
            )
            .await;
        ok(r, "training").await;
    }
    if let Some((on, hired)) = p.referral {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/job-referrals"),
                &t.labour,
                &json!({"employer_name": "Công ty May 10", "referred_on": on, "job": "công nhân"}),
            )
            .await;
        let rid = ok(r, "referral").await["id"].as_str().unwrap().to_string();
        if let Some(h) = hired {
            let r = app
                .post(
                    &format!("/api/v1/persons/{id}/job-referrals/{rid}/outcome"),
                    &t.labour,
                    &json!({"outcome": "hired", "outcome_on": h}),
                )
                .await;
            ok(r, "hired").await;
        }
    }
    if let Some((on, amount)) = p.assistance {
        let r = app
            .post(
                &format!("/api/v1/persons/{id}/social-assistance"),
                &t.labour,
                &json!({"kind": "monthly_allowance", "amount_vnd": amount, "period_from": on}),
            )
            .await;
        ok(r, "assistance").await;
    }
    for (on, class, emp, focus) in &p.changes {
        patch_person(
            app,
            &t.police,
            &id,
            json!({"classification": class, "employment_status": emp, "needs_focus": focus, "changed_on": on, "change_reason": "đánh giá"}),
        )
        .await;
    }
    let mut unit: &'static str = p.unit;
    let mut status: &'static str = history.last().unwrap().2;
    for step in &p.steps {
        let on = step.date().to_string();
        let (path, body, to): (String, Value, &'static str) = match step {
            Step::Transfer(_, to_unit) => {
                let r = app
                    .post(
                        &format!("/api/v1/persons/{id}/transfer"),
                        &t.police,
                        &json!({"to_unit": to_unit, "moved_on": on}),
                    )
                    .await;
                ok(r, "transfer").await;
                history.push((step.date(), unit, "moved_out", status));
                unit = to_unit;
                history.push((step.date(), unit, "received", "moved_out"));
                status = "received";
                continue;
            }
            Step::Expunge(_) => {
                expunge(app, &t.justice, &id, &on).await;
                history.push((step.date(), unit, "expunged", status));
                status = "expunged";
                continue;
            }
            Step::Reoffend(_) => {
                let c = json!({"judgment_number": "99/2025/HS-ST", "court": "TAND", "judgment_date": on, "offence_articles": ["173"],
                               "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
                ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &t.police, &c).await, "reoffend").await;
                history.push((step.date(), unit, "reoffended", status));
                status = "reoffended";
                continue;
            }
            Step::Abscond(_) => (format!("/api/v1/persons/{id}/abscond"), json!({"occurred_on": on}), "absconded"),
            Step::Return(_) => (format!("/api/v1/persons/{id}/return"), json!({"occurred_on": on}), "under_management"),
            Step::LawViolation(_) => {
                (format!("/api/v1/persons/{id}/law-violation"), json!({"occurred_on": on}), "law_violation")
            }
            Step::Decease(_) => (format!("/api/v1/persons/{id}/decease"), json!({"occurred_on": on}), "deceased"),
        };
        ok(app.post(&path, &t.police, &body).await, to).await;
        history.push((step.date(), unit, to, status));
        status = to;
    }
    Person { id, plan, history, late }
}

pub(super) fn month(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Builds the organisation side: models, outreach, propagandists, a committee, a group
/// counselling session and loans; records each in the ledger.
pub(super) async fn organise(app: &TestApp, t: &Tokens, persons: &[Person], org: &mut Org) {
    let (_, police_a) = app.account("ca.a", &["police"], A).await;
    let (_, committee_a) = app.account("ub.a", &["commune_committee"], A).await;
    let (_, bank) = app.account("nh.01", &["bank"], "01").await;
    let member = |body: &str, role: &str, name: &str| json!({"body": body, "role": role, "full_name": name, "organisation": "commune_committee", "from_date": d(500)});
    ok(
        app.post(
            "/api/v1/steering-committees",
            &t.police,
            &json!({"unit": A, "name": "Ban Chỉ đạo", "decision_number": "01/QĐ-UBND", "decision_date": d(500),
                    "members": [member("committee", "head", "Chủ tịch"), member("committee", "standing_deputy", "Trưởng CA")]}),
        )
        .await,
        "committee",
    )
    .await;
    org.committees.push((A, d(500)));

    // A self-management group in A (active since launch), a planned one in B, one in X.
    let managed_in = |unit: &str| -> Vec<&Person> {
        persons
            .iter()
            .filter(|p| {
                let last = p.history.last().unwrap();
                last.1 == unit && last.2 == "under_management" && p.history.iter().all(|c| c.1 == unit)
            })
            .collect()
    };
    for (unit, kind, launch) in [
        (A, "self_management_group", Some(460)),
        (B, "youth_volunteer_team", None),
        (X, "employment_support", Some(300)),
    ] {
        let m = ok(
            app.post(
                "/api/v1/models",
                &t.police,
                &json!({"name": format!("Mô hình {unit}"), "model_type": kind, "unit": unit, "founding_decision_number": "05/QĐ", "founding_decision_date": d(520)}),
            )
            .await,
            "model",
        )
        .await;
        let id = m["id"].as_str().unwrap().to_string();
        let mut parts = Vec::new();
        if let Some(l) = launch {
            for (step, n) in [
                ("committee_formed", l + 30),
                ("regulations_issued", l + 20),
                ("first_activities", l + 10),
                ("launched", l),
            ] {
                let r = app
                    .post(
                        &format!("/api/v1/models/{id}/milestones"),
                        &t.police,
                        &json!({"step": step, "achieved_on": d(n)}),
                    )
                    .await;
                ok(r, "milestone").await;
            }
            for (i, p) in managed_in(unit).iter().take(3).enumerate() {
                let joined = d(l - 5);
                let r = app
                    .post(
                        &format!("/api/v1/models/{id}/participants"),
                        &t.police,
                        &json!({"role": "participant", "person_id": p.id, "joined_on": joined}),
                    )
                    .await;
                let pid = ok(r, "participant").await["id"].as_str().unwrap().to_string();
                let left = if i == 0 {
                    let r = app
                        .post(
                            &format!("/api/v1/models/{id}/participants/{pid}/leave"),
                            &t.police,
                            &json!({"left_on": d(200)}),
                        )
                        .await;
                    ok(r, "leave").await;
                    Some(d(200))
                } else {
                    None
                };
                parts.push((joined, left, p.id.clone()));
            }
        }
        org.models.push((unit, kind, launch.map(d), parts));
    }

    for (unit, n, kind, audience, quantity) in [
        (A, 400, "meeting", 50, 1),
        (A, 150, "article", 0, 3),
        (A, 401, "meeting", 30, 1),
        (B, 250, "broadcast_news", 0, 2),
        (X, 200, "leaflet_distribution", 100, 500),
        (A, 10, "meeting", 40, 1),
    ] {
        let r = app
            .post("/api/v1/outreach-events", &t.police, &json!({"unit": unit, "held_on": d(n), "kind": kind, "topic": "Phổ biến pháp luật", "audience_count": audience, "quantity": quantity}))
            .await;
        ok(r, "outreach").await;
        org.outreach.push((unit, d(n), kind, audience, quantity));
    }
    for (unit, n) in [(B, 300), (X, 100)] {
        let r = app
            .post("/api/v1/propagandists", &t.police, &json!({"unit": unit, "full_name": "Tuyên Truyền Viên", "organisation": "youth_union", "from_date": d(n)}))
            .await;
        ok(r, "propagandist").await;
        org.propagandists.push((unit, d(n)));
    }

    // A group counselling session among persons still managed in B.
    let group: Vec<&Person> = managed_in(B).into_iter().take(3).collect();
    if group.len() == 3 {
        let on = group.iter().map(|p| p.history.last().unwrap().0).max().unwrap().max(d(160));
        let ids: Vec<String> = group.iter().map(|p| p.id.clone()).collect();
        let r = app
            .post(
                &format!("/api/v1/persons/{}/activities", ids[0]),
                &t.police,
                &json!({"kind": "counselling_group", "occurred_on": on, "participant_ids": ids[1..]}),
            )
            .await;
        ok(r, "group").await;
        org.group_sessions.push((B, on, ids));
    }

    // Loans in A this month: three listed, two borrow, one repays a little.
    let borrowers: Vec<&Person> = managed_in(A)
        .into_iter()
        .filter(|p| matches!(p.plan.release_type, Some("completed_sentence") | Some("special_amnesty")))
        .take(3)
        .collect();
    assert_eq!(borrowers.len(), 3, "the seed must give three managed borrowers in {A}");
    let entries: Vec<Value> = borrowers
        .iter()
        .map(|p| json!({"person_id": p.id, "purpose": "production_business", "amount_wished_vnd": 50_000_000}))
        .collect();
    let list = ok(
        app.post(
            "/api/v1/loan-eligibility-lists",
            &police_a,
            &json!({"unit": A, "month": month(today()), "entries": entries}),
        )
        .await,
        "list",
    )
    .await;
    let lid = list["id"].as_str().unwrap();
    certify_and_send(app, lid, &committee_a, &police_a).await;
    org.lists.push((A, month(today()), borrowers.iter().map(|p| p.id.clone()).collect()));
    for (i, p) in borrowers.iter().take(2).enumerate() {
        let loan = ok(
            app.post(
                "/api/v1/loans",
                &police_a,
                &json!({"borrower_kind": "person", "person_id": p.id, "household_rep_name": "Mẹ", "purpose": "production_business",
                        "amount_vnd": 50_000_000, "term_months": 36, "entrusting_organisation": "womens_union", "application_date": today()}),
            )
            .await,
            "loan",
        )
        .await;
        let id = loan["id"].as_str().unwrap().to_string();
        ok(app.post(&format!("/api/v1/loans/{id}/submit"), &police_a, &json!({})).await, "submit").await;
        ok(app.post(&format!("/api/v1/loans/{id}/certify"), &committee_a, &json!({})).await, "certify loan").await;
        ok(
            app.post(
                &format!("/api/v1/loans/{id}/approve"),
                &bank,
                &json!({"approved_amount_vnd": 50_000_000, "approved_on": today()}),
            )
            .await,
            "approve",
        )
        .await;
        let amount = if i == 0 { 40_000_000 } else { 30_000_000 };
        let r = app
            .request(Method::POST, &format!("/api/v1/loans/{id}/disbursements"), &bank)
            .header("idempotency-key", format!("d-{id}"))
            .json(&json!({"amount_vnd": amount, "value_date": today(), "bank_reference": format!("VBSP-{i}")}))
            .send()
            .await
            .unwrap();
        ok(r, "disburse").await;
        let mut postings = vec![(today(), "disbursement", amount)];
        if i == 1 {
            let r = app
                .request(Method::POST, &format!("/api/v1/loans/{id}/repayments"), &bank)
                .header("idempotency-key", format!("r-{id}"))
                .json(&json!({"principal_vnd": 5_000_000, "interest_vnd": 100_000, "paid_on": today(), "bank_reference": "VBSP-R"}))
                .send()
                .await
                .unwrap();
            ok(r, "repay").await;
            postings.push((today(), "repayment", 5_000_000));
        }
        org.loans.push((A, p.id.clone(), today(), postings));
    }
}
