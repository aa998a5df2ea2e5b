//! `testing::ResourceDriver` against a resource each test can read: what
//! the driver sends arrives as the engine would send it (configuration,
//! olds, timeouts) and what the provider answers comes back whole
//! (replacements, failures, a gone resource).

use std::time::Duration;

use launchpad_core::custom::{
    ChangeKind, CheckResult, Created, CustomResource, DiffResult, PropertyChange, ResourceContext,
    ResourceError, State,
};
use launchpad_core::schema::{PackageDef, PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{InputError, Package, PropertyMap, Value};
use launchpad_protocol::testing::{DiffVerdict, ResourceCall, ResourceDriver};

static ECHO: ResourceDef = ResourceDef {
    token: "test:index:Echo",
    description: "Answers with what it was sent.",
    inputs: &[PropertyDef::new(
        "zone",
        TypeDef::String,
        "Where it lives; changing it replaces.",
    )],
    outputs: &[],
};

static PACKAGE: PackageDef = PackageDef {
    name: "test",
    version: "0.0.1",
    display_name: "test",
    description: "Test only.",
    repository: "",
    plugin_download_url: "",
    keywords: &[],
    publisher: "launchpad",
    logo_url: "",
    license: "Apache-2.0",
    npm_package: "test",
    python_package: "test",
    nodejs_pulumi_range: "^3.0.0",
    nodejs_typescript_version: "5.0.0",
    python_pulumi_range: ">=3.0.0",
    config: &[],
};

/// Creates answer with the provider's configuration, the deadline it was
/// given and the ID; a `zone` change replaces, deleting first; only the
/// ID `gone` does not exist.
struct Echo;

#[async_trait::async_trait]
impl CustomResource for Echo {
    fn definition(&self) -> &'static ResourceDef {
        &ECHO
    }

    async fn check(
        &self,
        _: &ResourceContext,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> CheckResult {
        let failures = (olds.get("zone") == Some(&Value::string("frozen"))
            && news.get("zone") != olds.get("zone"))
        .then(|| InputError::new("zone", "zone=\"frozen\" cannot change"))
        .into_iter()
        .collect();
        CheckResult {
            inputs: news,
            failures,
        }
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        _: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        Ok(DiffResult {
            delete_before_replace: true,
            ..DiffResult::between(&old.inputs, news, &["zone"])
        })
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        let mut outputs = (*ctx.config).clone();
        outputs.extend(inputs.clone());
        // Whether the request's deadline interrupts it (10 s: a hang guard).
        let interrupted = tokio::time::timeout(Duration::from_secs(10), ctx.interrupted())
            .await
            .is_ok();
        outputs.insert("interrupted".into(), Value::Bool(interrupted));
        Ok(Created {
            id: if preview {
                String::new()
            } else {
                "echo-1".into()
            },
            outputs,
        })
    }

    async fn read(
        &self,
        _: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        Ok((id != "gone").then(|| old.clone()))
    }

    async fn update(
        &self,
        _: &ResourceContext,
        _: &str,
        _: &State,
        news: &PropertyMap,
        _: bool,
    ) -> Result<PropertyMap, ResourceError> {
        Ok(news.clone())
    }

    async fn delete(&self, _: &ResourceContext, id: &str, _: &State) -> Result<(), ResourceError> {
        match id {
            "stuck" => Err(ResourceError::Failed("echo stuck cannot be deleted".into())),
            _ => Ok(()),
        }
    }
}

async fn driver() -> ResourceDriver {
    let package = Package {
        def: &PACKAGE,
        components: Vec::new(),
        resources: vec![Box::new(Echo)],
    };
    ResourceDriver::start(package, ECHO.token).await
}

fn zone(z: &str) -> PropertyMap {
    PropertyMap::from([("zone".to_string(), Value::string(z))])
}

#[tokio::test]
async fn configuration_and_deadlines_reach_the_resource() {
    let d = driver().await;
    d.configure(&PropertyMap::from([(
        "apiKey".to_string(),
        Value::Secret(Box::new(Value::string("k"))),
    )]))
    .await
    .expect("configured");
    let created = d
        .create(&ResourceCall {
            timeout: Some(Duration::from_millis(50)),
            ..ResourceCall::new("e", zone("a"))
        })
        .await
        .expect("created");
    assert_eq!(created.id, "echo-1");
    assert_eq!(
        created.outputs["apiKey"],
        Value::Secret(Box::new(Value::string("k")))
    );
    assert_eq!(created.outputs["zone"], Value::string("a"));
    assert_eq!(
        created.outputs["interrupted"],
        Value::Bool(true),
        "the 50 ms deadline reached the resource"
    );
}

#[tokio::test]
async fn a_diff_comes_back_with_its_replacements_and_check_with_its_failures() {
    let d = driver().await;
    let old = State {
        inputs: zone("a"),
        outputs: PropertyMap::new(),
    };
    let diffed = d
        .diff(&ResourceCall::new("e", zone("b")).on("echo-1", old.clone()))
        .await
        .expect("diff");
    assert_eq!(diffed.verdict, DiffVerdict::Changed);
    assert_eq!(diffed.replaces, vec!["zone".to_string()]);
    assert!(diffed.delete_before_replace);
    assert_eq!(
        diffed.detailed.expect("detailed")["zone"],
        PropertyChange {
            kind: ChangeKind::Update,
            replace: true
        }
    );
    let same = d
        .diff(&ResourceCall::new("e", zone("a")).on("echo-1", old))
        .await
        .expect("diff");
    assert_eq!(same.verdict, DiffVerdict::Unchanged);

    let frozen = State {
        inputs: zone("frozen"),
        outputs: PropertyMap::new(),
    };
    let checked = d
        .check(&ResourceCall::new("e", zone("b")).on("", frozen))
        .await
        .expect("answered");
    assert_eq!(
        checked.failures,
        vec![InputError::new("zone", "zone=\"frozen\" cannot change")]
    );
}

#[tokio::test]
async fn read_says_gone_and_a_failed_delete_keeps_its_message() {
    let d = driver().await;
    let kept = State {
        inputs: zone("a"),
        outputs: zone("a"),
    };
    let live = d
        .read(&ResourceCall::new("e", PropertyMap::new()).on("echo-1", kept.clone()))
        .await
        .expect("read")
        .expect("there");
    assert_eq!((live.id.as_str(), &live.state), ("echo-1", &kept));
    let gone = d
        .read(&ResourceCall::new("e", PropertyMap::new()).on("gone", kept))
        .await
        .expect("read");
    assert_eq!(gone, None);

    let failure = d
        .delete(&ResourceCall::new("e", PropertyMap::new()).on("stuck", State::default()))
        .await
        .expect_err("refused");
    assert_eq!(failure.message, "echo stuck cannot be deleted");
    assert!(failure.partial.is_none());
}
