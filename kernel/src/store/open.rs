//! Opening a board database: refuse what is not ours, quarantine what is
//! broken, set the pragmas, bring the schema up to date.

use super::schema::{self, SCHEMA_VERSION};
use crate::error::{KernelError, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How long a writer waits for another process's lock before giving up.
pub fn busy_timeout() -> Duration {
    std::env::var("BATON_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(30))
}

/// Refuses a non-empty file that does not start with SQLite's magic bytes
/// before SQLite gets a chance to touch it.
fn check_header(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(KernelError::io(
                format!("cannot read {}", path.display()),
                e,
            ))
        }
    };
    let mut head = [0u8; 16];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => {
                return Err(KernelError::io(
                    format!("cannot read {}", path.display()),
                    e,
                ))
            }
        }
    }
    if filled == 0 || &head[..filled] == SQLITE_MAGIC.as_slice() {
        return Ok(());
    }
    let reason = if filled < head.len() {
        format!("the file is only {filled} bytes and has no SQLite header")
    } else if head[0] == 0x16 && head[1] == 0x03 {
        "it starts with a TLS record, not an SQLite header".to_string()
    } else {
        "invalid SQLite header".to_string()
    };
    Err(KernelError::NotADatabase {
        path: path.to_path_buf(),
        reason,
    })
}

fn is_corruption(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase)
    )
}

/// 64-bit FNV-1a: a stable fingerprint so repeated opens of the same broken
/// bytes reuse one backup instead of filling the disk.
fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Copies a corrupt database (and its WAL) aside, leaving the original where it is.
pub fn quarantine(path: &Path) -> Result<PathBuf> {
    let bytes = std::fs::read(path)
        .map_err(|e| KernelError::io(format!("cannot read {}", path.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kanban.db".into());
    let backup = path.with_file_name(format!("{name}.corrupt.{:016x}.bak", fingerprint(&bytes)));
    if !backup.exists() {
        std::fs::write(&backup, &bytes)
            .map_err(|e| KernelError::io(format!("cannot write backup {}", backup.display()), e))?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                let _ = std::fs::copy(&side, format!("{}{suffix}", backup.display()));
            }
        }
    }
    Ok(backup)
}

fn corrupt(path: &Path, err: &rusqlite::Error) -> KernelError {
    match quarantine(path) {
        Ok(backup) => KernelError::Corrupt {
            path: path.to_path_buf(),
            backup,
            detail: err.to_string(),
        },
        Err(e) => e,
    }
}

fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(busy_timeout())?;
    // WAL lets readers (the dashboard, `baton list`) run beside a writer, and with
    // synchronous=NORMAL a commit is durable across process crashes without an
    // fsync per transaction; BATON_SYNC=full trades speed for power-loss safety.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some filesystems (network mounts) refuse WAL; the rollback journal still works.
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        })?;
    }
    let sync = match std::env::var("BATON_SYNC").as_deref() {
        Ok("full") | Ok("FULL") => "FULL",
        _ => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA synchronous = {sync};
         PRAGMA foreign_keys = OFF;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;"
    ))?;
    Ok(())
}

/// Opens (creating if needed) the database at `path`, ready for use.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| KernelError::io(format!("cannot create {}", dir.display()), e))?;
        }
    }
    check_header(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    set_pragmas(&conn).map_err(|e| {
        if is_corruption(&e) {
            corrupt(path, &e)
        } else {
            e.into()
        }
    })?;
    let version = schema::user_version(&conn).map_err(|e| {
        if is_corruption(&e) {
            corrupt(path, &e)
        } else {
            e.into()
        }
    })?;
    if version > SCHEMA_VERSION {
        return Err(KernelError::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        if schema::user_version(&tx)? < SCHEMA_VERSION {
            schema::migrate(&tx).map_err(|e| {
                if is_corruption(&e) {
                    corrupt(path, &e)
                } else {
                    e.into()
                }
            })?;
        }
        tx.commit()?;
    }
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

/// Full integrity check, for long-lived processes at start and for `doctor`-style
/// commands; a failure quarantines a copy and refuses the file.
pub fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| {
            if is_corruption(&e) {
                corrupt(path, &e)
            } else {
                e.into()
            }
        })?;
    if lines.len() == 1 && lines[0] == "ok" {
        return Ok(());
    }
    let backup = quarantine(path)?;
    Err(KernelError::Corrupt {
        path: path.to_path_buf(),
        backup,
        detail: lines.join("; "),
    })
}
