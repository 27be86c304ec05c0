//! Agent verbs: a run's transcript, the profiles in config.toml, and the
//! doctor's check of each.

use super::Ctx;
use crate::agents::{files, AgentKind, Entry, OnExit, Permissions, Transcript};
use crate::cli::{JsonArgs, ProfileAddArgs, ProfilesCommand, TranscriptArgs};
use crate::error::{Error, Result};
use crate::ops::{NewProfile, ProfileOut};
use crate::output::{self, cell, paint, Table};
use std::io::Write;

pub fn transcript(ctx: &Ctx, a: TranscriptArgs) -> Result<()> {
    if let Some(r) = a.run {
        if r < 1 {
            return Err(Error::Usage(format!("--run must be 1 or more, got {r}")));
        }
    }
    let t = ctx.ops.transcript(ctx.board_arg(), &a.id, a.run, 0)?;
    if a.raw {
        let path = files::transcript_path(&ctx.home, &ctx.slug()?, &t.task_id, t.run_id);
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let _ = std::io::stdout().lock().write_all(&bytes);
        return Ok(());
    }
    if a.json {
        output::json(&t);
        return Ok(());
    }
    print_transcript(&t, a.verbose);
    Ok(())
}

/// One line of a tool's input or output, or all of it with `verbose`.
fn brief(text: &str, verbose: bool, max: usize) -> String {
    if verbose {
        text.to_string()
    } else {
        cell(text, max)
    }
}

fn print_transcript(t: &Transcript, verbose: bool) {
    let mut out = std::io::stdout().lock();
    let u = &t.usage;
    let mut head = format!(
        "run {} of {} · {} · {} in, {} out tokens",
        t.run_id, t.task_id, t.agent, u.input_tokens, u.output_tokens
    );
    if u.cache_read_tokens + u.cache_write_tokens > 0 {
        head.push_str(&format!(
            " (cache {} read, {} written)",
            u.cache_read_tokens, u.cache_write_tokens
        ));
    }
    if let Some(c) = u.cost_usd {
        head.push_str(&format!(" · ${c:.4}"));
    }
    let _ = writeln!(out, "{}", paint(&head, "1"));
    for e in &t.entries {
        let line = match e {
            Entry::Session { model, version, .. } => paint(
                &format!(
                    "● started{}{}",
                    model
                        .as_deref()
                        .map(|m| format!(" · {m}"))
                        .unwrap_or_default(),
                    version
                        .as_deref()
                        .map(|v| format!(" · v{v}"))
                        .unwrap_or_default()
                ),
                "90",
            ),
            Entry::Message { role, text } => {
                format!("{} {}", paint(&format!("{role}:"), "36"), text.trim())
            }
            Entry::ToolCall { name, input, .. } => format!(
                "{} {} {}",
                paint("→", "33"),
                paint(name, "33"),
                brief(&input.to_string(), verbose, 100)
            ),
            Entry::ToolResult {
                output,
                is_error,
                omitted,
                ..
            } => {
                let mark = if *is_error {
                    paint("  ✗", "31")
                } else {
                    paint("  ←", "90")
                };
                let more = if *omitted > 0 {
                    format!(" [{omitted} more chars]")
                } else {
                    String::new()
                };
                format!("{mark} {}{more}", brief(output, verbose, 100))
            }
            Entry::Error { message } => paint(&format!("✗ error: {message}"), "31"),
            Entry::Result { text, is_error } => {
                let label = if *is_error { "✗ result" } else { "= result" };
                if text.is_empty() {
                    paint(label, "32")
                } else {
                    format!("{} {}", paint(&format!("{label}:"), "32"), text.trim())
                }
            }
            Entry::Raw { text } => paint(&format!("? {}", brief(text, verbose, 100)), "90"),
        };
        let _ = writeln!(out, "{line}");
    }
    if t.malformed + t.unknown > 0 {
        let _ = writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "({} lines were not JSON and {} events were of a kind Baton does not know; they are shown with ?)",
                    t.malformed, t.unknown
                ),
                "90"
            )
        );
    }
}

pub fn profiles(ctx: &Ctx, c: ProfilesCommand) -> Result<()> {
    match c {
        ProfilesCommand::List(a) => {
            let list = ctx.ops.profiles()?;
            if a.json {
                output::json(&list);
                return Ok(());
            }
            if list.is_empty() {
                println!("No profiles yet. Add one: baton profiles add coder --agent claude-code");
                return Ok(());
            }
            let mut t = Table::new(&[
                "NAME",
                "KIND",
                "MODEL",
                "PERMISSIONS",
                "ON EXIT",
                "MAX",
                "COMMAND",
            ]);
            for p in &list {
                t.row(vec![
                    (p.name.clone(), Some("1")),
                    (p.kind.as_str().to_string(), None),
                    (p.model.clone().unwrap_or_else(|| "-".into()), None),
                    (agent_only(p, p.permissions.as_str()), None),
                    (agent_only(p, p.on_exit.as_str()), None),
                    (p.max_concurrent.map_or("-".into(), |m| m.to_string()), None),
                    (cell(&p.command.join(" "), 60), None),
                ]);
            }
            t.print();
            Ok(())
        }
        ProfilesCommand::Show { name, json } => {
            let p = ctx.ops.profile(&name)?;
            if json {
                output::json(&p);
            } else {
                print_profile(&p);
            }
            Ok(())
        }
        ProfilesCommand::Add(a) => {
            let json = a.json;
            let p = ctx.ops.add_profile(&new_profile(a)?)?;
            if json {
                output::json(&p);
            } else {
                println!(
                    "Added profile {} ({}) to {}.",
                    p.name,
                    p.kind.as_str(),
                    ctx.home.config_path().display()
                );
                println!("Check it can start: baton doctor");
            }
            Ok(())
        }
        ProfilesCommand::Resume { name, json } => {
            let ended = ctx.ops.resume_profile(&name)?;
            if json {
                output::json(&serde_json::json!({ "profile": name.trim(), "resumed": ended }));
            } else {
                match ended {
                    Some(_) => println!("Resumed {}: its ready tasks start again.", name.trim()),
                    None => println!("{} was not paused.", name.trim()),
                }
            }
            Ok(())
        }
        ProfilesCommand::Rm { name, json } => {
            let p = ctx.ops.remove_profile(&name)?;
            if json {
                output::json(&p);
            } else {
                println!("Removed profile {}; its tasks keep their assignee.", p.name);
            }
            Ok(())
        }
    }
}

fn agent_only(p: &ProfileOut, v: &str) -> String {
    if p.kind.is_agent() {
        v.to_string()
    } else {
        "-".into()
    }
}

fn print_profile(p: &ProfileOut) {
    println!("{}", paint(&p.name, "1"));
    println!("  kind:           {}", p.kind.as_str());
    if p.kind.is_agent() {
        println!(
            "  program:        {}",
            p.bin.as_deref().or(p.kind.default_bin()).unwrap_or("-")
        );
        println!(
            "  model:          {}",
            p.model.as_deref().unwrap_or("(the CLI's default)")
        );
        println!("  permissions:    {}", p.permissions.as_str());
        println!("  on exit:        {}", p.on_exit.as_str());
        if !p.args.is_empty() {
            println!("  extra args:     {}", p.args.join(" "));
        }
    } else {
        println!("  command:        {}", p.command.join(" "));
    }
    println!(
        "  max concurrent: {}",
        p.max_concurrent
            .map_or("no limit".into(), |m| m.to_string())
    );
    if !p.env_keys.is_empty() {
        println!("  env:            {}", p.env_keys.join(", "));
    }
    if let Some(pause) = &p.paused {
        let why = match pause.reason {
            kernel::agent::PauseReason::RateLimit => "rate-limited",
            kernel::agent::PauseReason::Auth => "its login failed",
        };
        println!(
            "  {}         {why} {}",
            paint("paused:", "33"),
            crate::pauses::describe(pause, kernel::clock::system_now())
        );
        println!("                  {}", pause.message);
        if let (Some(t), Some(b)) = (&pause.task, &pause.board) {
            println!(
                "                  set off by {t} on {b}; baton profiles resume {} ends it",
                p.name
            );
        }
    }
}

fn new_profile(a: ProfileAddArgs) -> Result<NewProfile> {
    let kind = match a.agent.as_deref() {
        Some(k) => Some(AgentKind::parse(k).ok_or_else(|| {
            Error::Usage(format!(
                "unknown agent '{k}'; use one of {}",
                AgentKind::names()
            ))
        })?),
        None => None,
    };
    let permissions = match a.permissions.as_deref() {
        Some(p) => Some(Permissions::parse(p).ok_or_else(|| {
            Error::Usage(format!(
                "unknown --permissions '{p}'; use workspace, read-only or full"
            ))
        })?),
        None => None,
    };
    let on_exit = match a.on_exit.as_deref() {
        Some(o) => Some(OnExit::parse(o).ok_or_else(|| {
            Error::Usage(format!(
                "unknown --on-exit '{o}'; use block, complete or retry"
            ))
        })?),
        None => None,
    };
    let mut env = std::collections::BTreeMap::new();
    for kv in &a.env {
        let Some((k, v)) = kv.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(Error::Usage(format!("--env wants KEY=VALUE, got '{kv}'")));
        };
        env.insert(k.trim().to_string(), v.to_string());
    }
    Ok(NewProfile {
        name: a.name,
        kind,
        command: a.command,
        bin: a.bin,
        model: a.model,
        args: a.args,
        permissions,
        on_exit,
        max_concurrent: a.max_concurrent,
        env,
        replace: a.replace,
    })
}

pub fn doctor(ctx: &Ctx, a: JsonArgs) -> Result<()> {
    let checks = ctx.ops.doctor()?;
    let failed = checks.iter().filter(|c| !c.ok).count();
    if a.json {
        output::json(&checks);
    } else if checks.is_empty() {
        println!("No profiles to check. Add one: baton profiles add coder --agent claude-code");
    } else {
        for c in &checks {
            let mark = if c.ok {
                paint("ok", "32")
            } else {
                paint("FAIL", "31")
            };
            let mut line = format!("{mark}  {} ({})", paint(&c.profile, "1"), c.kind.as_str());
            match &c.path {
                Some(p) => line.push_str(&format!(" · {p}")),
                None => line.push_str(&format!(" · {} not found", c.program)),
            }
            if let Some(v) = &c.version {
                line.push_str(&format!(" · {v}"));
            }
            if let Some(k) = &c.credentials {
                line.push_str(&format!(" · {k}"));
            }
            println!("{line}");
            for p in &c.problems {
                println!("      {p}");
            }
        }
    }
    if failed > 0 {
        return Err(Error::Failed(format!(
            "{failed} of {} profiles cannot be started",
            checks.len()
        )));
    }
    Ok(())
}

pub fn diff(ctx: &Ctx, a: crate::cli::DiffArgs) -> Result<()> {
    let d = ctx.ops.diff(ctx.board_arg(), &a.id, a.patch)?;
    if a.json {
        output::json(&d);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} · branch {} · {}{}",
        paint(&d.task_id, "1"),
        d.branch,
        d.path,
        if d.dirty {
            " · uncommitted changes"
        } else {
            ""
        }
    );
    for c in &d.commits {
        let _ = writeln!(out, "  {c}");
    }
    if d.stat.is_empty() {
        let _ = writeln!(out, "no changes");
    } else {
        let _ = writeln!(out, "{}", d.stat);
    }
    if let Some(p) = &d.patch {
        let _ = writeln!(out, "\n{p}");
    }
    Ok(())
}
