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
