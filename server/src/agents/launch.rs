//! How each agent CLI is started for one run: its non-interactive flags, the
//! flag that makes it stream JSON, how the prompt and the guidance reach it,
//! the model override, the permission mode, and Baton's MCP server wired in
//! for this run only (a generated file in the run's directory, or `-c`
//! overrides), so the agent gets `kanban_*` tools scoped to its task.

use super::kind::{AgentKind, Permissions};
use crate::config::Profile;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name the MCP server has in every agent's configuration; tools appear
/// as `mcp__baton__kanban_show` (Claude Code, Qwen Code, Hermes),
/// `mcp_baton_kanban_show` (Gemini CLI), `baton_kanban_show` (opencode),
/// `baton-kanban_show` (Copilot) or in the `mcp__baton` namespace (Codex).
pub const MCP_NAME: &str = "baton";

/// How to start Baton's stdio MCP server for this run.
pub struct McpServer {
    pub command: String,
    pub args: Vec<String>,
    /// The worker identity (`BATON_TASK`, `BATON_RUN`, …): some CLIs pass
    /// the MCP server only a few variables of their own environment.
    pub env: BTreeMap<String, String>,
}

/// What one run is given.
pub struct Given<'a> {
    pub guidance: &'a str,
    pub prompt: &'a str,
}

impl Given<'_> {
    /// The prompt for a CLI with no system-prompt addition: the guidance leads.
    fn guidance_then_prompt(&self) -> String {
        format!("{}\n\n{}", self.guidance, self.prompt)
    }
}

/// A ready-to-run agent: the program, its arguments, extra environment and
/// the files to write first (in the run's directory).
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub program: String,
    pub args: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub files: Vec<(PathBuf, String)>,
}

/// The invocation of `profile` (an agent kind) for one run. `run_dir` is
/// where its configuration files go.
pub fn invocation(
    profile: &Profile,
    given: &Given<'_>,
    mcp: &McpServer,
    run_dir: &Path,
) -> Invocation {
    let kind = profile.kind;
    let program = profile
        .bin
        .clone()
        .or_else(|| kind.default_bin().map(str::to_string))
        .unwrap_or_default();
    let mut inv = Invocation {
        program,
        args: Vec::new(),
        env: BTreeMap::new(),
        files: Vec::new(),
    };
    let server = json!({
        "command": mcp.command,
        "args": mcp.args,
        "env": mcp.env,
    });
    let args = &mut inv.args;
    let push = |args: &mut Vec<String>, items: &[&str]| {
        args.extend(items.iter().map(|s| s.to_string()));
    };
    match kind {
        AgentKind::Command => {}
        AgentKind::ClaudeCode => {
            let config = run_dir.join("mcp.json");
            inv.files.push((
                config.clone(),
                pretty(&json!({ "mcpServers": { MCP_NAME: server } })),
            ));
            push(args, &["-p", given.prompt]);
            push(args, &["--output-format", "stream-json", "--verbose"]);
            args.push("--mcp-config".into());
            args.push(config.display().to_string());
            push(args, &["--strict-mcp-config"]);
            // Otherwise MCP tools may be deferred behind a search tool, and
            // the board's few tools are the ones a worker must see.
            inv.env.insert("ENABLE_TOOL_SEARCH".into(), "false".into());
            push(args, &["--append-system-prompt", given.guidance]);
            if let Some(m) = &profile.model {
                push(args, &["--model", m]);
            }
            // The server name alone pre-approves all of its tools.
            let baton_tools = format!("mcp__{MCP_NAME}");
            match profile.permissions {
                Permissions::Workspace => {
                    push(args, &["--permission-mode", "acceptEdits"]);
                    args.push("--allowedTools".into());
                    args.push(format!("{baton_tools},Bash"));
                }
                Permissions::ReadOnly => {
                    args.push("--allowedTools".into());
                    args.push(baton_tools);
                    push(
                        args,
                        &[
                            "--disallowedTools",
                            "Bash,Edit,Write,MultiEdit,NotebookEdit",
                        ],
                    );
                }
                Permissions::Full => {
                    push(args, &["--dangerously-skip-permissions"]);
                    // Refused as root unless the CLI is told it is sandboxed;
                    // `full` is documented as for throwaway machines.
                    inv.env.insert("IS_SANDBOX".into(), "1".into());
                }
            }
        }
        AgentKind::Codex => {
            push(args, &["exec", "--json", "--skip-git-repo-check"]);
            let sandbox = match profile.permissions {
                Permissions::Workspace => "workspace-write",
                Permissions::ReadOnly => "read-only",
                Permissions::Full => "danger-full-access",
            };
            push(args, &["-s", sandbox]);
            let key = format!("mcp_servers.{MCP_NAME}");
            let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
            let toml_list = |items: &[String]| {
                let v: Vec<toml::Value> = items.iter().cloned().map(toml::Value::String).collect();
                toml::Value::Array(v).to_string()
            };
            let env_table = {
                let fields: Vec<String> = mcp
                    .env
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", toml_str(v)))
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            };
            for (field, value) in [
                ("command", toml_str(&mcp.command)),
                ("args", toml_list(&mcp.args)),
                ("env", env_table),
                // Without it every call fails: exec never asks, so it refuses.
                ("default_tools_approval_mode", toml_str("approve")),
            ] {
                args.push("-c".into());
                args.push(format!("{key}.{field}={value}"));
            }
            args.push("-c".into());
            args.push(format!(
                "developer_instructions={}",
                toml_str(given.guidance)
            ));
            if let Some(m) = &profile.model {
                push(args, &["-m", m]);
            }
        }
        AgentKind::Qwen => {
            let config = run_dir.join("mcp.json");
            inv.files.push((
                config.clone(),
                pretty(&json!({ "mcpServers": { MCP_NAME: server } })),
            ));
            // Qwen Code defers MCP tools behind a search tool unless its
            // settings say not to; the system settings file merges with the
            // user's own.
            let settings = run_dir.join("qwen-settings.json");
            inv.files.push((
                settings.clone(),
                pretty(&json!({ "tools": { "toolSearch": { "enabled": false } } })),
            ));
            inv.env.insert(
                "QWEN_CODE_SYSTEM_SETTINGS_PATH".into(),
                settings.display().to_string(),
            );
            inv.env
                .insert("QWEN_CODE_SUPPRESS_YOLO_WARNING".into(), "1".into());
            push(args, &["-o", "stream-json"]);
            args.push("--mcp-config".into());
            args.push(config.display().to_string());
            push(args, &["--allowed-mcp-server-names", MCP_NAME]);
            push(args, &["--append-system-prompt", given.guidance]);
            // Headless, a shell command needs yolo: nobody approves it.
            let mode = match profile.permissions {
                Permissions::Workspace | Permissions::Full => "yolo",
                Permissions::ReadOnly => "plan",
            };
            push(args, &["--approval-mode", mode]);
            if let Some(m) = &profile.model {
                push(args, &["-m", m]);
            }
        }
        AgentKind::Hermes => {
            // `hermes -z` prints only its final answer, so Baton runs it
            // through `baton hermes-run`, which writes the session as JSON
            // lines when it ends (see agents/hermes.rs).
            let servers = run_dir.join("hermes-mcp.json");
            inv.files
                .push((servers.clone(), pretty(&json!({ MCP_NAME: server }))));
            let hermes = std::mem::replace(&mut inv.program, mcp.command.clone());
            args.push("hermes-run".into());
            args.push("--bin".into());
            args.push(hermes);
            args.push("--home".into());
            args.push(run_dir.join("hermes-home").display().to_string());
            args.push("--mcp".into());
            args.push(servers.display().to_string());
            args.push("--".into());
            // No system-prompt flag in one-shot mode: the guidance leads.
            args.push("-z".into());
            args.push(given.guidance_then_prompt());
            // One-shot mode approves every command itself; the toolsets are
            // what bounds it. An MCP server's name is a toolset.
            match profile.permissions {
                Permissions::Workspace => {
                    args.push("-t".into());
                    args.push(format!("{MCP_NAME},terminal,file,todo"));
                }
                Permissions::ReadOnly => {
                    args.push("-t".into());
                    args.push(MCP_NAME.into());
                }
                Permissions::Full => {}
            }
            if let Some(m) = &profile.model {
                push(args, &["-m", m]);
            }
        }
        AgentKind::Opencode => {
            // opencode merges the file in OPENCODE_CONFIG over the user's
            // own config; its `instructions` files join the system prompt.
            let guidance = run_dir.join("guidance.md");
            inv.files
                .push((guidance.clone(), given.guidance.to_string()));
            let mut command = vec![mcp.command.clone()];
            command.extend(mcp.args.iter().cloned());
            let permission = match profile.permissions {
                // Files outside the workspace stay out of reach.
                Permissions::Workspace => json!({ "external_directory": "deny" }),
                Permissions::ReadOnly => json!({ "edit": "deny", "bash": "deny" }),
                Permissions::Full => json!({}),
            };
            let config = run_dir.join("opencode.json");
            inv.files.push((
                config.clone(),
                pretty(&json!({
                    "mcp": { MCP_NAME: {
                        "type": "local",
                        "command": command,
                        "environment": mcp.env,
                        "enabled": true,
                    } },
                    "instructions": [guidance.display().to_string()],
                    "permission": permission,
                })),
            ));
            inv.env
                .insert("OPENCODE_CONFIG".into(), config.display().to_string());
            push(args, &["run", "--format", "json"]);
            // Headless, a tool that would ask is refused; --auto approves
            // what the permissions above do not deny.
            if profile.permissions != Permissions::ReadOnly {
                args.push("--auto".into());
            }
            if let Some(m) = &profile.model {
                push(args, &["-m", m]);
            }
        }
        AgentKind::Copilot => {
            let mut server = server;
            server["type"] = json!("local");
            server["tools"] = json!(["*"]);
            let config = run_dir.join("copilot-mcp.json");
            inv.files.push((
                config.clone(),
                pretty(&json!({ "mcpServers": { MCP_NAME: server } })),
            ));
            // No system-prompt flag, and custom-instruction folders load
            // only from trusted places: the guidance leads the prompt.
            args.push("-p".into());
            args.push(given.guidance_then_prompt());
            push(args, &["--output-format", "json", "--no-ask-user"]);
            push(args, &["--no-auto-update"]);
            inv.env.insert("COPILOT_AUTO_UPDATE".into(), "false".into());
            args.push("--additional-mcp-config".into());
            args.push(format!("@{}", config.display()));
            // The stream has no token counts; this file gets them at exit.
            args.push("--usage-output-file".into());
            args.push(
                run_dir
                    .join(kernel::agent::parse::COPILOT_USAGE_FILE)
                    .display()
                    .to_string(),
            );
            // Headless, a tool that would ask is refused: every mode allows
            // all tools and takes away what it must not do (a deny wins).
            match profile.permissions {
                Permissions::Workspace => push(args, &["--allow-all-tools"]),
                Permissions::ReadOnly => push(
                    args,
                    &[
                        "--allow-all-tools",
                        "--deny-tool=shell",
                        "--deny-tool=write",
                    ],
                ),
                Permissions::Full => push(args, &["--allow-all"]),
            }
            if let Some(m) = &profile.model {
                push(args, &["--model", m]);
            }
        }
        AgentKind::Cursor => {
            // cursor-agent reads MCP servers only from `.cursor/mcp.json` in
            // the project or the home folder, so Baton's is registered there
            // once (`baton mcp --print-config cursor`); it takes its task
            // from the worker's environment. --approve-mcps starts it
            // without asking.
            push(args, &["-p", "--output-format", "stream-json"]);
            push(args, &["--trust", "--approve-mcps"]);
            match profile.permissions {
                Permissions::Workspace | Permissions::Full => args.push("--force".into()),
                Permissions::ReadOnly => push(args, &["--mode", "ask"]),
            }
            if let Some(m) = &profile.model {
                push(args, &["--model", m]);
            }
        }
        AgentKind::Goose => {
            // goose takes an extension as one whitespace-split string,
            // variables first; a value with a space in it cannot be passed
            // that way, and the server inherits goose's environment anyway.
            let mut ext: Vec<String> = mcp
                .env
                .iter()
                .filter(|(_, v)| !v.contains(char::is_whitespace))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            ext.push(mcp.command.clone());
            ext.extend(mcp.args.iter().cloned());
            push(args, &["run", "--quiet", "--output-format", "stream-json"]);
            push(args, &["--system", given.guidance, "-t", given.prompt]);
            args.push("--with-extension".into());
            args.push(ext.join(" "));
            // Headless goose cannot ask: `auto` runs every tool, `chat`
            // runs none (it has no per-tool policy without a person).
            let mode = match profile.permissions {
                Permissions::Workspace | Permissions::Full => "auto",
                Permissions::ReadOnly => "chat",
            };
            inv.env.insert("GOOSE_MODE".into(), mode.into());
            if let Some(m) = &profile.model {
                push(args, &["--model", m]);
            }
        }
        AgentKind::Aider => {
            // aider has no tools protocol and no JSON stream: it edits the
            // workspace's files and prints plain text (see parse/aider.rs).
            // The guidance goes in as a read-only file in the chat; its
            // histories go to the run's folder, not the workspace.
            let guidance = run_dir.join("guidance.md");
            inv.files
                .push((guidance.clone(), given.guidance.to_string()));
            push(args, &["--message", given.prompt]);
            args.push("--read".into());
            args.push(guidance.display().to_string());
            // --yes-always answers aider's questions (add a file, create
            // one); it never runs a shell command the model suggests.
            push(
                args,
                &[
                    "--yes-always",
                    "--no-pretty",
                    "--no-check-update",
                    "--no-show-model-warnings",
                    "--no-analytics",
                    "--no-gitignore",
                ],
            );
            for (flag, file) in [
                ("--chat-history-file", "aider.chat.history.md"),
                ("--input-history-file", "aider.input.history"),
            ] {
                args.push(flag.into());
                args.push(run_dir.join(file).display().to_string());
            }
            if profile.permissions == Permissions::ReadOnly {
                args.push("--dry-run".into());
            }
            // Its console wraps at 80 columns when not on a terminal; a
            // wrapped line would read as part of the model's reply.
            inv.env.insert("COLUMNS".into(), "10000".into());
            if let Some(m) = &profile.model {
                push(args, &["--model", m]);
            }
        }
        AgentKind::Gemini => {
            let settings = run_dir.join("gemini-settings.json");
            let mut server = server;
            server["trust"] = json!(true);
            inv.files.push((
                settings.clone(),
                pretty(&json!({ "mcpServers": { MCP_NAME: server } })),
            ));
            // The system settings file merges with the user's own settings,
            // so their login and preferences still apply.
            inv.env.insert(
                "GEMINI_CLI_SYSTEM_SETTINGS_PATH".into(),
                settings.display().to_string(),
            );
            // Gemini CLI has no system-prompt addition (GEMINI_SYSTEM_MD
            // replaces the whole one), so the guidance leads the prompt.
            args.push("-p".into());
            args.push(given.guidance_then_prompt());
            push(args, &["--output-format", "stream-json"]);
            push(args, &["--allowed-mcp-server-names", MCP_NAME]);
            // Headless Gemini offers its shell tool only in yolo mode.
            let mode = match profile.permissions {
                Permissions::Workspace | Permissions::Full => "yolo",
                Permissions::ReadOnly => "default",
            };
            push(args, &["--approval-mode", mode]);
            if let Some(m) = &profile.model {
                push(args, &["-m", m]);
            }
        }
    }
    if matches!(
        kind,
        AgentKind::Codex | AgentKind::Qwen | AgentKind::Opencode
    ) {
        // The prompt is the last, positional argument.
        inv.args.extend(profile.args.iter().cloned());
        inv.args.push(given.prompt.to_string());
    } else if kind == AgentKind::Cursor {
        // No system-prompt flag either: the guidance leads the prompt.
        inv.args.extend(profile.args.iter().cloned());
        inv.args.push(given.guidance_then_prompt());
    } else {
        inv.args.extend(profile.args.iter().cloned());
    }
    inv
}

/// How the guidance reaches an agent of `kind`, for `baton context`.
pub fn guidance_form(kind: AgentKind) -> &'static str {
    match kind {
        AgentKind::ClaudeCode | AgentKind::Qwen => "--append-system-prompt",
        AgentKind::Goose => "--system",
        AgentKind::Aider => "a read-only file in the chat (--read)",
        AgentKind::Codex => "developer_instructions",
        AgentKind::Opencode => "an instructions file (opencode.json `instructions`)",
        AgentKind::Gemini | AgentKind::Hermes | AgentKind::Copilot | AgentKind::Cursor => {
            "the head of the prompt"
        }
        AgentKind::Command => "nothing",
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mcp() -> McpServer {
        McpServer {
            command: "/bin/baton".into(),
            args: vec!["mcp".into()],
            env: BTreeMap::from([
                ("BATON_TASK".to_string(), "t_0000000a".to_string()),
                ("BATON_RUN".to_string(), "3".to_string()),
            ]),
        }
    }

    fn profile(kind: AgentKind) -> Profile {
        Profile {
            kind,
            model: Some("m-1".into()),
            args: vec!["--extra".into()],
            ..Default::default()
        }
    }

    const GIVEN: Given<'static> = Given {
        guidance: "be \"useful\"",
        prompt: "do t_0000000a",
    };

    #[test]
    fn claude_gets_a_strict_mcp_config_and_its_tools_pre_approved() {
        let dir = Path::new("/runs/3");
        let inv = invocation(&profile(AgentKind::ClaudeCode), &GIVEN, &mcp(), dir);
        assert_eq!(inv.program, "claude");
        let a = inv.args.join(" ");
        assert!(a.starts_with("-p do t_0000000a --output-format stream-json --verbose --mcp-config /runs/3/mcp.json --strict-mcp-config"), "{a}");
        assert!(a.contains("--allowedTools mcp__baton,Bash"), "{a}");
        assert!(a.contains("--model m-1"), "{a}");
        assert!(a.ends_with("--extra"), "{a}");
        let (path, text) = &inv.files[0];
        assert_eq!(path, &dir.join("mcp.json"));
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["mcpServers"]["baton"]["env"]["BATON_RUN"], "3");
    }

    #[test]
    fn codex_config_overrides_are_valid_toml_and_the_prompt_comes_last() {
        let inv = invocation(&profile(AgentKind::Codex), &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(inv.args.last().unwrap(), "do t_0000000a");
        let overrides: Vec<&String> = inv
            .args
            .windows(2)
            .filter(|w| w[0] == "-c")
            .map(|w| &w[1])
            .collect();
        let doc = overrides
            .iter()
            .map(|s| s.replacen('=', " = ", 1))
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: toml::Table = toml::from_str(&doc).unwrap();
        let server = &parsed["mcp_servers"]["baton"];
        assert_eq!(server["env"]["BATON_TASK"].as_str(), Some("t_0000000a"));
        assert_eq!(
            server["default_tools_approval_mode"].as_str(),
            Some("approve")
        );
        assert_eq!(
            parsed["developer_instructions"].as_str(),
            Some("be \"useful\"")
        );
    }

    #[test]
    fn gemini_gets_a_system_settings_file_and_the_guidance_in_the_prompt() {
        let mut p = profile(AgentKind::Gemini);
        p.permissions = Permissions::ReadOnly;
        let inv = invocation(&p, &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(
            inv.env["GEMINI_CLI_SYSTEM_SETTINGS_PATH"],
            "/r/gemini-settings.json"
        );
        assert_eq!(inv.args[1], "be \"useful\"\n\ndo t_0000000a");
        assert!(inv.args.join(" ").contains("--approval-mode default"));
        let v: serde_json::Value = serde_json::from_str(&inv.files[0].1).unwrap();
        assert_eq!(v["mcpServers"]["baton"]["trust"], true);
    }

    #[test]
    fn hermes_runs_through_baton_with_its_servers_in_a_file() {
        let mut p = profile(AgentKind::Hermes);
        p.bin = Some("/opt/hermes".into());
        let inv = invocation(&p, &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(inv.program, "/bin/baton");
        let a = inv.args.join(" ");
        assert!(
            a.starts_with(
                "hermes-run --bin /opt/hermes --home /r/hermes-home --mcp /r/hermes-mcp.json -- -z"
            ),
            "{a}"
        );
        assert!(
            a.contains("-t baton,terminal,file,todo -m m-1 --extra"),
            "{a}"
        );
        let v: serde_json::Value = serde_json::from_str(&inv.files[0].1).unwrap();
        assert_eq!(v["baton"]["command"], "/bin/baton");
    }

    #[test]
    fn opencode_gets_a_config_file_with_the_server_and_the_guidance() {
        let inv = invocation(
            &profile(AgentKind::Opencode),
            &GIVEN,
            &mcp(),
            Path::new("/r"),
        );
        assert_eq!(inv.program, "opencode");
        assert_eq!(inv.env["OPENCODE_CONFIG"], "/r/opencode.json");
        assert_eq!(
            inv.args.join(" "),
            "run --format json --auto -m m-1 --extra do t_0000000a"
        );
        let (path, text) = &inv.files[1];
        assert_eq!(path, Path::new("/r/opencode.json"));
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["mcp"]["baton"]["command"], json!(["/bin/baton", "mcp"]));
        assert_eq!(v["instructions"], json!(["/r/guidance.md"]));
        assert_eq!(inv.files[0].1, "be \"useful\"");
    }

    #[test]
    fn copilot_gets_its_servers_in_a_file_and_a_usage_file_to_write() {
        let mut p = profile(AgentKind::Copilot);
        p.permissions = Permissions::ReadOnly;
        let inv = invocation(&p, &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(inv.program, "copilot");
        assert_eq!(inv.args[..2], ["-p", "be \"useful\"\n\ndo t_0000000a"]);
        let a = inv.args.join(" ");
        assert!(
            a.contains("--additional-mcp-config @/r/copilot-mcp.json"),
            "{a}"
        );
        assert!(
            a.contains("--usage-output-file /r/copilot-usage.json"),
            "{a}"
        );
        assert!(
            a.ends_with(
                "--allow-all-tools --deny-tool=shell --deny-tool=write --model m-1 --extra"
            ),
            "{a}"
        );
        assert_eq!(inv.env["COPILOT_AUTO_UPDATE"], "false");
        let v: serde_json::Value = serde_json::from_str(&inv.files[0].1).unwrap();
        let server = &v["mcpServers"]["baton"];
        assert_eq!(server["type"], "local");
        assert_eq!(server["tools"], json!(["*"]));
        assert_eq!(server["env"]["BATON_TASK"], "t_0000000a");
    }

    #[test]
    fn cursor_gets_the_guidance_in_its_positional_prompt() {
        let mut p = profile(AgentKind::Cursor);
        p.permissions = Permissions::ReadOnly;
        let inv = invocation(&p, &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(inv.program, "cursor-agent");
        assert_eq!(
            inv.args[..inv.args.len() - 1].join(" "),
            "-p --output-format stream-json --trust --approve-mcps --mode ask --model m-1 --extra"
        );
        assert_eq!(inv.args.last().unwrap(), "be \"useful\"\n\ndo t_0000000a");
        assert!(inv.files.is_empty());
    }

    #[test]
    fn goose_gets_the_server_as_an_extension_string_and_a_mode() {
        let mut server = mcp();
        server
            .env
            .insert("BATON_HOME".into(), "/home/a b/.baton".into());
        let inv = invocation(&profile(AgentKind::Goose), &GIVEN, &server, Path::new("/r"));
        assert_eq!(inv.program, "goose");
        let a = &inv.args;
        assert_eq!(
            a[..8].join("|"),
            "run|--quiet|--output-format|stream-json|--system|be \"useful\"|-t|do t_0000000a"
        );
        assert_eq!(a[8], "--with-extension");
        assert_eq!(
            a[9], "BATON_RUN=3 BATON_TASK=t_0000000a /bin/baton mcp",
            "a value with a space is left to the inherited environment"
        );
        assert_eq!(inv.env["GOOSE_MODE"], "auto");
        assert_eq!(a[10..].join(" "), "--model m-1 --extra");
    }

    #[test]
    fn aider_reads_the_guidance_and_keeps_its_histories_in_the_run_folder() {
        let mut p = profile(AgentKind::Aider);
        p.permissions = Permissions::ReadOnly;
        let inv = invocation(&p, &GIVEN, &mcp(), Path::new("/r"));
        assert_eq!(inv.program, "aider");
        assert_eq!(
            inv.files[0],
            (PathBuf::from("/r/guidance.md"), "be \"useful\"".to_string())
        );
        let a = inv.args.join(" ");
        assert!(
            a.starts_with("--message do t_0000000a --read /r/guidance.md --yes-always --no-pretty"),
            "{a}"
        );
        assert!(
            a.contains("--chat-history-file /r/aider.chat.history.md"),
            "{a}"
        );
        assert!(a.ends_with("--dry-run --model m-1 --extra"), "{a}");
    }
}
