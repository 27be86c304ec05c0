//! Runs the real `baton` binary against a temporary home.

#![allow(dead_code)]

pub mod http;
pub mod model;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Baton {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Baton {
    pub fn new() -> Baton {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        Baton { dir, home }
    }

    /// A home under the build's own temporary folder instead of /tmp, for
    /// programs that refuse files below a world-writable directory (Gemini
    /// CLI ignores such a settings file).
    pub fn new_private() -> Baton {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let home = dir.path().join("home");
        Baton { dir, home }
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_baton"));
        c.arg("--home").arg(&self.home);
        for var in [
            "BATON_HOME",
            "BATON_BOARD",
            "BATON_TASK",
            "BATON_RUN",
            "BATON_PROFILE",
            "BATON_TENANT",
            "BATON_TOKEN",
        ] {
            c.env_remove(var);
        }
        c.env("NO_COLOR", "1");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command().args(args).output().unwrap().into()
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.command();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap().into()
    }

    /// Creates a task and returns its id.
    pub fn create(&self, title: &str, flags: &[&str]) -> String {
        let mut args = vec!["create", title, "--json"];
        args.extend_from_slice(flags);
        self.run(&args).ok().json()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn home(&self) -> &Path {
        &self.home
    }
}
