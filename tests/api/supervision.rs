//! Supervision assignments, the activity log, overdue contacts, the plan and the labour office.

use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

/// A person under management in commune 00070 since `since` days ago.
async fn managed(app: &TestApp, police: &str, name: &str, since: i64) -> String {
    let person = json!({"full_name": name, "gender": "male", "unit": "00070"});
    let id = notify(app, police, &notice_body(person, since + 30, since + 2)).await;
    receive(app, police, &id, &days_ago(since + 1)).await;
    start_management(app, police, &id, &days_ago(since), "HS").await;
    id
}

async fn assignments_and_supervisor_caseload(app: TestApp) {
    let (_, police) = app.account("ca.sup", &["police"], "00070").await;
    let (sup_a, sup_a_token) = app.account("gs.a", &["supervisor"], "00070").await;
    let (sup_b, sup_b_token) = app.account("gs.b", &["supervisor"], "00070").await;
    let one = managed(&app, &police, "Nguyễn Văn Một", 30).await;
    let two = managed(&app, &police, "Trần Văn Hai", 30).await;

    let assign = |person: &str, account: &str, name: &str, from: i64| {
        let path = format!("/api/v1/persons/{person}/assignments");
        let body = json!({"supervisor_kind": "mass_organisation_member", "supervisor_name": name, "organisation": "womens_union",
                    "account_id": account, "decision_number": "12/QĐ-UBND", "decision_date": days_ago(from), "from_date": days_ago(from)});
        let request = app.request(Method::POST, &path, &police).json(&body);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(assign(&one, &sup_a, "Chị A", 20).await.status(), 201);
    assert_eq!(assign(&two, &sup_b, "Chị B", 20).await.status(), 201);

    // A supervisor sees and logs only its own persons; anything else is a 404.
    assert_eq!(app.get(&format!("/api/v1/persons/{one}"), &sup_a_token).await.status(), 200);
    assert_problem(app.get(&format!("/api/v1/persons/{two}"), &sup_a_token).await, 404, "not_found").await;
    let visit = json!({"kind": "home_visit", "occurred_on": days_ago(1), "notes": "ổn định"});
    assert_eq!(app.post(&format!("/api/v1/persons/{one}/activities"), &sup_a_token, &visit).await.status(), 201);
    assert_problem(
        app.post(&format!("/api/v1/persons/{two}/activities"), &sup_a_token, &visit).await,
        404,
        "not_found",
    )
    .await;
    let listed = json(app.get("/api/v1/persons", &sup_a_token).await).await;
    assert_eq!(listed["total"], 1);
    let caseload = json(app.get(&format!("/api/v1/assignments?supervisor={sup_a}&active=true"), &police).await).await;
    assert_eq!(caseload["total"], 1);
    assert_eq!(caseload["items"][0]["person_id"], one.as_str());
    // The supervisor's own view ignores other supervisors' ids.
    let other = json(app.get(&format!("/api/v1/assignments?supervisor={sup_b}"), &sup_a_token).await).await;
    assert_eq!(other["total"], 0);
    // Supervisors cannot assign.
    let assignment = json!({"supervisor_kind": "village_head", "supervisor_name": "x", "from_date": days_ago(1)});
    let r = app.post(&format!("/api/v1/persons/{one}/assignments"), &sup_a_token, &assignment).await;
    assert_problem(r, 403, "forbidden").await;

    // Reassignment ends the old primary in the same transaction; history is kept.
    assert_eq!(assign(&one, &sup_b, "Chị B", 5).await.status(), 201);
    let history = json(app.get(&format!("/api/v1/persons/{one}/assignments"), &police).await).await;
    let h = history.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["active"], false);
    assert_eq!(h[0]["end_reason"], "reassigned");
    assert_eq!(h[0]["to_date"], days_ago(5));
    assert_eq!(h[1]["active"], true);
    assert_problem(app.get(&format!("/api/v1/persons/{one}"), &sup_a_token).await, 404, "not_found").await;
    assert_eq!(app.get(&format!("/api/v1/persons/{one}"), &sup_b_token).await.status(), 200);
    // An assistant (non-primary) does not displace the primary.
    let r = app
        .post(&format!("/api/v1/persons/{one}/assignments"), &police, &json!({"supervisor_kind": "family_member", "supervisor_name": "Mẹ", "primary": false, "from_date": days_ago(2)}))
        .await;
    assert_eq!(r.status(), 201);
    let active = json(app.get(&format!("/api/v1/assignments?person_id={one}&active=true"), &police).await).await;
    assert_eq!(active["total"], 2);
    // Non-supervisor accounts cannot be attached.
    let (police2, _) = app.account("ca.other", &["police"], "00070").await;
    let r = assign(&two, &police2, "x", 1).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "account_id");
    // Expunged, decease etc. end active assignments.
    let r = app.post(&format!("/api/v1/persons/{one}/decease"), &police, &json!({"occurred_on": days_ago(0)})).await;
    assert_eq!(r.status(), 200);
    let active = json(app.get(&format!("/api/v1/assignments?person_id={one}&active=true"), &police).await).await;
    assert_eq!(active["total"], 0);
    // Every write audited.
    let trail =
        json(app.get("/api/v1/audit-events?entity_type=assignment&page_size=100", &app.admin_token).await).await;
    let creates = trail["items"].as_array().unwrap().iter().filter(|e| e["action"] == "assignment.create").count();
    assert_eq!(creates, 4);
}

async fn overdue_contacts_around_the_boundary(app: TestApp) {
    let (_, police) = app.account("ca.od", &["police"], "00070").await;
    let set_group = |id: String, group: &'static str| {
        let app = &app;
        let police = police.clone();
        async move {
            let etag = app.get(&format!("/api/v1/persons/{id}"), &police).await.headers()["etag"]
                .to_str()
                .unwrap()
                .to_string();
            let r = app
                .request(Method::PATCH, &format!("/api/v1/persons/{id}"), &police)
                .header("if-match", etag)
                .json(&json!({"classification": group, "change_reason": "xếp loại"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    // Group D: 7 days. Contact exactly 7 days ago is on time; 8 days ago is overdue.
    let on_time = managed(&app, &police, "Đúng Hạn", 60).await;
    let late = managed(&app, &police, "Quá Hạn", 60).await;
    set_group(on_time.clone(), "d").await;
    set_group(late.clone(), "d").await;
    app.post(
        &format!("/api/v1/persons/{on_time}/activities"),
        &police,
        &json!({"kind": "home_visit", "occurred_on": days_ago(7)}),
    )
    .await;
    app.post(
        &format!("/api/v1/persons/{late}/activities"),
        &police,
        &json!({"kind": "check_in", "occurred_on": days_ago(8)}),
    )
    .await;
    // A commendation is not contact.
    app.post(
        &format!("/api/v1/persons/{late}/activities"),
        &police,
        &json!({"kind": "commendation", "occurred_on": days_ago(1)}),
    )
    .await;
    // Group A, 90 days: managed for 60 days with no contact yet is on time.
    let group_a = managed(&app, &police, "Nhóm A", 60).await;
    set_group(group_a.clone(), "a").await;
    // Unclassified, 30 days: managed 31 days with no contact is overdue.
    let unclassified = managed(&app, &police, "Chưa Xếp", 31).await;

    let overdue = json(app.get("/api/v1/persons?contact_overdue=true", &police).await).await;
    let mut ids: Vec<&str> = overdue["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = vec![late.as_str(), unclassified.as_str()];
    expected.sort();
    assert_eq!(ids, expected, "{overdue}");

    // Deleting the only contact (with a reason) makes the on-time person overdue again.
    let acts = json(app.get(&format!("/api/v1/persons/{on_time}/activities"), &police).await).await;
    let aid = acts["items"][0]["id"].as_str().unwrap();
    let r = app
        .request(Method::DELETE, &format!("/api/v1/persons/{on_time}/activities/{aid}"), &police)
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(r, 400, "invalid_query").await["invalid_params"][0]["name"], "reason");
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/persons/{on_time}/activities/{aid}?reason=ghi%20nh%E1%BA%A7m"),
            &police,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let overdue = json(app.get("/api/v1/persons?contact_overdue=true", &police).await).await;
    assert_eq!(overdue["total"], 3);
    let deleted =
        json(app.get(&format!("/api/v1/persons/{on_time}/activities?include_deleted=true"), &police).await).await;
    assert_eq!(deleted["items"][0]["deleted"], true);
    assert_eq!(deleted["items"][0]["deleted_reason"], "ghi nhầm");
    let trail = json(app.get(&format!("/api/v1/audit-events?entity_id={aid}"), &app.admin_token).await).await;
    assert_eq!(trail["items"][0]["action"], "activity.delete");
}

/// A long history written out of date order, with deletions between the writes: every live
/// activity's previous day of its kind and of its family is what the ordered log says. An
/// insert reads only the rows that can change its links, not the person's whole log, so the
/// late writes, the same-day ties and the deleted rows are where a bound could go wrong.
async fn order_links_of_a_long_history_written_out_of_order(app: TestApp) {
    let (_, police) = app.account("ca.thu-tu", &["police"], "00070").await;
    let person = managed(&app, &police, "Lê Văn Dài", 400).await;
    let kinds: [(&str, Option<&str>); 7] = [
        ("home_visit", None),
        ("check_in", None),
        ("counselling_individual", None),
        ("counselling_group", None),
        ("legal_support", Some("national_id_card")),
        ("legal_support", Some("civil_status")),
        ("legal_support", Some("residence_registration")),
    ];
    let path = format!("/api/v1/persons/{person}/activities");
    let mut rng = StdRng::seed_from_u64(25);
    let (mut day, mut late_writes, mut ids) = (390i64, 0, Vec::new());
    for i in 0..160 {
        let (kind, sub) = kinds[rng.gen_range(0..kinds.len())];
        // Mostly forward, a few days at a time, with same-day ties; one write in four is late.
        let back = if rng.gen_bool(0.25) {
            late_writes += 1;
            rng.gen_range(day..=390)
        } else {
            day = (day - rng.gen_range(0..=4)).max(0);
            day
        };
        let mut body = json!({"kind": kind, "occurred_on": days_ago(back)});
        if let Some(sub) = sub {
            body["legal_sub_kind"] = json!(sub);
        }
        let written = post_ok(&app, &path, &police, &body).await;
        ids.push(written[0]["id"].as_str().unwrap().to_string());
        if i % 12 == 11 {
            let gone = ids.swap_remove(rng.gen_range(0..ids.len()));
            let r =
                app.request(Method::DELETE, &format!("{path}/{gone}?reason=ghi%20nh%E1%BA%A7m"), &police).send().await;
            assert_eq!(r.unwrap().status(), 204);
        }
    }
    assert!(late_writes > 15, "{late_writes} late writes");

    #[derive(diesel::QueryableByName)]
    struct Link {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        sub: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Date)]
        day: chrono::NaiveDate,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
        prev_kind_on: Option<chrono::NaiveDate>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
        prev_family_on: Option<chrono::NaiveDate>,
    }
    let sql = format!(
        "SELECT id, kind, legal_sub_kind AS sub, occurred_on AS day, prev_kind_on, prev_family_on
         FROM activities WHERE person_id = '{person}' AND NOT deleted"
    );
    let mut live: Vec<Link> = diesel::RunQueryDsl::load(diesel::sql_query(sql), &mut *app.conn()).unwrap();
    assert_eq!(live.len(), ids.len());
    live.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    let family = thncd::domain::activity_order::family_of;
    let mut linked = 0;
    for (i, a) in live.iter().enumerate() {
        let earlier = &live[..i];
        let prev_kind = earlier.iter().rev().find(|b| b.kind == a.kind && b.sub == a.sub).map(|b| b.day);
        let prev_family = earlier.iter().rev().find(|b| family(&b.kind) == family(&a.kind)).map(|b| b.day);
        assert_eq!(
            (a.prev_kind_on, a.prev_family_on),
            (prev_kind, prev_family),
            "{} {} {:?} on {}",
            a.id,
            a.kind,
            a.sub,
            a.day
        );
        linked += usize::from(prev_kind.is_some() && prev_kind != prev_family);
    }
    // Not vacuous: links where the kind's previous day differs from the family's.
    assert!(linked > 5, "{linked}");
}

async fn activities_are_corrected_not_rewritten(app: TestApp) {
    let (_, police) = app.account("ca.act", &["police"], "00070").await;
    let (_, labour) = app.account("ld.act", &["labour"], "00070").await;
    let a = managed(&app, &police, "Người A", 40).await;
    let b = managed(&app, &police, "Người B", 40).await;
    let c = managed(&app, &police, "Người C", 40).await;
    // One group session, three persons; a person named twice counts once.
    let r = app
        .post(&format!("/api/v1/persons/{a}/activities"), &police, &json!({"kind": "counselling_group", "occurred_on": days_ago(3), "participant_ids": [b, c, b, a], "place": "Nhà văn hóa"}))
        .await;
    assert_eq!(r.status(), 201);
    let created = json(r).await;
    assert_eq!(created.as_array().unwrap().len(), 3);
    let session = created[0]["group_session_id"].as_str().unwrap().to_string();
    for p in [&a, &b, &c] {
        let acts =
            json(app.get(&format!("/api/v1/persons/{p}/activities?kind=counselling_group"), &police).await).await;
        assert_eq!(acts["total"], 1, "{p}");
        assert_eq!(acts["items"][0]["group_session_id"], session.as_str());
    }
    // Legal support needs its sub-kind.
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/activities"),
            &police,
            &json!({"kind": "legal_support", "occurred_on": days_ago(1)}),
        )
        .await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "legal_sub_kind");
    let r = app
        .post(&format!("/api/v1/persons/{a}/activities"), &police, &json!({"kind": "legal_support", "legal_sub_kind": "national_id_card", "occurred_on": days_ago(1), "notes": "làm CCCD"}))
        .await;
    let legal: Value = json(r).await;
    let lid = legal[0]["id"].as_str().unwrap();
    // Correction needs If-Match and a reason; the old version is kept.
    let path = format!("/api/v1/persons/{a}/activities/{lid}");
    let r = app
        .request(Method::PATCH, &path, &police)
        .header("if-match", "\"v1\"")
        .json(&json!({"notes": "làm CCCD gắn chip", "reason": "bổ sung"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let corrected = json(r).await;
    assert_eq!(corrected["version"], 2);
    assert_eq!(corrected["notes"], "làm CCCD gắn chip");
    let r = app
        .request(Method::PATCH, &path, &police)
        .header("if-match", "\"v1\"")
        .json(&json!({"notes": "x", "reason": "y"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 412, "version_mismatch").await;
    let trail =
        json(app.get(&format!("/api/v1/audit-events?entity_id={lid}&action=activity.correct"), &app.admin_token).await)
            .await;
    assert_eq!(trail["items"][0]["before"]["notes"], "làm CCCD");
    // The labour office cannot write activities, nor read convictions.
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/activities"),
            &labour,
            &json!({"kind": "home_visit", "occurred_on": days_ago(1)}),
        )
        .await;
    assert_problem(r, 403, "forbidden").await;
    assert_problem(app.get(&format!("/api/v1/persons/{a}/convictions"), &labour).await, 403, "forbidden").await;
    // Future dates are refused.
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/activities"),
            &police,
            &json!({"kind": "home_visit", "occurred_on": days_ago(-2)}),
        )
        .await;
    assert_problem(r, 422, "validation_failed").await;
}

async fn plan_and_labour_office(app: TestApp) {
    let (_, police) = app.account("ca.plan", &["police"], "00070").await;
    let (_, labour) = app.account("ld.plan", &["labour"], "01").await;
    let a = managed(&app, &police, "Người Kế Hoạch", 40).await;
    let b = managed(&app, &police, "Người Thứ Hai", 40).await;

    let plan = json(app.get(&format!("/api/v1/persons/{a}/plan"), &police).await).await;
    assert_eq!(plan.as_array().unwrap().len(), 9);
    assert!(plan.as_array().unwrap().iter().all(|i| i["status"] == "not_started" && i["version"] == 0));
    let put = |p: &str, area: &str, etag: &str, status: &str| {
        app.request(Method::PUT, &format!("/api/v1/persons/{p}/plan/{area}"), &labour)
            .header("if-match", etag.to_string())
            .json(&json!({"goal": "Có việc làm ổn định", "status": status, "responsible_agency": "labour", "updated_on": days_ago(2), "note": "khảo sát"}))
            .send()
    };
    assert_eq!(put(&a, "employment", "\"v0\"", "support_required").await.unwrap().status(), 200);
    assert_problem(put(&a, "employment", "\"v0\"", "in_progress").await.unwrap(), 412, "version_mismatch").await;
    let plan = json(put(&a, "employment", "\"v1\"", "in_progress").await.unwrap()).await;
    let employment = plan.as_array().unwrap().iter().find(|i| i["area"] == "employment").unwrap();
    assert_eq!(employment["status"], "in_progress");
    assert_eq!(employment["updates"].as_array().unwrap().len(), 2);
    assert_eq!(put(&b, "employment", "\"v0\"", "support_required").await.unwrap().status(), 200);
    assert_eq!(put(&b, "legal", "\"v0\"", "support_required").await.unwrap().status(), 200);
    let summary = json(app.get("/api/v1/plan-summary", &labour).await).await;
    let row = |area: &str| summary.as_array().unwrap().iter().find(|r| r["area"] == area).unwrap().clone();
    assert_eq!(row("employment")["support_required"], 1);
    assert_eq!(row("employment")["in_progress"], 1);
    assert_eq!(row("legal")["support_required"], 1);
    assert_problem(app.get("/api/v1/plan-summary?unit=79", &labour).await, 422, "validation_failed").await;

    // Labour records training and a hire through a pooled employer.
    let employer = json(app.post("/api/v1/employers", &labour, &json!({"name": "HTX Nông nghiệp Xanh", "unit": "00070", "sector": "agriculture", "legal_form": "cooperative"})).await).await;
    let eid = employer["id"].as_str().unwrap();
    let r = app
        .post(&format!("/api/v1/persons/{a}/trainings"), &labour, &json!({"course": "Sửa chữa xe máy", "level": "under_3_months", "start_date": days_ago(30), "end_date": days_ago(1), "result": "đạt"}))
        .await;
    assert_eq!(r.status(), 201);
    let referral = json(
        app.post(
            &format!("/api/v1/persons/{a}/job-referrals"),
            &labour,
            &json!({"employer_id": eid, "referred_on": days_ago(5), "job": "công nhân"}),
        )
        .await,
    )
    .await;
    assert_eq!(referral["outcome"], "pending");
    let rid = referral["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/job-referrals/{rid}/outcome"),
            &labour,
            &json!({"outcome": "hired", "outcome_on": days_ago(2)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/job-referrals/{rid}/outcome"),
            &labour,
            &json!({"outcome": "hired", "outcome_on": days_ago(2)}),
        )
        .await;
    assert_problem(r, 409, "outcome_recorded").await;
    let person = json(app.get(&format!("/api/v1/persons/{a}"), &labour).await).await;
    assert_eq!(person["employment_status"], "stable");
    let employers = json(app.get("/api/v1/employers?q=nong%20nghiep", &labour).await).await;
    assert_eq!(employers["items"][0]["taken_on"], 1);
    let r = app
        .post(
            &format!("/api/v1/persons/{a}/social-assistance"),
            &labour,
            &json!({"kind": "monthly_allowance", "amount_vnd": 500000, "period_from": days_ago(30)}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        json(app.get(&format!("/api/v1/persons/{a}/social-assistance"), &police).await).await.as_array().unwrap().len(),
        1
    );
    // Police read these but do not write them.
    let training = json!({"course": "x", "level": "elementary", "start_date": days_ago(3)});
    let r = app.post(&format!("/api/v1/persons/{a}/trainings"), &police, &training).await;
    assert_problem(r, 403, "forbidden").await;
    let audit = json(app.get("/api/v1/audit-events?action=job_referral.outcome", &app.admin_token).await).await;
    assert_eq!(audit["total"], 1);
}

dual!(
    assignments_and_supervisor_caseload,
    overdue_contacts_around_the_boundary,
    activities_are_corrected_not_rewritten,
    order_links_of_a_long_history_written_out_of_order,
    plan_and_labour_office,
);
