//! Fuzz target `component_inputs`: First byte: which component; the rest: its inputs. Decoding and planning return a plan that validates, or a catalogue refusal.
//! The body lives in launchpad-fuzz-bodies, which the stable replay also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| launchpad_fuzz_bodies::component_inputs(data));
