//! The server's doors: every API route (read from the OpenAPI document)
//! and /mcp refuse a request without the token, a foreign Host is refused,
//! cross-site writes are refused; `gc` never deletes outside the
//! workspaces root; `dir:` workspaces must be absolute.

use crate::util::{auth, baton, http, s, Scratch, Server};
use crate::{Figures, Mode};
use serde_json::Value;

pub fn run(_mode: Mode) -> Result<Figures, String> {
    let scratch = Scratch::new()?;
    let home = scratch.home.root().to_path_buf();
    let server = Server::start(&home)?;
    let (k, v) = auth();
    let (status, doc) = http(
        &server.addr,
        "GET",
        "/api/v1/openapi.json",
        &[(k, &v)],
        None,
    )?;
    if status != 200 {
        return Err(format!("openapi.json answered {status}"));
    }
    let doc: Value = serde_json::from_str(&doc).map_err(|e| format!("openapi.json: {e}"))?;
    let paths = doc["paths"].as_object().ok_or("no paths in openapi.json")?;
    let mut checked = 0;
    for (path, ops) in paths {
        let concrete: String = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "t_00000000"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in ops
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let m = method.to_uppercase();
            let body = (m != "GET" && m != "DELETE").then_some("{}");
            for prefix in ["", "/api/plugins/kanban"] {
                let p = match prefix {
                    "" => concrete.clone(),
                    _ => concrete.replacen("/api/v1", prefix, 1),
                };
                let (st, _) = http(&server.addr, &m, &p, &[], body)?;
                if st != 401 {
                    return Err(format!("{m} {p} without a token answered {st}, not 401"));
                }
                checked += 1;
            }
        }
    }
    let (st, _) = http(&server.addr, "POST", "/mcp", &[], Some("{}"))?;
    if st != 401 {
        return Err(format!("/mcp without a token answered {st}"));
    }
    let (st, _) = http(
        &server.addr,
        "GET",
        "/api/v1/board",
        &[(k, &v), ("Host", "evil.example")],
        None,
    )?;
    if st != 403 {
        return Err(format!("a foreign Host header was answered {st}, not 403"));
    }
    let (st, _) = http(
        &server.addr,
        "POST",
        "/api/v1/tasks",
        &[(k, &v), ("Origin", "http://evil.example")],
        Some(r#"{"title": "csrf"}"#),
    )?;
    if st != 403 {
        return Err(format!("a cross-site write was answered {st}, not 403"));
    }
    drop(server);

    // gc removes scratch workspaces of archived tasks, and nothing else.
    let outside = scratch.dir.path().join("precious");
    std::fs::create_dir_all(&outside).map_err(s)?;
    std::fs::write(outside.join("keep.txt"), "mine").map_err(s)?;
    let spec = format!("dir:{}", outside.display());
    let (code, out, err) = baton(
        &home,
        &["create", "outside", "--workspace", &spec, "--json"],
    )?;
    if code != 0 {
        return Err(format!("create with {spec}: {err}"));
    }
    let id = serde_json::from_str::<Value>(&out).map_err(s)?["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    baton(&home, &["claim", &id])?;
    baton(&home, &["complete", &id])?;
    baton(&home, &["archive", &id])?;
    let (code, _, err) = baton(
        &home,
        &[
            "gc",
            "--event-retention-days",
            "0",
            "--log-retention-days",
            "0",
        ],
    )?;
    if code != 0 {
        return Err(format!("gc failed: {err}"));
    }
    if !outside.join("keep.txt").exists() {
        return Err("gc deleted a directory outside the workspaces root".into());
    }
    let (code, _, _) = baton(
        &home,
        &["create", "relative", "--workspace", "dir:relative/path"],
    )?;
    if code == 0 {
        return Err("a relative dir: workspace was accepted".into());
    }
    Ok(vec![
        (
            "API routes × prefixes refused without a token (401)".into(),
            checked.to_string(),
        ),
        ("/mcp without a token".into(), "401".into()),
        ("foreign Host header".into(), "403".into()),
        ("cross-site write".into(), "403".into()),
        (
            "gc on a task whose workspace is outside the root".into(),
            "outside files kept".into(),
        ),
        ("relative dir: workspace".into(), "refused".into()),
        (
            "markdown XSS corpus".into(),
            "inert (app markdown unit tests; browser level in drawer.spec.ts)".into(),
        ),
    ])
}
