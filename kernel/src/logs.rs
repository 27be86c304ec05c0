//! Reading a worker's log: the tail for a first look, then what was appended
//! since, for following a running worker.

use crate::model::LogChunk;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The last `tail` bytes of a file (all of it without `tail`), without a
/// partial first line unless the window holds no other; with the file's size
/// and whether older bytes were left out.
pub fn tail_bytes(path: &Path, tail: Option<u64>) -> std::io::Result<(Vec<u8>, u64, bool)> {
    let size = std::fs::metadata(path)?.len();
    let start = tail.filter(|t| *t < size).map_or(0, |t| size - t);
    let mut buf = read_range(path, start, size)?;
    if start > 0 {
        if let Some(nl) = buf
            .iter()
            .position(|b| *b == b'\n')
            .filter(|nl| nl + 1 < buf.len())
        {
            buf.drain(..=nl);
        }
    }
    Ok((buf, size, start > 0))
}

/// [`tail_bytes`] as text; a missing log is an empty chunk.
pub fn read_tail(path: &Path, tail: Option<u64>) -> std::io::Result<LogChunk> {
    match tail_bytes(path, tail) {
        Ok((buf, size, truncated)) => Ok(LogChunk {
            text: String::from_utf8_lossy(&buf).into_owned(),
            size,
            exists: true,
            truncated,
            reset: true,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(LogChunk::missing()),
        Err(e) => Err(e),
    }
}

/// What was written after byte `offset`, at most the newest `max` bytes of
/// it. A log that shrank (rotated) or ran too far ahead is read again from
/// its tail, with `reset` set.
pub fn read_since(path: &Path, offset: u64, max: u64) -> std::io::Result<LogChunk> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LogChunk::missing()),
        Err(e) => return Err(e),
    };
    if offset > size || size - offset > max {
        return read_tail(path, Some(max));
    }
    let buf = read_range(path, offset, size)?;
    Ok(LogChunk {
        text: String::from_utf8_lossy(&buf).into_owned(),
        size: offset + buf.len() as u64,
        exists: true,
        truncated: false,
        reset: false,
    })
}

fn read_range(path: &Path, start: u64, end: u64) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity(end.saturating_sub(start) as usize);
    f.take(end.saturating_sub(start)).read_to_end(&mut buf)?;
    Ok(buf)
}
