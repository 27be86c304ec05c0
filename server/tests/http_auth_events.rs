//! Authentication, host and origin checks, server.json, and the live event
//! stream, against a real `baton serve`.

mod common;

use common::http::{next_event, serve, TOKEN};
use common::Baton;
use serde_json::json;
use std::time::{Duration, Instant};

const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/board"),
    ("GET", "/api/v1/tasks"),
    ("POST", "/api/v1/tasks"),
    ("GET", "/api/v1/tasks/t_00000000"),
    ("PATCH", "/api/v1/tasks/t_00000000"),
    ("POST", "/api/v1/tasks/bulk"),
    ("POST", "/api/v1/tasks/t_00000000/comments"),
    ("GET", "/api/v1/tasks/t_00000000/log"),
    ("POST", "/api/v1/tasks/t_00000000/reclaim"),
    ("POST", "/api/v1/tasks/t_00000000/reassign"),
    ("POST", "/api/v1/tasks/t_00000000/home-subscribe/x"),
    ("DELETE", "/api/v1/tasks/t_00000000/home-subscribe/x"),
    ("POST", "/api/v1/links"),
    ("DELETE", "/api/v1/links"),
    ("POST", "/api/v1/dispatch"),
    ("GET", "/api/v1/config"),
    ("GET", "/api/v1/stats"),
    ("GET", "/api/v1/assignees"),
    ("GET", "/api/v1/diagnostics"),
    ("GET", "/api/v1/home-channels"),
    ("GET", "/api/v1/boards"),
    ("POST", "/api/v1/boards"),
    ("PATCH", "/api/v1/boards/default"),
    ("DELETE", "/api/v1/boards/x"),
    ("POST", "/api/v1/boards/default/switch"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/plugins/kanban/board"),
    ("POST", "/api/load_board"),
];

#[test]
fn every_api_route_needs_the_token() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    for (method, path) in API_ROUTES {
        for auth in ["none", "Bearer wrong-token", "Bearer "] {
            let r = s.request(method, path, &[("Authorization", auth)], Some("{}"));
            assert_eq!(r.status, 401, "{method} {path} with {auth:?}: {}", r.body);
            assert!(r.json()["detail"].as_str().unwrap().contains("token"));
        }
        let wrong_cookie = s.request(
            method,
            path,
            &[("Authorization", "none"), ("Cookie", "baton_session=nope")],
            Some("{}"),
        );
        assert_eq!(
            wrong_cookie.status, 401,
            "{method} {path} with a wrong cookie"
        );
    }
    assert_eq!(
        s.request("GET", "/healthz", &[("Authorization", "none")], None)
            .expect(200)
            .body,
        "ok"
    );
    assert!(
        b.run(&["list", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was created"
    );
}

#[test]
fn a_browser_signs_in_once_with_the_token_in_the_url() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    let page = s
        .request("GET", "/", &[("Authorization", "none")], None)
        .expect(401);
    assert!(
        page.body.contains("access token") && page.body.contains("server.json"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(TOKEN));
    s.request("GET", "/?token=wrong", &[("Authorization", "none")], None)
        .expect(401);
    let signed = s
        .request(
            "GET",
            &format!("/?token={TOKEN}&board=default"),
            &[("Authorization", "none")],
            None,
        )
        .expect(303);
    assert_eq!(
        signed.header("location"),
        Some("/?board=default"),
        "the token leaves the address bar"
    );
    let cookie = signed.header("set-cookie").unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    let board = s
        .request(
            "GET",
            "/api/v1/board",
            &[("Authorization", "none"), ("Cookie", &pair)],
            None,
        )
        .expect(200);
    assert!(board.json()["columns"].is_array());
    let home = s
        .request(
            "GET",
            "/",
            &[("Authorization", "none"), ("Cookie", &pair)],
            None,
        )
        .expect(200);
    assert!(home.body.contains("<!DOCTYPE html>"));
    s.request("GET", "/pkg/baton.css", &[("Authorization", "none")], None);
}

#[test]
fn foreign_hosts_and_cross_site_writes_are_refused() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    for host in ["evil.example:80", "attacker.com", "127.0.0.1.nip.io"] {
        let r = s
            .request("GET", "/api/v1/board", &[("Host", host)], None)
            .expect(403);
        assert!(r.json()["detail"].as_str().unwrap().contains("refused"));
        s.request("GET", "/", &[("Host", host)], None).expect(403);
    }
    let port = s.addr.split(':').nth(1).unwrap().to_string();
    s.request(
        "GET",
        "/api/v1/board",
        &[("Host", &format!("localhost:{port}"))],
        None,
    )
    .expect(200);
    let body = json!({"title": "x"}).to_string();
    let r = s
        .request(
            "POST",
            "/api/v1/tasks",
            &[("Origin", "http://evil.example")],
            Some(&body),
        )
        .expect(403);
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("cross-origin"));
    s.request(
        "POST",
        "/api/v1/tasks",
        &[("Sec-Fetch-Site", "cross-site")],
        Some(&body),
    )
    .expect(403);
    s.request("POST", "/api/v1/tasks", &[("Origin", "null")], Some(&body))
        .expect(403);
    assert!(b
        .run(&["list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    let own = format!("http://{}", s.addr);
    s.request(
        "POST",
        "/api/v1/tasks",
        &[("Origin", &own), ("Sec-Fetch-Site", "same-origin")],
        Some(&body),
    )
    .expect(200);
}

#[test]
fn server_json_exists_only_while_serving() {
    let b = Baton::new();
    let path = b.home().join("server.json");
    {
        let s = serve(&b, &["--no-dispatcher"]);
        let info: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(info["token"], TOKEN);
        assert_eq!(info["url"], format!("http://{}/", s.addr));
        assert_eq!(info["pid"].as_u64(), Some(s.child.id() as u64));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(!path.exists(), "removed on clean exit");
}

#[test]
fn a_generated_token_is_printed_once_and_stored() {
    let b = Baton::new();
    let mut child = b
        .command()
        .args(["serve", "--addr", "127.0.0.1:0", "--no-dispatcher"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = String::new();
    use std::io::BufRead;
    out.read_line(&mut lines).unwrap();
    out.read_line(&mut lines).unwrap();
    let token = lines.split("?token=").nth(1).unwrap().trim().to_string();
    assert_eq!(token.len(), 32);
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.home().join("server.json")).unwrap())
            .unwrap();
    assert_eq!(info["token"], token.as_str());
    // SAFETY: stopping our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().unwrap();
}

#[test]
fn binding_beyond_loopback_needs_an_explicit_token() {
    let b = Baton::new();
    let out = b.run(&["serve", "--addr", "0.0.0.0:0"]).code(2);
    assert!(
        out.stderr.contains("refusing to listen on 0.0.0.0"),
        "{}",
        out.stderr
    );
    b.run(&["serve", "--addr", "not-an-address"]).code(2);
}

#[test]
fn events_arrive_live_from_this_server_and_from_other_processes() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    let old = s.create(json!({"title": "before the stream"}));
    let mut stream = s.events("", None);
    // Through the server: pushed at once.
    let t0 = Instant::now();
    let id = s.create(json!({"title": "live"}));
    let (eid, _, e) = next_event(&mut stream);
    assert_eq!(
        (e["task_id"].as_str(), e["kind"].as_str()),
        (Some(id.as_str()), Some("created")),
        "history is not replayed"
    );
    assert_eq!(eid.as_deref(), Some(e["id"].to_string().as_str()));
    assert!(
        e.get("run_id").is_some() && e.get("payload").is_some() && e.get("created_at").is_some()
    );
    assert!(t0.elapsed() < Duration::from_secs(5));
    // From a separate baton process: noticed by the poll.
    b.run(&["comment", &id, "from the CLI"]).ok();
    let (_, _, e) = next_event(&mut stream);
    assert_eq!(
        (e["task_id"].as_str(), e["kind"].as_str()),
        (Some(id.as_str()), Some("commented"))
    );
    let last = e["id"].as_i64().unwrap();
    drop(stream);

    // Resuming with Last-Event-ID replays exactly what was missed.
    b.run(&["comment", &id, "while away"]).ok();
    let mut resumed = s.events("?since=0", Some(last));
    let (_, _, e) = next_event(&mut resumed);
    assert_eq!(
        e["id"].as_i64(),
        Some(last + 1),
        "Last-Event-ID wins over since"
    );
    assert_eq!(e["kind"], "commented");
    let mut from_zero = s.events("?since=0", None);
    let (_, _, e) = next_event(&mut from_zero);
    assert_eq!(e["task_id"], old.as_str());
}

#[test]
fn a_client_far_behind_is_told_to_resync() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    let id = b.create("noisy", &[]);
    // More events than a client may replay.
    let mut board = kernel::Board::open_at(&b.home().join("kanban.db"), "default").unwrap();
    for i in 0..10_050 {
        board.comment(&id, "bot", &format!("c{i}")).unwrap();
    }
    let mut stream = s.events("?since=1", None);
    let (_, kind, data) = next_event(&mut stream);
    assert_eq!(kind.as_deref(), Some("resync"));
    assert!(data["latest_event_id"].as_i64().unwrap() > 10_000);
    let list = s.events("", None);
    drop(list);
    s.request("GET", "/api/v1/events?board=nope", &[], None)
        .expect(404);
}

#[test]
fn sigterm_ends_the_open_streams_and_the_server_exits() {
    let b = Baton::new();
    let mut s = serve(&b, &["--no-dispatcher"]);
    let mut a = s.events("", None);
    let mut c = s.events("", None);
    // SAFETY: stopping our own child.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    for stream in [&mut a, &mut c] {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(stream, &mut text);
        assert!(
            text.contains("event: shutdown"),
            "the stream said goodbye: {text}"
        );
    }
    // The process ends by itself (not the test's drop), within the grace period.
    let started = Instant::now();
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "baton serve still runs 20 s after SIGTERM with streams open"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(
        !b.home.join("server.json").exists(),
        "server.json removed on a clean exit"
    );
}
