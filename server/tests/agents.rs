//! The real agent CLIs (Claude Code, Codex, Gemini CLI, Qwen Code, opencode, Copilot from npm;
//! Hermes Agent from PyPI) started by
//! the dispatcher as profiles of their kind, each against the scripted model
//! server: the board's tools reach them over `baton mcp`, their JSON streams
//! become transcripts, and a run they leave open is settled by `on_exit`.
//!
//! The CLIs come from `scripts/setup.sh --agents`; the test command passes
//! (Hermes comes with `--hermes`); the test command passes their paths in
//! BATON_CLAUDE_BIN, BATON_CODEX_BIN, BATON_GEMINI_BIN, BATON_QWEN_BIN,
//! BATON_OPENCODE_BIN, BATON_COPILOT_BIN and BATON_HERMES_BIN and sets BATON_REQUIRE_AGENTS, so there they cannot be skipped.

mod common;

use common::model::{ModelServer, ANSWER_ONLY, EDIT_REPLY, FINAL_WORDS};
use common::Baton;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
enum Cli {
    Claude,
    Codex,
    Gemini,
    Qwen,
    Hermes,
    Opencode,
    Copilot,
    Aider,
}

impl Cli {
    fn var(self) -> &'static str {
        match self {
            Cli::Claude => "BATON_CLAUDE_BIN",
            Cli::Codex => "BATON_CODEX_BIN",
            Cli::Gemini => "BATON_GEMINI_BIN",
            Cli::Qwen => "BATON_QWEN_BIN",
            Cli::Hermes => "BATON_HERMES_BIN",
            Cli::Opencode => "BATON_OPENCODE_BIN",
            Cli::Copilot => "BATON_COPILOT_BIN",
            Cli::Aider => "BATON_AIDER_BIN",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Cli::Claude => "claude-code",
            Cli::Codex => "codex",
            Cli::Gemini => "gemini",
            Cli::Qwen => "qwen",
            Cli::Hermes => "hermes",
            Cli::Opencode => "opencode",
            Cli::Copilot => "copilot",
            Cli::Aider => "aider",
        }
    }

    /// How the CLI names a board tool in its transcript.
    fn tool(self, name: &str) -> String {
        match self {
            Cli::Claude | Cli::Qwen | Cli::Hermes => format!("mcp__baton__{name}"),
            Cli::Codex => format!("baton.{name}"),
            Cli::Gemini => format!("mcp_baton_{name}"),
            Cli::Opencode => format!("baton_{name}"),
            Cli::Copilot => format!("baton-{name}"),
            Cli::Aider => unreachable!("aider has no board tools"),
        }
    }

    /// The installed CLI, or `None` (the test is skipped) outside the test command.
    fn bin(self) -> Option<PathBuf> {
        match std::env::var_os(self.var()) {
            Some(p) => {
                let p = PathBuf::from(p);
                assert!(
                    p.exists(),
                    "{} points at {}, which does not exist",
                    self.var(),
                    p.display()
                );
                Some(p)
            }
            None => {
                assert!(
                    std::env::var_os("BATON_REQUIRE_AGENTS").is_none(),
                    "BATON_REQUIRE_AGENTS is set but {} is not",
                    self.var()
                );
                eprintln!(
                    "SKIPPED: set {} (scripts/setup.sh --agents installs the CLIs)",
                    self.var()
                );
                None
            }
        }
    }
}

/// The environment that points a CLI at the scripted server with no other
/// network: a throwaway HOME, keys that are not real, updates and telemetry off.
fn agent_env(cli: Cli, bin: &Path, model: &ModelServer, dir: &Path) -> Vec<(String, String)> {
    let home = dir.join(format!("{}-home", cli.kind()));
    std::fs::create_dir_all(&home).unwrap();
    let mut env = vec![("HOME".to_string(), home.display().to_string())];
    let mut set = |k: &str, v: &str| env.push((k.to_string(), v.to_string()));
    match cli {
        Cli::Claude => {
            set("ANTHROPIC_BASE_URL", &model.url);
            set("ANTHROPIC_API_KEY", "sk-scripted");
            set("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            set("DISABLE_AUTOUPDATER", "1");
            set("DISABLE_TELEMETRY", "1");
            set("DISABLE_ERROR_REPORTING", "1");
        }
        Cli::Codex => {
            let codex_home = home.join(".codex");
            std::fs::create_dir_all(&codex_home).unwrap();
            let catalog = codex_home.join("models.json");
            std::fs::write(&catalog, codex_catalog(bin)).unwrap();
            std::fs::write(
                codex_home.join("config.toml"),
                format!(
                    "model = \"baton-scripted\"\nmodel_provider = \"scripted\"\ncheck_for_update_on_startup = false\n\
                     model_catalog_json = \"{}\"\n\n\
                     [model_providers.scripted]\nname = \"scripted\"\nbase_url = \"{}/v1\"\nwire_api = \"responses\"\nenv_key = \"SCRIPTED_KEY\"\n\
                     request_max_retries = 0\nstream_max_retries = 0\n\n\
                     [analytics]\nenabled = false\n\n[features]\napps = false\nplugins = false\nremote_plugin = false\n",
                    catalog.display(),
                    model.url
                ),
            )
            .unwrap();
            set("CODEX_HOME", &codex_home.display().to_string());
            set("SCRIPTED_KEY", "sk-scripted");
        }
        Cli::Qwen => {
            let settings = home.join(".qwen");
            std::fs::create_dir_all(&settings).unwrap();
            std::fs::write(
                settings.join("settings.json"),
                r#"{"security":{"auth":{"selectedType":"openai"}},"privacy":{"usageStatisticsEnabled":false},"telemetry":{"enabled":false}}"#,
            )
            .unwrap();
            set("OPENAI_API_KEY", "sk-scripted");
            set("OPENAI_BASE_URL", &format!("{}/v1", model.url));
        }
        Cli::Hermes => {
            // Its own config names the scripted server; Baton copies it
            // into the run's Hermes home and adds its MCP server.
            let hermes_home = home.join(".hermes");
            std::fs::create_dir_all(&hermes_home).unwrap();
            std::fs::write(
                hermes_home.join("config.yaml"),
                format!(
                    "model:\n  provider: custom\n  default: hermes-scripted\n  base_url: {}/v1\n  api_key: sk-scripted\n",
                    model.url
                ),
            )
            .unwrap();
            set("HERMES_HOME", &hermes_home.display().to_string());
        }
        Cli::Opencode => {
            // The user's global config names the scripted server as a
            // provider; Baton's per-run file (OPENCODE_CONFIG) merges over it.
            let config = home.join(".config/opencode");
            std::fs::create_dir_all(&config).unwrap();
            std::fs::write(
                config.join("opencode.json"),
                json!({
                    "provider": {"scripted": {
                        "npm": "@ai-sdk/openai-compatible",
                        "name": "Scripted",
                        "options": {"baseURL": format!("{}/v1", model.url), "apiKey": "sk-scripted"},
                        "models": {"opencode-scripted": {"name": "opencode-scripted"}}
                    }},
                    "autoupdate": false,
                    "share": "disabled"
                })
                .to_string(),
            )
            .unwrap();
            set("OPENCODE_DISABLE_AUTOUPDATE", "1");
            set("OPENCODE_DISABLE_MODELS_FETCH", "1");
            set("OPENCODE_DISABLE_LSP_DOWNLOAD", "1");
        }
        Cli::Copilot => {
            // Its own model provider (BYOK) and offline mode: no GitHub
            // login, no telemetry, no update check.
            set("COPILOT_PROVIDER_BASE_URL", &format!("{}/v1", model.url));
            set("COPILOT_PROVIDER_TYPE", "openai");
            set("COPILOT_PROVIDER_API_KEY", "sk-scripted");
            set("COPILOT_OFFLINE", "true");
        }
        Cli::Aider => {
            set("OPENAI_API_BASE", &format!("{}/v1", model.url));
            set("OPENAI_API_KEY", "sk-scripted");
            // litellm's price list is bundled; do not fetch it.
            set("LITELLM_LOCAL_MODEL_COST_MAP", "True");
        }
        Cli::Gemini => {
            let settings = home.join(".gemini");
            std::fs::create_dir_all(&settings).unwrap();
            std::fs::write(
                settings.join("settings.json"),
                r#"{"security":{"auth":{"selectedType":"gemini-api-key"}},"privacy":{"usageStatisticsEnabled":false},"telemetry":{"enabled":false},"general":{"disableAutoUpdate":true}}"#,
            )
            .unwrap();
            set("GEMINI_API_KEY", "scripted");
            set("GOOGLE_GEMINI_BASE_URL", &model.url);
            set("GEMINI_CLI_TRUST_WORKSPACE", "true");
        }
    }
    env
}

/// A model catalog for Codex with one entry, copied from the catalog built
/// into its binary and renamed, its search tool and websockets off (so the
/// MCP tools are offered directly, over plain HTTP).
fn codex_catalog(wrapper: &Path) -> String {
    // The npm wrapper's package holds the native binary under vendor/.
    let root = wrapper
        .ancestors()
        .find(|p| p.ends_with("node_modules"))
        .expect("the codex wrapper is inside node_modules");
    let native = root.join("@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex");
    let bytes = std::fs::read(&native).unwrap_or_else(|e| panic!("{}: {e}", native.display()));
    let needle = b"\"models\": [";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("codex embeds its model catalog");
    let start = bytes[..at].iter().rposition(|&b| b == b'{').unwrap();
    let mut stream = serde_json::Deserializer::from_slice(&bytes[start..]).into_iter::<Value>();
    let catalog = stream
        .next()
        .unwrap()
        .expect("the embedded catalog is JSON");
    let mut entry = catalog["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["slug"] == "gpt-5.5")
        .or_else(|| catalog["models"].as_array().unwrap().first())
        .unwrap()
        .clone();
    entry["slug"] = "baton-scripted".into();
    entry["display_name"] = "baton-scripted".into();
    entry["supports_search_tool"] = false.into();
    entry["prefer_websockets"] = false.into();
    serde_json::json!({ "models": [entry] }).to_string()
}

fn add_profile(
    b: &Baton,
    name: &str,
    cli: Cli,
    bin: &Path,
    env: &[(String, String)],
    extra: &[&str],
) {
    let mut args: Vec<String> = ["profiles", "add", name, "--agent", cli.kind(), "--bin"]
        .map(String::from)
        .to_vec();
    args.push(bin.display().to_string());
    match cli {
        Cli::Gemini => args.extend(["--model".into(), "gemini-2.5-flash".into()]),
        Cli::Qwen => args.extend(["--model".into(), "qwen-scripted".into()]),
        Cli::Opencode => args.extend(["--model".into(), "scripted/opencode-scripted".into()]),
        Cli::Copilot => args.extend(["--model".into(), "copilot-scripted".into()]),
        Cli::Aider => args.extend(["--model".into(), "openai/aider-scripted".into()]),
        _ => {}
    }
    for (k, v) in env {
        args.push("--env".into());
        args.push(format!("{k}={v}"));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    b.run(&refs).ok();
}

fn show(b: &Baton, id: &str) -> Value {
    b.run(&["show", id, "--json"]).ok().json()
}

/// Runs dispatcher passes until `id` leaves running (or a minute passes).
fn dispatch_until_settled(b: &Baton, id: &str) -> Value {
    let report = b.run(&["dispatch", "--json"]).ok().json();
    assert_eq!(
        report["spawned"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        b.run(&["dispatch"]).ok();
        let s = show(b, id);
        let status = s["task"]["status"].as_str().unwrap_or_default().to_string();
        if status != "running" && status != "ready" {
            return s;
        }
        if Instant::now() > deadline {
            let log = b.run(&["log", id]);
            panic!(
                "{id} still {status} after 90 s\nlog:\n{}\n{}",
                log.stdout, log.stderr
            );
        }
    }
}

fn worker_does_the_whole_lifecycle(cli: Cli) {
    let Some(bin) = cli.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new_private();
    let env = agent_env(cli, &bin, &model, b.dir.path());
    add_profile(&b, "worker", cli, &bin, &env, &["--max-concurrent", "2"]);
    let id = b.create("Write the CSV parser", &["--assignee", "worker"]);

    let s = dispatch_until_settled(&b, &id);
    let log = b.run(&["log", &id]).stdout;
    let raw = b.run(&["transcript", &id, "--raw"]).stdout;
    let tools: Vec<String> = model
        .seen
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|(p, r)| format!("{p}: {}", common::model::tool_names(r).join(",")))
        .collect();
    assert_eq!(
        s["task"]["status"],
        "done",
        "{s}\nlog:\n{log}\ntranscript:\n{raw}\nrequests:\n{}",
        tools.join("\n")
    );
    let run = s["runs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(run["outcome"], "completed", "{run}");
    assert_eq!(
        run["summary"],
        "Wrote the parser and its tests; a review task follows."
    );
    assert_eq!(run["metadata"]["tests_run"], 14, "{run}");
    assert!(
        s["comments"]
            .to_string()
            .contains("Assuming UTF-8 input throughout."),
        "{}",
        s["comments"]
    );
    let children = s["links"]["children"].as_array().unwrap().clone();
    assert_eq!(children.len(), 1, "one follow-up: {}", s["links"]);
    let child = show(&b, children[0].as_str().unwrap());
    assert_eq!(child["task"]["title"], format!("Review the work of {id}"));
    assert_eq!(child["task"]["assignee"], "reviewer");

    // The transcript: the board's tools in the order the model called them.
    // The task is done as soon as kanban_complete lands; the agent still
    // says its last words and exits, so wait for its result line (and its
    // usage: Copilot writes that to a file as it exits).
    let deadline = Instant::now() + Duration::from_secs(30);
    let t = loop {
        let t = b.run(&["transcript", &id, "--json"]).ok().json();
        let ended = t["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "result");
        if ended && t["usage"]["input_tokens"].as_u64() > Some(0) {
            break t;
        }
        assert!(Instant::now() < deadline, "the agent never finished: {t}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(t["agent"], cli.kind());
    assert_eq!(t["task_id"], id);
    let calls: Vec<String> = t["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "tool_call")
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    let board_calls: Vec<&String> = calls.iter().filter(|c| c.contains("kanban_")).collect();
    let want: Vec<String> = [
        "kanban_heartbeat",
        "kanban_comment",
        "kanban_create",
        "kanban_complete",
    ]
    .iter()
    .map(|n| cli.tool(n))
    .collect();
    assert_eq!(
        board_calls,
        want.iter().collect::<Vec<_>>(),
        "all calls: {calls:?}"
    );
    let results = t["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "tool_result")
        .count();
    assert!(results >= 4, "each call has its result: {t}");
    assert!(
        t["usage"]["input_tokens"].as_u64().unwrap() > 0,
        "{}",
        t["usage"]
    );
    assert!(
        t["usage"]["output_tokens"].as_u64().unwrap() > 0,
        "{}",
        t["usage"]
    );
    assert_eq!(t["malformed"], 0, "{t}");
    assert!(
        t.to_string().contains(FINAL_WORDS),
        "the last answer is in the transcript"
    );

    // What the run used is recorded from the transcript once the agent's
    // process is gone (a dispatcher pass looks), with the agent's own cost
    // when it gave one.
    let deadline = Instant::now() + Duration::from_secs(30);
    let rec = loop {
        b.run(&["dispatch"]).ok();
        if let Some(r) = show(&b, &id)["usage"].as_array().and_then(|a| a.first()) {
            break r.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no usage recorded: {}",
            show(&b, &id)
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let last = b.run(&["transcript", &id, "--json"]).ok().json()["usage"].clone();
    assert_eq!(rec["source"], "transcript", "{rec}");
    for k in [
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "model",
    ] {
        assert_eq!(rec[k], last[k], "{k}: {rec} vs {last}");
    }
    if last["cost_usd"].is_number() {
        assert_eq!(
            (&rec["cost_source"], &rec["cost_usd"]),
            (&json!("agent"), &last["cost_usd"])
        );
    } else {
        assert_ne!(rec["cost_source"], "agent", "{rec}");
    }
    let total = b.run(&["spend", "--json"]).ok().json()["total"].clone();
    assert_eq!(
        (&total["runs"], &total["input_tokens"]),
        (&json!(1), &last["input_tokens"])
    );

    // The browser tests replay a real transcript; this writes a fresh one
    // (BATON_SAVE_TRANSCRIPTS=end2end/fixtures/transcripts).
    if let Some(dir) = std::env::var_os("BATON_SAVE_TRANSCRIPTS") {
        let raw = b.run(&["transcript", &id, "--raw"]).ok().stdout;
        std::fs::write(Path::new(&dir).join(format!("{}.jsonl", cli.kind())), raw).unwrap();
    }
    // People read it too.
    let text = b.run(&["transcript", &id]).ok().stdout;
    assert!(text.contains(&cli.tool("kanban_complete")), "{text}");
    assert!(text.contains(cli.kind()), "{text}");
    // And the raw stream is the CLI's own lines after Baton's header.
    let raw = b.run(&["transcript", &id, "--raw"]).ok().stdout;
    assert!(
        raw.lines().next().unwrap().contains("baton_transcript"),
        "{raw}"
    );
    assert!(raw.lines().count() > 4, "{raw}");
    // The MCP server really was this run's: the model server saw the tools.
    assert!(!model.paths().is_empty());
}

#[test]
fn claude_code_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Claude);
}

#[test]
fn codex_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Codex);
}

#[test]
fn qwen_code_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Qwen);
}

#[test]
fn hermes_agent_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Hermes);
}

#[test]
fn opencode_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Opencode);
}

#[test]
fn copilot_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Copilot);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// aider has no board tools: it edits the task's worktree, commits there,
/// and its last reply becomes the handoff (`on_exit = complete`).
#[test]
fn aider_edits_its_worktree_and_its_answer_becomes_the_handoff() {
    let cli = Cli::Aider;
    let Some(bin) = cli.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new_private();
    let repo = b.dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("calc.py"), "def add(a, b):\n    pass\n").unwrap();
    git(&repo, &["add", "calc.py"]);
    git(&repo, &["commit", "-qm", "start"]);
    b.run(&[
        "boards",
        "create",
        "proj",
        "--default-workdir",
        &repo.display().to_string(),
        "--switch",
    ])
    .ok();
    let env = agent_env(cli, &bin, &model, b.dir.path());
    add_profile(&b, "coder", cli, &bin, &env, &["--on-exit", "complete"]);
    let id = b.create(
        "Make add return the sum",
        &[
            "--assignee",
            "coder",
            "--workspace",
            "worktree",
            "--body",
            "SCRIPT:edit calc.py is wrong.",
        ],
    );

    let s = dispatch_until_settled(&b, &id);
    let log = b.run(&["log", &id]).stdout;
    assert_eq!(s["task"]["status"], "done", "{s}\nlog:\n{log}");
    let run = s["runs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(run["outcome"], "completed", "{run}");
    assert!(
        run["summary"]
            .as_str()
            .unwrap()
            .contains("add now returns the sum of its arguments"),
        "{run}"
    );
    assert_eq!(run["metadata"]["completed_by"], "on_exit", "{run}");

    // The edit is in the task's worktree, committed on its branch.
    let worktree = repo.join(".worktrees").join(&id);
    assert_eq!(
        std::fs::read_to_string(worktree.join("calc.py")).unwrap(),
        "def add(a, b):\n    return a + b\n"
    );
    let commits = git(&repo, &["log", "--format=%s", &format!("baton/{id}")]);
    assert!(
        commits.contains("fix: return the sum from add"),
        "{commits}"
    );
    // Its histories went to the run's folder, not into the worktree.
    assert!(!worktree.join(".aider.chat.history.md").exists());

    // The guidance for a CLI without board tools reached the model.
    let asked = model.seen.0.lock().unwrap().iter().any(|(_, r)| {
        r.to_string()
            .contains("Working a Baton task (without board tools)")
    });
    assert!(asked, "the plain guidance was in a request");

    // The transcript: the reply, the edit and the commit, and the usage.
    let t = b.run(&["transcript", &id, "--json"]).ok().json();
    assert_eq!(t["agent"], "aider");
    let calls: Vec<&str> = t["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "tool_call")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(calls, ["edit", "commit"], "{t}");
    assert!(
        t.to_string().contains(&EDIT_REPLY.replace('\n', "\\n")),
        "{t}"
    );
    assert!(
        t["usage"]["input_tokens"].as_u64().unwrap() > 0,
        "{}",
        t["usage"]
    );
    assert!(
        t["usage"]["output_tokens"].as_u64().unwrap() > 0,
        "{}",
        t["usage"]
    );
    assert_eq!(
        t["usage"]["model"], "openai/aider-scripted",
        "{}",
        t["usage"]
    );
    assert_eq!(
        (t["malformed"].as_u64(), t["unknown"].as_u64()),
        (Some(0), Some(0)),
        "{t}"
    );
    let context = b.run(&["context", &id]).ok().stdout;
    assert!(
        context.contains("given to aider as a read-only file in the chat"),
        "{context}"
    );
    if let Some(dir) = std::env::var_os("BATON_SAVE_TRANSCRIPTS") {
        let raw = b.run(&["transcript", &id, "--raw"]).ok().stdout;
        std::fs::write(Path::new(&dir).join("aider.jsonl"), raw).unwrap();
    }
}

#[test]
fn gemini_cli_works_a_task_through_the_board_tools() {
    worker_does_the_whole_lifecycle(Cli::Gemini);
}

/// An agent that answers and exits without completing: block (the default)
/// keeps its answer as the reason; complete makes it the handoff; retry
/// counts a failure and tries again.
/// A provider that turns the agent away: a 429 without a reset time pauses
/// its profile with backoff, a 401 until someone resumes it; neither counts
/// as a failure, and the other profile is not held up by them.
fn turned_away_by_the_provider(cli: Cli) {
    let Some(bin) = cli.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new_private();
    let mut env = agent_env(cli, &bin, &model, b.dir.path());
    // Claude Code retries a 429 ten times by itself unless told not to.
    env.push(("CLAUDE_CODE_MAX_RETRIES".into(), "0".into()));
    add_profile(&b, "limited", cli, &bin, &env, &[]);
    add_profile(&b, "locked", cli, &bin, &env, &[]);
    let limited = b.create(
        "Fetch the numbers",
        &[
            "--assignee",
            "limited",
            "--body",
            "SCRIPT:rate-limit-no-reset",
        ],
    );
    let locked = b.create(
        "Fetch the others",
        &["--assignee", "locked", "--body", "SCRIPT:bad-key"],
    );
    let outcome = |id: &str| -> Option<String> {
        show(&b, id)["runs"]
            .as_array()
            .and_then(|r| r.last())
            .and_then(|r| r["outcome"].as_str().map(str::to_string))
    };
    b.run(&["dispatch"]).ok();
    let deadline = Instant::now() + Duration::from_secs(90);
    while outcome(&limited).is_none() || outcome(&locked).is_none() {
        assert!(
            Instant::now() < deadline,
            "the runs never ended: {}\n{}",
            show(&b, &limited),
            show(&b, &locked)
        );
        std::thread::sleep(Duration::from_millis(300));
        b.run(&["dispatch"]).ok();
    }
    let s = show(&b, &limited);
    assert_eq!(
        outcome(&limited).as_deref(),
        Some("rate_limited"),
        "{s}\nlog:\n{}",
        b.run(&["log", &limited]).stdout
    );
    assert_eq!(
        (&s["task"]["status"], &s["task"]["consecutive_failures"]),
        (&json!("ready"), &json!(0)),
        "{s}"
    );
    let p = b
        .run(&["profiles", "show", "limited", "--json"])
        .ok()
        .json();
    assert_eq!(
        (&p["paused"]["reason"], &p["paused"]["from_provider"]),
        (&json!("rate_limit"), &json!(false)),
        "{p}"
    );
    let wait = p["paused"]["until"].as_i64().unwrap() - p["paused"]["since"].as_i64().unwrap();
    assert_eq!(wait, 60, "no reset time given: the first backoff step: {p}");

    let s = show(&b, &locked);
    assert_eq!(
        outcome(&locked).as_deref(),
        Some("auth_failed"),
        "{s}\nlog:\n{}",
        b.run(&["log", &locked]).stdout
    );
    assert_eq!(s["task"]["status"], "ready", "{s}");
    let p = b.run(&["profiles", "show", "locked", "--json"]).ok().json();
    assert_eq!(p["paused"]["reason"], "auth", "{p}");
    assert!(p["paused"]["until"].is_null(), "{p}");
}

#[test]
fn claude_code_turned_away_by_its_provider_pauses_its_profile() {
    turned_away_by_the_provider(Cli::Claude);
}

#[test]
fn codex_turned_away_by_its_provider_pauses_its_profile() {
    turned_away_by_the_provider(Cli::Codex);
}

#[test]
fn an_agent_that_exits_without_completing_is_settled_by_on_exit() {
    let Some(bin) = Cli::Claude.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new();
    let env = agent_env(Cli::Claude, &bin, &model, b.dir.path());
    add_profile(&b, "blocker", Cli::Claude, &bin, &env, &[]);
    add_profile(
        &b,
        "finisher",
        Cli::Claude,
        &bin,
        &env,
        &["--on-exit", "complete"],
    );
    add_profile(
        &b,
        "retrier",
        Cli::Claude,
        &bin,
        &env,
        &["--on-exit", "retry"],
    );

    let blocked = b.create(
        "Look at the parser",
        &["--assignee", "blocker", "--body", "SCRIPT:answer-only"],
    );
    let s = dispatch_until_settled(&b, &blocked);
    assert_eq!(s["task"]["status"], "blocked", "{s}");
    let run = s["runs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(run["outcome"], "blocked", "{run}");
    assert!(
        s.to_string().contains(ANSWER_ONLY),
        "the answer is the reason: {s}"
    );

    let done = b.create(
        "Look at the lexer",
        &["--assignee", "finisher", "--body", "SCRIPT:answer-only"],
    );
    let s = dispatch_until_settled(&b, &done);
    assert_eq!(s["task"]["status"], "done", "{s}");
    let run = s["runs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(run["summary"], ANSWER_ONLY, "{run}");
    assert_eq!(run["metadata"]["completed_by"], "on_exit", "{run}");
    assert!(
        run["metadata"]["usage"]["input_tokens"].as_u64().unwrap() > 0,
        "{run}"
    );

    let retried = b.create(
        "Look at the printer",
        &["--assignee", "retrier", "--body", "SCRIPT:answer-only"],
    );
    b.run(&["dispatch"]).ok();
    let deadline = Instant::now() + Duration::from_secs(90);
    let s = loop {
        std::thread::sleep(Duration::from_millis(300));
        b.run(&["dispatch"]).ok();
        let s = show(&b, &retried);
        if s["runs"].as_array().unwrap().len() >= 2 {
            break s;
        }
        assert!(Instant::now() < deadline, "no second attempt: {s}");
    };
    let first = &s["runs"][0];
    assert_eq!(first["outcome"], "crashed", "{first}");
    assert!(
        first["error"].as_str().unwrap().contains("on_exit = retry"),
        "{first}"
    );
    // Each attempt has its own transcript.
    let t = b
        .run(&[
            "transcript",
            &retried,
            "--run",
            &first["id"].to_string(),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(t["run_id"], first["id"]);
}

/// An agent killed mid-run: the transcript keeps what it wrote, the run is
/// a crash with the reason, and the next attempt starts afresh.
#[test]
fn an_agent_killed_mid_stream_is_a_crash_and_its_transcript_survives() {
    let Some(bin) = Cli::Claude.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new();
    let env = agent_env(Cli::Claude, &bin, &model, b.dir.path());
    add_profile(&b, "worker", Cli::Claude, &bin, &env, &[]);
    let id = b.create(
        "Write the CSV parser",
        &["--assignee", "worker", "--body", "SCRIPT:answer-only"],
    );
    let report = b.run(&["dispatch", "--json"]).ok().json();
    let pid = report["spawned"][0]["pid"].as_i64().unwrap();
    // SIGKILL the whole process group at once, before it can answer much.
    unsafe {
        libc::kill(-(pid as i32), libc::SIGKILL);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let s = loop {
        std::thread::sleep(Duration::from_millis(200));
        b.run(&["dispatch", "--max", "0"]).ok();
        let s = show(&b, &id);
        if s["runs"][0]["ended_at"].is_i64() {
            break s;
        }
        assert!(Instant::now() < deadline, "the kill was not noticed: {s}");
    };
    let run = &s["runs"][0];
    assert_eq!(run["outcome"], "crashed", "{run}");
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("without finishing its task"),
        "{run}"
    );
    let t = b.run(&["transcript", &id, "--json"]).ok().json();
    assert_eq!(t["run_id"], run["id"]);
}

/// A transcript with lines that are not JSON and events Baton does not know
/// reads fine, keeps them, and counts them.
#[test]
fn a_transcript_with_malformed_lines_is_read_and_they_are_counted() {
    let b = Baton::new();
    std::fs::create_dir_all(&b.home).unwrap();
    b.run(&[
        "profiles",
        "add",
        "worker",
        "--agent",
        "claude-code",
        "--bin",
        "/bin/false",
    ])
    .ok();
    let id = b.create("Anything", &["--assignee", "worker"]);
    // The default board lives in the home itself.
    let dir = b.home.join("transcripts").join(&id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("1.jsonl"),
        format!(
            "{{\"baton_transcript\":1,\"agent\":\"claude-code\",\"task\":\"{id}\",\"run\":1}}\n\
             Warning: something printed to stdout\n\
             {{\"type\":\"assistant\",\"message\":{{\"id\":\"m\",\"content\":[{{\"type\":\"text\",\"text\":\"Half\"}}],\"usage\":{{\"input_tokens\":3,\"output_tokens\":1}},\"brand_new\":1}}}}\n\
             {{\"type\":\"telemetry_v9\",\"x\":1}}\n\
             {{\"type\":\"assistant\",\"mess"
        ),
    )
    .unwrap();
    let t = b.run(&["transcript", &id, "--json"]).ok().json();
    assert_eq!(t["malformed"], 2, "{t}");
    assert_eq!(t["unknown"], 1, "{t}");
    assert_eq!(t["entries"][1]["type"], "message", "{t}");
    assert_eq!(t["usage"]["input_tokens"], 3);
    let text = b.run(&["transcript", &id]).ok().stdout;
    assert!(
        text.contains("? Warning: something printed to stdout"),
        "{text}"
    );
    assert!(
        text.contains("2 lines were not JSON and 1 events"),
        "{text}"
    );
}

/// `baton serve` with its dispatcher starts the agent by itself; the REST
/// API carries the transcript (and reads on from `since`), the profiles and
/// the doctor's verdict.
#[test]
fn a_served_board_runs_agents_and_its_api_shows_transcripts_and_profiles() {
    let Some(bin) = Cli::Claude.bin() else { return };
    let model = ModelServer::start();
    let b = Baton::new_private();
    let env = agent_env(Cli::Claude, &bin, &model, b.dir.path());
    add_profile(&b, "worker", Cli::Claude, &bin, &env, &[]);
    let server = common::http::serve(&b, &[]);
    let id =
        server.create(serde_json::json!({"title": "Write the CSV parser", "assignee": "worker"}));
    let deadline = Instant::now() + Duration::from_secs(90);
    let t = loop {
        let r = server.get(&format!("/api/v1/tasks/{id}/transcript"));
        if r.status == 200 {
            let t = r.json();
            if t["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["type"] == "result")
            {
                break t;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no finished transcript: {}",
            r.body
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let task = server
        .get(&format!("/api/v1/tasks/{id}"))
        .expect(200)
        .json();
    assert_eq!(task["task"]["status"], "done", "{task}");
    assert_eq!(t["run_id"], 1);
    let total = t["total"].as_u64().unwrap();
    assert_eq!(t["entries"].as_array().unwrap().len() as u64, total);
    let rest = server
        .get(&format!("/api/v1/tasks/{id}/transcript?run=1&since=3"))
        .expect(200)
        .json();
    assert_eq!(rest["start"], 3);
    assert_eq!(
        rest["entries"][0], t["entries"][3],
        "since skips what was read"
    );
    // The stream: the entries, then `end` because the run is over; and a
    // resumed stream starts where the client left off.
    let mut r = server.stream(&format!("/api/v1/tasks/{id}/transcript/stream"), None);
    let mut streamed = Vec::new();
    loop {
        let (ev_id, kind, data) = common::http::next_event(&mut r);
        match kind.as_deref() {
            Some("entries") => {
                assert_eq!(data["start"].as_u64().unwrap() as usize, streamed.len());
                streamed.extend(data["entries"].as_array().unwrap().iter().cloned());
                assert_eq!(ev_id.unwrap(), streamed.len().to_string());
            }
            Some("end") => {
                assert_eq!(data["total"].as_u64(), Some(total));
                break;
            }
            other => panic!("unexpected event {other:?}: {data}"),
        }
    }
    assert_eq!(&Value::Array(streamed), &t["entries"]);
    let mut r = server.stream(&format!("/api/v1/tasks/{id}/transcript/stream"), Some(3));
    let (_, kind, data) = common::http::next_event(&mut r);
    assert_eq!(kind.as_deref(), Some("entries"));
    assert_eq!(data["start"], 3);
    server
        .get(&format!("/api/v1/tasks/{id}/transcript?run=7"))
        .expect(404);
    server
        .get(&format!("/api/v1/tasks/{id}/transcript?run=0"))
        .expect(400);

    let profiles = server.get("/api/v1/profiles").expect(200).json();
    assert_eq!(profiles[0]["name"], "worker");
    assert_eq!(profiles[0]["kind"], "claude-code");
    assert!(
        !profiles.to_string().contains("sk-scripted"),
        "keys are not shown: {profiles}"
    );
    assert!(profiles[0]["env_keys"]
        .to_string()
        .contains("ANTHROPIC_API_KEY"));
    let added = server
        .post(
            "/api/v1/profiles",
            &serde_json::json!({"name": "reviewer", "kind": "codex", "permissions": "read-only", "on_exit": "complete"}),
        )
        .expect(200)
        .json();
    assert_eq!(added["permissions"], "read-only");
    server
        .post(
            "/api/v1/profiles",
            &serde_json::json!({"name": "reviewer", "kind": "codex"}),
        )
        .expect(409);
    server
        .post(
            "/api/v1/profiles",
            &serde_json::json!({"name": "bad name!", "kind": "codex"}),
        )
        .expect(400);
    server.get("/api/v1/profiles/reviewer").expect(200);
    let doctor = server.get("/api/v1/doctor").expect(200).json();
    let worker = doctor
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == "worker")
        .unwrap();
    assert_eq!(worker["ok"], true, "{doctor}");
    assert!(
        worker["version"].as_str().unwrap().contains("2.1"),
        "{worker}"
    );
    server.delete("/api/v1/profiles/reviewer").expect(200);
    server.get("/api/v1/profiles/reviewer").expect(404);
}

/// Profiles from the command line: added to config.toml beside what the
/// user wrote, listed, shown without their keys, checked by the doctor,
/// removed; bad input is refused and changes nothing.
#[test]
fn profiles_are_added_listed_checked_and_removed_from_the_command_line() {
    let b = Baton::new();
    std::fs::create_dir_all(&b.home).unwrap();
    let config = b.home.join("config.toml");
    std::fs::write(
        &config,
        "# my settings\n[dispatcher]\ninterval_seconds = 2.0\n",
    )
    .unwrap();
    // A stand-in CLI that answers --version like the real one.
    let fake = b.dir.path().join("claude");
    std::fs::write(&fake, "#!/bin/sh\necho '9.9.9 (Claude Code)'\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let fake = fake.display().to_string();

    b.run(&[
        "profiles",
        "add",
        "coder",
        "--agent",
        "claude-code",
        "--bin",
        &fake,
        "--model",
        "m-1",
        "--max-concurrent",
        "2",
        "--env",
        "ANTHROPIC_API_KEY=sk-secret",
        "--arg",
        "--max-turns",
        "--arg",
        "9",
    ])
    .ok();
    b.run(&[
        "profiles",
        "add",
        "scraper",
        "--",
        "python3",
        "scrape.py",
        "{task}",
    ])
    .ok();
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("# my settings\n[dispatcher]\ninterval_seconds = 2.0\n"),
        "{text}"
    );
    assert!(text.contains("kind = \"claude-code\""), "{text}");

    let list = b.run(&["profiles", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let coder = b.run(&["profiles", "show", "coder", "--json"]).ok().json();
    assert_eq!(coder["args"], serde_json::json!(["--max-turns", "9"]));
    assert_eq!(coder["max_concurrent"], 2);
    assert!(!coder.to_string().contains("sk-secret"));
    let human = b.run(&["profiles", "list"]).ok().stdout;
    assert!(
        human.contains("coder")
            && human.contains("claude-code")
            && human.contains("python3 scrape.py"),
        "{human}"
    );

    // Refusals leave the file as it was.
    let before = std::fs::read_to_string(&config).unwrap();
    b.run(&["profiles", "add", "x", "--agent", "vim"]).code(2);
    b.run(&[
        "profiles", "add", "x", "--agent", "codex", "--", "codex", "exec",
    ])
    .code(2);
    b.run(&[
        "profiles",
        "add",
        "x",
        "--agent",
        "codex",
        "--permissions",
        "sudo",
    ])
    .code(2);
    b.run(&["profiles", "add", "coder", "--agent", "codex"])
        .code(1);
    b.run(&["profiles", "add", "y"]).code(2);
    b.run(&["profiles", "rm", "nobody"]).code(1);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
    // --replace overwrites.
    b.run(&[
        "profiles",
        "add",
        "coder",
        "--agent",
        "claude-code",
        "--bin",
        &fake,
        "--on-exit",
        "retry",
        "--env",
        "ANTHROPIC_API_KEY=sk-secret",
        "--replace",
    ])
    .ok();
    assert_eq!(
        b.run(&["profiles", "show", "coder", "--json"]).ok().json()["on_exit"],
        "retry"
    );

    // The doctor: the stand-in is found, runs, and has a key.
    let checks = b.run(&["doctor", "--json"]).ok().json();
    let coder = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == "coder")
        .unwrap();
    assert_eq!(coder["ok"], true, "{checks}");
    assert_eq!(coder["version"], "9.9.9 (Claude Code)");
    assert_eq!(coder["credentials"], "ANTHROPIC_API_KEY is set");
    // A profile whose CLI is missing fails the doctor (exit 1) and says how to fix it.
    b.run(&[
        "profiles",
        "add",
        "ghost",
        "--agent",
        "gemini",
        "--bin",
        "/nonexistent/gemini",
    ])
    .ok();
    let r = b.run(&["doctor"]).code(1);
    assert!(r.stdout.contains("FAIL  ghost (gemini)"), "{}", r.stdout);
    assert!(r.stdout.contains("is not on PATH"), "{}", r.stdout);

    // What an agent is given: the guidance and the prompt.
    let id = b.create(
        "Plan the release",
        &["--assignee", "coder", "--skill", "orchestrator"],
    );
    let context = b.run(&["context", &id]).ok().stdout;
    assert!(
        context.contains("given to claude-code as --append-system-prompt"),
        "{context}"
    );
    assert!(context.contains("# Working a Baton task"), "{context}");
    assert!(
        context.contains("# Orchestrating on a Baton board"),
        "the playbook, for an orchestrator"
    );
    assert!(context.contains(&format!("Work task {id}")), "{context}");

    b.run(&["profiles", "rm", "ghost"]).ok();
    b.run(&["profiles", "rm", "coder"]).ok();
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        !text.contains("coder") && text.contains("scraper") && text.starts_with("# my settings"),
        "{text}"
    );
}
