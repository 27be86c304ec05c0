//! Worker processes doing random operations on random tasks while a
//! reclaimer releases lapsed claims and takes tasks back.

use super::seed;
use crate::util::{collect, invariants, spawn_children, Scratch};
use crate::{Figures, Mode};
use kernel::create::NewTask;
use rand::Rng;

pub fn run(mode: Mode) -> Result<Figures, String> {
    let (workers, tasks, seconds) = mode.pick((10, 500, 12.0), (10, 2000, 60.0));
    let scratch = Scratch::new()?;
    let mut board = scratch.board()?;
    let mut ids = seed(&mut board, tasks * 4 / 5, "worker")?;
    // A fifth wait for an earlier task, so promotions happen under load too.
    let mut rng = rand::rng();
    for i in 0..tasks / 5 {
        let parent = ids[rng.random_range(0..ids.len())].clone();
        let t = board
            .create(&NewTask {
                title: format!("child {i}"),
                assignee: Some("worker".into()),
                parents: vec![parent],
                ..Default::default()
            })
            .map_err(|e| e.to_string())?;
        ids.push(t.id);
    }
    let db = scratch.db().display().to_string();
    let secs = seconds.to_string();
    let mut children = spawn_children(workers, "mixed-worker", &[db.clone(), secs.clone()])?;
    children.extend(spawn_children(1, "reclaimer", &[db, secs])?);
    let lines = collect(children)?;
    let (mut ok, mut refused, mut released, mut taken) = (0u64, 0u64, 0u64, 0u64);
    for l in &lines {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["ops", a, b] => {
                ok += a.parse::<u64>().unwrap_or(0);
                refused += b.parse::<u64>().unwrap_or(0);
            }
            ["reclaimer", a, b] => {
                released += a.parse::<u64>().unwrap_or(0);
                taken += b.parse::<u64>().unwrap_or(0);
            }
            _ => {}
        }
    }
    board
        .release_stale_claims(&|_| false)
        .map_err(|e| e.to_string())?;
    board.recompute_ready(5).map_err(|e| e.to_string())?;
    invariants(&mut board)?;
    let stats = board.stats().map_err(|e| e.to_string())?;
    let by: Vec<String> = stats
        .by_status
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    Ok(vec![
        (
            "processes".into(),
            format!("{workers} workers + 1 reclaimer"),
        ),
        ("tasks (a fifth with a parent)".into(), tasks.to_string()),
        ("duration".into(), format!("{seconds:.0} s")),
        ("operations applied".into(), ok.to_string()),
        (
            "operations refused by the rules".into(),
            refused.to_string(),
        ),
        (
            "throughput".into(),
            format!("{:.0} ops/s", (ok + refused) as f64 / seconds),
        ),
        (
            "lapsed claims released / tasks taken back".into(),
            format!("{released} / {taken}"),
        ),
        ("storage errors (busy/locked)".into(), "0".into()),
        ("invariant violations at the end".into(), "0".into()),
        ("final statuses".into(), by.join(", ")),
    ])
}
