//! `baton mcp`: the worker tools as a Model Context Protocol server, over
//! stdio for a worker on this machine and at `/mcp` (streamable HTTP, behind
//! the server's token) for one elsewhere. The tools are declared with rmcp's
//! tool macros; their arguments' schemas are derived from [`tools`]' structs.

pub mod args;
pub mod clients;
pub mod tools;

use crate::error::Result;
use crate::ops::Ops;
use args::Checked;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, ListPromptsResult, ListToolsResult,
    PaginatedRequestParams, Prompt, PromptArgument, PromptMessage, Role, ServerCapabilities,
    ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_router, ErrorData, RoleServer, ServerHandler};
use serde_json::Value;
use tools::Identity;

const PROMPT: &str = "worker-lifecycle";

/// The MCP server: the tools over the operations layer, for callers whose
/// identity comes from the process (stdio) or from each request's headers
/// (HTTP).
#[derive(Clone)]
pub struct BatonMcp {
    ops: Ops,
    /// `Some` for stdio: the worker's environment. `None` over HTTP.
    fixed: Option<Identity>,
    tool_router: ToolRouter<BatonMcp>,
}

fn tool_error(msg: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(msg.into())])
}

/// A tool's work: the operations, the caller, its checked arguments.
type ToolFn<T> = fn(&Ops, &Identity, T) -> Result<Value>;

#[tool_router]
impl BatonMcp {
    pub fn stdio(ops: Ops, who: Identity) -> BatonMcp {
        BatonMcp {
            ops,
            fixed: Some(who),
            tool_router: Self::tool_router(),
        }
    }

    pub fn http(ops: Ops) -> BatonMcp {
        BatonMcp {
            ops,
            fixed: None,
            tool_router: Self::tool_router(),
        }
    }

    /// Who is calling: the process's identity, or the request's
    /// `X-Baton-Task` / `-Run` / `-Profile` / `-Tenant` / `-Board` headers.
    fn identity(&self, ctx: &RequestContext<RoleServer>) -> Result<Identity> {
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

    /// Runs a tool off the async threads (the board is SQLite); its answer
    /// is structured JSON, any failure a tool error the model can read.
    async fn run<T: Send + 'static>(
        &self,
        ctx: RequestContext<RoleServer>,
        args: Checked<T>,
        work: ToolFn<T>,
    ) -> CallToolResult {
        let who = match self.identity(&ctx) {
            Ok(w) => w,
            Err(e) => return tool_error(e.to_string()),
        };
        let args = match args.into_result() {
            Ok(a) => a,
            Err(e) => return tool_error(e),
        };
        let ops = self.ops.clone();
        match tokio::task::spawn_blocking(move || work(&ops, &who, args)).await {
            Ok(Ok(value)) => CallToolResult::structured(value),
            Ok(Err(e)) => tool_error(e.to_string()),
            Err(e) => tool_error(format!("the tool failed: {e}")),
        }
    }

    /// Read a task: its title, body, status and assignee, the handoffs of the tasks it waits for (their latest completed run's summary and metadata), this task's earlier attempts, its comments, and the full context and working instructions a worker is given. Call this first.
    #[tool(name = "kanban_show")]
    async fn kanban_show(
        &self,
        Parameters(args): Parameters<Checked<tools::ShowArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::show).await
    }

    /// Finish your task with a handoff for whoever comes next. The summary is required; metadata holds structured facts (changed files, tests run, links). Completing makes the tasks that wait for this one ready.
    #[tool(name = "kanban_complete")]
    async fn kanban_complete(
        &self,
        Parameters(args): Parameters<Checked<tools::CompleteArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::complete).await
    }

    /// Stop work on your task because you need a person: missing access, a decision, a real ambiguity. Say exactly what you need and from whom. The task waits in Blocked until someone unblocks it.
    #[tool(name = "kanban_block")]
    async fn kanban_block(
        &self,
        Parameters(args): Parameters<Checked<tools::BlockArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::block).await
    }

    /// Tell the board you are still working (every few minutes on long work), optionally with a note on what you are doing. Without heartbeats a long silent run may be reclaimed.
    #[tool(name = "kanban_heartbeat")]
    async fn kanban_heartbeat(
        &self,
        Parameters(args): Parameters<Checked<tools::HeartbeatArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::heartbeat).await
    }

    /// Report what your run has used so far (tokens, and the cost if you know it), when your CLI does not report it to Baton itself. Each report gives the totals so far; a later one replaces it.
    #[tool(name = "kanban_usage")]
    async fn kanban_usage(
        &self,
        Parameters(args): Parameters<Checked<tools::UsageArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::usage).await
    }

    /// Add a comment to a task (markdown). Use it for findings others should see; it does not change the task's status.
    #[tool(name = "kanban_comment")]
    async fn kanban_comment(
        &self,
        Parameters(args): Parameters<Checked<tools::CommentArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::comment).await
    }

    /// Create a follow-up task instead of doing out-of-scope work yourself, or split work for other agents. It starts when its parents are done (or at once without parents); triage parks it for a person.
    #[tool(name = "kanban_create")]
    async fn kanban_create(
        &self,
        Parameters(args): Parameters<Checked<tools::CreateArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::create).await
    }

    /// Make child_id wait for parent_id: the child becomes ready only when the parent is done. A task cannot wait for itself, and a link that would make a cycle is refused.
    #[tool(name = "kanban_link")]
    async fn kanban_link(
        &self,
        Parameters(args): Parameters<Checked<tools::LinkArgs>>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.run(ctx, args, tools::link).await
    }
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
    ) -> std::result::Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tool_router.list_all()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, ErrorData> {
        // An unknown tool is the model's mistake: say so as a tool error it can read.
        if !self.tool_router.has_route(&request.name) {
            return Ok(tool_error(format!("there is no tool named '{}'", request.name)).into());
        }
        self.tool_router
            .call(ToolCallContext::new(self, request, ctx))
            .await
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> std::result::Result<ListPromptsResult, ErrorData> {
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
    ) -> std::result::Result<GetPromptResponse, ErrorData> {
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
            .map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
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
pub fn run_stdio(ops: Ops, who: Identity) -> Result<()> {
    use rmcp::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::io("cannot start the async runtime", e))?;
    runtime.block_on(async move {
        let service = BatonMcp::stdio(ops, who)
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
    ops: Ops,
) -> rmcp::transport::StreamableHttpService<
    BatonMcp,
    rmcp::transport::streamable_http_server::session::local::LocalSessionManager,
> {
    rmcp::transport::StreamableHttpService::new(
        move || Ok(BatonMcp::http(ops.clone())),
        Default::default(),
        rmcp::transport::StreamableHttpServerConfig::default().disable_allowed_hosts(),
    )
}
