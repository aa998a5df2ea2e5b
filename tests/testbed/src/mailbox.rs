//! `testbed:index:Mailbox`: a native resource in a folder that stands in
//! for a cloud. Each mailbox is `<cloud>/<id>.json` holding what it really
//! is (`{"owner": …, "password": …}`), so a test can change it behind
//! Pulumi's back (drift) or put one there to import.

use std::path::PathBuf;
use std::time::Duration;

use launchpad_core::custom::{
    CheckResult, Created, CustomResource, DiffResult, ResourceContext, ResourceError, State,
};
use launchpad_core::schema::{PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{InputError, PropertyMap, Value};

/// The inputs of a mailbox.
static INPUTS: &[PropertyDef] = &[
    PropertyDef::new("owner", TypeDef::String, "Owner.").required(),
    PropertyDef::new("password", TypeDef::String, "Password."),
    PropertyDef::new(
        "readySeconds",
        TypeDef::Number,
        "How long the mailbox takes to become ready after it exists.",
    ),
];

/// The mailbox resource's definition.
pub static MAILBOX: ResourceDef = ResourceDef {
    token: "testbed:index:Mailbox",
    description: "A mailbox in a folder that stands in for a cloud.",
    inputs: INPUTS,
    outputs: &[
        PropertyDef::new("address", TypeDef::String, "`<owner>@test`.").derived_from(&["owner"]),
        PropertyDef::new(
            "passwordHint",
            TypeDef::String,
            "The password's first letter.",
        )
        .derived_from(&["password"]),
        PropertyDef::new("revision", TypeDef::Integer, "Updates so far."),
        PropertyDef::new(
            "previousOwner",
            TypeDef::String,
            "Owner before the last update.",
        ),
        PropertyDef::new("apiKey", TypeDef::String, "Always secret.").secret(),
    ],
};

/// The folder standing in for a cloud.
#[derive(Clone, Debug)]
pub struct Cloud {
    dir: PathBuf,
}

impl Cloud {
    /// A cloud kept in `dir` (created when needed).
    pub fn new(dir: impl Into<PathBuf>) -> Cloud {
        Cloud { dir: dir.into() }
    }

    fn file(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Store mailbox `id` as `(owner, password)`.
    pub fn put(&self, id: &str, owner: &str, password: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let json = serde_json::json!({"owner": owner, "password": password});
        std::fs::write(self.file(id), json.to_string())
    }

    /// What mailbox `id` really is, if it exists.
    pub fn get(&self, id: &str) -> Option<(String, String)> {
        let text = std::fs::read_to_string(self.file(id)).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let field = |k: &str| json[k].as_str().unwrap_or_default().to_string();
        Some((field("owner"), field("password")))
    }

    /// Remove mailbox `id`; gone already is fine.
    pub fn remove(&self, id: &str) {
        let _ = std::fs::remove_file(self.file(id));
    }
}

/// The mailbox resource.
pub struct Mailbox {
    /// Where mailboxes are kept.
    pub cloud: Cloud,
}

fn text(map: &PropertyMap, key: &str) -> String {
    match map.get(key).map(Value::unwrap_top) {
        Some((Some(Value::String(s)), _)) => s.clone(),
        _ => String::new(),
    }
}

/// The outputs a mailbox has, computed from what it is.
fn outputs(owner: &str, password: &str, revision: f64, previous: &str) -> PropertyMap {
    PropertyMap::from([
        ("address".into(), Value::string(format!("{owner}@test"))),
        (
            "passwordHint".into(),
            Value::string(password.chars().take(1).collect::<String>()),
        ),
        ("revision".into(), Value::Number(revision)),
        ("previousOwner".into(), Value::string(previous)),
        ("apiKey".into(), Value::string(format!("key-{owner}"))),
        ("length".into(), Value::Number(password.len() as f64)),
    ])
}

fn failed(e: std::io::Error) -> ResourceError {
    ResourceError::Failed(format!("the test cloud refused: {e}"))
}

#[async_trait::async_trait]
impl CustomResource for Mailbox {
    fn definition(&self) -> &'static ResourceDef {
        &MAILBOX
    }

    async fn check(&self, _: &ResourceContext, _: &PropertyMap, news: PropertyMap) -> CheckResult {
        let failures = match news.get("owner").map(Value::unwrap_top) {
            Some((Some(Value::String(_)), _)) | Some((None, _)) => vec![],
            _ => vec![InputError::new("owner", "owner must be a string")],
        };
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
        Ok(DiffResult::between(&old.inputs, news, &[]))
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        if preview {
            return Ok(Created {
                id: String::new(),
                outputs: PropertyMap::from([("address".into(), Value::unknown())]),
            });
        }
        let (owner, password) = (text(inputs, "owner"), text(inputs, "password"));
        let id = format!("mbx-{owner}");
        self.cloud.put(&id, &owner, &password).map_err(failed)?;
        let outputs = outputs(&owner, &password, 0.0, "");
        // Becoming ready takes a while; report it, and stop when told to.
        let ready = match inputs.get("readySeconds").map(Value::unwrap_top) {
            Some((Some(Value::Number(s)), _)) if *s > 0.0 => Duration::from_secs_f64(*s),
            _ => Duration::ZERO,
        };
        ctx.log.progress("waiting for the mailbox to become ready");
        if let Err(interrupted) = ctx.run(tokio::time::sleep(ready)).await {
            return Err(ResourceError::PartiallyCreated {
                id,
                outputs,
                inputs: inputs.clone(),
                reasons: vec![format!(
                    "the mailbox exists but is not ready: {interrupted}"
                )],
            });
        }
        Ok(Created { id, outputs })
    }

    async fn read(
        &self,
        _: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        let Some((owner, password)) = self.cloud.get(id) else {
            return Ok(None);
        };
        let revision = match old.outputs.get("revision") {
            Some(Value::Number(n)) => *n,
            _ => 0.0,
        };
        let mut inputs = PropertyMap::from([("owner".into(), Value::string(&owner))]);
        if !password.is_empty() {
            inputs.insert("password".into(), Value::string(&password));
        }
        // Settings that are not part of what the mailbox is stay as they were.
        if let Some(ready) = old.inputs.get("readySeconds") {
            inputs.insert("readySeconds".into(), ready.clone());
        }
        Ok(Some(State {
            outputs: outputs(
                &owner,
                &password,
                revision,
                &text(&old.outputs, "previousOwner"),
            ),
            inputs,
        }))
    }

    async fn update(
        &self,
        _: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        let (owner, password) = (text(news, "owner"), text(news, "password"));
        let revision = match old.outputs.get("revision") {
            Some(Value::Number(n)) => n + 1.0,
            _ => return Err(ResourceError::Failed("update without old outputs".into())),
        };
        if !preview {
            self.cloud.put(id, &owner, &password).map_err(failed)?;
        }
        Ok(outputs(
            &owner,
            &password,
            revision,
            &text(&old.inputs, "owner"),
        ))
    }

    async fn delete(&self, _: &ResourceContext, id: &str, _: &State) -> Result<(), ResourceError> {
        self.cloud.remove(id);
        Ok(())
    }
}
