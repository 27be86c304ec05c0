//! Notifications end to end: a real `baton daemon` / `baton serve` delivers
//! to a local HTTP receiver started by the test, which records every request
//! and answers with the statuses the test scripted.

mod common;

use common::http::{serve, TOKEN};
use common::Baton;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }
}

#[derive(Clone, Default)]
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer per path, in order; 200 once they run out.
    script: Arc<Mutex<HashMap<String, VecDeque<u16>>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let r = Receiver {
            port: listener.local_addr().unwrap().port(),
            ..Default::default()
        };
        let me = r.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut headers = HashMap::new();
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    let h = h.trim_end();
                    if h.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                let status = me
                    .script
                    .lock()
                    .unwrap()
                    .get_mut(&path)
                    .and_then(|q| q.pop_front())
                    .unwrap_or(200);
                me.got.lock().unwrap().push(Received {
                    path,
                    headers,
                    body: String::from_utf8(body).unwrap(),
                });
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"
                );
            }
        });
        r
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn answer(&self, path: &str, statuses: &[u16]) {
        self.script
            .lock()
            .unwrap()
            .insert(path.to_string(), statuses.iter().copied().collect());
    }

    fn at(&self, path: &str) -> Vec<Received> {
        let got = self.got.lock().unwrap();
        got.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Waits until `path` has received `n` requests, then a little longer
    /// to be sure no more arrive, and returns them.
    fn expect(&self, path: &str, n: usize) -> Vec<Received> {
        wait_for(&format!("{n} request(s) at {path}"), || {
            self.at(path).len() >= n
        });
        std::thread::sleep(Duration::from_millis(1200));
        let got = self.at(path);
        assert_eq!(got.len(), n, "requests at {path}: {got:#?}");
        got
    }
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn config(b: &Baton, rx: &Receiver, channels: &[(&str, &str, &str)]) {
    let mut text = String::from(
        "[notifier]\ninterval_seconds = 0.1\nretry_seconds = 0.2\ndashboard_url = \"https://baton.example\"\n",
    );
    for (name, kind, path) in channels {
        text.push_str(&format!(
            "\n[channels.{name}]\nkind = \"{kind}\"\nurl = \"{}\"\n",
            rx.url(path)
        ));
        if *kind == "ntfy" {
            text.push_str("headers = { Authorization = \"Bearer tk_secret\" }\n");
        }
    }
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(b.home().join("config.toml"), text).unwrap();
}

struct Daemon {
    child: Child,
    log: std::path::PathBuf,
}

impl Daemon {
    fn start(b: &Baton) -> Daemon {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let log = b.path(&format!("daemon-{n}.log"));
        let child = b
            .command()
            .args(["daemon", "--interval", "0.3"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Daemon { child, log }
    }

    fn stop(mut self) -> String {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

fn subs(b: &Baton, id: Option<&str>) -> Vec<Value> {
    let mut args = vec!["notify-list", "--json"];
    args.extend(id);
    b.run(&args).ok().json().as_array().unwrap().clone()
}

#[test]
fn each_kind_gets_its_payload_once_and_completion_ends_the_subscription() {
    let b = Baton::new();
    let rx = Receiver::start();
    config(
        &b,
        &rx,
        &[
            ("hook", "webhook", "/hook"),
            ("team", "slack", "/slack"),
            ("chat", "discord", "/discord"),
            ("phone", "ntfy", "/ntfy"),
        ],
    );
    let id = b.create(
        "Fix <!channel> login @everyone",
        &[
            "--assignee",
            "coder",
            "--notify",
            "hook",
            "--notify",
            "team",
            "--notify",
            "chat",
            "--notify",
            "phone",
        ],
    );
    assert_eq!(subs(&b, Some(&id)).len(), 4);
    let d = Daemon::start(&b);
    b.run(&[
        "complete",
        &id,
        "--summary",
        "Shipped the fix\nand more detail",
    ])
    .ok();

    let hook = rx.expect("/hook", 1).remove(0);
    let v = hook.json();
    assert_eq!(v["event"]["kind"], "completed");
    assert_eq!(v["event"]["task_id"], id.as_str());
    assert_eq!(v["task"]["id"], id.as_str());
    assert_eq!(v["task"]["status"], "done");
    assert_eq!(v["board"], "default");
    assert_eq!(v["subscription"]["platform"], "channel");
    assert_eq!(v["subscription"]["chat_id"], "hook");
    assert_eq!(
        v["headline"],
        "✔ @coder done — Fix <!channel> login @everyone"
    );
    assert_eq!(v["detail"], "Shipped the fix");
    assert_eq!(v["link"], format!("https://baton.example/tasks/{id}"));
    assert_eq!(hook.header("content-type"), "application/json");
    assert_eq!(hook.header("x-baton-event"), "completed");
    let key = hook.header("idempotency-key").to_string();
    assert!(key.starts_with("baton-default-"), "{key}");

    let slack = rx.expect("/slack", 1).remove(0).json();
    let text = slack["text"].as_str().unwrap();
    assert!(
        text.starts_with("✔ @coder done — Fix &lt;!channel&gt; login"),
        "{text}"
    );
    assert!(text.contains("\nShipped the fix\n"), "{text}");
    assert!(
        slack.get("channel").is_none(),
        "a channel sub picks no Slack channel"
    );

    let discord = rx.expect("/discord", 1).remove(0).json();
    assert!(discord["content"]
        .as_str()
        .unwrap()
        .starts_with("✔ @coder done — Fix <!channel> login @everyone\nShipped the fix"));
    assert_eq!(discord["allowed_mentions"], json!({"parse": []}));

    let ntfy = rx.expect("/ntfy", 1).remove(0);
    assert!(
        ntfy.header("title").starts_with("=?UTF-8?B?"),
        "non-ASCII titles are RFC 2047 encoded"
    );
    assert_eq!(ntfy.header("priority"), "3");
    assert_eq!(ntfy.header("tags"), "white_check_mark");
    assert_eq!(ntfy.header("authorization"), "Bearer tk_secret");
    assert_eq!(
        ntfy.header("click"),
        format!("https://baton.example/tasks/{id}")
    );
    assert!(ntfy.header("content-type").starts_with("text/plain"));
    assert!(ntfy.body.starts_with("Shipped the fix\n"), "{}", ntfy.body);
    // Every channel's key differs: a receiver dedupes per subscription.
    let keys: std::collections::HashSet<String> = rx
        .got
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.header("idempotency-key").to_string())
        .collect();
    assert_eq!(keys.len(), 4);
    assert!(
        subs(&b, Some(&id)).is_empty(),
        "completion ends a task's subscriptions"
    );
    let log = d.stop();
    assert!(!log.contains("failed"), "{log}");
}

#[test]
fn a_failed_delivery_is_retried_and_one_that_keeps_failing_is_dropped() {
    let b = Baton::new();
    let rx = Receiver::start();
    config(
        &b,
        &rx,
        &[("flaky", "webhook", "/flaky"), ("dead", "webhook", "/dead")],
    );
    rx.answer("/flaky", &[500]);
    rx.answer("/dead", &[500, 503, 500, 500, 500]);
    let a = b.create("flaky one", &["--notify", "flaky"]);
    let c = b.create("dead one", &["--notify", "dead"]);
    let d = Daemon::start(&b);
    b.run(&["block", &a, "needs a decision"]).ok();
    b.run(&["block", &c, "needs a decision"]).ok();

    let flaky = rx.expect("/flaky", 2);
    assert_eq!(
        flaky[0].header("idempotency-key"),
        flaky[1].header("idempotency-key"),
        "a retry carries the same key"
    );
    assert_eq!(flaky[1].json()["event"]["kind"], "blocked");
    assert_eq!(flaky[1].json()["detail"], "needs a decision");
    let left = subs(&b, Some(&a));
    assert_eq!(left.len(), 1, "a block does not end the subscription");
    assert_eq!(left[0]["failures"], 0, "the success reset the count");

    rx.expect("/dead", 3);
    wait_for("the dead subscription to be dropped", || {
        subs(&b, Some(&c)).is_empty()
    });
    wait_for("the drop to be logged", || {
        d.log()
            .contains("dropped the subscription after 3 failed deliveries")
    });
    let log = d.stop();
    assert!(log.contains("HTTP 503"), "the failure is named: {log}");
}

#[test]
fn nothing_is_sent_twice_or_skipped_across_a_restart() {
    let b = Baton::new();
    let rx = Receiver::start();
    config(&b, &rx, &[("ops", "webhook", "/ops")]);
    b.run(&["notify-subscribe", "--all", "--channel", "ops"])
        .ok();
    let first = b.create("first", &[]);
    let d = Daemon::start(&b);
    b.run(&["complete", &first]).ok();
    rx.expect("/ops", 1);
    d.stop();

    // While nobody is notifying, two more tasks end.
    let second = b.create("second", &[]);
    let third = b.create("third", &[]);
    b.run(&["complete", &second, "--summary", "two"]).ok();
    b.run(&["block", &third, "three"]).ok();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(rx.at("/ops").len(), 1);

    let d = Daemon::start(&b);
    let got = rx.expect("/ops", 3);
    let seen: Vec<(String, String)> = got
        .iter()
        .map(|r| {
            let v = r.json();
            (
                v["task"]["id"].as_str().unwrap().to_string(),
                v["event"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (first, "completed".to_string()),
            (second, "completed".to_string()),
            (third, "blocked".to_string()),
        ]
    );
    let listed = subs(&b, None);
    assert_eq!(listed.len(), 1, "a board-wide subscription never ends");
    assert_eq!(listed[0]["task_id"], "*");
    d.stop();
}

#[test]
fn the_cli_refuses_unknown_channels_and_bad_targets_and_changes_nothing() {
    let b = Baton::new();
    let rx = Receiver::start();
    config(&b, &rx, &[("ops", "webhook", "/ops")]);
    let out = b.run(&["create", "x", "--notify", "nope"]).code(1);
    assert!(
        out.stderr
            .contains("no notification channel named 'nope'; configured: ops"),
        "{}",
        out.stderr
    );
    assert_eq!(b.run(&["list", "--json"]).ok().json(), json!([]));
    let id = b.create("y", &[]);
    b.run(&["notify-subscribe", &id, "--channel", "nope"])
        .code(1);
    b.run(&["notify-subscribe", &id]).code(2);
    b.run(&["notify-subscribe", "--channel", "ops"]).code(2);
    assert!(subs(&b, None).is_empty());
    let out = b.run(&["notify-subscribe", &id, "--channel", "ops"]).ok();
    assert!(
        out.stdout.contains("subscribed: channel ops"),
        "{}",
        out.stdout
    );
    let table = b.run(&["notify-list"]).ok().stdout;
    assert!(
        table.contains("channel ops") && table.contains("ok"),
        "{table}"
    );
    b.run(&["notify-unsubscribe", &id, "--channel", "ops"]).ok();
    b.run(&["notify-unsubscribe", &id, "--channel", "ops"])
        .code(1);
    std::fs::write(
        b.home().join("config.toml"),
        "[channels.bad]\nkind = \"webhook\"\nurl = \"ftp://x\"\n",
    )
    .unwrap();
    let out = b
        .run(&["notify-subscribe", &id, "--channel", "bad"])
        .code(1);
    assert!(
        out.stderr
            .contains("url must start with http:// or https://"),
        "{}",
        out.stderr
    );
}

#[test]
fn serve_lists_home_channels_toggles_them_and_notifies() {
    let b = Baton::new();
    let rx = Receiver::start();
    config(
        &b,
        &rx,
        &[("ops", "webhook", "/ops"), ("phone", "ntfy", "/ntfy")],
    );
    let s = serve(&b, &[]);
    let _ = TOKEN;
    let id = s.create(json!({"title": "served", "notify": ["phone"]}));
    let homes = s
        .get(&format!("/api/v1/home-channels?task_id={id}"))
        .expect(200)
        .json();
    assert_eq!(
        homes,
        json!({"home_channels": [
            {"platform": "ops", "chat_id": "ops", "thread_id": "", "name": "ops", "kind": "webhook", "subscribed": false},
            {"platform": "phone", "chat_id": "phone", "thread_id": "", "name": "phone", "kind": "ntfy", "subscribed": true},
        ]})
    );
    let on = s
        .post(
            &format!("/api/v1/tasks/{id}/home-subscribe/ops"),
            &json!({}),
        )
        .expect(200)
        .json();
    assert_eq!(on["ok"], true);
    assert_eq!(on["home_channel"]["subscribed"], true);
    s.delete(&format!("/api/v1/tasks/{id}/home-subscribe/phone"))
        .expect(200);
    s.post(
        &format!("/api/v1/tasks/{id}/home-subscribe/nope"),
        &json!({}),
    )
    .expect(404);
    s.post("/api/v1/tasks/t_00000000/home-subscribe/ops", &json!({}))
        .expect(404);
    s.post("/api/v1/tasks", &json!({"title": "z", "notify": ["nope"]}))
        .expect(404);
    b.run(&["complete", &id, "--summary", "served well"]).ok();
    let got = rx.expect("/ops", 1);
    assert_eq!(got[0].json()["detail"], "served well");
    assert!(
        rx.at("/ntfy").is_empty(),
        "the unsubscribed channel hears nothing"
    );
}
