//! Runtime identities that upstream makes random (passes.md §1.5), derived
//! deterministically when the profile does not give them: never from a clock
//! or a random generator, so the same inputs give the same plan everywhere.

use super::HostProfile;
use crate::passes::vm::PipeNames;
use uuid::Uuid;

/// A name-based (version 5, SHA-1) UUID in the URL namespace, lowercase.
fn v5(text: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, text.as_bytes())
        .hyphenated()
        .to_string()
}

/// Normalises a GUID given with or without braces, in either case, to
/// lowercase without braces.
pub fn bare_lower(guid: &str) -> String {
    guid.trim().trim_matches(|c| c == '{' || c == '}').to_ascii_lowercase()
}

/// The pipes derived from a machine id, in the order of [`PIPES`].
type Derived = [String; 5];

/// The names of the derived pipes.
const PIPES: [&str; 5] = ["debugConsole", "kernelDebug", "dmesgEarly", "dmesgVirtio", "telemetry"];

/// `\\.\pipe\{<v5 of "<machine id>/pipe/<name>">}` for every name of [`PIPES`].
/// Each costs a SHA-1, and every compilation for one host asks for the same
/// ones, so the last machine id's pipes are kept per thread (a pure function
/// of the id either way).
fn derived_pipes(machine_id: &str) -> Derived {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, Derived)>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((id, pipes)) = &*last
            && id == machine_id
        {
            return pipes.clone();
        }
        let pipes = PIPES.map(|name| format!(r"\\.\pipe\{{{}}}", v5(&format!("{machine_id}/pipe/{name}"))));
        *last = Some((machine_id.to_owned(), pipes.clone()));
        pipes
    })
}

/// Every named pipe of the VM: the profile's, else derived.
pub fn pipe_names(host: &HostProfile) -> PipeNames {
    let p = &host.pipes;
    let [debug_console, kernel_debug, dmesg_early, dmesg_virtio, telemetry] = derived_pipes(&host.machine_id());
    let pick = |given: &Option<String>, derived: String| given.clone().unwrap_or(derived);
    PipeNames {
        debug_console: pick(&p.debug_console, debug_console),
        kernel_debug: pick(&p.kernel_debug, kernel_debug),
        dmesg_early: pick(&p.dmesg_early, dmesg_early),
        dmesg_virtio: pick(&p.dmesg_virtio, dmesg_virtio),
        telemetry: pick(&p.telemetry, telemetry),
        debug_shell: format!(r"\\.\pipe\wsl_debugshell_{}", host.user.sid),
    }
}

/// The fixed drives in ascending letter order, each with its virtiofs tag:
/// the profile's `virtiofs.tags` in order, then derived ones (passes.md §1.5:
/// v5 of `<machine id>/<LETTER>/<admin|user>`). Tags are distinct.
pub fn share_tags(host: &HostProfile) -> Vec<(char, String)> {
    let mut letters: Vec<char> = host
        .fixed_drives
        .iter()
        .filter_map(|d| d.trim().trim_end_matches([':', '\\']).chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    letters.sort_unstable();
    letters.dedup();
    let id = host.machine_id();
    let who = if host.user.elevated { "admin" } else { "user" };
    let mut used = Vec::new();
    letters
        .into_iter()
        .enumerate()
        .map(|(i, letter)| {
            let mut tag = match host.virtiofs.tags.get(i) {
                Some(t) => bare_lower(t),
                None => v5(&format!("{id}/{letter}/{who}")),
            };
            // Keep tags distinct even if the profile repeats one.
            while used.contains(&tag) {
                tag = v5(&format!("{id}/{letter}/{who}/{tag}"));
            }
            used.push(tag.clone());
            (letter, tag)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;

    #[test]
    fn spec_test_vectors() {
        assert_eq!(
            v5("3F2504E0-4F89-11D3-9A0C-0305E82C3301/C/user"),
            "d3dd4197-60ea-56a6-bc0d-5c5fb1274653"
        );
        assert_eq!(
            v5("3F2504E0-4F89-11D3-9A0C-0305E82C3301/C/admin"),
            "d63ba1d1-4721-507a-a6a7-80f6ff6b5759"
        );
    }

    #[test]
    fn default_host_tags_and_pipes() {
        let mut host = HostProfile::default();
        host.fixed_drives = vec!["d".into(), "C".into()];
        host.virtiofs.tags = vec!["{0F8FAD5B-D9CB-469F-A165-70867728950E}".into()];
        let tags = share_tags(&host);
        assert_eq!(tags[0], ('C', "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned()));
        assert_eq!(tags[1].0, 'D');
        let pipes = pipe_names(&host);
        assert!(pipes.dmesg_virtio.starts_with(r"\\.\pipe\{") && pipes.dmesg_virtio.ends_with('}'));
        assert_ne!(pipes.dmesg_virtio, pipes.telemetry);
        assert_eq!(pipes, pipe_names(&host));
    }

    #[test]
    fn derived_pipes_follow_the_machine_id() {
        // The per-thread cache never hands one machine's pipes to another.
        let mut a = HostProfile::default();
        a.vm.id = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}".into();
        let mut b = a.clone();
        b.vm.id = "0F8FAD5B-D9CB-469F-A165-70867728950E".into();
        let expected =
            |h: &HostProfile, name: &str| format!(r"\\.\pipe\{{{}}}", v5(&format!("{}/pipe/{name}", h.machine_id())));
        for h in [&a, &b, &a, &b] {
            let p = pipe_names(h);
            assert_eq!(p.debug_console, expected(h, "debugConsole"));
            assert_eq!(p.kernel_debug, expected(h, "kernelDebug"));
            assert_eq!(p.dmesg_early, expected(h, "dmesgEarly"));
            assert_eq!(p.dmesg_virtio, expected(h, "dmesgVirtio"));
            assert_eq!(p.telemetry, expected(h, "telemetry"));
        }
        let mut given = a.clone();
        given.pipes.telemetry = Some(r"\\.\pipe\mine".into());
        assert_eq!(pipe_names(&given).telemetry, r"\\.\pipe\mine");
        assert_eq!(pipe_names(&given).dmesg_virtio, pipe_names(&a).dmesg_virtio);
    }
}
