//! The worker processes scenarios start: each opens the board itself (its
//! own SQLite connection, as a real worker's `baton` would), waits for the
//! shared start instant, works, and reports one line per outcome on stdout.

use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::{Board, ErrorKind, Status};
use rand::Rng;
use std::path::Path;
use std::time::{Duration, Instant};

/// `child ROLE START_MS INDEX ARGS…`; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let (Some(role), Some(start), Some(index)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("child: missing arguments");
        return 2;
    };
    let rest = &args[3..];
    let start: u128 = start.parse().unwrap_or(0);
    while crate::util::now_ms() < start {
        std::thread::sleep(Duration::from_millis(1));
    }
    let me = format!("stress-{role}-{index}-{}", std::process::id());
    let r = match role.as_str() {
        "claim-worker" => claim_worker(rest, &me),
        "mixed-worker" => mixed_worker(rest, &me),
        "reclaimer" => reclaimer(rest),
        "reclaim-worker" => reclaim_worker(rest, &me),
        "idem-create" => idem_create(rest),
        other => Err(format!("unknown role {other}")),
    };
    match r {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("child {me}: {e}");
            1
        }
    }
}

fn open(db: &str) -> Result<Board, String> {
    Board::open_at(Path::new(db), "default").map_err(|e| e.to_string())
}

/// SQLite "database is locked" would mean the busy timeout is not doing its
/// job; it is a failure, not a refusal.
fn refusal_or_fail(e: kernel::KernelError) -> Result<(), String> {
    let msg = e.to_string();
    if e.kind() == ErrorKind::Internal
        || msg.contains("database is locked")
        || msg.contains("database is busy")
    {
        return Err(format!("storage error under load: {msg}"));
    }
    Ok(())
}

/// Claims ready tasks and completes them until none are left.
fn claim_worker(args: &[String], me: &str) -> Result<(), String> {
    let mut b = open(&args[0])?;
    let mut idle = 0;
    while idle < 20 {
        let ready = b.next_ready(20).map_err(|e| e.to_string())?;
        if ready.is_empty() {
            idle += 1;
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        idle = 0;
        for t in ready {
            match b.claim(&t.id, Some(300), Some(me)) {
                Ok(c) => {
                    b.complete(
                        &t.id,
                        &Completion {
                            summary: Some(format!("done by {me}")),
                            run: Some(c.run_id),
                            ..Default::default()
                        },
                    )
                    .map_err(|e| format!("completing my own claim of {}: {e}", t.id))?;
                    println!("done {} {}", t.id, c.run_id);
                }
                Err(e) => {
                    refusal_or_fail(e)?;
                    println!("lost {}", t.id);
                }
            }
        }
    }
    Ok(())
}

/// Random operations on random tasks for a while.
fn mixed_worker(args: &[String], me: &str) -> Result<(), String> {
    let mut b = open(&args[0])?;
    let seconds: f64 = args[1].parse().map_err(|_| "seconds")?;
    let ids: Vec<String> = b
        .list(&Default::default())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut rng = rand::rng();
    let mut mine: Vec<(String, i64)> = Vec::new();
    let (mut ok, mut refused) = (0u64, 0u64);
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    while Instant::now() < until {
        let id = &ids[rng.random_range(0..ids.len())];
        let r = match rng.random_range(0..100) {
            0..=29 => b
                .claim(id, Some(2), Some(me))
                .map(|c| mine.push((id.clone(), c.run_id))),
            30..=54 if !mine.is_empty() => {
                let (tid, run) = mine.swap_remove(rng.random_range(0..mine.len()));
                b.complete(
                    &tid,
                    &Completion {
                        summary: Some("mixed".into()),
                        run: Some(run),
                        ..Default::default()
                    },
                )
                .map(|_| ())
            }
            55..=64 if !mine.is_empty() => {
                let (tid, run) = mine.swap_remove(rng.random_range(0..mine.len()));
                b.block(&tid, Some("needs a person"), Some(run)).map(|_| ())
            }
            65..=74 => b.unblock(id).map(|_| ()),
            75..=79 => b.archive(id).map(|_| ()),
            80..=89 => b.comment(id, me, "still here").map(|_| ()),
            90..=94 if !mine.is_empty() => {
                let (tid, run) = mine[rng.random_range(0..mine.len())].clone();
                b.heartbeat(
                    &tid,
                    &kernel::claim::Beat {
                        note: Some("working"),
                        run: Some(run),
                        ttl: Some(2),
                    },
                )
                .map(|_| ())
            }
            _ => b.move_to(id, Status::Ready).map(|_| ()),
        };
        match r {
            Ok(()) => ok += 1,
            Err(e) => {
                refusal_or_fail(e)?;
                refused += 1;
            }
        }
    }
    println!("ops {ok} {refused}");
    Ok(())
}

/// Releases lapsed claims, promotes, and now and then takes a task back.
fn reclaimer(args: &[String]) -> Result<(), String> {
    let mut b = open(&args[0])?;
    let seconds: f64 = args[1].parse().map_err(|_| "seconds")?;
    let mut rng = rand::rng();
    let (mut released, mut taken) = (0usize, 0usize);
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    while Instant::now() < until {
        released += b
            .release_stale_claims(&|_| false)
            .map_err(|e| e.to_string())?
            .len();
        b.recompute_ready(5).map_err(|e| e.to_string())?;
        if rng.random_range(0..5) == 0 {
            let running = b
                .list(&kernel::store::ListQuery {
                    status: Some(Status::Running),
                    ..Default::default()
                })
                .map_err(|e| e.to_string())?;
            if let Some(t) = running.first() {
                match b.reclaim(&t.id, Some("stress reclaimer")) {
                    Ok(_) => taken += 1,
                    Err(e) => refusal_or_fail(e)?,
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("reclaimer {released} {taken}");
    Ok(())
}

/// Claims with a 1 s TTL and works longer than that about half the time.
fn reclaim_worker(args: &[String], me: &str) -> Result<(), String> {
    let mut b = open(&args[0])?;
    let mut rng = rand::rng();
    let mut idle = 0;
    while idle < 40 {
        let ready = b.next_ready(5).map_err(|e| e.to_string())?;
        let Some(t) = ready.get(rng.random_range(0..ready.len().max(1))) else {
            idle += 1;
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        idle = 0;
        let Ok(c) = b.claim(&t.id, Some(1), Some(me)) else {
            continue;
        };
        std::thread::sleep(Duration::from_millis(rng.random_range(100..2500)));
        match b.complete(
            &t.id,
            &Completion {
                summary: Some(format!("work of run {}", c.run_id)),
                metadata: Some(serde_json::json!({ "run": c.run_id })),
                run: Some(c.run_id),
                ..Default::default()
            },
        ) {
            Ok(_) => println!("accepted {} {}", t.id, c.run_id),
            Err(e) if e.kind() == ErrorKind::Conflict => println!("refused {} {}", t.id, c.run_id),
            Err(e) => return Err(format!("late completion of {}: {e}", t.id)),
        }
    }
    Ok(())
}

/// Creates one task with a fixed idempotency key.
fn idem_create(args: &[String]) -> Result<(), String> {
    let mut b = open(&args[0])?;
    let t = b
        .create(&NewTask {
            title: "raced".into(),
            idempotency_key: Some(args[1].clone()),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    println!("created {}", t.id);
    Ok(())
}
