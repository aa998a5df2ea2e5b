//! Typed property values: what a `google.protobuf.Struct` means once Pulumi's
//! special forms (secrets, unknowns, assets, resource references, output
//! values) are decoded. Only [`crate::codec`] converts to and from protobuf.

use std::collections::BTreeMap;

/// A property map: property name → value, ordered for stable output.
pub type PropertyMap = BTreeMap<String, Value>;

/// One property value.
#[derive(Clone, PartialEq)]
pub enum Value {
    /// JSON null / an absent optional value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (Pulumi numbers are IEEE doubles).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(PropertyMap),
    /// A value not known yet (during preview); remembers which sentinel it came as.
    Unknown(UnknownKind),
    /// A secret wrapping its plain value.
    Secret(Box<Value>),
    /// A file asset.
    Asset(Asset),
    /// An archive of assets.
    Archive(Archive),
    /// A reference to another resource.
    ResourceReference(ResourceReference),
    /// An output value: possibly unknown, possibly secret, with its dependencies.
    Output(OutputValue),
}

/// Which typed unknown sentinel an unknown value was sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnknownKind {
    /// `UnknownStringValue`, the generic unknown.
    String,
    /// `UnknownBoolValue`.
    Bool,
    /// `UnknownNumberValue`.
    Number,
    /// `UnknownArrayValue`.
    Array,
    /// `UnknownObjectValue`.
    Object,
    /// `UnknownAssetValue`.
    Asset,
    /// `UnknownArchiveValue`.
    Archive,
}

impl UnknownKind {
    /// Every kind, for tests and lookups.
    pub const ALL: [UnknownKind; 7] = [
        UnknownKind::String,
        UnknownKind::Bool,
        UnknownKind::Number,
        UnknownKind::Array,
        UnknownKind::Object,
        UnknownKind::Asset,
        UnknownKind::Archive,
    ];

    /// The sentinel string the engine uses for this kind.
    pub fn sentinel(self) -> &'static str {
        match self {
            UnknownKind::String => "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            UnknownKind::Bool => "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
            UnknownKind::Number => "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
            UnknownKind::Array => "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
            UnknownKind::Object => "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
            UnknownKind::Asset => "030794c1-ac77-496b-92df-f27374a8bd58",
            UnknownKind::Archive => "e48ece36-62e2-4504-bad9-02848725956a",
        }
    }

    /// The kind whose sentinel is `s`, if any.
    pub fn from_sentinel(s: &str) -> Option<UnknownKind> {
        Self::ALL.into_iter().find(|k| k.sentinel() == s)
    }
}

/// Where an asset's content comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum AssetSource {
    /// Literal text.
    Text(String),
    /// A local file path.
    Path(String),
    /// A URI.
    Uri(String),
}

/// A file asset (`pulumi.asset.FileAsset`, `StringAsset`, `RemoteAsset`).
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    /// Content hash, if the engine computed one.
    pub hash: Option<String>,
    /// The content's source.
    pub source: AssetSource,
}

/// Where an archive's content comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ArchiveSource {
    /// Named assets and archives.
    Assets(BTreeMap<String, Value>),
    /// A local path (file or folder).
    Path(String),
    /// A URI.
    Uri(String),
}

/// An archive (`pulumi.asset.AssetArchive`, `FileArchive`, `RemoteArchive`).
#[derive(Clone, Debug, PartialEq)]
pub struct Archive {
    /// Content hash, if the engine computed one.
    pub hash: Option<String>,
    /// The content's source.
    pub source: ArchiveSource,
}

/// A reference to a resource, sent when the engine accepts resources.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceReference {
    /// The referenced resource's URN.
    pub urn: String,
    /// Its ID for custom resources (may be unknown); `None` for components.
    pub id: Option<Box<Value>>,
    /// The version of the package that defines it ("" when unknown).
    pub package_version: String,
    /// A component's outputs, read from the engine by Construct before
    /// planning (a component reference carries only its URN on the wire);
    /// `None` when not read. Never encoded.
    pub outputs: Option<PropertyMap>,
}

impl ResourceReference {
    /// The referenced resource's type token, from its URN.
    pub fn type_token(&self) -> &str {
        parse_urn(&self.urn).0
    }
}

/// An output value: a value with its secretness and dependencies carried along.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputValue {
    /// The value; `None` when it is unknown.
    pub value: Option<Box<Value>>,
    /// Whether the value is secret.
    pub secret: bool,
    /// URNs of the resources this value depends on.
    pub dependencies: Vec<String>,
}

impl std::fmt::Debug for Value {
    // Secrets never reach a log: a Debug print shows `[secret]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Array(a) => f.debug_list().entries(a).finish(),
            Value::Object(o) => f.debug_map().entries(o).finish(),
            Value::Unknown(_) => f.write_str("<unknown>"),
            Value::Secret(_) => f.write_str("[secret]"),
            Value::Asset(a) => write!(f, "{a:?}"),
            Value::Archive(a) => write!(f, "{a:?}"),
            Value::ResourceReference(r) => write!(f, "ref({})", r.urn),
            Value::Output(o) if o.secret => f.write_str("output([secret])"),
            Value::Output(o) => match &o.value {
                Some(v) => write!(f, "output({v:?})"),
                None => f.write_str("output(<unknown>)"),
            },
        }
    }
}

/// What a value looks like once secret and output wrappers are peeled off.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Taint {
    /// Some wrapper (or a nested value) was secret.
    pub secret: bool,
    /// Some part of the value is unknown.
    pub unknown: bool,
    /// Dependencies collected from output values.
    pub dependencies: Vec<String>,
}

impl Taint {
    /// Combine two taints (secret if either is, unknown if either is).
    pub fn merge(&mut self, other: Taint) {
        self.secret |= other.secret;
        self.unknown |= other.unknown;
        for d in other.dependencies {
            if !self.dependencies.contains(&d) {
                self.dependencies.push(d);
            }
        }
    }
}

impl Value {
    /// A plain string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// The generic unknown value.
    pub fn unknown() -> Value {
        Value::Unknown(UnknownKind::String)
    }

    /// Peel secret and output wrappers off the top of this value: the plain
    /// value (or `None` when unknown) and what was peeled.
    pub fn unwrap_top(&self) -> (Option<&Value>, Taint) {
        let mut taint = Taint::default();
        let mut current = self;
        loop {
            match current {
                Value::Secret(inner) => {
                    taint.secret = true;
                    current = inner;
                }
                Value::Output(o) => {
                    taint.secret |= o.secret;
                    taint.merge(Taint {
                        dependencies: o.dependencies.clone(),
                        ..Taint::default()
                    });
                    match &o.value {
                        Some(v) => current = v,
                        None => {
                            taint.unknown = true;
                            return (None, taint);
                        }
                    }
                }
                Value::Unknown(_) => {
                    taint.unknown = true;
                    return (None, taint);
                }
                other => return (Some(other), taint),
            }
        }
    }

    /// Everything secret, unknown or depended-upon anywhere inside this value.
    pub fn taint(&self) -> Taint {
        let (plain, mut taint) = self.unwrap_top();
        match plain {
            Some(Value::Array(items)) => items.iter().for_each(|v| taint.merge(v.taint())),
            Some(Value::Object(map)) => map.values().for_each(|v| taint.merge(v.taint())),
            Some(Value::ResourceReference(r)) => {
                if let Some(id) = &r.id {
                    taint.merge(id.taint());
                }
            }
            _ => {}
        }
        taint
    }

    /// A copy with every secret and output wrapper removed (unknowns stay).
    pub fn strip(&self) -> Value {
        match self.unwrap_top() {
            (None, _) => Value::unknown(),
            (Some(Value::Array(items)), _) => {
                Value::Array(items.iter().map(Value::strip).collect())
            }
            (Some(Value::Object(map)), _) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), v.strip())).collect())
            }
            (Some(v), _) => v.clone(),
        }
    }

    /// Wrap `self` so that it carries `taint`: unknown stays unknown, secret
    /// becomes a secret wrapper. Dependencies are the caller's business.
    pub fn with_taint(self, taint: &Taint) -> Value {
        let value = if taint.unknown {
            Value::unknown()
        } else {
            self
        };
        if taint.secret {
            Value::Secret(Box::new(value))
        } else {
            value
        }
    }

    /// This value, made secret when `secret` is true and it is not secret
    /// already: how something derived from a secret stays secret.
    pub fn secret_if(self, secret: bool) -> Value {
        if secret && !self.taint().secret {
            Value::Secret(Box::new(self))
        } else {
            self
        }
    }

    /// A copy with the plain value inside the secret and output wrappers
    /// replaced by `new` (an unknown output stays unknown).
    pub fn replace_plain(&self, new: Value) -> Value {
        match self {
            Value::Secret(inner) => Value::Secret(Box::new(inner.replace_plain(new))),
            Value::Output(o) => Value::Output(OutputValue {
                value: o.value.as_ref().map(|v| Box::new(v.replace_plain(new))),
                secret: o.secret,
                dependencies: o.dependencies.clone(),
            }),
            _ => new,
        }
    }

    /// This value as an output value that also depends on `urns` (each
    /// once), secret when it was or when `secret`: how a dependency known
    /// beside a value travels inside it to the children.
    pub fn depending_on(&self, urns: &[String], secret: bool) -> Value {
        let (plain, mut taint) = self.unwrap_top();
        taint.merge(Taint {
            secret,
            dependencies: urns.to_vec(),
            ..Taint::default()
        });
        Value::Output(OutputValue {
            value: plain.cloned().map(Box::new),
            secret: taint.secret,
            dependencies: taint.dependencies,
        })
    }

    /// Whether this value is (wrapped) null.
    pub fn is_null(&self) -> bool {
        matches!(self.unwrap_top(), (Some(Value::Null), _))
    }

    /// Whether this value is not known yet at its top (an unknown, or an
    /// output without a value), looked at without copying it: what
    /// `matches!(v.strip(), Value::Unknown(_))` says, without the copy of a
    /// large object `strip` makes.
    pub fn is_unknown(&self) -> bool {
        matches!(self.unwrap_top().0, None | Some(Value::Unknown(_)))
    }

    /// Convert a plain JSON value (no special forms) into a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::Array(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Render a fully known value as plain JSON, dropping secret wrappers;
    /// `None` if any part is unknown or has no JSON form.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        let (plain, _) = self.unwrap_top();
        Some(match plain? {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n)?,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(a) => {
                serde_json::Value::Array(a.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }
}

/// Integers print without a trailing `.0` so JSON documents read naturally.
fn number_to_json(n: f64) -> Option<serde_json::Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Some(serde_json::Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(serde_json::Value::Number)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n as f64)
    }
}

/// `a` + `b` → `a.b` (just `b` at the top): property paths in messages.
pub fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `(type token, logical name)` of a URN
/// (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`).
pub fn parse_urn(urn: &str) -> (&str, &str) {
    let mut parts = urn.splitn(4, "::");
    let _stack = parts.next();
    let _project = parts.next();
    let qualified = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    (qualified.rsplit('$').next().unwrap_or_default(), name)
}

/// The logical name in a URN.
pub fn urn_name(urn: &str) -> &str {
    parse_urn(urn).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urns_with_parents_and_colons_in_names() {
        assert_eq!(
            parse_urn(
                "urn:pulumi:dev::proj::launchpad:index:StaticSite$launchpad:index:SiteContent::site::x"
            ),
            ("launchpad:index:SiteContent", "site::x")
        );
        assert_eq!(parse_urn("urn:pulumi:dev::proj::t:m:R::n"), ("t:m:R", "n"));
    }

    #[test]
    fn debug_never_prints_a_secret() {
        let v = Value::Object(PropertyMap::from([(
            "password".to_string(),
            Value::Secret(Box::new(Value::string("hunter2"))),
        )]));
        assert!(!format!("{v:?}").contains("hunter2"));
        let o = Value::Output(OutputValue {
            value: Some(Box::new(Value::string("hunter2"))),
            secret: true,
            dependencies: vec![],
        });
        assert!(!format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn taint_sees_nested_secrets_unknowns_and_dependencies() {
        let v = Value::Array(vec![
            Value::string("a"),
            Value::Object(PropertyMap::from([(
                "k".to_string(),
                Value::Output(OutputValue {
                    value: None,
                    secret: true,
                    dependencies: vec!["urn:a".into()],
                }),
            )])),
        ]);
        let t = v.taint();
        assert!(t.secret && t.unknown);
        assert_eq!(t.dependencies, vec!["urn:a".to_string()]);
        assert_eq!(Value::string("x").taint(), Taint::default());
    }

    #[test]
    fn depending_on_adds_each_dependency_once_and_keeps_secrecy_and_unknownness() {
        let v = Value::Output(OutputValue {
            value: Some(Box::new(Value::Secret(Box::new(Value::string("x"))))),
            secret: false,
            dependencies: vec!["urn:a".into()],
        });
        assert_eq!(
            v.depending_on(&["urn:b".into(), "urn:a".into()], false),
            Value::Output(OutputValue {
                value: Some(Box::new(Value::string("x"))),
                secret: true,
                dependencies: vec!["urn:a".into(), "urn:b".into()],
            })
        );
        assert_eq!(
            Value::unknown().depending_on(&["urn:a".into()], true),
            Value::Output(OutputValue {
                value: None,
                secret: true,
                dependencies: vec!["urn:a".into()],
            })
        );
    }

    #[test]
    fn strip_removes_wrappers_but_keeps_unknowns() {
        let v = Value::Array(vec![
            Value::Secret(Box::new(Value::Bool(true))),
            Value::Unknown(UnknownKind::Bool),
        ]);
        assert_eq!(
            v.strip(),
            Value::Array(vec![Value::Bool(true), Value::unknown()])
        );
    }

    #[test]
    fn to_json_refuses_unknowns_and_prints_integers_plainly() {
        assert_eq!(Value::Number(3.0).to_json(), Some(serde_json::json!(3)));
        assert_eq!(Value::Array(vec![Value::unknown()]).to_json(), None);
    }
}
