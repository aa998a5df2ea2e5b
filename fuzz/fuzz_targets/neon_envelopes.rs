//! Fuzz target `neon_envelopes`: First two bytes: the HTTP status (big-endian); the rest: the body. Every way the Neon client reads an answer; an error never quotes the body.
//! The body lives in launchpad-fuzz-bodies, which the stable replay also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| launchpad_fuzz_bodies::neon_envelopes(data));
