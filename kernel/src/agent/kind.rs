//! Which agent CLI a profile starts, how much it may do unattended, and what
//! happens when it exits without finishing its task.

use serde::{Deserialize, Serialize};

/// The agent CLIs Baton knows how to start. `command` is a plain argv with
/// placeholders, as before agent kinds existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AgentKind {
    #[default]
    Command,
    ClaudeCode,
    Codex,
    Gemini,
    Qwen,
    /// Nous Research's Hermes Agent (`hermes`, from PyPI).
    Hermes,
    /// opencode (`opencode-ai` on npm).
    Opencode,
    /// GitHub Copilot CLI (`@github/copilot` on npm).
    Copilot,
    /// Cursor's CLI (`cursor-agent`, from cursor.com).
    Cursor,
    /// Block's goose (`goose`, from its GitHub releases).
    Goose,
    /// aider (`aider-chat` on PyPI): no JSON stream, no MCP.
    Aider,
}

impl AgentKind {
    pub const ALL: [AgentKind; 11] = [
        AgentKind::Command,
        AgentKind::ClaudeCode,
        AgentKind::Codex,
        AgentKind::Gemini,
        AgentKind::Qwen,
        AgentKind::Hermes,
        AgentKind::Opencode,
        AgentKind::Copilot,
        AgentKind::Cursor,
        AgentKind::Goose,
        AgentKind::Aider,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgentKind::Command => "command",
            AgentKind::ClaudeCode => "claude-code",
            AgentKind::Codex => "codex",
            AgentKind::Gemini => "gemini",
            AgentKind::Qwen => "qwen",
            AgentKind::Hermes => "hermes",
            AgentKind::Opencode => "opencode",
            AgentKind::Copilot => "copilot",
            AgentKind::Cursor => "cursor",
            AgentKind::Goose => "goose",
            AgentKind::Aider => "aider",
        }
    }

    pub fn parse(s: &str) -> Option<AgentKind> {
        AgentKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The names, for error messages and help.
    pub fn names() -> String {
        AgentKind::ALL.map(AgentKind::as_str).join(", ")
    }

    /// Whether the CLI can be handed Baton's MCP tools; one that cannot
    /// works without them and is told so in its guidance.
    pub fn has_board_tools(self) -> bool {
        !matches!(self, AgentKind::Command | AgentKind::Aider)
    }

    /// Whether Baton builds the invocation (an agent CLI) rather than the
    /// profile's own command.
    pub fn is_agent(self) -> bool {
        self != AgentKind::Command
    }

    /// The program looked up on PATH when the profile names no `bin`.
    pub fn default_bin(self) -> Option<&'static str> {
        match self {
            AgentKind::Command => None,
            AgentKind::ClaudeCode => Some("claude"),
            AgentKind::Codex => Some("codex"),
            AgentKind::Gemini => Some("gemini"),
            AgentKind::Qwen => Some("qwen"),
            AgentKind::Hermes => Some("hermes"),
            AgentKind::Opencode => Some("opencode"),
            AgentKind::Copilot => Some("copilot"),
            AgentKind::Cursor => Some("cursor-agent"),
            AgentKind::Goose => Some("goose"),
            AgentKind::Aider => Some("aider"),
        }
    }

    /// Where the CLI comes from, for the doctor's advice.
    pub fn package(self) -> Option<&'static str> {
        match self {
            AgentKind::Command => None,
            AgentKind::ClaudeCode => Some("npm install -g @anthropic-ai/claude-code"),
            AgentKind::Codex => Some("npm install -g @openai/codex"),
            AgentKind::Gemini => Some("npm install -g @google/gemini-cli"),
            AgentKind::Qwen => Some("npm install -g @qwen-code/qwen-code"),
            AgentKind::Hermes => Some("pip install 'hermes-agent[mcp]'"),
            AgentKind::Opencode => Some("npm install -g opencode-ai"),
            AgentKind::Copilot => Some("npm install -g @github/copilot"),
            AgentKind::Cursor => Some("curl https://cursor.com/install -fsS | bash"),
            AgentKind::Aider => Some("python -m pip install aider-chat"),
            AgentKind::Goose => Some(
                "curl -fsSL https://github.com/block/goose/releases/download/stable/download_cli.sh | bash",
            ),
        }
    }

    /// The environment variables that carry an API key for this CLI; one of
    /// them set (or a login in the user's home) lets it run.
    pub fn key_vars(self) -> &'static [&'static str] {
        match self {
            AgentKind::Command => &[],
            AgentKind::ClaudeCode => &["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
            AgentKind::Codex => &["OPENAI_API_KEY", "CODEX_API_KEY"],
            AgentKind::Gemini => &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
            AgentKind::Qwen => &["OPENAI_API_KEY", "DASHSCOPE_API_KEY"],
            AgentKind::Opencode => &["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY"],
            // A GitHub token, or a model provider of one's own (BYOK).
            AgentKind::Copilot => &[
                "COPILOT_GITHUB_TOKEN",
                "GH_TOKEN",
                "GITHUB_TOKEN",
                "COPILOT_PROVIDER_API_KEY",
                "COPILOT_PROVIDER_BASE_URL",
            ],
            AgentKind::Cursor => &["CURSOR_API_KEY"],
            AgentKind::Aider => &[
                "OPENAI_API_KEY",
                "ANTHROPIC_API_KEY",
                "OPENROUTER_API_KEY",
                "GEMINI_API_KEY",
                "DEEPSEEK_API_KEY",
            ],
            // goose names its provider in its config; these are the usual ones.
            AgentKind::Goose => &[
                "GOOSE_PROVIDER",
                "OPENAI_API_KEY",
                "ANTHROPIC_API_KEY",
                "OPENROUTER_API_KEY",
            ],
            AgentKind::Hermes => &[
                "OPENROUTER_API_KEY",
                "NOUS_API_KEY",
                "OPENAI_API_KEY",
                "ANTHROPIC_API_KEY",
            ],
        }
    }

    /// Files a logged-in CLI keeps under the home directory.
    pub fn login_files(self) -> &'static [&'static str] {
        match self {
            AgentKind::Command => &[],
            AgentKind::ClaudeCode => &[".claude/.credentials.json", ".claude.json"],
            AgentKind::Codex => &[".codex/auth.json"],
            AgentKind::Gemini => &[".gemini/oauth_creds.json"],
            AgentKind::Qwen => &[".qwen/oauth_creds.json"],
            // Hermes keeps keys in its .env and logins in auth.json.
            AgentKind::Hermes => &[".hermes/.env", ".hermes/auth.json"],
            AgentKind::Opencode => &[".local/share/opencode/auth.json"],
            AgentKind::Copilot => &[".copilot/config.json"],
            AgentKind::Cursor => &[".cursor/cli-config.json"],
            AgentKind::Goose => &[".config/goose/config.yaml"],
            // aider reads keys from its config file or a .env in the home.
            AgentKind::Aider => &[".aider.conf.yml", ".env"],
        }
    }
}

/// How much an unattended agent may do without asking. Nobody is there to
/// answer a permission prompt, so every mode pre-approves Baton's own tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Permissions {
    /// Edit files in the workspace and run shell commands there (the
    /// agent's sandbox where it has one). The default.
    #[default]
    Workspace,
    /// Read and answer only: no edits, no shell.
    ReadOnly,
    /// Everything, no sandbox: only on a machine or container you can throw away.
    Full,
}

impl Permissions {
    pub fn as_str(self) -> &'static str {
        match self {
            Permissions::Workspace => "workspace",
            Permissions::ReadOnly => "read-only",
            Permissions::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<Permissions> {
        [
            Permissions::Workspace,
            Permissions::ReadOnly,
            Permissions::Full,
        ]
        .into_iter()
        .find(|p| p.as_str() == s.trim())
    }
}

/// What a run becomes when the agent exits without completing or blocking
/// its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OnExit {
    /// Complete the task with the agent's final answer as the summary.
    Complete,
    /// Block it with the final answer as the reason, so a person looks. The default.
    #[default]
    Block,
    /// Count a failure and let the dispatcher try again (up to the failure limit).
    Retry,
}

impl OnExit {
    pub fn as_str(self) -> &'static str {
        match self {
            OnExit::Complete => "complete",
            OnExit::Block => "block",
            OnExit::Retry => "retry",
        }
    }

    pub fn parse(s: &str) -> Option<OnExit> {
        [OnExit::Complete, OnExit::Block, OnExit::Retry]
            .into_iter()
            .find(|p| p.as_str() == s.trim())
    }
}
