//! `baton mcp --print-config <client>`: how to register Baton with the MCP
//! clients people use, filled in with this binary, home and board.

use serde_json::json;

pub const CLIENTS: &[&str] = &["claude-code", "codex", "cursor", "json", "http"];

/// Where the config goes and what to put there, for `client`.
pub fn config(
    client: &str,
    baton: &str,
    home: &str,
    board: Option<&str>,
    url: Option<&str>,
) -> Result<String, String> {
    let mut args = vec!["--home".to_string(), home.to_string()];
    if let Some(b) = board {
        args.push("--board".into());
        args.push(b.to_string());
    }
    args.push("mcp".into());
    let quoted: Vec<String> = std::iter::once(baton.to_string())
        .chain(args.iter().cloned())
        .map(|a| shell_quote(&a))
        .collect();
    let server_json = json!({ "mcpServers": { "baton": { "command": baton, "args": args } } });
    Ok(match client {
        "claude-code" => format!(
            "# Claude Code: run once (add --scope user to use it in every project)\n\
             claude mcp add baton -- {}\n",
            quoted.join(" ")
        ),
        "codex" => format!(
            "# Codex: add to ~/.codex/config.toml\n\
             [mcp_servers.baton]\n\
             command = {}\n\
             args = [{}]\n",
            toml_str(baton),
            args.iter()
                .map(|a| toml_str(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "cursor" => format!(
            "// Cursor: .cursor/mcp.json in the project (or ~/.cursor/mcp.json)\n{}\n",
            serde_json::to_string_pretty(&server_json).unwrap_or_default()
        ),
        "json" => format!(
            "{}\n",
            serde_json::to_string_pretty(&server_json).unwrap_or_default()
        ),
        "http" => {
            let url = url.unwrap_or("http://127.0.0.1:3000/");
            let endpoint = format!("{}/mcp", url.trim_end_matches('/'));
            format!(
                "# A worker on another host: streamable HTTP at {endpoint}\n\
                 # Send the server token, and say whose run this is so writes are fenced:\n\
                 #   Authorization: Bearer <token from {home}/server.json>\n\
                 #   X-Baton-Task: <task id>   X-Baton-Run: <run id>   X-Baton-Profile: <profile>\n\
                 {}\n",
                serde_json::to_string_pretty(&json!({
                    "mcpServers": { "baton": {
                        "type": "http",
                        "url": endpoint,
                        "headers": {
                            "Authorization": "Bearer ${BATON_TOKEN}",
                            "X-Baton-Task": "${BATON_TASK}",
                            "X-Baton-Run": "${BATON_RUN}",
                            "X-Baton-Profile": "${BATON_PROFILE}"
                        }
                    } }
                }))
                .unwrap_or_default()
            )
        }
        other => {
            return Err(format!(
                "no config template for '{other}'; pick one of: {}",
                CLIENTS.join(", ")
            ))
        }
    })
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_gets_a_config_that_names_this_home() {
        for c in CLIENTS {
            let text = config(c, "/usr/bin/baton", "/home/me/.baton", Some("ops"), None).unwrap();
            if *c != "http" {
                assert!(text.contains("/home/me/.baton"), "{c}: {text}");
                assert!(text.contains("ops"), "{c}: {text}");
            }
        }
        let codex = config("codex", "baton", "/h", None, None).unwrap();
        assert!(
            codex.contains("args = [\"--home\", \"/h\", \"mcp\"]"),
            "{codex}"
        );
        let claude = config("claude-code", "baton", "/my home", None, None).unwrap();
        assert!(
            claude.contains("claude mcp add baton -- baton --home '/my home' mcp"),
            "{claude}"
        );
        assert!(config("vim", "baton", "/h", None, None).is_err());
    }
}
