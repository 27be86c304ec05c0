//! `<home>/config.toml`: optional, every key has a default. Unknown keys are
//! refused with their name, so a typo does not silently do nothing.

use crate::error::{Error, Result};
use kernel::Home;
use kernel::{Assignee, DashboardConfig};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Agents the dispatcher can start, by assignee name.
    pub profiles: BTreeMap<String, Profile>,
    pub dispatcher: DispatcherConfig,
    pub dashboard: DashboardConfig,
    pub diagnostics: kernel::diagnostics::DiagnosticsConfig,
}

/// How to start one kind of worker.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// argv; placeholders {task} {run} {workspace} {prompt} {profile} {skills}.
    pub command: Vec<String>,
    pub env: BTreeMap<String, String>,
    /// At most this many of this profile's workers at once.
    pub max_concurrent: Option<u32>,
    /// The worker talks to the board through `baton mcp`; its prompt says so.
    pub mcp: bool,
    /// Consecutive failures before the breaker blocks a task (overrides the dispatcher's).
    pub failure_limit: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DispatcherConfig {
    /// Seconds between time-based checks.
    pub interval_seconds: f64,
    /// Workers at once, all profiles together.
    pub max_concurrent: Option<u32>,
    /// Consecutive failures before a task is blocked.
    pub failure_limit: i64,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            interval_seconds: 5.0,
            max_concurrent: None,
            failure_limit: kernel::ready::DEFAULT_FAILURE_LIMIT,
        }
    }
}

impl Config {
    pub fn load(home: &Home) -> Result<Config> {
        let path = home.config_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let config: Config = toml::from_str(&text)
            .map_err(|e| Error::Failed(format!("{}: {}", path.display(), e.to_string().trim())))?;
        for (name, p) in &config.profiles {
            if p.command.is_empty() {
                return Err(Error::Failed(format!(
                    "{}: [profiles.{name}] needs a command, e.g. command = [\"my-agent\", \"--task\", \"{{task}}\"]",
                    path.display()
                )));
            }
        }
        if config.dispatcher.interval_seconds <= 0.0
            || !config.dispatcher.interval_seconds.is_finite()
        {
            return Err(Error::Failed(format!(
                "{}: dispatcher.interval_seconds must be a positive number",
                path.display()
            )));
        }
        Ok(config)
    }

    /// Configured profiles ∪ the assignees in `counts` (per assignee, tasks
    /// per status), sorted by name.
    pub fn assignees(&self, mut counts: BTreeMap<String, BTreeMap<String, i64>>) -> Vec<Assignee> {
        for name in self.profiles.keys() {
            counts.entry(name.clone()).or_default();
        }
        counts
            .into_iter()
            .map(|(name, counts)| Assignee {
                on_disk: self.profiles.contains_key(&name),
                name,
                counts,
            })
            .collect()
    }

    /// The profile for an assignee, if one is configured.
    pub fn profile(&self, assignee: &str) -> Option<&Profile> {
        self.profiles.get(assignee)
    }
}
