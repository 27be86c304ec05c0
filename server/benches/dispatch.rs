//! Dispatcher benchmark: a full pass over a 10,000-task board with nothing to
//! start, and the latency from a task becoming ready (written by another
//! process) to its worker being started by a running `baton daemon`.
//!
//! Run: `cargo build --release -p server && cargo bench -p server --bench dispatch`

use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::{Board, Home};
use server::dispatcher::{Dispatcher, PassOptions};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 10,000 tasks: done, waiting in todo, ready for people (no profile),
/// archived — the shape of a long-lived board with nothing to start.
fn idle_board(home: &Home) {
    let mut b = home.open_board("default").unwrap();
    let mut open_parents = Vec::new();
    for i in 0..10_000 {
        let mut n = NewTask::titled(format!("task {i}"));
        match i % 10 {
            0..=4 => {
                n.assignee = Some("coder".into());
                let t = b.create(&n).unwrap();
                b.complete(&t.id, &Completion::default()).unwrap();
            }
            5..=7 => {
                if open_parents.len() < 50 {
                    let p = b
                        .create(&NewTask::titled(format!("open parent {i}")))
                        .unwrap();
                    b.assign(&p.id, Some("alice")).unwrap();
                    open_parents.push(p.id);
                }
                n.parents = vec![open_parents[i % open_parents.len()].clone()];
                n.assignee = Some("coder".into());
                b.create(&n).unwrap();
            }
            8 => {
                n.assignee = Some("alice".into());
                b.create(&n).unwrap();
            }
            _ => {
                let t = b.create(&n).unwrap();
                b.archive(&t.id).unwrap();
            }
        }
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path().join("idle")).unwrap();
    std::fs::create_dir_all(home.root()).unwrap();
    std::fs::write(
        home.config_path(),
        "[profiles.coder]\ncommand = [\"true\"]\n",
    )
    .unwrap();
    idle_board(&home);
    let mut d = Dispatcher::new(home.clone(), "default");
    let opts = PassOptions::default();
    d.pass(&opts).unwrap();
    let passes: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            let r = d.pass(&opts).unwrap();
            assert!(r.spawned.is_empty());
            t.elapsed()
        })
        .collect();

    // Ready → started, across processes: this process writes, the daemon notices.
    let exe = std::env::var("BATON_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
        format!("{target}/release/baton")
    });
    let home2 = Home::at(dir.path().join("latency")).unwrap();
    std::fs::create_dir_all(home2.root()).unwrap();
    std::fs::write(
        home2.config_path(),
        "[profiles.sleeper]\ncommand = [\"sleep\", \"30\"]\n",
    )
    .unwrap();
    let mut board = home2.open_board("default").unwrap();
    let mut daemon = Command::new(&exe)
        .args([
            "--home",
            home2.root().to_str().unwrap(),
            "daemon",
            "--interval",
            "60",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {exe}: {e} (cargo build --release -p server first)")
        });
    std::thread::sleep(Duration::from_millis(500));
    let mut latencies = Vec::new();
    for i in 0..20 {
        let mut n = NewTask::titled(format!("latency {i}"));
        n.assignee = Some("sleeper".into());
        let t0 = Instant::now();
        let id = board.create(&n).unwrap().id;
        loop {
            if board.get(&id).unwrap().worker_pid.is_some() {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "the daemon did not start {id}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        latencies.push(t0.elapsed());
        stop_worker(&mut board, &id);
    }
    // SAFETY: stopping our own child.
    unsafe { libc::kill(daemon.id() as i32, libc::SIGTERM) };
    let _ = daemon.wait();

    println!("| measurement | median | target |");
    println!("|---|---:|---:|");
    println!(
        "| full dispatcher pass, 10,000 tasks, nothing to start | {} | ≤ 5 ms |",
        ms(median(passes))
    );
    latencies.sort();
    println!(
        "| ready → worker started, write from another process (p50 / max of 20) | {} / {} | ≤ 500 ms |",
        ms(latencies[latencies.len() / 2]),
        ms(*latencies.last().unwrap())
    );
}

fn stop_worker(board: &mut Board, id: &str) {
    let r = board.reclaim(id, Some("bench")).unwrap();
    if let Some(pid) = r.prev_pid {
        // SAFETY: the worker is a `sleep` we started.
        unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
    }
    board.archive(id).unwrap();
}
