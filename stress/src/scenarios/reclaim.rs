//! Claims lapse while the work is still going: every late completion is
//! refused and leaves nothing behind, and each task ends done exactly once.

use super::{count, seed};
use crate::util::{collect, invariants, spawn_children, Scratch};
use crate::{Figures, Mode};

pub fn run(mode: Mode) -> Result<Figures, String> {
    let (workers, tasks) = mode.pick((5, 40), (10, 300));
    let scratch = Scratch::new()?;
    let mut board = scratch.board()?;
    seed(&mut board, tasks, "worker")?;
    let db = scratch.db();
    let dbs = db.display().to_string();
    // The reclaimer runs until the workers have finished everything.
    let budget = mode.pick(60.0, 400.0).to_string();
    let mut reclaimer = spawn_children(1, "reclaimer", &[dbs.clone(), budget])?;
    let lines = collect(spawn_children(workers, "reclaim-worker", &[dbs])?)?;
    for c in &mut reclaimer {
        let _ = c.kill();
    }
    for mut c in reclaimer {
        let _ = c.wait();
    }
    let (mut accepted, mut refused) = (0, 0);
    for l in &lines {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["accepted", ..] => accepted += 1,
            ["refused", task, run] => {
                refused += 1;
                // Nothing of a refused completion may have landed.
                let landed = count(
                    &db,
                    &format!("SELECT COUNT(*) FROM task_events WHERE kind = 'completed' AND run_id = {run}"),
                )?;
                let outcome = count(
                    &db,
                    &format!(
                        "SELECT COUNT(*) FROM task_runs WHERE id = {run} AND outcome = 'completed'"
                    ),
                )?;
                if landed + outcome > 0 {
                    return Err(format!(
                        "a refused completion of {task} (run {run}) was half applied"
                    ));
                }
            }
            _ => {}
        }
    }
    let not_done = count(&db, "SELECT COUNT(*) FROM tasks WHERE status != 'done'")?;
    let twice = count(
        &db,
        "SELECT COUNT(*) FROM (SELECT task_id FROM task_events WHERE kind = 'completed' GROUP BY task_id HAVING COUNT(*) > 1)",
    )?;
    let reclaimed_runs = count(
        &db,
        "SELECT COUNT(*) FROM task_runs WHERE outcome = 'reclaimed'",
    )?;
    invariants(&mut board)?;
    if not_done > 0 || twice > 0 || accepted != tasks {
        return Err(format!(
            "{not_done} not done, {twice} completed twice, {accepted} accepted of {tasks}"
        ));
    }
    if refused == 0 {
        return Err("no claim lapsed mid-work; the scenario did not test anything".into());
    }
    Ok(vec![
        (
            "worker processes, TTL".into(),
            format!("{workers}, 1 s (work takes 0.1–2.5 s)"),
        ),
        ("tasks".into(), tasks.to_string()),
        ("runs reclaimed mid-work".into(), reclaimed_runs.to_string()),
        ("late completions refused".into(), refused.to_string()),
        ("late completions half-applied".into(), "0".into()),
        (
            "completions accepted (= tasks)".into(),
            accepted.to_string(),
        ),
        ("tasks completed twice".into(), "0".into()),
    ])
}
