//! # launchpad-macros
//!
//! `#[derive(Inputs)]`: a resource's inputs declared once, as one struct.
//! Each field is one input: its doc comment is the description, its Rust
//! type says whether it is required and how it is read, and `#[input(...)]`
//! gives its range, choices, default, checks and — for a component — the
//! child property it feeds. From that one declaration the derive writes the
//! schema's `PropertyDef`s (with the rule sentences appended to the
//! description), the decoder over `launchpad_core::ArgsReader` (which keeps
//! unknowns and secrets), and, with `#[inputs(object = "token")]`, the
//! nested object type. Modelled on pulumi-go-provider's `infer` (struct tags
//! become the schema) and kube-rs's `#[derive(CustomResource)]`.
//!
//! It knows nothing of any cloud: only the shapes `launchpad_core` reads.
//! Start at [`derive_inputs`]; the attribute grammar is in [`FieldAttrs`].

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{ToTokens, quote};
use syn::{
    Attribute, Data, DeriveInput, Expr, ExprLit, ExprRange, ExprUnary, Fields, GenericArgument,
    Lit, LitStr, Path, PathArguments, RangeLimits, Type, UnOp, parse_macro_input, spanned::Spanned,
};

/// Derive `launchpad_core::Inputs` (and, with `#[inputs(object = "...")]`,
/// `launchpad_core::ObjectInputs`) for a struct of inputs.
///
/// Struct attributes, `#[inputs(...)]`:
/// - `object = "launchpad:index:Name"`: the struct is a nested object type
///   of the schema; its doc comment is the type's description.
/// - `component`: the struct is a component's inputs (or a part of them that
///   a component flattens in); every field must say which child property it
///   feeds (`feeds(...)`) or why it feeds none (`feeds_none = "..."`), so
///   that `ignoreChanges` on the component works.
///
/// Field attributes: see [`FieldAttrs`].
#[proc_macro_derive(Inputs, attributes(inputs, input))]
pub fn derive_inputs(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// What `#[inputs(...)]` says about the whole struct.
#[derive(Default)]
struct StructAttrs {
    object: Option<LitStr>,
    component: bool,
}

/// What `#[input(...)]` says about one field.
///
/// - `name = "camelCase"`: the wire name (default: the field's name in camelCase).
/// - `default = <literal>`: a schema default, applied by the SDKs and by decoding;
///   adds "Defaults to `x`." to the description.
/// - `range = MIN..=MAX` (or `MIN..`): a whole number in the range; the schema
///   type is `integer`, and the description says "A whole number from MIN to MAX.".
/// - `integer`: a whole number, unbounded here (its bounds are a `check`'s or
///   a cross-field rule's); the schema type is `integer`.
/// - `choices = PATH`: a `static EnumDef` of the allowed values (with their source).
/// - `ty = EXPR`: the schema `TypeDef`, where the Rust type does not say it
///   (a `Value` passed through, a list of objects).
/// - `check = PATH`: `fn(&str /* path */, Input<T>) -> Result<Input<T>, InputError>`,
///   run on the value when it is known (for a `Value` field: when it is a known string).
/// - `rule = "..."`: the sentence that states what `check` enforces, appended
///   to the description.
/// - `read_with = PATH`: `fn(&ArgsReader, &str /* name */) -> Result<FieldType, InputError>`,
///   for inputs read in a way of their own.
/// - `secret`: the input is secret in the schema.
/// - `replace_on_changes`: a change replaces the resource (native resources).
/// - `feeds("child.property", ...)`: the child inputs this input becomes;
///   `child` may end in `*` to mean every child whose key starts so and that
///   has the property.
/// - `feeds_none = "why"`: the input becomes no child input, and why.
/// - `flatten`: the field is a struct deriving `Inputs` whose inputs are this
///   struct's own, in its place (as serde's `flatten`): inputs that several
///   resources share are declared once. It takes no other attribute; its
///   doc comment is for readers of the Rust (each inner field has its own).
#[derive(Default)]
struct FieldAttrs {
    name: Option<LitStr>,
    default: Option<Expr>,
    range: Option<(i64, Option<i64>)>,
    integer: bool,
    choices: Option<Path>,
    ty: Option<Expr>,
    check: Option<Path>,
    rule: Option<LitStr>,
    read_with: Option<Path>,
    secret: bool,
    replace_on_changes: bool,
    feeds: Vec<LitStr>,
    feeds_none: Option<LitStr>,
    flatten: bool,
}

/// How a field's Rust type is read.
enum Shape {
    /// `Input<String>`.
    Text,
    /// `Input<bool>`.
    Flag,
    /// `Input<f64>`.
    Number,
    /// `Value`: passed on as it came.
    Raw,
    /// `BTreeMap<String, Value>`: keys known, values as they came.
    Entries,
    /// `Vec<Input<String>>`.
    Texts,
    /// A nested struct deriving `Inputs` with `object = ...`.
    Object(Box<Type>),
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let attrs = struct_attrs(&input.attrs)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            input.span(),
            "Inputs is derived for structs only",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(
            input.span(),
            "Inputs needs a struct with named fields",
        ));
    };
    // Runs of this struct's own properties, and the flattened structs' between them.
    let mut parts: Vec<Tokens> = Vec::new();
    let mut properties = Vec::new();
    let mut flattened = false;
    let mut reads = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().ok_or_else(|| {
            syn::Error::new(field.span(), "Inputs needs a struct with named fields")
        })?;
        let fa = field_attrs(&field.attrs)?;
        if fa.flatten {
            let ty = &field.ty;
            let own = std::mem::take(&mut properties);
            if !own.is_empty() {
                parts.push(quote!(&[#(#own),*]));
            }
            parts.push(quote!(<#ty as ::launchpad_core::Inputs>::PROPERTIES));
            reads.push(quote! { #ident: <#ty as ::launchpad_core::Inputs>::read(r)? });
            flattened = true;
            continue;
        }
        let wire = fa
            .name
            .clone()
            .unwrap_or_else(|| LitStr::new(&camel(&ident.to_string()), ident.span()));
        let (optional, shape) = shape(&field.ty)?;
        if attrs.component && fa.feeds.is_empty() && fa.feeds_none.is_none() {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "component input `{}` must say which child property it feeds, `#[input(feeds(\"child.property\"))]`, or why it feeds none, `#[input(feeds_none = \"...\")]`",
                    wire.value()
                ),
            ));
        }
        let doc = doc_text(&field.attrs);
        if doc.is_empty() {
            return Err(syn::Error::new(
                ident.span(),
                "every input is documented: its doc comment is its description in the schema",
            ));
        }
        properties.push(property(&fa, &wire, &doc, optional, &shape)?);
        let read = read(&fa, &wire, optional, &shape)?;
        reads.push(quote! { #ident: #read });
    }
    let all = if flattened {
        if !properties.is_empty() {
            parts.push(quote!(&[#(#properties),*]));
        }
        // The count is known where the constant is evaluated, not here.
        quote! {
            &::launchpad_core::schema::concat_properties::<{ 0 #(+ (#parts).len())* }>(&[#(#parts),*])
        }
    } else {
        quote!(&[#(#properties),*])
    };
    let object = match &attrs.object {
        Some(token) => {
            let doc = doc_text(&input.attrs);
            if doc.is_empty() {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "an object type is documented: its doc comment is its description in the schema",
                ));
            }
            quote! {
                impl ::launchpad_core::ObjectInputs for #name {
                    const OBJECT: ::launchpad_core::schema::ObjectTypeDef =
                        ::launchpad_core::schema::ObjectTypeDef {
                            token: #token,
                            description: #doc,
                            properties: <#name as ::launchpad_core::Inputs>::PROPERTIES,
                        };
                }
            }
        }
        None => Tokens::new(),
    };
    Ok(quote! {
        impl ::launchpad_core::Inputs for #name {
            const PROPERTIES: &'static [::launchpad_core::schema::PropertyDef] = #all;

            fn read(
                r: &::launchpad_core::ArgsReader<'_>,
            ) -> ::core::result::Result<Self, ::launchpad_core::InputError> {
                ::core::result::Result::Ok(#name { #(#reads),* })
            }
        }
        #object
    })
}

fn struct_attrs(attrs: &[Attribute]) -> syn::Result<StructAttrs> {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("inputs")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("object") {
                out.object = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("component") {
                out.component = true;
            } else {
                return Err(meta.error("expected `object = \"token\"` or `component`"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn field_attrs(attrs: &[Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("input")) {
        attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if p.is_ident("default") {
                out.default = Some(meta.value()?.parse()?);
            } else if p.is_ident("range") {
                let range: ExprRange = meta.value()?.parse()?;
                out.range = Some(range_bounds(&range)?);
            } else if p.is_ident("integer") {
                out.integer = true;
            } else if p.is_ident("choices") {
                out.choices = Some(meta.value()?.parse()?);
            } else if p.is_ident("ty") {
                out.ty = Some(meta.value()?.parse()?);
            } else if p.is_ident("check") {
                out.check = Some(meta.value()?.parse()?);
            } else if p.is_ident("rule") {
                out.rule = Some(meta.value()?.parse()?);
            } else if p.is_ident("read_with") {
                out.read_with = Some(meta.value()?.parse()?);
            } else if p.is_ident("secret") {
                out.secret = true;
            } else if p.is_ident("replace_on_changes") {
                out.replace_on_changes = true;
            } else if p.is_ident("feeds") {
                let content;
                syn::parenthesized!(content in meta.input);
                out.feeds.extend(content.parse_terminated(
                    <LitStr as syn::parse::Parse>::parse,
                    syn::Token![,],
                )?);
            } else if p.is_ident("feeds_none") {
                out.feeds_none = Some(meta.value()?.parse()?);
            } else if p.is_ident("flatten") {
                out.flatten = true;
            } else {
                return Err(meta.error(
                    "expected one of: name, default, range, integer, choices, ty, check, rule, read_with, secret, replace_on_changes, feeds(...), feeds_none, flatten",
                ));
            }
            Ok(())
        })?;
        let alone = !(out.name.is_some()
            || out.default.is_some()
            || out.range.is_some()
            || out.integer
            || out.choices.is_some()
            || out.ty.is_some()
            || out.check.is_some()
            || out.rule.is_some()
            || out.read_with.is_some()
            || out.secret
            || out.replace_on_changes
            || !out.feeds.is_empty()
            || out.feeds_none.is_some());
        if out.flatten && !alone {
            return Err(syn::Error::new(
                attr.span(),
                "`flatten` takes no other attribute: the flattened struct's fields carry their own",
            ));
        }
    }
    for feed in &out.feeds {
        let v = feed.value();
        let ok = v
            .split_once('.')
            .is_some_and(|(c, p)| !c.is_empty() && !p.is_empty() && !p.contains('.'));
        if !ok {
            return Err(syn::Error::new(
                feed.span(),
                "a feed is \"childKey.property\"",
            ));
        }
    }
    if out.rule.is_some() && out.check.is_none() && out.read_with.is_none() {
        return Err(syn::Error::new(
            Span::call_site(),
            "`rule` states what a `check` or `read_with` enforces; add the check",
        ));
    }
    Ok(out)
}

fn range_bounds(range: &ExprRange) -> syn::Result<(i64, Option<i64>)> {
    let start = match &range.start {
        Some(e) => int(e)?,
        None => return Err(syn::Error::new(range.span(), "a range starts somewhere")),
    };
    let end = match (&range.end, &range.limits) {
        (None, _) => None,
        (Some(e), RangeLimits::Closed(_)) => Some(int(e)?),
        (Some(e), RangeLimits::HalfOpen(_)) => {
            return Err(syn::Error::new(e.span(), "write the range as MIN..=MAX"));
        }
    };
    Ok((start, end))
}

fn int(e: &Expr) -> syn::Result<i64> {
    match e {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => int(expr).map(|n| -n),
        _ => Err(syn::Error::new(e.span(), "expected a whole-number literal")),
    }
}

/// The field's shape, and whether it is optional (`Option<...>`).
fn shape(ty: &Type) -> syn::Result<(bool, Shape)> {
    if let Some(inner) = generic_of(ty, "Option") {
        return Ok((true, shape(inner)?.1));
    }
    let last = last_segment(ty).map(|s| s.ident.to_string());
    let s = match last.as_deref() {
        Some("Input") => match generic_of(ty, "Input").and_then(last_segment) {
            Some(s) if s.ident == "String" => Shape::Text,
            Some(s) if s.ident == "bool" => Shape::Flag,
            Some(s) if s.ident == "f64" => Shape::Number,
            _ => {
                return Err(syn::Error::new(
                    ty.span(),
                    "an input is Input<String>, Input<bool> or Input<f64>",
                ));
            }
        },
        Some("Value") => Shape::Raw,
        Some("BTreeMap") => Shape::Entries,
        Some("Vec") => Shape::Texts,
        _ => Shape::Object(Box::new(ty.clone())),
    };
    Ok((false, s))
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

fn generic_of<'a>(ty: &'a Type, outer: &str) -> Option<&'a Type> {
    let seg = last_segment(ty).filter(|s| s.ident == outer)?;
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The schema entry.
fn property(
    fa: &FieldAttrs,
    wire: &LitStr,
    doc: &str,
    optional: bool,
    shape: &Shape,
) -> syn::Result<Tokens> {
    let core = quote!(::launchpad_core::schema);
    let ty = match (&fa.ty, &fa.choices, shape) {
        (Some(ty), _, _) => ty.to_token_stream(),
        (None, Some(e), Shape::Text | Shape::Raw) => quote!(#core::TypeDef::Enum(&#e)),
        (None, Some(_), _) => {
            return Err(syn::Error::new(
                wire.span(),
                "`choices` is for string inputs (Input<String> or Value)",
            ));
        }
        (None, None, Shape::Text | Shape::Raw) => quote!(#core::TypeDef::String),
        (None, None, Shape::Flag) => quote!(#core::TypeDef::Boolean),
        (None, None, Shape::Number) if fa.range.is_some() || fa.integer => {
            quote!(#core::TypeDef::Integer)
        }
        (None, None, Shape::Number) => quote!(#core::TypeDef::Number),
        (None, None, Shape::Entries) => quote!(#core::TypeDef::Map(&#core::TypeDef::String)),
        (None, None, Shape::Texts) => quote!(#core::TypeDef::Array(&#core::TypeDef::String)),
        (None, None, Shape::Object(t)) => {
            quote!(#core::TypeDef::Object(&<#t as ::launchpad_core::ObjectInputs>::OBJECT))
        }
    };
    let (default, default_sentence) = match &fa.default {
        Some(d) => default_value(d)?,
        None => (quote!(::core::option::Option::None), String::new()),
    };
    let required = !optional
        && fa.default.is_none()
        && matches!(
            shape,
            Shape::Text | Shape::Flag | Shape::Number | Shape::Raw
        );
    let mut description = doc.to_string();
    for sentence in [
        fa.range.map(|(min, max)| match max {
            Some(max) => format!("A whole number from {min} to {max}."),
            None => format!("A whole number from {min}."),
        }),
        fa.rule.as_ref().map(LitStr::value),
        Some(default_sentence).filter(|s| !s.is_empty()),
    ]
    .into_iter()
    .flatten()
    {
        description.push(' ');
        description.push_str(&sentence);
    }
    let secret = fa.secret;
    let replace = fa.replace_on_changes;
    let feeds = &fa.feeds;
    let feeds_none = match &fa.feeds_none {
        Some(why) => quote!(::core::option::Option::Some(#why)),
        None => quote!(::core::option::Option::None),
    };
    Ok(quote! {
        #core::PropertyDef {
            name: #wire,
            description: #description,
            ty: #ty,
            required: #required,
            secret: #secret,
            default: #default,
            derived_from: &[],
            replace_on_changes: #replace,
            feeds: &[#(#feeds),*],
            feeds_none: #feeds_none,
        }
    })
}

/// The schema default and the sentence that states it.
fn default_value(d: &Expr) -> syn::Result<(Tokens, String)> {
    let core = quote!(::launchpad_core::schema);
    let some = |t: Tokens| quote!(::core::option::Option::Some(#t));
    Ok(match d {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => (
            some(quote!(#core::DefaultValue::String(#s))),
            format!("Defaults to `{}`.", s.value()),
        ),
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => (
            some(quote!(#core::DefaultValue::Bool(#b))),
            format!("Defaults to `{}`.", b.value),
        ),
        Expr::Lit(ExprLit {
            lit: Lit::Float(f), ..
        }) => {
            let n: f64 = f.base10_parse()?;
            (
                some(quote!(#core::DefaultValue::Number(#n))),
                format!("Defaults to `{n}`."),
            )
        }
        e => {
            let n = int(e)?;
            #[allow(clippy::cast_precision_loss)]
            let f = n as f64;
            (
                some(quote!(#core::DefaultValue::Number(#f))),
                format!("Defaults to `{n}`."),
            )
        }
    })
}

/// The expression that reads the field from `r`.
fn read(fa: &FieldAttrs, wire: &LitStr, optional: bool, shape: &Shape) -> syn::Result<Tokens> {
    if let Some(f) = &fa.read_with {
        return Ok(quote!(#f(r, #wire)?));
    }
    let missing = quote!(.ok_or_else(|| r.missing_error(#wire))?);
    let checked = |get: Tokens| match &fa.check {
        Some(check) => quote! {
            match #get { ::core::option::Option::Some(v) => ::core::option::Option::Some(#check(&r.path(#wire), v)?), ::core::option::Option::None => ::core::option::Option::None }
        },
        None => get,
    };
    let required = |get: Tokens| {
        if optional {
            get
        } else {
            quote!((#get)#missing)
        }
    };
    Ok(match shape {
        Shape::Text => required(checked(quote!(r.string(#wire)?))),
        Shape::Flag => required(checked(quote!(r.bool(#wire)?))),
        Shape::Number => {
            let range = match (fa.range, fa.integer) {
                (None, true) => Some((0, None)),
                (range, _) => range,
            };
            let get = match range {
                Some((min, max)) => {
                    let min = u32::try_from(min).map_err(|_| {
                        syn::Error::new(wire.span(), "a range's bounds are 0 or more")
                    })?;
                    let max = max.map_or(Ok(u32::MAX), u32::try_from).map_err(|_| {
                        syn::Error::new(wire.span(), "a range's bounds fit in 32 bits")
                    })?;
                    quote!(r.optional_integer(#wire, #min, #max)?)
                }
                None => quote!(r.number(#wire)?),
            };
            required(checked(get))
        }
        Shape::Raw => {
            let get = match (&fa.check, &fa.default) {
                // Not set: the schema default, which `string_or_unknown` does not apply.
                (Some(check), Some(_)) => quote! {
                    match r.string_or_unknown(#wire, |v| #check(&r.path(#wire), v))? {
                        ::core::option::Option::Some(v) => ::core::option::Option::Some(v),
                        ::core::option::Option::None => r.passthrough(#wire)?,
                    }
                },
                (Some(check), None) => {
                    quote!(r.string_or_unknown(#wire, |v| #check(&r.path(#wire), v))?)
                }
                (None, _) => quote!(r.passthrough(#wire)?),
            };
            required(get)
        }
        Shape::Entries if optional => quote!(r.entries(#wire)?),
        Shape::Entries => quote!(r.entries(#wire)?.unwrap_or_default()),
        Shape::Texts if optional => quote!(r.strings(#wire)?),
        Shape::Texts => quote!(r.strings(#wire)?.unwrap_or_default()),
        Shape::Object(t) if optional => quote! {
            match r.object(#wire)? {
                ::core::option::Option::Some(o) => ::core::option::Option::Some(<#t as ::launchpad_core::Inputs>::read(&o)?),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        },
        Shape::Object(t) => {
            quote!(<#t as ::launchpad_core::Inputs>::read(&r.object_or_defaults(#wire)?)?)
        }
    })
}

/// `field_name` → `fieldName`.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The doc comment as markdown: lines of a paragraph joined with a space,
/// paragraphs with a blank line; list items, tables and code keep their lines.
fn doc_text(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).trim_end().to_string())
        .collect();
    let mut out = String::new();
    let mut fenced = false;
    let mut blank = false;
    for line in lines {
        // A list item's continuation lines are indented (rustdoc wants it);
        // the description joins them to the item as one line.
        let line = if fenced {
            line
        } else {
            line.trim_start().to_string()
        };
        let starts_block = ["- ", "* ", "| ", "```"]
            .iter()
            .any(|p| line.starts_with(p))
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        let separator = if out.is_empty() {
            ""
        } else if blank {
            "\n\n"
        } else if fenced || starts_block {
            "\n"
        } else {
            " "
        };
        out.push_str(separator);
        blank = false;
        if line.starts_with("```") {
            fenced = !fenced;
        }
        out.push_str(&line);
    }
    out
}
