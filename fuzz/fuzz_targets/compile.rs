#![no_main]
//! compile with an arbitrary configuration and an arbitrary host profile.
use wslcfg::host::HostProfile;

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    config: Vec<u8>,
    host: HostProfile,
    upstream: bool,
    wslc: bool,
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    wslcfg::fuzzing::compile_with(&input.config, input.host, input.upstream, input.wslc)
});
