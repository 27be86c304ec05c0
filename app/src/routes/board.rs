//! The board page: `/` (the current board), `/boards/<slug>`.

use crate::api::board::board_page;
use crate::board::dnd::DragCtx;
use crate::board::store::{column_label, columns, BoardCtx};
use crate::board::{keys, live};
use crate::components::attention::AttentionStrip;
use crate::components::bulk::bulk_bar;
use crate::components::column::ColumnView;
use crate::components::dialog::confirm_move;
use crate::components::drawer::Drawer;
use crate::components::empty::EmptyBoard;
use crate::components::lazy::lazy_view;
use crate::components::shortcuts::{shortcuts_help, UndoToast};
use crate::components::toolbar::Toolbar;
use kernel::Status;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Which board a URL shows: `/`, `/boards/<slug>` or `/tasks/<id>`.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    Current,
    Board(String),
    Task(String),
}

fn place(path: &str) -> Place {
    let mut parts = path.trim_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("boards"), Some(slug)) if !slug.is_empty() => Place::Board(slug.to_string()),
        (Some("tasks"), Some(id)) if !id.is_empty() => Place::Task(id.to_string()),
        _ => Place::Current,
    }
}

/// What the board resource is keyed by: opening or closing a drawer keeps the
/// board that is already loaded; only a link straight to a task names none.
#[derive(Debug, Clone, PartialEq)]
enum BoardKey {
    Current,
    Slug(String),
    OfTask(String),
}

/// The dashboard: the board, and the drawer of the task in the URL. One
/// component serves all three URLs, so moving between them keeps the board.
#[component]
pub fn BoardPage() -> impl IntoView {
    let location = use_location();
    let here = Memo::new(move |_| place(&location.pathname.get()));
    let show_archived = RwSignal::new(false);
    let key = Memo::new(move |prev: Option<&BoardKey>| match (here.get(), prev) {
        (Place::Current, _) => BoardKey::Current,
        (Place::Board(slug), _) => BoardKey::Slug(slug),
        (Place::Task(_), Some(prev)) => prev.clone(),
        (Place::Task(id), None) => BoardKey::OfTask(id),
    });
    let page = Resource::new(
        move || (key.get(), show_archived.get()),
        |(key, archived)| {
            let (board, task) = match key {
                BoardKey::Current => (None, None),
                BoardKey::Slug(s) => (Some(s), None),
                BoardKey::OfTask(t) => (None, Some(t)),
            };
            board_page(board, task, archived)
        },
    );
    let drawer = Signal::derive(move || match here.get() {
        Place::Task(id) => Some(id),
        _ => None,
    });
    let navigate = use_navigate();
    let go = Callback::new(move |path: String| navigate(&path, NavigateOptions::default()));
    // Set only in the browser, once the page is interactive; tests wait for it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <div class="app" data-hydrated=move || hydrated.get().to_string()>
            <Transition fallback=|| view! { <p class="loading">"Loading board…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Board ctx=BoardCtx::new(p, drawer, go) show_archived/> }.into_any(),
                        Err(e) => view! { <p class="error page-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Board(ctx: BoardCtx, show_archived: RwSignal<bool>) -> impl IntoView {
    ctx.provide();
    let drag = DragCtx::new();
    provide_context(drag);
    ctx.filters
        .include_archived
        .set(show_archived.get_untracked());
    Effect::new(move |_| {
        live::connect(ctx);
        keys::install(ctx);
        // Ages move on without events.
        set_interval(
            move || ctx.cards.now.update(|n| *n += 30),
            std::time::Duration::from_secs(30),
        );
    });
    let cols = move || columns(show_archived.get());
    // On a phone one column shows at a time: start on the first that has
    // cards when Ready has none.
    let has_cards = |s: Status| {
        ctx.cards
            .cards
            .with_untracked(|m| m.values().any(|(_, c)| c.task.status == s))
    };
    if !has_cards(Status::Ready) {
        if let Some(first) = columns(false).into_iter().find(|s| has_cards(*s)) {
            ctx.ui.mobile_column.set(first);
        }
    }
    let swipe_start: StoredValue<Option<f64>> = StoredValue::new(None);
    let on_touch_start = move |ev: leptos::ev::TouchEvent| {
        swipe_start.set_value(ev.touches().get(0).map(|t| t.client_x() as f64));
    };
    let on_touch_end = move |ev: leptos::ev::TouchEvent| {
        let Some(start) = swipe_start.get_value() else {
            return;
        };
        if drag.drag.get_untracked().is_some() {
            return;
        }
        let Some(end) = ev.changed_touches().get(0).map(|t| t.client_x() as f64) else {
            return;
        };
        let cs = columns(show_archived.get_untracked());
        let at = cs
            .iter()
            .position(|c| *c == ctx.ui.mobile_column.get_untracked())
            .unwrap_or(0);
        let next = if end - start < -60.0 {
            (at + 1).min(cs.len() - 1)
        } else if end - start > 60.0 {
            at.saturating_sub(1)
        } else {
            return;
        };
        ctx.ui.mobile_column.set(cs[next]);
    };
    view! {
        <Toolbar show_archived/>
        <AttentionStrip/>
        {lazy_view(move || !ctx.ui.selected.with(|s| s.is_empty()), bulk_bar)}
        {move || ctx.ui.banner.get().map(|b| view! {
            <div class="banner" role="status">
                <span>{b}</span>
                <button aria-label="Dismiss" on:click=move |_| ctx.ui.banner.set(None)>"×"</button>
            </div>
        })}
        <nav class="column-tabs" aria-label="Columns">
            {move || cols().into_iter().map(|s| view! {
                <button
                    class:active=move || ctx.ui.mobile_column.get() == s
                    class:drop-target=move || drag.is_target(s)
                    data-column=s.as_str()
                    on:click=move |_| ctx.ui.mobile_column.set(s)
                >
                    {column_label(s)}
                    <span class="tab-count">{move || ctx.cards.stats().0.get(&s).copied().unwrap_or(0)}</span>
                </button>
            }).collect_view()}
        </nav>
        {move || ctx.cards.cards.with(|m| m.is_empty()).then(|| view! { <EmptyBoard/> })}
        {move || {
            // A search or filter that matches nothing says so, with a way back.
            let filter = ctx.filters.filter();
            let none = filter != Default::default()
                && ctx.cards.cards.with(|m| !m.is_empty() && !m.values().any(|(_, c)| filter.passes(c)));
            none.then(|| view! {
                <p class="no-match" role="status">
                    "No task matches this search or filter. "
                    <button type="button" on:click=move |_| {
                        ctx.filters.search.set(String::new());
                        ctx.filters.tenant.set(String::new());
                        ctx.filters.assignee.set(String::new());
                    }>"Show everything"</button>
                </p>
            })
        }}
        <main class="columns" on:touchstart=on_touch_start on:touchend=on_touch_end>
            {move || cols().into_iter().map(|s| view! { <ColumnView status=s/> }).collect_view()}
        </main>
        {move || drag.drag.with(|d| d.as_ref().map(|d| d.title.clone())).map(|title| view! {
            <div
                class="ghost"
                // Beside the pointer, but never past the screen's edge.
                style=move || drag.pos.with(|(x, y)| format!(
                    "transform: translate(clamp(4px, {}px, calc(100vw - 100% - 4px)), clamp(4px, {}px, calc(100vh - 100% - 4px)))",
                    x + 8.0,
                    y + 8.0
                ))
                aria-hidden="true"
            >
                {title}
            </div>
        })}
        {lazy_view(move || ctx.ui.pending.with(|p| p.is_some()), confirm_move)}
        <Drawer/>
        {lazy_view(move || ctx.ui.help.get(), shortcuts_help)}
        <UndoToast/>
        {move || ctx.ui.toast.get().map(|t| view! {
            <div class="toast" class:error=t.error role="alert">{t.message}</div>
        })}
    }
}
