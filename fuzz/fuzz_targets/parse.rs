#![no_main]
//! The parser on arbitrary bytes: no panic, lossless tree, spans in range.
libfuzzer_sys::fuzz_target!(|data: &[u8]| wslcfg::fuzzing::parse(data));
