//! The one conversion between `google.protobuf.Struct` and [`Value`]s.
//!
//! Pulumi marks special values with an object holding the key
//! [`SIG_KEY`] whose string names the form; unknowns travel as sentinel strings.

use std::collections::BTreeMap;

use launchpad_core::value::join_path as join;

use prost_types::value::Kind;

use launchpad_core::value::{
    Archive, ArchiveSource, Asset, AssetSource, OutputValue, PropertyMap, ResourceReference,
    UnknownKind, Value,
};

/// The key that marks a special object.
pub const SIG_KEY: &str = "4dabf18193072939515e22adb298388d";
/// Signature of a secret.
pub const SIG_SECRET: &str = "1b47061264138c4ac30d75fd1eb44270";
/// Signature of an asset.
pub const SIG_ASSET: &str = "c44067f5952c0a294b673a41bacd8c17";
/// Signature of an archive.
pub const SIG_ARCHIVE: &str = "0def7320c3a5731c473e5ecbe6d01bc7";
/// Signature of a resource reference.
pub const SIG_RESOURCE_REFERENCE: &str = "5cf8f73096256a8f31e491e813e4eb8e";
/// Signature of an output value.
pub const SIG_OUTPUT_VALUE: &str = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/// A Struct that does not follow Pulumi's encoding.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("property `{path}`: {reason}")]
pub struct DecodeError {
    /// Where in the property tree the problem is (`a.b[2]`).
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// How to encode for a peer that may not understand every special form.
#[derive(Clone, Copy, Debug)]
pub struct EncodeOptions {
    /// Keep output values; when false they become plain, secret or unknown values.
    pub output_values: bool,
}

impl EncodeOptions {
    /// For peers that take secrets and unknowns but not output values.
    pub const PLAIN: EncodeOptions = EncodeOptions {
        output_values: false,
    };
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            output_values: true,
        }
    }
}

/// Decode a Struct (absent = empty) into a property map.
pub fn decode_struct(s: Option<&prost_types::Struct>) -> Result<PropertyMap, DecodeError> {
    let Some(s) = s else {
        return Ok(PropertyMap::new());
    };
    s.fields
        .iter()
        .map(|(k, v)| Ok((k.clone(), decode_value(v, k)?)))
        .collect()
}

/// Encode a property map into a Struct.
pub fn encode_struct(map: &PropertyMap, opts: EncodeOptions) -> prost_types::Struct {
    prost_types::Struct {
        fields: map
            .iter()
            .map(|(k, v)| (k.clone(), encode_value(v, opts)))
            .collect(),
    }
}

/// Decode one protobuf value; `path` names it in errors.
pub fn decode_value(v: &prost_types::Value, path: &str) -> Result<Value, DecodeError> {
    Ok(match &v.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        Some(Kind::NumberValue(n)) => Value::Number(*n),
        Some(Kind::StringValue(s)) => match UnknownKind::from_sentinel(s) {
            Some(kind) => Value::Unknown(kind),
            None => Value::String(s.clone()),
        },
        Some(Kind::ListValue(l)) => Value::Array(
            l.values
                .iter()
                .enumerate()
                .map(|(i, v)| decode_value(v, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Some(Kind::StructValue(s)) => decode_object(s, path)?,
    })
}

fn decode_object(s: &prost_types::Struct, path: &str) -> Result<Value, DecodeError> {
    let field = |name: &str| s.fields.get(name);
    let err = |reason: String| DecodeError {
        path: path.to_string(),
        reason,
    };
    let string_field = |name: &str| -> Result<Option<String>, DecodeError> {
        match field(name).and_then(|v| v.kind.as_ref()) {
            None | Some(Kind::NullValue(_)) => Ok(None),
            Some(Kind::StringValue(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(format!("`{name}` of a special value must be a string"))),
        }
    };
    let sig = match field(SIG_KEY).and_then(|v| v.kind.as_ref()) {
        None => {
            let map = s
                .fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), decode_value(v, &join(path, k))?)))
                .collect::<Result<_, DecodeError>>()?;
            return Ok(Value::Object(map));
        }
        Some(Kind::StringValue(sig)) => sig.as_str(),
        Some(_) => return Err(err("special value signature must be a string".into())),
    };
    match sig {
        SIG_SECRET => {
            let inner = field("value")
                .map(|v| decode_value(v, path))
                .transpose()?
                .unwrap_or(Value::Null);
            Ok(Value::Secret(Box::new(inner)))
        }
        SIG_ASSET => {
            let source = if let Some(t) = string_field("text")? {
                AssetSource::Text(t)
            } else if let Some(p) = string_field("path")? {
                AssetSource::Path(p)
            } else if let Some(u) = string_field("uri")? {
                AssetSource::Uri(u)
            } else {
                return Err(err("asset has none of `text`, `path`, `uri`".into()));
            };
            Ok(Value::Asset(Asset {
                hash: string_field("hash")?,
                source,
            }))
        }
        SIG_ARCHIVE => {
            let source = if let Some(assets) = field("assets") {
                match &assets.kind {
                    Some(Kind::StructValue(a)) => ArchiveSource::Assets(
                        a.fields
                            .iter()
                            .map(|(k, v)| Ok((k.clone(), decode_value(v, &join(path, k))?)))
                            .collect::<Result<BTreeMap<_, _>, DecodeError>>()?,
                    ),
                    _ => return Err(err("archive `assets` must be an object".into())),
                }
            } else if let Some(p) = string_field("path")? {
                ArchiveSource::Path(p)
            } else if let Some(u) = string_field("uri")? {
                ArchiveSource::Uri(u)
            } else {
                return Err(err("archive has none of `assets`, `path`, `uri`".into()));
            };
            Ok(Value::Archive(Archive {
                hash: string_field("hash")?,
                source,
            }))
        }
        SIG_RESOURCE_REFERENCE => {
            let urn = string_field("urn")?
                .ok_or_else(|| err("resource reference has no `urn`".into()))?;
            let id = field("id")
                .map(|v| decode_value(v, path))
                .transpose()?
                .map(Box::new);
            Ok(Value::ResourceReference(ResourceReference {
                urn,
                id,
                package_version: string_field("packageVersion")?.unwrap_or_default(),
                outputs: None,
            }))
        }
        SIG_OUTPUT_VALUE => {
            let value = field("value")
                .map(|v| decode_value(v, path))
                .transpose()?
                .map(Box::new);
            let secret = match field("secret").and_then(|v| v.kind.as_ref()) {
                Some(Kind::BoolValue(b)) => *b,
                None | Some(Kind::NullValue(_)) => false,
                Some(_) => return Err(err("output value `secret` must be a bool".into())),
            };
            let dependencies = match field("dependencies").and_then(|v| v.kind.as_ref()) {
                None | Some(Kind::NullValue(_)) => Vec::new(),
                Some(Kind::ListValue(l)) => l
                    .values
                    .iter()
                    .map(|d| match &d.kind {
                        Some(Kind::StringValue(s)) => Ok(s.clone()),
                        _ => Err(err("output value dependencies must be URN strings".into())),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(err("output value `dependencies` must be a list".into())),
            };
            Ok(Value::Output(OutputValue {
                value,
                secret,
                dependencies,
            }))
        }
        other => Err(err(format!(
            "unsupported special value signature `{other}`"
        ))),
    }
}

/// Encode one value.
pub fn encode_value(v: &Value, opts: EncodeOptions) -> prost_types::Value {
    let kind = match v {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(*b),
        Value::Number(n) => Kind::NumberValue(*n),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(items) => Kind::ListValue(prost_types::ListValue {
            values: items.iter().map(|v| encode_value(v, opts)).collect(),
        }),
        Value::Object(map) => Kind::StructValue(encode_struct(map, opts)),
        Value::Unknown(kind) => Kind::StringValue(kind.sentinel().to_string()),
        Value::Secret(inner) => special(SIG_SECRET, [("value", encode_value(inner, opts))]),
        Value::Asset(a) => {
            let mut fields = vec![];
            if let Some(h) = &a.hash {
                fields.push(("hash", string(h)));
            }
            fields.push(match &a.source {
                AssetSource::Text(t) => ("text", string(t)),
                AssetSource::Path(p) => ("path", string(p)),
                AssetSource::Uri(u) => ("uri", string(u)),
            });
            special(SIG_ASSET, fields)
        }
        Value::Archive(a) => {
            let mut fields = vec![];
            if let Some(h) = &a.hash {
                fields.push(("hash", string(h)));
            }
            fields.push(match &a.source {
                ArchiveSource::Assets(m) => (
                    "assets",
                    prost_types::Value {
                        kind: Some(Kind::StructValue(encode_struct(m, opts))),
                    },
                ),
                ArchiveSource::Path(p) => ("path", string(p)),
                ArchiveSource::Uri(u) => ("uri", string(u)),
            });
            special(SIG_ARCHIVE, fields)
        }
        Value::ResourceReference(r) => {
            let mut fields = vec![("urn", string(&r.urn))];
            if let Some(id) = &r.id {
                fields.push(("id", encode_value(id, opts)));
            }
            if !r.package_version.is_empty() {
                fields.push(("packageVersion", string(&r.package_version)));
            }
            special(SIG_RESOURCE_REFERENCE, fields)
        }
        Value::Output(o) if !opts.output_values => {
            let plain = match &o.value {
                Some(v) => (**v).clone(),
                None => Value::unknown(),
            };
            let plain = if o.secret {
                Value::Secret(Box::new(plain))
            } else {
                plain
            };
            return encode_value(&plain, opts);
        }
        Value::Output(o) => {
            let mut fields = vec![];
            if let Some(v) = &o.value {
                fields.push(("value", encode_value(v, opts)));
            }
            if o.secret {
                fields.push((
                    "secret",
                    prost_types::Value {
                        kind: Some(Kind::BoolValue(true)),
                    },
                ));
            }
            if !o.dependencies.is_empty() {
                fields.push((
                    "dependencies",
                    prost_types::Value {
                        kind: Some(Kind::ListValue(prost_types::ListValue {
                            values: o.dependencies.iter().map(|d| string(d)).collect(),
                        })),
                    },
                ));
            }
            special(SIG_OUTPUT_VALUE, fields)
        }
    };
    prost_types::Value { kind: Some(kind) }
}

fn string(s: &str) -> prost_types::Value {
    prost_types::Value {
        kind: Some(Kind::StringValue(s.to_string())),
    }
}

fn special<'a>(sig: &str, fields: impl IntoIterator<Item = (&'a str, prost_types::Value)>) -> Kind {
    let mut s = prost_types::Struct::default();
    s.fields.insert(SIG_KEY.to_string(), string(sig));
    for (k, v) in fields {
        s.fields.insert(k.to_string(), v);
    }
    Kind::StructValue(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Build a protobuf value from JSON, the way the engine would send it.
    fn pb(j: serde_json::Value) -> prost_types::Value {
        let kind = match j {
            serde_json::Value::Null => Kind::NullValue(0),
            serde_json::Value::Bool(b) => Kind::BoolValue(b),
            serde_json::Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
            serde_json::Value::String(s) => Kind::StringValue(s),
            serde_json::Value::Array(a) => Kind::ListValue(prost_types::ListValue {
                values: a.into_iter().map(pb).collect(),
            }),
            serde_json::Value::Object(o) => Kind::StructValue(prost_types::Struct {
                fields: o.into_iter().map(|(k, v)| (k, pb(v))).collect(),
            }),
        };
        prost_types::Value { kind: Some(kind) }
    }

    /// Golden check: the wire form decodes to `expected` and encodes back unchanged.
    fn golden(wire: serde_json::Value, expected: Value) {
        let wire = pb(wire);
        let decoded = decode_value(&wire, "p").expect("decodes");
        assert_eq!(decoded, expected);
        assert_eq!(encode_value(&decoded, EncodeOptions::default()), wire);
    }

    #[test]
    fn golden_plain_values() {
        golden(json!(null), Value::Null);
        golden(json!(true), Value::Bool(true));
        golden(json!(1.5), Value::Number(1.5));
        golden(json!("s"), Value::string("s"));
        golden(
            json!([1, {"a": "b"}]),
            Value::Array(vec![
                Value::Number(1.0),
                Value::Object(PropertyMap::from([("a".into(), Value::string("b"))])),
            ]),
        );
    }

    #[test]
    fn golden_every_unknown_sentinel() {
        for (sentinel, kind) in [
            ("04da6b54-80e4-46f7-96ec-b56ff0331ba9", UnknownKind::String),
            ("1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", UnknownKind::Bool),
            ("3eeb2bf0-c639-47a8-9e75-3b44932eb421", UnknownKind::Number),
            ("6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", UnknownKind::Array),
            ("dd056dcd-154b-4c76-9bd3-c8f88648b5ff", UnknownKind::Object),
            ("030794c1-ac77-496b-92df-f27374a8bd58", UnknownKind::Asset),
            ("e48ece36-62e2-4504-bad9-02848725956a", UnknownKind::Archive),
        ] {
            golden(json!(sentinel), Value::Unknown(kind));
        }
    }

    #[test]
    fn golden_secret() {
        golden(
            json!({SIG_KEY: SIG_SECRET, "value": "pw"}),
            Value::Secret(Box::new(Value::string("pw"))),
        );
    }

    #[test]
    fn golden_assets_and_archives() {
        golden(
            json!({SIG_KEY: SIG_ASSET, "hash": "abc", "path": "./f.txt"}),
            Value::Asset(Asset {
                hash: Some("abc".into()),
                source: AssetSource::Path("./f.txt".into()),
            }),
        );
        golden(
            json!({SIG_KEY: SIG_ASSET, "text": "hi"}),
            Value::Asset(Asset {
                hash: None,
                source: AssetSource::Text("hi".into()),
            }),
        );
        golden(
            json!({SIG_KEY: SIG_ASSET, "uri": "https://example.com/x"}),
            Value::Asset(Asset {
                hash: None,
                source: AssetSource::Uri("https://example.com/x".into()),
            }),
        );
        golden(
            json!({SIG_KEY: SIG_ARCHIVE, "assets": {"a.txt": {SIG_KEY: SIG_ASSET, "text": "a"}}}),
            Value::Archive(Archive {
                hash: None,
                source: ArchiveSource::Assets(BTreeMap::from([(
                    "a.txt".into(),
                    Value::Asset(Asset {
                        hash: None,
                        source: AssetSource::Text("a".into()),
                    }),
                )])),
            }),
        );
        golden(
            json!({SIG_KEY: SIG_ARCHIVE, "path": "./dist"}),
            Value::Archive(Archive {
                hash: None,
                source: ArchiveSource::Path("./dist".into()),
            }),
        );
        golden(
            json!({SIG_KEY: SIG_ARCHIVE, "uri": "file:///a.zip"}),
            Value::Archive(Archive {
                hash: None,
                source: ArchiveSource::Uri("file:///a.zip".into()),
            }),
        );
    }

    #[test]
    fn golden_resource_references() {
        golden(
            json!({SIG_KEY: SIG_RESOURCE_REFERENCE, "urn": "urn:pulumi:s::p::aws:s3/bucket:Bucket::b",
                   "id": "bucket-123", "packageVersion": "7.48.0"}),
            Value::ResourceReference(ResourceReference {
                urn: "urn:pulumi:s::p::aws:s3/bucket:Bucket::b".into(),
                id: Some(Box::new(Value::string("bucket-123"))),
                package_version: "7.48.0".into(),
                outputs: None,
            }),
        );
        // A component reference has no id.
        golden(
            json!({SIG_KEY: SIG_RESOURCE_REFERENCE, "urn": "urn:pulumi:s::p::x:y:Z::c"}),
            Value::ResourceReference(ResourceReference {
                urn: "urn:pulumi:s::p::x:y:Z::c".into(),
                id: None,
                package_version: String::new(),
                outputs: None,
            }),
        );
    }

    #[test]
    fn golden_output_values() {
        golden(
            json!({SIG_KEY: SIG_OUTPUT_VALUE, "value": "v", "secret": true, "dependencies": ["urn:a"]}),
            Value::Output(OutputValue {
                value: Some(Box::new(Value::string("v"))),
                secret: true,
                dependencies: vec!["urn:a".into()],
            }),
        );
        // An unknown output has no `value`.
        golden(
            json!({SIG_KEY: SIG_OUTPUT_VALUE}),
            Value::Output(OutputValue {
                value: None,
                secret: false,
                dependencies: vec![],
            }),
        );
    }

    #[test]
    fn outputs_downgrade_for_peers_without_output_values() {
        let o = Value::Output(OutputValue {
            value: None,
            secret: true,
            dependencies: vec!["urn:a".into()],
        });
        let wire = encode_value(&o, EncodeOptions::PLAIN);
        assert_eq!(
            decode_value(&wire, "p"),
            Ok(Value::Secret(Box::new(Value::unknown())))
        );
    }

    #[test]
    fn bad_special_values_name_the_property() {
        let e = decode_value(&pb(json!({"inner": {SIG_KEY: "nope"}})), "cfg").unwrap_err();
        assert_eq!(e.path, "cfg.inner");
        assert!(e.reason.contains("nope"));
        let e = decode_value(&pb(json!({SIG_KEY: SIG_ASSET})), "a").unwrap_err();
        assert!(e.reason.contains("text"));
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            // NaN never equals itself; Pulumi never sends it either.
            (-1.0e12f64..1.0e12).prop_map(Value::Number),
            "[a-z0-9 ]{0,8}".prop_map(Value::String),
            proptest::sample::select(UnknownKind::ALL.to_vec()).prop_map(Value::Unknown),
            "[a-z]{1,6}".prop_map(|t| Value::Asset(Asset {
                hash: None,
                source: AssetSource::Text(t)
            })),
            "[a-z]{1,6}".prop_map(|u| Value::ResourceReference(ResourceReference {
                urn: format!("urn:pulumi:s::p::t::{u}"),
                id: Some(Box::new(Value::String(u))),
                package_version: "1.0.0".into(),
                outputs: None,
            })),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{1,5}", inner.clone(), 0..4)
                    .prop_map(Value::Object),
                inner.clone().prop_map(|v| Value::Secret(Box::new(v))),
                (
                    proptest::option::of(inner),
                    any::<bool>(),
                    proptest::collection::vec("urn:[a-z]{1,4}", 0..3)
                )
                    .prop_map(|(v, secret, dependencies)| Value::Output(
                        OutputValue {
                            value: v.map(Box::new),
                            secret,
                            dependencies
                        }
                    )),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trip(v in arb_value()) {
            let wire = encode_value(&v, EncodeOptions::default());
            prop_assert_eq!(decode_value(&wire, "p").expect("decodes"), v);
        }

        #[test]
        fn downgrading_keeps_secrets_and_unknowns(v in arb_value()) {
            let wire = encode_value(&v, EncodeOptions::PLAIN);
            let back = decode_value(&wire, "p").expect("decodes");
            let (before, after) = (v.taint(), back.taint());
            prop_assert_eq!(before.secret, after.secret);
            prop_assert_eq!(before.unknown, after.unknown);
        }
    }
}
