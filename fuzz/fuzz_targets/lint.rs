#![no_main]
//! lint end to end (both dialects, JSON and SARIF) on arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| wslcfg::fuzzing::lint(data));
