//! The live stream in the browser: one EventSource per tab. Each event names
//! the task it touched; those cards are fetched (batched over a few
//! milliseconds) and replaced — never the whole board for one event. After a
//! disconnect it reconnects with backoff from the last event it saw; a
//! `resync` message reloads the board.

use super::store::BoardCtx;
#[cfg(feature = "hydrate")]
use super::store::Live;

/// Connects the board to the server's event stream; stops on cleanup.
pub fn connect(ctx: BoardCtx) {
    #[cfg(feature = "hydrate")]
    client::connect(ctx);
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
}

#[cfg(feature = "hydrate")]
mod client {
    use super::*;
    use crate::api::board::board_page;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use std::cell::RefCell;
    use std::collections::BTreeSet;
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    struct State {
        es: Option<web_sys::EventSource>,
        pending: BTreeSet<String>,
        flush_scheduled: bool,
        backoff_ms: u64,
        /// Errors since the stream was last open.
        fails: u32,
        /// When the switcher's boards were last asked for (ms).
        boards_at: f64,
        closed: bool,
        // Keep the callbacks alive as long as the connection.
        _callbacks: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    }

    fn flush(ctx: BoardCtx, state: Rc<RefCell<State>>) {
        let ids: Vec<String> = {
            let mut s = state.borrow_mut();
            s.flush_scheduled = false;
            std::mem::take(&mut s.pending).into_iter().collect()
        };
        if ids.is_empty() {
            return;
        }
        ctx.ui.changed.set(ids.clone());
        ctx.refresh(ids);
        // This board's count in the switcher changed too (at most every
        // few seconds; other boards are polled).
        let due = {
            let mut s = state.borrow_mut();
            let now = web_sys::js_sys::Date::now();
            let due = now - s.boards_at >= BOARDS_MIN_MS;
            if due {
                s.boards_at = now;
            }
            due
        };
        if due {
            refresh_boards(ctx);
        }
    }

    /// How often the switcher's boards and counts are re-read at most.
    const BOARDS_MIN_MS: f64 = 2_000.0;
    /// How often they are re-read anyway: boards made or changed elsewhere.
    const BOARDS_POLL: Duration = Duration::from_secs(5);

    fn refresh_boards(ctx: BoardCtx) {
        spawn_local(async move {
            if let Ok(boards) = crate::api::boards::board_summaries().await {
                if ctx.cards.boards.with_untracked(|b| *b != boards) {
                    ctx.cards.boards.set(boards);
                }
            }
        });
    }

    fn resync(ctx: BoardCtx) {
        spawn_local(async move {
            match board_page(
                Some(ctx.slug()),
                None,
                ctx.filters.include_archived.get_untracked(),
            )
            .await
            {
                Ok(page) => ctx.cards.replace_all(page),
                Err(e) => leptos::logging::warn!("could not reload the board: {e}"),
            }
        });
    }

    fn open(ctx: BoardCtx, state: Rc<RefCell<State>>) {
        let since = ctx.cards.latest_event_id.get_untracked();
        let url = format!("/api/v1/events?board={}&since={since}", ctx.slug());
        let Ok(es) = web_sys::EventSource::new(&url) else {
            ctx.ui.live.set(Live::Reconnecting);
            return;
        };
        let on_message = {
            let state = state.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(text) = e.data().as_string() else {
                    return;
                };
                let Ok(event) = serde_json::from_str::<kernel::Event>(&text) else {
                    return;
                };
                ctx.cards.latest_event_id.set(event.id);
                let schedule = {
                    let mut s = state.borrow_mut();
                    s.pending.insert(event.task_id);
                    !std::mem::replace(&mut s.flush_scheduled, true)
                };
                if schedule {
                    let state = state.clone();
                    set_timeout(move || flush(ctx, state), Duration::from_millis(40));
                }
            })
        };
        let on_resync =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_e: web_sys::MessageEvent| {
                resync(ctx)
            });
        let on_open = {
            let state = state.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_e: web_sys::MessageEvent| {
                let mut s = state.borrow_mut();
                s.backoff_ms = 1000;
                s.fails = 0;
                ctx.ui.live.set(Live::Live);
            })
        };
        let on_error = {
            let state = state.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_e: web_sys::MessageEvent| {
                // One failure is a blip; a second try failing too means the
                // server is not there, and the badge says so.
                let fails = {
                    let mut s = state.borrow_mut();
                    s.fails += 1;
                    s.fails
                };
                ctx.ui.live.set(if fails >= 2 {
                    Live::Offline
                } else {
                    Live::Reconnecting
                });
                let closed = state
                    .borrow()
                    .es
                    .as_ref()
                    .is_some_and(|es| es.ready_state() == web_sys::EventSource::CLOSED);
                if closed && !state.borrow().closed {
                    // The browser gave up (server restarted, session lost): retry
                    // ourselves, from the last event seen, and re-read the board.
                    let delay = {
                        let mut s = state.borrow_mut();
                        let d = s.backoff_ms;
                        s.backoff_ms = (d * 2).min(30_000);
                        d
                    };
                    let state = state.clone();
                    set_timeout(
                        move || {
                            if !state.borrow().closed {
                                resync(ctx);
                                open(ctx, state.clone());
                            }
                        },
                        Duration::from_millis(delay),
                    );
                }
            })
        };
        es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let _ = es.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
        let mut s = state.borrow_mut();
        if let Some(old) = s.es.replace(es) {
            old.close();
        }
        s._callbacks = vec![on_message, on_resync, on_open, on_error];
    }

    pub fn connect(ctx: BoardCtx) {
        let state = Rc::new(RefCell::new(State {
            es: None,
            pending: BTreeSet::new(),
            flush_scheduled: false,
            backoff_ms: 1000,
            fails: 0,
            boards_at: 0.0,
            closed: false,
            _callbacks: Vec::new(),
        }));
        open(ctx, state.clone());
        let poll = set_interval_with_handle(
            move || {
                if ctx.ui.live.get_untracked() == Live::Live {
                    refresh_boards(ctx);
                }
            },
            BOARDS_POLL,
        )
        .ok();
        let state = send_wrapper::SendWrapper::new(state);
        on_cleanup(move || {
            if let Some(h) = poll {
                h.clear();
            }
            let mut s = state.borrow_mut();
            s.closed = true;
            if let Some(es) = s.es.take() {
                es.close();
            }
        });
    }
}
