//! `<home>/config.toml`: optional, every key has a default. Unknown keys are
//! refused with their name, so a typo does not silently do nothing.

use crate::agents::{AgentKind, OnExit, Permissions};
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
    /// Where notifications go, by name (`[channels.<name>]`).
    pub channels: BTreeMap<String, Channel>,
    pub notifier: NotifierConfig,
    /// Model prices in US dollars per million tokens (`[prices."<model>"]`),
    /// over the shipped table (see `baton spend --prices`).
    pub prices: BTreeMap<String, crate::prices::Price>,
}

/// A notification destination: an incoming-webhook URL and how to talk to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: ChannelKind,
    pub url: String,
    /// Sent with every request (e.g. `Authorization` for a private ntfy topic).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// Generic JSON: the event, the task and a rendered message.
    Webhook,
    Slack,
    Discord,
    Ntfy,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Webhook => "webhook",
            ChannelKind::Slack => "slack",
            ChannelKind::Discord => "discord",
            ChannelKind::Ntfy => "ntfy",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifierConfig {
    /// Seconds between looks for undelivered events.
    pub interval_seconds: f64,
    /// The first retry's delay; each further one doubles it.
    pub retry_seconds: f64,
    /// Failed deliveries in a row before a subscription is dropped.
    pub max_failures: i64,
    /// Per request.
    pub timeout_seconds: f64,
    /// The dashboard's address, for links in messages (e.g. `https://baton.example.com`).
    pub dashboard_url: Option<String>,
}

impl Default for NotifierConfig {
    fn default() -> Self {
        NotifierConfig {
            interval_seconds: 2.0,
            retry_seconds: 5.0,
            max_failures: 3,
            timeout_seconds: 10.0,
            dashboard_url: None,
        }
    }
}

/// How to start one kind of worker.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Which agent CLI this is; `command` (the default) runs `command` as given.
    pub kind: AgentKind,
    /// argv; placeholders {task} {run} {workspace} {prompt} {profile} {skills}.
    /// Only for `kind = "command"`: Baton builds an agent's invocation itself.
    pub command: Vec<String>,
    /// The agent's program (default: its usual name on PATH, e.g. `claude`).
    pub bin: Option<String>,
    /// The model the agent is asked to use (default: the CLI's own choice).
    pub model: Option<String>,
    /// Extra arguments, after the ones Baton passes.
    pub args: Vec<String>,
    /// How much the agent may do unattended.
    pub permissions: Permissions,
    /// What a run becomes when the agent exits without completing or blocking.
    pub on_exit: OnExit,
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
    /// Rate-limited (or login-refused) runs in a row before a task is
    /// blocked instead of requeued.
    pub rate_limit_requeues: i64,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            interval_seconds: 5.0,
            max_concurrent: None,
            failure_limit: kernel::ready::DEFAULT_FAILURE_LIMIT,
            rate_limit_requeues: 20,
        }
    }
}

impl Config {
    /// The price table in effect: shipped prices, then config.toml's.
    pub fn prices(&self) -> crate::prices::Prices {
        crate::prices::Prices::new(&self.prices)
    }

    pub fn load(home: &Home) -> Result<Config> {
        let path = home.config_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        Config::parse(&path, &text)
    }

    /// Reads `text` (the contents of `path`), refusing unknown keys and
    /// values that cannot work, with the line they are on.
    pub fn parse(path: &std::path::Path, text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            Error::config(
                path,
                text,
                e.span().map(|s| s.start),
                e.message().trim().to_string(),
            )
        })?;
        // The line of `[section.name]` or `key =` for a refused value.
        let at = |needle: &str| text.find(needle);
        for (name, p) in &config.profiles {
            if p.kind.is_agent() && !p.command.is_empty() {
                return Err(Error::config(
                    path,
                    text,
                    at(&format!("[profiles.{name}]")),
                    format!(
                        "[profiles.{name}] is kind = \"{}\": Baton builds its command; put extra arguments in args = [...] instead of command",
                        p.kind.as_str()
                    ),
                ));
            }
            if !p.kind.is_agent() && p.command.is_empty() {
                return Err(Error::config(
                    path,
                    text,
                    at(&format!("[profiles.{name}]")),
                    format!(
                        "[profiles.{name}] needs a command, e.g. command = [\"my-agent\", \"--task\", \"{{task}}\"], or an agent kind = \"{}\"",
                        AgentKind::names().replace("command, ", "").replace(", ", "\" | \"")
                    ),
                ));
            }
        }
        if config.dispatcher.interval_seconds <= 0.0
            || !config.dispatcher.interval_seconds.is_finite()
        {
            return Err(Error::config(
                path,
                text,
                at("interval_seconds"),
                "dispatcher.interval_seconds must be a positive number",
            ));
        }
        for (model, p) in &config.prices {
            let all = [Some(p.input), Some(p.output), p.cache_read, p.cache_write];
            if all.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
                return Err(Error::config(
                    path,
                    text,
                    at(model),
                    format!("[prices.\"{model}\"]: prices are US dollars per million tokens, zero or more"),
                ));
            }
        }
        config
            .check_notifications()
            .map_err(|(key, m)| Error::config(path, text, at(&key), m))?;
        Ok(config)
    }

    /// The first problem with the channels or the notifier: (where to point
    /// at in the file, what is wrong).
    fn check_notifications(&self) -> std::result::Result<(), (String, String)> {
        for (name, c) in &self.channels {
            if name.is_empty()
                || !name.chars().all(|ch| {
                    ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_'
                })
            {
                return Err((
                    format!("[channels.{name}"),
                    format!("channel name '{name}' may only use a-z, 0-9, '-' and '_'"),
                ));
            }
            if !(c.url.starts_with("http://") || c.url.starts_with("https://")) {
                return Err((
                    format!("[channels.{name}]"),
                    format!(
                        "[channels.{name}] url must start with http:// or https://, got '{}'",
                        c.url
                    ),
                ));
            }
            for (k, v) in &c.headers {
                if http::HeaderName::try_from(k.as_str()).is_err()
                    || http::HeaderValue::try_from(v.as_str()).is_err()
                {
                    return Err((
                        format!("[channels.{name}]"),
                        format!("[channels.{name}] header '{k}' is not a valid HTTP header"),
                    ));
                }
            }
        }
        let n = &self.notifier;
        for (key, v) in [
            ("interval_seconds", n.interval_seconds),
            ("retry_seconds", n.retry_seconds),
            ("timeout_seconds", n.timeout_seconds),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err((
                    key.to_string(),
                    format!("notifier.{key} must be a positive number"),
                ));
            }
        }
        if n.max_failures < 1 {
            return Err((
                "max_failures".into(),
                "notifier.max_failures must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The channel a subscription delivers through: a configured channel by
    /// name, or for the reference's `--platform` form, the channel named
    /// after the platform, else the first of that kind.
    pub fn channel_for(&self, sub: &kernel::NotifySub) -> Option<(&str, &Channel)> {
        let by_name = |n: &str| self.channels.get_key_value(n).map(|(k, c)| (k.as_str(), c));
        match sub.channel() {
            Some(name) => by_name(name),
            None => by_name(&sub.platform).or_else(|| {
                self.channels
                    .iter()
                    .find(|(_, c)| c.kind.as_str() == sub.platform)
                    .map(|(k, c)| (k.as_str(), c))
            }),
        }
    }

    /// Refuses any name that is not a configured channel.
    pub fn require_channels(&self, names: &[String]) -> Result<()> {
        for n in names {
            self.require_channel(n.trim())?;
        }
        Ok(())
    }

    /// A channel by name, or an error that lists the configured ones.
    pub fn require_channel(&self, name: &str) -> Result<&Channel> {
        self.channels.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.channels.keys().map(String::as_str).collect();
            Error::Kernel(kernel::KernelError::NotFound(if known.is_empty() {
                format!("no notification channel named '{name}' is configured (add [channels.{name}] with kind and url to config.toml)")
            } else {
                format!("no notification channel named '{name}'; configured: {}", known.join(", "))
            }))
        })
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
