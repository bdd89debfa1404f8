//! Every indicator against the ledger, and the province example of the reoffending rate.

use super::*;

fn assert_same(actual: &Value, expected: &Value, ctx: &str) {
    if actual == expected {
        return;
    }
    // Name the differing leaves, so a failure says which indicator is wrong.
    fn walk(a: &Value, e: &Value, path: String, out: &mut Vec<String>) {
        match (a, e) {
            (Value::Object(x), Value::Object(y)) => {
                for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                    walk(
                        x.get(k).unwrap_or(&Value::Null),
                        y.get(k).unwrap_or(&Value::Null),
                        format!("{path}.{k}"),
                        out,
                    );
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(p, q, format!("{path}[{i}]"), out);
                }
            }
            _ if a != e => out.push(format!("{path}: got {a}, expected {e}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(actual, expected, String::new(), &mut out);
    panic!("{ctx}: {} indicator(s) differ:\n{}", out.len(), out.join("\n"));
}

async fn indicators_match_the_ledger(app: TestApp) {
    let (_, police) = app.account("ca.vn", &["police"], "VN").await;
    let (_, justice) = app.account("tp.vn", &["justice"], "VN").await;
    let (_, labour) = app.account("ld.vn", &["labour"], "VN").await;
    let t = Tokens { police, justice, labour };
    let mut rng = StdRng::seed_from_u64(20_251_122);
    let plans: Vec<Plan> = (0..260).map(|i| plan_person(&mut rng, i)).collect();
    let mut persons = Vec::new();
    for chunk in plans.chunks(16) {
        persons.extend(join_all(chunk.iter().cloned().map(|p| live(&app, &t, p))).await);
    }
    let mut org = Org::default();
    organise(&app, &t, &persons, &mut org).await;

    // The history must have exercised what the report counts.
    let all: Vec<&str> = persons.iter().flat_map(|p| p.history.iter().map(|c| c.2)).collect();
    for status in ["expunged", "reoffended", "law_violation", "moved_out", "absconded", "deceased"] {
        assert!(all.contains(&status), "no {status} in the generated history");
    }
    let (f1, t1) = p1();
    let on_boundary = persons.iter().flat_map(|p| &p.history).filter(|c| c.0 == f1 || c.0 == t1).count();
    assert!(on_boundary >= 5, "only {on_boundary} changes on the period's first or last day");

    let periods =
        [(f1, t1), (d(365), today()), (d(800), today()), (f1, f1), (t1 + Duration::days(1), t1 + Duration::days(1))];
    let mut checked = 0;
    for (from, to) in periods {
        for scope in [A, B, X, "01", "68", "VN"] {
            let url = format!("/api/v1/reports/indicators?unit={scope}&from={from}&to={to}");
            let resp = app.get(&url, &t.police).await;
            let actual = ok(resp, &url).await;
            assert_eq!(actual["unit"], scope);
            let want = expected(&persons, &org, scope, from, to);
            assert_same(
                &figures_of(&actual),
                &want,
                &format!(
                    "{} {scope} {from}..{to}",
                    match app.backend {
                        Backend::Sqlite => "SQLite",
                        Backend::Postgres => "PostgreSQL",
                    }
                ),
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
    // Province level counts a mover between its communes once: no moves inside 01 appear.
    let whole = ok(
        app.get(&format!("/api/v1/reports/indicators?unit=01&from={}&to={}", d(800), today()), &t.police).await,
        "01",
    )
    .await;
    let internal = persons
        .iter()
        .flat_map(|p| p.history.windows(2))
        .filter(|w| w[0].2 == "moved_out" && province_of(w[0].1) == "01" && province_of(w[1].1) == "01")
        .count();
    assert!(internal > 0, "the seed must move someone inside the province");
    let commune_moves: i64 = [A, B]
        .iter()
        .map(|u| expected(&persons, &org, u, d(800), today())["exits"]["moved_out"].as_i64().unwrap())
        .sum();
    assert_eq!(commune_moves - whole["exits"]["moved_out"].as_i64().unwrap(), internal as i64);

    // A commune token sees its own unit only.
    let (_, commune) = app.account("ca.b", &["police"], B).await;
    let r = app.get(&format!("/api/v1/reports/indicators?unit={A}&from={f1}&to={t1}"), &commune).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "unit");
    let mine = ok(app.get(&format!("/api/v1/reports/indicators?from={f1}&to={t1}"), &commune).await, "own").await;
    assert_eq!(mine["unit"], B);
    // The bank and supervisors have no business with these figures.
    let (_, bank) = app.account("nh.vn", &["bank"], "VN").await;
    assert_problem(app.get(&format!("/api/v1/reports/indicators?from={f1}&to={t1}"), &bank).await, 403, "forbidden")
        .await;
    // Bad periods.
    let r = app.get(&format!("/api/v1/reports/indicators?unit=VN&from={t1}&to={f1}"), &t.police).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "from");
    let r = app.get("/api/v1/reports/indicators?unit=VN&from=2025-02-31&to=2025-03-01", &t.police).await;
    assert_problem(r, 400, "invalid_query").await;
}

async fn reoffending_rate_of_the_province_example(app: TestApp) {
    // 1,797 persons under management measures in a period, 134 of them reoffending: 7.46 %.
    let (_, police) = app.account("ca.vd", &["police"], "VN").await;
    let received_on = d(300);
    let one = |i: usize| {
        let police = police.clone();
        let app = &app;
        async move {
            let r = app
                .post(
                    "/api/v1/release-notices",
                    &police,
                    &json!({"person": {"full_name": format!("Người {i}"), "gender": if i % 12 == 0 { "female" } else { "male" }, "unit": if i % 2 == 0 { A } else { B }},
                            "facility": "Trại giam", "notice_date": d(400), "expected_release_date": d(310)}),
                )
                .await;
            let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
            receive(app, &police, &id, &received_on).await;
            if i < 134 {
                let c = json!({"judgment_number": "1/2026/HS-ST", "court": "TAND", "judgment_date": d(100 + (i as i64 % 50)), "offence_articles": ["173"],
                               "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
                ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &c).await, "reoffend").await;
            }
        }
    };
    let indices: Vec<usize> = (0..1797).collect();
    for chunk in indices.chunks(24) {
        join_all(chunk.iter().map(|i| one(*i))).await;
    }
    let r =
        ok(app.get(&format!("/api/v1/reports/indicators?unit=01&from={}&to={}", d(350), d(1)), &police).await, "01")
            .await;
    assert_eq!(r["managed"]["during_period"], 1797);
    assert_eq!(r["exits"]["reoffended"], 134);
    assert_eq!(r["rates"]["reoffending_of_managed"], json!({"numerator": 134, "denominator": 1797, "percent": 7.46}));
    assert_eq!(r["managed"]["at_end"], 1797 - 134);
    assert_eq!(r["managed"]["at_end_female"], (0..1797).filter(|i| i % 12 == 0 && *i >= 134).count());
}

dual!(indicators_match_the_ledger, reoffending_rate_of_the_province_example);
