//! Worker processes: whether one is alive (not fooled by pid reuse or
//! zombies) and stopping one (its whole process group, politely then firmly).

use std::time::{Duration, Instant};

/// How long a worker gets between SIGTERM and SIGKILL, wherever Baton stops one.
pub const KILL_GRACE: Duration = Duration::from_secs(5);

/// The process's start time in clock ticks since boot (field 22 of
/// /proc/<pid>/stat) and its state letter.
fn stat(pid: i64) -> Option<(i64, char)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces and parentheses; the
    // fields after it start after the last ')'.
    let rest = &text[text.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // After the state come fields 4..; the start time is field 22 overall.
    let start = fields.nth(18)?.parse().ok()?;
    Some((start, state))
}

/// The start time to record at spawn, so liveness checks can tell the worker
/// from a later process that reuses its pid.
pub fn start_time(pid: i64) -> Option<i64> {
    stat(pid).map(|(start, _)| start)
}

/// A worker is alive if its pid exists, is not a zombie (or dead), and — when
/// we recorded one — still has the start time it had at spawn.
pub fn is_alive(pid: i64, started: Option<i64>) -> bool {
    if pid <= 0 {
        return false;
    }
    match stat(pid) {
        Some((start, state)) => {
            !matches!(state, 'Z' | 'X' | 'x') && started.is_none_or(|s| s == start)
        }
        None => false,
    }
}

/// What stopping a worker took.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Termination {
    pub pid: i64,
    pub terminated: bool,
    pub sigkill: bool,
}

fn signal_group(pid: i64, sig: i32) {
    // Never init or "every process" (kill(-1) reaches all we may signal).
    if pid <= 1 {
        return;
    }
    // Workers are started as process-group leaders, so -pid reaches everything
    // they started; fall back to the pid alone if the group is gone.
    // SAFETY: kill only sends a signal.
    unsafe {
        if libc::kill(-(pid as libc::pid_t), sig) != 0 {
            libc::kill(pid as libc::pid_t, sig);
        }
    }
}

/// SIGTERM to the worker's process group, then SIGKILL if it is still alive
/// after `grace`.
pub fn terminate(pid: i64, started: Option<i64>, grace: Duration) -> Termination {
    let mut t = Termination {
        pid,
        ..Default::default()
    };
    if !is_alive(pid, started) {
        t.terminated = true;
        return t;
    }
    signal_group(pid, libc::SIGTERM);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        reap();
        if !is_alive(pid, started) {
            t.terminated = true;
            return t;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    signal_group(pid, libc::SIGKILL);
    t.sigkill = true;
    for _ in 0..40 {
        reap();
        if !is_alive(pid, started) {
            t.terminated = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    t
}

/// The workers this process started: those not yet collected, and the exit
/// codes of those collected but not yet asked about. Only these are reaped:
/// `waitpid(-1)` would also collect children other parts of the server wait
/// for themselves (the doctor's `--version`, git), and their own wait would
/// then fail with "no child processes".
struct Workers {
    running: Vec<i64>,
    exited: std::collections::VecDeque<(i64, i32)>,
}

static WORKERS: std::sync::Mutex<Workers> = std::sync::Mutex::new(Workers {
    running: Vec::new(),
    exited: std::collections::VecDeque::new(),
});

/// Exit codes kept for workers nobody asked about (they completed their task
/// and then exited); the oldest go first.
const EXITS_KEPT: usize = 4096;

fn workers() -> std::sync::MutexGuard<'static, Workers> {
    WORKERS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Records a worker this process just started, for [`reap`].
pub fn spawned(pid: i64) {
    workers().running.push(pid);
}

/// Collects exited workers so they do not linger as zombies, keeping each
/// one's exit code (or -signal) for [`exit_code`].
pub fn reap() {
    let mut w = workers();
    let Workers { running, exited } = &mut *w;
    running.retain(|&pid| {
        let mut status: libc::c_int = 0;
        // SAFETY: waitpid with WNOHANG writes only to `status`.
        let got = unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
        if got == 0 {
            return true; // still running (or only stopped)
        }
        if got > 0 {
            if libc::WIFEXITED(status) {
                exited.push_back((pid, libc::WEXITSTATUS(status)));
            } else if libc::WIFSIGNALED(status) {
                exited.push_back((pid, -libc::WTERMSIG(status)));
            }
        }
        // Collected, or not our child any more: nothing left to wait for.
        false
    });
    while exited.len() > EXITS_KEPT {
        exited.pop_front();
    }
}

/// How a worker this process started ended, once: None if it is running,
/// was started by another process, or was asked about before.
pub fn exit_code(pid: i64) -> Option<i32> {
    reap();
    let mut w = workers();
    let at = w.exited.iter().position(|&(p, _)| p == pid)?;
    w.exited.remove(at).map(|(_, code)| code)
}

/// Whether a claim lock (`host:pid`) was taken on this machine.
pub fn lock_is_local(lock: Option<&str>) -> bool {
    let host = kernel::claim::hostname();
    lock.and_then(|l| l.rsplit_once(':'))
        .is_some_and(|(h, _)| h == host)
}

/// Workers being stopped after a change took their tasks away. A server
/// lets them finish in the background; a CLI process waits, or its exit
/// would cut the grace period short.
#[must_use = "wait for the workers, or detach to let them stop in the background"]
#[derive(Default)]
pub struct Stopping(Vec<std::thread::JoinHandle<Termination>>);

impl Stopping {
    /// Starts stopping each worker that runs on this machine (its claim lock
    /// names this host); others are left to their own host.
    pub fn start(workers: Vec<kernel::Worker>) -> Stopping {
        Stopping(
            workers
                .into_iter()
                .filter(|w| lock_is_local(w.lock.as_deref()))
                .map(|w| std::thread::spawn(move || terminate(w.pid, w.started, KILL_GRACE)))
                .collect(),
        )
    }

    /// Waits until every worker is gone; how each one went.
    pub fn wait(self) -> Vec<Termination> {
        self.0.into_iter().filter_map(|h| h.join().ok()).collect()
    }

    /// Lets them stop on their own threads.
    pub fn detach(self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_process_is_alive_and_a_wrong_start_time_is_not() {
        let me = std::process::id() as i64;
        let start = start_time(me).expect("own stat");
        assert!(is_alive(me, Some(start)));
        assert!(is_alive(me, None));
        assert!(
            !is_alive(me, Some(start + 1)),
            "a reused pid has another start time"
        );
        assert!(!is_alive(0, None));
        assert!(!is_alive(i32::MAX as i64, None));
    }

    #[test]
    fn a_zombie_is_not_alive() {
        let child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i64;
        // Wait until it has exited but has not been reaped.
        for _ in 0..200 {
            if stat(pid).is_some_and(|(_, s)| s == 'Z') {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(stat(pid).map(|(_, s)| s), Some('Z'));
        assert!(!is_alive(pid, None));
        drop(child);
    }

    #[test]
    fn reaping_collects_workers_and_leaves_other_children_to_their_owner() {
        let mut other = std::process::Command::new("true").spawn().unwrap();
        // Not waited for here: collecting it is what reap() is for.
        #[allow(clippy::zombie_processes)]
        let worker = std::process::Command::new("sh")
            .args(["-c", "exit 7"])
            .spawn()
            .unwrap();
        let pid = i64::from(worker.id());
        spawned(pid);
        let mut got = None;
        for _ in 0..200 {
            got = exit_code(pid);
            if got.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(got, Some(7));
        assert_eq!(exit_code(pid), None, "told once");
        // The other child was not taken: its owner still collects it.
        assert!(other.wait().unwrap().success());
    }
}
