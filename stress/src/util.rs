//! Shared pieces: boards in temp homes, child processes started together,
//! the invariant check, a minimal HTTP client and a running `baton serve`.

use kernel::{Board, Home};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub type R<T> = Result<T, String>;

/// `e.to_string()` for `?` on anything displayable.
pub fn s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A fresh home in a temp dir (removed on drop) and its default board's path.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub home: Home,
}

impl Scratch {
    pub fn new() -> R<Scratch> {
        let dir = tempfile::tempdir().map_err(s)?;
        let home = Home::at(dir.path().join("home")).map_err(s)?;
        home.ensure().map_err(s)?;
        Ok(Scratch { dir, home })
    }

    pub fn db(&self) -> PathBuf {
        self.home.db_path("default")
    }

    pub fn board(&self) -> R<Board> {
        self.home.open_board("default").map_err(s)
    }
}

/// Fails with every broken invariant listed.
pub fn invariants(board: &mut Board) -> R<()> {
    let v = board.check_invariants().map_err(s)?;
    if v.is_empty() {
        Ok(())
    } else {
        Err(format!("invariants broken: {}", v.join("; ")))
    }
}

pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Starts `n` copies of this binary as `child <role> <args…>`, all released
/// at the same wall-clock instant (passed as the first argument).
pub fn spawn_children(n: usize, role: &str, args: &[String]) -> R<Vec<Child>> {
    let exe = std::env::current_exe().map_err(s)?;
    let start = (now_ms() + 800).to_string();
    (0..n)
        .map(|i| {
            Command::new(&exe)
                .arg("child")
                .arg(role)
                .arg(&start)
                .arg(i.to_string())
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|e| format!("cannot start a {role} child: {e}"))
        })
        .collect()
}

/// Waits for the children and returns their stdout lines; a child that
/// failed fails the scenario.
pub fn collect(children: Vec<Child>) -> R<Vec<String>> {
    let mut lines = Vec::new();
    for c in children {
        let out = c.wait_with_output().map_err(s)?;
        if !out.status.success() {
            return Err(format!("a child process failed ({})", out.status));
        }
        lines.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string),
        );
    }
    Ok(lines)
}

/// The `baton` binary next to this one (both are built into the same
/// target directory), or `$BATON_BIN`.
pub fn baton_bin() -> R<PathBuf> {
    if let Ok(p) = std::env::var("BATON_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(s)?;
    let p = exe.with_file_name("baton");
    if p.exists() {
        Ok(p)
    } else {
        Err(format!(
            "no baton binary at {} (build it: cargo build -p server)",
            p.display()
        ))
    }
}

/// Runs `baton --home HOME args…`; (exit code, stdout, stderr).
pub fn baton(home: &Path, args: &[&str]) -> R<(i32, String, String)> {
    let out = Command::new(baton_bin()?)
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("BATON_TASK")
        .env_remove("BATON_RUN")
        .output()
        .map_err(s)?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

pub const TOKEN: &str = "stress-token-0123456789abcdef";

/// A running `baton serve` on a free port.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(home: &Path) -> R<Server> {
        let mut child = Command::new(baton_bin()?)
            .args(["--home"])
            .arg(home)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--token",
                TOKEN,
                "--no-dispatcher",
            ])
            .env("BATON_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(s)?;
        let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut line = String::new();
        out.read_line(&mut line).map_err(s)?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .ok_or_else(|| format!("no address in: {line}"))?
            .to_string();
        std::thread::spawn(move || {
            let mut sink = String::new();
            while out.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        Ok(Server { child, addr })
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill9(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request over a fresh socket: (status, body).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> R<(u16, String)> {
    let mut stream = TcpStream::connect(addr).map_err(s)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(s)?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).map_err(s)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(s)?;
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| {
            format!(
                "no status line in {:?}",
                text.chars().take(80).collect::<String>()
            )
        })?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    // Chunked bodies are only read for their JSON, which survives the
    // chunk-size lines being left in when it is one chunk.
    Ok((status, body))
}

pub fn auth() -> (&'static str, String) {
    ("Authorization", format!("Bearer {TOKEN}"))
}

/// One HTTP/1.1 connection kept open across requests, as a real client
/// (a browser, a script with a session) holds it.
pub struct KeepAlive {
    addr: String,
    reader: BufReader<TcpStream>,
}

impl KeepAlive {
    pub fn connect(addr: &str) -> R<KeepAlive> {
        let stream = TcpStream::connect(addr).map_err(s)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(s)?;
        let _ = stream.set_nodelay(true);
        Ok(KeepAlive {
            addr: addr.to_string(),
            reader: BufReader::new(stream),
        })
    }

    /// Sends one authorised JSON request and reads its response: (status, body).
    pub fn request(&mut self, method: &str, path: &str, body: &str) -> R<(u16, String)> {
        let (k, v) = auth();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{k}: {v}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.reader.get_mut().write_all(req.as_bytes()).map_err(s)?;
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).map_err(s)?;
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("no status line in {status_line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).map_err(s)? == 0 {
                return Err("the connection closed mid-response".into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.contains("chunked");
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size).map_err(s)?;
                let n = usize::from_str_radix(size.trim(), 16).map_err(s)?;
                let mut chunk = vec![0u8; n + 2];
                self.reader.read_exact(&mut chunk).map_err(s)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            let mut chunk = vec![0u8; length.ok_or("a response without a length")?];
            self.reader.read_exact(&mut chunk).map_err(s)?;
            body = chunk;
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}
