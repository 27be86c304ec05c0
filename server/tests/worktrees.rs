//! Worktree workspaces on a real git repository: one worktree and branch
//! per task from the board's repository, reused by a retry, shown by
//! `baton diff`, removed once the task is archived — but kept while it has
//! uncommitted changes, unless forced.

mod common;

use common::Baton;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn settle(b: &Baton, id: &str, want: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        b.run(&["dispatch"]).ok();
        let s = b.run(&["show", id, "--json"]).ok().json();
        if s["task"]["status"] == want {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "{id} never became {want}: {s}\n{}",
            b.run(&["log", id]).stdout
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn each_task_gets_its_own_worktree_and_branch_reused_on_retry_and_removed_when_archived() {
    let b = Baton::new();
    let repo = b.dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    git(&repo, &["add", "README"]);
    git(&repo, &["commit", "-qm", "start"]);

    let repo_s = repo.display().to_string();
    b.run(&[
        "boards",
        "create",
        "proj",
        "--default-workdir",
        &repo_s,
        "--switch",
    ])
    .ok();
    // A worker that commits its work; one that fails its first attempt,
    // leaving a marker in its workspace that the retry must find.
    std::fs::write(
        b.home.join("config.toml"),
        r#"[profiles.committer]
command = ["sh", "-c", "echo $BATON_TASK > work.txt && git add work.txt && git -c user.name=W -c user.email=w@example.com commit -qm \"work on $BATON_TASK\" && baton complete --summary committed"]

[profiles.flaky]
command = ["sh", "-c", "if [ -f .attempted ]; then baton complete --summary 'second attempt'; else touch .attempted; exit 3; fi"]
"#,
    )
    .unwrap();

    let a = b.create(
        "Task A",
        &["--assignee", "committer", "--workspace", "worktree"],
    );
    let c = b.create(
        "Task C",
        &[
            "--assignee",
            "committer",
            "--workspace",
            "worktree",
            "--branch",
            "feature/c",
        ],
    );
    settle(&b, &a, "done");
    settle(&b, &c, "done");
    let branches = git(&repo, &["branch", "--list"]);
    assert!(branches.contains(&format!("baton/{a}")), "{branches}");
    assert!(branches.contains("feature/c"), "{branches}");
    let wa = repo.join(".worktrees").join(&a);
    let wc = repo.join(".worktrees").join(&c);
    assert_eq!(
        std::fs::read_to_string(wa.join("work.txt")).unwrap().trim(),
        a
    );
    assert_eq!(
        std::fs::read_to_string(wc.join("work.txt")).unwrap().trim(),
        c
    );
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        "",
        "the worktrees do not dirty the repository"
    );

    // baton diff: the branch, its commit, the change.
    let d = b.run(&["diff", &a, "--json"]).ok().json();
    assert_eq!(d["branch"], format!("baton/{a}"));
    assert_eq!(d["commits"].as_array().unwrap().len(), 1, "{d}");
    assert!(d["stat"].as_str().unwrap().contains("work.txt"), "{d}");
    assert_eq!(d["dirty"], false);
    let human = b.run(&["diff", &a, "--patch"]).ok().stdout;
    assert!(human.contains(&format!("+{a}")), "{human}");
    b.run(&["diff", &b.create("Scratch", &[])]).code(2);
    // The same over REST.
    let server = common::http::serve(&b, &["--no-dispatcher"]);
    let over_http = server
        .get(&format!("/api/v1/tasks/{a}/diff?patch=true"))
        .expect(200)
        .json();
    assert_eq!(over_http["branch"], format!("baton/{a}"));
    assert!(over_http["patch"]
        .as_str()
        .unwrap()
        .contains(&format!("+{a}")));
    drop(server);

    // A retry runs in the same worktree.
    let f = b.create("Flaky", &["--assignee", "flaky", "--workspace", "worktree"]);
    let s = settle(&b, &f, "done");
    let runs = s["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{s}");
    assert_eq!(runs[0]["outcome"], "crashed");
    assert_eq!(runs[1]["summary"], "second attempt");

    // Archived: A's worktree goes (its branch stays); C with uncommitted
    // changes stays until forced.
    std::fs::write(wc.join("notes.txt"), "not committed\n").unwrap();
    let d = b.run(&["diff", &c, "--json"]).ok().json();
    assert_eq!(d["dirty"], true);
    assert!(
        d["stat"]
            .as_str()
            .unwrap()
            .contains("notes.txt (new, not added)"),
        "{d}"
    );
    b.run(&["archive", &a, &c]).ok();
    let gc = b.run(&["gc", "--json"]).ok().json();
    let actions: Vec<(String, String)> = gc["worktrees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["task_id"].as_str().unwrap().to_string(),
                w["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(actions.contains(&(a.clone(), "removed".into())), "{gc}");
    assert!(actions.contains(&(c.clone(), "kept".into())), "{gc}");
    assert!(!wa.exists());
    assert!(wc.join("notes.txt").exists());
    assert!(
        git(&repo, &["branch", "--list"]).contains(&format!("baton/{a}")),
        "the branch keeps the work"
    );
    let gc = b.run(&["gc", "--force", "--json"]).ok().json();
    assert!(gc.to_string().contains("removed"), "{gc}");
    assert!(!wc.exists());
}

#[test]
fn a_worktree_task_on_a_board_without_a_repository_fails_to_start_saying_why() {
    let b = Baton::new();
    let dir = b.dir.path().join("plain");
    std::fs::create_dir_all(&dir).unwrap();
    let dir_s = dir.display().to_string();
    b.run(&[
        "boards",
        "create",
        "proj",
        "--default-workdir",
        &dir_s,
        "--switch",
    ])
    .ok();
    std::fs::write(
        b.home.join("config.toml"),
        "[profiles.w]\ncommand = [\"true\"]\n",
    )
    .unwrap();
    let id = b.create("Task", &["--assignee", "w", "--workspace", "worktree"]);
    let report = b.run(&["dispatch", "--json"]).ok().json();
    let err = report["spawn_failed"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(err.contains("is not a git repository"), "{report}");
    let _ = id;
}
