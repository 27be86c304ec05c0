//! The one state of `baton serve`, and the parts handlers take from it
//! (`State<Ops>`, `State<EventHub>`, the dashboard's `AppState`).

use crate::api::events::EventHub;
use crate::ops::Ops;
use app::state::AppState;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone)]
pub struct ServerState {
    pub ops: Ops,
    pub events: EventHub,
    pub app: AppState,
}

impl FromRef<ServerState> for Ops {
    fn from_ref(s: &ServerState) -> Ops {
        s.ops.clone()
    }
}

impl FromRef<ServerState> for EventHub {
    fn from_ref(s: &ServerState) -> EventHub {
        s.events.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(s: &ServerState) -> AppState {
        s.app.clone()
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> LeptosOptions {
        s.app.leptos_options.clone()
    }
}
