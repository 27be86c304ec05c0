//! The task drawer: everything about one task, editable, following the task
//! live. It opens at `/tasks/<id>`; Escape, the close button or a click
//! outside closes it.
//!
//! The task's data lives in one signal that is refilled whenever the task
//! receives events; each section reads only its part, so a refill changes
//! text in place and never throws away what a person is typing.

mod activity;
mod conversation;
pub mod diagnostics;
mod fields;
mod links;
mod log;
mod notify;
mod runs;
mod status;
mod worktree;

use crate::api::drawer::{open_task, TaskPanel};
use crate::board::call::{call, Report};
use crate::board::store::{short_age, BoardCtx};
use crate::components::lazy::{chunk_failed, ChunkError};
use leptos::prelude::*;

/// The open task's data, shared by the drawer's sections.
#[derive(Clone, Copy)]
pub struct PanelCtx {
    pub data: RwSignal<Option<TaskPanel>>,
    /// Asks for a fresh copy of the data.
    pub reload: Callback<()>,
    /// The last error of an action, shown at the top of the drawer.
    pub error: RwSignal<Option<String>>,
}

/// A failed action in the drawer is shown on its error line.
impl Report for PanelCtx {
    fn report(&self, e: &crate::error::AppError) {
        self.error.set(Some(e.to_string()));
    }
}

impl PanelCtx {
    /// One piece of the data, read when the data changes. (A derived signal
    /// rather than a memo per piece: each memo type costs the bundle a few
    /// kilobytes, and recomputing these pieces is cheap.)
    pub fn part<T: Clone + Send + Sync + 'static>(
        &self,
        f: impl Fn(&TaskPanel) -> T + Send + Sync + 'static,
    ) -> Signal<Option<T>> {
        let data = self.data;
        Signal::derive(move || data.with(|d| d.as_ref().map(&f)))
    }

    pub fn id(&self) -> String {
        self.data
            .with_untracked(|d| d.as_ref().map(|d| d.card.task.id.clone()))
            .unwrap_or_default()
    }

    /// Shows the outcome of an action: a refusal stays visible in the drawer.
    /// After an action succeeded: the error line clears and the data reloads.
    pub fn ok(&self) {
        self.error.set(None);
        self.reload.run(());
    }
}

/// "5m ago" from a timestamp, against the board's clock.
pub fn ago(board: BoardCtx, at: i64) -> String {
    short_age(board.cards.now.get() - at)
}

#[component]
pub fn Drawer() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    // The drawer loads its task in the browser, so it is rendered only once
    // the page is interactive (never by the server, so hydration has nothing
    // to match).
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    // A drawer whose code could not be fetched tries again on a click, and
    // by itself once the live stream is back (the server is answering).
    let attempt = RwSignal::new(0u32);
    let failed = RwSignal::new(false);
    board.on_back_online(move || {
        if failed.get_untracked() {
            attempt.update(|n| *n += 1);
        }
    });
    move || {
        if !mounted.get() {
            return None;
        }
        attempt.track();
        board.ui.drawer.get().map(|id| {
            view! {
                <Suspense fallback=|| view! { <aside class="drawer"><p class="loading">"Loading…"</p></aside> }>
                    {Suspend::new(async move {
                        match drawer_panel(id).await {
                            Ok(v) => {
                                failed.set(false);
                                v
                            }
                            Err(ChunkError) => {
                                failed.set(true);
                                view! {
                                    <aside class="drawer" role="dialog" aria-label="Task">
                                        {chunk_failed(move || attempt.update(|n| *n += 1))}
                                        <button type="button" on:click=move |_| board.close_drawer()>"Close"</button>
                                    </aside>
                                }
                                .into_any()
                            }
                        }
                    })}
                </Suspense>
            }
        })
    }
}

crate::lazy_part! {
    /// The drawer's code is a separate chunk of the bundle, fetched the first
    /// time a drawer opens.
    fn drawer_panel(id: String) {
        view! { <DrawerPanel id/> }.into_any()
    }
}

#[component]
fn DrawerPanel(id: String) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let data = RwSignal::new(Option::<TaskPanel>::None);
    let error = RwSignal::new(Option::<String>::None);
    let load_error = RwSignal::new(Option::<String>::None);
    // Answers can overtake each other; only the newest request counts.
    let asked = StoredValue::new(0u64);
    let load = {
        let id = id.clone();
        move || {
            let n = asked.get_value() + 1;
            asked.set_value(n);
            let id = id.clone();
            call(
                load_error,
                None,
                open_task(Some(board.slug()), id),
                move |p| {
                    // Only the newest request's answer counts.
                    if asked.get_value() == n {
                        load_error.set(None);
                        data.set(Some(p));
                    }
                },
            );
        }
    };
    let reload = Callback::new({
        let load = load.clone();
        move |()| load()
    });
    let panel = PanelCtx {
        data,
        reload,
        error,
    };
    provide_context(panel);
    Effect::new({
        let load = load.clone();
        move |_| load()
    });
    // Opened while the server was away: load again once it is back.
    board.on_back_online({
        let load = load.clone();
        move || {
            if load_error.with_untracked(|e| e.is_some()) {
                load();
            }
        }
    });
    // Live: reload when an event touches this task.
    Effect::new({
        let id = id.clone();
        move |_| {
            if board.ui.changed.with(|c| c.contains(&id)) {
                reload.run(());
            }
        }
    });
    let close = move || board.close_drawer();
    let title = panel.part(|p| p.card.task.title.clone());
    let label = {
        let id = id.clone();
        move || match title.get() {
            Some(t) => format!("Task {id}: {t}"),
            None => format!("Task {id}"),
        }
    };
    // The dialog takes focus when it opens, so Tab starts inside it.
    let aside = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        if let Some(el) = aside.get() {
            // Suspense may build the panel before it is in the page; focus
            // once it is.
            request_animation_frame(move || {
                let _ = el.focus();
            });
        }
    });
    // A click beside the drawer on another card opens that card in place;
    // anywhere else it closes.
    let on_backdrop = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            let under = document().elements_from_point(ev.client_x() as f32, ev.client_y() as f32);
            let card = under.iter().find_map(|e| {
                use wasm_bindgen::JsCast;
                let el = e.dyn_into::<web_sys::Element>().ok()?;
                el.closest("article.card[data-task-id]")
                    .ok()
                    .flatten()?
                    .get_attribute("data-task-id")
            });
            if let Some(id) = card {
                board.open(&id);
                return;
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
        close();
    };
    view! {
        <div class="drawer-backdrop" on:click=on_backdrop></div>
        <aside class="drawer" role="dialog" aria-modal="true" tabindex="-1" node_ref=aside aria-label=label data-drawer-task=id.clone()>
            <header class="drawer-head">
                <span class="card-id">{id.clone()}</span>
                <button class="close" aria-label="Close" on:click=move |_| close()>"×"</button>
            </header>
            {move || load_error.get().map(|e| view! {
                <p class="error" role="alert">
                    {e}
                    " "
                    <button type="button" on:click=move |_| reload.run(())>"Try again"</button>
                </p>
            })}
            {move || error.get().map(|e| view! {
                <p class="error action-error" role="alert">
                    {e}
                    <button aria-label="Dismiss" on:click=move |_| error.set(None)>"×"</button>
                </p>
            })}
            <Show
                when=move || title.with(|t| t.is_some())
                fallback=move || (load_error.with(|e| e.is_none())).then(|| view! { <p class="loading">"Loading…"</p> })
            >
                <fields::Title/>
                <status::Waiting/>
                <status::Actions/>
                <diagnostics::Diagnostics/>
                // Title, description, then what happened; the properties sit
                // beside them on a wide screen and after the description on
                // a narrow one (the grid in main.css places them).
                <div class="drawer-body">
                    <div class="drawer-lead">
                        <fields::Description/>
                    </div>
                    <div class="drawer-side">
                        <fields::Facts/>
                        <links::Dependencies/>
                        <worktree::Worktree/>
                        <notify::Notifications/>
                    </div>
                    <div class="drawer-main">
                        <runs::Runs/>
                        <conversation::Conversation/>
                        <log::WorkerLog/>
                        <activity::Comments/>
                        <activity::Events/>
                    </div>
                </div>
            </Show>
        </aside>
    }
}
