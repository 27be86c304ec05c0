//! Opening a board database: refuse what is not ours, quarantine what is
//! broken, set the pragmas, bring the schema up to date.

use super::file_bytes;
use super::schema::{self, SCHEMA_VERSION};
use crate::error::{KernelError, Result};
use crate::options::{BoardOptions, Durability};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a non-empty file that does not start with SQLite's magic bytes
/// before SQLite gets a chance to change it. The bytes are read through the
/// connection's own file handle, never a second descriptor (see
/// [`super::file_bytes`] for why a plain `File::open` would lose data).
fn check_header(conn: &Connection, path: &Path) -> Result<()> {
    let head = file_bytes::read(conn, 0, SQLITE_MAGIC.len())?;
    let filled = head.len();
    if filled == 0 || head.as_slice() == SQLITE_MAGIC.as_slice() {
        return Ok(());
    }
    let reason = if filled < SQLITE_MAGIC.len() {
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

/// Copies a corrupt database (and its WAL) aside, leaving the original where
/// it is. The database's bytes come through `conn`'s own file handle; the
/// `-shm` index is not copied (it is rebuilt from the WAL, and opening it
/// would drop the WAL locks of every connection in this process).
pub fn quarantine(conn: &Connection, path: &Path) -> Result<PathBuf> {
    let bytes = file_bytes::read_all(conn)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kanban.db".into());
    let backup = path.with_file_name(format!("{name}.corrupt.{:016x}.bak", fingerprint(&bytes)));
    if !backup.exists() {
        std::fs::write(&backup, &bytes)
            .map_err(|e| KernelError::io(format!("cannot write backup {}", backup.display()), e))?;
        if let Some(wal) = file_bytes::read_wal(path) {
            let _ = std::fs::write(format!("{}-wal", backup.display()), wal);
        }
    }
    Ok(backup)
}

fn corrupt(conn: &Connection, path: &Path, err: &rusqlite::Error) -> KernelError {
    match quarantine(conn, path) {
        Ok(backup) => KernelError::Corrupt {
            path: path.to_path_buf(),
            backup,
            detail: err.to_string(),
        },
        Err(e) => e,
    }
}

fn set_pragmas(conn: &Connection, options: &BoardOptions) -> rusqlite::Result<()> {
    conn.busy_timeout(options.busy_timeout)?;
    // WAL lets readers (the dashboard, `baton list`) run beside a writer, and with
    // synchronous=NORMAL a commit is durable across process crashes without an
    // fsync per transaction; Durability::Full trades speed for power-loss safety.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some filesystems (network mounts) refuse WAL; the rollback journal still works.
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        })?;
    }
    let sync = match options.durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
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
pub fn open(path: &Path, options: &BoardOptions) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| KernelError::io(format!("cannot create {}", dir.display()), e))?;
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Opening reads and writes nothing yet; the header is checked through
    // this connection before the first statement touches the file.
    let mut conn = Connection::open_with_flags(path, flags)?;
    check_header(&conn, path)?;
    set_pragmas(&conn, options).map_err(|e| {
        if is_corruption(&e) {
            corrupt(&conn, path, &e)
        } else {
            e.into()
        }
    })?;
    let version = schema::user_version(&conn).map_err(|e| {
        if is_corruption(&e) {
            corrupt(&conn, path, &e)
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
                    corrupt(&tx, path, &e)
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
                corrupt(conn, path, &e)
            } else {
                e.into()
            }
        })?;
    if lines.len() == 1 && lines[0] == "ok" {
        return Ok(());
    }
    let backup = quarantine(conn, path)?;
    Err(KernelError::Corrupt {
        path: path.to_path_buf(),
        backup,
        detail: lines.join("; "),
    })
}
