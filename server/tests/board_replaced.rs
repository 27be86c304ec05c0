//! A board removed and created again under a running server is the new
//! board at once: reads and writes reach the new file, the live stream tells
//! its clients to reload.

mod common;

use common::http::{next_event, serve};
use common::Baton;
use serde_json::json;

fn titles(list: &serde_json::Value) -> Vec<String> {
    list["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_board_replaced_under_the_server_is_served_as_the_new_board() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    b.run(&["boards", "create", "demo-x"]).ok();
    for t in ["old one", "old two"] {
        s.post("/api/v1/tasks?board=demo-x", &json!({"title": t}))
            .expect(200);
    }
    assert_eq!(
        titles(&s.get("/api/v1/tasks?board=demo-x").expect(200).json()).len(),
        2
    );
    let mut stream = s.events("?board=demo-x&since=2", None);

    // Replaced from the CLI while the server holds connections to it.
    b.run(&["boards", "rm", "demo-x"]).ok();
    b.run(&["boards", "create", "demo-x"]).ok();
    assert!(
        titles(&s.get("/api/v1/tasks?board=demo-x").expect(200).json()).is_empty(),
        "the server still shows the replaced board's tasks"
    );
    s.post("/api/v1/tasks?board=demo-x", &json!({"title": "new one"}))
        .expect(200);
    let cli = b.run(&["--board", "demo-x", "list", "--json"]).ok().json();
    let on_disk: Vec<&str> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(on_disk, ["new one"], "the write went to the new file");
    // A client that was following the old board is told to reload.
    let (_, kind, data) = next_event(&mut stream);
    assert_eq!(kind.as_deref(), Some("resync"), "{data}");
}
