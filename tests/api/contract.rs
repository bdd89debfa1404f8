//! The committed contract matches the code, and every operation declares its roles.

use std::collections::BTreeSet;

use thncd::auth::permissions::{Op, PUBLIC_OPERATIONS};

fn generated() -> serde_json::Value {
    serde_json::from_str(&thncd::openapi::to_json(&thncd::openapi::document())).unwrap()
}

#[test]
fn committed_openapi_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
        .expect("openapi/openapi.json is committed");
    let generated_text = thncd::openapi::to_json(&thncd::openapi::document());
    assert!(
        committed == generated_text,
        "openapi/openapi.json is out of date with the code.\n\
         Refresh it with:  cargo run -- openapi --output openapi/openapi.json\n\
         then review and commit the diff."
    );
}

#[test]
fn every_operation_declares_roles_and_errors() {
    let doc = generated();
    let mut seen = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            seen.insert(id.to_string());
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{id} lacks a 500 problem response");
            if PUBLIC_OPERATIONS.contains(&id) {
                continue;
            }
            let op_entry = Op::from_operation_id(id)
                .unwrap_or_else(|| panic!("{id} ({method} {path}) is not in the permission table"));
            let roles: Vec<&str> = op["x-roles"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            assert!(!roles.is_empty(), "{id} has no roles");
            assert_eq!(roles.len(), op_entry.roles().len());
            assert!(op["description"].as_str().unwrap().contains("**Roles:**"), "{id}");
            assert_eq!(op["security"][0]["bearer"], serde_json::json!([]), "{id} is not secured");
            for status in ["401", "403"] {
                assert!(responses.contains_key(status), "{id} lacks {status}");
            }
            for (status, resp) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let text = resp.to_string();
                    assert!(
                        text.contains("problem") || text.contains("#/components/responses/"),
                        "{id} {status}: {text}"
                    );
                }
            }
        }
    }
    for op in Op::ALL {
        assert!(seen.contains(op.operation_id()), "permission table names {} but no route has it", op.operation_id());
    }
}

#[test]
fn every_route_maps_to_its_operation_for_the_early_role_check() {
    let doc = thncd::openapi::document();
    let routes = thncd::auth::permissions::RouteOps::from_doc(&doc);
    let generated = generated();
    let mut mapped = 0;
    for (path, item) in generated["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let found = routes.get(&method.to_uppercase(), path);
            if PUBLIC_OPERATIONS.contains(&id) {
                assert!(found.is_none(), "{id} is public");
            } else {
                assert_eq!(found.map(|o| o.operation_id()), Some(id), "{method} {path}");
                mapped += 1;
            }
        }
    }
    assert_eq!(mapped, Op::ALL.len());
}

/// Two Rust types published under one schema name silently overwrite each other: the
/// supervisors' `Organisation` enum and the indicators' organisation figures once did, and
/// ten enum fields (assignments, committee members, models, propagandists) pointed at the
/// figures object, so generated clients typed them as objects.
#[test]
fn the_organisation_enum_and_the_organisation_figures_keep_their_own_schemas() {
    let doc = generated();
    let schemas = &doc["components"]["schemas"];
    let values = schemas["Organisation"]["enum"].as_array().expect("Organisation is the supervisors' enum");
    assert!(values.iter().any(|v| v == "womens_union"), "{values:?}");
    assert_eq!(schemas["OrganisationFigures"]["type"], "object");
    assert_eq!(schemas["Indicators"]["properties"]["organisation"]["$ref"], "#/components/schemas/OrganisationFigures");
}

/// The name each `ToSchema` type of `src/` publishes: `#[schema(as = …)]` when given, else the
/// type's own name; `text_enum!` types by their name. utoipa keeps one schema per name, so two
/// types publishing the same one silently point every `$ref` at whichever came last.
fn published_schema_names() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let item_name = |rest: &str| -> Option<String> {
        for line in rest.lines() {
            let line = line.trim_start().trim_start_matches("pub(crate) ").trim_start_matches("pub ");
            if let Some(after) = line.strip_prefix("struct ").or_else(|| line.strip_prefix("enum ")) {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                return Some(name);
            }
        }
        None
    };
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
        let mut from = 0;
        while let Some(at) = text[from..].find("#[derive(") {
            let start = from + at;
            let end = start + text[start..].find(")]").unwrap();
            from = end;
            if !text[start..end].contains("ToSchema") {
                continue;
            }
            let rest = &text[end..];
            let item_at = rest.find("struct ").into_iter().chain(rest.find("enum ")).min().unwrap_or(rest.len());
            let renamed = rest[..item_at].find("#[schema(as = ").map(|i| {
                rest[i + 14..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect::<String>()
            });
            let name =
                renamed.map(|r| r.rsplit("::").next().unwrap_or_default().to_string()).or_else(|| item_name(rest));
            if let Some(name) = name.filter(|n| !n.is_empty() && !n.starts_with('$')) {
                names.push((name, shown.clone()));
            }
        }
        for (i, _) in text.match_indices("text_enum!(") {
            // The enum's name is the first line that is not a doc comment or an attribute.
            let name: String = text[i + 11..]
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("///") && !l.starts_with("#["))
                .unwrap_or_default()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push((name, shown.clone()));
            }
        }
    }
    names
}

#[test]
fn no_two_types_publish_the_same_schema_name() {
    let names = published_schema_names();
    // The walk sees the types it must: the supervisors' enum and the indicators' figures,
    // which once both published `Organisation`.
    assert!(names.iter().any(|(n, f)| n == "Organisation" && f.ends_with("enums.rs")), "{names:?}");
    assert!(names.iter().any(|(n, _)| n == "OrganisationFigures"), "{names:?}");
    let mut by_name: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (name, file) in &names {
        by_name.entry(name).or_default().push(file);
    }
    let clashes: Vec<_> = by_name.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(
        clashes.is_empty(),
        "schema names published by more than one type (rename one with #[schema(as = …)]): {clashes:?}"
    );
    // Every name the walk found that the document uses is there once; the document's own
    // schemas are a subset of the walk's (generic pages aside).
    let doc = generated();
    for schema in doc["components"]["schemas"].as_object().unwrap().keys() {
        let base = schema.split('_').next().unwrap_or(schema);
        assert!(by_name.contains_key(base), "schema {schema} comes from a type the walk did not see");
    }
}
