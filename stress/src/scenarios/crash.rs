//! Crash safety: `kill -9` the server while clients write; every write it
//! acknowledged is there afterwards and the file is intact. A corrupted
//! file is refused, kept and backed up, never overwritten.

use crate::util::{auth, baton, http, s, Scratch, Server};
use crate::{Figures, Mode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub fn run(mode: Mode) -> Result<Figures, String> {
    let writes = mode.pick(1000, 5000);
    let clients = 4;
    let scratch = Scratch::new()?;
    let home = scratch.home.root().to_path_buf();
    let mut server = Server::start(&home)?;
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let sent = Arc::new(AtomicUsize::new(0));
    let addr = server.addr.clone();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (acked, sent, addr) = (acked.clone(), sent.clone(), addr.clone());
            std::thread::spawn(move || {
                let (k, v) = auth();
                loop {
                    let n = sent.fetch_add(1, Ordering::SeqCst);
                    if n >= writes {
                        return;
                    }
                    let body = format!("{{\"title\": \"write {n} from client {c}\"}}");
                    match http(&addr, "POST", "/api/v1/tasks", &[(k, &v)], Some(&body)) {
                        Ok((200, text)) => {
                            if let Some(id) = serde_json::from_str::<serde_json::Value>(&text)
                                .ok()
                                .and_then(|v| v["task"]["id"].as_str().map(str::to_string))
                            {
                                acked.lock().unwrap_or_else(|p| p.into_inner()).push(id);
                            }
                        }
                        // The server is gone: stop.
                        _ => return,
                    }
                }
            })
        })
        .collect();
    // Pull the plug halfway through.
    while acked.lock().unwrap_or_else(|p| p.into_inner()).len() < writes / 2 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    server.kill9();
    for t in threads {
        let _ = t.join();
    }
    let acked = acked.lock().unwrap_or_else(|p| p.into_inner()).clone();
    // The file must be intact and hold every acknowledged write.
    let db = scratch.db();
    let conn = rusqlite::Connection::open(&db).map_err(s)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(s)?;
    if integrity != "ok" {
        return Err(format!("integrity_check after kill -9: {integrity}"));
    }
    drop(conn);
    let mut b = scratch.board()?;
    let mut missing = 0;
    for id in &acked {
        if b.get(id).is_err() {
            missing += 1;
        }
    }
    if missing > 0 {
        return Err(format!(
            "{missing} of {} acknowledged writes are gone after kill -9",
            acked.len()
        ));
    }
    crate::util::invariants(&mut b)?;
    drop(b);
    // And the server starts again on it.
    let again = Server::start(&home)?;
    let (k, v) = auth();
    let (status, _) = http(&again.addr, "GET", "/api/v1/board", &[(k, &v)], None)?;
    drop(again);
    if status != 200 {
        return Err(format!("the restarted server answered {status}"));
    }

    // A corrupted file: refused with a clear message, kept, and backed up.
    let bad = Scratch::new()?;
    let bad_home = bad.home.root().to_path_buf();
    baton(&bad_home, &["create", "soon corrupted"])?;
    let path = bad.db();
    let mut bytes = std::fs::read(&path).map_err(s)?;
    let len = bytes.len();
    for (i, b) in bytes
        .iter_mut()
        .enumerate()
        .skip(100)
        .take(len.min(8192) - 100)
    {
        *b = (i * 7) as u8;
    }
    std::fs::write(&path, &bytes).map_err(s)?;
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    let (code, _, err) = baton(&bad_home, &["list"])?;
    let kept = std::fs::read(&path)
        .map(|now| now == bytes)
        .unwrap_or(false);
    let backups: Vec<Vec<u8>> = std::fs::read_dir(path.parent().ok_or("no dir")?)
        .map_err(s)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt."))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .collect();
    let backed_up = backups.contains(&bytes);
    let backups = backups.len();
    if code == 0 || !(kept || backed_up) || backups == 0 {
        return Err(format!(
            "a corrupted database: exit {code}, left untouched {kept}, backups {backups}: {err}"
        ));
    }
    Ok(vec![
        (
            "client threads, writes attempted".into(),
            format!("{clients}, {writes}"),
        ),
        (
            "writes acknowledged before kill -9".into(),
            acked.len().to_string(),
        ),
        ("acknowledged writes missing afterwards".into(), "0".into()),
        ("PRAGMA integrity_check".into(), "ok".into()),
        ("server restarts on the file".into(), "yes".into()),
        (
            "corrupted file".into(),
            format!(
                "refused (exit {code}); {}, backed up byte for byte ({backups} file(s))",
                if kept { "left in place" } else { "moved aside" }
            ),
        ),
        (
            "its message".into(),
            err.lines().next().unwrap_or("").replace('|', "/"),
        ),
    ])
}
