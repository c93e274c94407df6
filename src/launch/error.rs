//! Launcher errors and exit codes.

/// Exit code of a refused input: nothing was started.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code of a failure after something was started (and then stopped).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code when `--timeout` expired (the VM and its device hosts were stopped).
pub const EXIT_TIMEOUT: u8 = 124;

/// Why the launcher stopped before the VM could run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchError {
    /// [`EXIT_BAD_INPUT`] or [`EXIT_FAILURE`].
    pub exit: u8,
    pub message: String,
    pub help: Option<String>,
}

impl LaunchError {
    /// The plan, an argument or a file it names is unusable; nothing was started.
    pub fn input(message: impl Into<String>) -> LaunchError {
        LaunchError {
            exit: EXIT_BAD_INPUT,
            message: message.into(),
            help: None,
        }
    }

    /// Something failed after processes were started; they were stopped.
    pub fn runtime(message: impl Into<String>) -> LaunchError {
        LaunchError {
            exit: EXIT_FAILURE,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> LaunchError {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for LaunchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LaunchError {}
