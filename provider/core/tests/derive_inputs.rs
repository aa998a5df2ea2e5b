//! `#[derive(Inputs)]`: one struct gives the schema entries, the rule text and
//! the decoder, which reads as `ArgsReader` does (defaults, ranges, choices,
//! checks, unknowns and secrets kept).

use std::collections::BTreeMap;

use launchpad_core::schema::{DefaultValue, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{
    ArgsReader, ComponentPlan, Input, InputError, Inputs, ObjectInputs, PropertyMap, Value,
};

static SIZE: EnumDef = EnumDef {
    token: "t:index:Size",
    description: "A size.",
    values: &[("S", "small"), ("L", "large")],
};

fn lower(path: &str, v: Input<String>) -> Result<Input<String>, InputError> {
    if v.chars().any(char::is_uppercase) {
        return Err(InputError::new(
            path,
            format!("{path}={} is not lower case", v.shown()),
        ));
    }
    Ok(v)
}

fn raw_list(r: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    r.passthrough(name)
}

/// A health check.
///
/// Sent to the target group.
#[derive(Inputs, Debug)]
#[inputs(object = "t:index:Health")]
struct Health {
    /// The path.
    #[input(default = "/")]
    path: Input<String>,
    /// Seconds between checks.
    #[input(range = 5..=300, default = 30)]
    interval: Input<f64>,
}

#[derive(Inputs, Debug)]
#[inputs(component)]
struct Site {
    /// Where the
    /// files are.
    ///
    /// - one
    /// - two, whose item goes on
    ///   on an indented line
    #[input(check = lower, rule = "Lower case only.", feeds("bucket.path"))]
    path: Input<String>,
    /// Single page.
    #[input(default = true, feeds("cdn.errors"))]
    spa: Input<bool>,
    /// Size.
    #[input(choices = SIZE, default = "S", feeds("cdn.priceClass"))]
    size: Option<Value>,
    /// Zone.
    #[input(check = lower, feeds("record*.zoneId"))]
    zone: Option<Value>,
    /// Retries.
    #[input(range = 0..=10, feeds_none = "read by the provider itself")]
    retries: Option<Input<f64>>,
    /// Ratio.
    #[input(feeds("cdn.ratio"))]
    ratio: Option<Input<f64>>,
    /// Tags.
    #[input(feeds("*.tags"))]
    tags: BTreeMap<String, Value>,
    /// Zones.
    #[input(feeds("cdn.zones"))]
    zones: Option<Vec<Input<String>>>,
    /// Health.
    #[input(feeds("cdn.health"))]
    health: Health,
    /// Maybe health.
    #[input(name = "otherHealth", feeds("cdn.other"))]
    other: Option<Health>,
    /// Raw rules.
    #[input(read_with = raw_list, ty = TypeDef::Array(&TypeDef::Object(&<Health as ObjectInputs>::OBJECT)), feeds("cdn.rules"))]
    rules: Option<Value>,
    /// A token.
    #[input(secret, feeds("cdn.token"))]
    token: Option<Input<String>>,
}

fn props(pairs: &[(&str, Value)]) -> PropertyMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn def(name: &str) -> &'static PropertyDef {
    Site::PROPERTIES
        .iter()
        .find(|p| p.name == name)
        .expect("declared")
}

#[test]
fn the_schema_comes_from_the_fields() {
    let names: Vec<_> = Site::PROPERTIES.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        [
            "path",
            "spa",
            "size",
            "zone",
            "retries",
            "ratio",
            "tags",
            "zones",
            "health",
            "otherHealth",
            "rules",
            "token"
        ]
    );
    assert_eq!(
        def("path").description,
        "Where the files are.\n\n- one\n- two, whose item goes on on an indented line Lower case only."
    );
    assert!(def("path").required && !def("spa").required && !def("size").required);
    assert!(matches!(def("spa").default, Some(DefaultValue::Bool(true))));
    assert_eq!(def("spa").description, "Single page. Defaults to `true`.");
    assert!(matches!(def("size").ty, TypeDef::Enum(e) if e.token == "t:index:Size"));
    assert!(matches!(def("retries").ty, TypeDef::Integer));
    assert_eq!(
        def("retries").description,
        "Retries. A whole number from 0 to 10."
    );
    assert_eq!(
        def("retries").feeds_none,
        Some("read by the provider itself")
    );
    assert!(matches!(def("ratio").ty, TypeDef::Number));
    assert!(matches!(def("tags").ty, TypeDef::Map(TypeDef::String)));
    assert!(matches!(def("zones").ty, TypeDef::Array(TypeDef::String)));
    assert!(matches!(def("health").ty, TypeDef::Object(o) if o.token == "t:index:Health"));
    assert!(matches!(
        def("rules").ty,
        TypeDef::Array(TypeDef::Object(_))
    ));
    assert!(def("token").secret);
    assert_eq!(def("zone").feeds, ["record*.zoneId"]);
    let health = <Health as ObjectInputs>::OBJECT;
    assert_eq!(
        health.description,
        "A health check.\n\nSent to the target group."
    );
    assert_eq!(
        health.properties[1].description,
        "Seconds between checks. A whole number from 5 to 300. Defaults to `30`."
    );
}

#[test]
fn decoding_applies_defaults_checks_and_ranges() {
    let site = Site::decode(&props(&[("path", "./dist".into())])).expect("valid");
    assert_eq!(*site.path, "./dist");
    assert!(*site.spa);
    assert_eq!(site.size, Some(Value::string("S")));
    assert_eq!(site.retries, None);
    assert_eq!(*site.health.path, "/");
    assert_eq!(*site.health.interval, 30.0);
    assert!(site.other.is_none() && site.tags.is_empty() && site.zones.is_none());
    assert!(site.ratio.is_none() && site.rules.is_none() && site.token.is_none());

    let e = Site::decode(&props(&[])).unwrap_err();
    assert_eq!(e.message, "missing required property `path`");
    let e = Site::decode(&props(&[("path", "./Dist".into())])).unwrap_err();
    assert_eq!(e.message, "path=\"./Dist\" is not lower case");
    let e = Site::decode(&props(&[
        ("path", "d".into()),
        ("retries", Value::Number(11.0)),
    ]))
    .unwrap_err();
    assert_eq!(
        e.message,
        "retries=11 is not valid; it must be a whole number from 0 to 10"
    );
    let e = Site::decode(&props(&[("path", "d".into()), ("size", "M".into())])).unwrap_err();
    assert_eq!(e.message, "size=\"M\" is not valid; valid: S, L");
    let nested = Value::Object(props(&[("interval", Value::Number(1.0))]));
    let e = Site::decode(&props(&[("path", "d".into()), ("otherHealth", nested)])).unwrap_err();
    assert_eq!(e.property, "otherHealth.interval");
    let e = Site::decode(&props(&[("path", "d".into()), ("nope", true.into())])).unwrap_err();
    assert!(e.message.starts_with("unknown property `nope`"), "{e}");
}

#[test]
fn unknowns_and_secrets_are_kept() {
    let secret = Value::Secret(Box::new(Value::string("Z9")));
    let site = Site::decode(&props(&[
        ("path", Value::Secret(Box::new("d".into()))),
        ("zone", Value::unknown()),
        ("tags", Value::Object(props(&[("a", secret.clone())]))),
    ]))
    .expect("valid");
    assert!(site.path.secret());
    assert_eq!(site.zone, Some(Value::unknown()));
    assert_eq!(site.tags["a"], secret);
    // A known zone is checked, and its message never quotes a secret.
    let e = Site::decode(&props(&[("path", "d".into()), ("zone", secret)])).unwrap_err();
    assert_eq!(e.message, "zone=[secret] is not lower case");
}

#[test]
fn feeds_reach_the_children_that_exist() {
    use launchpad_core::ChildResource;
    let mut plan = ComponentPlan {
        children: vec![
            ChildResource::new(
                "cdn",
                "aws:cloudfront/distribution:Distribution",
                "c".into(),
            )
            .input("tags", Value::Null),
            ChildResource::new("recordA", "aws:route53/record:Record", "a".into())
                .input("zoneId", "z"),
            ChildResource::new("recordB", "aws:route53/record:Record", "b".into()),
        ],
        ..ComponentPlan::default()
    };
    plan.declare_feeds(Site::PROPERTIES);
    let t = &plan.input_targets;
    assert_eq!(t["size"], [("cdn".to_string(), "priceClass".to_string())]);
    assert_eq!(t["zone"], [("recordA".to_string(), "zoneId".to_string())]);
    assert_eq!(t["tags"], [("cdn".to_string(), "tags".to_string())]);
    assert!(!t.contains_key("path"), "no bucket child: {t:?}");
    assert!(!t.contains_key("retries"));
}

/// A reference to a secret version.
#[derive(Inputs, Debug)]
#[inputs(object = "t:index:Ref")]
struct Ref {
    /// The version.
    #[input(check = lower, default = "latest")]
    version: Value,
}

#[test]
fn a_checked_value_passed_on_falls_back_to_its_default() {
    let version = &Ref::PROPERTIES[0];
    assert!(!version.required);
    assert!(matches!(
        version.default,
        Some(DefaultValue::String("latest"))
    ));
    assert_eq!(
        Ref::decode(&props(&[])).expect("valid").version,
        Value::string("latest")
    );
    let unknown = Ref::decode(&props(&[("version", Value::unknown())])).expect("valid");
    assert_eq!(unknown.version, Value::unknown());
    let e = Ref::decode(&props(&[("version", "V".into())])).unwrap_err();
    assert_eq!(e.message, "version=\"V\" is not lower case");
}

/// Inputs two resources share, declared once.
#[derive(Inputs, Debug)]
struct Compute {
    /// Smallest size.
    #[input(default = 1, replace_on_changes)]
    min: Input<f64>,
    /// Largest size.
    #[input(check = at_most_ten)]
    max: Option<Input<f64>>,
}

fn at_most_ten(path: &str, v: Input<f64>) -> Result<Input<f64>, InputError> {
    if *v > 10.0 {
        return Err(InputError::new(path, format!("{path} is above 10")));
    }
    Ok(v)
}

#[derive(Inputs, Debug)]
struct Database {
    /// The name.
    name: Input<String>,
    #[input(flatten)]
    compute: Compute,
    /// The role.
    #[input(default = "app")]
    role: Input<String>,
}

#[test]
fn a_flattened_struct_gives_its_inputs_in_its_place() {
    let names: Vec<_> = Database::PROPERTIES.iter().map(|p| p.name).collect();
    assert_eq!(names, ["name", "min", "max", "role"]);
    assert!(Database::PROPERTIES[1].replace_on_changes);
    let d = Database::decode(&props(&[
        ("name", "db".into()),
        ("max", Value::Number(4.0)),
    ]))
    .expect("valid");
    assert_eq!(
        (*d.compute.min, d.compute.max.map(|m| *m)),
        (1.0, Some(4.0))
    );
    assert_eq!((d.name.as_str(), d.role.as_str()), ("db", "app"));
    // The inner struct's checks run, and the outer struct refuses what neither declares.
    let e = Database::decode(&props(&[
        ("name", "db".into()),
        ("max", Value::Number(11.0)),
    ]))
    .unwrap_err();
    assert_eq!(
        (e.property.as_str(), e.message.as_str()),
        ("max", "max is above 10")
    );
    assert!(Database::decode(&props(&[("name", "db".into()), ("size", "S".into())])).is_err());
}
