//! `baton mcp`: the worker tools as a Model Context Protocol server, over
//! stdio for a worker on this machine and at `/mcp` (streamable HTTP, behind
//! the server's token) for one elsewhere.

pub mod clients;
pub mod tools;

use kernel::pool::BoardPool;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, ListPromptsResult, ListToolsResult,
    PaginatedRequestParams, Prompt, PromptArgument, PromptMessage, Role, ServerCapabilities,
    ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use std::sync::Arc;
use tools::{Identity, Tools};

const PROMPT: &str = "worker-lifecycle";

/// The MCP server: the tools over a board pool, for callers whose identity
/// comes from the process (stdio) or from each request's headers (HTTP).
#[derive(Clone)]
pub struct BatonMcp {
    tools: Tools,
    /// `Some` for stdio: the worker's environment. `None` over HTTP.
    fixed: Option<Identity>,
}

impl BatonMcp {
    pub fn stdio(pool: Arc<BoardPool>, who: Identity) -> BatonMcp {
        BatonMcp {
            tools: Tools::new(pool),
            fixed: Some(who),
        }
    }

    pub fn http(pool: Arc<BoardPool>) -> BatonMcp {
        BatonMcp {
            tools: Tools::new(pool),
            fixed: None,
        }
    }

    /// Who is calling: the process's identity, or the request's
    /// `X-Baton-Task` / `-Run` / `-Profile` / `-Tenant` / `-Board` headers.
    fn identity(&self, ctx: &RequestContext<RoleServer>) -> Result<Identity, String> {
        if let Some(who) = &self.fixed {
            return Ok(who.clone());
        }
        let parts = ctx.extensions.get::<http::request::Parts>();
        Identity::from_lookup(|k| {
            parts
                .and_then(|p| p.headers.get(format!("x-baton-{}", k.to_lowercase())))
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }
}

fn tool_error(msg: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(msg.into())])
}

impl ServerHandler for BatonMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .build(),
        )
        .with_server_info(Implementation::new("baton", env!("CARGO_PKG_VERSION")))
        .with_instructions(
            "Baton is the kanban board your work comes from. Start with kanban_show to read your task, \
             heartbeat on long work, and end with kanban_complete (with a handoff) or kanban_block. \
             The worker-lifecycle prompt explains the whole routine.",
        )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = tools::catalogue()
            .into_iter()
            .map(|t| {
                let schema = match t.schema {
                    serde_json::Value::Object(m) => m,
                    _ => Default::default(),
                };
                Tool::new(t.name, t.description, Arc::new(schema))
            })
            .collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let who = match self.identity(&ctx) {
            Ok(w) => w,
            Err(e) => return Ok(tool_error(e).into()),
        };
        let tools = self.tools.clone();
        let name = request.name.to_string();
        let args = request.arguments.unwrap_or_default();
        // The board is SQLite: keep its work off the async threads.
        let out = tokio::task::spawn_blocking(move || tools.call(&who, &name, args)).await;
        Ok(match out {
            Ok(Ok(value)) => CallToolResult::structured(value),
            Ok(Err(msg)) => tool_error(msg),
            Err(e) => tool_error(format!("the tool failed: {e}")),
        }
        .into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(vec![Prompt::new(
            PROMPT,
            Some("How a Baton worker moves its task: orient, work, heartbeat, block on real ambiguity, complete with a handoff, create follow-ups."),
            Some(vec![PromptArgument::new("task_id")
                .with_description("The task (default: your own, $BATON_TASK)")
                .with_required(false)]),
        )]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        if request.name != PROMPT {
            return Err(ErrorData::invalid_params(
                format!(
                    "there is no prompt named '{}'; try '{PROMPT}'",
                    request.name
                ),
                None,
            ));
        }
        let who = self
            .identity(&ctx)
            .map_err(|e| ErrorData::invalid_params(e, None))?;
        let task = request
            .arguments
            .as_ref()
            .and_then(|a| a.get("task_id"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .or(who.task)
            .unwrap_or_else(|| "<your task>".into());
        let text = kernel::context::lifecycle_instructions(&task, true);
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description("The Baton worker routine")
                .into(),
        )
    }
}

/// `baton mcp`: serves the tools on stdin/stdout until the client hangs up.
pub fn run_stdio(pool: Arc<BoardPool>, who: Identity) -> crate::error::Result<()> {
    use rmcp::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::io("cannot start the async runtime", e))?;
    runtime.block_on(async move {
        let service = BatonMcp::stdio(pool, who)
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| {
                crate::error::Error::Failed(format!("MCP session failed to start: {e}"))
            })?;
        service.waiting().await.map_err(|e| {
            crate::error::Error::Failed(format!("MCP session ended abnormally: {e}"))
        })?;
        Ok(())
    })
}

/// The `/mcp` endpoint of `baton serve`. Host and token checks are the
/// server's own (they run before this), so the SDK's host list is off.
pub fn http_service(
    pool: Arc<BoardPool>,
) -> rmcp::transport::StreamableHttpService<
    BatonMcp,
    rmcp::transport::streamable_http_server::session::local::LocalSessionManager,
> {
    rmcp::transport::StreamableHttpService::new(
        move || Ok(BatonMcp::http(pool.clone())),
        Default::default(),
        rmcp::transport::StreamableHttpServerConfig::default().disable_allowed_hosts(),
    )
}
