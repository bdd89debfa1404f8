//! National counts of persons reached, through corrections and deletions.

use super::*;

/// `(count, persons)` of one activity kind (or legal sub-kind) in an indicators body.
fn reached(v: &Value, list: &str, kind: &str) -> (i64, i64) {
    let row = v["support"][list].as_array().unwrap().iter().find(|k| k["kind"] == kind).unwrap();
    (row["count"].as_i64().unwrap(), row["persons"].as_i64().unwrap())
}

/// The country counts persons reached from each activity's link to the person's previous
/// one of the same kind; corrections and deletions must re-link. Checked against hand counts
/// and against the communes' own distinct counts (no one here spans two communes).
async fn national_counts_follow_corrections_and_deletions(app: TestApp) {
    let (_, police) = app.account("ca.reach", &["police"], "VN").await;
    let (app, police) = (&app, police.as_str());
    let ago = |n: i64| (today() - Duration::days(n)).to_string();
    // Registered before the oldest activity: none may be dated before the registration.
    let person =
        |name: &str, unit: &str| json!({"full_name": name, "gender": "male", "unit": unit, "registered_on": ago(300)});
    let mut ids = Vec::new();
    for (name, unit) in [("Phan Văn Một", A), ("Phan Văn Hai", A), ("Phan Văn Ba", X)] {
        ids.push(
            ok(app.post("/api/v1/persons", police, &person(name, unit)).await, "person").await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let (p, q, r) = (&ids[0], &ids[1], &ids[2]);
    let mut act = BTreeMap::new();
    for (key, who, kind, sub, on) in [
        ("p_old", p, "home_visit", None, 200),
        ("p_50", p, "home_visit", None, 50),
        ("p_40", p, "home_visit", None, 40),
        ("p_id", p, "legal_support", Some("national_id_card"), 30),
        ("p_guid", p, "legal_support", Some("expungement_guidance"), 20),
        ("p_ind", p, "counselling_individual", None, 10),
        ("q_60", q, "home_visit", None, 60),
        ("p_praise", p, "commendation", None, 45),
        ("p_praise2", p, "commendation", None, 35),
        ("r_70", r, "legal_support", Some("national_id_card"), 70),
        ("r_65", r, "legal_support", Some("national_id_card"), 65),
    ] {
        let body = json!({"kind": kind, "legal_sub_kind": sub, "occurred_on": ago(on)});
        let created = ok(app.post(&format!("/api/v1/persons/{who}/activities"), police, &body).await, key).await;
        act.insert(key, (who.clone(), created[0]["id"].as_str().unwrap().to_string()));
    }
    let group = json!({"kind": "counselling_group", "occurred_on": ago(5), "participant_ids": [p]});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &group).await, "group").await;

    let from = ago(100);
    let figures = |unit: &'static str| {
        let url = format!("/api/v1/reports/indicators?unit={unit}&from={from}&to={}", today());
        async move { ok(app.get(&url, police).await, &url).await }
    };
    // (home visits, national id card, expungement guidance, legal support, legal persons)
    let check = |vn: Value, a: Value, x: Value, want: [(i64, i64); 4], legal_persons: i64, step: &str| {
        let got = [
            reached(&vn, "activities", "home_visit"),
            reached(&vn, "legal_support", "national_id_card"),
            reached(&vn, "legal_support", "expungement_guidance"),
            reached(&vn, "activities", "legal_support"),
        ];
        assert_eq!(got, want, "{step}: VN (count, persons) for home visits, ID card, guidance, legal support");
        assert_eq!(vn["support"]["legal_help_persons"], legal_persons, "{step}");
        for (list, kind) in [
            ("activities", "home_visit"),
            ("legal_support", "national_id_card"),
            ("legal_support", "expungement_guidance"),
            ("activities", "legal_support"),
            ("activities", "counselling_individual"),
            ("activities", "counselling_group"),
            ("activities", "commendation"),
        ] {
            let (va, vx) = (reached(&a, list, kind), reached(&x, list, kind));
            assert_eq!(reached(&vn, list, kind), (va.0 + vx.0, va.1 + vx.1), "{step}: VN = A + X for {kind}");
        }
        for key in ["counselling_persons", "counselling_sessions", "legal_help_persons"] {
            let sum = a["support"][key].as_i64().unwrap() + x["support"][key].as_i64().unwrap();
            assert_eq!(vn["support"][key], sum, "{step}: VN = A + X for {key}");
        }
    };
    let vn = figures("VN").await;
    assert_eq!(reached(&vn, "activities", "counselling_group"), (2, 2));
    assert_eq!(reached(&vn, "activities", "counselling_individual"), (1, 1));
    assert_eq!(reached(&vn, "activities", "commendation"), (2, 1)); // not a contact kind: linked all the same
    assert_eq!(vn["support"]["counselling_persons"], 2); // P (individual and group) and Q
    assert_eq!(vn["support"]["counselling_sessions"], 2); // one individual, one group session
    check(vn, figures(A).await, figures(X).await, [(3, 2), (3, 2), (1, 1), (4, 2)], 2, "as written");

    let correct = |key: &str, body: Value| {
        let (who, id) = act[key].clone();
        let path = format!("/api/v1/persons/{who}/activities/{id}");
        async move {
            let resp = app
                .request(Method::PATCH, &path, police)
                .header("if-match", "\"v1\"")
                .json(&body)
                .send()
                .await
                .unwrap();
            ok(resp, &path).await
        }
    };
    let delete = |key: &str| {
        let (who, id) = act[key].clone();
        let path = format!("/api/v1/persons/{who}/activities/{id}?reason=nh%E1%BA%A7m");
        async move { assert_eq!(app.request(Method::DELETE, &path, police).send().await.unwrap().status(), 204, "{path}") }
    };
    // P's first visit in the period moves before it: the next one becomes P's first.
    correct("p_50", json!({"occurred_on": ago(150), "reason": "sai ngày"})).await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 2), (3, 2), (1, 1), (4, 2)],
        2,
        "visit moved out",
    );
    // That one deleted too: P has no visit in the period.
    delete("p_40").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (3, 2), (1, 1), (4, 2)],
        2,
        "visit deleted",
    );
    // R's first ID-card help deleted: the second becomes R's first, still one person.
    delete("r_70").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (2, 2), (1, 1), (3, 2)],
        2,
        "first of two deleted",
    );
    // P's guidance re-filed as ID-card help: two ID-card helps for P, guidance to nobody.
    correct("p_guid", json!({"legal_sub_kind": "national_id_card", "reason": "sai loại"})).await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(1, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "sub-kind changed",
    );
    // A visit to Q written late, dated before Q's visit of 60 days ago: it becomes Q's first
    // in the period and the 60-day one must be re-linked to it (else Q counts twice).
    let late = json!({"kind": "home_visit", "occurred_on": ago(80)});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &late).await, "late visit").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "visit written late",
    );
    // And one written late before the period: still one person, one more visit after it.
    let older = json!({"kind": "home_visit", "occurred_on": ago(120)});
    ok(app.post(&format!("/api/v1/persons/{q}/activities"), police, &older).await, "older visit").await;
    check(
        figures("VN").await,
        figures(A).await,
        figures(X).await,
        [(2, 1), (3, 2), (0, 0), (3, 2)],
        2,
        "visit before the period written late",
    );
}

dual!(national_counts_follow_corrections_and_deletions);
