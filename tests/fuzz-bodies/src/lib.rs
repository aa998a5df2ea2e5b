//! # launchpad-fuzz-bodies
//!
//! The body of every fuzz target, written once: `fuzz/fuzz_targets/*.rs`
//! (cargo-fuzz, nightly, `make fuzz`) call these functions with libFuzzer's
//! bytes, and this crate's `tests/replay.rs` (stable, `make test`) feeds
//! them every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`,
//! so the targets stay honest without nightly and a crash once found stays
//! a test. Each body takes arbitrary bytes and panics only when the code
//! under test breaks a promise: a panic inside it, a codec round trip that
//! does not hold, a refusal that is not a catalogue entry.
//!
//! Inputs are protobuf bytes of a `google.protobuf.Struct` (what the engine
//! sends), behind one selector byte where a target covers several
//! components or resources. A top-level `path` that leaves the fixture site
//! (`fuzz/site/`, the program's directory here) is replaced by it: the
//! planners and SiteContent's Check read the folder a path names, and a
//! fuzzer must not walk the host's file system.

use std::path::{Component as PathPart, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use launchpad_core::args::InputError;
use launchpad_core::custom::ResourceContext;
use launchpad_core::log::{NoLog, ResourceLog};
use launchpad_core::{ConstructContext, Package, PropertyMap, Value};
use launchpad_protocol::codec::{EncodeOptions, decode_struct, encode_struct};
use launchpad_site_sync::manifest;
use prost::Message;

/// A fuzz target's body: any bytes in, a panic only for a broken promise.
pub type Body = fn(&[u8]);

/// The fuzz targets, by the name of their folder under `fuzz/corpus/`.
pub const TARGETS: [(&str, Body); 5] = [
    ("codec", codec),
    ("component_inputs", component_inputs),
    ("native_check", native_check),
    ("neon_envelopes", neon_envelopes),
    ("site_manifest", site_manifest),
];

/// The stack configuration every component is planned with.
const STACK_CONFIG: [(&str, &str); 3] = [
    ("aws:region", "us-east-1"),
    ("gcp:project", "fuzz-project"),
    ("gcp:region", "europe-west1"),
];

/// The `fuzz/` folder: corpus, regressions, and the fixture site.
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The one package, built once (its Neon clients are shared state).
fn package() -> &'static Package {
    static PACKAGE: OnceLock<Package> = OnceLock::new();
    PACKAGE.get_or_init(launchpad_components::package)
}

/// A runtime for the native resources' async Check (SiteContent scans on
/// the blocking pool).
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds")
    })
}

/// `data` as the engine's Struct, decoded; `None` when it is not one.
fn properties(data: &[u8]) -> Option<PropertyMap> {
    let s = prost_types::Struct::decode(data).ok()?;
    decode_struct(Some(&s)).ok()
}

/// Keep a top-level `path` inside the fixture site (see the module docs).
fn confine_path(inputs: &mut PropertyMap) {
    let Some(Value::String(path)) = inputs.get("path").map(Value::strip) else {
        return;
    };
    let escapes = Path::new(&path)
        .components()
        .any(|part| !matches!(part, PathPart::Normal(_) | PathPart::CurDir));
    if escapes || path.is_empty() {
        inputs.insert("path".into(), Value::string("site"));
    }
}

/// A refusal must be a catalogue entry naming its property.
fn assert_catalogued(e: &InputError) {
    assert!(
        !e.code.is_empty(),
        "a refusal without a catalogue code: {} ({})",
        e.message,
        e.property
    );
}

/// Struct bytes → Values → Struct → Values: decoding never panics, and
/// whatever decodes encodes back to the same Values.
pub fn codec(data: &[u8]) {
    let Some(map) = properties(data) else { return };
    let encoded = encode_struct(&map, EncodeOptions::default());
    let again = match decode_struct(Some(&encoded)) {
        Ok(again) => again,
        Err(e) => panic!("what the codec encoded does not decode: {e}"),
    };
    // Compared encoded, by protobuf's Debug (which shows secrets and the
    // unknown sentinels, where `Value`'s hides them): and not by `==`, as a
    // NaN number is the same NaN after the trip.
    assert_eq!(
        format!("{:?}", encode_struct(&again, EncodeOptions::default())),
        format!("{encoded:?}"),
        "the round trip changed the values"
    );
    // Peers without output values get plain, secret or unknown values.
    let plain = encode_struct(&map, EncodeOptions::PLAIN);
    assert!(
        decode_struct(Some(&plain)).is_ok(),
        "a plain encoding does not decode"
    );
}

/// First byte: which component; the rest: its inputs. Decoding and
/// planning return a plan that validates, or a catalogue refusal.
pub fn component_inputs(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let components = &package().components;
    // The low seven bits choose the component, the high bit a preview.
    let component = &components[usize::from(selector & 0x7f) % components.len()];
    let Some(mut inputs) = properties(rest) else {
        return;
    };
    confine_path(&mut inputs);
    let ctx = ConstructContext {
        name: "fuzz".into(),
        project: "fuzz".into(),
        stack: "dev".into(),
        dry_run: selector & 0x80 != 0,
        // The examples' stack configuration: the AWS and GCP components plan
        // for a region, and refuse to without one.
        config: STACK_CONFIG
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        program_directory: Some(fuzz_dir()),
        ..ConstructContext::default()
    };
    match component.plan(&ctx, &inputs) {
        Ok(plan) => {
            if let Err(e) = plan.validate() {
                panic!(
                    "{} planned an invalid plan: {e:?}",
                    component.definition().token
                );
            }
        }
        Err(e) => assert_catalogued(&e),
    }
}

/// First byte: which native resource; the rest: its new inputs. Check
/// answers inputs and catalogue failures, never a panic.
pub fn native_check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let resources = &package().resources;
    let resource = &resources[usize::from(selector) % resources.len()];
    let Some(mut news) = properties(rest) else {
        return;
    };
    confine_path(&mut news);
    let urn = format!(
        "urn:pulumi:dev::fuzz::{}::fuzz",
        resource.definition().token
    );
    let ctx = ResourceContext::new(
        urn.clone(),
        Arc::new(PropertyMap::new()),
        ResourceLog::new(Arc::new(NoLog), urn),
        tokio_util::sync::CancellationToken::new(),
        None,
    )
    .with_program_directory(Some(fuzz_dir()));
    let checked = runtime().block_on(resource.check(&ctx, &PropertyMap::new(), news));
    checked.failures.iter().for_each(assert_catalogued);
}

/// First two bytes: the HTTP status (big-endian); the rest: the body. Every
/// way the Neon client reads an answer; an error never quotes the body.
pub fn neon_envelopes(data: &[u8]) {
    let (status, body) = match data {
        [hi, lo, body @ ..] => (u16::from_be_bytes([*hi, *lo]) % 600, body),
        _ => (200, data),
    };
    launchpad_neon::fuzz_hooks::read_answer(status, body);
}

/// Struct bytes: each value read as the `files` manifest a state records.
/// Reading never panics, a manifest read back from its own value is the
/// same, and every key gets a content type and a cache control, with the
/// manifest's own entries as `cacheControl` rules.
pub fn site_manifest(data: &[u8]) {
    let Some(map) = properties(data) else { return };
    for value in map.values() {
        let read = manifest::from_value(Some(value));
        let written = manifest::to_value(&read);
        assert_eq!(
            manifest::from_value(Some(&written)),
            read,
            "a manifest does not read back from its own value"
        );
        let _ = manifest::manifest_hash(&read);
        let rules: Vec<manifest::CacheRule> = read
            .values()
            .map(|e| manifest::CacheRule {
                pattern: e.content_type.clone(),
                value: e.cache_control.clone(),
            })
            .collect();
        for key in read.keys() {
            let _ = (
                manifest::content_type(key),
                manifest::cache_control(key, &rules),
            );
        }
    }
}
