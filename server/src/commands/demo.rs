//! `baton demo`: four stories seeded on their own boards, worked by small
//! shell workers that call `baton` like real agents do, so the board moves
//! while a person watches (under `baton serve` or `baton daemon`).

use super::Ctx;
use crate::cli::DemoArgs;
use crate::error::{Error, Result};
use kernel::boards::BoardFields;
use kernel::create::NewTask;
use kernel::Board;
use std::path::{Path, PathBuf};

pub const STORIES: &[(&str, &str)] = &[
    ("solo", "a solo developer ships a feature: design → build → test, each handing off to the next"),
    ("fleet", "a fleet farms out a dozen tasks to three agent profiles in parallel (try lanes by profile)"),
    ("pipeline", "a role pipeline with review: the implementation is blocked by review, retried, then approved"),
    ("breaker", "failure handling: an agent that cannot start trips the circuit breaker; a crashed worker is retried"),
];

/// The worker every demo profile runs; what it does depends on its profile.
const WORKER: &str = r#"#!/bin/sh
# A Baton demo worker: pretends to work and reports back through `baton`,
# as a real agent would. Written by `baton demo`; safe to delete.
B="${BATON_BIN:-baton}"
pace() { sleep "${DEMO_PACE:-2}"; }
"$B" heartbeat --note "reading the task" || exit 3
case "$BATON_PROFILE" in
  demo-flaky)
    if [ ! -f .crashed-once ]; then
      touch .crashed-once
      echo "segfault (simulated): the worker dies without reporting"
      exit 139
    fi ;;
  demo-implementer)
    if [ ! -f .reviewed ]; then
      touch .reviewed
      pace
      echo "submitting for review"
      # The reviewer answers a little later and sends the task back.
      ( sleep "$(awk "BEGIN { print ${DEMO_PACE:-2} * 2 }")"
        "$B" comment "$BATON_TASK" --author demo-reviewer "Tests added? Then approved." >/dev/null 2>&1
        "$B" unblock "$BATON_TASK" >/dev/null 2>&1 ) &
      exec "$B" block "review: please add tests for the empty-input case"
    fi ;;
esac
echo "working on $BATON_TASK as $BATON_PROFILE"
pace
"$B" heartbeat --note "halfway"
pace
case "$BATON_PROFILE" in
  demo-planner) summary="Design agreed: one endpoint, cursor pagination"; meta='{"decisions": 2, "open_questions": 0}' ;;
  demo-coder) summary="Implemented and wired up; 4 files changed"; meta='{"changed_files": ["src/api.rs", "src/page.rs", "src/db.rs", "tests/api.rs"], "tests_run": 12}' ;;
  demo-tester) summary="All 14 checks pass, including the empty page"; meta='{"tests_run": 14, "failures": 0}' ;;
  demo-implementer) summary="Approved after review; tests for the empty input added"; meta='{"attempts": 2, "tests_added": 3}' ;;
  *) summary="Done: $("$B" show "$BATON_TASK" --json | sed -n 's/.*"title": *"\([^"]*\)".*/\1/p' | head -n 1)"; meta='{"demo": true}' ;;
esac
exec "$B" complete --summary "$summary" --metadata "$meta"
"#;

const BEGIN: &str = "# >>> baton demo profiles (written by `baton demo`; safe to delete)";
const END: &str = "# <<< baton demo profiles";

fn profiles_block(worker: &Path, baton: &Path, pace: f64) -> String {
    let mut s = format!("{BEGIN}\n");
    let env = format!(
        "env = {{ BATON_BIN = {:?}, DEMO_PACE = \"{pace}\" }}",
        baton.display().to_string()
    );
    for name in [
        "demo-planner",
        "demo-coder",
        "demo-tester",
        "demo-researcher",
        "demo-writer",
        "demo-implementer",
        "demo-flaky",
    ] {
        s.push_str(&format!(
            "[profiles.{name}]\ncommand = [\"sh\", {:?}]\n{env}\n\n",
            worker.display().to_string()
        ));
    }
    // Its command does not exist: every start fails.
    s.push_str(&format!(
        "[profiles.demo-broken]\ncommand = [{:?}]\n{END}\n",
        worker.with_file_name("missing-agent").display().to_string()
    ));
    s
}

/// Writes (or rewrites) the demo's profiles in config.toml, leaving
/// everything else in the file as it was.
fn install_profiles(home: &kernel::Home, block: &str) -> Result<()> {
    let path = home.config_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let kept = match (text.find(BEGIN), text.find(END)) {
        (Some(a), Some(b)) if b > a => {
            let after = text[b..]
                .find('\n')
                .map(|n| b + n + 1)
                .unwrap_or(text.len());
            format!("{}{}", &text[..a], &text[after..])
        }
        _ => text,
    };
    let mut out = kept.trim_end().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(block);
    // Refuse to write a config that would not load.
    let candidate: toml::Value = toml::from_str(&out).map_err(|e| {
        Error::Failed(format!(
            "{} would not parse after adding the demo profiles: {e}",
            path.display()
        ))
    })?;
    drop(candidate);
    std::fs::write(&path, out).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

fn task(title: &str, assignee: &str, body: &str, parents: &[&str]) -> NewTask {
    NewTask {
        title: title.into(),
        assignee: Some(assignee.into()),
        body: Some(body.into()),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        created_by: Some("demo".into()),
        ..Default::default()
    }
}

fn seed(board: &mut Board, story: &str) -> Result<usize> {
    let mut n = 0;
    let mut add = |b: &mut Board, t: NewTask| -> Result<String> {
        n += 1;
        Ok(b.create(&t)?.id)
    };
    match story {
        "solo" => {
            let design = add(board, task("Design the paginated search API", "demo-planner",
                "Decide the shape of `GET /search`: page size, cursor or offset, what an empty page looks like.", &[]))?;
            let build = add(
                board,
                task(
                    "Implement paginated search",
                    "demo-coder",
                    "Build what the design task decided. **Read its handoff first.**",
                    &[&design],
                ),
            )?;
            add(
                board,
                task(
                    "Test paginated search end to end",
                    "demo-tester",
                    "Cover the first page, the last page and an empty result.",
                    &[&build],
                ),
            )?;
        }
        "fleet" => {
            let work = [
                ("demo-researcher", "Survey"),
                ("demo-coder", "Prototype"),
                ("demo-writer", "Draft"),
            ];
            let topics = [
                "battery chemistry",
                "charging curves",
                "thermal limits",
                "supplier list",
            ];
            for topic in topics {
                for (who, verb) in work {
                    add(
                        board,
                        task(
                            &format!("{verb}: {topic}"),
                            who,
                            &format!("{verb} the {topic} for the report."),
                            &[],
                        ),
                    )?;
                }
            }
        }
        "pipeline" => {
            let spec = add(
                board,
                task(
                    "Specify the CSV export",
                    "demo-planner",
                    "Columns, encoding, and what happens with commas in titles.",
                    &[],
                ),
            )?;
            let implement = add(
                board,
                task(
                    "Implement the CSV export",
                    "demo-implementer",
                    "Follow the spec. Review is required before it counts as done.",
                    &[&spec],
                ),
            )?;
            add(
                board,
                task(
                    "Document the CSV export",
                    "demo-writer",
                    "A short section in the user guide.",
                    &[&implement],
                ),
            )?;
        }
        "breaker" => {
            let mut broken = task("Summarise the incident report", "demo-broken",
                "The profile's command does not exist, so every start fails; after 3 the breaker blocks the task.", &[]);
            broken.max_retries = Some(3);
            add(board, broken)?;
            add(board, task("Rebuild the search index", "demo-flaky",
                "The first worker crashes mid-run; the dispatcher notices and the retry finishes.", &[]))?;
        }
        other => return Err(Error::Usage(format!("no demo story '{other}'"))),
    }
    Ok(n)
}

pub fn demo(ctx: &Ctx, a: DemoArgs) -> Result<()> {
    let chosen: Vec<&str> = match a.story.as_deref().map(str::trim) {
        None | Some("all") => STORIES.iter().map(|(s, _)| *s).collect(),
        Some(s) => match STORIES.iter().find(|(name, _)| *name == s) {
            Some((name, _)) => vec![*name],
            None => {
                let names: Vec<&str> = STORIES.iter().map(|(s, _)| *s).collect();
                return Err(Error::Usage(format!(
                    "no demo story '{s}'; pick one of: {}, all",
                    names.join(", ")
                )));
            }
        },
    };
    if a.board.is_some() && chosen.len() > 1 {
        return Err(Error::Usage(
            "--board names one board; pick one story to put on it".into(),
        ));
    }
    if !(a.pace.is_finite() && a.pace > 0.0 && a.pace <= 60.0) {
        return Err(Error::Usage(format!(
            "--pace must be between 0 and 60 seconds, got {}",
            a.pace
        )));
    }
    let home = &ctx.home;
    home.ensure()?;
    let dir: PathBuf = home.root().join("demo");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let worker = dir.join("worker.sh");
    std::fs::write(&worker, WORKER)
        .map_err(|e| Error::io(format!("cannot write {}", worker.display()), e))?;
    let baton =
        std::env::current_exe().map_err(|e| Error::io("cannot find the baton binary", e))?;
    install_profiles(home, &profiles_block(&worker, &baton, a.pace))?;
    println!(
        "Demo profiles are in {} (between the 'baton demo' markers).",
        home.config_path().display()
    );
    for story in &chosen {
        let slug = a.board.clone().unwrap_or_else(|| format!("demo-{story}"));
        if home.board_exists(&slug) {
            if !a.replace {
                return Err(Error::Failed(format!(
                    "board '{slug}' already exists; pass --replace to start the story over (the old board is archived, not deleted)"
                )));
            }
            home.remove_board(&slug, false)?;
        }
        let description = STORIES
            .iter()
            .find(|(s, _)| s == story)
            .map(|(_, d)| d.to_string());
        home.create_board(
            &slug,
            &BoardFields {
                description,
                ..Default::default()
            },
        )?;
        let mut board = home.open_board(&slug)?;
        let n = seed(&mut board, story)?;
        println!(
            "  {slug:<16} {n:>2} tasks — {}",
            STORIES
                .iter()
                .find(|(s, _)| s == story)
                .map(|(_, d)| *d)
                .unwrap_or("")
        );
    }
    println!();
    println!("Start the dispatcher and watch the boards move:");
    println!(
        "  baton serve                      # dashboard at http://127.0.0.1:3000/boards/{}",
        a.board
            .clone()
            .unwrap_or_else(|| format!("demo-{}", chosen[0]))
    );
    println!(
        "  baton --board demo-{} watch     # or follow one board from the terminal",
        chosen[0]
    );
    Ok(())
}
