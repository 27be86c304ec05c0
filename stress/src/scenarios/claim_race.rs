//! Many processes race to claim the same ready tasks: each task is worked
//! exactly once and no run is left open.

use super::{count, seed};
use crate::util::{collect, invariants, spawn_children, Scratch};
use crate::{Figures, Mode};
use std::collections::HashMap;
use std::time::Instant;

pub fn run(mode: Mode) -> Result<Figures, String> {
    let (procs, tasks) = mode.pick((5, 100), (10, 1000));
    let scratch = Scratch::new()?;
    let mut board = scratch.board()?;
    seed(&mut board, tasks, "worker")?;
    let db = scratch.db().display().to_string();
    let t = Instant::now();
    let lines = collect(spawn_children(procs, "claim-worker", &[db])?)?;
    let took = t.elapsed().as_secs_f64() - 0.8;
    let mut done: HashMap<String, usize> = HashMap::new();
    let mut lost = 0;
    for l in &lines {
        let mut w = l.split_whitespace();
        match w.next() {
            Some("done") => *done.entry(w.next().unwrap_or("").to_string()).or_default() += 1,
            Some("lost") => lost += 1,
            _ => {}
        }
    }
    let double = done.values().filter(|n| **n > 1).count();
    let dbp = scratch.db();
    let completed_twice = count(
        &dbp,
        "SELECT COUNT(*) FROM (SELECT task_id FROM task_events WHERE kind = 'completed' GROUP BY task_id HAVING COUNT(*) > 1)",
    )?;
    let orphans = count(
        &dbp,
        "SELECT COUNT(*) FROM task_runs WHERE ended_at IS NULL",
    )?;
    let not_done = count(&dbp, "SELECT COUNT(*) FROM tasks WHERE status != 'done'")?;
    invariants(&mut board)?;
    if double > 0 || completed_twice > 0 {
        return Err(format!(
            "{double} task(s) claimed twice, {completed_twice} completed twice"
        ));
    }
    if orphans > 0 || not_done > 0 || done.len() != tasks {
        return Err(format!(
            "{orphans} orphan run(s), {not_done} task(s) not done, {} worked",
            done.len()
        ));
    }
    Ok(vec![
        ("worker processes".into(), procs.to_string()),
        ("tasks".into(), tasks.to_string()),
        ("claims won (= tasks)".into(), done.len().to_string()),
        ("claims lost to another process".into(), lost.to_string()),
        ("double claims".into(), "0".into()),
        ("orphan runs".into(), "0".into()),
        (
            "claim → complete throughput".into(),
            format!("{:.0} tasks/s", tasks as f64 / took.max(0.001)),
        ),
    ])
}
