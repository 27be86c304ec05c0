//! Starting a worker: the profile's command with placeholders filled in (or,
//! for an agent kind, the invocation Baton builds), the worker environment,
//! the workspace as cwd, output appended to the task's (rotated) log — an
//! agent's JSON stream to its run's transcript instead — and its own process
//! group so it can be stopped whole.

use crate::agents::{files, launch};
use crate::config::Profile;
use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A log past this size is rotated before the next attempt writes to it.
pub const LOG_ROTATE_BYTES: u64 = 2 * 1024 * 1024;

/// What a worker is started with.
pub struct SpawnSpec<'a> {
    pub profile_name: &'a str,
    pub profile: &'a Profile,
    pub task: &'a kernel::Task,
    pub run_id: i64,
    pub workspace: &'a Path,
    pub prompt: &'a str,
    pub home: &'a Path,
    pub board: &'a str,
    pub log: &'a Path,
    /// For an agent kind: where its transcript and configuration go.
    pub agent: Option<AgentRun<'a>>,
}

/// The per-run files of an agent.
pub struct AgentRun<'a> {
    pub transcript: &'a Path,
    pub run_dir: &'a Path,
    pub guidance: &'a str,
    pub started: i64,
}

/// Fills the placeholders of one argument. An argument holding `{skills}`
/// becomes one argument per skill (none if the task has none).
pub fn expand_args(
    template: &[String],
    values: &[(&str, String)],
    skills: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for arg in template {
        let fill = |a: &str| {
            values
                .iter()
                .fold(a.to_string(), |acc, (k, v)| acc.replace(k, v))
        };
        if arg.contains("{skills}") {
            for s in skills {
                out.push(fill(&arg.replace("{skills}", s)));
            }
        } else {
            out.push(fill(arg));
        }
    }
    out
}

/// Moves a log past the limit to `<log>.1` (replacing an older one).
pub fn rotate(log: &Path) {
    if std::fs::metadata(log).is_ok_and(|m| m.len() > LOG_ROTATE_BYTES) {
        let mut old = log.as_os_str().to_owned();
        old.push(".1");
        let _ = std::fs::rename(log, PathBuf::from(old));
    }
}

/// Starts the worker; returns its pid, or why it could not start.
pub fn spawn(spec: &SpawnSpec<'_>) -> Result<u32> {
    spawn_worker(spec).map_err(Error::Failed)
}

fn spawn_worker(spec: &SpawnSpec<'_>) -> std::result::Result<u32, String> {
    let skills = spec.task.skills.clone().unwrap_or_default();
    let values = [
        ("{task}", spec.task.id.clone()),
        ("{run}", spec.run_id.to_string()),
        ("{workspace}", spec.workspace.display().to_string()),
        ("{prompt}", spec.prompt.to_string()),
        ("{profile}", spec.profile_name.to_string()),
    ];
    let (argv, agent_env, transcript) = match &spec.agent {
        Some(agent) => {
            let (inv, transcript) = prepare_agent(spec, agent)?;
            let mut argv = vec![inv.program];
            argv.extend(inv.args);
            (argv, inv.env, Some(transcript))
        }
        None => (
            expand_args(&spec.profile.command, &values, &skills),
            Default::default(),
            None,
        ),
    };
    let (program, args) = argv.split_first().ok_or("the profile's command is empty")?;

    if let Some(dir) = spec.log.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    rotate(spec.log);
    let mut log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(spec.log)
        .map_err(|e| format!("cannot open log {}: {e}", spec.log.display()))?;
    let _ = writeln!(
        log,
        "=== baton: run #{} of {} (profile {}) starting: {}",
        spec.run_id,
        spec.task.id,
        spec.profile_name,
        argv.iter()
            .map(|a| kernel::ellipsize(a, 80))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let err_log = log
        .try_clone()
        .map_err(|e| format!("cannot open log: {e}"))?;
    // An agent's stdout is its JSON stream: straight into the transcript
    // file, so what it reported is on disk before it exits.
    let out = match transcript {
        Some(t) => t,
        None => log,
    };

    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(spec.workspace)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err_log))
        .env("BATON_TASK", &spec.task.id)
        .env("BATON_RUN", spec.run_id.to_string())
        .env("BATON_WORKSPACE", spec.workspace)
        .env("BATON_PROFILE", spec.profile_name)
        .env("BATON_BOARD", spec.board)
        .env("BATON_HOME", spec.home)
        .env("BATON_SKILLS", skills.join(","));
    match &spec.task.tenant {
        Some(t) => cmd.env("BATON_TENANT", t),
        None => cmd.env_remove("BATON_TENANT"),
    };
    // Workers call back into the board with `baton`; make sure it is this one.
    if let Ok(exe) = std::env::current_exe() {
        cmd.env("BATON_BIN", &exe);
        if let Some(dir) = exe.parent() {
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut dirs = vec![dir.to_path_buf()];
            dirs.extend(std::env::split_paths(&path));
            if let Ok(joined) = std::env::join_paths(dirs) {
                cmd.env("PATH", joined);
            }
        }
    }
    cmd.envs(&agent_env);
    cmd.envs(&spec.profile.env);
    // SAFETY: setsid is async-signal-safe; it makes the worker the leader of a
    // new session and process group, detached from ours.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("command not found: {program}"),
        std::io::ErrorKind::PermissionDenied => format!("command is not executable: {program}"),
        _ => format!("cannot start {program}: {e}"),
    })?;
    crate::process::spawned(i64::from(child.id()));
    Ok(child.id())
}

/// Writes an agent's configuration files and its transcript's header;
/// returns its invocation and the transcript, open for its stdout.
fn prepare_agent(
    spec: &SpawnSpec<'_>,
    agent: &AgentRun<'_>,
) -> std::result::Result<(launch::Invocation, std::fs::File), String> {
    let mkdir = |dir: &Path| {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
    };
    mkdir(agent.run_dir)?;
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find the baton binary for the MCP server: {e}"))?;
    let mut env = std::collections::BTreeMap::from([
        ("BATON_TASK".to_string(), spec.task.id.clone()),
        ("BATON_RUN".to_string(), spec.run_id.to_string()),
        ("BATON_HOME".to_string(), spec.home.display().to_string()),
        ("BATON_BOARD".to_string(), spec.board.to_string()),
        ("BATON_PROFILE".to_string(), spec.profile_name.to_string()),
    ]);
    if let Some(t) = &spec.task.tenant {
        env.insert("BATON_TENANT".into(), t.clone());
    }
    let mcp = launch::McpServer {
        command: exe.display().to_string(),
        args: vec!["mcp".into()],
        env,
    };
    let given = launch::Given {
        guidance: agent.guidance,
        prompt: spec.prompt,
    };
    let inv = launch::invocation(spec.profile, &given, &mcp, agent.run_dir);
    for (path, text) in &inv.files {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    std::fs::write(agent.run_dir.join("prompt.md"), spec.prompt)
        .map_err(|e| format!("cannot write the prompt: {e}"))?;
    if let Some(dir) = agent.transcript.parent() {
        mkdir(dir)?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(agent.transcript)
        .map_err(|e| format!("cannot open {}: {e}", agent.transcript.display()))?;
    file.write_all(
        files::header(spec.profile.kind, &spec.task.id, spec.run_id, agent.started).as_bytes(),
    )
    .map_err(|e| format!("cannot write {}: {e}", agent.transcript.display()))?;
    Ok((inv, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_and_skills_repeat_their_argument() {
        let template: Vec<String> = [
            "agent",
            "--task",
            "{task}",
            "--skill={skills}",
            "-p",
            "{profile}@{run}",
        ]
        .map(String::from)
        .to_vec();
        let values = [
            ("{task}", "t_1".to_string()),
            ("{profile}", "coder".into()),
            ("{run}", "7".into()),
        ];
        let got = expand_args(&template, &values, &["a".into(), "b".into()]);
        assert_eq!(
            got,
            [
                "agent",
                "--task",
                "t_1",
                "--skill=a",
                "--skill=b",
                "-p",
                "coder@7"
            ]
        );
        let none = expand_args(&template, &values, &[]);
        assert_eq!(none, ["agent", "--task", "t_1", "-p", "coder@7"]);
    }

    #[test]
    fn a_big_log_is_rotated_keeping_one_older_generation() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("t_1.log");
        std::fs::write(&log, "small").unwrap();
        rotate(&log);
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "small",
            "under the limit: untouched"
        );
        std::fs::write(dir.path().join("t_1.log.1"), "oldest").unwrap();
        std::fs::write(&log, vec![b'x'; LOG_ROTATE_BYTES as usize + 1]).unwrap();
        rotate(&log);
        assert!(!log.exists());
        assert_eq!(
            std::fs::metadata(dir.path().join("t_1.log.1"))
                .unwrap()
                .len(),
            LOG_ROTATE_BYTES + 1
        );
        assert!(
            !dir.path().join("t_1.log.2").exists(),
            "one older generation only"
        );
    }
}
