//! The REST API over HTTP against a real `baton serve`: the reference
//! dashboard's scenarios, status codes and shapes.

mod common;

use common::http::{serve, Server};
use common::Baton;
use serde_json::{json, Value};

fn setup() -> (Baton, Server) {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    (b, s)
}

fn column<'a>(board: &'a Value, name: &str) -> Vec<&'a Value> {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name}"))["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .collect()
}

#[test]
fn an_empty_board_has_every_column_and_a_fresh_home_works() {
    let (_b, s) = setup();
    let board = s.get("/api/v1/board").expect(200).json();
    let names: Vec<&str> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["triage", "todo", "ready", "running", "blocked", "done"]
    );
    assert!(board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["tasks"].as_array().unwrap().is_empty()));
    assert_eq!(board["latest_event_id"], 0);
    assert!(board["now"].as_i64().unwrap() > 1_600_000_000);
    let with_archived = s
        .get("/api/v1/board?include_archived=true")
        .expect(200)
        .json();
    assert_eq!(with_archived["columns"].as_array().unwrap().len(), 7);
}

#[test]
fn created_tasks_appear_on_the_board_with_card_fields() {
    let (_b, s) = setup();
    let r = s.post("/api/v1/tasks", &json!({"title": "research", "assignee": "Researcher", "tenant": "acme", "priority": 2, "skills": ["pdf", "pdf", " web "]})).expect(200).json();
    let id = r["task"]["id"].as_str().unwrap().to_string();
    assert_eq!(r["task"]["created_by"], "dashboard");
    assert_eq!(r["task"]["assignee"], "researcher");
    assert_eq!(r["task"]["skills"], json!(["pdf", "web"]));
    assert!(
        r["warning"]
            .as_str()
            .unwrap()
            .contains("No dispatcher is running"),
        "{r}"
    );
    let child = s.create(json!({"title": "write", "parents": [id]}));
    s.post(
        &format!("/api/v1/tasks/{id}/comments"),
        &json!({"body": "note"}),
    )
    .expect(200);
    let board = s.get("/api/v1/board").expect(200).json();
    let ready = column(&board, "ready");
    assert_eq!(ready.len(), 1);
    let card = ready[0];
    assert_eq!(card["id"], id.as_str());
    assert_eq!(card["comment_count"], 1);
    assert_eq!(card["link_counts"], json!({"parents": 0, "children": 1}));
    assert_eq!(card["progress"], json!({"done": 0, "total": 1}));
    assert!(card["age"]["created_age_seconds"].is_i64());
    assert_eq!(column(&board, "todo")[0]["id"], child.as_str());
    assert_eq!(board["tenants"], json!(["acme"]));
    assert_eq!(board["assignees"], json!(["researcher"]));
    let no_skills = s
        .post("/api/v1/tasks", &json!({"title": "plain"}))
        .expect(200)
        .json();
    assert!(no_skills["task"]["skills"].is_null());
    assert!(
        no_skills.get("warning").is_none(),
        "unassigned tasks get no warning"
    );
}

#[test]
fn tenant_filter_and_task_listing() {
    let (_b, s) = setup();
    s.create(json!({"title": "a", "tenant": "biz-a"}));
    s.create(json!({"title": "b", "tenant": "biz-b", "assignee": "x"}));
    let board = s.get("/api/v1/board?tenant=biz-a").expect(200).json();
    let ready = column(&board, "ready");
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0]["title"], "a");
    let list = s.get("/api/v1/tasks?assignee=X").expect(200).json();
    assert_eq!(list["tasks"].as_array().unwrap().len(), 1);
    s.get("/api/v1/tasks?status=sleeping").expect(400);
    s.get("/api/v1/tasks?include_archived=maybe").expect(422);
}

#[test]
fn task_detail_has_links_events_runs_and_404s_for_unknown_ids() {
    let (b, s) = setup();
    let p = s.create(json!({"title": "p", "assignee": "coder"}));
    let c = s.create(json!({"title": "c", "parents": [p]}));
    let d = s.get(&format!("/api/v1/tasks/{c}")).expect(200).json();
    assert_eq!(d["links"], json!({"parents": [p], "children": []}));
    assert_eq!(d["events"][0]["kind"], "created");
    assert!(
        d["events"][0].get("run_id").is_some(),
        "events carry run_id"
    );
    assert!(
        d["runs"].as_array().unwrap().is_empty(),
        "no runs before a claim"
    );
    b.run(&["claim", &p]).ok();
    let d = s.get(&format!("/api/v1/tasks/{p}")).expect(200).json();
    assert_eq!(d["runs"][0]["status"], "running");
    assert_eq!(d["child_results"][0]["id"], c.as_str());
    assert_eq!(
        d["events"].as_array().unwrap().last().unwrap()["run_id"],
        d["runs"][0]["id"]
    );
    let missing = s.get("/api/v1/tasks/t_00000000").expect(404).json();
    assert_eq!(missing["detail"], "task t_00000000 not found");
}

#[test]
fn patch_moves_edits_and_refuses() {
    let (b, s) = setup();
    let id = s.create(json!({"title": "x", "assignee": "coder"}));
    // done with a structured handoff
    let r = s
        .patch(
            &format!("/api/v1/tasks/{id}"),
            &json!({"status": "done", "summary": "shipped", "metadata": {"files": 3}}),
        )
        .expect(200)
        .json();
    assert_eq!(r["task"]["status"], "done");
    let d = s.get(&format!("/api/v1/tasks/{id}")).json();
    assert_eq!(d["runs"][0]["summary"], "shipped");
    assert_eq!(d["runs"][0]["metadata"], json!({"files": 3}));

    let t = s.create(json!({"title": "y"}));
    s.patch(
        &format!("/api/v1/tasks/{t}"),
        &json!({"status": "blocked", "block_reason": "need keys"}),
    )
    .expect(200);
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"status": "ready"}))
        .expect(200);
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{t}")).json()["task"]["status"],
        "ready"
    );
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"status": "triage"}))
        .expect(200);
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"status": "todo"}))
        .expect(200);
    let moved = s
        .patch(&format!("/api/v1/tasks/{t}"), &json!({"status": "ready"}))
        .expect(200)
        .json();
    assert_eq!(moved["task"]["status"], "ready", "drag-drop todo → ready");

    let r = s
        .patch(&format!("/api/v1/tasks/{t}"), &json!({"status": "running"}))
        .expect(400)
        .json();
    assert!(r["detail"]
        .as_str()
        .unwrap()
        .contains("Cannot set status to 'running' directly"));
    s.patch(
        &format!("/api/v1/tasks/{t}"),
        &json!({"status": "sideways"}),
    )
    .expect(400);
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"status": 7}))
        .expect(422);
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"title": "  "}))
        .expect(400);
    s.patch("/api/v1/tasks/t_00000000", &json!({"title": "z"}))
        .expect(404);

    let e = s
        .patch(
            &format!("/api/v1/tasks/{t}"),
            &json!({"priority": 5, "title": "renamed", "body": "**md**", "assignee": "Writer"}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (
            e["task"]["priority"].as_i64(),
            e["task"]["title"].as_str(),
            e["task"]["assignee"].as_str()
        ),
        (Some(5), Some("renamed"), Some("writer"))
    );
    let kinds: Vec<String> = s.get(&format!("/api/v1/tasks/{t}")).json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(
        kinds.ends_with(&["assigned".into(), "edited".into(), "reprioritized".into()]),
        "{kinds:?}"
    );
    s.patch(&format!("/api/v1/tasks/{t}"), &json!({"assignee": ""}))
        .expect(200);
    assert!(s.get(&format!("/api/v1/tasks/{t}")).json()["task"]["assignee"].is_null());

    // assign while running: 409, and nothing else in the patch applies
    b.run(&["claim", &t]).ok();
    s.patch(
        &format!("/api/v1/tasks/{t}"),
        &json!({"assignee": "other", "priority": 1}),
    )
    .expect(409);
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{t}")).json()["task"]["priority"],
        5
    );
    // archiving a running task closes its run
    s.patch(
        &format!("/api/v1/tasks/{t}"),
        &json!({"status": "archived"}),
    )
    .expect(200);
    let d = s.get(&format!("/api/v1/tasks/{t}")).json();
    assert_eq!(
        d["runs"].as_array().unwrap().last().unwrap()["outcome"],
        "reclaimed"
    );
    assert!(column(&s.get("/api/v1/board").json(), "done")
        .iter()
        .all(|c| c["id"] != t.as_str()));
    // a refused transition is 409
    s.patch(
        &format!("/api/v1/tasks/{id}"),
        &json!({"status": "blocked"}),
    )
    .expect(409);
}

#[test]
fn reopening_a_parent_demotes_its_ready_child() {
    let (_b, s) = setup();
    let p = s.create(json!({"title": "p"}));
    let c = s.create(json!({"title": "c", "parents": [p]}));
    s.patch(&format!("/api/v1/tasks/{p}"), &json!({"status": "done"}))
        .expect(200);
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{c}")).json()["task"]["status"],
        "ready"
    );
    s.patch(&format!("/api/v1/tasks/{p}"), &json!({"status": "todo"}))
        .expect(200);
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{c}")).json()["task"]["status"],
        "todo"
    );
}

#[test]
fn triage_tasks_stay_in_triage() {
    let (_b, s) = setup();
    let p = s.create(json!({"title": "p"}));
    let r = s
        .post(
            "/api/v1/tasks",
            &json!({"title": "idea", "triage": true, "parents": [p]}),
        )
        .expect(200)
        .json();
    let id = r["task"]["id"].as_str().unwrap().to_string();
    assert_eq!(r["task"]["status"], "triage");
    s.patch(&format!("/api/v1/tasks/{p}"), &json!({"status": "done"}))
        .expect(200);
    s.post("/api/v1/dispatch?dry_run=true", &json!({}))
        .expect(200);
    let board = s.get("/api/v1/board").json();
    assert_eq!(column(&board, "triage")[0]["id"], id.as_str());
}

#[test]
fn comments_links_and_their_errors() {
    let (_b, s) = setup();
    let a = s.create(json!({"title": "a"}));
    let c = s.create(json!({"title": "c"}));
    assert_eq!(
        s.post(
            &format!("/api/v1/tasks/{a}/comments"),
            &json!({"body": "hi", "author": "alice"})
        )
        .expect(200)
        .json(),
        json!({"ok": true})
    );
    s.post(
        &format!("/api/v1/tasks/{a}/comments"),
        &json!({"body": "   "}),
    )
    .expect(400);
    s.post("/api/v1/tasks/t_00000000/comments", &json!({"body": "x"}))
        .expect(404);
    s.post(&format!("/api/v1/tasks/{a}/comments"), &json!({}))
        .expect(422);
    let d = s.get(&format!("/api/v1/tasks/{a}")).json();
    assert_eq!(
        (
            d["comments"][0]["author"].as_str(),
            d["comments"][0]["body"].as_str()
        ),
        (Some("alice"), Some("hi"))
    );

    s.post("/api/v1/links", &json!({"parent_id": a, "child_id": c}))
        .expect(200);
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{c}")).json()["task"]["status"],
        "todo"
    );
    let cycle = s
        .post("/api/v1/links", &json!({"parent_id": c, "child_id": a}))
        .expect(400)
        .json();
    assert!(cycle["detail"].as_str().unwrap().contains("cycle"));
    s.post("/api/v1/links", &json!({"parent_id": a, "child_id": a}))
        .expect(400);
    s.post(
        "/api/v1/links",
        &json!({"parent_id": a, "child_id": "t_00000000"}),
    )
    .expect(400);
    assert_eq!(
        s.delete(&format!("/api/v1/links?parent_id={a}&child_id={c}"))
            .expect(200)
            .json(),
        json!({"ok": true})
    );
    assert_eq!(
        s.delete(&format!("/api/v1/links?parent_id={a}&child_id={c}"))
            .expect(200)
            .json(),
        json!({"ok": false})
    );
    s.delete(&format!("/api/v1/links?parent_id={a}"))
        .expect(422);
}

#[test]
fn bulk_updates_each_id_independently() {
    let (b, s) = setup();
    let ids: Vec<String> = (0..3)
        .map(|i| s.create(json!({"title": format!("t{i}")})))
        .collect();
    for id in &ids {
        s.patch(
            &format!("/api/v1/tasks/{id}"),
            &json!({"status": "blocked", "block_reason": "wait"}),
        )
        .expect(200);
    }
    let r = s
        .post(
            "/api/v1/tasks/bulk",
            &json!({"ids": ids, "status": "ready"}),
        )
        .expect(200)
        .json();
    assert!(
        r["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["ok"] == true),
        "{r}"
    );
    let r = s
        .post(
            "/api/v1/tasks/bulk",
            &json!({"ids": ids, "assignee": "coder"}),
        )
        .expect(200)
        .json();
    assert!(r["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["ok"] == true));
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{}", ids[0])).json()["task"]["assignee"],
        "coder"
    );
    s.post("/api/v1/tasks/bulk", &json!({"ids": ids, "assignee": ""}))
        .expect(200);
    assert!(s.get(&format!("/api/v1/tasks/{}", ids[1])).json()["task"]["assignee"].is_null());

    let mixed = vec![ids[0].clone(), "t_deadbeef".into(), ids[1].clone()];
    let r = s
        .post("/api/v1/tasks/bulk", &json!({"ids": mixed, "priority": 7}))
        .expect(200)
        .json();
    let res = r["results"].as_array().unwrap();
    assert_eq!(
        (
            res[0]["ok"].as_bool(),
            res[1]["ok"].as_bool(),
            res[2]["ok"].as_bool()
        ),
        (Some(true), Some(false), Some(true))
    );
    assert!(res[1]["error"].as_str().unwrap().contains("not found"));
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{}", ids[1])).json()["task"]["priority"],
        7
    );

    b.run(&["claim", &ids[2]]).ok();
    let r = s
        .post(
            "/api/v1/tasks/bulk",
            &json!({"ids": [ids[2].clone()], "assignee": "other", "reclaim_first": true}),
        )
        .expect(200)
        .json();
    assert_eq!(r["results"][0]["ok"], true, "{r}");
    let r = s
        .post("/api/v1/tasks/bulk", &json!({"ids": ids, "archive": true}))
        .expect(200)
        .json();
    assert!(r["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["ok"] == true));
    assert!(s.get("/api/v1/board").json()["columns"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["tasks"].as_array().unwrap().is_empty()));
    s.post("/api/v1/tasks/bulk", &json!({"ids": []}))
        .expect(400);
    s.post("/api/v1/tasks/bulk", &json!({"ids": ["", "  "]}))
        .expect(400);
    let r = s
        .post(
            "/api/v1/tasks/bulk",
            &json!({"ids": ids, "status": "running"}),
        )
        .expect(200)
        .json();
    assert!(r["results"][0]["error"]
        .as_str()
        .unwrap()
        .contains("Cannot set status to 'running'"));
    s.post(
        "/api/v1/tasks/bulk",
        &json!({"ids": ids, "status": "sideways"}),
    )
    .expect(400);
}

#[test]
fn a_500_id_bulk_request() {
    let (b, s) = setup();
    let mut ids = Vec::new();
    for i in 0..500 {
        ids.push(b.create(&format!("bulk {i}"), &[]));
    }
    let r = s
        .post("/api/v1/tasks/bulk", &json!({"ids": ids, "priority": 3}))
        .expect(200)
        .json();
    assert_eq!(r["results"].as_array().unwrap().len(), 500);
    assert!(r["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["ok"] == true));
    let list = s.get("/api/v1/tasks").json();
    assert!(list["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["priority"] == 3));
}

#[test]
fn fifty_parallel_creates_all_succeed_with_distinct_ids() {
    let (_b, s) = setup();
    let s = std::sync::Arc::new(s);
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let s = s.clone();
            std::thread::spawn(move || {
                s.post("/api/v1/tasks", &json!({"title": format!("parallel {i}")}))
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for h in handles {
        let r = h.join().unwrap().expect(200).json();
        assert!(ids.insert(r["task"]["id"].as_str().unwrap().to_string()));
    }
    assert_eq!(
        s.get("/api/v1/tasks").json()["tasks"]
            .as_array()
            .unwrap()
            .len(),
        50
    );
}

#[test]
fn config_stats_assignees_and_log() {
    let (b, s) = setup();
    assert_eq!(
        s.get("/api/v1/config").expect(200).json(),
        json!({"default_tenant": "", "lane_by_profile": true, "include_archived_by_default": false, "render_markdown": true})
    );
    std::fs::write(b.home().join("config.toml"), "[dashboard]\ndefault_tenant = \"acme\"\nlane_by_profile = false\nrender_markdown = false\n\n[profiles.coder]\ncommand = [\"true\"]\n").unwrap();
    let c = s.get("/api/v1/config").expect(200).json();
    assert_eq!(
        (
            c["default_tenant"].as_str(),
            c["lane_by_profile"].as_bool(),
            c["render_markdown"].as_bool()
        ),
        (Some("acme"), Some(false), Some(false))
    );
    let id = s.create(json!({"title": "x", "assignee": "alice"}));
    let stats = s.get("/api/v1/stats").expect(200).json();
    assert_eq!(stats["by_status"]["ready"], 1);
    assert_eq!(stats["by_assignee"]["alice"]["ready"], 1);
    let a = s.get("/api/v1/assignees").expect(200).json();
    assert_eq!(
        a["assignees"],
        json!([{"name": "alice", "on_disk": false, "counts": {"ready": 1}}, {"name": "coder", "on_disk": true, "counts": {}}])
    );
    let log = s.get(&format!("/api/v1/tasks/{id}/log")).expect(200).json();
    assert_eq!(
        (log["exists"].as_bool(), log["content"].as_str()),
        (Some(false), Some(""))
    );
    std::fs::create_dir_all(b.home().join("logs")).unwrap();
    std::fs::write(
        b.home().join("logs").join(format!("{id}.log")),
        "one\ntwo\nthree\n",
    )
    .unwrap();
    let log = s
        .get(&format!("/api/v1/tasks/{id}/log?tail=8"))
        .expect(200)
        .json();
    assert_eq!(
        (
            log["content"].as_str(),
            log["truncated"].as_bool(),
            log["size_bytes"].as_i64()
        ),
        (Some("three\n"), Some(true), Some(14))
    );
    s.get(&format!("/api/v1/tasks/{id}/log?tail=0")).expect(422);
    s.get("/api/v1/tasks/t_00000000/log").expect(404);
    assert_eq!(s.get("/api/v1/diagnostics").expect(200).json()["count"], 0);
    s.get("/api/v1/diagnostics?severity=meh").expect(400);
    assert_eq!(
        s.get("/api/v1/home-channels").expect(200).json(),
        json!({"home_channels": []})
    );
    s.post(
        &format!("/api/v1/tasks/{id}/home-subscribe/slack"),
        &json!({}),
    )
    .expect(404);
}

#[test]
fn dispatch_reclaim_and_reassign() {
    let (b, s) = setup();
    std::fs::write(
        b.home().join("config.toml"),
        "[profiles.coder]\ncommand = [\"sleep\", \"30\"]\n",
    )
    .unwrap();
    let id = s.create(json!({"title": "x", "assignee": "coder"}));
    let dry = s
        .request("POST", "/api/v1/dispatch?dry_run=true", &[], None)
        .expect(200)
        .json();
    assert_eq!(dry["spawned"][0]["task_id"], id.as_str());
    assert_eq!(
        s.get(&format!("/api/v1/tasks/{id}")).json()["task"]["status"],
        "ready"
    );
    let real = s
        .request("POST", "/api/v1/dispatch", &[], None)
        .expect(200)
        .json();
    let pid = real["spawned"][0]["pid"].as_i64().unwrap();
    s.post(
        &format!("/api/v1/tasks/{id}/reassign"),
        &json!({"profile": "writer"}),
    )
    .expect(409);
    let r = s
        .post(
            &format!("/api/v1/tasks/{id}/reclaim"),
            &json!({"reason": "stuck"}),
        )
        .expect(200)
        .json();
    assert_eq!(r, json!({"ok": true, "task_id": id}));
    let d = s.get(&format!("/api/v1/tasks/{id}")).json();
    assert_eq!(d["runs"][0]["error"], "manual_reclaim: stuck");
    // The worker is stopped in the background.
    for _ in 0..100 {
        if std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z "))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z ")),
        "worker stopped"
    );
    s.request("POST", &format!("/api/v1/tasks/{id}/reclaim"), &[], None)
        .expect(409);
    let r = s
        .post(
            &format!("/api/v1/tasks/{id}/reassign"),
            &json!({"profile": "Writer"}),
        )
        .expect(200)
        .json();
    assert_eq!(r["assignee"], "writer");
    s.post(
        "/api/v1/tasks/t_00000000/reassign",
        &json!({"profile": "x"}),
    )
    .expect(404);
}

#[test]
fn boards_over_http() {
    let (_b, s) = setup();
    let r = s
        .post(
            "/api/v1/boards",
            &json!({"slug": "Side", "name": "Side project", "switch": true}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (r["board"]["slug"].as_str(), r["current"].as_str()),
        (Some("side"), Some("side"))
    );
    s.post("/api/v1/tasks?board=side", &json!({"title": "on side"}))
        .expect(200);
    s.post(
        "/api/v1/tasks?board=default",
        &json!({"title": "on default"}),
    )
    .expect(200);
    let side = s.get("/api/v1/board").json();
    assert_eq!(
        side["board"], "side",
        "the current board is the default for requests"
    );
    assert_eq!(column(&side, "ready")[0]["title"], "on side");
    let def = s.get("/api/v1/board?board=default").json();
    assert_eq!(column(&def, "ready")[0]["title"], "on default");
    let list = s.get("/api/v1/boards").expect(200).json();
    assert_eq!(list["boards"].as_array().unwrap().len(), 2);
    assert_eq!(list["boards"][1]["total"], 1);
    assert_eq!(list["current"], "side");
    let r = s
        .patch(
            "/api/v1/boards/side",
            &json!({"name": "Renamed", "icon": "🚀"}),
        )
        .expect(200)
        .json();
    assert_eq!(r["board"]["name"], "Renamed");
    s.patch("/api/v1/boards/nope", &json!({"name": "x"}))
        .expect(404);
    s.patch(
        "/api/v1/boards/side",
        &json!({"default_workdir": "relative"}),
    )
    .expect(400);
    s.post("/api/v1/boards", &json!({"slug": "../evil"}))
        .expect(400);
    assert_eq!(
        s.request("POST", "/api/v1/boards/default/switch", &[], None)
            .expect(200)
            .json(),
        json!({"current": "default"})
    );
    s.request("POST", "/api/v1/boards/nope/switch", &[], None)
        .expect(404);
    s.request("POST", "/api/v1/boards/..%2Fx/switch", &[], None)
        .expect(400);
    s.delete("/api/v1/boards/default").expect(400);
    s.delete("/api/v1/boards/nope").expect(404);
    let r = s.delete("/api/v1/boards/side").expect(200).json();
    assert_eq!(r["result"]["action"], "archived");
    s.get("/api/v1/board?board=side").expect(404);
    s.get("/api/v1/board?board=Bad%20Slug").expect(400);
}

#[test]
fn the_reference_mount_and_the_openapi_document() {
    let (_b, s) = setup();
    let id = s.create(json!({"title": "x"}));
    let via_plugin = s
        .get(&format!("/api/plugins/kanban/tasks/{id}"))
        .expect(200)
        .json();
    assert_eq!(via_plugin["task"]["id"], id.as_str());
    let doc = s.get("/api/v1/openapi.json").expect(200).json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/board",
        "/api/v1/tasks",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/bulk",
        "/api/v1/events",
        "/api/v1/boards/{slug}",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the document"
        );
    }
    assert!(doc["components"]["schemas"].get("Task").is_some());
    s.get("/api/v1/nothing-here").expect(404);
}

#[test]
fn malformed_bodies_are_422_and_oversized_ones_413() {
    let (_b, s) = setup();
    let r = s
        .request("POST", "/api/v1/tasks", &[], Some("{not json"))
        .expect(422)
        .json();
    assert!(r["detail"].is_string());
    s.request("POST", "/api/v1/tasks", &[], Some("[1,2]"))
        .expect(422);
    s.request(
        "POST",
        "/api/v1/tasks",
        &[("Content-Type", "text/plain")],
        Some("{}"),
    )
    .expect(415);
    let huge = json!({"title": "big", "body": "x".repeat(5 * 1024 * 1024)}).to_string();
    s.request("POST", "/api/v1/tasks", &[], Some(&huge))
        .expect(413);
    let too_big_body = json!({"title": "big", "body": "x".repeat(3 * 1024 * 1024)}).to_string();
    let r = s
        .request("POST", "/api/v1/tasks", &[], Some(&too_big_body))
        .expect(400)
        .json();
    assert!(r["detail"].as_str().unwrap().contains("body is too large"));
    assert!(
        s.get("/api/v1/tasks").json()["tasks"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was created"
    );
}

#[test]
fn pages_and_answers_are_gzipped_for_clients_that_accept_it_but_events_are_not() {
    use std::io::{BufRead, BufReader, Read, Write};
    let (b, s) = setup();
    for i in 0..50 {
        b.create(&format!("compressible task number {i}"), &[]);
    }
    let gz = [("Accept-Encoding", "gzip")];
    for path in ["/boards/default", "/api/v1/board"] {
        let plain = s.get(path).expect(200);
        let r = s.request("GET", path, &gz, None).expect(200);
        assert_eq!(r.header("content-encoding"), Some("gzip"), "{path}");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&r.bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.contains("compressible task number 49"), "{path}");
        assert!(r.bytes.len() * 3 < plain.bytes.len(), "{path} shrinks");
    }
    // The event stream must reach the browser message by message.
    let mut sock = std::net::TcpStream::connect(&s.addr).unwrap();
    write!(
        sock,
        "GET /api/v1/events HTTP/1.0\r\nHost: {}\r\nAuthorization: Bearer {}\r\nAccept-Encoding: gzip\r\n\r\n",
        s.addr,
        common::http::TOKEN
    )
    .unwrap();
    let mut r = BufReader::new(sock);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
}
