//! Every enum of the served contract, both ways (issue #27, defect 2: the contract listed
//! `TrainingLevel` `under3_months` while the service took only `under_3_months`).
//!
//! 1. Contract → service: every field of a request body, and every query parameter, whose
//!    schema is one of the contract's enums is a *probe*. A probe sends one field at a time
//!    (the rest of the body left out): a value the service refuses comes back as a 4xx naming
//!    that field ("unknown variant"), a value it takes lets parsing go on to the next problem.
//!    A probe counts only if it does refuse a value no enum has. Every value of every enum
//!    must pass every probe of that enum, and every enum must have a probe unless it is
//!    listed below as output only. A path segment naming an enum (`/plan/{area}`) is
//!    probed on a real person with a valid body: an unknown value answers 404.
//! 2. Service → contract: a demo population is generated, every list and every person's
//!    records are read, and each value found where the response schema names an enum must be
//!    one the contract lists, and must pass that enum's probes when sent back.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{json, Value};

use thncd::auth::roles::Role;

use crate::dual;
use crate::helpers::*;

const UNIT: &str = "00070";

/// Enums that only the service writes: no request names them.
const OUTPUT_ONLY: [&str; 1] = ["TargetOutcome"];

/// Valid bodies for the operations probed through a path segment.
fn path_probe_body(path: &str) -> Value {
    match path {
        "/api/v1/persons/{id}/plan/{area}" => json!({"status": "in_progress", "updated_on": thncd::time::today_vn()}),
        _ => json!({}),
    }
}

/// A step from a body's root to one of its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Field(String),
    Item,
}

/// Where an enum is read: a field of an operation's body, or a query parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Probe {
    method: String,
    path: String,
    roles: Vec<String>,
    /// The body's steps to the field, or none for a query parameter.
    body: Option<Vec<Step>>,
    /// The query parameter's name.
    query: Option<String>,
    /// The path parameter's name.
    segment: Option<String>,
}

impl Probe {
    fn describe(&self) -> String {
        let place = match (&self.body, &self.query, &self.segment) {
            (Some(steps), _, _) => format!("body {}", field_path(steps)),
            (_, Some(q), _) => format!("query {q}"),
            (_, _, Some(p)) => format!("path {p}"),
            _ => String::new(),
        };
        format!("{} {} {place}", self.method, self.path)
    }
}

/// The field path as the service names it in a problem (`person.gender`, `items[0].kind`).
fn field_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Field(f) if out.is_empty() => out.push_str(f),
            Step::Field(f) => out.push_str(&format!(".{f}")),
            Step::Item => out.push_str("[0]"),
        }
    }
    out
}

fn place(steps: &[Step], value: &str) -> Value {
    steps.iter().rev().fold(json!(value), |inner, s| match s {
        Step::Field(f) => json!({ f.as_str(): inner }),
        Step::Item => json!([inner]),
    })
}

/// The contract's enums: schema name → values.
fn enums_of(doc: &Value) -> BTreeMap<String, Vec<String>> {
    doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(name, s)| {
            let values = s["enum"].as_array()?;
            Some((name.clone(), values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()))
        })
        .collect()
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.strip_prefix("#/components/schemas/")
}

/// Every enum-typed place reachable in a schema: (steps, enum name).
fn enum_places(doc: &Value, schema: &Value, steps: Vec<Step>, depth: usize, out: &mut Vec<(Vec<Step>, String)>) {
    if depth > 8 {
        return;
    }
    if let Some(name) = ref_name(schema) {
        let target = &doc["components"]["schemas"][name];
        if target.get("enum").is_some() {
            out.push((steps, name.to_string()));
        } else {
            enum_places(doc, target, steps, depth + 1, out);
        }
        return;
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        for s in schema[combinator].as_array().into_iter().flatten() {
            enum_places(doc, s, steps.clone(), depth + 1, out);
        }
    }
    if let Some(props) = schema["properties"].as_object() {
        for (field, s) in props {
            let mut next = steps.clone();
            next.push(Step::Field(field.clone()));
            enum_places(doc, s, next, depth + 1, out);
        }
    }
    if schema.get("items").is_some() {
        let mut next = steps;
        next.push(Step::Item);
        enum_places(doc, &schema["items"], next, depth + 1, out);
    }
}

/// Every enum value found in a response where its schema names an enum: (enum, value).
fn enum_values(doc: &Value, schema: &Value, value: &Value, depth: usize, out: &mut BTreeSet<(String, String)>) {
    if depth > 12 || value.is_null() {
        return;
    }
    if let Some(name) = ref_name(schema) {
        let target = &doc["components"]["schemas"][name];
        match (target.get("enum"), value.as_str()) {
            (Some(_), Some(text)) => {
                out.insert((name.to_string(), text.to_string()));
            }
            (Some(_), None) => {}
            (None, _) => enum_values(doc, target, value, depth + 1, out),
        }
        return;
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        for s in schema[combinator].as_array().into_iter().flatten() {
            enum_values(doc, s, value, depth + 1, out);
        }
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (field, s) in props {
            if let Some(v) = object.get(field) {
                enum_values(doc, s, v, depth + 1, out);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for v in array {
            enum_values(doc, items, v, depth + 1, out);
        }
    }
}

/// The path with each parameter filled: integers with 1, anything else with a fresh id.
fn filled_path(op: &Value, path: &str, fill: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = path.to_string();
    for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap();
        let value = fill(name).unwrap_or_else(|| match p["schema"]["type"].as_str() {
            Some("integer") => "1".to_string(),
            _ => uuid::Uuid::now_v7().to_string(),
        });
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    out
}

fn probes_of(doc: &Value) -> Vec<(Probe, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let roles: Vec<String> =
                op["x-roles"].as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_string)).collect();
            let base = Probe {
                method: method.to_uppercase(),
                path: path.clone(),
                roles,
                body: None,
                query: None,
                segment: None,
            };
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let mut places = Vec::new();
            enum_places(doc, body, Vec::new(), 0, &mut places);
            for (steps, name) in places {
                out.push((Probe { body: Some(steps), ..base.clone() }, name));
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let mut places = Vec::new();
                enum_places(doc, &p["schema"], Vec::new(), 0, &mut places);
                let param = Some(p["name"].as_str().unwrap().to_string());
                for (_, name) in places {
                    match p["in"].as_str() {
                        Some("query") => out.push((Probe { query: param.clone(), ..base.clone() }, name)),
                        Some("path") => out.push((Probe { segment: param.clone(), ..base.clone() }, name)),
                        _ => {}
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether the service refused `value` at the probe's place. `tokens` holds a token per role
/// and, under `person`, the id of a person of the tokens' commune.
async fn refused(app: &TestApp, doc: &Value, tokens: &BTreeMap<String, String>, probe: &Probe, value: &str) -> bool {
    let op = &doc["paths"][&probe.path][probe.method.to_lowercase()];
    let token = probe.roles.iter().find_map(|r| tokens.get(r)).unwrap_or(&app.admin_token);
    let method = Method::from_bytes(probe.method.as_bytes()).unwrap();
    if let Some(segment) = &probe.segment {
        let fill = |name: &str| match name {
            n if n == segment => Some(value.to_string()),
            "id" => tokens.get("person").cloned(),
            _ => None,
        };
        let path = filled_path(op, &probe.path, &fill);
        let request = app.request(method, &path, token).header("if-match", "\"v999\"");
        let resp = request.json(&path_probe_body(&probe.path)).send().await.unwrap();
        return resp.status() == 404;
    }
    let path = filled_path(op, &probe.path, &|_| None);
    let (request, name) = match (&probe.body, &probe.query) {
        (Some(steps), _) => (
            app.request(method, &path, token).header("if-match", "\"v1\"").json(&place(steps, value)),
            field_path(steps),
        ),
        (_, Some(q)) => {
            let request = app.request(method, &path, token).query(&[(q.as_str(), value)]);
            let request = if probe.method == "GET" { request } else { request.json(&json!({})) };
            (request, q.clone())
        }
        _ => unreachable!(),
    };
    let resp = request.send().await.unwrap();
    if !resp.status().is_client_error() {
        return false;
    }
    let body: Value = resp.json().await.unwrap_or_default();
    body["invalid_params"].as_array().into_iter().flatten().any(|p| {
        let reason = p["reason"].as_str().unwrap_or_default();
        p["name"] == name.as_str() || (reason.contains("unknown variant") && reason.contains(&format!("`{value}`")))
    })
}

async fn every_enum_value_round_trips(app: TestApp) {
    let doc: Value = app.client.get(app.url("/api-docs/openapi.json")).send().await.unwrap().json().await.unwrap();
    let enums = enums_of(&doc);
    assert!(enums.len() >= 48, "the contract lists {} enums", enums.len());
    // The demo population read back in part 2 (generated first: it wants an empty database).
    let opts = thncd::demo::DemoOptions { persons: 40, seed: 27, today: thncd::time::today_vn() };
    thncd::demo::generate(&mut app.conn(), &opts).expect("demo data");
    let mut tokens = BTreeMap::new();
    for role in Role::ALL {
        let (_, token) = app.account(&format!("rt.{}", role.as_str()), &[role.as_str()], UNIT).await;
        tokens.insert(role.as_str().to_string(), token);
    }
    let (_, national) = app.account("rt.national", &["police"], "VN").await;
    let notice = json!({"person": {"full_name": "Người Thử", "gender": "male", "unit": UNIT}, "facility": "Trại giam",
                        "notice_date": thncd::time::today_vn(), "expected_release_date": thncd::time::today_vn()});
    let resp = app.post("/api/v1/release-notices", &national, &notice).await;
    assert_eq!(resp.status(), 201);
    tokens.insert("person".into(), json(resp).await["person_id"].as_str().unwrap().to_string());

    // 1. Contract → service.
    let mut probes: BTreeMap<String, Vec<Probe>> = BTreeMap::new();
    for (probe, name) in probes_of(&doc) {
        if refused(&app, &doc, &tokens, &probe, "zz_no_such_value").await {
            probes.entry(name).or_default().push(probe);
        }
    }
    let mut failures = Vec::new();
    let mut sent = 0;
    for (name, values) in &enums {
        let Some(list) = probes.get(name) else {
            if !OUTPUT_ONLY.contains(&name.as_str()) {
                failures.push(format!("{name}: no operation takes it (or list it as output only)"));
            }
            continue;
        };
        for probe in list {
            for value in values {
                sent += 1;
                if refused(&app, &doc, &tokens, probe, value).await {
                    failures.push(format!("{name} `{value}`: the contract lists it, {} refuses it", probe.describe()));
                }
            }
        }
    }

    // 2. Service → contract → service.
    let persons = json(app.get("/api/v1/persons?page_size=200", &national).await).await;
    let person_ids: Vec<String> =
        persons["items"].as_array().unwrap().iter().filter_map(|p| p["id"].as_str().map(str::to_string)).collect();
    assert!(!person_ids.is_empty());
    let mut seen = BTreeSet::new();
    let mut reads = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let params: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str())
            .collect();
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        if schema.is_null() || !(params.is_empty() || (params == ["id"] && path.starts_with("/api/v1/persons/{id}"))) {
            continue;
        }
        let ids: Vec<Option<&String>> =
            if params.is_empty() { vec![None] } else { person_ids.iter().take(12).map(Some).collect() };
        for id in ids {
            let url = filled_path(op, path, &|_| id.cloned());
            for token in [&national, &app.admin_token] {
                let resp = app.get(&url, token).await;
                if resp.status() == 200 {
                    reads += 1;
                    let body: Value = resp.json().await.unwrap_or_default();
                    enum_values(&doc, schema, &body, 0, &mut seen);
                    break;
                }
            }
        }
    }
    assert!(reads > 40, "{reads} reads");
    for (name, value) in &seen {
        if !enums[name].contains(value) {
            failures.push(format!("{name} `{value}`: the service returns it, the contract does not list it"));
            continue;
        }
        for probe in probes.get(name).into_iter().flatten() {
            sent += 1;
            if refused(&app, &doc, &tokens, probe, value).await {
                failures.push(format!("{name} `{value}`: returned by the service, refused by {}", probe.describe()));
            }
        }
    }
    let kinds: BTreeSet<&String> = seen.iter().map(|(n, _)| n).collect();
    eprintln!(
        "enum round trip ({:?}): {} enums, {} probed, {sent} values sent, {} values of {} enums read back in {reads} reads",
        app.backend,
        enums.len(),
        probes.len(),
        seen.len(),
        kinds.len()
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

dual!(every_enum_value_round_trips);
