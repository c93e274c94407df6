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

/// A pipe the profile gives, or `\\.\pipe\{<v5 of "<machine id>/pipe/<name>">}`.
fn pipe(given: &Option<String>, machine_id: &str, name: &str) -> String {
    match given {
        Some(p) => p.clone(),
        None => format!(r"\\.\pipe\{{{}}}", v5(&format!("{machine_id}/pipe/{name}"))),
    }
}

/// Every named pipe of the VM.
pub fn pipe_names(host: &HostProfile) -> PipeNames {
    let id = host.machine_id();
    let p = &host.pipes;
    PipeNames {
        debug_console: pipe(&p.debug_console, &id, "debugConsole"),
        kernel_debug: pipe(&p.kernel_debug, &id, "kernelDebug"),
        dmesg_early: pipe(&p.dmesg_early, &id, "dmesgEarly"),
        dmesg_virtio: pipe(&p.dmesg_virtio, &id, "dmesgVirtio"),
        telemetry: pipe(&p.telemetry, &id, "telemetry"),
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
}
