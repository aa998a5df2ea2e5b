//! Fuzz target `codec`: Struct bytes → Values → Struct → Values: decoding never panics, and whatever decodes encodes back to the same Values.
//! The body lives in launchpad-fuzz-bodies, which the stable replay also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| launchpad_fuzz_bodies::codec(data));
