//! Did-you-mean help for unknown keys (KEY001): a retired key, a key in the
//! wrong section, a `/etc/wsl.conf` key, a key before any section, or the
//! nearest known name.

use crate::diag::Detail;
use crate::registry::{self, KEYS, RETIRED, WSL_CONF_SECTIONS, leaf_of, section_of};
use std::sync::OnceLock;

pub fn unknown_key(d: &mut Detail, written: &str, in_section: bool) {
    if in_section && !written.contains('.') {
        d.add_help("a section header above failed and left WSL's section buffer garbled (WSL quirk Q1), so this key's name lost its section; fix the header above");
        return;
    }
    let (section, leaf) = match written.split_once('.') {
        Some((s, l)) if in_section => (s, l),
        _ => ("", written),
    };
    if let Some(r) = RETIRED
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(written) || leaf_of(r.name).eq_ignore_ascii_case(leaf))
    {
        d.add_help(r.note);
        d.facts.insert("retired", true);
        return;
    }
    let same_leaf = KEYS
        .iter()
        .flat_map(|k| k.names.iter().copied())
        .find(|n| leaf_of(n).eq_ignore_ascii_case(leaf));
    if let Some(target) = same_leaf {
        let canonical = super::lookup(target).expect("a table name").spec().name();
        let home = section_of(canonical);
        if section.is_empty() {
            d.add_help(format!(
                "every setting lives in a section and this key comes before any section header; `{leaf}` belongs in `[{home}]`"
            ));
        } else if WSL_CONF_SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(section)) || !is_known_section(section) {
            d.add_help(format!(
                "`[{section}]` is not a .wslconfig section; `{leaf}` belongs in `[{home}]`"
            ));
        } else {
            d.add_help(format!(
                "this key belongs in `[{home}]`, not in `[{section}]`: move the line below a `[{home}]` header"
            ));
        }
        d.facts.insert("suggestion", canonical);
        return;
    }
    if let Some(s) = WSL_CONF_SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(section)) {
        d.add_help(format!(
            "`[{s}]` is a section of `/etc/wsl.conf`, the per-distribution file inside Linux; .wslconfig (the Windows-side file) does not read it. Move this setting to `/etc/wsl.conf` in the distribution"
        ));
        d.facts.insert("wsl_conf", true);
        return;
    }
    if let Some(name) = nearest(written) {
        d.add_help(format!("did you mean `{name}`?"));
        d.facts.insert("suggestion", name);
        return;
    }
    if section.is_empty() {
        d.add_help("every setting lives in a section such as `[wsl2]` or `[experimental]`; WSL ignores keys before the first section header");
    } else if !is_known_section(section) {
        d.add_help(format!(
            "`[{section}]` is not a .wslconfig section; the sections are `[wsl2]`, `[experimental]` and `[general]`"
        ));
    } else {
        d.add_help("see `wslcfg keys` for the settings WSL knows");
    }
}

/// The nearest key name (or alias), compared ignoring case, when it is close.
pub fn nearest(written: &str) -> Option<&'static str> {
    // Every key name (and alias) in table order, with its lowercase form.
    static NAMES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        KEYS.iter()
            .flat_map(|k| k.names.iter().map(|&n| (n, n.to_ascii_lowercase())))
            .collect()
    });
    let lower = written.to_ascii_lowercase();
    let ascii = lower.is_ascii();
    let limit = |n: &str| 3.min(n.len() / 4).max(1);
    names
        .iter()
        // The distance is at least the difference of the lengths, and at
        // least the bag distance: skip the hopeless.
        .filter(|(n, _)| lower.len().abs_diff(n.len()) <= limit(n))
        .filter(|(n, n_lower)| !ascii || bag_distance(lower.as_bytes(), n_lower.as_bytes()) <= limit(n))
        .map(|(n, n_lower)| (strsim::osa_distance(&lower, n_lower), *n))
        .filter(|(d, n)| *d <= limit(n))
        .min()
        .map(|(_, n)| n)
}

/// The bag distance of two ASCII strings: the larger of the number of
/// characters of `a` not matched in `b` and of `b` not matched in `a`, as
/// multisets. Every edit of the OSA distance (insertion, deletion,
/// substitution, adjacent transposition) changes it by at most one, so it is
/// a lower bound of that distance, and a cheap one.
pub(crate) fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut count = [0i32; 128];
    for &c in a {
        count[(c & 0x7F) as usize] += 1;
    }
    for &c in b {
        count[(c & 0x7F) as usize] -= 1;
    }
    let (mut only_a, mut only_b) = (0, 0);
    for &c in a.iter().chain(b) {
        let v = std::mem::take(&mut count[(c & 0x7F) as usize]);
        if v > 0 {
            only_a += v as usize;
        } else {
            only_b += (-v) as usize;
        }
    }
    only_a.max(only_b)
}

/// The nearest section name, for a header that names no section.
pub fn nearest_section(written: &str) -> Option<&'static str> {
    let lower = written.to_ascii_lowercase();
    registry::sections()
        .into_iter()
        .map(|s| (strsim::osa_distance(&lower, s), s))
        .filter(|(d, s)| *d <= 2.min(s.len() / 3).max(1))
        .min()
        .map(|(_, s)| s)
}

pub fn is_known_section(section: &str) -> bool {
    // The section part of every key name and alias, once each.
    static SECTIONS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let sections = SECTIONS.get_or_init(|| {
        let mut sections: Vec<&'static str> = Vec::new();
        for n in KEYS.iter().flat_map(|k| k.names.iter()) {
            let s = section_of(n);
            if !sections.contains(&s) {
                sections.push(s);
            }
        }
        sections
    });
    sections.iter().any(|s| s.eq_ignore_ascii_case(section))
}
