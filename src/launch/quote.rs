//! POSIX shell quoting for `--dry-run`: every printed line is a command a shell runs as the same
//! argument vector.

/// One argument, quoted only when a shell would otherwise split or interpret it.
pub fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// A whole argument vector on one line.
pub fn line<S: AsRef<str>>(argv: &[S]) -> String {
    argv.iter().map(|a| quote(a.as_ref())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("-m"), "-m");
        assert_eq!(quote("size=512M,share=on"), "size=512M,share=on");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(r"initrd=\initrd.img"), r"'initrd=\initrd.img'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(line(&["qemu", "-append", "a b"]), "qemu -append 'a b'");
    }

    #[test]
    fn a_shell_reads_the_line_back_as_the_same_vector() {
        let argv = ["printf", "%s\\n", "a b", "it's", "", "$HOME", "x;y", "\\", "\"q\""];
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(line(&argv))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let expected: String = argv[2..].iter().map(|a| format!("{a}\n")).collect();
        assert_eq!(text, expected);
    }
}
