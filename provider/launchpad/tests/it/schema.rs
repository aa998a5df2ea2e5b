//! The committed `schema.json` is what the code generates, and documents everything.

use std::path::PathBuf;

fn committed() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn committed_schema_is_not_stale() {
    let generated = launchpad_components::package().schema_text();
    assert!(
        committed() == generated,
        "schema.json is stale: run `make schema` and commit the result"
    );
}

#[test]
fn every_resource_type_and_property_is_documented() {
    let schema: serde_json::Value = serde_json::from_str(&committed()).expect("json");
    let mut undocumented = Vec::new();
    for section in ["resources", "types"] {
        for (token, spec) in schema[section].as_object().expect("object") {
            if spec["description"].as_str().is_none_or(str::is_empty) {
                undocumented.push(token.clone());
            }
            for props in ["inputProperties", "properties"] {
                for (name, p) in spec[props].as_object().into_iter().flatten() {
                    if p["description"].as_str().is_none_or(str::is_empty) {
                        undocumented.push(format!("{token}.{name}"));
                    }
                }
            }
        }
    }
    assert!(undocumented.is_empty(), "undocumented: {undocumented:?}");
    let text = committed();
    assert!(
        !text.contains("\"$ref\": \"/"),
        "no $ref into other packages"
    );
}
