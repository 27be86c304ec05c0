//! Agent spawn overhead: what Baton adds to starting an agent CLI — writing
//! its MCP configuration or settings file, the prompt and the transcript
//! header, building the invocation, starting it in its own session with the
//! worker environment — measured against starting the same program bare.
//! The program is `/bin/true`, so the CLI's own start-up (a second or more
//! for the real ones) does not hide Baton's share.
//!
//! Run: `cargo bench -p server --bench agents`

use kernel::create::NewTask;
use kernel::Home;
use server::agents::AgentKind;
use server::config::Profile;
use server::dispatcher::spawn::{spawn, AgentRun, SpawnSpec};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPS: usize = 101;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Waits for a child Baton started (it is ours: same process).
fn wait(pid: u32) {
    let mut status = 0;
    // SAFETY: waiting for our own child.
    unsafe { libc::waitpid(pid as i32, &mut status, 0) };
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path().join("home")).unwrap();
    home.ensure().unwrap();
    let mut board = home.open_board("default").unwrap();
    let task = board
        .create(&NewTask::titled("Write the CSV parser"))
        .unwrap();
    let prompt = board.worker_context(&task.id).unwrap();
    let workspace = dir.path().join("ws");
    std::fs::create_dir_all(&workspace).unwrap();
    let log = dir.path().join("t.log");

    let bare = median(
        (0..REPS)
            .map(|_| {
                let t = Instant::now();
                let mut c = Command::new("/bin/true")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap();
                c.wait().unwrap();
                t.elapsed()
            })
            .collect(),
    );
    println!("| start | median of {REPS} | over bare |");
    println!("|---|---:|---:|");
    println!("| `/bin/true` bare | {} | — |", ms(bare));
    // Every kind Baton starts itself; Hermes runs through `baton hermes-run`,
    // which would start the real Hermes, so it is left out.
    let kinds = AgentKind::ALL
        .into_iter()
        .filter(|k| k.is_agent() && *k != AgentKind::Hermes);
    for kind in kinds {
        let guidance = server::agents::guidance::for_task(&task, kind);
        let profile = Profile {
            kind,
            bin: Some("/bin/true".into()),
            ..Default::default()
        };
        let times = (0..REPS)
            .map(|i| {
                let run = i as i64 + 1;
                let transcript = dir.path().join(format!("tx/{}/{run}.jsonl", kind.as_str()));
                let run_dir = dir.path().join(format!("runs/{}/{run}", kind.as_str()));
                let t = Instant::now();
                let pid = spawn(&SpawnSpec {
                    profile_name: "bench",
                    profile: &profile,
                    task: &task,
                    run_id: run,
                    workspace: &workspace,
                    prompt: &prompt,
                    home: home.root(),
                    board: "default",
                    log: &log,
                    agent: Some(AgentRun {
                        transcript: &transcript,
                        run_dir: &run_dir,
                        guidance: &guidance,
                        started: 0,
                    }),
                })
                .unwrap();
                wait(pid);
                t.elapsed()
            })
            .collect();
        let m = median(times);
        println!(
            "| `{}` through Baton | {} | {} |",
            kind.as_str(),
            ms(m),
            ms(m.saturating_sub(bare))
        );
    }
}
