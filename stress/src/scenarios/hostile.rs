//! Hostile and extreme input: every string survives byte for byte or is
//! refused by name, big things stay bounded, wide graphs stay fast.

use super::count;
use crate::util::{baton, collect, invariants, s, spawn_children, Scratch};
use crate::{Figures, Mode};
use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::Status;
use serde_json::{json, Value};
use std::time::Instant;

const STRINGS: &[&str] = &[
    "مرحبا بالعالم — right to left",
    "\u{202E}evil\u{202C} override",
    "👩‍👩‍👧‍👦 family with ZWJ, 🏳️‍🌈 flag",
    "e\u{0301} combining, Ω, 漢字, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "'; DROP TABLE tasks; --",
    "Robert'); DELETE FROM task_runs WHERE ('1'='1",
    "\" OR 1=1 --",
    "%s %n %x {0} ${HOME} $(rm -rf /) `id`",
    "<script>alert(1)</script>",
];

pub fn run(mode: Mode) -> Result<Figures, String> {
    let scratch = Scratch::new()?;
    let mut b = scratch.board()?;
    let e = |e: kernel::KernelError| e.to_string();
    let mut figures: Figures = Vec::new();

    // Strings round-trip exactly, in titles, bodies, comments and summaries.
    for text in STRINGS {
        let t = b
            .create(&NewTask {
                title: text.to_string(),
                body: Some(text.to_string()),
                ..Default::default()
            })
            .map_err(e)?;
        b.comment(&t.id, text, text).map_err(e)?;
        b.complete(
            &t.id,
            &Completion {
                summary: Some(text.to_string()),
                ..Default::default()
            },
        )
        .map_err(e)?;
        let d = b.show(&t.id).map_err(e)?;
        let run = d.runs.last().ok_or("no run")?;
        if d.task.title != *text
            || d.task.body.as_deref() != Some(text)
            || d.comments[0].body != *text
            || run.summary.as_deref() != Some(text)
        {
            return Err(format!("{text:?} did not survive the round trip"));
        }
    }
    let tables = count(
        &scratch.db(),
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
    )?;
    figures.push((
        "hostile strings round-tripped (RTL, ZWJ, SQL, format)".into(),
        STRINGS.len().to_string(),
    ));
    // Control characters in a title are refused by name.
    let bell = b.create(&NewTask::titled("ring \u{7} bell"));
    match bell {
        Err(err) if err.to_string().contains("control") => {}
        other => {
            return Err(format!(
                "a control character in a title was not refused: {other:?}"
            ))
        }
    }
    figures.push((
        "control characters in titles".into(),
        "refused by name".into(),
    ));

    // A megabyte of body and of summary, and 50 levels of metadata.
    let mb = "x".repeat(1 << 20);
    let big = b
        .create(&NewTask {
            title: "big".into(),
            body: Some(format!("{mb}\0after a NUL")),
            ..Default::default()
        })
        .map_err(e)?;
    let mut nested = json!({"leaf": "deep"});
    for i in 0..50 {
        nested = json!({ format!("level{i}"): nested });
    }
    b.complete(
        &big.id,
        &Completion {
            summary: Some(mb.clone()),
            metadata: Some(nested.clone()),
            ..Default::default()
        },
    )
    .map_err(e)?;
    let d = b.show(&big.id).map_err(e)?;
    let run = d.runs.last().ok_or("no run")?;
    if d.task.body.as_deref().map(str::len) != Some(mb.len() + 12)
        || run.summary.as_deref().map(str::len) != Some(mb.len())
        || run.metadata.as_ref() != Some(&nested)
    {
        return Err("the 1 MB body, 1 MB summary or 50-level metadata came back changed".into());
    }
    figures.push((
        "1 MB body (with NUL), 1 MB summary, 50-level metadata".into(),
        "stored and read back intact".into(),
    ));

    // 1,000 runs and 1,000 comments on one task: the worker context stays bounded.
    let n = mode.pick(1000, 1000);
    let busy = b
        .create(&NewTask {
            title: "busy".into(),
            assignee: Some("w".into()),
            ..Default::default()
        })
        .map_err(e)?;
    let t = Instant::now();
    for i in 0..n {
        let c = b.claim(&busy.id, None, Some("w")).map_err(e)?;
        b.block(
            &busy.id,
            Some(&format!("attempt {i} needs input {}", "y".repeat(200))),
            Some(c.run_id),
        )
        .map_err(e)?;
        b.unblock(&busy.id).map_err(e)?;
        b.comment(&busy.id, "w", &format!("comment {i}: {}", "z".repeat(300)))
            .map_err(e)?;
    }
    let fill = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ctx = b.worker_context(&busy.id).map_err(e)?;
    let ctx_ms = t.elapsed().as_secs_f64() * 1000.0;
    if ctx.len() > 64 * 1024 {
        return Err(format!(
            "the worker context grew to {} bytes with {n} runs and comments",
            ctx.len()
        ));
    }
    figures.push((
        format!("{n} runs + {n} comments on one task: worker context"),
        format!("{} KB, built in {ctx_ms:.1} ms", ctx.len() / 1024),
    ));
    figures.push(("time to record them".into(), format!("{fill:.1} s")));

    // 500-wide fan-out and fan-in.
    let width = 500;
    let root = b
        .create(&NewTask {
            title: "root".into(),
            assignee: Some("w".into()),
            ..Default::default()
        })
        .map_err(e)?;
    let mut kids = Vec::new();
    for i in 0..width {
        let k = b
            .create(&NewTask {
                title: format!("kid {i}"),
                assignee: Some("w".into()),
                parents: vec![root.id.clone()],
                ..Default::default()
            })
            .map_err(e)?;
        kids.push(k.id);
    }
    let sink = b
        .create(&NewTask {
            title: "sink".into(),
            assignee: Some("w".into()),
            parents: kids.clone(),
            ..Default::default()
        })
        .map_err(e)?;
    let t = Instant::now();
    b.complete(&root.id, &Completion::default()).map_err(e)?;
    let fan_out_ms = t.elapsed().as_secs_f64() * 1000.0;
    let ready = kids
        .iter()
        .filter(|k| b.get(k).map(|t| t.status == Status::Ready).unwrap_or(false))
        .count();
    if ready != width {
        return Err(format!(
            "completing the root promoted {ready} of {width} children"
        ));
    }
    for k in &kids[..width - 1] {
        b.complete(k, &Completion::default()).map_err(e)?;
    }
    if b.get(&sink.id).map_err(e)?.status != Status::Todo {
        return Err("the 500-parent task started before its last parent finished".into());
    }
    let t = Instant::now();
    b.complete(&kids[width - 1], &Completion::default())
        .map_err(e)?;
    let fan_in_ms = t.elapsed().as_secs_f64() * 1000.0;
    if b.get(&sink.id).map_err(e)?.status != Status::Ready {
        return Err("the 500-parent task was not promoted when its last parent finished".into());
    }
    figures.push((
        "500-wide fan-out: completing the parent promotes all".into(),
        format!("{fan_out_ms:.1} ms"),
    ));
    figures.push((
        "500-wide fan-in: the last parent promotes the child".into(),
        format!("{fan_in_ms:.1} ms"),
    ));

    // Two processes race the same idempotency key: one task.
    let db = scratch.db().display().to_string();
    let lines = collect(spawn_children(
        2,
        "idem-create",
        &[db, "stress-key-1".into()],
    )?)?;
    let ids: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("created "))
        .collect();
    let rows = count(
        &scratch.db(),
        "SELECT COUNT(*) FROM tasks WHERE idempotency_key = 'stress-key-1'",
    )?;
    if ids.len() != 1 || rows != 1 {
        return Err(format!(
            "an idempotency key raced by two processes made {rows} task(s): {ids:?}"
        ));
    }
    figures.push((
        "idempotency key raced by two processes".into(),
        "1 task".into(),
    ));

    // A home path with spaces and unicode, reached through a symlink.
    let real = scratch.dir.path().join("dir with spaces").join("hôme ✨");
    std::fs::create_dir_all(&real).map_err(s)?;
    let link = scratch.dir.path().join("link to home");
    std::os::unix::fs::symlink(&real, &link).map_err(s)?;
    let (code, out, err) = baton(&link, &["create", "through the link", "--json"])?;
    if code != 0 {
        return Err(format!(
            "baton on a home with spaces, unicode and a symlink failed: {err}"
        ));
    }
    let id = serde_json::from_str::<Value>(&out).map_err(s)?["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let (_, listed, _) = baton(&real, &["list", "--json"])?;
    if !listed.contains(&id) {
        return Err("a task created through the symlink is missing from the real home".into());
    }
    figures.push((
        "home with spaces, unicode and a symlink".into(),
        "works".into(),
    ));
    if tables < 6 {
        return Err("tables went missing".into());
    }
    invariants(&mut b)?;
    Ok(figures)
}
