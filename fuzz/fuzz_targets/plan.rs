#![no_main]
//! The launcher's plan reader: arbitrary bytes, and byte edits of a valid plan.
use std::sync::OnceLock;

static SAMPLE: OnceLock<String> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wslcfg::fuzzing::plan_bytes(data);
    wslcfg::fuzzing::plan_mutated(SAMPLE.get_or_init(wslcfg::fuzzing::sample_plan), data);
});
