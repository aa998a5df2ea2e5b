//! Construct against the fake monitor, with a component whose plan each
//! test writes: options reaching children, per-child options, concurrent
//! registration, secrets, and what a planner sees of the stack.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use launchpad_core::log::Severity;
use launchpad_core::schema::{ComponentDef, ObjectTypeDef, PropertyDef, TypeDef};
use launchpad_core::value::OutputValue;
use launchpad_core::{
    ArgsReader, ChildAlias, ChildResource, Component, ComponentOptions, ComponentPlan,
    ConstructContext, CustomTimeouts, Expr, InputError, PropertyMap, Value,
};
use launchpad_protocol::ProtocolError;
use launchpad_protocol::rpc::alias;
use launchpad_protocol::testing::{
    ConstructCall, FakeMonitor, FakeMonitorConfig, component_reference,
};

static DEF: ComponentDef = ComponentDef {
    token: "test:index:Scripted",
    description: "A component whose plan the test writes.",
    inputs: &[
        PropertyDef::new("password", TypeDef::String, "A value to pass on."),
        PropertyDef::new("label", TypeDef::String, "Another one."),
        PropertyDef::new(
            "function",
            TypeDef::Resource("launchpad:index:Function"),
            "A component given as an input.",
        ),
        PropertyDef::new(
            "previous",
            TypeDef::Resource("test:index:Scripted"),
            "Another of these.",
        ),
        PropertyDef::new(
            "routes",
            TypeDef::Array(&TypeDef::Object(&ROUTE)),
            "Components nested in objects.",
        ),
    ],
    outputs: &[PropertyDef::new("url", TypeDef::String, "Where it is.")],
};

static ROUTE: ObjectTypeDef = ObjectTypeDef {
    token: "test:index:Route",
    description: "A route to a function.",
    properties: &[PropertyDef::new(
        "function",
        TypeDef::Resource("launchpad:index:Function"),
        "Where it goes.",
    )],
};

type PlanFn = dyn Fn(&ConstructContext, &PropertyMap) -> ComponentPlan + Send + Sync;

/// Plans with the test's function and remembers the context it was given.
struct Scripted {
    plan: Box<PlanFn>,
    seen: Mutex<Option<ConstructContext>>,
}

impl Scripted {
    fn new(
        plan: impl Fn(&ConstructContext, &PropertyMap) -> ComponentPlan + Send + Sync + 'static,
    ) -> Scripted {
        Scripted {
            plan: Box::new(plan),
            seen: Mutex::new(None),
        }
    }
}

impl Component for Scripted {
    fn definition(&self) -> &'static ComponentDef {
        &DEF
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        *self.seen.lock().expect("lock") = Some(ctx.clone());
        Ok((self.plan)(ctx, inputs))
    }
}

fn child(key: &str) -> ChildResource {
    ChildResource::new(key, "aws:s3/bucket:Bucket", format!("c-{key}"))
}

fn plan(children: Vec<ChildResource>) -> ComponentPlan {
    ComponentPlan {
        children,
        ..ComponentPlan::default()
    }
}

fn call(inputs: PropertyMap) -> ConstructCall {
    ConstructCall::new(DEF.token, "c", inputs)
}

const MIGRATION: &str = "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::migration";
const DATABASE: &str = "urn:pulumi:dev::proj::aws:rds/instance:Instance::db";
const EAST: &str = "urn:pulumi:dev::proj::pulumi:providers:aws::east::p-1";

fn component_options() -> ComponentOptions {
    ComponentOptions {
        protect: Some(true),
        retain_on_delete: Some(true),
        delete_before_replace: Some(true),
        deleted_with: Some(DATABASE.into()),
        dependencies: vec![MIGRATION.into()],
        custom_timeouts: CustomTimeouts {
            create: Some(Duration::from_secs(420)),
            ..CustomTimeouts::default()
        },
        providers: BTreeMap::from([("aws".into(), EAST.into())]),
        ..ComponentOptions::default()
    }
}

#[tokio::test]
async fn every_child_gets_the_options_given_to_the_component() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let component = Scripted::new(|_, _| {
        plan(vec![
            child("a"),
            child("b").input("bucket", Expr::output("a", "id")),
            ChildResource::new("g", "gcp:storage/bucket:Bucket", "c-g".into()),
        ])
    });
    let mut c = call(PropertyMap::new());
    c.options = component_options();
    monitor.construct(&component, &c).await.expect("construct");

    let component_reg = monitor.named("c");
    assert_eq!(component_reg.raw.dependencies, vec![MIGRATION.to_string()]);
    assert_eq!(component_reg.deleted_with, DATABASE);
    for name in ["c-a", "c-b", "c-g"] {
        let r = monitor.named(name);
        assert!(
            r.dependencies.contains(MIGRATION),
            "{name}: nothing starts before dependsOn"
        );
        assert_eq!(r.protect, Some(true), "{name}");
        assert_eq!(r.retain_on_delete, Some(true), "{name}");
        assert_eq!(r.deleted_with, DATABASE, "{name}");
        assert!(
            r.raw.delete_before_replace && r.raw.delete_before_replace_defined,
            "{name}"
        );
        let t = r.raw.custom_timeouts.as_ref().expect("timeouts");
        assert_eq!(
            (t.create.as_str(), t.update.as_str()),
            ("420s", ""),
            "{name}"
        );
    }
    assert_eq!(monitor.named("c-a").provider, EAST);
    assert_eq!(
        monitor.named("c-g").provider,
        "",
        "another package keeps its default provider"
    );
    // The read dependency stays exact next to the component's.
    let b = monitor.named("c-b");
    assert_eq!(
        b.property_dependencies["bucket"],
        [monitor.named("c-a").urn].into()
    );
}

#[tokio::test]
async fn a_child_overrides_options_and_says_what_the_engine_accepts() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let component = Scripted::new(|_, _| {
        plan(vec![
            ChildResource::new("east", "pulumi:providers:aws", "c-east".into())
                .input("region", "us-east-1"),
            ChildResource::component("net", "test:index:Network", "c-net".into()),
            child("vpc").with_options(|o| o.parent = Some("net".into())),
            child("cert").with_options(|o| {
                o.provider = Some("east".into());
                o.protect = Some(false);
                o.deleted_with = Some("vpc".into());
                o.replace_on_changes = vec!["domainName".into()];
                o.ignore_changes = vec!["tags".into()];
                o.additional_secret_outputs = vec!["privateKey".into()];
                o.delete_before_replace = Some(false);
                o.retain_on_delete = Some(false);
                o.aliases = vec![ChildAlias {
                    name: Some("c-certificate".into()),
                    type_token: None,
                }];
                o.custom_timeouts.update = Some(Duration::from_millis(1500));
            }),
        ])
    });
    let mut c = call(PropertyMap::new());
    c.options = component_options();
    monitor.construct(&component, &c).await.expect("construct");

    let east = monitor.named("c-east");
    let cert = monitor.named("c-cert").raw;
    assert_eq!(
        cert.provider,
        format!("{}::{}", east.urn, "04da6b54-80e4-46f7-96ec-b56ff0331ba9")
    );
    assert_eq!(cert.protect, Some(false));
    assert_eq!(cert.retain_on_delete, Some(false));
    assert!(!cert.delete_before_replace && cert.delete_before_replace_defined);
    assert_eq!(cert.deleted_with, monitor.named("c-vpc").urn);
    assert_eq!(cert.replace_on_changes, vec!["domainName".to_string()]);
    assert_eq!(cert.ignore_changes, vec!["tags".to_string()]);
    assert_eq!(
        cert.additional_secret_outputs,
        vec!["privateKey".to_string()]
    );
    let t = cert.custom_timeouts.as_ref().expect("timeouts");
    assert_eq!((t.create.as_str(), t.update.as_str()), ("420s", "1500ms"));
    assert!(cert.alias_specs);
    match &cert.aliases[0].alias {
        Some(alias::Alias::Spec(spec)) => assert_eq!(spec.name, "c-certificate"),
        other => panic!("alias spec expected, got {other:?}"),
    }
    // A provider resource is not given the program's provider of its package.
    assert_eq!(east.provider, "");

    let net = monitor.named("c-net");
    assert!(!net.custom);
    assert_eq!(net.raw.providers.get("aws").map(String::as_str), Some(EAST));
    assert_eq!(
        monitor.named("c-vpc").parent,
        net.urn,
        "nested under the component child"
    );
    assert!(
        monitor.outputs().iter().any(|(urn, _)| *urn == net.urn),
        "a component child is completed"
    );
}

#[tokio::test]
async fn independent_chains_do_not_wait_for_each_other() {
    // a1 → a2 and b1 → b2. The monitor answers a1 only once b2 is
    // registered: registering in waves ({a1, b1}, then {a2, b2}) never
    // gets there, registering each child when its own input is ready does.
    let config = FakeMonitorConfig {
        hold: vec![("c-a1".into(), "c-b2".into())],
        ..FakeMonitorConfig::default()
    };
    let monitor = FakeMonitor::start(config).await;
    let component = Scripted::new(|_, _| {
        plan(vec![
            child("a1"),
            child("a2").input("bucket", Expr::output("a1", "id")),
            child("b1"),
            child("b2").input("bucket", Expr::output("b1", "id")),
        ])
    });
    let done = tokio::time::timeout(
        Duration::from_secs(20),
        monitor.construct(&component, &call(PropertyMap::new())),
    )
    .await
    .expect("construct must not deadlock");
    done.expect("construct");
    let order: Vec<String> = monitor
        .registrations()
        .into_iter()
        .map(|r| r.name)
        .collect();
    let at = |n: &str| order.iter().position(|x| x == n).expect(n);
    assert!(
        at("c-b2") < at("c-a2"),
        "b's chain went ahead while a1 waited: {order:?}"
    );
    assert!(at("c-a1") < at("c-a2") && at("c-b1") < at("c-b2"));
}

#[tokio::test]
async fn a_secret_input_stays_secret_in_the_children_and_outputs_derived_from_it() {
    let monitor = FakeMonitor::start(FakeMonitorConfig {
        dry_run: false,
        ..FakeMonitorConfig::default()
    })
    .await;
    let component = Scripted::new(|_, inputs| {
        let password = Expr::Value(inputs["password"].clone());
        let label = Expr::Value(inputs["label"].clone());
        ComponentPlan {
            children: vec![
                child("secretive").input("password", password),
                child("plain").input("label", label),
            ],
            outputs: BTreeMap::from([
                (
                    "url".to_string(),
                    Expr::Concat(vec![
                        "https://".into(),
                        Expr::output("secretive", "password"),
                    ]),
                ),
                (
                    "label".to_string(),
                    Expr::Concat(vec!["label: ".into(), Expr::output("plain", "label")]),
                ),
            ]),
            ..ComponentPlan::default()
        }
    });
    let inputs = PropertyMap::from([
        (
            "password".into(),
            Value::Secret(Box::new(Value::string("pw"))),
        ),
        ("label".into(), Value::string("hello")),
    ]);
    let resp = monitor
        .construct(&component, &call(inputs))
        .await
        .expect("construct");
    assert_eq!(
        monitor.named("c-secretive").inputs["password"],
        Value::Secret(Box::new(Value::string("pw")))
    );
    assert_eq!(
        resp.state["url"],
        Value::Secret(Box::new(Value::string("https://pw")))
    );
    // What never touched the secret stays readable.
    assert_eq!(
        monitor.named("c-plain").inputs["label"],
        Value::string("hello")
    );
    assert_eq!(resp.state["label"], Value::string("label: hello"));
}

#[tokio::test]
async fn the_planner_sees_config_the_program_directory_and_its_options() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let component = Scripted::new(|_, _| plan(vec![]));
    let mut c = call(PropertyMap::new());
    c.config = BTreeMap::from([("aws:region".into(), "eu-west-1".into())]);
    c.program_directory = Some(PathBuf::from("/src/app"));
    c.options = component_options();
    monitor.construct(&component, &c).await.expect("construct");
    let ctx = component
        .seen
        .lock()
        .expect("lock")
        .clone()
        .expect("planned");
    assert_eq!(ctx.config("aws:region"), Some(Value::string("eu-west-1")));
    assert_eq!(ctx.resolve_path("dist"), PathBuf::from("/src/app/dist"));
    assert_eq!(ctx.options.providers["aws"], EAST);
    assert_eq!(
        ctx.options.custom_timeouts.create,
        Some(Duration::from_secs(420))
    );
}

#[tokio::test]
async fn an_expression_that_cannot_be_rendered_names_the_child_and_property() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let component = Scripted::new(|_, _| {
        plan(vec![child("a").input(
            "policy",
            Expr::Concat(vec!["arn:".into(), Expr::Value(Value::Array(vec![]))]),
        )])
    });
    let e = monitor
        .construct(&component, &call(PropertyMap::new()))
        .await
        .expect_err("refused");
    assert!(matches!(e, ProtocolError::Expr { .. }), "{e}");
    let message = e.to_string();
    assert!(
        message.contains("`policy`") && message.contains("`a`") && message.contains("a list"),
        "{message}"
    );
}

#[tokio::test]
async fn a_broken_plan_registers_nothing_and_warnings_reach_the_user() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let broken =
        Scripted::new(|_, _| plan(vec![child("a").input("x", Expr::output("ghost", "id"))]));
    let e = monitor
        .construct(&broken, &call(PropertyMap::new()))
        .await
        .expect_err("refused");
    assert!(e.to_string().contains("ghost"), "{e}");
    assert!(monitor.registrations().is_empty());

    let warns = Scripted::new(|_, _| ComponentPlan {
        warnings: vec!["ignoreChanges names no input".into()],
        ..ComponentPlan::default()
    });
    let resp = monitor
        .construct(&warns, &call(PropertyMap::new()))
        .await
        .expect("construct");
    assert_eq!(
        monitor.logs(),
        vec![(
            Severity::Warning,
            resp.urn,
            "ignoreChanges names no input".to_string()
        )]
    );
}

#[tokio::test]
async fn component_options_reach_the_component_registration() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let component = Scripted::new(|_, _| plan(vec![]));
    let mut c = call(PropertyMap::new());
    c.options = ComponentOptions {
        ignore_changes: vec!["label".into()],
        replace_on_changes: vec!["password".into()],
        ..component_options()
    };
    monitor.construct(&component, &c).await.expect("construct");
    let r = monitor.named("c").raw;
    assert_eq!(r.ignore_changes, vec!["label".to_string()]);
    assert_eq!(r.replace_on_changes, vec!["password".to_string()]);
    assert_eq!(r.protect, Some(true));
    assert_eq!(r.retain_on_delete, Some(true));
    assert_eq!(r.providers.get("aws").map(String::as_str), Some(EAST));
    let t = r.custom_timeouts.expect("timeouts");
    assert_eq!(t.create, "420s");
}

const API: &str = "urn:pulumi:dev::proj::launchpad:index:Function::api";

/// A planner that keeps the inputs it was given.
fn recording() -> (Scripted, std::sync::Arc<Mutex<PropertyMap>>) {
    let seen = std::sync::Arc::new(Mutex::new(PropertyMap::new()));
    let keep = std::sync::Arc::clone(&seen);
    let component = Scripted::new(move |_, inputs| {
        *keep.lock().expect("lock") = inputs.clone();
        plan(vec![])
    });
    (component, seen)
}

fn outputs_of(v: &Value) -> Option<PropertyMap> {
    match v.unwrap_top().0 {
        Some(Value::ResourceReference(r)) => r.outputs.clone(),
        _ => None,
    }
}

#[tokio::test]
async fn a_component_given_as_an_input_reaches_the_planner_with_its_outputs_read_once() {
    let api_outputs = PropertyMap::from([
        ("functionName".to_string(), Value::string("api-1234")),
        ("urlAuthType".to_string(), Value::string("AWS_IAM")),
    ]);
    let monitor = FakeMonitor::start(FakeMonitorConfig {
        components: BTreeMap::from([(API.to_string(), api_outputs.clone())]),
        ..FakeMonitorConfig::default()
    })
    .await;
    let (component, seen) = recording();
    // Twice, nested, and once behind an output value as `inputDependencies` make it.
    let route =
        |function: Value| Value::Object(PropertyMap::from([("function".to_string(), function)]));
    let routes = Value::Array(vec![
        route(component_reference(API)),
        route(Value::Output(OutputValue {
            value: Some(Box::new(component_reference(API))),
            secret: false,
            dependencies: vec![API.to_string()],
        })),
    ]);
    monitor
        .construct(
            &component,
            &call(PropertyMap::from([("routes".to_string(), routes)])),
        )
        .await
        .expect("construct");
    let seen = seen.lock().expect("lock").clone();
    let Some(Value::Array(items)) = seen.get("routes") else {
        panic!("routes is a list: {seen:?}")
    };
    for item in items {
        let Value::Object(route) = item else {
            panic!("an object: {item:?}")
        };
        assert_eq!(outputs_of(&route["function"]), Some(api_outputs.clone()));
    }
    assert_eq!(monitor.resource_reads(), vec![API.to_string()]);
}

#[tokio::test]
async fn a_component_constructed_earlier_is_read_from_its_registered_outputs() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let first = Scripted::new(|_, _| ComponentPlan {
        outputs: [("url".to_string(), Expr::Value("https://a".into()))].into(),
        ..ComponentPlan::default()
    });
    let made = monitor
        .construct(&first, &call(PropertyMap::new()))
        .await
        .expect("construct");
    let (second, seen) = recording();
    let inputs = PropertyMap::from([("previous".to_string(), component_reference(&made.urn))]);
    monitor
        .construct(&second, &ConstructCall::new(DEF.token, "d", inputs))
        .await
        .expect("construct");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        outputs_of(&seen["previous"]),
        Some(PropertyMap::from([(
            "url".to_string(),
            Value::string("https://a")
        )]))
    );
}

#[tokio::test]
async fn a_component_the_engine_does_not_know_fails_naming_the_property_and_urn() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let (component, _) = recording();
    let routes = Value::Array(vec![Value::Object(PropertyMap::from([(
        "function".to_string(),
        component_reference(API),
    )]))]);
    let e = monitor
        .construct(
            &component,
            &call(PropertyMap::from([("routes".to_string(), routes)])),
        )
        .await
        .expect_err("refused");
    let ProtocolError::Input(e) = e else {
        panic!("an input error: {e}")
    };
    assert_eq!(
        (e.code, e.property.as_str()),
        ("LP1103", "routes[0].function")
    );
    assert!(
        e.message.contains(API) && e.message.contains("unknown resource"),
        "{}",
        e.message
    );
    assert!(monitor.registrations().is_empty());
}

#[tokio::test]
async fn a_component_output_that_is_secret_stays_secret_when_read() {
    // `additionalSecretOutputs: ["url"]` on the Function: the engine keeps the
    // secret in the state it answers with, and the reader must not drop it.
    let api_outputs = PropertyMap::from([
        ("functionName".to_string(), Value::string("api-1234")),
        (
            "url".to_string(),
            Value::Secret(Box::new(Value::string(
                "https://abc.lambda-url.eu-west-1.on.aws/",
            ))),
        ),
    ]);
    let monitor = FakeMonitor::start(FakeMonitorConfig {
        components: BTreeMap::from([(API.to_string(), api_outputs.clone())]),
        ..FakeMonitorConfig::default()
    })
    .await;
    let (component, seen) = recording();
    monitor
        .construct(
            &component,
            &call(PropertyMap::from([(
                "function".to_string(),
                component_reference(API),
            )])),
        )
        .await
        .expect("construct");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(outputs_of(&seen["function"]), Some(api_outputs));
}

/// Reads its inputs as a component does: through an [`ArgsReader`].
struct Typed;

impl Component for Typed {
    fn definition(&self) -> &'static ComponentDef {
        &DEF
    }

    fn plan(
        &self,
        _: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        ArgsReader::new(DEF.inputs, inputs)?.raw("label")?;
        Ok(plan(vec![]))
    }
}

#[tokio::test]
async fn a_component_where_the_schema_expects_something_else_is_a_wrong_type_not_read() {
    // The engine does not know it: reading it would fail, and must not be tried.
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let e = monitor
        .construct(
            &Typed,
            &call(PropertyMap::from([(
                "label".to_string(),
                component_reference(API),
            )])),
        )
        .await
        .expect_err("refused");
    let ProtocolError::Input(e) = e else {
        panic!("an input error: {e}")
    };
    assert_eq!(e.property, "label");
    assert_eq!(
        e.message,
        "`label` must be a string, got a launchpad.Function"
    );
    assert_eq!(monitor.resource_reads(), Vec::<String>::new());
    assert!(monitor.registrations().is_empty());
}
