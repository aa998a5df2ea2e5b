//! Errors are data: every message launchpad prints for a user has a stable
//! code, a slug and a documented template, declared once in a catalogue.
//!
//! Each crate (and each component folder) declares its catalogue with the
//! [`catalogue!`](crate::catalogue!) macro. An entry is a doc comment (the
//! help: why it happens, what to do), a code, a kind, a constructor name
//! with its parameters, and the exact message template. The macro generates
//! one constructor per entry — it formats the template with its parameters,
//! so the template *is* the message — and a `pub static CATALOGUE` that lists
//! the entries in order. The binary prints every catalogue as JSON
//! (`pulumi-resource-launchpad --messages`) and `make docs` builds
//! `docs/troubleshooting.md` from that, so the docs never read our sources.
//!
//! This module knows nothing about protobuf, gRPC, any cloud or any
//! component. Start reading at [`ErrorDef`] and the macro's example below.
//!
//! # Codes
//!
//! A code is `LP` and four digits. Codes are stable: an entry that goes
//! away leaves its code unused for good, and a changed meaning takes a new
//! code. Ranges, by who declares the entry:
//!
//! | range  | catalogue |
//! |--------|-----------|
//! | LP10xx | `launchpad-core`: reading inputs (LP1001–LP1049) and every native resource's runtime errors (LP1050–LP1099) |
//! | LP11xx | `launchpad-protocol`: resource options and the engine's requests |
//! | LP12xx | `launchpad-components`' own: the checks several components share (a container's image and variable names, AWS and Cloud Run regions); a check one component alone makes goes in that component's range |
//! | LP2xxx | StaticSite |
//! | LP3xxx | SiteContent |
//! | LP4xxx | WebService |
//! | LP5xxx | CloudRunService |
//! | LP6xxx | Neon (NeonDatabase, NeonProject, NeonBranch) |
//! | LP7xxx | KubernetesService |
//! | LP8xxx | Function |
//! | LP9xxx | reserved for new components |
//!
//! # Declaring a catalogue
//!
//! ```
//! mod errors {
//!     use std::fmt::Display;
//!     launchpad_core::catalogue! {
//!         area = "Example";
//!         /// Fargate pairs each cpu size with a range of memory sizes.
//!         LP7001 input memory_does_not_fit_cpu(property, memory: impl Display, cpu: impl Display)
//!             = "memory={memory} does not fit cpu={cpu}";
//!         /// The value is fixed to one property: the constructor does not take it.
//!         LP7002 input spa_conflict(property = "errorDocument", value: impl Display)
//!             = "errorDocument={value} cannot be used with spa=true";
//!         /// A runtime error builds a [`Diagnostic`](launchpad_core::catalogue::Diagnostic).
//!         LP7050 runtime gave_up(attempts: u32) = "gave up after {attempts} attempts";
//!     }
//! }
//! let e = errors::memory_does_not_fit_cpu("memory", 3072, 256);
//! assert_eq!((e.code, e.message.as_str()), ("LP7001", "memory=3072 does not fit cpu=256"));
//! assert_eq!(errors::spa_conflict("\"404.html\"").property, "errorDocument");
//! assert_eq!(errors::gave_up(3).to_string(), "gave up after 3 attempts");
//! assert_eq!(errors::CATALOGUE[1].property, Some("errorDocument"));
//! ```
//!
//! Placeholders are the constructor's parameters: `format!` refuses, at
//! compile time, a placeholder that is not one, and the unused-variable lint
//! a parameter the template never shows. Keep templates to bare `{name}`
//! placeholders (format values — quoting, `[secret]` — at the call site), so
//! the printed template reads as the message does.

use std::fmt;

/// What an entry's constructor builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad user input: an [`InputError`](crate::InputError) naming the property.
    Input,
    /// A failure while a native resource talks to a cloud (or is stopped):
    /// a [`Diagnostic`].
    Runtime,
}

impl ErrorKind {
    /// The kind as `--messages` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Input => "input",
            ErrorKind::Runtime => "runtime",
        }
    }
}

/// One catalogue entry, as plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorDef {
    /// The stable code, `LP1203`.
    pub code: &'static str,
    /// The constructor's name, `memory_does_not_fit_cpu`; see [`ErrorDef::slug`].
    pub name: &'static str,
    /// What the constructor builds.
    pub kind: ErrorKind,
    /// Who declares it: `core`, `protocol`, or the component (`StaticSite`).
    pub area: &'static str,
    /// The exact message, with a `{placeholder}` per parameter.
    pub template: &'static str,
    /// The parameters in declaration order (`property` first when it varies).
    pub params: &'static [&'static str],
    /// The doc comment, one `#[doc]` line per line (each with rustdoc's leading space).
    pub doc: &'static str,
    /// The property the entry is about when it is always the same one.
    pub property: Option<&'static str>,
}

impl ErrorDef {
    /// The slug, `memory-does-not-fit-cpu`: the constructor's name in kebab case.
    pub fn slug(&self) -> String {
        self.name.replace('_', "-")
    }

    /// The help, markdown: the doc comment without rustdoc's leading spaces.
    pub fn help(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// The placeholder names in the template, in order of first appearance
    /// (`{{` and `}}` are literal braces; a `:spec` is not part of the name).
    pub fn placeholders(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let t = self.template;
        let mut i = 0;
        let bytes = t.as_bytes();
        while i < bytes.len() {
            match bytes[i] {
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => {
                    let end = t[i..].find('}').map_or(t.len(), |e| i + e);
                    let inner = &t[i + 1..end];
                    let name = inner.split(':').next().unwrap_or(inner);
                    if !out.contains(&name) {
                        out.push(name);
                    }
                    i = end + 1;
                }
                _ => i += 1,
            }
        }
        out
    }
}

/// A runtime error from a catalogue: its code and its message. Displays as
/// the message alone, so it reads as the message did before it had a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The entry's code.
    pub code: &'static str,
    /// The formatted message.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Diagnostic> for String {
    fn from(d: Diagnostic) -> String {
        d.message
    }
}

/// Declare one catalogue: a constructor per entry and `pub static CATALOGUE`.
/// See the [module docs](crate::catalogue) for the syntax and the code ranges.
#[macro_export]
macro_rules! catalogue {
    (
        area = $area:literal;
        $(
            $(#[doc = $doc:literal])*
            $code:ident $kind:ident $name:ident ( $($params:tt)* ) = $template:literal;
        )*
    ) => {
        $(
            $crate::catalogue!(@fn $kind [$($doc)*] $code $name ( $($params)* ) $template);
        )*
        /// Every entry of this catalogue, in declaration order.
        pub static CATALOGUE: &[$crate::catalogue::ErrorDef] = &[
            $(
                $crate::catalogue!(@def $kind $area [$($doc)*] $code $name ( $($params)* ) $template),
            )*
        ];
    };

    // Input errors whose property is always the same one.
    (@fn input [$($doc:literal)*] $code:ident $name:ident
        ( $prop:ident = $fixed:literal $(, $p:ident : $t:ty)* $(,)? ) $template:literal) => {
        $(#[doc = $doc])*
        #[doc = ""]
        #[doc = concat!("Code `", stringify!($code), "`.")]
        pub fn $name($($p: $t),*) -> $crate::args::InputError {
            #[allow(unused_variables)]
            let $prop: &str = $fixed;
            $crate::args::InputError::coded(stringify!($code), $fixed, format!($template))
        }
    };
    // Input errors about the property the caller names (a path like `health.path`).
    (@fn input [$($doc:literal)*] $code:ident $name:ident
        ( $prop:ident $(, $p:ident : $t:ty)* $(,)? ) $template:literal) => {
        $(#[doc = $doc])*
        #[doc = ""]
        #[doc = concat!("Code `", stringify!($code), "`.")]
        pub fn $name($prop: &str $(, $p: $t)*) -> $crate::args::InputError {
            $crate::args::InputError::coded(stringify!($code), $prop, format!($template))
        }
    };
    (@fn runtime [$($doc:literal)*] $code:ident $name:ident
        ( $($p:ident : $t:ty),* $(,)? ) $template:literal) => {
        $(#[doc = $doc])*
        #[doc = ""]
        #[doc = concat!("Code `", stringify!($code), "`.")]
        pub fn $name($($p: $t),*) -> $crate::catalogue::Diagnostic {
            $crate::catalogue::Diagnostic {
                code: stringify!($code),
                message: format!($template),
            }
        }
    };

    (@def input $area:literal [$($doc:literal)*] $code:ident $name:ident
        ( $prop:ident = $fixed:literal $(, $p:ident : $t:ty)* $(,)? ) $template:literal) => {
        $crate::catalogue::ErrorDef {
            code: stringify!($code),
            name: stringify!($name),
            kind: $crate::catalogue::ErrorKind::Input,
            area: $area,
            template: $template,
            params: &[$(stringify!($p)),*],
            doc: concat!($($doc, "\n"),*),
            property: Some($fixed),
        }
    };
    (@def input $area:literal [$($doc:literal)*] $code:ident $name:ident
        ( $prop:ident $(, $p:ident : $t:ty)* $(,)? ) $template:literal) => {
        $crate::catalogue::ErrorDef {
            code: stringify!($code),
            name: stringify!($name),
            kind: $crate::catalogue::ErrorKind::Input,
            area: $area,
            template: $template,
            params: &[stringify!($prop) $(, stringify!($p))*],
            doc: concat!($($doc, "\n"),*),
            property: None,
        }
    };
    (@def runtime $area:literal [$($doc:literal)*] $code:ident $name:ident
        ( $($p:ident : $t:ty),* $(,)? ) $template:literal) => {
        $crate::catalogue::ErrorDef {
            code: stringify!($code),
            name: stringify!($name),
            kind: $crate::catalogue::ErrorKind::Runtime,
            area: $area,
            template: $template,
            params: &[$(stringify!($p)),*],
            doc: concat!($($doc, "\n"),*),
            property: None,
        }
    };
}

/// The catalogues as `--messages` prints them: a JSON array, one object per
/// entry in the order given, with `code`, `slug`, `kind` (`input` or
/// `runtime`), `area` (`core`, `protocol` or the component), `template`,
/// `params`, `help` (markdown) and, when the entry is always about one
/// property, `property`. Consumers (`tools/docs/gen.py`) rely on this shape:
/// add fields, never rename or remove one.
pub fn to_json(catalogues: &[&[ErrorDef]]) -> Result<String, serde_json::Error> {
    let entries: Vec<serde_json::Value> = catalogues
        .iter()
        .flat_map(|c| c.iter())
        .map(|d| {
            let mut entry = serde_json::json!({
                "code": d.code,
                "slug": d.slug(),
                "kind": d.kind.as_str(),
                "area": d.area,
                "template": d.template,
                "params": d.params,
                "help": d.help(),
            });
            if let (Some(p), Some(map)) = (d.property, entry.as_object_mut()) {
                map.insert("property".into(), p.into());
            }
            entry
        })
        .collect();
    serde_json::to_string_pretty(&entries)
}

/// Each area's code prefix, as the module docs' table gives it. A new
/// component's area (LP8xxx) gets its row when its catalogue arrives.
pub const RANGES: &[(&str, &str)] = &[
    ("core", "LP10"),
    ("protocol", "LP11"),
    ("components", "LP12"),
    ("StaticSite", "LP2"),
    ("SiteContent", "LP3"),
    ("WebService", "LP4"),
    ("CloudRunService", "LP5"),
    ("Neon", "LP6"),
    ("KubernetesService", "LP7"),
    ("Function", "LP8"),
];

/// The problems with a set of catalogues, one line each: codes malformed,
/// out of their area's range or repeated; slugs repeated; placeholders that
/// are not parameters or parameters the template never shows. Each crate's
/// tests call it on what it can see; the binary's on all of them.
pub fn problems(catalogues: &[&[ErrorDef]]) -> Vec<String> {
    let mut out = Vec::new();
    let mut codes = std::collections::BTreeMap::new();
    let mut slugs = std::collections::BTreeMap::new();
    for def in catalogues.iter().flat_map(|c| c.iter()) {
        let digits = def.code.strip_prefix("LP").unwrap_or("");
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            out.push(format!("{}: a code is LP and four digits", def.code));
        }
        if let Some((_, prefix)) = RANGES.iter().find(|(area, _)| *area == def.area)
            && !def.code.starts_with(prefix)
        {
            out.push(format!(
                "{}: area {} has the codes {prefix}xx",
                def.code, def.area
            ));
        }
        if let Some(first) = codes.insert(def.code, def.name) {
            out.push(format!("{}: used by {first} and {}", def.code, def.name));
        }
        if let Some(first) = slugs.insert(def.slug(), def.code) {
            out.push(format!(
                "{}: slug {} also used by {first}",
                def.code,
                def.slug()
            ));
        }
        let shown = def.placeholders();
        let fixed_property = def.property.map(|_| "property");
        for p in &shown {
            if !def.params.contains(p) && Some(*p) != fixed_property {
                out.push(format!("{}: {{{p}}} is not a parameter", def.code));
            }
        }
        // An input error's varying property need not be quoted: it is the error's `property`.
        let quiet = match (def.kind, def.property) {
            (ErrorKind::Input, None) => def.params.first().copied(),
            _ => None,
        };
        for p in def.params {
            if !shown.contains(p) && Some(*p) != quiet {
                out.push(format!(
                    "{}: parameter {p} is not in the template",
                    def.code
                ));
            }
        }
        if def.help().is_empty() {
            out.push(format!(
                "{}: no doc comment to say why and what to do",
                def.code
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_skip_escaped_braces_and_format_specs() {
        let def = ErrorDef {
            code: "LP7999",
            name: "x",
            kind: ErrorKind::Input,
            area: "t",
            template: "{{literal}} {a} {b:?} {a}",
            params: &["a", "b"],
            doc: " Why.\n",
            property: None,
        };
        assert_eq!(def.placeholders(), vec!["a", "b"]);
        assert_eq!(def.help(), "Why.");
        assert_eq!(problems(&[&[def]]), Vec::<String>::new());
    }

    #[test]
    fn a_code_outside_its_area_s_range_is_a_problem() {
        let def = ErrorDef {
            code: "LP4001",
            name: "x",
            kind: ErrorKind::Input,
            area: "StaticSite",
            template: "x",
            params: &[],
            doc: " Why.\n",
            property: None,
        };
        assert_eq!(
            problems(&[&[def]]),
            vec!["LP4001: area StaticSite has the codes LP2xx"]
        );
    }

    #[test]
    fn problems_finds_bad_codes_repeats_and_parameter_mismatches() {
        let def = |code, name, template, params| ErrorDef {
            code,
            name,
            kind: ErrorKind::Runtime,
            area: "t",
            template,
            params,
            doc: " Why.\n",
            property: None,
        };
        let bad = [
            def("LP12", "a", "", &[]),
            def("LP7001", "b_c", "{x}", &["y"]),
            def("LP7001", "b_c", "", &[]),
        ];
        assert_eq!(
            problems(&[&bad]),
            vec![
                "LP12: a code is LP and four digits",
                "LP7001: {x} is not a parameter",
                "LP7001: parameter y is not in the template",
                "LP7001: used by b_c and b_c",
                "LP7001: slug b-c also used by LP7001",
            ]
        );
    }
}
