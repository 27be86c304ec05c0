//! `baton doctor`: for each profile, whether Baton can start it — its
//! program on PATH, the version it reports, and whether it has a key or a
//! login to work with.

use super::kind::AgentKind;
use crate::config::{Config, Profile};
pub use kernel::agent::Check;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long `--version` may take before the CLI counts as not starting.
const VERSION_TIMEOUT: Duration = Duration::from_secs(15);

/// `program` as a path: itself if it has a slash, else the first match on
/// `path_var` (a PATH value).
pub fn find_program(program: &str, path_var: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        let p = PathBuf::from(program);
        return executable(&p).then_some(p);
    }
    std::env::split_paths(path_var?)
        .map(|d| d.join(program))
        .find(|p| executable(p))
}

/// Which agent CLIs are on PATH (for `baton init`).
pub fn found_on_path() -> Vec<(AgentKind, PathBuf)> {
    let path = std::env::var_os("PATH");
    AgentKind::ALL
        .into_iter()
        .filter_map(|k| {
            let bin = k.default_bin()?;
            find_program(bin, path.as_deref()).map(|p| (k, p))
        })
        .collect()
}

/// The first line of `<program> --version`, or why it did not run.
fn version(program: &Path, profile: &Profile) -> Result<String, String> {
    let mut child = Command::new(program)
        .arg("--version")
        .envs(&profile.env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = String::new();
                if let Some(mut s) = child.stdout.take() {
                    use std::io::Read;
                    let _ = s.read_to_string(&mut out);
                }
                let line = out.lines().next().unwrap_or_default().trim().to_string();
                return if status.success() {
                    Ok(line)
                } else {
                    Err(format!(
                        "`{} --version` failed ({status})",
                        program.display()
                    ))
                };
            }
            Ok(None) if started.elapsed() > VERSION_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{} --version` did not finish in {}s",
                    program.display(),
                    VERSION_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// What `kind` can authenticate with, looking at the profile's environment,
/// then Baton's own, then the login files under HOME.
fn credentials(kind: AgentKind, profile: &Profile) -> Option<String> {
    for var in kind.key_vars() {
        let set = profile
            .env
            .get(*var)
            .cloned()
            .or_else(|| std::env::var(var).ok())
            .is_some_and(|v| !v.trim().is_empty());
        if set {
            return Some(format!("{var} is set"));
        }
    }
    let home = profile
        .env
        .get("HOME")
        .cloned()
        .or_else(|| std::env::var("HOME").ok())?;
    kind.login_files()
        .iter()
        .find(|f| Path::new(&home).join(f).exists())
        .map(|f| format!("logged in (~/{f})"))
}

/// The first folder from `dir` up that others may write to (and so is not
/// a safe place for a settings file, by Gemini CLI's rule).
fn insecure_ancestor(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    dir.ancestors()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o022 != 0))
        .map(Path::to_path_buf)
}

/// Checks one profile; `home` is Baton's data home (where run files go).
pub fn check(name: &str, profile: &Profile, home: &Path) -> Check {
    let kind = profile.kind;
    let program = if kind.is_agent() {
        profile
            .bin
            .clone()
            .or_else(|| kind.default_bin().map(str::to_string))
            .unwrap_or_default()
    } else {
        profile.command.first().cloned().unwrap_or_default()
    };
    let path_var = profile
        .env
        .get("PATH")
        .map(std::ffi::OsString::from)
        .or_else(|| std::env::var_os("PATH"));
    let path = find_program(&program, path_var.as_deref());
    let mut c = Check {
        profile: name.to_string(),
        kind,
        program: program.clone(),
        path: path.as_ref().map(|p| p.display().to_string()),
        version: None,
        credentials: None,
        ok: false,
        problems: Vec::new(),
    };
    let Some(path) = path else {
        c.problems.push(match kind.package() {
            Some(install) => format!("{program} is not on PATH: install it ({install}) or set bin = \"/path/to/{program}\""),
            None => format!("{program} is not on PATH and is not an executable file"),
        });
        return c;
    };
    if !kind.is_agent() {
        // A plain command may not understand --version; found is enough.
        c.ok = true;
        return c;
    }
    match version(&path, profile) {
        Ok(v) => {
            c.version = Some(v);
            c.ok = true;
        }
        Err(e) => c.problems.push(e),
    }
    if kind == AgentKind::Gemini {
        if let Some(dir) = insecure_ancestor(home) {
            c.ok = false;
            c.problems.push(format!(
                "Gemini CLI ignores settings files below {}, which others may write to, so it would not get Baton's tools: move the Baton home (BATON_HOME) under a private folder",
                dir.display()
            ));
        }
    }
    c.credentials = credentials(kind, profile);
    if c.credentials.is_none() {
        c.problems.push(format!(
            "no key or login found: set {} in the profile's env, or log in with `{program}` once",
            kind.key_vars().join(" or ")
        ));
    }
    c
}

/// Checks every configured profile, in name order.
pub fn check_all(config: &Config, home: &Path) -> Vec<Check> {
    config
        .profiles
        .iter()
        .map(|(name, p)| check(name, p, home))
        .collect()
}
