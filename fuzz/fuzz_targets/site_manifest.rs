//! Fuzz target `site_manifest`: Struct bytes: each value read as the `files` manifest a state records. Reading never panics, a manifest read back from its own value is the same, and every key gets a content type and a cache control, with the manifest's own entries as `cacheControl` rules.
//! The body lives in launchpad-fuzz-bodies, which the stable replay also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| launchpad_fuzz_bodies::site_manifest(data));
