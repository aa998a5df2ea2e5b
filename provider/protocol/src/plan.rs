//! What a component's planner returns: the child resources to register and
//! the component's outputs, as expressions over the children's outputs.
//!
//! The planner is pure; [`crate::construct`] registers the children in
//! dependency order and resolves the expressions as outputs come back.

use std::collections::{BTreeMap, BTreeSet};

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
}

impl Expr {
    /// An output of child `child`.
    pub fn output(child: &str, property: &str) -> Expr {
        Expr::Output {
            child: child.to_string(),
            property: property.to_string(),
        }
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
            Expr::Json(inner) => inner.children(into),
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

/// One child resource to register.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildResource {
    /// The key other expressions use to refer to this child.
    pub key: String,
    /// The type token, e.g. `aws:s3/bucket:Bucket`.
    pub type_token: String,
    /// The logical name (unique within the stack).
    pub name: String,
    /// Input properties.
    pub inputs: BTreeMap<String, Expr>,
    /// The provider package version to use (`None` for the engine's default).
    pub version: Option<String>,
    /// Other children that must exist first, beyond those the inputs read.
    pub depends_on: Vec<String>,
    /// Outputs the engine must treat as secret.
    pub additional_secret_outputs: Vec<String>,
    /// Inputs whose changes are ignored after creation.
    pub ignore_changes: Vec<String>,
}

impl ChildResource {
    /// A custom child with no inputs yet.
    pub fn new(key: &str, type_token: &str, name: String) -> ChildResource {
        ChildResource {
            key: key.to_string(),
            type_token: type_token.to_string(),
            name,
            inputs: BTreeMap::new(),
            version: None,
            depends_on: Vec::new(),
            additional_secret_outputs: Vec::new(),
            ignore_changes: Vec::new(),
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

    /// Pin the provider version.
    pub fn version(mut self, version: &str) -> ChildResource {
        self.version = Some(version.to_string());
        self
    }

    /// Ignore later changes of an input (one fixed at creation).
    pub fn ignore_changes(mut self, input: &str) -> ChildResource {
        self.ignore_changes.push(input.to_string());
        self
    }

    /// Depend on another child explicitly.
    pub fn depends_on(mut self, key: &str) -> ChildResource {
        self.depends_on.push(key.to_string());
        self
    }

    /// The package a type token belongs to (`aws` for `aws:s3/bucket:Bucket`).
    pub fn package(&self) -> &str {
        self.type_token.split(':').next().unwrap_or_default()
    }

    /// Every child this one must wait for.
    pub fn prerequisites(&self) -> BTreeSet<String> {
        let mut set: BTreeSet<String> = self.depends_on.iter().cloned().collect();
        self.inputs.values().for_each(|e| e.children(&mut set));
        set
    }
}

/// A component's plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ComponentPlan {
    /// Children, in a valid registration order.
    pub children: Vec<ChildResource>,
    /// The component's outputs.
    pub outputs: BTreeMap<String, Expr>,
}

impl ComponentPlan {
    /// The child with `key`.
    pub fn child(&self, key: &str) -> Option<&ChildResource> {
        self.children.iter().find(|c| c.key == key)
    }
}

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
pub fn resolve(expr: &Expr, registered: &BTreeMap<String, Registered>, dry_run: bool) -> Resolved {
    let mut deps = BTreeSet::new();
    let value = resolve_into(expr, registered, dry_run, &mut deps);
    Resolved {
        value,
        dependencies: deps,
    }
}

fn resolve_into(
    expr: &Expr,
    registered: &BTreeMap<String, Registered>,
    dry_run: bool,
    deps: &mut BTreeSet<String>,
) -> Value {
    match expr {
        Expr::Value(v) => {
            deps.extend(v.taint().dependencies);
            v.clone()
        }
        Expr::Output { child, property } => {
            let Some(r) = registered.get(child) else {
                // The registration loop only resolves after prerequisites.
                return Value::unknown();
            };
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
                let v = resolve_into(part, registered, dry_run, deps);
                let (plain, t) = v.unwrap_top();
                taint.merge(t);
                match plain {
                    Some(Value::String(s)) => text.push_str(s),
                    Some(Value::Number(n)) => text.push_str(&n.to_string()),
                    Some(Value::Bool(b)) => text.push_str(&b.to_string()),
                    _ => {}
                }
            }
            Value::String(text).with_taint(&taint)
        }
        Expr::Json(inner) => {
            let v = resolve_into(inner, registered, dry_run, deps);
            let taint = v.taint();
            match v.to_json() {
                Some(json) if !taint.unknown => Value::String(json.to_string()).with_taint(&taint),
                _ => Value::unknown().with_taint(&taint),
            }
        }
        Expr::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| resolve_into(i, registered, dry_run, deps))
                .collect(),
        ),
        Expr::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve_into(v, registered, dry_run, deps)))
                .collect(),
        ),
        Expr::After(inner, children) => {
            deps.extend(
                children
                    .iter()
                    .filter_map(|c| registered.get(c).map(|r| r.urn.clone())),
            );
            resolve_into(inner, registered, dry_run, deps)
        }
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
    if taint.secret && !current.taint().secret {
        Value::Secret(Box::new(current.clone()))
    } else {
        current.clone()
    }
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
    fn after_keeps_the_value_and_adds_the_dependencies() {
        let r = registered();
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
    fn missing_outputs_are_unknown_in_preview_and_null_otherwise() {
        let r = registered();
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
        let at = |p: &str, dry| resolve(&Expr::output("bucket", p), &r, dry).value;
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
    fn prerequisites_include_reads_and_explicit_dependencies() {
        let c = ChildResource::new("policy", "aws:s3/bucketPolicy:BucketPolicy", "p".into())
            .input("bucket", Expr::output("bucket", "id"))
            .depends_on("block");
        assert_eq!(
            c.prerequisites(),
            BTreeSet::from(["block".to_string(), "bucket".to_string()])
        );
        assert_eq!(c.package(), "aws");
    }
}
