//! Property tests of `set` and `unset` (writer.md principle 5, §7.3) on
//! generated files built from the lines that matter to the writer: valid
//! and failed headers (quirk Q1 included), key lines under every alias with
//! comments, quotes, escapes, bad escapes, unterminated quotes and
//! continuations, blank and whitespace-only lines, comments and invalid
//! lines, with LF or CR LF line breaks, with or without a final line break
//! and a byte order mark.
//!
//! Checked independently of the writer's own read-back:
//! * `set K V` succeeds (the only refusal allowed is an append after a
//!   dangling escape) and the file then reads K as V, every other key as
//!   before, with no diagnostic the old file did not have;
//! * bytes outside the edit are kept: a replacement changes one stretch of
//!   the file, an insertion removes nothing but line breaks;
//! * `unset K` removes every line of K: K reads as unset, a second `unset`
//!   changes nothing, every other key keeps its value, no diagnostic is added;
//! * `set K V` then `unset K`, for a K the file did not have, gives back the
//!   same parsed values and the same diagnostics;
//! * the line diff behind `--dry-run` is a shortest edit script.

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use wslcfg::bind::{self, Bound};
use wslcfg::diag::DiagId;
use wslcfg::edit::{self, EditOptions, Eol, Op, Request};
use wslcfg::registry::{self, Dialect, KEYS, KeyId};
use wslcfg::syntax;

fn bound(bytes: &[u8], dialect: Dialect) -> Bound {
    bind::bind(&syntax::parse(bytes.to_vec()), dialect)
}

/// Every key's reading: the scanned text and the parsed value.
fn readings(b: &Bound) -> Vec<Option<(String, Option<serde_json::Value>)>> {
    registry::ids()
        .map(|id| {
            b.config
                .setting(id)
                .map(|s| (s.raw.to_string(), s.value.as_ref().map(|v| v.to_json(b.config.dialect))))
        })
        .collect()
}

fn facts(b: &Bound) -> Vec<(DiagId, Option<String>, Option<String>)> {
    let mut f: Vec<_> = b
        .diagnostics
        .iter()
        .map(|d| (d.id, d.detail().key.clone(), d.detail().value.clone()))
        .collect();
    f.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    f
}

/// `new` has no diagnostic that `old` lacks (multisets).
fn no_new_diagnostic(old: &Bound, new: &Bound) -> Result<(), String> {
    let mut before = facts(old);
    for f in facts(new) {
        match before.iter().position(|b| *b == f) {
            Some(i) => {
                before.remove(i);
            }
            None => return Err(format!("new diagnostic {f:?}")),
        }
    }
    Ok(())
}

fn run(bytes: &[u8], request: &Request, dialect: Dialect) -> Result<Vec<u8>, Vec<DiagId>> {
    let options = EditOptions {
        dialect,
        eol: Eol::Auto,
    };
    edit::edit("F", Some(bytes.to_vec()), request, &options)
        .map(|e| e.after.expect("an existing file stays"))
        .map_err(|r| r.diagnostics.iter().map(|d| d.id).collect())
}

// ------------------------------------------------------------ generators

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[wsl2]".to_owned()),
        Just("[WSL2]".to_owned()),
        Just("[experimental]".to_owned()),
        Just("[Experimental] # later".to_owned()),
        Just("[general]".to_owned()),
        Just("[wsl]".to_owned()),
        Just("[ws]".to_owned()),
        Just("[exp]".to_owned()),
        Just("  [wsl2]".to_owned()),
        Just("\t[experimental]#c".to_owned()),
        Just("[boot]".to_owned()),
        Just("[wsl2 x]".to_owned()),
        Just("[experimental-x]".to_owned()),
        Just("[ wsl2]".to_owned()),
        Just("[wsl2]]".to_owned()),
        Just("[".to_owned()),
    ]
}

/// A key as a file might spell it: the leaf of any registry name (any
/// letter case), or something unknown.
fn key_name() -> impl Strategy<Value = String> {
    let leaves: Vec<String> = KEYS
        .iter()
        .flat_map(|k| k.names.iter())
        .map(|n| n.split_once('.').unwrap().1.to_owned())
        .collect();
    prop_oneof![
        4 => proptest::sample::select(leaves),
        1 => proptest::sample::select(leaves_upper()),
        1 => Just("foo".to_owned()),
    ]
}

fn leaves_upper() -> Vec<String> {
    ["MEMORY", "Swap", "NetworkingMode", "kernelcommandline", "SPARSEVHD"]
        .map(str::to_owned)
        .to_vec()
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("4GB".to_owned()),
        Just("0".to_owned()),
        Just("true".to_owned()),
        Just("nat".to_owned()),
        Just("mirrored".to_owned()),
        Just("8".to_owned()),
        Just("".to_owned()),
        Just("abc".to_owned()),
        Just("\"a # b\"".to_owned()),
        Just("C:\\\\wsl\\\\k".to_owned()),
        Just("C:\\wsl\\k".to_owned()),
        Just("C:\\temp\\new".to_owned()),
        Just("\"unterminated".to_owned()),
        Just("quiet \\\n  splash".to_owned()),
        Just("one \\\n".to_owned()),
        Just("a\\w \\\nnext".to_owned()),
        Just("\" spaced \"".to_owned()),
        Just("x\\\"y".to_owned()),
        Just("80,443".to_owned()),
        Just("00:15:5D:01:02:03".to_owned()),
    ]
}

fn key_line() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("  "), Just("\t")],
        key_name(),
        prop_oneof![Just("="), Just(" = "), Just("=  ")],
        value_text(),
        prop_oneof![Just(""), Just(" # note"), Just("#glued"), Just("   ")],
    )
        .prop_map(|(lead, k, eq, v, tail)| format!("{lead}{k}{eq}{v}{tail}"))
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => header(),
        6 => key_line(),
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
        1 => Just("# comment".to_owned()),
        1 => Just("gpu".to_owned()),
        1 => Just(";x=1".to_owned()),
        1 => Just("memory 4GB".to_owned()),
    ]
}

fn file() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(line(), 0..14),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_break, bom)| {
            let mut text = lines.join("\n");
            if final_break && !text.is_empty() {
                text.push('\n');
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            bytes.extend(text.into_bytes());
            bytes
        })
}

/// A key and a valid value for it, as a person would type it.
fn assignment() -> impl Strategy<Value = (KeyId, String)> {
    let keys: Vec<KeyId> = registry::ids().collect();
    (proptest::sample::select(keys), 0usize..4).prop_map(|(key, pick)| {
        use wslcfg::registry::ValueType as T;
        let choices: &[&str] = match key.spec().ty {
            T::Bool => &["true", "FALSE", "1", "0"],
            T::Int => &["4", "0x10", "-1", "010"],
            T::MemorySize => &["8GB", "0", "512", "+5M"],
            T::String => &["quiet # x", "a \"b\"", " lead", ""],
            T::Path => &["C:\\Users\\me\\k", "D:\\wsl #2\\s.vhdx", "C:/k ", ""],
            T::Enum(table) => {
                return (key, table.names[pick % table.names.len()].name.to_ascii_lowercase());
            }
            T::MacAddress => &["00-15-5d-0a-0b-0c", "00:15:5D:01:02:03"],
            T::Ipv4 => &["10.0.0.1", "1.2.3.4"],
            T::PortList => &["80,443", "22", "80, 443"],
            T::Swiotlb => &["64MB", "0x40000000,64M", "0"],
        };
        (key, choices[pick % choices.len()].to_owned())
    })
}

fn dialect() -> impl Strategy<Value = Dialect> {
    prop_oneof![Just(Dialect::Seed), Just(Dialect::Upstream)]
}

// ---------------------------------------------------------------- tests

/// The one stretch of `old` that `new` replaced: (prefix, removed, inserted).
fn changed<'a>(old: &'a [u8], new: &'a [u8]) -> (usize, &'a [u8], &'a [u8]) {
    let p = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_s = old.len().min(new.len()) - p;
    let s = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    (p, &old[p..old.len() - s], &new[p..new.len() - s])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn set_reads_back_and_keeps_everything_else(
        bytes in file(),
        (key, typed) in assignment(),
        dialect in dialect(),
    ) {
        let request = Request::set(key.spec().name(), &typed, dialect).expect("generated values are valid");
        let Op::Set(rendered) = &request.op else { unreachable!() };
        let old = bound(&bytes, dialect);
        let absent = run(&bytes, &Request::unset(key.spec().name()).unwrap(), dialect).as_deref() == Ok(&bytes[..]);
        let new_bytes = match run(&bytes, &request, dialect) {
            Ok(b) => b,
            Err(ids) => {
                // Only an append after a dangling escape may be refused.
                prop_assert_eq!(ids, vec![DiagId::WRT003]);
                prop_assert!(bytes.ends_with(b"\\"), "refused without a dangling escape");
                return Ok(());
            }
        };
        if old.config.fatal {
            // An invalid MAC address stops the reader: the readings below it
            // are not comparable (the writer compares key by key).
            return Ok(());
        }
        let new = bound(&new_bytes, dialect);
        let got = new.config.value(key).map(|v| v.to_json(dialect));
        prop_assert_eq!(got, Some(rendered.value.to_json(dialect)));
        let (before, after) = (readings(&old), readings(&new));
        for id in registry::ids().filter(|&id| id != key) {
            prop_assert_eq!(&before[id.0 as usize], &after[id.0 as usize], "{} changed", id.spec().name());
        }
        if let Err(e) = no_new_diagnostic(&old, &new) {
            prop_assert!(false, "{}", e);
        }
        let (_, removed, inserted) = changed(&bytes, &new_bytes);
        if absent {
            // A new line: only line breaks go, and the line is in the new text.
            prop_assert!(removed.iter().all(|b| *b == b'\n' || *b == b'\r'), "removed {:?}", removed);
            let line = format!("{}={}", key.spec().leaf(), rendered.text);
            prop_assert!(String::from_utf8_lossy(inserted).contains(&line));
        } else {
            // A replacement: the new value and nothing more.
            prop_assert!(String::from_utf8_lossy(&new_bytes).contains(&rendered.text));
            prop_assert!(!removed.contains(&b'\n') || String::from_utf8_lossy(removed).contains('\\') || removed.contains(&b'"'),
                "a replacement removed a line break it does not own: {:?}", String::from_utf8_lossy(removed));
        }
    }

    #[test]
    fn unset_removes_every_line_of_the_key(
        bytes in file(),
        (key, _) in assignment(),
        dialect in dialect(),
    ) {
        let request = Request::unset(key.spec().name()).unwrap();
        let new_bytes = run(&bytes, &request, dialect).expect("unset never refuses a file without lone CRs");
        let again = run(&new_bytes, &request, dialect).expect("unset again");
        prop_assert_eq!(&again, &new_bytes, "a second unset changed the file");
        let old = bound(&bytes, dialect);
        if old.config.fatal {
            return Ok(());
        }
        let new = bound(&new_bytes, dialect);
        prop_assert!(new.config.setting(key).is_none());
        let (before, after) = (readings(&old), readings(&new));
        for id in registry::ids().filter(|&id| id != key) {
            prop_assert_eq!(&before[id.0 as usize], &after[id.0 as usize], "{} changed", id.spec().name());
        }
        if let Err(e) = no_new_diagnostic(&old, &new) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn set_then_unset_of_an_absent_key_gives_back_the_same_reading(
        bytes in file(),
        (key, typed) in assignment(),
        dialect in dialect(),
    ) {
        let unset = Request::unset(key.spec().name()).unwrap();
        prop_assume!(run(&bytes, &unset, dialect).as_deref() == Ok(&bytes[..]));
        let set = Request::set(key.spec().name(), &typed, dialect).unwrap();
        let Ok(with) = run(&bytes, &set, dialect) else { return Ok(()) };
        let without = run(&with, &unset, dialect).expect("unset");
        let (old, new) = (bound(&bytes, dialect), bound(&without, dialect));
        prop_assert_eq!(readings(&old), readings(&new));
        prop_assert_eq!(facts(&old), facts(&new));
        // What may remain (writer.md §3.3, §3.4, §4 W6): line breaks (blank
        // lines, a header comment moved to a line of its own) and the
        // header `set` appended.
        let strip = |b: &[u8]| String::from_utf8_lossy(b).replace(['\r', '\n'], "");
        let (before, after) = (strip(&bytes), strip(&without));
        let header = format!("[{}]", key.spec().section());
        prop_assert!(after == before || after == before.clone() + &header, "{:?} became {:?}", before, after);
    }
}

/// The length of a longest common subsequence (dynamic programming).
fn lcs(a: &[u8], b: &[u8]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    row[b.len()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The `--dry-run` diff: the script walks both sequences in order, and it
    /// is a shortest one (as many unchanged items as a longest common subsequence).
    #[test]
    fn line_diff_is_a_shortest_edit_script(
        a in proptest::collection::vec(0u8..4, 0..24),
        b in proptest::collection::vec(0u8..4, 0..24),
    ) {
        use wslcfg::edit::udiff::{Step, diff};
        let steps = diff(&a, &b);
        let (mut i, mut j, mut same) = (0, 0, 0);
        for s in &steps {
            match *s {
                Step::Same(x, y) => {
                    prop_assert_eq!((x, y), (i, j));
                    prop_assert_eq!(a[x], b[y]);
                    i += 1;
                    j += 1;
                    same += 1;
                }
                Step::Removed(x) => {
                    prop_assert_eq!(x, i);
                    i += 1;
                }
                Step::Added(y) => {
                    prop_assert_eq!(y, j);
                    j += 1;
                }
            }
        }
        prop_assert_eq!((i, j), (a.len(), b.len()));
        prop_assert_eq!(same, lcs(&a, &b));
    }
}
