//! Fuzz target `native_check`: First byte: which native resource; the rest: its new inputs. Check answers inputs and catalogue failures, never a panic.
//! The body lives in launchpad-fuzz-bodies, which the stable replay also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| launchpad_fuzz_bodies::native_check(data));
