//! Decoding raw input properties against their [`PropertyDef`]s.
//!
//! Inputs arrive unchecked. The reader refuses properties the schema does not
//! declare, checks types, applies schema defaults, and reports every problem
//! as an [`InputError`] that names the property.

use std::collections::BTreeMap;

use crate::errors;
use crate::schema::{DefaultValue, ObjectTypeDef, PropertyDef, TypeDef, resource_type_name};
use crate::value::{PropertyMap, Value, join_path as join};

/// Bad user input, naming the property.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// The catalogue code (`LP1002`); empty for a message not in a catalogue yet.
    pub code: &'static str,
    /// The property path (`healthCheck.path`).
    pub property: String,
    /// A lower-case message naming the property and the valid choices.
    pub message: String,
}

impl InputError {
    /// An error about `property` with no catalogue code. Only for messages
    /// not converted to a catalogue entry yet; new ones go in a catalogue
    /// ([`crate::catalogue`]).
    pub fn new(property: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError::coded("", property, message)
    }

    /// An error with its catalogue code; called by the constructors
    /// [`catalogue!`](crate::catalogue!) generates.
    pub fn coded(
        code: &'static str,
        property: impl Into<String>,
        message: impl Into<String>,
    ) -> InputError {
        InputError {
            code,
            property: property.into(),
            message: message.into(),
        }
    }
}

/// A plain input value the component inspects. It remembers how the user
/// sent it (secret, with dependencies) so that values derived from it carry
/// the same wrappers to the children: [`Value::from`] re-wraps the value.
#[derive(Clone, PartialEq)]
pub struct Input<T> {
    /// The value.
    pub value: T,
    /// The user's value with its wrappers; `Null` for defaults.
    wrapped: Value,
}

impl<T> Input<T> {
    /// An input with no wrappers (a default).
    pub fn plain(value: T) -> Input<T> {
        Input {
            value,
            wrapped: Value::Null,
        }
    }

    /// Whether the user sent it secret.
    pub fn secret(&self) -> bool {
        self.wrapped.taint().secret
    }

    /// Another value derived from this one, keeping its wrappers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Input<U> {
        Input {
            value: f(self.value),
            wrapped: self.wrapped,
        }
    }
}

impl Input<String> {
    /// The string `v` holds when it is known, with `v`'s wrappers; `None`
    /// while it is unknown (another resource's output during preview) or
    /// not a string. For checks that need more than the one input.
    pub fn known(v: &Value) -> Option<Input<String>> {
        match v.unwrap_top() {
            (Some(Value::String(s)), _) => Some(Input {
                value: s.clone(),
                wrapped: v.clone(),
            }),
            _ => None,
        }
    }
}

impl<T: std::fmt::Debug> Input<T> {
    /// The value as error messages may quote it: `[secret]` for secrets.
    pub fn shown(&self) -> String {
        if self.secret() {
            "[secret]".to_string()
        } else {
            format!("{:?}", self.value)
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Input<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Input<f64> {
    /// The number as a message quotes it: `8080`, not `8080.0`; `[secret]` for secrets.
    pub fn shown_number(&self) -> String {
        if self.secret() {
            self.shown()
        } else if self.value.fract() == 0.0 && self.value.abs() < 1e15 {
            format!("{}", self.value as i64)
        } else {
            self.value.to_string()
        }
    }
}

impl<T> std::ops::Deref for Input<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Clone + Into<Value>> From<&Input<T>> for Value {
    fn from(i: &Input<T>) -> Value {
        i.wrapped.replace_plain(i.value.clone().into())
    }
}

/// A resource's inputs, or a nested object of them, declared once as a
/// struct: `#[derive(Inputs)]` writes the schema entries and the decoder
/// from its fields (see `launchpad_macros` for the attributes).
pub trait Inputs: Sized {
    /// The schema entries, one per field.
    const PROPERTIES: &'static [PropertyDef];

    /// Read the fields from a reader of this object's properties.
    fn read(r: &ArgsReader<'_>) -> Result<Self, InputError>;

    /// Decode raw properties, refusing any this struct does not declare.
    fn decode(props: &PropertyMap) -> Result<Self, InputError> {
        Self::read(&ArgsReader::new(Self::PROPERTIES, props)?)
    }
}

/// Inputs that are a nested object type of the schema (`#[inputs(object = "...")]`).
pub trait ObjectInputs: Inputs {
    /// The object type: token, description (the struct's doc comment) and properties.
    const OBJECT: ObjectTypeDef;
}

/// Reads one object's properties (a component's inputs or a nested object).
pub struct ArgsReader<'a> {
    defs: &'static [PropertyDef],
    props: &'a PropertyMap,
    prefix: String,
    // The object being read was itself secret: so is everything in it.
    secret: bool,
}

impl<'a> ArgsReader<'a> {
    /// Start reading `props`, refusing any property not in `defs`.
    pub fn new(defs: &'static [PropertyDef], props: &'a PropertyMap) -> Result<Self, InputError> {
        check_keys(defs, props, "")?;
        Ok(ArgsReader {
            defs,
            props,
            prefix: String::new(),
            secret: false,
        })
    }

    fn def(&self, name: &str) -> Result<&'static PropertyDef, InputError> {
        // A name missing here is a bug in the component, caught by its tests;
        // a server reports it instead of panicking.
        self.defs
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| errors::internal_undeclared_property(&self.path(name)))
    }

    /// The full path of a property, for messages.
    pub fn path(&self, name: &str) -> String {
        join(&self.prefix, name)
    }

    /// The raw value, for properties passed through to children unchanged
    /// (secrets, unknowns and dependencies kept). Type-checked where known.
    pub fn raw(&self, name: &str) -> Result<Option<&'a Value>, InputError> {
        let def = self.def(name)?;
        match self.props.get(name) {
            None => self.missing(def).map(|()| None),
            Some(v) if v.is_null() => self.missing(def).map(|()| None),
            Some(v) => {
                check_type(&def.ty, v, &self.path(name), self.secret)?;
                Ok(Some(v))
            }
        }
    }

    fn missing(&self, def: &PropertyDef) -> Result<(), InputError> {
        if def.required && def.default.is_none() {
            Err(self.missing_error(def.name))
        } else {
            Ok(())
        }
    }

    /// The user's value as children should receive it: inside a secret object, secret.
    fn wrapped(&self, v: &Value) -> Value {
        v.clone().secret_if(self.secret)
    }

    /// A value passed on to children as it came (unknowns, secrets and
    /// dependencies kept), type-checked where known; the schema default when absent.
    pub fn passthrough(&self, name: &str) -> Result<Option<Value>, InputError> {
        Ok(match self.raw(name)? {
            Some(v) => Some(self.wrapped(v)),
            None => self.def(name)?.default.map(|d| match d {
                DefaultValue::String(s) => Value::string(s),
                DefaultValue::Bool(b) => Value::Bool(b),
                DefaultValue::Number(n) => Value::Number(n),
            }),
        })
    }

    /// A string validated by `check` when it is known; passed on as it came
    /// when it is not (another resource's output during preview).
    pub fn string_or_unknown(
        &self,
        name: &str,
        check: impl FnOnce(Input<String>) -> Result<Input<String>, InputError>,
    ) -> Result<Option<Value>, InputError> {
        let Some(v) = self.raw(name)? else {
            return Ok(None);
        };
        match v.unwrap_top() {
            (Some(Value::String(s)), _) => {
                let checked = check(Input {
                    value: s.clone(),
                    wrapped: self.wrapped(v),
                })?;
                Ok(Some(Value::from(&checked)))
            }
            _ => Ok(Some(self.wrapped(v))),
        }
    }

    /// A value the component must inspect: it has to be known now.
    fn plain(&self, name: &str) -> Result<Option<(&'a Value, Value)>, InputError> {
        let Some(v) = self.raw(name)? else {
            return Ok(None);
        };
        match v.unwrap_top() {
            (Some(plain), _) => Ok(Some((plain, self.wrapped(v)))),
            (None, _) => Err(errors::not_known_yet(&self.path(name))),
        }
    }

    /// An optional string (schema default applied).
    pub fn string(&self, name: &str) -> Result<Option<Input<String>>, InputError> {
        match self.plain(name)? {
            Some((Value::String(s), wrapped)) => Ok(Some(Input {
                value: s.clone(),
                wrapped,
            })),
            _ => Ok(match self.def(name)?.default {
                Some(DefaultValue::String(d)) => Some(Input::plain(d.to_string())),
                _ => None,
            }),
        }
    }

    /// A string that is required or has a schema default.
    pub fn required_string(&self, name: &str) -> Result<Input<String>, InputError> {
        self.string(name)?.ok_or_else(|| self.missing_error(name))
    }

    /// The error for a required property that is not set.
    pub fn missing_error(&self, name: &str) -> InputError {
        errors::missing_required(&self.path(name))
    }

    /// A boolean that is required or has a schema default.
    pub fn required_bool(&self, name: &str) -> Result<Input<bool>, InputError> {
        self.bool(name)?.ok_or_else(|| self.missing_error(name))
    }

    /// An optional boolean (schema default applied).
    pub fn bool(&self, name: &str) -> Result<Option<Input<bool>>, InputError> {
        match self.plain(name)? {
            Some((Value::Bool(b), wrapped)) => Ok(Some(Input { value: *b, wrapped })),
            _ => Ok(match self.def(name)?.default {
                Some(DefaultValue::Bool(d)) => Some(Input::plain(d)),
                _ => None,
            }),
        }
    }

    /// An optional number (schema default applied).
    pub fn number(&self, name: &str) -> Result<Option<Input<f64>>, InputError> {
        match self.plain(name)? {
            Some((Value::Number(n), wrapped)) => Ok(Some(Input { value: *n, wrapped })),
            _ => Ok(match self.def(name)?.default {
                Some(DefaultValue::Number(d)) => Some(Input::plain(d)),
                _ => None,
            }),
        }
    }

    /// A map whose keys must be known now; each value is passed on as it
    /// came (it may be secret or unknown), secret when the map was.
    pub fn entries(&self, name: &str) -> Result<Option<BTreeMap<String, Value>>, InputError> {
        match self.plain(name)? {
            Some((Value::Object(map), wrapped)) => {
                // The map's own wrapper, not its values': one secret value stays one.
                let secret = self.secret || wrapped.unwrap_top().1.secret;
                Ok(Some(
                    map.iter()
                        .map(|(k, v)| (k.clone(), v.clone().secret_if(secret)))
                        .collect(),
                ))
            }
            _ => Ok(None),
        }
    }

    /// A list of strings the component must inspect: known now, each kept
    /// with the user's wrappers.
    pub fn strings(&self, name: &str) -> Result<Option<Vec<Input<String>>>, InputError> {
        let Some((Value::Array(items), wrapped)) = self.plain(name)? else {
            return Ok(None);
        };
        let secret = self.secret || wrapped.unwrap_top().1.secret;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item.unwrap_top() {
                (Some(Value::String(s)), _) => Ok(Input {
                    value: s.clone(),
                    wrapped: item.clone().secret_if(secret),
                }),
                _ => Err(errors::not_known_yet(&format!("{}[{i}]", self.path(name)))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A whole number from `min` to `max` that is required or has a schema default.
    pub fn integer(&self, name: &str, min: u32, max: u32) -> Result<Input<f64>, InputError> {
        self.optional_integer(name, min, max)?
            .ok_or_else(|| self.missing_error(name))
    }

    /// An optional whole number from `min` to `max` (schema default applied).
    pub fn optional_integer(
        &self,
        name: &str,
        min: u32,
        max: u32,
    ) -> Result<Option<Input<f64>>, InputError> {
        let Some(n) = self.number(name)? else {
            return Ok(None);
        };
        if n.fract() != 0.0 || *n < f64::from(min) || *n > f64::from(max) {
            let path = self.path(name);
            return Err(if max == u32::MAX {
                errors::whole_number_too_small(&path, n.shown_number(), min)
            } else {
                errors::whole_number_out_of_range(&path, n.shown_number(), min, max)
            });
        }
        Ok(Some(n))
    }

    /// A nested object, read with its own definitions; when it is not set,
    /// a reader of its schema defaults (so every default lives in the schema).
    pub fn object_or_defaults(&self, name: &str) -> Result<ArgsReader<'a>, InputError> {
        static EMPTY: PropertyMap = PropertyMap::new();
        if let Some(r) = self.object(name)? {
            return Ok(r);
        }
        let TypeDef::Object(o) = self.def(name)?.ty else {
            return Err(errors::internal_not_an_object(&self.path(name)));
        };
        Ok(ArgsReader {
            defs: o.properties,
            props: &EMPTY,
            prefix: self.path(name),
            secret: false,
        })
    }

    /// A nested object, read with its own definitions.
    pub fn object(&self, name: &str) -> Result<Option<ArgsReader<'a>>, InputError> {
        let TypeDef::Object(o) = self.def(name)?.ty else {
            return Err(errors::internal_not_an_object(&self.path(name)));
        };
        match self.plain(name)? {
            // `raw` has already refused keys the object type does not declare.
            Some((Value::Object(map), wrapped)) => Ok(Some(ArgsReader {
                defs: o.properties,
                props: map,
                prefix: self.path(name),
                secret: wrapped.taint().secret,
            })),
            _ => Ok(None),
        }
    }

    /// One entry of a map of objects (`secrets.DB` of `secrets`), read with
    /// the object type's definitions; it has to be known now, and it is
    /// secret when the map or the entry is. `None` when there is no such entry.
    pub fn object_entry(
        &self,
        name: &str,
        key: &str,
    ) -> Result<Option<ArgsReader<'a>>, InputError> {
        let TypeDef::Map(TypeDef::Object(o)) = self.def(name)?.ty else {
            return Err(errors::internal_not_a_map_of_objects(&self.path(name)));
        };
        let Some((Value::Object(map), wrapped)) = self.plain(name)? else {
            return Ok(None);
        };
        let Some(entry) = map.get(key) else {
            return Ok(None);
        };
        let path = format!("{}.{key}", self.path(name));
        match entry.unwrap_top() {
            // `raw` has already refused keys the object type does not declare.
            (Some(Value::Object(props)), taint) => Ok(Some(ArgsReader {
                defs: o.properties,
                props,
                secret: self.secret || wrapped.unwrap_top().1.secret || taint.secret,
                prefix: path,
            })),
            _ => Err(errors::not_known_yet(&path)),
        }
    }
}

/// Another resource given as an input (`routes[0].function`), with the
/// outputs Construct read for it from the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceInput {
    /// Its URN.
    pub urn: String,
    /// Its outputs (some may be unknown during preview).
    outputs: PropertyMap,
    /// The input was secret: so is everything read from it.
    secret: bool,
}

impl ResourceInput {
    /// The output `name` as a child input: an output value that depends on
    /// the resource (so the child waits for it) and keeps its secrecy and
    /// unknownness; `None` when the resource has no such output.
    pub fn output(&self, name: &str) -> Option<Value> {
        let v = self.outputs.get(name).filter(|v| !v.is_null())?;
        Some(v.depending_on(std::slice::from_ref(&self.urn), self.secret))
    }

    /// The output `name` when it is a number known now (a timeout the
    /// component sizes something by).
    pub fn known_number(&self, name: &str) -> Option<f64> {
        match self.outputs.get(name)?.unwrap_top() {
            (Some(Value::Number(n)), _) => Some(*n),
            _ => None,
        }
    }
}

impl<'a> ArgsReader<'a> {
    /// A list of objects, each read with the object type's definitions; the
    /// list and each item have to be known now. Items are secret when the
    /// list or the item is.
    pub fn objects(&self, name: &str) -> Result<Option<Vec<ArgsReader<'a>>>, InputError> {
        let TypeDef::Array(TypeDef::Object(o)) = self.def(name)?.ty else {
            return Err(errors::internal_not_a_list_of_objects(&self.path(name)));
        };
        let Some((Value::Array(items), wrapped)) = self.plain(name)? else {
            return Ok(None);
        };
        let secret = self.secret || wrapped.unwrap_top().1.secret;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let path = format!("{}[{i}]", self.path(name));
                match item.unwrap_top() {
                    // `raw` has already refused keys the object type does not declare.
                    (Some(Value::Object(props)), taint) => Ok(ArgsReader {
                        defs: o.properties,
                        props,
                        prefix: path,
                        secret: secret || taint.secret,
                    }),
                    _ => Err(errors::not_known_yet(&path)),
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Another resource given as this input, with its outputs; `raw` has
    /// already checked it is one of the declared type.
    pub fn resource(&self, name: &str) -> Result<Option<ResourceInput>, InputError> {
        let Some((Value::ResourceReference(r), wrapped)) = self.plain(name)? else {
            return Ok(None);
        };
        let Some(outputs) = &r.outputs else {
            return Err(errors::internal_outputs_not_read(&self.path(name), &r.urn));
        };
        Ok(Some(ResourceInput {
            urn: r.urn.clone(),
            outputs: outputs.clone(),
            secret: wrapped.taint().secret,
        }))
    }
}

/// Refuse any property of `props` that `defs` does not declare.
fn check_keys(defs: &[PropertyDef], props: &PropertyMap, prefix: &str) -> Result<(), InputError> {
    match props
        .keys()
        .find(|k| !defs.iter().any(|d| d.name == k.as_str()))
    {
        Some(key) => {
            let valid = defs.iter().map(|d| d.name).collect::<Vec<_>>().join(", ");
            Err(errors::unknown_property(&join(prefix, key), valid))
        }
        None => Ok(()),
    }
}

/// Check a value against a type; unknowns and wrappers are accepted around
/// any well-typed value.
fn check_type(ty: &TypeDef, v: &Value, path: &str, inside_secret: bool) -> Result<(), InputError> {
    let (plain, taint) = v.unwrap_top();
    // A secret's value never appears in a message.
    let secret = inside_secret || taint.secret;
    let Some(plain) = plain else {
        return Ok(());
    };
    let wrong = |expected: &str| {
        let got = if secret {
            "a secret value of another type".to_string()
        } else {
            describe(plain)
        };
        Err(errors::wrong_type(path, expected, got))
    };
    match (ty, plain) {
        (_, Value::Null) => Ok(()),
        (TypeDef::String, Value::String(_)) => Ok(()),
        (TypeDef::String, _) => wrong("a string"),
        (TypeDef::Boolean, Value::Bool(_)) => Ok(()),
        (TypeDef::Boolean, _) => wrong("a boolean"),
        (TypeDef::Number, Value::Number(_)) => Ok(()),
        (TypeDef::Number, _) => wrong("a number"),
        (TypeDef::Integer, Value::Number(n)) if n.fract() == 0.0 => Ok(()),
        (TypeDef::Integer, _) => wrong("an integer"),
        (TypeDef::Enum(e), Value::String(s)) => {
            if e.values.iter().any(|(v, _)| v == s) {
                Ok(())
            } else {
                let name = path.rsplit('.').next().unwrap_or(path);
                let shown = if secret {
                    "[secret]".to_string()
                } else {
                    format!("{s:?}")
                };
                Err(errors::not_a_choice(path, name, shown, e.choices()))
            }
        }
        (TypeDef::Enum(e), _) => wrong(&format!("one of {}", e.choices())),
        (TypeDef::Array(inner), Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_type(inner, item, &format!("{path}[{i}]"), secret)),
        (TypeDef::Array(_), _) => wrong("a list"),
        (TypeDef::Map(inner), Value::Object(map)) => map
            .iter()
            .try_for_each(|(k, item)| check_type(inner, item, &format!("{path}.{k}"), secret)),
        (TypeDef::Map(_), _) => wrong("a map"),
        (TypeDef::Object(o), Value::Object(map)) => {
            check_keys(o.properties, map, path)?;
            map.iter().try_for_each(|(k, item)| {
                let def = o.properties.iter().find(|d| d.name == k);
                match def {
                    Some(d) => check_type(&d.ty, item, &format!("{path}.{k}"), secret),
                    None => Ok(()),
                }
            })
        }
        (TypeDef::Object(_), _) => wrong("an object"),
        (TypeDef::Resource(token), Value::ResourceReference(r)) if r.type_token() == *token => {
            Ok(())
        }
        (TypeDef::Resource(token), _) => wrong(&format!("a {}", resource_type_name(token))),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("{b}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::Asset(_) => "an asset".into(),
        Value::Archive(_) => "an archive".into(),
        Value::ResourceReference(r) => format!("a {}", resource_type_name(r.type_token())),
        _ => "a value of another type".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{EnumDef, ObjectTypeDef};
    use crate::value::{OutputValue, UnknownKind};

    static CLASS: EnumDef = EnumDef {
        token: "t:index:Class",
        description: "",
        values: &[("A", ""), ("B", "")],
    };
    static HEALTH: ObjectTypeDef = ObjectTypeDef {
        token: "t:index:Health",
        description: "",
        properties: &[PropertyDef::new("path", TypeDef::String, "").required()],
    };
    static DEFS: &[PropertyDef] = &[
        PropertyDef::new("path", TypeDef::String, "").required(),
        PropertyDef::new("spa", TypeDef::Boolean, "").default(DefaultValue::Bool(true)),
        PropertyDef::new("class", TypeDef::Enum(&CLASS), "").default(DefaultValue::String("A")),
        PropertyDef::new("tags", TypeDef::Map(&TypeDef::String), ""),
        PropertyDef::new("health", TypeDef::Object(&HEALTH), ""),
    ];

    fn props(pairs: Vec<(&str, Value)>) -> PropertyMap {
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn applies_defaults_and_reads_values() {
        let p = props(vec![("path", "./dist".into())]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert_eq!(r.required_string("path").expect("ok").value, "./dist");
        assert_eq!(r.bool("spa").expect("ok"), Some(Input::plain(true)));
        assert_eq!(
            r.string("class").expect("ok").map(|i| i.value).as_deref(),
            Some("A")
        );
    }

    #[test]
    fn unknown_property_lists_the_valid_ones() {
        let p = props(vec![("path", "x".into()), ("sap", true.into())]);
        let e = ArgsReader::new(DEFS, &p).err().expect("refused");
        assert_eq!(e.property, "sap");
        assert!(
            e.message
                .contains("valid properties: path, spa, class, tags, health"),
            "{e}"
        );
    }

    #[test]
    fn missing_required_and_wrong_types_name_the_property() {
        let p = props(vec![]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert_eq!(
            r.required_string("path").unwrap_err().message,
            "missing required property `path`"
        );
        let p = props(vec![("path", "x".into()), ("spa", "yes".into())]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert_eq!(
            r.bool("spa").unwrap_err().message,
            "`spa` must be a boolean, got the string \"yes\""
        );
    }

    #[test]
    fn enum_errors_list_choices_and_nested_paths_are_full() {
        let p = props(vec![("class", "C".into())]);
        let e = ArgsReader::new(DEFS, &p)
            .expect("valid")
            .string("class")
            .unwrap_err();
        assert_eq!(e.message, "class=\"C\" is not valid; valid: A, B");
        let p = props(vec![(
            "health",
            Value::Object(props(vec![("path", Value::Number(1.0))])),
        )]);
        let e = ArgsReader::new(DEFS, &p)
            .expect("valid")
            .raw("health")
            .unwrap_err();
        assert_eq!(e.property, "health.path");
        let p = props(vec![("health", Value::Object(props(vec![])))]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        let h = r.object("health").expect("ok").expect("present");
        assert_eq!(
            h.required_string("path").unwrap_err().property,
            "health.path"
        );
    }

    #[test]
    fn map_entries_read_as_objects_with_full_paths_and_their_secrecy() {
        static REFS: &[PropertyDef] = &[PropertyDef::new(
            "refs",
            TypeDef::Map(&TypeDef::Object(&HEALTH)),
            "",
        )];
        let p = props(vec![(
            "refs",
            Value::Object(props(vec![
                ("A", Value::Object(props(vec![]))),
                (
                    "B",
                    Value::Secret(Box::new(Value::Object(props(vec![("path", "/b".into())])))),
                ),
                ("C", Value::Unknown(UnknownKind::Object)),
            ])),
        )]);
        let r = ArgsReader::new(REFS, &p).expect("valid");
        let a = r.object_entry("refs", "A").expect("ok").expect("present");
        assert_eq!(
            a.required_string("path").unwrap_err().message,
            "missing required property `refs.A.path`"
        );
        let b = r.object_entry("refs", "B").expect("ok").expect("present");
        assert!(b.required_string("path").expect("ok").secret());
        let Err(e) = r.object_entry("refs", "C") else {
            panic!("an unknown entry is refused")
        };
        assert_eq!(e.property, "refs.C");
        assert!(e.message.contains("must be known"), "{}", e.message);
        assert!(r.object_entry("refs", "D").expect("ok").is_none());
        let none = props(vec![]);
        let Err(e) = ArgsReader::new(DEFS, &none)
            .expect("valid")
            .object_entry("health", "A")
        else {
            panic!("health is not a map")
        };
        assert!(e.message.contains("not a map of objects"), "{}", e.message);
    }

    #[test]
    fn unknowns_pass_through_raw_but_not_where_inspected() {
        let p = props(vec![
            ("tags", Value::Unknown(UnknownKind::Object)),
            (
                "spa",
                Value::Output(OutputValue {
                    value: None,
                    secret: false,
                    dependencies: vec![],
                }),
            ),
        ]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert!(r.raw("tags").expect("ok").is_some());
        assert!(r.bool("spa").unwrap_err().message.contains("must be known"));
    }

    #[test]
    fn known_values_keep_their_dependencies_and_unknowns_may_pass_through() {
        let out = |v: Option<Value>| {
            Value::Output(OutputValue {
                value: v.map(Box::new),
                secret: false,
                dependencies: vec!["urn:zone".into()],
            })
        };
        let p = props(vec![
            ("path", out(Some("./d".into()))),
            ("class", out(None)),
        ]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        let path = r
            .required_string("path")
            .expect("ok")
            .map(|p| format!("{p}/x"));
        assert_eq!(Value::from(&path), out(Some("./d/x".into())));
        assert_eq!(r.passthrough("class").expect("ok"), Some(out(None)));
        let upper = |i: Input<String>| Ok(i.map(|s| s.to_uppercase()));
        assert_eq!(
            r.string_or_unknown("class", upper).expect("ok"),
            Some(out(None))
        );
        assert_eq!(
            r.string_or_unknown("path", upper).expect("ok"),
            Some(out(Some("./D".into())))
        );
        let p = props(vec![]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert_eq!(
            r.passthrough("class").expect("ok"),
            Some(Value::string("A"))
        );
    }

    #[test]
    fn messages_never_quote_secret_values() {
        let p = props(vec![("class", Value::Secret(Box::new("Z".into())))]);
        let e = ArgsReader::new(DEFS, &p)
            .expect("valid")
            .string("class")
            .unwrap_err();
        assert_eq!(e.message, "class=[secret] is not valid; valid: A, B");
        let health = Value::Object(props(vec![("path", Value::Number(7.0))]));
        let p = props(vec![("health", Value::Secret(Box::new(health)))]);
        let e = ArgsReader::new(DEFS, &p)
            .expect("valid")
            .raw("health")
            .unwrap_err();
        assert!(!e.message.contains('7'), "{}", e.message);
    }

    #[test]
    fn maps_and_lists_keep_each_value_as_it_came() {
        let secret = Value::Secret(Box::new(Value::string("s3cr3t")));
        let tags = Value::Object(props(vec![
            ("a", "1".into()),
            ("b", secret.clone()),
            ("c", Value::unknown()),
        ]));
        let p = props(vec![("tags", tags)]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        let e = r.entries("tags").expect("ok").expect("present");
        assert_eq!(e["a"], Value::string("1"));
        assert_eq!(e["b"], secret);
        assert_eq!(e["c"], Value::unknown());
        let p = props(vec![("tags", Value::Unknown(UnknownKind::Object))]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert!(
            r.entries("tags")
                .unwrap_err()
                .message
                .contains("must be known")
        );
    }

    static ROUTE: ObjectTypeDef = ObjectTypeDef {
        token: "t:index:Route",
        description: "",
        properties: &[
            PropertyDef::new("path", TypeDef::String, "").required(),
            PropertyDef::new("target", TypeDef::Resource("t:index:Fn"), ""),
        ],
    };
    static ROUTES: &[PropertyDef] = &[PropertyDef::new(
        "routes",
        TypeDef::Array(&TypeDef::Object(&ROUTE)),
        "",
    )];

    fn reference(token: &str, outputs: Option<PropertyMap>) -> Value {
        Value::ResourceReference(crate::value::ResourceReference {
            urn: format!("urn:pulumi:dev::proj::{token}::api"),
            id: None,
            package_version: String::new(),
            outputs,
        })
    }

    fn routes(items: Vec<Value>) -> PropertyMap {
        props(vec![("routes", Value::Array(items))])
    }

    #[test]
    fn a_list_of_objects_reads_each_item_with_its_index_in_the_path() {
        let p = routes(vec![
            Value::Object(props(vec![("path", "/a".into())])),
            Value::Object(props(vec![])),
        ]);
        let r = ArgsReader::new(ROUTES, &p).expect("valid");
        let items = r.objects("routes").expect("ok").expect("present");
        assert_eq!(items[0].required_string("path").expect("ok").value, "/a");
        assert_eq!(
            items[1].required_string("path").unwrap_err().property,
            "routes[1].path"
        );
        let p = routes(vec![Value::Unknown(UnknownKind::Object)]);
        let Err(e) = ArgsReader::new(ROUTES, &p)
            .expect("valid")
            .objects("routes")
        else {
            panic!("an unknown item is refused")
        };
        assert_eq!(e.property, "routes[0]");
        let Err(e) = ArgsReader::new(DEFS, &props(vec![]))
            .expect("valid")
            .objects("tags")
        else {
            panic!("tags is not a list of objects")
        };
        assert!(e.message.contains("not a list of objects"), "{}", e.message);
    }

    #[test]
    fn a_resource_input_is_typed_and_its_outputs_depend_on_it() {
        let outputs = props(vec![
            ("name", "api-fn".into()),
            ("timeout", Value::Number(45.0)),
            ("arn", Value::unknown()),
        ]);
        let item =
            |target: Value| Value::Object(props(vec![("path", "/a".into()), ("target", target)]));
        let p = routes(vec![item(reference("t:index:Fn", Some(outputs)))]);
        let r = ArgsReader::new(ROUTES, &p).expect("valid");
        let route = &r.objects("routes").expect("ok").expect("present")[0];
        let f = route.resource("target").expect("ok").expect("present");
        assert_eq!(f.urn, "urn:pulumi:dev::proj::t:index:Fn::api");
        assert_eq!(
            f.output("name"),
            Some(Value::Output(OutputValue {
                value: Some(Box::new("api-fn".into())),
                secret: false,
                dependencies: vec![f.urn.clone()],
            }))
        );
        assert_eq!(f.known_number("timeout"), Some(45.0));
        assert_eq!(f.known_number("arn"), None);
        assert_eq!(f.known_number("name"), None);
        assert_eq!(f.output("missing"), None);

        for (wrong, got) in [
            (Value::string("api"), "the string \"api\""),
            (
                reference("t:index:Other", Some(PropertyMap::new())),
                "a t.Other",
            ),
        ] {
            let p = routes(vec![item(wrong)]);
            let Err(e) = ArgsReader::new(ROUTES, &p)
                .expect("valid")
                .objects("routes")
            else {
                panic!("a wrong target is refused")
            };
            assert_eq!(e.property, "routes[0].target");
            assert_eq!(
                e.message,
                format!("`routes[0].target` must be a t.Fn, got {got}")
            );
        }
        let p = routes(vec![item(reference("t:index:Fn", None))]);
        let r = ArgsReader::new(ROUTES, &p).expect("valid");
        let route = &r.objects("routes").expect("ok").expect("present")[0];
        let e = route.resource("target").unwrap_err();
        assert!(e.message.contains("were not read"), "{}", e.message);
    }

    #[test]
    fn everything_inside_a_secret_object_is_secret() {
        let health = Value::Object(props(vec![("path", "/up".into())]));
        let p = props(vec![("health", Value::Secret(Box::new(health)))]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        let h = r.object("health").expect("ok").expect("present");
        assert!(h.required_string("path").expect("ok").secret());
    }

    #[test]
    fn secrets_are_unwrapped_for_inspection_but_remembered() {
        let p = props(vec![("path", Value::Secret(Box::new("./d".into())))]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        let path = r.required_string("path").expect("ok");
        assert_eq!(path.value, "./d");
        assert!(path.secret());
        assert_eq!(format!("{path:?}"), "[secret]");
        assert_eq!(Value::from(&path), Value::Secret(Box::new("./d".into())));
        let p = props(vec![("path", "./e".into())]);
        let r = ArgsReader::new(DEFS, &p).expect("valid");
        assert_eq!(
            Value::from(&r.required_string("path").expect("ok")),
            Value::string("./e")
        );
    }
}
