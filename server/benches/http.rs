//! HTTP benchmark against a real release `baton serve`: GET /board latency at
//! 1,000 and 10,000 tasks, POST /tasks throughput from concurrent keep-alive
//! clients, and how fast an event reaches an SSE client (write through the
//! server, write from another process).
//!
//! Run: `cargo build --release -p server && cargo bench -p server --bench http`

use kernel::create::NewTask;
use kernel::Home;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token";

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: stopping our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

fn baton_bin() -> String {
    std::env::var("BATON_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
        format!("{target}/release/baton")
    })
}

fn serve(home: &Home) -> Server {
    let mut child = Command::new(baton_bin())
        .args([
            "--home",
            home.root().to_str().unwrap(),
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
        .expect("cargo build --release -p server first");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    std::thread::spawn(move || {
        let mut s = String::new();
        while out.read_line(&mut s).map(|n| n > 0).unwrap_or(false) {
            s.clear();
        }
    });
    Server { child, addr }
}

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    r: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    fn open(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            r: BufReader::new(s),
            addr: addr.to_string(),
        }
    }

    fn call(&mut self, method: &str, path: &str, body: &str) -> (u16, Vec<u8>) {
        self.call_with(method, path, body, "")
    }

    /// A request with extra header lines (each ending in CRLF).
    fn call_with(&mut self, method: &str, path: &str, body: &str, extra: &str) -> (u16, Vec<u8>) {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.r.get_mut().write_all(req.as_bytes()).unwrap();
        let mut line = String::new();
        self.r.read_line(&mut line).unwrap();
        let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut len = 0usize;
        let mut chunked = false;
        loop {
            line.clear();
            self.r.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if !chunked {
            let mut buf = vec![0; len];
            self.r.read_exact(&mut buf).unwrap();
            return (status, buf);
        }
        // A streamed page: read chunks to the last one.
        let mut buf = Vec::new();
        loop {
            line.clear();
            self.r.read_line(&mut line).unwrap();
            let size = usize::from_str_radix(line.trim(), 16).unwrap();
            let start = buf.len();
            buf.resize(start + size, 0);
            self.r.read_exact(&mut buf[start..]).unwrap();
            line.clear();
            self.r.read_line(&mut line).unwrap();
            if size == 0 {
                return (status, buf);
            }
        }
    }
}

fn fill(home: &Home, n: usize) {
    let mut b = home.open_board("default").unwrap();
    let mut ids: Vec<String> = Vec::new();
    for i in 0..n {
        let mut t = NewTask::titled(format!("task {i}"));
        t.assignee = Some(format!("profile-{}", i % 8));
        t.body = Some("Some body text describing the work in a sentence or two.".into());
        if i % 3 == 0 && !ids.is_empty() {
            t.parents = vec![ids[i % ids.len()].clone()];
        }
        ids.push(b.create(&t).unwrap().id);
        if i % 2 == 0 {
            b.comment(&ids[i], "user", "a note").unwrap();
        }
    }
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Opens an SSE stream (HTTP/1.0, not chunked) positioned after the newest event.
fn sse(addr: &str) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    write!(
        s,
        "GET /api/v1/events HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
    }
    r
}

fn wait_data(r: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line.starts_with("data:") {
            return;
        }
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("| measurement | result | target |");
    println!("|---|---:|---:|");
    for (n, target) in [(1_000usize, "≤ 5 ms"), (10_000, "≤ 40 ms")] {
        let home = Home::at(dir.path().join(format!("board{n}"))).unwrap();
        fill(&home, n);
        let s = serve(&home);
        let mut c = Conn::open(&s.addr);
        for _ in 0..3 {
            c.call("GET", "/api/v1/board", "");
        }
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let t = Instant::now();
                let (status, body) = c.call("GET", "/api/v1/board", "");
                assert_eq!(status, 200);
                assert!(body.len() > n * 100);
                t.elapsed()
            })
            .collect();
        println!(
            "| GET /api/v1/board, {n} tasks (p50 of 30) | {} | {target} |",
            ms(pct(times, 0.5))
        );
    }

    // The dashboard page, server-rendered with the board in it (what a
    // browser waits for before the first paint).
    for (n, target) in [(1_000usize, "≤ 50 ms"), (10_000, "usable")] {
        let home = Home::at(dir.path().join(format!("board{n}"))).unwrap();
        let s = serve(&home);
        let mut c = Conn::open(&s.addr);
        let path = "/boards/default";
        let (status, page) = c.call("GET", path, "");
        assert_eq!(status, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("task 1"), "the page carries the cards");
        let cards = page.matches("data-task-id=").count();
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let t = Instant::now();
                let (status, _) = c.call("GET", path, "");
                assert_eq!(status, 200);
                t.elapsed()
            })
            .collect();
        println!(
            "| GET {path} (SSR page), {n} tasks (p50 of 30; {} KB, {cards} cards rendered) | {} | {target} |",
            page.len() / 1024,
            ms(pct(times, 0.5))
        );
        let gz = "Accept-Encoding: gzip\r\n";
        let mut size = 0;
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let t = Instant::now();
                let (status, body) = c.call_with("GET", path, "", gz);
                assert_eq!(status, 200);
                size = body.len();
                t.elapsed()
            })
            .collect();
        println!(
            "| the same, gzip-compressed ({} KB on the wire) | {} | — |",
            size / 1024,
            ms(pct(times, 0.5))
        );
    }

    // Throughput: 8 keep-alive clients creating tasks for 5 s.
    let home = Home::at(dir.path().join("throughput")).unwrap();
    let s = serve(&home);
    let deadline = Instant::now() + Duration::from_secs(5);
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let addr = s.addr.clone();
            std::thread::spawn(move || {
                let mut c = Conn::open(&addr);
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let (status, _) = c.call(
                        "POST",
                        "/api/v1/tasks",
                        &format!("{{\"title\":\"load {w}-{n}\",\"assignee\":\"coder\"}}"),
                    );
                    assert_eq!(status, 200);
                    n += 1;
                }
                n
            })
        })
        .collect();
    let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    println!(
        "| POST /api/v1/tasks, 8 keep-alive clients for 5 s | {:.0} requests/s | ≥ 2,000/s |",
        total as f64 / 5.0
    );

    // Event latency.
    let home = Home::at(dir.path().join("latency")).unwrap();
    let s = serve(&home);
    let mut stream = sse(&s.addr);
    let mut c = Conn::open(&s.addr);
    let mut via_server = Vec::new();
    for i in 0..50 {
        let t = Instant::now();
        c.call(
            "POST",
            "/api/v1/tasks",
            &format!("{{\"title\":\"push {i}\"}}"),
        );
        wait_data(&mut stream);
        via_server.push(t.elapsed());
    }
    let mut board = home.open_board("default").unwrap();
    let mut via_other = Vec::new();
    for i in 0..50 {
        let t = Instant::now();
        board
            .create(&NewTask::titled(format!("other {i}")))
            .unwrap();
        wait_data(&mut stream);
        via_other.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(37));
    }
    println!(
        "| event push, write through the server (p50 / p95 of 50, request included) | {} / {} | p95 ≤ 20 ms |",
        ms(pct(via_server.clone(), 0.5)),
        ms(pct(via_server, 0.95))
    );
    println!(
        "| event push, write from another process (p50 / p95 of 50) | {} / {} | p95 ≤ 300 ms |",
        ms(pct(via_other.clone(), 0.5)),
        ms(pct(via_other, 0.95))
    );
}
