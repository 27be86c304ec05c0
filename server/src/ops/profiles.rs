//! Profiles as an operation: list, show, add, remove (editing
//! `config.toml` in place, keeping the rest of the file as the user wrote
//! it) and the doctor's verdict on each.

use super::Ops;
use crate::agents::doctor::{self, Check};
use crate::agents::{AgentKind, OnExit, Permissions};
use crate::config::{Config, Profile};
use crate::error::{Error, Result};
pub use kernel::agent::ProfileOut;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// How `p` is shown.
fn out(name: &str, p: &Profile) -> ProfileOut {
    ProfileOut {
        name: name.to_string(),
        kind: p.kind,
        command: p.command.clone(),
        bin: p.bin.clone(),
        model: p.model.clone(),
        args: p.args.clone(),
        permissions: p.permissions,
        on_exit: p.on_exit,
        max_concurrent: p.max_concurrent,
        failure_limit: p.failure_limit,
        env_keys: p.env.keys().cloned().collect(),
        paused: None,
    }
}

/// A profile to add.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProfile {
    pub name: String,
    /// Default: `command` if a command is given, else required.
    pub kind: Option<AgentKind>,
    #[serde(default)]
    pub command: Vec<String>,
    pub bin: Option<String>,
    pub model: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    pub permissions: Option<Permissions>,
    pub on_exit: Option<OnExit>,
    pub max_concurrent: Option<u32>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Replace a profile of the same name instead of refusing.
    #[serde(default)]
    pub replace: bool,
}

/// Profile names are assignee names: the same rule.
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "profile name '{name}' may only use letters, digits, '-', '_' and '.' (at most 64)"
        )))
    }
}

/// The `[profiles.NAME]` section as TOML text.
fn section(p: &NewProfile, kind: AgentKind) -> String {
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    let list = |v: &[String]| {
        toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect()).to_string()
    };
    let mut out = format!("\n[profiles.{}]\n", p.name);
    if kind.is_agent() {
        out.push_str(&format!("kind = {}\n", s(kind.as_str())));
    }
    if !p.command.is_empty() {
        out.push_str(&format!("command = {}\n", list(&p.command)));
    }
    for (key, v) in [("bin", &p.bin), ("model", &p.model)] {
        if let Some(v) = v {
            out.push_str(&format!("{key} = {}\n", s(v)));
        }
    }
    if !p.args.is_empty() {
        out.push_str(&format!("args = {}\n", list(&p.args)));
    }
    if let Some(v) = p.permissions {
        out.push_str(&format!("permissions = {}\n", s(v.as_str())));
    }
    if let Some(v) = p.on_exit {
        out.push_str(&format!("on_exit = {}\n", s(v.as_str())));
    }
    if let Some(n) = p.max_concurrent {
        out.push_str(&format!("max_concurrent = {n}\n"));
    }
    if !p.env.is_empty() {
        out.push_str(&format!("\n[profiles.{}.env]\n", p.name));
        for (k, v) in &p.env {
            out.push_str(&format!("{} = {}\n", s(k), s(v)));
        }
    }
    out
}

/// `text` without the `[profiles.NAME]` section and its subtables.
fn without_section(text: &str, name: &str) -> String {
    let head = format!("[profiles.{name}]");
    let sub = format!("[profiles.{name}.");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = t == head || t.starts_with(&sub);
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

impl Ops {
    pub fn profiles(&self) -> Result<Vec<ProfileOut>> {
        let config = self.config()?;
        let mut paused = crate::pauses::active(self.home(), kernel::clock::system_now())?;
        Ok(config
            .profiles
            .iter()
            .map(|(n, p)| ProfileOut {
                paused: paused.remove(n),
                ..out(n, p)
            })
            .collect())
    }

    pub fn profile(&self, name: &str) -> Result<ProfileOut> {
        let config = self.config()?;
        let p = config
            .profile(name)
            .map(|p| out(name, p))
            .ok_or_else(|| not_found(name, &config))?;
        Ok(ProfileOut {
            paused: crate::pauses::of(self.home(), &p.name, kernel::clock::system_now())?,
            ..p
        })
    }

    /// Ends `name`'s pause now (a login fixed, a limit raised); the pause it
    /// ended, or `None` when none was in force. Wakes the dispatcher.
    pub fn resume_profile(&self, name: &str) -> Result<Option<kernel::agent::Pause>> {
        let p = self.profile(name)?;
        let ended = crate::pauses::resume(self.home(), &p.name, kernel::clock::system_now())?;
        self.dispatcher().wake();
        Ok(ended)
    }

    /// Every profile checked, in name order.
    pub fn doctor(&self) -> Result<Vec<Check>> {
        Ok(doctor::check_all(&self.config()?, self.home().root()))
    }

    /// Adds a profile to `config.toml`; the file must still read as a valid
    /// configuration afterwards, or nothing is written.
    pub fn add_profile(&self, p: &NewProfile) -> Result<ProfileOut> {
        let name = p.name.trim();
        check_name(name)?;
        let kind = match (p.kind, p.command.is_empty()) {
            (Some(k), _) => k,
            (None, false) => AgentKind::Command,
            (None, true) => {
                return Err(Error::Usage(format!(
                    "say which agent runs profile '{name}' (--agent {}) or give a command",
                    AgentKind::names()
                )))
            }
        };
        if kind.is_agent() && !p.command.is_empty() {
            return Err(Error::Usage(format!(
                "a {} profile's command is built by Baton; pass extra arguments with --arg",
                kind.as_str()
            )));
        }
        if !kind.is_agent() && p.command.is_empty() {
            return Err(Error::Usage("a command profile needs its command".into()));
        }
        if p.max_concurrent == Some(0) {
            return Err(Error::Usage("max_concurrent must be at least 1".into()));
        }
        let path = self.home().config_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let before = Config::parse(&path, &text)?;
        if before.profiles.contains_key(name) && !p.replace {
            return Err(Error::Refused(format!(
                "profile '{name}' already exists (use --replace to overwrite it)"
            )));
        }
        let mut base = without_section(&text, name);
        let trimmed = Config::parse(&path, &base)?;
        if trimmed.profiles.contains_key(name) {
            return Err(Error::Refused(format!(
                "profile '{name}' is written in a form Baton does not edit; change {} by hand",
                path.display()
            )));
        }
        if !base.is_empty() && !base.ends_with('\n') {
            base.push('\n');
        }
        let p = NewProfile {
            name: name.to_string(),
            ..p.clone()
        };
        let new_text = base + &section(&p, kind);
        let after = Config::parse(&path, &new_text)?;
        self.home().ensure()?;
        kernel::boards::write_atomic(&path, new_text.as_bytes())?;
        Ok(out(name, &after.profiles[name]))
    }

    /// Removes a profile from `config.toml`; its tasks keep their assignee.
    pub fn remove_profile(&self, name: &str) -> Result<ProfileOut> {
        let name = name.trim();
        let path = self.home().config_path();
        let config = self.config()?;
        let Some(old) = config.profile(name) else {
            return Err(not_found(name, &config));
        };
        let out = out(name, old);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let new_text = without_section(&text, name);
        if Config::parse(&path, &new_text)?.profiles.contains_key(name) {
            return Err(Error::Refused(format!(
                "profile '{name}' is written in a form Baton does not edit; change {} by hand",
                path.display()
            )));
        }
        kernel::boards::write_atomic(&path, new_text.as_bytes())?;
        Ok(out)
    }
}

fn not_found(name: &str, config: &Config) -> Error {
    let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
    Error::Kernel(kernel::KernelError::NotFound(if known.is_empty() {
        format!("no profile named '{name}': none are configured (baton profiles add)")
    } else {
        format!(
            "no profile named '{name}'; configured: {}",
            known.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_a_section_keeps_the_rest_and_its_comments() {
        let text = "# mine\n[dispatcher]\ninterval_seconds = 1.0\n\n[profiles.a]\ncommand = [\"x\"]\n\n[profiles.a.env]\nK = \"v\"\n\n# keep\n[profiles.b]\ncommand = [\"y\"]\n";
        let out = without_section(text, "a");
        assert_eq!(
            out,
            "# mine\n[dispatcher]\ninterval_seconds = 1.0\n\n[profiles.b]\ncommand = [\"y\"]\n"
        );
    }
}
