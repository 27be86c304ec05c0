//! `baton serve`: the dashboard (server-rendered Leptos, hydrated in the
//! browser), its server functions, and `/healthz`.

use crate::cli::ServeArgs;
use crate::commands::Ctx;
use crate::dispatcher::{spawn_in_server, Wake};
use crate::error::{Error, Result};
use app::state::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const DEFAULT_ADDR: &str = "127.0.0.1:3000";

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
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub fn serve(ctx: &Ctx, args: ServeArgs) -> Result<()> {
    let addr = listen_addr(&args)?;
    if !addr.ip().is_loopback() && args.token.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(Error::Usage(format!(
            "refusing to listen on {addr} without a token: anyone who can reach it could start processes \
             on this machine. Pass --token (or set $BATON_TOKEN), or listen on 127.0.0.1"
        )));
    }
    ctx.home.ensure()?;
    // Opening the current board up front creates a fresh home's database and
    // fails early on a corrupt one.
    let board = ctx.board()?;
    board.check_integrity()?;
    drop(board);
    let state = AppState {
        leptos_options: leptos_options(addr)?,
        home: ctx.home.clone(),
    };
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Wake::default();
    let dispatcher = (!args.no_dispatcher)
        .then(|| spawn_in_server(ctx.home.clone(), wake.clone(), stop.clone()));
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::io(format!("cannot listen on {addr}"), e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io("cannot read the bound address", e))?;
        println!(
            "Baton is serving {} at http://{bound}/",
            ctx.home.root().display()
        );
        tracing::info!(%bound, "listening");
        axum::serve(listener, router(state).into_make_service())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::io("server stopped", e))
    });
    stop.store(true, Ordering::SeqCst);
    if let Some(d) = dispatcher {
        let _ = d.join();
    }
    served
}
