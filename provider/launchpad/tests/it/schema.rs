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

#[test]
fn the_registry_metadata_is_complete() {
    let schema: serde_json::Value = serde_json::from_str(&committed()).expect("json");
    assert_eq!(schema["publisher"], "launchpad");
    let keywords = schema["keywords"].as_array().expect("keywords");
    for keyword in ["category/cloud", "kind/component", "aws", "gcp", "neon"] {
        assert!(keywords.contains(&keyword.into()), "keyword {keyword}");
    }
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert_eq!(schema["repository"], repository);
    // The same license as the crates (and LICENSE).
    assert_eq!(schema["license"], env!("CARGO_PKG_LICENSE"));
    let license = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../LICENSE");
    let license = std::fs::read_to_string(license).expect("LICENSE");
    assert!(license.contains("Apache License") && license.contains("Version 2.0"));
    // The logo is a file of this repository, by its raw URL on the default branch.
    let logo = schema["logoUrl"].as_str().expect("logoUrl");
    let owner_repo = repository.trim_start_matches("https://github.com/");
    let path = logo
        .strip_prefix(&format!(
            "https://raw.githubusercontent.com/{owner_repo}/main/"
        ))
        .unwrap_or_else(|| panic!("logoUrl {logo} is not a raw URL under {repository}"));
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    let svg = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(svg.trim_start().starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
}
