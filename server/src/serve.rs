//! `baton serve`: the dashboard (server-rendered Leptos, hydrated in the
//! browser) with its server functions, the REST API and live event stream,
//! and the dispatcher — one process, behind the token.

use crate::api;
use crate::api::auth::{generate_token, guard, Auth};
use crate::api::events::EventHub;
use crate::cli::ServeArgs;
use crate::commands::Ctx;
use crate::dispatcher::ServerDispatcher;
use crate::error::{Error, Result};
use crate::ops::Ops;
use crate::state::ServerState;
use app::state::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use kernel::pool::BoardPool;
use kernel::Home;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// After SIGTERM, how long open connections get to finish before the server
/// exits anyway.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// The listen address: `--addr`, else `$LEPTOS_SITE_ADDR` (how cargo-leptos
/// starts us), else 127.0.0.1:3000.
fn listen_addr(args: &ServeArgs) -> Result<SocketAddr> {
    let raw = args
        .addr
        .clone()
        .or_else(|| {
            std::env::var("LEPTOS_SITE_ADDR")
                .ok()
                .filter(|s| !s.trim().is_empty())
        })
        .unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let raw = raw.trim().replace("localhost:", "127.0.0.1:");
    raw.parse::<SocketAddr>().map_err(|_| {
        Error::Usage(format!(
            "invalid --addr '{raw}': expected IP:PORT such as 127.0.0.1:3000"
        ))
    })
}

fn has_site(dir: &Path) -> bool {
    dir.join("pkg").join("baton.js").is_file()
}

/// Where the built dashboard assets are: `$LEPTOS_SITE_ROOT`, else a `site`
/// directory beside the binary (an installed baton), else `target/site` under
/// the working directory (a checkout).
fn site_root() -> Option<PathBuf> {
    if let Some(root) = std::env::var_os("LEPTOS_SITE_ROOT").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(root));
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let mut candidates = Vec::new();
    if let Some(d) = &exe_dir {
        candidates.push(d.join("site"));
        candidates.push(d.join("..").join("site"));
    }
    candidates.push(PathBuf::from("target/site"));
    candidates.into_iter().find(|c| has_site(c))
}

fn leptos_options(addr: SocketAddr) -> Result<LeptosOptions> {
    let conf = leptos::config::get_configuration(None)
        .map_err(|e| Error::Failed(format!("cannot read the Leptos configuration: {e}")))?;
    let mut options = conf.leptos_options;
    options.site_addr = addr;
    match site_root() {
        Some(root) => options.site_root = root.display().to_string().into(),
        None => tracing::warn!(
            "dashboard assets not found (looked for pkg/baton.js); build them with scripts/build-site.sh \
             or set LEPTOS_SITE_ROOT — pages will render but not become interactive"
        ),
    }
    Ok(options)
}

/// The whole HTTP application.
pub fn router(state: ServerState, auth: Arc<Auth>) -> Router {
    let routes = generate_route_list(App);
    let api = api::router(state.clone());
    let app_state = state.app.clone();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api.clone())
        .nest("/api/plugins/kanban", api)
        .nest_service("/mcp", crate::mcp::http_service(state.ops.clone()))
        .leptos_routes(&app_state, routes, {
            let options = app_state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(app_state)
        .layer(axum::middleware::from_fn_with_state(auth, guard))
        // A 10,000-task board page is ~9 MB of HTML and JSON; gzip at the
        // fastest level makes it ~25x smaller on the wire for a few
        // milliseconds. The default predicate leaves the event stream alone.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
}

/// `<home>/server.json` while the server runs: where it is and its token,
/// readable only by its owner.
struct ServerInfo(PathBuf);

impl ServerInfo {
    fn write(home: &Home, url: &str, token: &str) -> Result<ServerInfo> {
        let path = home.server_info_path();
        let body = serde_json::json!({"url": url, "token": token, "pid": std::process::id()});
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        writeln!(f, "{body}")
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        Ok(ServerInfo(path))
    }
}

/// The URL of the server running on `home`, from its server.json.
pub fn running_url(home: &Home) -> Option<String> {
    let text = std::fs::read_to_string(home.server_info_path()).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["url"].as_str().map(str::to_string)
}

impl Drop for ServerInfo {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// SIGINT or SIGTERM. The handlers are installed when this is called, not
/// when the future is first polled, so a signal that arrives while the server
/// is still starting up is not lost (and does not kill the process uncleanly).
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| Error::io("cannot handle SIGINT", e))?;
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| Error::io("cannot handle SIGTERM", e))?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {},
            _ = term.recv() => {},
        }
    })
}

pub fn serve(ctx: &Ctx, args: ServeArgs) -> Result<()> {
    let addr = listen_addr(&args)?;
    let explicit = args
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if !addr.ip().is_loopback() && explicit.is_none() {
        return Err(Error::Usage(format!(
            "refusing to listen on {addr} without a token: anyone who can reach it could start processes \
             on this machine. Pass --token (or set $BATON_TOKEN), or listen on 127.0.0.1"
        )));
    }
    let token = explicit.map(str::to_string).unwrap_or_else(generate_token);
    let home = ctx.home.clone();
    home.ensure()?;
    // Opening the current board up front creates a fresh home's database and
    // refuses a corrupt one before anything listens.
    let board = ctx.board()?;
    board.check_integrity()?;
    drop(board);
    let options = leptos_options(addr)?;
    let pool = Arc::new(BoardPool::new(home.clone()));
    let (dispatcher, threads) = ServerDispatcher::start(home.clone(), !args.no_dispatcher);
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    let served = runtime.block_on({
        let dispatcher = dispatcher.clone();
        async move {
            let events = EventHub::new(pool.clone());
            {
                let (events, dispatcher) = (events.clone(), dispatcher.clone());
                pool.on_write(Arc::new(move |slug, id| {
                    events.bump(slug, id);
                    dispatcher.wake();
                }));
            }
            events.spawn_poller();
            let shutdown = shutdown_signal()?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| Error::io(format!("cannot listen on {addr}"), e))?;
            let bound = listener
                .local_addr()
                .map_err(|e| Error::io("cannot read the bound address", e))?;
            let url = format!("http://{bound}/");
            let info = ServerInfo::write(&home, &url, &token)?;
            let auth = Arc::new(Auth::new(
                token.clone(),
                bound,
                info.0.display().to_string(),
            ));
            let mut options = options;
            options.site_addr = bound;
            let ops = Ops::new(pool.clone(), dispatcher.clone());
            let events_for_shutdown = events.clone();
            let app = router(
                ServerState {
                    app: AppState {
                        leptos_options: options,
                        pool,
                        ops: Arc::new(ops.clone()),
                    },
                    ops,
                    events,
                },
                auth,
            );
            println!("Baton is serving {} on {url}", home.root().display());
            println!("Open the dashboard: {url}?token={token}");
            if !dispatcher.enabled() {
                println!(
                    "The dispatcher is off (--no-dispatcher): run `baton daemon` to start workers."
                );
            }
            tracing::info!(%bound, "listening");
            // Without TCP_NODELAY a streamed page's last small chunk can wait
            // ~40 ms for the client's delayed ACK.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            // On a signal: end the live streams (they would hold a graceful
            // shutdown open forever), let requests in flight finish, and stop
            // waiting after SHUTDOWN_GRACE.
            let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
            let hub = events_for_shutdown;
            tokio::spawn(async move {
                shutdown.await;
                hub.close();
                let _ = stopping_tx.send(true);
            });
            let graceful = {
                let mut stopping = stopping.clone();
                async move {
                    let _ = stopping.wait_for(|s| *s).await;
                }
            };
            let serving = axum::serve(listener, app.into_make_service())
                .with_graceful_shutdown(graceful);
            let deadline = {
                let mut stopping = stopping.clone();
                async move {
                    let _ = stopping.wait_for(|s| *s).await;
                    tokio::time::sleep(SHUTDOWN_GRACE).await;
                }
            };
            let r = tokio::select! {
                r = serving => r.map_err(|e| Error::io("server stopped", e)),
                _ = deadline => {
                    tracing::warn!("connections still open {}s after the stop signal; exiting anyway", SHUTDOWN_GRACE.as_secs());
                    Ok(())
                }
            };
            drop(info);
            r
        }
    });
    dispatcher.stop();
    for t in threads {
        let _ = t.join();
    }
    served
}
