//! Outside programs on the board file: while `baton serve` acknowledges
//! creates from keep-alive clients, other programs open and close the
//! database again and again — the `sqlite3` shell, Python's `sqlite3`
//! read-write and read-only, a `baton daemon` started and stopped, `baton
//! mcp` sessions, CLI reads. After a clean stop every acknowledged task must
//! be in the file. (Closing a descriptor of the file drops a process's POSIX
//! locks; a server that lost its SHARED lock lets an outside closer believe it
//! is the last user and delete the WAL under it.)

use crate::util::{baton_bin, s, KeepAlive, Scratch, Server};
use crate::{Figures, Mode};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The kinds of outside access, taken in turn.
const KINDS: &[&str] = &[
    "sqlite3 shell",
    "python read-write",
    "python read-only",
    "baton daemon",
    "baton mcp",
    "cli list",
    "cli show",
];

pub fn run(mode: Mode) -> Result<Figures, String> {
    if Command::new("sqlite3").arg("--version").output().is_err() {
        return Err(
            "the sqlite3 shell is missing (scripts/setup.sh installs Debian's sqlite3)".into(),
        );
    }
    if Command::new("python3").arg("--version").output().is_err() {
        return Err("python3 is missing".into());
    }
    let runs = mode.pick(3, 6);
    let seconds = mode.pick(4, 20);
    let clients = 8;
    let mut acked_total = 0;
    let mut opens: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lost_per_run = Vec::new();
    for _ in 0..runs {
        let (acked, run_opens) = one_run(clients, Duration::from_secs(seconds))?;
        acked_total += acked.0;
        lost_per_run.push(acked.1.to_string());
        for (k, n) in run_opens {
            *opens.entry(k).or_default() += n;
        }
        if acked.1 > 0 {
            return Err(format!(
                "{} of {} acknowledged tasks are missing after a clean stop (outside opens: {opens:?})",
                acked.1, acked.0
            ));
        }
    }
    let mut figures: Figures = vec![
        ("runs × seconds".into(), format!("{runs} × {seconds} s")),
        ("keep-alive HTTP clients".into(), clients.to_string()),
        ("acknowledged creates".into(), acked_total.to_string()),
    ];
    for (k, n) in opens {
        figures.push((format!("outside opens: {k}"), n.to_string()));
    }
    figures.push((
        "acknowledged tasks lost, per run".into(),
        lost_per_run.join(", "),
    ));
    Ok(figures)
}

/// One server, `clients` writers and one outside opener for `length`; returns
/// ((acknowledged, missing), opens by kind).
#[allow(clippy::type_complexity)]
fn one_run(
    clients: usize,
    length: Duration,
) -> Result<((usize, usize), BTreeMap<&'static str, usize>), String> {
    let scratch = Scratch::new()?;
    let home = scratch.home.root().to_path_buf();
    let db = scratch.db();
    let server = Server::start(&home)?;
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = (0..clients)
        .map(|c| {
            let (stop, acked, addr) = (stop.clone(), acked.clone(), server.addr.clone());
            std::thread::spawn(move || -> Result<(), String> {
                let mut conn = KeepAlive::connect(&addr)?;
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let body = format!("{{\"title\": \"client {c} write {n}\"}}");
                    let (status, text) = conn.request("POST", "/api/v1/tasks", &body)?;
                    if status != 200 {
                        return Err(format!("a create answered {status}: {text}"));
                    }
                    let id = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v["task"]["id"].as_str().map(str::to_string))
                        .ok_or_else(|| format!("no task id in {text}"))?;
                    acked.lock().unwrap_or_else(|p| p.into_inner()).push(id);
                    n += 1;
                }
                Ok(())
            })
        })
        .collect();
    let mut opens: BTreeMap<&'static str, usize> = BTreeMap::new();
    let started = Instant::now();
    let mut turn = 0;
    let mut outside_error = None;
    while started.elapsed() < length {
        let kind = KINDS[turn % KINDS.len()];
        let some_id = acked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first()
            .cloned();
        if let Err(e) = open_from_outside(kind, &home, &db, some_id.as_deref()) {
            outside_error = Some(format!("{kind}: {e}"));
            break;
        }
        *opens.entry(kind).or_default() += 1;
        turn += 1;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().map_err(|_| "a writer panicked")??;
    }
    // A clean stop: SIGTERM and wait.
    drop(server);
    if let Some(e) = outside_error {
        return Err(e);
    }
    let acked = acked.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let conn = rusqlite::Connection::open(&db).map_err(s)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(s)?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    let mut stmt = conn
        .prepare("SELECT count(*) FROM tasks WHERE id = ?1")
        .map_err(s)?;
    let mut missing = 0;
    for id in &acked {
        let n: i64 = stmt.query_row([id], |r| r.get(0)).map_err(s)?;
        if n != 1 {
            missing += 1;
        }
    }
    Ok(((acked.len(), missing), opens))
}

/// Opens the board the way `kind` does and closes it again.
fn open_from_outside(kind: &str, home: &Path, db: &Path, id: Option<&str>) -> Result<(), String> {
    let path = db.to_str().ok_or("a home path that is not UTF-8")?;
    match kind {
        "sqlite3 shell" => run_ok(Command::new("sqlite3").arg(path).arg("select count(*) from tasks")),
        "python read-write" => run_ok(Command::new("python3").args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('select count(*) from tasks').fetchone(); c.close()",
            path,
        ])),
        "python read-only" => run_ok(Command::new("python3").args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True); c.execute('select count(*) from tasks').fetchone(); c.close()",
            path,
        ])),
        "baton daemon" => {
            let mut child = baton_command(home)
                .arg("daemon")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(s)?;
            std::thread::sleep(Duration::from_millis(300));
            // SAFETY: signalling our own child.
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            child.wait().map_err(s)?;
            Ok(())
        }
        "baton mcp" => mcp_session(home, id),
        "cli list" => run_ok(baton_command(home).args(["list", "--json"])),
        "cli show" => match id {
            Some(id) => run_ok(baton_command(home).args(["show", id, "--json"])),
            None => run_ok(baton_command(home).args(["stats", "--json"])),
        },
        other => Err(format!("no outside access {other}")),
    }
}

fn baton_command(home: &Path) -> Command {
    let mut c = Command::new(baton_bin().unwrap_or_else(|_| "baton".into()));
    c.arg("--home").arg(home);
    for var in ["BATON_TASK", "BATON_RUN", "BATON_BOARD", "BATON_PROFILE"] {
        c.env_remove(var);
    }
    c.env("BATON_LOG", "error");
    c
}

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.stdin(Stdio::null()).output().map_err(s)?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "exit {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// An MCP session over stdio: initialize, read a task, end.
fn mcp_session(home: &Path, id: Option<&str>) -> Result<(), String> {
    let mut child = baton_command(home)
        .arg("mcp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(s)?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut send =
        |v: serde_json::Value| -> Result<(), String> { writeln!(stdin, "{v}").map_err(s) };
    send(
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "baton-stress", "version": "1"}}}),
    )?;
    let mut line = String::new();
    out.read_line(&mut line).map_err(s)?;
    send(serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))?;
    if let Some(id) = id {
        send(
            serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "kanban_show", "arguments": {"task_id": id}}}),
        )?;
        line.clear();
        out.read_line(&mut line).map_err(s)?;
        if !line.contains("\"result\"") {
            return Err(format!("kanban_show answered {line}"));
        }
    }
    drop(stdin);
    child.wait().map_err(s)?;
    Ok(())
}
