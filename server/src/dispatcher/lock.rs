//! One dispatcher per board: an exclusive `flock` on `<board dir>/dispatcher.lock`,
//! released by the kernel when the holder exits, however it exits.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

pub struct DispatchLock {
    file: File,
    path: PathBuf,
}

pub fn lock_path(board_dir: &Path) -> PathBuf {
    board_dir.join("dispatcher.lock")
}

fn open(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))
}

/// The pid written in the lock file by its holder, if any.
pub fn holder(path: &Path) -> Option<u32> {
    let mut s = String::new();
    File::open(path).ok()?.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}

impl DispatchLock {
    /// Takes the lock if it is free; `None` if another process holds it.
    pub fn try_acquire(board_dir: &Path) -> Result<Option<DispatchLock>> {
        let path = lock_path(board_dir);
        let file = open(&path)?;
        // SAFETY: flock on a descriptor we own.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Ok(None);
            }
            return Err(Error::io(format!("cannot lock {}", path.display()), err));
        }
        let mut lock = DispatchLock { file, path };
        lock.write_pid()?;
        Ok(Some(lock))
    }

    fn write_pid(&mut self) -> Result<()> {
        let pid = std::process::id();
        let r = self
            .file
            .set_len(0)
            .and_then(|_| self.file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(self.file, "{pid}"))
            .and_then(|_| self.file.flush());
        r.map_err(|e| Error::io(format!("cannot write {}", self.path.display()), e))
    }
}

impl Drop for DispatchLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        // SAFETY: unlocking our own descriptor.
        unsafe { libc::flock(self.file.as_raw_fd(), libc::LOCK_UN) };
    }
}
