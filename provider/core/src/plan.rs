//! What a component's planner returns: the child resources to register and
//! the component's outputs, as expressions over the children's outputs.
//!
//! The planner is pure; [`crate::construct`] registers the children in
//! dependency order and resolves the expressions as outputs come back.

use std::collections::{BTreeMap, BTreeSet};

use crate::options::{ChildOptions, ComponentOptions};
use crate::schema::PropertyDef;
use crate::value::{PropertyMap, Taint, Value};

/// An input or output expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal, possibly carrying the user's secrets and unknowns.
    Value(Value),
    /// An output property of an earlier child (`id` and `urn` included), or
    /// a path into one (`domainValidationOptions[0].resourceRecordName`).
    Output {
        /// The child's key in the plan.
        child: String,
        /// The output property or path.
        property: String,
    },
    /// String concatenation; unknown if any part is, secret if any part is.
    Concat(Vec<Expr>),
    /// The JSON text of a document; unknown if any part is, secret if any part is.
    Json(Box<Expr>),
    /// An array of expressions.
    Array(Vec<Expr>),
    /// An object of expressions.
    Object(BTreeMap<String, Expr>),
    /// A value that must not be used before these children exist: it
    /// resolves to the inner expression, depending on them too.
    After(Box<Expr>, Vec<String>),
    /// One of the `separator`-separated fields of a string, for what only a
    /// created resource tells (the account in its ARN, say); unknown if the
    /// string is, secret if it is.
    Field {
        /// The string.
        of: Box<Expr>,
        /// What separates the fields.
        separator: char,
        /// Which field, from 0.
        index: usize,
    },
    /// The first expression, unless it resolves to null (absent: an output
    /// a provider did not report), then the second.
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// An output of child `child`.
    pub fn output(child: &str, property: &str) -> Expr {
        Expr::Output {
            child: child.to_string(),
            property: property.to_string(),
        }
    }

    /// Field `index` (from 0) of the `separator`-separated fields of `of`.
    pub fn field(of: Expr, separator: char, index: usize) -> Expr {
        Expr::Field {
            of: Box::new(of),
            separator,
            index,
        }
    }

    /// `self`, or `fallback` where `self` resolves to null.
    pub fn or(self, fallback: impl Into<Expr>) -> Expr {
        Expr::Or(Box::new(self), Box::new(fallback.into()))
    }

    /// An array of literal strings.
    pub fn strings(items: &[&str]) -> Expr {
        Expr::Array(items.iter().map(|s| (*s).into()).collect())
    }

    /// An object from pairs.
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The children this expression reads from.
    pub fn children(&self, into: &mut BTreeSet<String>) {
        match self {
            Expr::Value(_) => {}
            Expr::Output { child, .. } => {
                into.insert(child.clone());
            }
            Expr::Concat(parts) | Expr::Array(parts) => parts.iter().for_each(|p| p.children(into)),
            Expr::Json(inner) | Expr::Field { of: inner, .. } => inner.children(into),
            Expr::Or(first, fallback) => {
                first.children(into);
                fallback.children(into);
            }
            Expr::Object(map) => map.values().for_each(|p| p.children(into)),
            Expr::After(inner, children) => {
                inner.children(into);
                into.extend(children.iter().cloned());
            }
        }
    }
}

impl<T: Into<Value>> From<T> for Expr {
    fn from(v: T) -> Expr {
        Expr::Value(v.into())
    }
}

/// How the type token of a provider resource starts.
const PROVIDER_PREFIX: &str = "pulumi:providers:";

/// One child resource to register.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildResource {
    /// The key other expressions use to refer to this child.
    pub key: String,
    /// The type token, e.g. `aws:s3/bucket:Bucket`.
    pub type_token: String,
    /// The logical name (unique within the stack).
    pub name: String,
    /// A custom resource (`true`), or a component grouping other children
    /// (which name it as their [`ChildOptions::parent`]).
    pub custom: bool,
    /// Input properties.
    pub inputs: BTreeMap<String, Expr>,
    /// Its resource options.
    pub options: ChildOptions,
}

impl ChildResource {
    /// A custom child with no inputs yet.
    pub fn new(key: &str, type_token: &str, name: String) -> ChildResource {
        ChildResource {
            key: key.to_string(),
            type_token: type_token.to_string(),
            name,
            custom: true,
            inputs: BTreeMap::new(),
            options: ChildOptions::default(),
        }
    }

    /// A component child: it groups the children that name it as parent.
    pub fn component(key: &str, type_token: &str, name: String) -> ChildResource {
        ChildResource {
            custom: false,
            ..ChildResource::new(key, type_token, name)
        }
    }

    /// Set an input.
    pub fn input(mut self, name: &str, value: impl Into<Expr>) -> ChildResource {
        self.inputs.insert(name.to_string(), value.into());
        self
    }

    /// Set an input only when the user gave a value.
    pub fn input_opt(self, name: &str, value: Option<impl Into<Expr>>) -> ChildResource {
        match value {
            Some(v) => self.input(name, v),
            None => self,
        }
    }

    /// Adjust the resource options.
    pub fn with_options(mut self, adjust: impl FnOnce(&mut ChildOptions)) -> ChildResource {
        adjust(&mut self.options);
        self
    }

    /// The package a type token belongs to (`aws` for `aws:s3/bucket:Bucket`,
    /// and for the provider resource `pulumi:providers:aws`).
    pub fn package(&self) -> &str {
        match self.type_token.strip_prefix(PROVIDER_PREFIX) {
            Some(package) => package,
            None => self.type_token.split(':').next().unwrap_or_default(),
        }
    }

    /// Whether this child is a provider resource (`pulumi:providers:aws`),
    /// which is never itself given a provider.
    pub fn is_provider(&self) -> bool {
        self.type_token.starts_with(PROVIDER_PREFIX)
    }

    /// Every child this one must wait for: those its inputs read and those
    /// its options name.
    pub fn prerequisites(&self) -> BTreeSet<String> {
        let mut set: BTreeSet<String> = self.options.children().cloned().collect();
        self.inputs.values().for_each(|e| e.children(&mut set));
        set
    }
}

/// A component's plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ComponentPlan {
    /// Children, in any order: each is registered once the children it
    /// depends on are.
    pub children: Vec<ChildResource>,
    /// The component's outputs.
    pub outputs: BTreeMap<String, Expr>,
    /// Warnings for the user, shown on the component.
    pub warnings: Vec<String>,
    /// Which child inputs each component input becomes, so that
    /// `ignoreChanges` and `replaceOnChanges` given to the component (in
    /// terms of its own inputs) reach the children: input → `(child, input)`.
    pub input_targets: BTreeMap<String, Vec<(String, String)>>,
}

impl ComponentPlan {
    /// The child with `key`.
    pub fn child(&self, key: &str) -> Option<&ChildResource> {
        self.children.iter().find(|c| c.key == key)
    }

    /// Record that component input `input` becomes `property` of `child`
    /// (once, however often it is said).
    pub fn feeds(&mut self, input: &str, child: &str, property: &str) {
        let targets = self.input_targets.entry(input.to_string()).or_default();
        let target = (child.to_string(), property.to_string());
        if !targets.contains(&target) {
            targets.push(target);
        }
    }

    /// Record the feeds the component's input definitions declare
    /// ([`PropertyDef::feeds`]): a feed to a child key reaches that child
    /// when the plan has it; a key ending in `*` reaches every child whose
    /// key starts so and whose inputs have the property.
    pub fn declare_feeds(&mut self, inputs: &[PropertyDef]) {
        for def in inputs {
            for feed in def.feeds {
                let Some((child, property)) = feed.split_once('.') else {
                    continue;
                };
                let keys: Vec<String> = match child.strip_suffix('*') {
                    Some(prefix) => self
                        .children
                        .iter()
                        .filter(|c| c.key.starts_with(prefix) && c.inputs.contains_key(property))
                        .map(|c| c.key.clone())
                        .collect(),
                    None => self
                        .child(child)
                        .map(|c| c.key.clone())
                        .into_iter()
                        .collect(),
                };
                for key in keys {
                    self.feeds(def.name, &key, property);
                }
            }
        }
    }

    /// Apply the component's `ignoreChanges` and `replaceOnChanges` to the
    /// child inputs its named inputs become; a name that reaches no child
    /// is a warning that lists the names that do.
    pub fn apply_component_options(&mut self, options: &ComponentOptions) {
        for (option, names, replace) in [
            ("ignoreChanges", &options.ignore_changes, false),
            ("replaceOnChanges", &options.replace_on_changes, true),
        ] {
            for name in names {
                let targets = self.input_targets.get(name).cloned().unwrap_or_default();
                let mut reached = false;
                for (key, property) in targets {
                    if let Some(child) = self.children.iter_mut().find(|c| c.key == key) {
                        let list = if replace {
                            &mut child.options.replace_on_changes
                        } else {
                            &mut child.options.ignore_changes
                        };
                        if !list.contains(&property) {
                            list.push(property);
                        }
                        reached = true;
                    }
                }
                if !reached {
                    let valid = self.input_targets.keys().cloned().collect::<Vec<_>>();
                    self.warnings.push(format!(
                        "{option}: `{name}` changes no child resource here, so it has no effect; inputs it can name: {}",
                        if valid.is_empty() { "none".to_string() } else { valid.join(", ") }
                    ));
                }
            }
        }
    }

    /// Check the plan's shape before anything is registered: unique keys,
    /// every reference to a child that exists (a component child where a
    /// parent is named), and no cycle.
    pub fn validate(&self) -> Result<(), PlanError> {
        let mut keys = BTreeSet::new();
        for child in &self.children {
            if !keys.insert(child.key.as_str()) {
                return Err(PlanError(format!(
                    "two children have the key `{}`",
                    child.key
                )));
            }
        }
        for child in &self.children {
            if let Some(missing) = child
                .prerequisites()
                .into_iter()
                .find(|p| !keys.contains(p.as_str()))
            {
                return Err(PlanError(format!(
                    "child `{}` refers to `{missing}`, which is not in the plan",
                    child.key
                )));
            }
            if let Some(parent) = &child.options.parent
                && self.child(parent).is_some_and(|p| p.custom)
            {
                return Err(PlanError(format!(
                    "child `{}` names `{parent}` as parent, which is not a component",
                    child.key
                )));
            }
        }
        let mut outputs = BTreeSet::new();
        self.outputs.values().for_each(|e| e.children(&mut outputs));
        if let Some(missing) = outputs.iter().find(|p| !keys.contains(p.as_str())) {
            return Err(PlanError(format!(
                "an output refers to `{missing}`, which is not in the plan"
            )));
        }
        // Kahn's algorithm: whatever is left waits on itself.
        let mut done: BTreeSet<&str> = BTreeSet::new();
        loop {
            let ready: Vec<&str> = self
                .children
                .iter()
                .filter(|c| !done.contains(c.key.as_str()))
                .filter(|c| c.prerequisites().iter().all(|p| done.contains(p.as_str())))
                .map(|c| c.key.as_str())
                .collect();
            if ready.is_empty() {
                break;
            }
            done.extend(ready);
        }
        if done.len() < self.children.len() {
            let stuck: Vec<&str> = self
                .children
                .iter()
                .map(|c| c.key.as_str())
                .filter(|k| !done.contains(k))
                .collect();
            return Err(PlanError(format!(
                "children wait on each other: {}",
                stuck.join(", ")
            )));
        }
        Ok(())
    }
}

/// A plan that cannot be registered: a bug in the component, reported
/// before anything is registered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("internal planning error: {0}")]
pub struct PlanError(pub String);

/// An expression that resolved to something its place cannot hold (a list
/// inside a concatenation, say); the caller names the child and property.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExprError(pub String);

/// A registered child as seen by expressions: its URN, ID and outputs.
#[derive(Clone, Debug)]
pub struct Registered {
    /// The child's URN.
    pub urn: String,
    /// Its ID (empty or unknown during preview).
    pub id: Value,
    /// Its output properties.
    pub outputs: PropertyMap,
}

/// A resolved expression: the value and the children URNs it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The value.
    pub value: Value,
    /// URNs of the resources the value depends on.
    pub dependencies: BTreeSet<String>,
}

/// Resolve `expr` against registered children. `dry_run` tells what a
/// missing output means: unknown during preview, null otherwise.
pub fn resolve(
    expr: &Expr,
    registered: &BTreeMap<String, Registered>,
    dry_run: bool,
) -> Result<Resolved, ExprError> {
    let mut deps = BTreeSet::new();
    let value = resolve_into(expr, registered, dry_run, &mut deps)?;
    Ok(Resolved {
        value,
        dependencies: deps,
    })
}

fn resolve_into(
    expr: &Expr,
    registered: &BTreeMap<String, Registered>,
    dry_run: bool,
    deps: &mut BTreeSet<String>,
) -> Result<Value, ExprError> {
    Ok(match expr {
        Expr::Value(v) => {
            deps.extend(v.taint().dependencies);
            v.clone()
        }
        Expr::Output { child, property } => {
            // The registration loop only resolves after prerequisites.
            let r = registered.get(child).ok_or_else(|| {
                ExprError(format!(
                    "reads `{child}.{property}` before `{child}` is registered"
                ))
            })?;
            deps.insert(r.urn.clone());
            match property.as_str() {
                "urn" => Value::String(r.urn.clone()),
                "id" => r.id.clone(),
                path => lookup(&r.outputs, path, dry_run),
            }
        }
        Expr::Concat(parts) => {
            let mut taint = Taint::default();
            let mut text = String::new();
            for part in parts {
                let v = resolve_into(part, registered, dry_run, deps)?;
                let (plain, t) = v.unwrap_top();
                taint.merge(t);
                match plain {
                    None => {}
                    Some(Value::String(s)) => text.push_str(s),
                    Some(Value::Number(n)) => text.push_str(&n.to_string()),
                    Some(Value::Bool(b)) => text.push_str(&b.to_string()),
                    Some(other) => {
                        return Err(ExprError(format!(
                            "cannot join {} into text",
                            kind_of(other)
                        )));
                    }
                }
            }
            Value::String(text).with_taint(&taint)
        }
        Expr::Json(inner) => {
            let v = resolve_into(inner, registered, dry_run, deps)?;
            let taint = v.taint();
            if taint.unknown {
                Value::unknown().with_taint(&taint)
            } else {
                let json = v.to_json().ok_or_else(|| {
                    ExprError(
                        "cannot write an asset, archive or resource into a JSON document".into(),
                    )
                })?;
                Value::String(json.to_string()).with_taint(&taint)
            }
        }
        Expr::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| resolve_into(i, registered, dry_run, deps))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_into(v, registered, dry_run, deps)?)))
                .collect::<Result<_, ExprError>>()?,
        ),
        Expr::After(inner, children) => {
            for c in children {
                let r = registered.get(c).ok_or_else(|| {
                    ExprError(format!("waits for `{c}`, which is not registered"))
                })?;
                deps.insert(r.urn.clone());
            }
            resolve_into(inner, registered, dry_run, deps)?
        }
        Expr::Or(first, fallback) => match resolve_into(first, registered, dry_run, deps)? {
            Value::Null => resolve_into(fallback, registered, dry_run, deps)?,
            v => v,
        },
        Expr::Field {
            of,
            separator,
            index,
        } => {
            let v = resolve_into(of, registered, dry_run, deps)?;
            let (plain, taint) = v.unwrap_top();
            match plain {
                None => Value::unknown().with_taint(&taint),
                Some(Value::String(text)) => match text.split(*separator).nth(*index) {
                    Some(field) => Value::string(field).with_taint(&taint),
                    None => {
                        // A secret is not quoted back.
                        let shown = if taint.secret {
                            "[secret]".to_string()
                        } else {
                            format!("{text:?}")
                        };
                        return Err(ExprError(format!(
                            "cannot read field {index} of {shown}: it has {} `{separator}`-separated fields",
                            text.split(*separator).count()
                        )));
                    }
                },
                Some(other) => {
                    return Err(ExprError(format!(
                        "cannot read field {index} of {}: it is not text",
                        kind_of(other)
                    )));
                }
            }
        }
    })
}

/// How a value that has no text form reads in a message.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "a missing value (null)",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
        Value::Asset(_) => "an asset",
        Value::Archive(_) => "an archive",
        Value::ResourceReference(_) => "a resource reference",
        _ => "a value",
    }
}

/// Follow `a.b[2].c` through outputs. Unknown stays unknown, a secret
/// anywhere on the way makes the result secret, and a missing step is
/// unknown in preview (the provider may not have said yet) and null after.
fn lookup(outputs: &PropertyMap, path: &str, dry_run: bool) -> Value {
    let missing = || {
        if dry_run {
            Value::unknown()
        } else {
            Value::Null
        }
    };
    let mut taint = Taint::default();
    let mut steps = path_steps(path).into_iter();
    let Some(PathStep::Key(first)) = steps.next() else {
        return missing();
    };
    let Some(mut current) = outputs.get(first) else {
        return missing();
    };
    for step in steps {
        let (plain, t) = current.unwrap_top();
        taint.merge(t);
        let next = match (plain, step) {
            (None, _) => return Value::unknown().with_taint(&taint),
            (Some(Value::Object(map)), PathStep::Key(k)) => map.get(k),
            (Some(Value::Array(items)), PathStep::Index(i)) => items.get(i),
            _ => None,
        };
        match next {
            Some(v) => current = v,
            None => return missing().with_taint(&taint),
        }
    }
    current.clone().secret_if(taint.secret)
}

enum PathStep<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_steps(path: &str) -> Vec<PathStep<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                steps.push(PathStep::Key(&rest[..open]));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(i) = stripped[..close].parse() {
                    steps.push(PathStep::Index(i));
                }
                rest = stripped.get(close + 1..).unwrap_or_default();
            }
        } else {
            steps.push(PathStep::Key(rest));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered() -> BTreeMap<String, Registered> {
        BTreeMap::from([(
            "bucket".to_string(),
            Registered {
                urn: "urn:bucket".into(),
                id: Value::string("b-1"),
                outputs: PropertyMap::from([
                    ("arn".to_string(), Value::string("arn:aws:s3:::b-1")),
                    ("domain".to_string(), Value::unknown()),
                    (
                        "secretName".to_string(),
                        Value::Secret(Box::new(Value::string("s"))),
                    ),
                ]),
            },
        )])
    }

    #[test]
    fn concat_and_json_propagate_unknowns_secrets_and_dependencies() {
        let r = registered();
        let resolve =
            |e: &Expr, r: &BTreeMap<String, Registered>, d| resolve(e, r, d).expect("resolves");
        let arn = resolve(
            &Expr::Concat(vec![Expr::output("bucket", "arn"), "/*".into()]),
            &r,
            true,
        );
        assert_eq!(arn.value, Value::string("arn:aws:s3:::b-1/*"));
        assert_eq!(arn.dependencies, BTreeSet::from(["urn:bucket".to_string()]));

        let unknown = resolve(
            &Expr::Concat(vec!["https://".into(), Expr::output("bucket", "domain")]),
            &r,
            true,
        );
        assert_eq!(unknown.value, Value::unknown());

        let doc = Expr::Json(Box::new(Expr::object([(
            "Name",
            Expr::output("bucket", "secretName"),
        )])));
        assert_eq!(
            resolve(&doc, &r, true).value,
            Value::Secret(Box::new(Value::string(r#"{"Name":"s"}"#)))
        );
        let doc = Expr::Json(Box::new(Expr::object([(
            "D",
            Expr::output("bucket", "domain"),
        )])));
        assert_eq!(resolve(&doc, &r, true).value, Value::unknown());
    }

    #[test]
    fn or_falls_back_only_where_the_first_is_absent() {
        let r = registered();
        let resolve =
            |e: &Expr, r: &BTreeMap<String, Registered>, d| resolve(e, r, d).expect("resolves");
        let missing = Expr::output("bucket", "region").or("default");
        let resolved = resolve(&missing, &r, false);
        assert_eq!(resolved.value, Value::string("default"));
        // The first was read, so its child is a dependency even when it was absent.
        assert_eq!(
            resolved.dependencies,
            BTreeSet::from(["urn:bucket".to_string()])
        );
        let present = Expr::output("bucket", "arn").or("default");
        assert_eq!(
            resolve(&present, &r, false).value,
            Value::string("arn:aws:s3:::b-1")
        );
        // Not known yet is not absent: it stays unknown at preview.
        let unknown = Expr::output("bucket", "domain").or("default");
        assert_eq!(resolve(&unknown, &r, true).value, Value::unknown());
    }

    #[test]
    fn after_keeps_the_value_and_adds_the_dependencies() {
        let r = registered();
        let resolve =
            |e: &Expr, r: &BTreeMap<String, Registered>, d| resolve(e, r, d).expect("resolves");
        let e = Expr::After(
            Box::new("https://example.com".into()),
            vec!["bucket".into()],
        );
        let resolved = resolve(&e, &r, true);
        assert_eq!(resolved.value, Value::string("https://example.com"));
        assert_eq!(
            resolved.dependencies,
            BTreeSet::from(["urn:bucket".to_string()])
        );
        let mut wanted = BTreeSet::new();
        e.children(&mut wanted);
        assert_eq!(wanted, BTreeSet::from(["bucket".to_string()]));
    }

    #[test]
    fn fields_read_part_of_a_created_resources_text_keeping_unknowns_and_secrets() {
        let mut r = registered();
        let outputs = &mut r.get_mut("bucket").expect("bucket").outputs;
        outputs.insert(
            "cluster".into(),
            Value::string("arn:aws-cn:ecs:cn-north-1:123456789012:cluster/a:b"),
        );
        outputs.insert(
            "secretArn".into(),
            Value::Secret(Box::new(Value::string(
                "arn:aws:ecs:eu-west-1:210987654321:cluster/x",
            ))),
        );
        let field = |property: &str, index: usize| {
            resolve(
                &Expr::field(Expr::output("bucket", property), ':', index),
                &r,
                true,
            )
        };
        let known = field("cluster", 4).expect("resolves");
        assert_eq!(known.value, Value::string("123456789012"));
        assert_eq!(
            known.dependencies,
            BTreeSet::from(["urn:bucket".to_string()])
        );
        assert_eq!(
            field("cluster", 3).expect("resolves").value,
            Value::string("cn-north-1")
        );
        // Every separator counts, those in the last field too.
        assert_eq!(
            field("cluster", 6).expect("resolves").value,
            Value::string("b")
        );
        assert_eq!(
            field("domain", 4).expect("resolves").value,
            Value::unknown()
        );
        assert_eq!(
            field("secretArn", 4).expect("resolves").value,
            Value::Secret(Box::new(Value::string("210987654321")))
        );
        let mut wanted = BTreeSet::new();
        Expr::field(Expr::output("bucket", "arn"), ':', 4).children(&mut wanted);
        assert_eq!(wanted, BTreeSet::from(["bucket".to_string()]));
        // S3's ARNs have no account: the field is empty, not an error.
        assert_eq!(field("arn", 4).expect("resolves").value, Value::string(""));
        let e = resolve(&Expr::field("b-1".into(), ':', 4), &r, false).expect_err("one field");
        assert!(
            e.0.contains("field 4 of \"b-1\"") && e.0.contains("has 1 `:`-separated fields"),
            "{e}"
        );
        let e = resolve(&Expr::field(Expr::strings(&["a:b"]), ':', 0), &r, false)
            .expect_err("not text");
        assert!(e.0.contains("a list: it is not text"), "{e}");
        let hidden = resolve(
            &Expr::field(
                Expr::Value(Value::Secret(Box::new(Value::string("s3cr3t")))),
                ':',
                3,
            ),
            &r,
            false,
        )
        .expect_err("one field");
        assert!(
            !hidden.0.contains("s3cr3t") && hidden.0.contains("[secret]"),
            "{hidden}"
        );
    }

    #[test]
    fn missing_outputs_are_unknown_in_preview_and_null_otherwise() {
        let r = registered();
        let resolve =
            |e: &Expr, r: &BTreeMap<String, Registered>, d| resolve(e, r, d).expect("resolves");
        assert_eq!(
            resolve(&Expr::output("bucket", "nope"), &r, true).value,
            Value::unknown()
        );
        assert_eq!(
            resolve(&Expr::output("bucket", "nope"), &r, false).value,
            Value::Null
        );
        assert_eq!(
            resolve(&Expr::output("bucket", "id"), &r, false).value,
            Value::string("b-1")
        );
    }

    #[test]
    fn paths_reach_into_nested_outputs_keeping_secrets_and_unknowns() {
        let options = Value::Array(vec![Value::Object(PropertyMap::from([(
            "resourceRecordName".to_string(),
            Value::string("_x.example.com"),
        )]))]);
        let mut r = registered();
        let outputs = &mut r.get_mut("bucket").expect("bucket").outputs;
        outputs.insert("opts".into(), options.clone());
        outputs.insert("secretOpts".into(), Value::Secret(Box::new(options)));
        outputs.insert(
            "later".into(),
            Value::Unknown(crate::value::UnknownKind::Array),
        );
        let at = |p: &str, dry| {
            resolve(&Expr::output("bucket", p), &r, dry)
                .expect("resolves")
                .value
        };
        assert_eq!(
            at("opts[0].resourceRecordName", false),
            Value::string("_x.example.com")
        );
        assert_eq!(
            at("secretOpts[0].resourceRecordName", false),
            Value::Secret(Box::new(Value::string("_x.example.com")))
        );
        assert_eq!(at("later[0].resourceRecordName", true), Value::unknown());
        assert_eq!(at("opts[3].resourceRecordName", true), Value::unknown());
        assert_eq!(at("opts[3].resourceRecordName", false), Value::Null);
    }

    #[test]
    fn values_without_a_text_form_are_refused_not_dropped() {
        let r = registered();
        for (part, kind) in [
            (Value::Null, "null"),
            (Value::Array(vec![]), "a list"),
            (Value::Object(PropertyMap::new()), "an object"),
        ] {
            let e = resolve(
                &Expr::Concat(vec!["a".into(), Expr::Value(part)]),
                &r,
                false,
            )
            .expect_err("refused");
            assert!(e.0.contains(kind), "{e}");
        }
        let asset = Value::Asset(crate::value::Asset {
            hash: None,
            source: crate::value::AssetSource::Text("x".into()),
        });
        assert!(resolve(&Expr::Json(Box::new(Expr::Value(asset))), &r, false).is_err());
        assert!(resolve(&Expr::output("nope", "id"), &r, false).is_err());
    }

    #[test]
    fn prerequisites_include_reads_and_the_children_options_name() {
        let c = ChildResource::new("policy", "aws:s3/bucketPolicy:BucketPolicy", "p".into())
            .input("bucket", Expr::output("bucket", "id"))
            .with_options(|o| {
                o.depends_on.push("block".into());
                o.provider = Some("east".into());
            });
        assert_eq!(
            c.prerequisites(),
            BTreeSet::from([
                "block".to_string(),
                "bucket".to_string(),
                "east".to_string()
            ])
        );
        assert_eq!(c.package(), "aws");
        let p = ChildResource::new("east", "pulumi:providers:aws", "east".into());
        assert_eq!(p.package(), "aws");
    }

    #[test]
    fn component_ignore_and_replace_options_reach_the_child_inputs_they_become() {
        let mut p = ComponentPlan {
            children: vec![
                ChildResource::new("cdn", "t:m:D", "d".into()),
                ChildResource::new("bucket", "t:m:B", "b".into()),
            ],
            ..ComponentPlan::default()
        };
        p.feeds("priceClass", "cdn", "priceClass");
        p.feeds("tags", "cdn", "tags");
        p.feeds("tags", "bucket", "tags");
        p.apply_component_options(&ComponentOptions {
            ignore_changes: vec!["tags".into(), "path".into()],
            replace_on_changes: vec!["priceClass".into()],
            ..ComponentOptions::default()
        });
        let cdn = &p.child("cdn").expect("cdn").options;
        assert_eq!(cdn.ignore_changes, ["tags"]);
        assert_eq!(cdn.replace_on_changes, ["priceClass"]);
        assert_eq!(
            p.child("bucket").expect("bucket").options.ignore_changes,
            ["tags"]
        );
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].contains("`path`") && p.warnings[0].contains("priceClass, tags"),
            "{}",
            p.warnings[0]
        );
    }

    #[test]
    fn plans_with_dangling_references_duplicates_or_cycles_are_refused() {
        let child = |key: &str, reads: &str| {
            ChildResource::new(key, "t:m:R", key.into()).input("x", Expr::output(reads, "id"))
        };
        let plan = |children| ComponentPlan {
            children,
            ..ComponentPlan::default()
        };
        assert!(
            plan(vec![child("a", "b"), child("b", "c")])
                .validate()
                .is_err()
        );
        assert!(
            plan(vec![child("a", "b"), child("b", "a")])
                .validate()
                .is_err()
        );
        assert!(
            plan(vec![ChildResource::new("a", "t:m:R", "a".into()); 2])
                .validate()
                .is_err()
        );
        let nested = ChildResource::new("x", "t:m:R", "x".into())
            .with_options(|o| o.parent = Some("a".into()));
        assert!(
            plan(vec![
                ChildResource::new("a", "t:m:R", "a".into()),
                nested.clone()
            ])
            .validate()
            .is_err()
        );
        let group = ChildResource::component("a", "t:m:Group", "a".into());
        assert_eq!(plan(vec![group, nested]).validate(), Ok(()));
        assert_eq!(
            plan(vec![child("b", "a"), child("a", "b").input("x", 1.0)]).validate(),
            Ok(())
        );
    }
}
