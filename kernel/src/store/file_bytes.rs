//! Reading a board database's bytes through SQLite's own file handle.
//!
//! Why not `std::fs::File`: POSIX advisory locks belong to a process and an
//! inode, and closing *any* descriptor of a file drops *all* of the process's
//! locks on it. In WAL mode every open SQLite connection holds a SHARED lock
//! on the database file; a connection in another program that closes uses
//! those locks to tell whether it is the last one, and the last one
//! checkpoints and deletes the WAL. One `File::open` + close of the database
//! in a process with open connections silently drops their locks, and the
//! next outside reader that closes removes the WAL under them: acknowledged
//! writes are lost. SQLite's unix VFS shares one descriptor per inode among
//! its connections and defers closing it while any lock is held, so reading
//! through a connection's own handle cannot drop anything.
//!
//! The `-shm` file carries the WAL's read and write locks, so it is never
//! opened here at all. The `-wal` file carries no POSIX locks (SQLite locks
//! the database and `-shm` only); [`read_wal`] is the one place that opens a
//! board's file with a plain descriptor, and it says so.

use rusqlite::ffi;
use rusqlite::Connection;
use std::path::Path;

/// SQLite's handle on the main database file of `conn`.
fn main_file(conn: &Connection) -> rusqlite::Result<*mut ffi::sqlite3_file> {
    let mut file: *mut ffi::sqlite3_file = std::ptr::null_mut();
    // SAFETY: `handle()` is the live connection we borrow; FILE_POINTER writes
    // one pointer into `file`, which outlives the call. The pointer stays valid
    // while the connection is open, and we only use it while `conn` is borrowed.
    let rc = unsafe {
        ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            ffi::SQLITE_FCNTL_FILE_POINTER,
            (&mut file as *mut *mut ffi::sqlite3_file).cast(),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(failure(rc, "cannot reach the database file"));
    }
    // SAFETY: a non-null handle returned by SQLite points at an sqlite3_file.
    if file.is_null() || unsafe { (*file).pMethods.is_null() } {
        return Err(failure(
            ffi::SQLITE_CANTOPEN,
            "the database file is not open",
        ));
    }
    Ok(file)
}

fn failure(rc: i32, what: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(what.to_string()))
}

/// The size of the main database file in bytes (what is on disk, the WAL aside).
pub(super) fn size(conn: &Connection) -> rusqlite::Result<u64> {
    let file = main_file(conn)?;
    let mut bytes: ffi::sqlite3_int64 = 0;
    // SAFETY: `file` is a live handle (see main_file); xFileSize writes one integer.
    let rc = unsafe {
        match (*(*file).pMethods).xFileSize {
            Some(f) => f(file, &mut bytes),
            None => ffi::SQLITE_MISUSE,
        }
    };
    if rc != ffi::SQLITE_OK {
        return Err(failure(rc, "cannot read the database file's size"));
    }
    Ok(u64::try_from(bytes).unwrap_or(0))
}

/// Reads up to `len` bytes from `offset` of the main database file.
pub(super) fn read(conn: &Connection, offset: u64, len: usize) -> rusqlite::Result<Vec<u8>> {
    let total = size(conn)?;
    let len = len.min(total.saturating_sub(offset) as usize);
    let mut buf = vec![0u8; len];
    if len == 0 {
        return Ok(buf);
    }
    let file = main_file(conn)?;
    let amount = i32::try_from(len).map_err(|_| failure(ffi::SQLITE_TOOBIG, "read too large"))?;
    let at = ffi::sqlite3_int64::try_from(offset)
        .map_err(|_| failure(ffi::SQLITE_TOOBIG, "offset too large"))?;
    // SAFETY: `file` is live; xRead fills at most `amount` bytes of `buf`.
    let rc = unsafe {
        match (*(*file).pMethods).xRead {
            Some(f) => f(file, buf.as_mut_ptr().cast(), amount, at),
            None => ffi::SQLITE_MISUSE,
        }
    };
    // A short read (the file shrank since we asked) zero-fills; the bytes
    // up to the old size are still what we want.
    if rc != ffi::SQLITE_OK && rc != ffi::SQLITE_IOERR_SHORT_READ {
        return Err(failure(rc, "cannot read the database file"));
    }
    Ok(buf)
}

/// Every byte of the main database file.
pub(super) fn read_all(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    const CHUNK: usize = 1 << 20;
    let total = size(conn)?;
    let mut out = Vec::with_capacity(total as usize);
    while (out.len() as u64) < total {
        let part = read(conn, out.len() as u64, CHUNK)?;
        if part.is_empty() {
            break;
        }
        out.extend_from_slice(&part);
    }
    Ok(out)
}

/// The WAL beside `db`, if there is one.
///
/// This is the one place Baton opens a board's file with a plain descriptor
/// while it may hold connections to it: SQLite takes no POSIX locks on the
/// `-wal` file (only on the database and `-shm`), so closing this descriptor
/// releases nothing that SQLite relies on.
pub(super) fn read_wal(db: &Path) -> Option<Vec<u8>> {
    std::fs::read(format!("{}-wal", db.display())).ok()
}
