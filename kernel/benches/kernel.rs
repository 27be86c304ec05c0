//! Kernel benchmark: prints a markdown table of timings at 100 / 1,000 /
//! 10,000 tasks on a real SQLite file (WAL) in a temporary directory.
//!
//! Run: `cargo bench -p kernel --features store` (add `-- --quick` for one size).

use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::store::ListQuery;
use kernel::Board;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Median of `reps` timed runs of `f`.
fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    median(v)
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn fresh(dir: &std::path::Path, name: &str) -> Board {
    Board::open_at(&dir.join(format!("{name}.db")), "default").unwrap()
}

fn assignee(i: usize) -> String {
    format!("profile-{}", i % 8)
}

struct Row {
    op: String,
    cells: Vec<String>,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick { &[1000] } else { &[100, 1000, 10_000] };
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Row> = Vec::new();
    let mut put = |op: &str, col: usize, value: String| {
        if let Some(r) = rows.iter_mut().find(|r| r.op == op) {
            r.cells[col] = value;
        } else {
            let mut cells = vec!["".to_string(); sizes.len()];
            cells[col] = value;
            rows.push(Row {
                op: op.to_string(),
                cells,
            });
        }
    };

    for (col, &n) in sizes.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(7);

        // Creating N independent tasks, each in its own transaction.
        let mut flat = fresh(dir.path(), &format!("flat{n}"));
        let t = Instant::now();
        for i in 0..n {
            let mut new = NewTask::titled(format!("task {i}"));
            new.assignee = Some(assignee(i));
            new.priority = (i % 5) as i64;
            new.body = Some("Some body text describing the work in a sentence or two.".into());
            flat.create(&new).unwrap();
        }
        let total = t.elapsed();
        put("create N tasks, no parents (total)", col, fmt(total));
        put("create, per task", col, fmt(total / n as u32));

        // Creating N tasks with 5 random earlier parents each.
        let mut dag = fresh(dir.path(), &format!("dag{n}"));
        let mut ids: Vec<String> = Vec::with_capacity(n);
        let t = Instant::now();
        for i in 0..n {
            let mut new = NewTask::titled(format!("dag task {i}"));
            new.assignee = Some(assignee(i));
            if ids.len() >= 5 {
                let mut parents = Vec::new();
                while parents.len() < 5 {
                    let p = ids[rng.random_range(0..ids.len())].clone();
                    if !parents.contains(&p) {
                        parents.push(p);
                    }
                }
                new.parents = parents;
            }
            ids.push(dag.create(&new).unwrap().id);
        }
        put(
            "create N tasks, 5 random parents each (total)",
            col,
            fmt(t.elapsed()),
        );

        put(
            "next 8 ready tasks for claim",
            col,
            fmt(time(200, || flat.next_ready(8).unwrap())),
        );
        put(
            "recompute_ready (5-parent DAG)",
            col,
            fmt(time(30, || dag.recompute_ready(5).unwrap())),
        );
        put(
            "list all tasks",
            col,
            fmt(time(20, || flat.list(&ListQuery::default()).unwrap())),
        );
        put(
            "list one assignee's tasks",
            col,
            fmt(time(20, || {
                flat.list(&ListQuery {
                    assignee: Some("profile-3".into()),
                    ..Default::default()
                })
                .unwrap()
            })),
        );
        put("stats", col, fmt(time(50, || flat.stats().unwrap())));

        // One claim → complete cycle on a board of N tasks.
        let ready: Vec<String> = flat
            .next_ready(60)
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut cycles = Vec::new();
        for id in ready.iter().take(50) {
            let t = Instant::now();
            let c = flat.claim(id, None, Some("bench:1")).unwrap();
            flat.complete(
                id,
                &Completion {
                    summary: Some("done".into()),
                    metadata: Some(serde_json::json!({"files": 1})),
                    run: Some(c.run_id),
                    ..Default::default()
                },
            )
            .unwrap();
            cycles.push(t.elapsed());
        }
        put("claim → complete cycle (median)", col, fmt(median(cycles)));
    }

    // Worker context with 1 / 10 / 50 finished parents (independent of N).
    let mut ctxb = fresh(dir.path(), "ctx");
    for parents in [1usize, 10, 50] {
        let mut pids = Vec::new();
        for i in 0..parents {
            let p = ctxb
                .create(&NewTask::titled(format!("parent {i}")))
                .unwrap()
                .id;
            ctxb.complete(
                &p,
                &Completion {
                    summary: Some(format!("parent {i} found {}", "a fact ".repeat(40))),
                    metadata: Some(serde_json::json!({"n": i, "files": ["a", "b"]})),
                    ..Default::default()
                },
            )
            .unwrap();
            pids.push(p);
        }
        let mut new = NewTask::titled("child");
        new.parents = pids;
        new.assignee = Some("writer".into());
        let child = ctxb.create(&new).unwrap().id;
        for c in 0..10 {
            ctxb.comment(&child, "user", &format!("note {c}")).unwrap();
        }
        let d = time(50, || ctxb.worker_context(&child).unwrap());
        for col in 0..sizes.len() {
            put(&format!("worker context, {parents} parents"), col, fmt(d));
        }
    }

    // Listing 1,000 runs of one task.
    let mut runsb = fresh(dir.path(), "runs");
    let id = runsb.create(&NewTask::titled("retried a lot")).unwrap().id;
    for i in 0..1000 {
        runsb.claim(&id, None, None).unwrap();
        runsb.reclaim(&id, Some(&format!("attempt {i}"))).unwrap();
    }
    let d = time(20, || runsb.runs(&id).unwrap());
    for col in 0..sizes.len() {
        put("list 1,000 runs of one task", col, fmt(d));
    }

    let header: Vec<String> = sizes.iter().map(|n| format!("{n} tasks")).collect();
    println!("| operation | {} |", header.join(" | "));
    println!("|---|{}", "---:|".repeat(sizes.len()));
    for r in rows {
        println!("| {} | {} |", r.op, r.cells.join(" | "));
    }
}
