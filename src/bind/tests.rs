//! Every worked example of grammar.md §12, plus the diagnostics.md examples
//! that exercise the binder.

use super::*;
use crate::syntax::{Event, parse};

/// Scanner output as text: `key=value@line` for every scanned entry and
/// `ID@line key` for every diagnostic, in file order.
fn scan(input: &str) -> Vec<String> {
    let p = parse(input.as_bytes().to_vec());
    p.events
        .iter()
        .filter_map(|e| match e {
            Event::Entry(en) => Some(format!("{}={}@{}", en.key, en.value, en.line)),
            Event::Syntax(d) => Some(format!("{}@{}", d.id, d.line.unwrap())),
            Event::Section(_) => None,
        })
        .collect()
}

/// Binder diagnostics as `ID@line key`.
fn diags(input: &str, dialect: Dialect) -> Vec<String> {
    let p = parse(input.as_bytes().to_vec());
    bind(&p, dialect)
        .diagnostics
        .iter()
        .map(|d| match &d.detail().key {
            Some(k) => format!("{}@{} {}", d.id, d.line.map_or("-".into(), |l| l.to_string()), k),
            None => format!("{}@{}", d.id, d.line.map_or("-".into(), |l| l.to_string())),
        })
        .collect()
}

fn value_of(input: &str, key: &str) -> Option<Value> {
    let p = parse(input.as_bytes().to_vec());
    bind(&p, Dialect::Seed).config.value(registry::key(key)).cloned()
}

fn cmdline(line: &str) -> Option<String> {
    match value_of(&format!("[wsl2]\n{line}"), "wsl2.kernelCommandLine") {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    }
}

// ----------------------------------------------------------------- §12.1

#[test]
fn s12_1_sections_and_keys() {
    assert_eq!(scan("[wsl2]\nmemory=4GB"), ["wsl2.memory=4GB@2"]);
    assert_eq!(scan("[WSL2]\nMemory = 4GB"), ["WSL2.Memory=4GB@2"]);
    assert_eq!(
        value_of("[WSL2]\nMemory = 4GB", "wsl2.memory"),
        Some(Value::Size(4 << 30))
    );
    assert_eq!(scan("  [wsl2]\n\tprocessors=2"), ["wsl2.processors=2@2"]);
    assert_eq!(diags("x=1\n[wsl2]\nprocessors=2", Dialect::Seed), ["KEY001@1 x"]);
    assert_eq!(
        value_of("x=1\n[wsl2]\nprocessors=2", "wsl2.processors"),
        Some(Value::Int(2))
    );
    assert_eq!(diags("[wsl2]\nfoo=1", Dialect::Seed), ["KEY001@2 wsl2.foo"]);
    assert_eq!(diags("[a1b2]\nk=1", Dialect::Seed), ["KEY001@2 a1b2.k"]);
    assert_eq!(diags("[wsl2] # comment\nfoo=1", Dialect::Seed), ["KEY001@2 wsl2.foo"]);
    assert_eq!(scan("[wsl2]#c\nswap=0"), ["wsl2.swap=0@2"]);
    assert_eq!(diags("[wsl2\nfoo=1", Dialect::Seed), ["SYN002@1", "KEY001@2 foo"]);
    assert_eq!(scan("[2wsl]"), ["SYN001@1"]);
    assert_eq!(scan("[ wsl2]"), ["SYN001@1"]);
    assert_eq!(scan("[ws-l]"), ["SYN002@1"]);
    assert_eq!(scan("[wsl2]]"), ["SYN003@1"]);
    assert_eq!(scan("[wsl2] x"), ["SYN003@1"]);
    assert_eq!(scan("[=b"), ["SYN001@1"]);
    assert_eq!(scan("[wsl2]\n1processors=2"), ["SYN004@2"]);
    assert_eq!(scan("[wsl2]\n;comment"), ["SYN004@2"]);
    assert_eq!(scan("[wsl2]\nNoEqual"), ["SYN005@2"]);
    assert_eq!(scan("[wsl2]\nkernel_cmd=2"), ["SYN005@2"]);
    assert_eq!(scan("[wsl2]\nkernel.commandLine=x"), ["SYN005@2"]);
    assert_eq!(scan("[wsl2]\nk  \t=\t v"), ["wsl2.k=v@2"]);
}

#[test]
fn s12_1_duplicates() {
    assert_eq!(
        diags("[wsl2]\nprocessors=2\nprocessors=3", Dialect::Seed),
        ["KEY002@3 wsl2.processors"]
    );
    assert_eq!(
        value_of("[wsl2]\nprocessors=2\nprocessors=3", "wsl2.processors"),
        Some(Value::Int(2))
    );
    let p = parse(b"[wsl2]\nProcessors=2\nPROCESSORS=3".to_vec());
    let d = &bind(&p, Dialect::Seed).diagnostics[0];
    assert_eq!(d.detail().key.as_deref(), Some("wsl2.PROCESSORS"));
    assert_eq!(d.detail().facts["first_key"], "wsl2.Processors");
    assert_eq!(d.detail().facts["first_line"], 2);
    let mode = "[wsl2]\nnetworkingMode=NAT\n[experimental]\nnetworkingMode=Mirrored";
    assert_eq!(diags(mode, Dialect::Upstream), ["KEY002@4 experimental.networkingMode"]);
    assert_eq!(
        Value::to_json(&value_of(mode, "wsl2.networkingMode").unwrap(), Dialect::Seed),
        "Nat"
    );
    assert_eq!(
        diags("[wsl2]\nprocessors=abc\nprocessors=4", Dialect::Seed),
        ["VAL002@2 wsl2.processors", "KEY002@3 wsl2.processors"]
    );
    assert_eq!(
        value_of("[wsl2]\nprocessors=abc\nprocessors=4", "wsl2.processors"),
        None
    );
    assert_eq!(
        diags("[wsl2]\nprocessors=1\\q\nprocessors=4", Dialect::Seed),
        ["SYN006@2"]
    );
    assert_eq!(
        value_of("[wsl2]\nprocessors=1\\q\nprocessors=4", "wsl2.processors"),
        Some(Value::Int(4))
    );
    assert_eq!(
        diags("[wsl2]\nprocessors=\"4\nprocessors=5", Dialect::Seed),
        ["SYN007@2"]
    );
    assert_eq!(
        value_of("[wsl2]\nprocessors=\"4\nprocessors=5", "wsl2.processors"),
        Some(Value::Int(5))
    );
    assert_eq!(scan("[sec]\nk=1\n[sec]\nk2=2"), ["sec.k=1@2", "sec.k2=2@4"]);
}

// ----------------------------------------------------------------- §12.2

#[test]
fn s12_2_values() {
    let t = |s: &str| Some(s.to_owned());
    assert_eq!(cmdline("kernelCommandLine = quiet splash"), t("quiet splash"));
    assert_eq!(cmdline("kernelCommandLine=   quiet   "), t("quiet"));
    assert_eq!(cmdline("kernelCommandLine=\" quiet \""), t(" quiet "));
    assert_eq!(cmdline("kernelCommandLine=a\" b \"c"), t("a b c"));
    assert_eq!(cmdline("kernelCommandLine=\"a\"b\"c\""), t("abc"));
    assert_eq!(cmdline("kernelCommandLine=a # note"), t("a"));
    assert_eq!(cmdline("kernelCommandLine=a#note"), t("a"));
    assert_eq!(cmdline("kernelCommandLine=\"a # not a note\""), t("a # not a note"));
    assert_eq!(cmdline("kernelCommandLine=a=b[c]"), t("a=b[c]"));
    assert_eq!(cmdline("kernelCommandLine=C:\\\\wsl\\\\k"), t("C:\\wsl\\k"));
    assert_eq!(cmdline("kernelCommandLine=C:\\temp\\new"), t("C:\temp\new"));
    assert_eq!(
        diags("[wsl2]\nkernelCommandLine=C:\\temp\\new", Dialect::Seed),
        Vec::<String>::new()
    );
    assert_eq!(cmdline("kernelCommandLine=C:\\wsl\\k"), None);
    assert_eq!(scan("[wsl2]\nkernelCommandLine=C:\\wsl\\k"), ["SYN006@2"]);
    assert_eq!(cmdline("kernelCommandLine=say \\\"hi\\\""), t("say \"hi\""));
    assert_eq!(cmdline("kernelCommandLine=\"a\\\" b\""), t("a\" b"));
    assert_eq!(cmdline("kernelCommandLine=a\\tb\\\\"), t("a\tb\\"));
    assert_eq!(scan("[wsl2]\nkernelCommandLine=a\\#b"), ["SYN006@2"]);
    assert_eq!(scan("[wsl2]\nkernelCommandLine=\\  x"), ["SYN006@2"]);
    assert_eq!(cmdline("kernelCommandLine="), t(""));
    assert_eq!(cmdline("kernelCommandLine=\"\""), t(""));
    assert_eq!(scan("[wsl2]\nkernelCommandLine=\"unterminated"), ["SYN007@2"]);
    assert_eq!(cmdline("kernelCommandLine=a   \"  \""), t("a     "));
    assert_eq!(cmdline("kernelCommandLine= \"a\"  # x"), t("a"));
    assert_eq!(
        scan("[wsl2]\nkernelCommandLine=one \\\n   two\nk=1"),
        ["wsl2.kernelCommandLine=one    two@3", "wsl2.k=1@4"]
    );
    assert_eq!(
        scan("[wsl2]\nkernelCommandLine=abc\\\nk2=1"),
        ["wsl2.kernelCommandLine=abck2=1@3"]
    );
    assert_eq!(
        scan("[wsl2]\nkernelCommandLine=abc\\\n"),
        ["wsl2.kernelCommandLine=abc@3"]
    );
    assert_eq!(scan("[wsl2]\nkernelCommandLine=abc\\"), ["SYN006@2"]);
    let p = parse(b"[wsl2]\nkernelCommandLine=abc\\".to_vec());
    let Event::Syntax(d) = &p.events[1] else { panic!() };
    assert_eq!(d.detail().value.as_deref(), Some("\u{FFFF}"));
    assert_eq!(cmdline("kernelCommandLine=\"abc \\\n  def\""), t("abc   def"));
    assert_eq!(
        scan("[wsl2]\nkernelCommandLine=1 # c \\\nfoo=1"),
        ["wsl2.kernelCommandLine=1@2", "wsl2.foo=1@3"]
    );
    assert_eq!(
        diags("[wsl2]\nprocessors=a\\\nb", Dialect::Seed),
        ["VAL002@3 wsl2.processors"]
    );
    let p = parse(b"[wsl2]\nprocessors=a\\\nb".to_vec());
    assert_eq!(
        bind(&p, Dialect::Seed).diagnostics[0].detail().value.as_deref(),
        Some("ab")
    );
    assert_eq!(
        diags("[wsl2]\nprocessors=1\\\n\\\n2\nprocessors=3", Dialect::Seed),
        ["KEY002@5 wsl2.processors"]
    );
    let p = parse(b"[wsl2]\nprocessors=1\\\n\\\n2\nprocessors=3".to_vec());
    assert_eq!(bind(&p, Dialect::Seed).diagnostics[0].detail().facts["first_line"], 4);
    assert_eq!(
        value_of("[wsl2]\nprocessors=1\\\n\\\n2\nprocessors=3", "wsl2.processors"),
        Some(Value::Int(12))
    );
}

// ----------------------------------------------------------------- §12.3

#[test]
fn s12_3_lines() {
    assert_eq!(diags("[wsl2]\n\n\n# c\nfoo=1", Dialect::Seed), ["KEY001@5 wsl2.foo"]);
    assert_eq!(
        diags("[sec] # c\n# c2\nk=1 # c\n\nfoo=1", Dialect::Seed),
        ["KEY001@3 sec.k", "KEY001@5 sec.foo"]
    );
    assert_eq!(diags("[wsl2]\n   \t \nfoo=1", Dialect::Seed), ["KEY001@3 wsl2.foo"]);
    assert_eq!(scan("  # indented comment"), Vec::<String>::new());
    assert_eq!(diags("[wsl2]\r\nfoo=1\r\n", Dialect::Seed), ["KEY001@2 wsl2.foo"]);
    assert_eq!(
        scan("[sec]\nk=1\rk2=2\nfoo=1"),
        ["sec.k=1@2", "sec.k2=2@3", "sec.foo=1@4"]
    );
    assert_eq!(scan("[sec]\n\rk=1\nfoo=1"), ["sec.k=1@2", "sec.foo=1@3"]);
    assert_eq!(scan("[sec]\n# c\rk=1\nfoo=1"), ["sec.foo=1@3"]);
    assert_eq!(scan("[sec]\nk=abc\\\rdef"), ["sec.k=abcdef@2"]);
    assert_eq!(value_of("\u{FEFF}[wsl2]\nswap=0", "wsl2.swap"), Some(Value::Size(0)));
    assert_eq!(diags("\u{FEFF}[wsl2]\nswap=0", Dialect::Seed), Vec::<String>::new());
}

// ----------------------------------------------------------------- quirks

#[test]
fn q1_stale_section_prefix() {
    assert_eq!(
        diags("[sec]\n[sex y]\nk=1", Dialect::Seed),
        ["SYN002@2", "KEY001@3 sex.k"]
    );
    assert_eq!(
        diags("[sec]\n[sec y]\nk=1", Dialect::Seed),
        ["SYN002@2", "KEY001@3 sec.k"]
    );
    assert_eq!(
        diags("[wsl2]\n[experimental-x]\nfoo=1", Dialect::Seed),
        ["SYN002@2", "KEY001@3 expe.foo"]
    );
    assert_eq!(
        diags("[wsl2]\n[exp-x]\nfoo=1", Dialect::Seed),
        ["SYN002@2", "KEY001@3 exp"]
    );
    assert_eq!(
        diags("[wsl2]\n[a b]\nprocessors=3", Dialect::Seed),
        ["SYN002@2", "KEY001@3 a"]
    );
    assert_eq!(diags("[wsl2] x\nfoo=1", Dialect::Seed), ["SYN003@1", "KEY001@2 foo"]);
    assert_eq!(diags("[wsl2]\n[9]\nprocessors=3", Dialect::Seed), ["SYN001@2"]);
    assert_eq!(
        value_of("[wsl2]\n[9]\nprocessors=3", "wsl2.processors"),
        Some(Value::Int(3))
    );
    assert_eq!(
        value_of("[wsl2]\n[]\nprocessors=3", "wsl2.processors"),
        Some(Value::Int(3))
    );
}

#[test]
fn q2_lone_cr() {
    // A lone CR in a key name: SYN005; inside an open quote: SYN007.
    assert_eq!(scan("[s]\nke\ry=1\nk=2"), ["SYN005@2", "s.k=2@3"]);
    assert_eq!(scan("[s]\nk=\"a\rb\"\nz=2"), ["SYN007@2", "s.z=2@3"]);
    // A lone CR ends a header and counts as a line end.
    assert_eq!(scan("[s]\rk=1\nz=2"), ["s.k=1@2", "s.z=2@3"]);
}

#[test]
fn q3_q4_non_ascii_and_nul() {
    assert_eq!(cmdline("kernelCommandLine=caf\u{e9}"), Some("caf\u{FFFD}".to_owned()));
    assert_eq!(cmdline("kernelCommandLine=a\u{4e2d}b"), Some("a-b".to_owned()));
    assert_eq!(cmdline("kernelCommandLine=a\u{0}b"), Some("a".to_owned()));
    assert_eq!(cmdline("kernelCommandLine=\u{c3}\u{a9}"), Some("\u{e9}".to_owned()));
}

// ----------------------------------------------------------------- values

#[test]
fn diagnostics_md_examples() {
    let w = |body: &str| format!("[wsl2]\n{body}");
    assert_eq!(
        diags(&w("dhcpTimeout=NotANumber"), Dialect::Seed),
        ["VAL002@2 wsl2.dhcpTimeout"]
    );
    assert_eq!(diags(&w("ipv6=NotABoolean"), Dialect::Seed), ["VAL001@2 wsl2.ipv6"]);
    assert_eq!(diags(&w("swap=/"), Dialect::Seed), ["VAL003@2 wsl2.swap"]);
    assert_eq!(diags(&w("swap=0foo"), Dialect::Seed), ["VAL003@2 wsl2.swap"]);
    assert!(diags(&w("swap=0GB"), Dialect::Seed).is_empty());
    for (body, id) in [
        ("processors=", "VAL002"),
        ("memory=", "VAL003"),
        ("debugConsole=", "VAL001"),
        ("networkingMode=", "VAL004"),
    ] {
        assert_eq!(
            diags(&w(body), Dialect::Seed),
            [format!("{id}@2 wsl2.{}", body.trim_end_matches('='))]
        );
    }
    assert_eq!(
        diags(&w("ipv6=true\nipv6=false"), Dialect::Seed),
        ["KEY002@3 wsl2.ipv6"]
    );
    assert_eq!(
        diags("[experimental]\nignoredPorts=65536", Dialect::Seed),
        ["VAL007@2 experimental.ignoredPorts"]
    );
    assert_eq!(
        diags("[experimental]\ndnsTunnelingIpAddress=1.2.3", Dialect::Seed),
        ["VAL006@2 experimental.dnsTunnelingIpAddress"]
    );
    assert_eq!(
        diags("[experimental]\nswiotlb=garbage", Dialect::Upstream),
        ["VAL003@2 experimental.swiotlb"]
    );
    assert_eq!(
        diags("[experimental]\nswiotlb=garbage", Dialect::Seed),
        ["VAL008@2 experimental.swiotlb"]
    );
    assert_eq!(
        diags("[experimental]\nswiotlb=0x100000000,64g", Dialect::Seed),
        ["VAL008@2 experimental.swiotlb"]
    );
    assert_eq!(
        diags("[experimental]\nswiotlb=0x100000000,64g", Dialect::Upstream),
        ["VAL003@2 experimental.swiotlb"]
    );
}

#[test]
fn enum_lists_follow_the_dialect() {
    let p = parse(b"[wsl2]\nnetworkingMode=InvalidMode".to_vec());
    let up = &bind(&p, Dialect::Upstream).diagnostics[0];
    assert_eq!(
        up.detail().facts["valid_values"],
        serde_json::json!(["Bridged", "Consomme", "Mirrored", "Nat", "None", "VirtioProxy"])
    );
    let seed = &bind(&p, Dialect::Seed).diagnostics[0];
    assert_eq!(
        seed.detail().facts["valid_values"],
        serde_json::json!(["Bridged", "Mirrored", "Nat", "None", "VirtioProxy"])
    );
    // VirtioProxy and Consomme are mode 4 in both dialects, named per dialect.
    for text in ["virtioproxy", "CONSOMME"] {
        let v = value_of(&format!("[wsl2]\nnetworkingMode={text}"), "wsl2.networkingMode").unwrap();
        assert_eq!(v.to_json(Dialect::Seed), "VirtioProxy");
        assert_eq!(v.to_json(Dialect::Upstream), "Consomme");
    }
}

#[test]
fn invalid_mac_is_fatal_and_stops_the_scan() {
    let input = "[wsl2]\nprocessors=x\nmacAddress=00:11\nmemory=bad\n[broken";
    assert_eq!(
        diags(input, Dialect::Seed),
        ["VAL002@2 wsl2.processors", "VAL005@3 wsl2.macAddress"]
    );
    let p = parse(input.as_bytes().to_vec());
    let b = bind(&p, Dialect::Seed);
    assert!(b.config.fatal);
    assert_eq!(b.diagnostics[1].severity, crate::diag::Severity::Error);
}

#[test]
fn invalid_dns_address_switches_tunneling_off_at_that_point() {
    let dns = |input: &str| {
        let p = parse(input.as_bytes().to_vec());
        bind(&p, Dialect::Seed).config.dns_tunneling_scan
    };
    assert_eq!(
        dns("[experimental]\ndnsTunneling=true\ndnsTunnelingIpAddress=x"),
        Some(false)
    );
    assert_eq!(
        dns("[experimental]\ndnsTunnelingIpAddress=x\ndnsTunneling=true"),
        Some(true)
    );
    assert_eq!(dns("[experimental]\ndnsTunnelingIpAddress=1.2.3.4"), None);
}

#[test]
fn port_list_reports_each_bad_piece_with_the_whole_value() {
    let p = parse(b"[experimental]\nignoredPorts=0,22,x,70000".to_vec());
    let b = bind(&p, Dialect::Seed);
    assert_eq!(b.diagnostics.len(), 3);
    assert!(
        b.diagnostics
            .iter()
            .all(|d| d.detail().value.as_deref() == Some("0,22,x,70000") && d.line == Some(2))
    );
    assert_eq!(
        b.config.values_json()["experimental.ignoredPorts"],
        serde_json::json!([22])
    );
}

#[test]
fn values_use_canonical_names_and_encodings() {
    let input = "[WSL2]\nMEMORY=4GB\nmacAddress=00-15-5d-01-02-03\n[experimental]\nfirewall=false\nswiotlb=0X1F,64m\nautoMemoryReclaim=gradual";
    let p = parse(input.as_bytes().to_vec());
    let v = bind(&p, Dialect::Seed).config.values_json();
    assert_eq!(
        serde_json::Value::Object(v),
        serde_json::json!({
            "wsl2.memory": 4294967296u64,
            "wsl2.macAddress": "00:15:5D:01:02:03",
            "wsl2.firewall": false,
            "experimental.swiotlb": "0X1F,64m",
            "experimental.autoMemoryReclaim": "Gradual",
        })
    );
}

#[test]
fn unknown_key_suggestions() {
    let help = |input: &str| {
        let p = parse(input.as_bytes().to_vec());
        bind(&p, Dialect::Seed).diagnostics[0].clone()
    };
    let d = help("[wsl2]\nlocahostForwarding=true");
    assert_eq!(d.detail().facts["suggestion"], "wsl2.localhostForwarding");
    let d = help("[ws12]\nmemory=4GB");
    assert_eq!(d.detail().facts["suggestion"], "wsl2.memory");
    let d = help("[wsl2]\nautoMemoryReclaim=gradual");
    assert_eq!(d.detail().facts["suggestion"], "experimental.autoMemoryReclaim");
    assert!(d.detail().help.as_deref().unwrap().contains("[experimental]"));
    let d = help("[wsl2]\npageReporting=false");
    assert_eq!(d.detail().facts["retired"], true);
    let d = help("[boot]\nsystemd=true");
    assert_eq!(d.detail().facts["wsl_conf"], true);
    let d = help("memory=4GB\n[wsl2]");
    assert_eq!(d.detail().facts["suggestion"], "wsl2.memory");
    assert!(d.detail().help.as_deref().unwrap().contains("before any section"));
}

/// The length-bucketed lookup answers exactly like `registry::lookup`, for
/// every name and alias in every case, and for near misses.
#[test]
fn fast_lookup_agrees_with_the_registry() {
    let mut probes: Vec<String> = vec![String::new(), ".".into(), "x".into(), "wsl2.".into()];
    for n in registry::KEYS.iter().flat_map(|k| k.names.iter()) {
        probes.push(n.to_string());
        probes.push(n.to_ascii_uppercase());
        probes.push(n.to_ascii_lowercase());
        probes.push(format!("{n}x"));
        probes.push(n[..n.len() - 1].to_owned());
        probes.push(registry::leaf_of(n).to_owned());
    }
    for p in &probes {
        assert_eq!(super::lookup(p), registry::lookup(p), "{p}");
    }
}

/// `suggest::nearest` with its bag-distance filter answers exactly like the
/// plain search over every name (the filter only skips names whose distance
/// is over the limit anyway), on every name with one or two edits.
#[test]
fn nearest_unchanged_by_the_bag_filter() {
    fn plain(written: &str) -> Option<&'static str> {
        let lower = written.to_ascii_lowercase();
        let limit = |n: &str| 3.min(n.len() / 4).max(1);
        registry::KEYS
            .iter()
            .flat_map(|k| k.names.iter().copied())
            .filter(|n| lower.len().abs_diff(n.len()) <= limit(n))
            .map(|n| (strsim::osa_distance(&lower, &n.to_ascii_lowercase()), n))
            .filter(|(d, n)| *d <= limit(n))
            .min()
            .map(|(_, n)| n)
    }
    let mut probes: Vec<String> = vec![String::new(), "x".into(), "wsl2.memroy".into(), "é".into()];
    for n in registry::KEYS.iter().flat_map(|k| k.names.iter()) {
        let b = n.as_bytes();
        for i in 0..b.len() {
            let mut del = b.to_vec();
            del.remove(i);
            let mut sub = b.to_vec();
            sub[i] = b'q';
            let mut ins = b.to_vec();
            ins.insert(i, b'z');
            let mut two = sub.clone();
            two.remove(0);
            for p in [del, sub, ins, two] {
                probes.push(String::from_utf8(p).unwrap());
            }
            if i + 1 < b.len() {
                let mut swap = b.to_vec();
                swap.swap(i, i + 1);
                probes.push(String::from_utf8(swap).unwrap());
            }
        }
        probes.push(n.to_ascii_uppercase());
    }
    for p in &probes {
        assert_eq!(suggest::nearest(p), plain(p), "{p}");
    }
}

#[test]
fn bag_distance_is_a_lower_bound_of_osa() {
    let words = [
        "",
        "a",
        "ab",
        "ba",
        "abc",
        "memory",
        "memroy",
        "wsl2.memory",
        "wsl2.swap",
        "kernel",
        "xyz",
    ];
    for a in words {
        for b in words {
            let bag = suggest::bag_distance(a.as_bytes(), b.as_bytes());
            assert!(bag <= strsim::osa_distance(a, b), "{a} {b}");
        }
    }
    assert_eq!(suggest::bag_distance(b"memory", b"memroy"), 0);
    assert_eq!(suggest::bag_distance(b"abc", b"xbc"), 1);
    assert_eq!(suggest::bag_distance(b"abc", b"abcde"), 2);
}
