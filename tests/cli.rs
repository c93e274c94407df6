//! Command-line behaviour as data: every `tests/cmd/*.toml` case gives the
//! arguments, standard input, expected output and exit status.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
