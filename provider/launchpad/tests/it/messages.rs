//! `--messages`: every catalogue of user-facing messages as JSON, the input
//! of `make docs`'s troubleshooting page. Its shape is a contract with
//! `tools/docs/gen.py`.

use std::collections::BTreeSet;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pulumi-resource-launchpad");

fn messages() -> Vec<serde_json::Value> {
    let out = Command::new(BIN)
        .arg("--messages")
        .output()
        .expect("run --messages");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

#[test]
fn messages_lists_every_catalogue_entry_with_its_documented_shape() {
    let entries = messages();
    let text = |e: &serde_json::Value, key: &str| {
        e[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} of {e} is not a string"))
            .to_string()
    };
    let mut codes = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for e in &entries {
        let code = text(e, "code");
        assert!(
            code.len() == 6
                && code.starts_with("LP")
                && code[2..].bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        assert!(codes.insert(code.clone()), "{code} twice");
        assert!(slugs.insert(text(e, "slug")), "slug of {code} twice");
        assert!(
            ["input", "runtime"].contains(&text(e, "kind").as_str()),
            "{e}"
        );
        assert!(
            !text(e, "area").is_empty() && !text(e, "help").is_empty(),
            "{e}"
        );
        assert!(!text(e, "template").is_empty(), "{e}");
        assert!(e["params"].is_array(), "{e}");
        assert!(
            e.get("property").is_none_or(serde_json::Value::is_string),
            "{e}"
        );
    }
    let areas: BTreeSet<String> = entries.iter().map(|e| text(e, "area")).collect();
    for area in ["core", "protocol", "StaticSite"] {
        assert!(areas.contains(area), "no {area} entries in {areas:?}");
    }
    let fits = entries
        .iter()
        .find(|e| e["code"] == "LP1002")
        .expect("LP1002");
    assert_eq!(fits["slug"], "missing-required");
    assert_eq!(fits["template"], "missing required property `{property}`");
    let spa = entries
        .iter()
        .find(|e| e["code"] == "LP2002")
        .expect("LP2002");
    assert_eq!(spa["property"], "errorDocument");
}

#[test]
fn every_catalogue_together_is_well_formed() {
    let mut all = vec![
        launchpad_core::errors::CATALOGUE,
        launchpad_protocol::errors::CATALOGUE,
    ];
    all.extend(launchpad_components::catalogues());
    assert_eq!(
        launchpad_core::catalogue::problems(&all),
        Vec::<String>::new()
    );
    assert_eq!(messages().len(), all.iter().map(|c| c.len()).sum::<usize>());
    // Every area served has its code range, so `problems` checked each code against it.
    let ranged = |area: &str| {
        launchpad_core::catalogue::RANGES
            .iter()
            .any(|(a, _)| *a == area)
    };
    let unranged: Vec<_> = all
        .iter()
        .flat_map(|c| c.iter())
        .filter(|d| !ranged(d.area))
        .map(|d| d.code)
        .collect();
    assert_eq!(unranged, Vec::<&str>::new());
}
