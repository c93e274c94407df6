//! Every worked example of spec/writer.md, byte for byte: §3.1–§3.5 (set,
//! S1–S16 and the quirks W3–W5), §4 (unset, U1–U6 and W6), §5 (values),
//! §6 (bytes), §8 (what wslcfg does instead of upstream's bugs B1–B14) and
//! §10. The spec's notation is kept: `⏎` is LF, `␣` a space.

use wslcfg::diag::DiagId;
use wslcfg::edit::{self, EditOptions, Eol, Request};
use wslcfg::registry::Dialect;

/// The spec's notation → text.
fn t(s: &str) -> String {
    s.replace('⏎', "\n").replace('␣', " ")
}

/// Runs `set`/`unset` on a file (`None`: no file). `Ok(None)`: no file
/// afterwards; `Err`: the ids of the refusal.
fn run_with(before: Option<&[u8]>, args: &[&str], dialect: Dialect, eol: Eol) -> Result<Option<Vec<u8>>, Vec<DiagId>> {
    let request = match args {
        ["set", key, value] => Request::set(key, value, dialect),
        ["unset", key] => Request::unset(key),
        _ => panic!("bad command {args:?}"),
    }
    .map_err(|ds| ds.iter().map(|d| d.id).collect::<Vec<_>>())?;
    let options = EditOptions { dialect, eol };
    edit::edit("F", before.map(<[u8]>::to_vec), &request, &options)
        .map(|e| e.after)
        .map_err(|r| r.diagnostics.iter().map(|d| d.id).collect())
}

fn run(before: Option<&str>, args: &[&str], dialect: Dialect) -> Result<Option<String>, Vec<DiagId>> {
    run_with(before.map(str::as_bytes), args, dialect, Eol::Auto)
        .map(|after| after.map(|b| String::from_utf8(b).expect("UTF-8 output")))
}

/// Asserts one example in both dialects (the placement rules are the same).
#[track_caller]
fn example(before: &str, args: &[&str], after: &str) {
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        let got = run(Some(&t(before)), args, dialect);
        assert_eq!(got, Ok(Some(t(after))), "{args:?} on {before:?} ({dialect:?})");
    }
}

#[track_caller]
fn unchanged(before: &str, args: &[&str]) {
    example(before, args, before);
}

#[track_caller]
fn refused(before: &str, args: &[&str], dialect: Dialect, ids: &[DiagId]) {
    assert_eq!(
        run(Some(&t(before)), args, dialect),
        Err(ids.to_vec()),
        "{args:?} on {before:?}"
    );
}

// ------------------------------------------------------------ §3.5 set

#[test]
fn s01_spelling_and_spacing_kept() {
    example(
        "[wsl2]⏎Memory = 8GB   # half of RAM⏎",
        &["set", "wsl2.memory", "12GB"],
        "[wsl2]⏎Memory = 12884901888   # half of RAM⏎",
    );
}

#[test]
fn s02_alias_updated_in_place() {
    example(
        "[experimental]⏎networkingmode=nat # old⏎",
        &["set", "wsl2.networkingMode", "mirrored"],
        "[experimental]⏎networkingmode=Mirrored # old⏎",
    );
}

#[test]
fn s03_continued_value_collapses() {
    example(
        "[wsl2]⏎kernelCommandLine = quiet \\⏎  splash # boot⏎swap=0⏎",
        &["set", "wsl2.kernelCommandLine", "console=ttyS0"],
        "[wsl2]⏎kernelCommandLine = console=ttyS0 # boot⏎swap=0⏎",
    );
}

#[test]
fn s04_first_occurrence_only() {
    example(
        "[wsl2]⏎swap=1GB⏎SWAP=2GB⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎swap=0⏎SWAP=2GB⏎",
    );
}

#[test]
fn s05_old_quotes_go_backslashes_doubled() {
    example(
        "[wsl2]⏎kernel=\"C:\\\\k\\\\old\"  # x⏎",
        &["set", "wsl2.kernel", "D:\\kernels\\new"],
        "[wsl2]⏎kernel=D:\\\\kernels\\\\new  # x⏎",
    );
}

#[test]
fn s06_insert_after_comment_one_blank_line() {
    example(
        "[wsl2]⏎processors=8⏎# gpu⏎⏎⏎[experimental]⏎sparseVhd=true⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎processors=8⏎# gpu⏎swap=0⏎⏎[experimental]⏎sparseVhd=true⏎",
    );
}

#[test]
fn s07_append_at_end() {
    example(
        "[experimental]⏎sparseVhd=true⏎[wsl2]⏎processors=8⏎",
        &["set", "wsl2.guiApplications", "false"],
        "[experimental]⏎sparseVhd=true⏎[wsl2]⏎processors=8⏎⏎guiApplications=false",
    );
}

#[test]
fn s08_new_section_at_end() {
    example(
        "# my settings⏎[experimental]⏎autoMemoryReclaim=gradual⏎",
        &["set", "wsl2.processors", "4"],
        "# my settings⏎[experimental]⏎autoMemoryReclaim=gradual⏎⏎[wsl2]⏎processors=4",
    );
}

#[test]
fn s09_first_section_of_either_alias() {
    example(
        "[experimental]⏎sparseVhd=true⏎⏎[wsl2]⏎memory=8GB⏎",
        &["set", "wsl2.dnsTunneling", "false"],
        "[experimental]⏎sparseVhd=true⏎dnsTunneling=false⏎⏎[wsl2]⏎memory=8GB⏎",
    );
}

#[test]
fn s10_w4_indented_header() {
    example(
        "[wsl2]⏎memory=8GB⏎␣␣[experimental]⏎sparseVhd=true⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎memory=8GB⏎␣␣⏎swap=0⏎⏎[experimental]⏎sparseVhd=true⏎",
    );
}

#[test]
fn s11_line_in_later_section_replaced() {
    example(
        "[Wsl2]⏎swap=0⏎[experimental]⏎[WSL2]⏎processors=2⏎",
        &["set", "wsl2.processors", "6"],
        "[Wsl2]⏎swap=0⏎[experimental]⏎[WSL2]⏎processors=6⏎",
    );
}

#[test]
fn s12_prefix_section_is_not_a_target() {
    example(
        "[ws]⏎swap=0⏎",
        &["set", "wsl2.memory", "4GB"],
        "[ws]⏎swap=0⏎⏎[wsl2]⏎memory=4294967296",
    );
}

#[test]
fn s13_existing_empty_file() {
    example(
        "",
        &["set", "experimental.autoMemoryReclaim", "gradual"],
        "⏎[experimental]⏎autoMemoryReclaim=Gradual",
    );
}

#[test]
fn s14_no_file() {
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        assert_eq!(
            run(None, &["set", "wsl2.memory", "4GB"], dialect),
            Ok(Some(t("[wsl2]⏎memory=4294967296")))
        );
    }
}

#[test]
fn s15_file_of_one_line_break() {
    example(
        "⏎",
        &["set", "experimental.sparseVhd", "TRUE"],
        "⏎⏎[experimental]⏎sparseVhd=true",
    );
}

#[test]
fn s16_dropped_line_stays_line_wsl_reads_is_edited() {
    example(
        "[wsl2]⏎kernel=C:\\wsl\\k⏎kernel=C:\\\\k2⏎",
        &["set", "wsl2.kernel", "D:\\k"],
        "[wsl2]⏎kernel=C:\\wsl\\k⏎kernel=D:\\\\k⏎",
    );
}

// ------------------------------------------------------ §3.1–§3.4 prose

#[test]
fn existing_line_under_later_alias_section_keeps_its_place() {
    example(
        "[wsl2]⏎swap=0⏎[experimental]⏎NetworkingMode=nat",
        &["set", "wsl2.networkingMode", "mirrored"],
        "[wsl2]⏎swap=0⏎[experimental]⏎NetworkingMode=Mirrored",
    );
}

#[test]
fn key_names_in_any_case_and_alias_on_the_command_line() {
    for typed in [
        "wsl2.networkingMode",
        "experimental.networkingmode",
        "WSL2.NETWORKINGMODE",
    ] {
        example(
            "[wsl2]⏎networkingMode=nat⏎",
            &["set", typed, "mirrored"],
            "[wsl2]⏎networkingMode=Mirrored⏎",
        );
    }
    // A new line always uses the canonical name.
    example(
        "[wsl2]⏎swap=0⏎",
        &["set", "EXPERIMENTAL.NETWORKINGMODE", "nat"],
        "[wsl2]⏎swap=0⏎⏎networkingMode=Nat",
    );
}

#[test]
fn lines_that_only_look_like_the_key_are_not_touched() {
    // Commented out, invalid, before any section, in another section.
    example(
        "memory=1GB⏎[wsl2]⏎# memory=4GB⏎memory 4GB⏎[experimental]⏎memory=4GB⏎",
        &["set", "wsl2.memory", "8GB"],
        "memory=1GB⏎[wsl2]⏎# memory=4GB⏎memory 4GB⏎memory=8589934592⏎⏎[experimental]⏎memory=4GB⏎",
    );
    // In a section whose name is only a prefix of K's.
    example(
        "[wsl]⏎memory=4GB",
        &["set", "wsl2.memory", "8GB"],
        "[wsl]⏎memory=4GB⏎[wsl2]⏎memory=8589934592",
    );
}

#[test]
fn w3_empty_old_value_lands_after_the_blanks() {
    example(
        "[wsl2]⏎memory=   # c⏎",
        &["set", "wsl2.memory", "4GB"],
        "[wsl2]⏎memory=   4294967296# c⏎",
    );
}

#[test]
fn glued_comment_stays_glued() {
    example("[wsl2]⏎swap=8GB#c⏎", &["set", "wsl2.swap", "0"], "[wsl2]⏎swap=0#c⏎");
}

#[test]
fn w4_prose_example() {
    example(
        "[wsl2]⏎memory=8GB⏎␣␣[experimental]",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎memory=8GB⏎␣␣⏎swap=0⏎⏎[experimental]",
    );
}

#[test]
fn w5_line_breaks_at_the_end_of_the_file() {
    example(
        "[wsl2]⏎gpuSupport=false⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎gpuSupport=false⏎⏎swap=0",
    );
    example(
        "[wsl2]⏎gpuSupport=false",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎gpuSupport=false⏎swap=0",
    );
}

#[test]
fn insertion_before_header_one_blank_line_however_many_there_were() {
    for blanks in ["", "⏎", "⏎⏎⏎⏎"] {
        example(
            &format!("[wsl2]⏎swap=0⏎{blanks}[experimental]⏎"),
            &["set", "wsl2.memory", "1GB"],
            "[wsl2]⏎swap=0⏎memory=1073741824⏎⏎[experimental]⏎",
        );
    }
    // A whitespace-only line stops the removal.
    example(
        "[wsl2]⏎swap=0⏎⏎␣⏎⏎[experimental]⏎",
        &["set", "wsl2.memory", "1GB"],
        "[wsl2]⏎swap=0⏎⏎␣⏎memory=1073741824⏎⏎[experimental]⏎",
    );
}

#[test]
fn failed_header_ends_a_target_section_too() {
    example(
        "[wsl2]⏎swap=0⏎[ experimental]⏎",
        &["set", "wsl2.memory", "1GB"],
        "[wsl2]⏎swap=0⏎memory=1073741824⏎⏎[ experimental]⏎",
    );
}

#[test]
fn dangling_escape_refuses_only_an_append() {
    refused(
        "[wsl2]⏎kernelCommandLine=quiet \\",
        &["set", "wsl2.swap", "0"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    // A replacement is not affected.
    example(
        "[wsl2]⏎swap=1GB⏎kernelCommandLine=quiet \\",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎swap=0⏎kernelCommandLine=quiet \\",
    );
    // Nor is an insertion before a header.
    example(
        "[wsl2]⏎swap=1GB⏎[experimental]⏎kernelCommandLine=quiet \\",
        &["set", "wsl2.memory", "1GB"],
        "[wsl2]⏎swap=1GB⏎memory=1073741824⏎⏎[experimental]⏎kernelCommandLine=quiet \\",
    );
}

#[test]
fn set_value_already_written_is_no_change() {
    let before = t("[wsl2]⏎memory=4294967296 # c⏎");
    let after = run(Some(&before), &["set", "wsl2.memory", "4GB"], Dialect::Seed);
    assert_eq!(after, Ok(Some(before)));
}

#[test]
fn set_always_writes_also_the_default() {
    example(
        "[wsl2]⏎swap=0⏎",
        &["set", "wsl2.gpuSupport", "true"],
        "[wsl2]⏎swap=0⏎⏎gpuSupport=true",
    );
}

// ----------------------------------------------------------- §4 unset

#[test]
fn u1_all_occurrences_comment_kept() {
    example(
        "[wsl2]⏎␣␣swap = 0   # no swap⏎Swap=4GB⏎[experimental]⏎autoProxy=false⏎",
        &["unset", "wsl2.swap"],
        "[wsl2]⏎# no swap⏎[experimental]⏎autoProxy=false⏎",
    );
}

#[test]
fn u2_line_break_before_the_line_goes() {
    example(
        "[wsl2]⏎processors=2⏎kernelCommandLine=quiet",
        &["unset", "wsl2.kernelCommandLine"],
        "[wsl2]⏎processors=2",
    );
}

#[test]
fn u3_w6_header_comment_moves() {
    example(
        "[wsl2]⏎autoProxy=false⏎[experimental] # new stuff⏎sparseVhd=true⏎",
        &["unset", "wsl2.autoProxy"],
        "[wsl2]⏎[experimental]␣⏎# new stuff⏎sparseVhd=true⏎",
    );
}

#[test]
fn u4_both_aliases_empty_sections_stay() {
    example(
        "[experimental]⏎firewall=false⏎[wsl2]⏎Firewall=true⏎",
        &["unset", "wsl2.firewall"],
        "[experimental]⏎[wsl2]⏎",
    );
}

#[test]
fn u5_absent_key_unchanged() {
    unchanged(
        "[wsl2]⏎kernelCommandLine = quiet \\⏎  splash # boot⏎swap=0⏎",
        &["unset", "experimental.autoMemoryReclaim"],
    );
}

#[test]
fn u6_continuation_lines_go_comment_kept() {
    example(
        "[wsl2]⏎kernelCommandLine = quiet \\⏎  splash # boot⏎swap=0⏎",
        &["unset", "wsl2.kernelCommandLine"],
        "[wsl2]⏎# boot⏎swap=0⏎",
    );
}

#[test]
fn unset_prose_example_with_leading_blanks() {
    example(
        "[wsl2]⏎␣␣swap = 0   # no swap⏎",
        &["unset", "wsl2.swap"],
        "[wsl2]⏎# no swap⏎",
    );
}

#[test]
fn unset_on_missing_file_creates_nothing() {
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        assert_eq!(run(None, &["unset", "wsl2.swap"], dialect), Ok(None));
    }
}

#[test]
fn w6_prose_example_and_its_end() {
    example(
        "[wsl2]⏎autoProxy=false⏎[experimental] # new stuff",
        &["unset", "wsl2.autoProxy"],
        "[wsl2]⏎[experimental]␣⏎# new stuff",
    );
    // Only until the next key line: a later header comment stays.
    example(
        "[wsl2]⏎autoProxy=false⏎[experimental] # a⏎sparseVhd=true⏎[general] # b⏎",
        &["unset", "wsl2.autoProxy"],
        "[wsl2]⏎[experimental]␣⏎# a⏎sparseVhd=true⏎[general] # b⏎",
    );
}

// ---------------------------------------------------------- §5 values

fn rendered(key: &str, typed: &str, dialect: Dialect) -> Result<String, Vec<DiagId>> {
    Request::set(key, typed, dialect)
        .map(|r| match r.op {
            edit::Op::Set(r) => r.text,
            edit::Op::Unset => unreachable!(),
        })
        .map_err(|ds| ds.iter().map(|d| d.id).collect())
}

#[test]
fn s5_3_escaping_and_quoting_table() {
    let rows = [
        ("wsl2.kernel", "C:\\Users\\me\\kernel", "C:\\\\Users\\\\me\\\\kernel"),
        (
            "wsl2.swapFile",
            "D:\\wsl #2\\swap.vhdx",
            "\"D:\\\\wsl #2\\\\swap.vhdx\"",
        ),
        ("wsl2.kernel", "C:\\wsl kernels\\k ", "\"C:\\\\wsl kernels\\\\k \""),
        (
            "wsl2.kernelCommandLine",
            "console=ttyS0 foo=\"a b\"",
            "console=ttyS0 foo=\\\"a b\\\"",
        ),
        ("wsl2.kernelCommandLine", " quiet", "\" quiet\""),
        ("wsl2.kernelCommandLine", "quiet # really", "\"quiet # really\""),
        ("wsl2.vmSwitch", "", ""),
    ];
    for (key, typed, written) in rows {
        assert_eq!(
            rendered(key, typed, Dialect::Upstream),
            Ok(written.to_owned()),
            "{key} {typed:?}"
        );
    }
    assert_eq!(
        rendered("wsl2.systemDistro", "C:\\Users\\Zoë\\s.vhd", Dialect::Upstream),
        Err(vec![DiagId::WRT001])
    );
}

#[test]
fn wrt001_reports_the_character_and_its_position() {
    let ds = Request::set("wsl2.systemDistro", "C:\\Users\\Zoë\\s.vhd", Dialect::Seed).unwrap_err();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].detail().facts["character"], "U+00EB");
    assert_eq!(ds[0].detail().facts["position"], 12);
    assert_eq!(ds[0].detail().key.as_deref(), Some("wsl2.systemDistro"));
    assert_eq!(ds[0].line, None);
    for control in ["a\tb", "a\nb", "a\u{8}b", "\u{0}"] {
        assert_eq!(
            rendered("wsl2.kernelCommandLine", control, Dialect::Seed),
            Err(vec![DiagId::WRT001])
        );
    }
}

#[test]
fn s5_2_canonical_text_table() {
    let up = Dialect::Upstream;
    let rows = [
        ("wsl2.gpuSupport", "TRUE", "true"),
        ("wsl2.gpuSupport", "1", "true"),
        ("wsl2.gpuSupport", "0", "false"),
        ("wsl2.processors", "0x10", "16"),
        ("wsl2.processors", "010", "8"),
        ("wsl2.processors", "-1", "-1"),
        ("wsl2.memory", "8GB", "8589934592"),
        ("wsl2.memory", "512", "512"),
        ("wsl2.memory", "0", "0"),
        ("wsl2.networkingMode", "mirrored", "Mirrored"),
        ("wsl2.networkingMode", "virtioproxy", "Consomme"),
        ("wsl2.networkingMode", "NONE", "None"),
        ("wsl2.networkingMode", "bridged", "Bridged"),
        ("wsl2.networkingMode", "nat", "Nat"),
        ("experimental.autoMemoryReclaim", "disabled", "Disabled"),
        ("experimental.autoMemoryReclaim", "GRADUAL", "Gradual"),
        ("experimental.autoMemoryReclaim", "dropcache", "DropCache"),
        ("wsl2.macAddress", "00-15-5d-0a-0b-0c", "00:15:5D:0A:0B:0C"),
        ("experimental.ignoredPorts", "80, 443", "80, 443"),
        ("experimental.dnsTunnelingIpAddress", "10.0.0.1", "10.0.0.1"),
        ("experimental.swiotlb", "64M", "67108864"),
        ("experimental.swiotlb", "0x40000000,64M", "0x40000000,64M"),
    ];
    for (key, typed, written) in rows {
        assert_eq!(rendered(key, typed, up), Ok(written.to_owned()), "{key} {typed:?}");
    }
    // Mode 4 is spelled per dialect; both names are accepted in both.
    assert_eq!(
        rendered("wsl2.networkingMode", "consomme", Dialect::Seed),
        Ok("VirtioProxy".into())
    );
    assert_eq!(
        rendered("wsl2.networkingMode", "virtioproxy", Dialect::Seed),
        Ok("VirtioProxy".into())
    );
    assert_eq!(
        rendered("experimental.swiotlb", "0X1F,64m", Dialect::Seed),
        Ok("0X1F,64m".into())
    );
}

#[test]
fn s5_1_validation_refusals() {
    let seed = Dialect::Seed;
    let rows: [(&str, &str, DiagId); 22] = [
        ("wsl2.gpuSupport", "yes", DiagId::VAL001),
        ("wsl2.gpuSupport", "", DiagId::VAL001),
        ("wsl2.processors", "99999999999", DiagId::VAL002),
        ("wsl2.processors", "-2147483649", DiagId::VAL002),
        ("wsl2.processors", "08", DiagId::VAL002),
        ("wsl2.processors", "", DiagId::VAL002),
        ("wsl2.memory", "-1", DiagId::VAL003),
        ("wsl2.memory", "4gb", DiagId::VAL003),
        ("wsl2.memory", "18446744073709551616", DiagId::VAL003),
        ("wsl2.memory", "18446744073709551615KB", DiagId::VAL003),
        ("wsl2.memory", "", DiagId::VAL003),
        ("wsl2.networkingMode", "mirror", DiagId::VAL004),
        ("wsl2.networkingMode", "", DiagId::VAL004),
        ("wsl2.macAddress", "0015.5D01.0203", DiagId::VAL005),
        ("experimental.dnsTunnelingIpAddress", "10.0.0.1/8", DiagId::VAL006),
        ("experimental.ignoredPorts", "80abc", DiagId::VAL007),
        ("experimental.ignoredPorts", "0", DiagId::VAL007),
        ("experimental.ignoredPorts", "80, ,443", DiagId::VAL007),
        ("experimental.ignoredPorts", "", DiagId::VAL007),
        ("experimental.swiotlb", "0x10,64MB", DiagId::VAL008),
        ("experimental.swiotlb", "-1", DiagId::VAL008),
        ("experimental.swiotlb", "", DiagId::VAL008),
    ];
    for (key, typed, id) in rows {
        assert_eq!(rendered(key, typed, seed), Err(vec![id]), "{key} {typed:?}");
    }
    assert_eq!(
        rendered("experimental.swiotlb", "0x10,64MB", Dialect::Upstream),
        Err(vec![DiagId::VAL003])
    );
    // Still accepted: the edges of the ranges and the forms the reader reads as typed.
    assert_eq!(rendered("wsl2.processors", "2147483647", seed), Ok("2147483647".into()));
    assert_eq!(
        rendered("wsl2.processors", "-2147483648", seed),
        Ok("-2147483648".into())
    );
    assert_eq!(rendered("wsl2.processors", " 7", seed), Ok("7".into()));
    assert_eq!(rendered("wsl2.memory", "+5M", seed), Ok("5242880".into()));
    assert_eq!(
        rendered("wsl2.memory", "18446744073709551615", seed),
        Ok("18446744073709551615".into())
    );
    assert_eq!(rendered("wsl2.memory", "16383PB", seed), Err(vec![DiagId::VAL003]));
    assert_eq!(
        rendered("experimental.ignoredPorts", "80,,443,", seed),
        Ok("80,,443,".into())
    );
}

#[test]
fn several_bad_ports_give_several_records() {
    let ds = Request::set("experimental.ignoredPorts", "x,22,0", Dialect::Seed).unwrap_err();
    assert_eq!(
        ds.iter().map(|d| d.id).collect::<Vec<_>>(),
        [DiagId::VAL007, DiagId::VAL007]
    );
    assert!(
        ds.iter()
            .all(|d| d.detail().value.as_deref() == Some("x,22,0") && d.line.is_none())
    );
}

#[test]
fn s5_4_unescape_undoes_the_rendering() {
    assert_eq!(
        edit::unescape("C:\\\\DoesNotExist\\\\x.vhdx"),
        "C:\\DoesNotExist\\x.vhdx"
    );
    for v in [
        "",
        "\"",
        "\"\"",
        " a ",
        "a#b",
        "C:\\wsl\\",
        "\\\\\"",
        "x\\y\"z # w",
        "\\n",
    ] {
        assert_eq!(edit::unescape(&edit::escape(v)), v, "{v:?}");
    }
}

// ------------------------------------------------------- §6 bytes

#[test]
fn s6_3_crlf_file_gets_upstreams_bytes() {
    let before = b"[wsl2]\r\ngpuSupport=false\r\n";
    let after = run_with(Some(before), &["set", "wsl2.memory", "4GB"], Dialect::Seed, Eol::Auto);
    assert_eq!(
        after,
        Ok(Some(b"[wsl2]\r\ngpuSupport=false\r\n\r\nmemory=4294967296".to_vec()))
    );
}

#[test]
fn s6_3_eol_of_a_new_file() {
    for (eol, after) in [
        (Eol::Auto, &b"[wsl2]\nswap=0"[..]),
        (Eol::Lf, b"[wsl2]\nswap=0"),
        (Eol::Crlf, b"[wsl2]\r\nswap=0"),
    ] {
        let got = run_with(None, &["set", "wsl2.swap", "0"], Dialect::Seed, eol);
        assert_eq!(got, Ok(Some(after.to_vec())), "{eol:?}");
    }
}

#[test]
fn s6_3_eol_choice() {
    let cases: [(&[u8], Eol, &[u8]); 5] = [
        (
            b"[wsl2]\r\n[experimental]\n",
            Eol::Auto,
            b"[wsl2]\r\nswap=0\r\n\r\n[experimental]\n",
        ),
        (
            b"[wsl2]\n[experimental]\r\n",
            Eol::Auto,
            b"[wsl2]\nswap=0\n\n[experimental]\r\n",
        ),
        (
            b"[wsl2]\n[experimental]\n",
            Eol::Crlf,
            b"[wsl2]\r\nswap=0\r\n\r\n[experimental]\n",
        ),
        (
            b"[wsl2]\r\n[experimental]\r\n",
            Eol::Lf,
            b"[wsl2]\nswap=0\n\n[experimental]\r\n",
        ),
        (b"", Eol::Auto, b"\n[wsl2]\nswap=0"),
    ];
    for (before, eol, after) in cases {
        assert_eq!(
            run_with(Some(before), &["set", "wsl2.swap", "0"], Dialect::Seed, eol),
            Ok(Some(after.to_vec())),
            "{:?} {eol:?}",
            String::from_utf8_lossy(before)
        );
    }
}

#[test]
fn s6_1_bom_and_utf16_kept() {
    let after = run_with(
        Some(b"\xEF\xBB\xBF[wsl2]\r\nswap=1GB\r\n"),
        &["set", "wsl2.swap", "0"],
        Dialect::Seed,
        Eol::Auto,
    );
    assert_eq!(after, Ok(Some(b"\xEF\xBB\xBF[wsl2]\r\nswap=0\r\n".to_vec())));
    let utf16 = |s: &str| {
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    let after = run_with(
        Some(&utf16("[wsl2]\r\n# é\r\nswap=1GB\r\n")),
        &["set", "wsl2.memory", "2GB"],
        Dialect::Seed,
        Eol::Auto,
    );
    assert_eq!(
        after,
        Ok(Some(utf16("[wsl2]\r\n# é\r\nswap=1GB\r\n\r\nmemory=2147483648")))
    );
}

#[test]
fn s6_1_malformed_utf8_copied_byte_for_byte() {
    let before = b"[wsl2]\n# \xFF\xFE caf\xC3\n\xE2\x82swap=1GB #\x80\n".to_vec();
    let after = run_with(Some(&before), &["set", "wsl2.swap", "0"], Dialect::Seed, Eol::Auto);
    assert_eq!(
        after,
        Ok(Some(
            b"[wsl2]\n# \xFF\xFE caf\xC3\n\xE2\x82swap=1GB #\x80\n\nswap=0".to_vec()
        ))
    );
    // The line starting with malformed bytes is invalid (SYN004), so swap was
    // appended; a clean line is replaced in place with its neighbours intact.
    let before = b"[wsl2]\n# \xFF\xFE\nswap=1GB #\x80\n".to_vec();
    let after = run_with(Some(&before), &["set", "wsl2.swap", "0"], Dialect::Seed, Eol::Auto);
    assert_eq!(after, Ok(Some(b"[wsl2]\n# \xFF\xFE\nswap=0 #\x80\n".to_vec())));
}

#[test]
fn s6_2_files_wslcfg_does_not_edit() {
    refused(
        "[wsl2]⏎# a\rbc⏎",
        &["set", "wsl2.swap", "0"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    refused(
        "[wsl2]⏎swap=0\rmemory=1⏎",
        &["unset", "wsl2.memory"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    let odd = [0xFF, 0xFE, b'[', 0, b'w'];
    assert_eq!(
        run_with(Some(&odd), &["set", "wsl2.swap", "0"], Dialect::Seed, Eol::Auto),
        Err(vec![DiagId::WRT003])
    );
}

#[test]
fn wrt003_facts() {
    let request = Request::set("wsl2.swap", "0", Dialect::Seed).unwrap();
    let options = EditOptions {
        dialect: Dialect::Seed,
        eol: Eol::Auto,
    };
    let r = edit::edit("F", Some(b"[wsl2]\nswap=1\n# a\rb\n".to_vec()), &request, &options).unwrap_err();
    assert_eq!(r.diagnostics[0].detail().facts["reason"], "lone-cr");
    assert_eq!(r.diagnostics[0].line, Some(3));
    assert_eq!(r.exit_code(), 1);
    let r = edit::edit("F", Some(b"[wsl2]\nk=a\\".to_vec()), &request, &options).unwrap_err();
    assert_eq!(r.diagnostics[0].detail().facts["reason"], "dangling-escape");
    assert_eq!(r.diagnostics[0].line, Some(2));
    let r = edit::edit("F", Some(vec![0xFF, 0xFE, 0x41]), &request, &options).unwrap_err();
    assert_eq!(r.diagnostics[0].detail().facts["reason"], "odd-utf16");
}

// ------------------------------------------ §8 what wslcfg does instead

#[test]
fn b01_quoted_hash_of_other_lines_kept() {
    example(
        "[wsl2]⏎kernelCommandLine=\"quiet # keep\"⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎kernelCommandLine=\"quiet # keep\"⏎⏎swap=0",
    );
}

#[test]
fn b02_line_after_invalid_line_end_is_analysed() {
    example(
        "[wsl2]⏎gpu⏎[experimental]⏎sparseVhd=true⏎",
        &["set", "wsl2.memory", "4GB"],
        "[wsl2]⏎gpu⏎memory=4294967296⏎⏎[experimental]⏎sparseVhd=true⏎",
    );
    example("[wsl2]⏎gpu⏎memory=1GB⏎", &["unset", "wsl2.memory"], "[wsl2]⏎gpu⏎");
    example("[wsl2⏎[wsl2]⏎memory=1GB⏎", &["unset", "wsl2.memory"], "[wsl2⏎[wsl2]⏎");
}

#[test]
fn b03_nothing_added_to_invalid_last_line() {
    example(
        "[wsl2]⏎swap=0⏎nestedVirtualization",
        &["set", "wsl2.memory", "4GB"],
        "[wsl2]⏎swap=0⏎nestedVirtualization⏎memory=4294967296",
    );
}

#[test]
fn b04_unset_of_bad_escape_removes_the_whole_line() {
    example(
        "[wsl2]⏎swap=0⏎kernel=C:\\wsl\\kernel⏎",
        &["unset", "wsl2.kernel"],
        "[wsl2]⏎swap=0⏎",
    );
}

#[test]
fn b05_region_stops_after_invalid_escape() {
    example(
        "[wsl2]⏎kernel=C:\\wsl\\⏎swap=0⏎",
        &["set", "wsl2.kernel", "C:\\wsl\\k"],
        "[wsl2]⏎kernel=C:\\\\wsl\\\\k⏎swap=0⏎",
    );
    example(
        "[wsl2]⏎kernel=C:\\wsl\\⏎swap=0⏎",
        &["unset", "wsl2.kernel"],
        "[wsl2]⏎swap=0⏎",
    );
}

#[test]
fn b06_continuation_line_break_kept() {
    example(
        "[wsl2]⏎kernelCommandLine=quiet \\⏎⏎[experimental]⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎kernelCommandLine=quiet \\⏎⏎swap=0⏎⏎[experimental]⏎",
    );
}

#[test]
fn b07_append_after_dangling_escape_refused() {
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        refused(
            "[wsl2]⏎kernelCommandLine=quiet \\",
            &["set", "wsl2.swap", "0"],
            dialect,
            &[DiagId::WRT003],
        );
    }
}

#[test]
fn b08_values_escaped_and_quoted() {
    example(
        "[wsl2]⏎swap=0⏎",
        &["set", "wsl2.swapFile", "D:\\wsl #2\\swap.vhdx"],
        "[wsl2]⏎swap=0⏎⏎swapFile=\"D:\\\\wsl #2\\\\swap.vhdx\"",
    );
    example(
        "[experimental]⏎",
        &["set", "experimental.ignoredPorts", "80,443"],
        "[experimental]⏎⏎ignoredPorts=80,443",
    );
}

#[test]
fn b11_line_breaks_kept_and_no_op_not_rewritten() {
    example(
        "[wsl2]⏎swap=1GB⏎memory=2GB⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎swap=0⏎memory=2GB⏎",
    );
    unchanged("[wsl2]⏎swap=0⏎", &["set", "wsl2.swap", "0"]);
}

#[test]
fn b12_lone_cr_refused() {
    refused(
        "[wsl2]⏎# a\rbc⏎",
        &["set", "wsl2.swap", "0"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    refused(
        "[wsl2]⏎swap=0\rmemory=1⏎",
        &["unset", "wsl2.memory"],
        Dialect::Upstream,
        &[DiagId::WRT003],
    );
}

#[test]
fn b13_prefix_sections_are_not_targets() {
    example(
        "[wsl]⏎[experimental]⏎",
        &["set", "wsl2.memory", "4GB"],
        "[wsl]⏎[experimental]⏎⏎[wsl2]⏎memory=4294967296",
    );
    for prefix in ["e", "exp", "experimenta"] {
        example(
            &format!("[{prefix}]⏎[wsl2]⏎"),
            &["set", "experimental.sparseVhd", "true"],
            &format!("[{prefix}]⏎[wsl2]⏎⏎[experimental]⏎sparseVhd=true"),
        );
    }
    example(
        "[Gen]⏎[wsl2]⏎",
        &["set", "general.instanceIdleTimeout", "1000"],
        "[Gen]⏎[wsl2]⏎⏎[general]⏎instanceIdleTimeout=1000",
    );
}

#[test]
fn b14_existing_later_line_replaced_nothing_inserted() {
    example(
        "[wsl2]⏎memory=8GB⏎⏎[experimental]⏎networkingMode=mirrored⏎",
        &["set", "wsl2.networkingMode", "nat"],
        "[wsl2]⏎memory=8GB⏎⏎[experimental]⏎networkingMode=Nat⏎",
    );
}

// ------------------------------------------------------------ §10

#[test]
fn s10_rendering_through_a_whole_edit() {
    let up = Dialect::Upstream;
    let cases = [
        (
            "[wsl2]⏎gpuSupport=false⏎",
            ["set", "wsl2.kernelCommandLine", "console=ttyS0 # serial"],
            "[wsl2]⏎gpuSupport=false⏎⏎kernelCommandLine=\"console=ttyS0 # serial\"",
        ),
        (
            "[wsl2]⏎gpuSupport=false⏎",
            ["set", "wsl2.kernel", "C:\\wsl kernels\\k "],
            "[wsl2]⏎gpuSupport=false⏎⏎kernel=\"C:\\\\wsl kernels\\\\k \"",
        ),
        (
            "[experimental]⏎networkingMode=VirtioProxy⏎",
            ["set", "wsl2.networkingMode", "virtioproxy"],
            "[experimental]⏎networkingMode=Consomme⏎",
        ),
        (
            "[wsl2]⏎memory=8GB⏎⏎[experimental]⏎autoMemoryReclaim=gradual⏎networkingMode=mirrored⏎",
            ["set", "wsl2.networkingMode", "nat"],
            "[wsl2]⏎memory=8GB⏎⏎[experimental]⏎autoMemoryReclaim=gradual⏎networkingMode=Nat⏎",
        ),
        (
            "[wsl2]⏎gpuSupport=false⏎",
            ["set", "wsl2.macAddress", "00-15-5d-0a-0b-0c"],
            "[wsl2]⏎gpuSupport=false⏎⏎macAddress=00:15:5D:0A:0B:0C",
        ),
    ];
    for (before, args, after) in cases {
        assert_eq!(run(Some(&t(before)), &args, up), Ok(Some(t(after))), "{args:?}");
    }
    // Seed: the file already says VirtioProxy: unchanged.
    let before = t("[experimental]⏎networkingMode=VirtioProxy⏎");
    assert_eq!(
        run(
            Some(&before),
            &["set", "wsl2.networkingMode", "virtioproxy"],
            Dialect::Seed
        ),
        Ok(Some(before))
    );
    for (args, id) in [
        (["set", "wsl2.processors", "99999999999"], DiagId::VAL002),
        (["set", "wsl2.procesors", "8"], DiagId::KEY001),
        (["set", "wsl2.networkingMode", "mirror"], DiagId::VAL004),
    ] {
        refused("[wsl2]⏎processors=4⏎", &args, up, &[id]);
    }
}

#[test]
fn s10_refusal_details() {
    let d = Request::set("wsl2.procesors", "8", Dialect::Upstream).unwrap_err();
    assert_eq!(d[0].detail().facts["suggestion"], "wsl2.processors");
    assert_eq!(d[0].detail().key.as_deref(), Some("wsl2.procesors"));
    assert_eq!(d[0].line, None);
    let d = Request::set("memory", "4GB", Dialect::Seed).unwrap_err();
    assert_eq!(d[0].id, DiagId::KEY001);
    assert_eq!(d[0].detail().facts["suggestion"], "wsl2.memory");
    let d = Request::set("wsl2.networkingMode", "mirror", Dialect::Upstream).unwrap_err();
    assert_eq!(
        d[0].detail().facts["valid_values"],
        serde_json::json!(["Bridged", "Consomme", "Mirrored", "Nat", "None", "VirtioProxy"])
    );
    assert_eq!(d[0].detail().value.as_deref(), Some("mirror"));
    assert_eq!(d[0].line, None);
    assert!(Request::unset("wsl2.procesors").is_err());
}

#[test]
fn s10_invalid_lines_and_comments_around_an_edit() {
    example(
        "[wsl2]⏎gpu⏎# memory=4GB⏎memory 2GB⏎",
        &["set", "wsl2.memory", "4GB"],
        "[wsl2]⏎gpu⏎# memory=4GB⏎memory 2GB⏎⏎memory=4294967296",
    );
    example(
        "memory=2GB⏎[wsl2]⏎swap=0⏎⏎[experimental]⏎",
        &["set", "wsl2.memory", "4GB"],
        "memory=2GB⏎[wsl2]⏎swap=0⏎memory=4294967296⏎⏎[experimental]⏎",
    );
    example(
        "[wsl]⏎memory=2GB⏎",
        &["set", "wsl2.memory", "4GB"],
        "[wsl]⏎memory=2GB⏎⏎[wsl2]⏎memory=4294967296",
    );
    example(
        "[wsl2]⏎kernel=C:\\wsl\\kernel⏎",
        &["set", "wsl2.kernel", "C:\\wsl\\kernel"],
        "[wsl2]⏎kernel=C:\\\\wsl\\\\kernel⏎",
    );
}

// ----------------------------------------------------- edge cases

#[test]
fn q1_stale_prefix_is_read_like_the_reader() {
    // `[wsl2]` then a failed `[experimental-x]`: the key below reads as
    // `expe.memory`, not K's line; the failed header ends the target section.
    example(
        "[wsl2]⏎[experimental-x]⏎memory=1GB⏎",
        &["set", "wsl2.memory", "2GB"],
        "[wsl2]⏎memory=2147483648⏎⏎[experimental-x]⏎memory=1GB⏎",
    );
    // After `[ws]`, the failed `[wsl2 y]` leaves `ws` (length 2) of `wsl2`:
    // the key reads as `ws.memory`, and the end is no target section.
    example(
        "[ws]⏎[wsl2 y]⏎memory=1GB⏎",
        &["set", "wsl2.memory", "2GB"],
        "[ws]⏎[wsl2 y]⏎memory=1GB⏎⏎[wsl2]⏎memory=2147483648",
    );
    // `[sec]`, `[sec y]`: the stale text equals the old name.
    example(
        "[wsl2]⏎[wsl2 y]⏎memory=1GB⏎",
        &["set", "wsl2.memory", "2GB"],
        "[wsl2]⏎[wsl2 y]⏎memory=2147483648⏎",
    );
    // A failed header with a buffer shorter than the valid name's length:
    // the key below reads as `exp`; nothing belongs to K.
    example(
        "[wsl2]⏎[exp-x]⏎swap=1GB⏎",
        &["set", "wsl2.swap", "0"],
        "[wsl2]⏎swap=0⏎⏎[exp-x]⏎swap=1GB⏎",
    );
    example(
        "[wsl2]⏎[exp-x]⏎swap=1GB⏎",
        &["unset", "wsl2.swap"],
        "[wsl2]⏎[exp-x]⏎swap=1GB⏎",
    );
}

#[test]
fn replace_unterminated_quote_and_invalid_value() {
    example(
        "[wsl2]⏎kernelCommandLine=\"quiet # x⏎",
        &["set", "wsl2.kernelCommandLine", "quiet"],
        "[wsl2]⏎kernelCommandLine=quiet⏎",
    );
    example(
        "[wsl2]⏎processors=abc # many⏎processors=4⏎",
        &["set", "wsl2.processors", "8"],
        "[wsl2]⏎processors=8 # many⏎processors=4⏎",
    );
}

#[test]
fn unset_crlf_file_removes_crlf_whole() {
    assert_eq!(
        run_with(
            Some(b"[wsl2]\r\nswap=0\r\nmemory=1GB\r\n[experimental] # c\r\n"),
            &["unset", "wsl2.memory"],
            Dialect::Seed,
            Eol::Auto,
        ),
        Ok(Some(b"[wsl2]\r\nswap=0\r\n[experimental] \r\n# c\r\n".to_vec()))
    );
}

#[test]
fn an_invalid_mac_address_is_not_repaired_over_the_keys_below_it() {
    // VAL005 stops WSL's reader. Fixing or removing the line would make the
    // keys below it readable again, which changes them as the reader gets
    // them: writer.md §7.3 point 3 refuses the edit (WRT003).
    refused(
        "[wsl2]⏎macAddress=4GB⏎memory=1GB⏎",
        &["set", "wsl2.macAddress", "00-15-5d-01-02-03"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    refused(
        "[wsl2]⏎macAddress=4GB⏎memory=1GB⏎",
        &["unset", "wsl2.macAddress"],
        Dialect::Seed,
        &[DiagId::WRT003],
    );
    // With nothing below it, the line can be fixed.
    example(
        "[wsl2]⏎macAddress=4GB⏎",
        &["set", "wsl2.macAddress", "00-15-5d-01-02-03"],
        "[wsl2]⏎macAddress=00:15:5D:01:02:03⏎",
    );
    // A key below the invalid line can be edited too.
    example(
        "[wsl2]⏎macAddress=4GB⏎memory=1GB⏎",
        &["set", "wsl2.memory", "2GB"],
        "[wsl2]⏎macAddress=4GB⏎memory=2147483648⏎",
    );
}

#[test]
fn set_then_unset_around_an_indented_header_with_a_comment() {
    // W4 leaves the header's indentation on a line of its own and W6 moves
    // its comment: the file reads the same as before, with more line breaks.
    let before = "␣␣[wsl2]⏎\t[experimental]#c";
    let with = "␣␣[wsl2]⏎\t⏎kernel=C:\\\\k⏎⏎[experimental]#c";
    example(before, &["set", "wsl2.kernel", "C:\\k"], with);
    example(with, &["unset", "wsl2.kernel"], "␣␣[wsl2]⏎\t⏎⏎[experimental]⏎#c");
}
