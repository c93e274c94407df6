//! The server's settings: dialect and host profile.
//!
//! Three sources, each field taken from the first that gives it:
//!
//! 1. the workspace configuration, section `wslcfg` (answers to the server's
//!    `workspace/configuration` request, or a `workspace/didChangeConfiguration`
//!    that carries the settings);
//! 2. the client's `initializationOptions`;
//! 3. nothing given: the seed dialect, and for the host the file
//!    `.wslcfg-host.json` in the workspace root when it exists, else the
//!    embedded default profile.
//!
//! Fields (under a `wslcfg` object, or at the top level of the options):
//! `dialect` (`"seed"` or `"upstream"`), `host` (a host-profile JSON path,
//! relative to the workspace root unless absolute), `hostSet` (overrides
//! `"path=value"` as for `--host-set`, applied in order after the profile;
//! an object `{ "path": value }` is accepted too).
//!
//! A setting that cannot be used is reported to the user (the server shows
//! each message as an error) and ignored: a bad host file gives the embedded
//! default (the overrides still apply), a bad override is skipped, an unknown
//! dialect is the seed dialect.

use crate::host::{self, HostProfile};
use crate::lint::LintOptions;
use crate::registry::Dialect;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The name of the host profile looked up in the workspace root.
pub const WORKSPACE_HOST_FILE: &str = ".wslcfg-host.json";

/// One source's settings; `None`: this source does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub dialect: Option<String>,
    pub host: Option<String>,
    pub host_set: Option<Vec<String>>,
}

impl Settings {
    /// Reads `{"wslcfg": {...}}` or the fields at the top level. Anything
    /// that is not an object, and fields of the wrong type, say nothing.
    pub fn from_json(value: Option<&Value>) -> Settings {
        let Some(Value::Object(map)) = value else {
            return Settings::default();
        };
        let map = match map.get("wslcfg") {
            Some(Value::Object(inner)) => inner,
            _ => map,
        };
        let string = |name: &str| match map.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let host_set = match map.get("hostSet") {
            Some(Value::Array(items)) => Some(items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
            Some(Value::Object(pairs)) => Some(
                pairs
                    .iter()
                    .map(|(path, v)| match v {
                        Value::String(s) => format!("{path}={s}"),
                        other => format!("{path}={other}"),
                    })
                    .collect(),
            ),
            Some(Value::String(s)) if !s.is_empty() => Some(vec![s.clone()]),
            _ => None,
        };
        Settings {
            dialect: string("dialect"),
            host: string("host"),
            host_set,
        }
    }

    /// Each field from `self`, else from `fallback`.
    pub fn or(&self, fallback: &Settings) -> Settings {
        Settings {
            dialect: self.dialect.clone().or_else(|| fallback.dialect.clone()),
            host: self.host.clone().or_else(|| fallback.host.clone()),
            host_set: self.host_set.clone().or_else(|| fallback.host_set.clone()),
        }
    }
}

/// Where the host profile came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostSource {
    Embedded,
    /// The `host` setting.
    Setting(PathBuf),
    /// `.wslcfg-host.json` in the workspace root.
    Workspace(PathBuf),
}

/// The lint options the settings give, with what went wrong on the way.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub options: LintOptions,
    pub host_source: HostSource,
    /// One message per setting that could not be used.
    pub errors: Vec<String>,
}

/// Turns settings into lint options (see the module documentation).
pub fn resolve(settings: &Settings, root: Option<&Path>) -> Resolved {
    let mut errors = Vec::new();
    let dialect = match settings.dialect.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("seed") => Dialect::Seed,
        Some("upstream") => Dialect::Upstream,
        Some(other) => {
            errors.push(format!(
                "wslcfg.dialect: `{other}` is not a dialect (`seed` or `upstream`); using `seed`"
            ));
            Dialect::Seed
        }
    };

    let (mut host, host_source) = match &settings.host {
        Some(path) => {
            let path = match root {
                Some(root) if Path::new(path).is_relative() => root.join(path),
                _ => PathBuf::from(path),
            };
            match load_host(&path) {
                Ok(profile) => (profile, HostSource::Setting(path)),
                Err(e) => {
                    errors.push(format!("wslcfg.host: {e}; using the embedded default host profile"));
                    (HostProfile::default(), HostSource::Embedded)
                }
            }
        }
        None => match root.map(|r| r.join(WORKSPACE_HOST_FILE)).filter(|p| p.is_file()) {
            Some(path) => match load_host(&path) {
                Ok(profile) => (profile, HostSource::Workspace(path)),
                Err(e) => {
                    errors.push(format!("{e}; using the embedded default host profile"));
                    (HostProfile::default(), HostSource::Embedded)
                }
            },
            None => (HostProfile::default(), HostSource::Embedded),
        },
    };
    for assignment in settings.host_set.iter().flatten() {
        if let Err(e) = host::set(&mut host, assignment) {
            let help = e.help_text().map(|h| format!(" ({h})")).unwrap_or_default();
            errors.push(format!("wslcfg.hostSet: {e}{help}; ignored"));
        }
    }
    Resolved {
        options: LintOptions {
            dialect,
            host,
            ..LintOptions::default()
        },
        host_source,
        errors,
    }
}

/// Reads and checks a host file (the same loader as `--host`).
fn load_host(path: &Path) -> Result<HostProfile, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the host profile `{shown}`: {e}"))?;
    host::from_json(&text, &shown).map_err(|e| {
        let help = e.help_text().map(|h| format!(" ({h})")).unwrap_or_default();
        format!("{e}{help}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_or_flat_and_precedence() {
        let init = Settings::from_json(Some(
            &json!({"dialect": "upstream", "hostSet": ["cpu.logicalProcessors=4"]}),
        ));
        let config = Settings::from_json(Some(&json!({"wslcfg": {"hostSet": {"windows.build": 19045}}})));
        let merged = config.or(&init);
        assert_eq!(merged.dialect.as_deref(), Some("upstream"));
        assert_eq!(merged.host_set, Some(vec!["windows.build=19045".to_owned()]));
        assert_eq!(Settings::from_json(Some(&json!(null))), Settings::default());
    }

    #[test]
    fn bad_settings_fall_back_with_a_message() {
        let settings = Settings {
            dialect: Some("newest".into()),
            host: Some("/nonexistent/host.json".into()),
            host_set: Some(vec!["windows.build=19045".into(), "no.such.field=1".into()]),
        };
        let resolved = resolve(&settings, None);
        assert_eq!(resolved.options.dialect, Dialect::Seed);
        assert_eq!(resolved.host_source, HostSource::Embedded);
        assert_eq!(resolved.errors.len(), 3, "{:?}", resolved.errors);
        // The good override still applies to the default profile.
        assert_eq!(resolved.options.host.windows.build, 19045);
    }
}
