//! The OpenAPI document, generated from the handlers' annotations and the
//! Rust types they exchange, so it describes what the server really does.

use super::{agents, board, boards, events, spend, tasks, ApiResult};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Baton",
        description = "A durable kanban board for AI agents and their operators. Every route needs the \
                       server's token (Authorization: Bearer, or the browser session cookie). The same \
                       routes are also served under /api/plugins/kanban/. Errors are {\"detail\": \"…\"}."
    ),
    modifiers(&Security),
    security(("token" = [])),
    paths(
        board::get_board,
        tasks::list_tasks,
        tasks::create_task,
        tasks::get_task,
        tasks::patch_task,
        tasks::bulk,
        tasks::add_comment,
        tasks::add_link,
        tasks::delete_link,
        tasks::get_log,
        agents::get_transcript,
        agents::get_diff,
        spend::post_usage,
        spend::get_usage,
        spend::get_spend,
        agents::stream_transcript,
        agents::list_profiles,
        agents::add_profile,
        agents::get_profile,
        agents::remove_profile,
        agents::resume_profile,
        agents::doctor,
        tasks::reclaim,
        tasks::reassign,
        board::dispatch,
        board::get_config,
        board::get_stats,
        board::get_assignees,
        board::get_diagnostics,
        board::home_channels,
        board::home_subscribe,
        board::home_unsubscribe,
        boards::list,
        boards::create,
        boards::update,
        boards::remove,
        boards::switch,
        events::stream,
        document,
    )
)]
pub struct ApiDoc;

/// This OpenAPI document.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "this document")))]
pub async fn document() -> ApiResult<Json<utoipa::openapi::OpenApi>> {
    Ok(Json(ApiDoc::openapi()))
}
