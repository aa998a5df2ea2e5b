//! Definitions of a package's components and types, as plain data.
//!
//! The same definitions render the Pulumi package schema ([`PackageDef::schema`])
//! and drive input decoding ([`crate::args::ArgsReader`]), so the two cannot drift.

use serde_json::{Map, Value as Json, json};

/// A property type.
#[derive(Debug, Clone, Copy)]
pub enum TypeDef {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An array of the inner type.
    Array(&'static TypeDef),
    /// A map from string to the inner type.
    Map(&'static TypeDef),
    /// An object type of this package.
    Object(&'static ObjectTypeDef),
    /// A string enum of this package.
    Enum(&'static EnumDef),
    /// A resource of this package, by its token (`launchpad:index:Function`):
    /// the program passes the resource object itself, the SDKs type it as
    /// that resource class, and Construct reads its outputs.
    Resource(&'static str),
}

impl TypeDef {
    /// Whether a value of this type may hold a resource, at any depth.
    pub fn holds_resource(&self) -> bool {
        match self {
            TypeDef::Resource(_) => true,
            TypeDef::Array(inner) | TypeDef::Map(inner) => inner.holds_resource(),
            TypeDef::Object(o) => o.properties.iter().any(|p| p.ty.holds_resource()),
            TypeDef::String
            | TypeDef::Integer
            | TypeDef::Number
            | TypeDef::Boolean
            | TypeDef::Enum(_) => false,
        }
    }
}

/// How a message names a resource type: `launchpad:index:Function` is
/// `launchpad.Function`, as a program writes it.
pub fn resource_type_name(token: &str) -> String {
    let mut parts = token.split(':');
    let package = parts.next().unwrap_or_default();
    let name = parts.next_back().unwrap_or_default();
    format!("{package}.{name}")
}

/// A property of a component's inputs or outputs, or of an object type.
/// `Copy`, so that one struct's inputs can be spliced into another's at
/// compile time ([`concat_properties`]).
#[derive(Debug, Clone, Copy)]
pub struct PropertyDef {
    /// The camelCase name on the wire and in the SDKs.
    pub name: &'static str,
    /// Markdown documentation; every property has some.
    pub description: &'static str,
    /// Its type.
    pub ty: TypeDef,
    /// Whether it must be set.
    pub required: bool,
    /// Whether it is always secret (outputs).
    pub secret: bool,
    /// A default applied both by the SDKs and by decoding.
    pub default: Option<DefaultValue>,
    /// For a native resource's outputs: the inputs it is computed from, so
    /// it is secret when any of them is (an output also follows the input
    /// of its own name).
    pub derived_from: &'static [&'static str],
    /// For a native resource's inputs: a change replaces the resource.
    pub replace_on_changes: bool,
    /// For a component's inputs: the child inputs it becomes, as
    /// `"childKey.property"` (`childKey` may end in `*`: every child whose
    /// key starts so and that has the property), so that `ignoreChanges`
    /// and `replaceOnChanges` given to the component reach the children.
    pub feeds: &'static [&'static str],
    /// For a component's inputs that become no child input: why.
    pub feeds_none: Option<&'static str>,
}

impl PropertyDef {
    /// An optional, non-secret property without default.
    pub const fn new(name: &'static str, ty: TypeDef, description: &'static str) -> PropertyDef {
        PropertyDef {
            name,
            description,
            ty,
            required: false,
            secret: false,
            default: None,
            derived_from: &[],
            replace_on_changes: false,
            feeds: &[],
            feeds_none: None,
        }
    }

    /// Mark the property required.
    pub const fn required(mut self) -> PropertyDef {
        self.required = true;
        self
    }

    /// Mark the property secret.
    pub const fn secret(mut self) -> PropertyDef {
        self.secret = true;
        self
    }

    /// Name the inputs a native resource's output is computed from.
    pub const fn derived_from(mut self, inputs: &'static [&'static str]) -> PropertyDef {
        self.derived_from = inputs;
        self
    }

    /// Give the property a default.
    pub const fn default(mut self, d: DefaultValue) -> PropertyDef {
        self.default = Some(d);
        self
    }
}

/// The properties of `parts`, one after another, as one array of `N`: the
/// inputs of a struct that flattens in the inputs of another
/// (`#[input(flatten)]`), in field order. `N` must be their total count;
/// another count fails the build where the constant is evaluated.
pub const fn concat_properties<const N: usize>(parts: &[&[PropertyDef]]) -> [PropertyDef; N] {
    const UNSET: PropertyDef = PropertyDef::new("", TypeDef::String, "");
    let mut out = [UNSET; N];
    let (mut part, mut n) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            out[n] = parts[part][i];
            n += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(
        n == N,
        "concat_properties: N is not the number of properties"
    );
    out
}

/// A default value.
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    /// A string default.
    String(&'static str),
    /// A boolean default.
    Bool(bool),
    /// A numeric default.
    Number(f64),
}

/// An object type (`#/types/<token>`).
#[derive(Debug)]
pub struct ObjectTypeDef {
    /// `launchpad:index:Name`.
    pub token: &'static str,
    /// Documentation.
    pub description: &'static str,
    /// Its properties.
    pub properties: &'static [PropertyDef],
}

/// A string enum type.
#[derive(Debug)]
pub struct EnumDef {
    /// `launchpad:index:Name`.
    pub token: &'static str,
    /// Documentation.
    pub description: &'static str,
    /// `(value, description)` pairs.
    pub values: &'static [(&'static str, &'static str)],
}

impl EnumDef {
    /// The allowed values, comma separated, for error messages.
    pub fn choices(&self) -> String {
        self.values
            .iter()
            .map(|(v, _)| *v)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A resource: a component, or a native custom resource of this provider.
#[derive(Debug)]
pub struct ResourceDef {
    /// `launchpad:index:Name`.
    pub token: &'static str,
    /// Documentation.
    pub description: &'static str,
    /// Input properties.
    pub inputs: &'static [PropertyDef],
    /// Output properties.
    pub outputs: &'static [PropertyDef],
}

impl ResourceDef {
    /// The inputs whose change replaces the resource (`replace_on_changes`),
    /// for a native resource's Diff.
    pub fn replace_on_changes(&self) -> Vec<&'static str> {
        self.inputs
            .iter()
            .filter(|p| p.replace_on_changes)
            .map(|p| p.name)
            .collect()
    }
}

/// A component resource's definition.
pub type ComponentDef = ResourceDef;

/// A package: the whole schema.
#[derive(Debug)]
pub struct PackageDef {
    /// Package name (`launchpad`).
    pub name: &'static str,
    /// Semver of the package.
    pub version: &'static str,
    /// Human name.
    pub display_name: &'static str,
    /// Documentation.
    pub description: &'static str,
    /// Repository URL.
    pub repository: &'static str,
    /// Where the engine downloads the plugin from when it is not installed
    /// (`github://api.github.com/<org>/<repo>` or an https template with
    /// `${VERSION}`, `${OS}`, `${ARCH}`); rendered as `pluginDownloadURL` and
    /// embedded by the generated SDKs. Empty: none.
    pub plugin_download_url: &'static str,
    /// Registry keywords.
    pub keywords: &'static [&'static str],
    /// Publisher.
    pub publisher: &'static str,
    /// The package's logo, as a URL the registry can fetch (a file committed
    /// in the repository, by its raw URL); rendered as `logoUrl`. Empty: none.
    pub logo_url: &'static str,
    /// SPDX license.
    pub license: &'static str,
    /// npm package name.
    pub npm_package: &'static str,
    /// Python package (module) name.
    pub python_package: &'static str,
    /// Version range of `@pulumi/pulumi` the Node.js SDK needs.
    pub nodejs_pulumi_range: &'static str,
    /// TypeScript version the Node.js SDK is compiled with.
    pub nodejs_typescript_version: &'static str,
    /// Version range of `pulumi` the Python SDK needs.
    pub python_pulumi_range: &'static str,
    /// Provider configuration variables.
    pub config: &'static [PropertyDef],
}

impl PackageDef {
    /// Render the Pulumi package schema as JSON, with these components and
    /// native custom resources (the registry, [`crate::Package`], holds them).
    pub fn schema(&self, components: &[&ComponentDef], custom_resources: &[&ResourceDef]) -> Json {
        let mut types = Map::new();
        let mut resources = Map::new();
        let kinds = components.iter().map(|c| (c, true));
        for (c, is_component) in kinds.chain(custom_resources.iter().map(|r| (r, false))) {
            let mut r = Map::new();
            if is_component {
                r.insert("isComponent".into(), json!(true));
            }
            r.insert("description".into(), json!(c.description));
            r.insert("inputProperties".into(), properties(c.inputs, &mut types));
            r.insert("requiredInputs".into(), required(c.inputs));
            r.insert("properties".into(), properties(c.outputs, &mut types));
            r.insert("required".into(), required(c.outputs));
            resources.insert(c.token.into(), Json::Object(r));
        }
        let mut config_types = Map::new();
        let config = json!({
            "variables": properties(self.config, &mut config_types),
        });
        types.extend(config_types);
        let mut schema = json!({
            "name": self.name,
            "displayName": self.display_name,
            "version": self.version,
            "description": self.description,
            "keywords": self.keywords,
            "repository": self.repository,
            "pluginDownloadURL": self.plugin_download_url,
            "license": self.license,
            "publisher": self.publisher,
            "logoUrl": self.logo_url,
            "meta": { "moduleFormat": "(.*)" },
            "config": config,
            "provider": { "description": format!("The {} provider.", self.display_name) },
            "resources": resources,
            "types": types,
            "language": {
                "nodejs": {
                    "packageName": self.npm_package,
                    "packageDescription": self.description,
                    "respectSchemaVersion": true,
                    "dependencies": { "@pulumi/pulumi": self.nodejs_pulumi_range },
                    "typescriptVersion": self.nodejs_typescript_version,
                },
                "python": {
                    "packageName": self.python_package,
                    "respectSchemaVersion": true,
                    "requires": { "pulumi": self.python_pulumi_range },
                    "pyproject": { "enabled": true },
                },
                "go": {
                    "respectSchemaVersion": true,
                },
            },
        });
        if let Some(m) = schema.as_object_mut() {
            // An empty value would be an invalid URL to the generators and the registry.
            for (key, value) in [
                ("pluginDownloadURL", self.plugin_download_url),
                ("logoUrl", self.logo_url),
            ] {
                if value.is_empty() {
                    m.shift_remove(key);
                }
            }
        }
        if let Some(path) = self.go_import_base_path() {
            schema["language"]["go"]["importBasePath"] = json!(path);
        }
        schema
    }

    /// The Go SDK's import path: the repository without its scheme, then
    /// `sdk/go/<name>`, where `make sdk` writes the SDK inside this repository, so
    /// that `go get <repository>/sdk/go/<name>` finds the same package a program
    /// imports. `None` without a repository (the generator then invents one).
    fn go_import_base_path(&self) -> Option<String> {
        let repository = self.repository.trim_end_matches('/');
        let host_and_path = repository
            .split_once("://")
            .map_or(repository, |(_, rest)| rest);
        (!host_and_path.is_empty()).then(|| format!("{host_and_path}/sdk/go/{}", self.name))
    }
}

fn required(props: &[PropertyDef]) -> Json {
    Json::Array(
        props
            .iter()
            .filter(|p| p.required)
            .map(|p| json!(p.name))
            .collect(),
    )
}

fn properties(props: &[PropertyDef], types: &mut Map<String, Json>) -> Json {
    Json::Object(
        props
            .iter()
            .map(|p| {
                let mut spec = type_spec(&p.ty, types);
                spec.insert("description".into(), json!(p.description));
                if p.secret {
                    spec.insert("secret".into(), json!(true));
                }
                if let Some(d) = p.default {
                    spec.insert(
                        "default".into(),
                        match d {
                            DefaultValue::String(s) => json!(s),
                            DefaultValue::Bool(b) => json!(b),
                            DefaultValue::Number(n) => json!(n),
                        },
                    );
                }
                (p.name.to_string(), Json::Object(spec))
            })
            .collect(),
    )
}

fn type_spec(ty: &TypeDef, types: &mut Map<String, Json>) -> Map<String, Json> {
    let spec = match ty {
        TypeDef::String => json!({"type": "string"}),
        TypeDef::Integer => json!({"type": "integer"}),
        TypeDef::Number => json!({"type": "number"}),
        TypeDef::Boolean => json!({"type": "boolean"}),
        TypeDef::Array(inner) => json!({"type": "array", "items": type_spec(inner, types)}),
        TypeDef::Map(inner) => {
            json!({"type": "object", "additionalProperties": type_spec(inner, types)})
        }
        TypeDef::Object(o) => {
            if !types.contains_key(o.token) {
                // Insert a placeholder first so recursive types terminate.
                types.insert(o.token.into(), Json::Null);
                let props = properties(o.properties, types);
                types.insert(
                    o.token.into(),
                    json!({
                        "type": "object",
                        "description": o.description,
                        "properties": props,
                        "required": required(o.properties),
                    }),
                );
            }
            json!({"$ref": format!("#/types/{}", o.token)})
        }
        TypeDef::Enum(e) => {
            types.insert(
                e.token.into(),
                json!({
                    "type": "string",
                    "description": e.description,
                    "enum": e.values.iter().map(|(v, d)| json!({"value": v, "description": d})).collect::<Vec<_>>(),
                }),
            );
            json!({"$ref": format!("#/types/{}", e.token)})
        }
        TypeDef::Resource(token) => json!({"$ref": format!("#/resources/{token}")}),
    };
    match spec {
        Json::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SIZE: EnumDef = EnumDef {
        token: "t:index:Size",
        description: "A size.",
        values: &[("S", "small"), ("L", "large")],
    };
    static INNER: ObjectTypeDef = ObjectTypeDef {
        token: "t:index:Inner",
        description: "Inner.",
        properties: &[PropertyDef::new("x", TypeDef::Integer, "X.").required()],
    };
    static C: ComponentDef = ComponentDef {
        token: "t:index:C",
        description: "A component.",
        inputs: &[
            PropertyDef::new("size", TypeDef::Enum(&SIZE), "Size.")
                .default(DefaultValue::String("S")),
            PropertyDef::new("inner", TypeDef::Object(&INNER), "Inner.").required(),
            PropertyDef::new("tags", TypeDef::Map(&TypeDef::String), "Tags."),
        ],
        outputs: &[PropertyDef::new("url", TypeDef::String, "URL.")
            .required()
            .secret()],
    };
    static P: PackageDef = PackageDef {
        name: "t",
        version: "1.2.3",
        display_name: "T",
        description: "Test.",
        repository: "https://example.com/t",
        plugin_download_url: "github://api.github.com/t/t",
        keywords: &["t"],
        publisher: "t",
        logo_url: "https://example.com/t/logo.svg",
        license: "MIT",
        npm_package: "t",
        python_package: "t",
        nodejs_pulumi_range: "^3.0.0",
        nodejs_typescript_version: "5.0.0",
        python_pulumi_range: ">=3.0.0,<4.0.0",
        config: &[],
    };
    static R: ResourceDef = ResourceDef {
        token: "t:index:R",
        description: "A native resource.",
        inputs: &[PropertyDef::new("x", TypeDef::String, "X.").required()],
        outputs: &[PropertyDef::new("y", TypeDef::String, "Y.").derived_from(&["x"])],
    };

    #[test]
    fn renders_components_types_and_enums_with_local_refs_only() {
        let s = P.schema(&[&C], &[&R]);
        let c = &s["resources"]["t:index:C"];
        assert_eq!(c["isComponent"], json!(true));
        assert_eq!(c["requiredInputs"], json!(["inner"]));
        assert_eq!(
            c["inputProperties"]["size"]["$ref"],
            json!("#/types/t:index:Size")
        );
        assert_eq!(c["inputProperties"]["size"]["default"], json!("S"));
        assert_eq!(c["properties"]["url"]["secret"], json!(true));
        let r = &s["resources"]["t:index:R"];
        assert_eq!(r.get("isComponent"), None);
        assert_eq!(r["requiredInputs"], json!(["x"]));
        assert_eq!(s["types"]["t:index:Inner"]["required"], json!(["x"]));
        assert_eq!(s["types"]["t:index:Size"]["enum"][1]["value"], json!("L"));
        assert_eq!(s["language"]["nodejs"]["respectSchemaVersion"], json!(true));
        assert_eq!(s["language"]["python"]["respectSchemaVersion"], json!(true));
        assert_eq!(s["language"]["go"]["respectSchemaVersion"], json!(true));
        assert_eq!(
            s["language"]["go"]["importBasePath"],
            json!("example.com/t/sdk/go/t")
        );
        let text = s.to_string();
        assert!(!text.contains("/aws/") && !text.contains("#/resources"));
        assert_eq!(s["pluginDownloadURL"], json!("github://api.github.com/t/t"));
    }

    #[test]
    fn the_go_import_path_follows_the_repository_or_is_left_to_the_generator() {
        let with = |repository| PackageDef { repository, ..P };
        assert_eq!(
            with("https://github.com/acme/pkg/").go_import_base_path(),
            Some("github.com/acme/pkg/sdk/go/t".to_string())
        );
        let none = with("");
        assert_eq!(none.go_import_base_path(), None);
        let s = none.schema(&[], &[]);
        assert_eq!(s["language"]["go"].get("importBasePath"), None);
    }

    #[test]
    fn the_replace_list_is_the_inputs_marked_so_in_order() {
        const REGION: PropertyDef = PropertyDef {
            replace_on_changes: true,
            ..PropertyDef::new("region", TypeDef::String, "Region.")
        };
        const VERSION: PropertyDef = PropertyDef {
            replace_on_changes: true,
            ..PropertyDef::new("version", TypeDef::Integer, "Version.")
        };
        static D: ResourceDef = ResourceDef {
            token: "t:index:D",
            description: "A native resource.",
            inputs: &[
                REGION,
                PropertyDef::new("name", TypeDef::String, "Name."),
                VERSION,
            ],
            outputs: &[],
        };
        assert_eq!(D.replace_on_changes(), ["region", "version"]);
        assert!(R.replace_on_changes().is_empty());
    }

    #[test]
    fn concatenated_properties_keep_each_part_in_order() {
        const FIRST: &[PropertyDef] = &[PropertyDef::new("a", TypeDef::String, "A.")];
        const SECOND: &[PropertyDef] = &[
            PropertyDef::new("b", TypeDef::Number, "B."),
            PropertyDef::new("c", TypeDef::Boolean, "C.").required(),
        ];
        const ALL: &[PropertyDef] =
            &concat_properties::<{ FIRST.len() + SECOND.len() }>(&[SECOND, FIRST, &[]]);
        let names: Vec<_> = ALL.iter().map(|p| (p.name, p.required)).collect();
        assert_eq!(names, [("b", false), ("c", true), ("a", false)]);
    }

    #[test]
    fn a_resource_input_refers_to_the_resource_and_is_named_as_programs_write_it() {
        static D: ComponentDef = ComponentDef {
            token: "t:index:D",
            description: "A component taking another.",
            inputs: &[PropertyDef::new("c", TypeDef::Resource("t:index:C"), "C.")],
            outputs: &[],
        };
        let s = P.schema(&[&C, &D], &[]);
        assert_eq!(
            s["resources"]["t:index:D"]["inputProperties"]["c"]["$ref"],
            json!("#/resources/t:index:C")
        );
        assert_eq!(
            resource_type_name("launchpad:index:Function"),
            "launchpad.Function"
        );
    }

    #[test]
    fn an_empty_plugin_download_url_or_logo_is_left_out() {
        let none = PackageDef {
            plugin_download_url: "",
            logo_url: "",
            ..P
        };
        let s = none.schema(&[], &[]);
        assert_eq!(s.get("pluginDownloadURL"), None);
        assert_eq!(s.get("logoUrl"), None);
    }

    #[test]
    fn renders_the_registry_metadata() {
        let s = P.schema(&[], &[]);
        assert_eq!(s["publisher"], json!("t"));
        assert_eq!(s["keywords"], json!(["t"]));
        assert_eq!(s["repository"], json!("https://example.com/t"));
        assert_eq!(s["logoUrl"], json!("https://example.com/t/logo.svg"));
        assert_eq!(s["license"], json!("MIT"));
    }
}
