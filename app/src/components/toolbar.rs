//! The toolbar: board switcher, search and filters, lanes, archived, "nudge
//! the dispatcher", theme, the live indicator and the stats line.

use crate::api::boards::switch_board;
use crate::api::tasks::dispatch_now;
use crate::board::call::{call, call_or};
use crate::board::store::{column_label, short_age, BoardCtx, Live};
use crate::components::lazy::lazy_view;
use crate::components::new_board::new_board_dialog;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// Remembers the board this browser looks at.
pub const BOARD_KEY: &str = "baton.board";
pub const THEME_KEY: &str = "baton.theme";

#[cfg(feature = "hydrate")]
pub fn local_get(key: &str) -> Option<String> {
    window().local_storage().ok()??.get_item(key).ok()?
}

#[cfg(feature = "hydrate")]
pub fn local_set(key: &str, value: &str) {
    if let Ok(Some(s)) = window().local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Applies a theme the person picked; until then the stylesheet follows
/// the system's preference.
pub fn apply_theme(theme: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = theme;
}

/// The theme in effect: the saved one, else the system's.
#[cfg(feature = "hydrate")]
fn current_theme() -> String {
    if let Some(t) = local_get(THEME_KEY) {
        return t;
    }
    let light = window()
        .match_media("(prefers-color-scheme: light)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if light { "light" } else { "dark" }.to_string()
}

#[component]
pub fn Toolbar(show_archived: RwSignal<bool>) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let navigate = use_navigate();
    let nudging = RwSignal::new(false);
    let goto = {
        let navigate = navigate.clone();
        move |slug: String| {
            #[cfg(feature = "hydrate")]
            local_set(BOARD_KEY, &slug);
            let target = format!("/boards/{slug}");
            let navigate = navigate.clone();
            // The switch only changes what `/` means; go to the board either way.
            let again = (navigate.clone(), target.clone());
            call_or(
                board,
                None,
                switch_board(slug),
                move |_| navigate(&target, NavigateOptions::default()),
                move || (again.0)(&again.1, NavigateOptions::default()),
            );
        }
    };
    let new_board = RwSignal::new(false);
    let on_board = {
        let goto = goto.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            if v == "__new__" {
                // The switcher keeps showing the board in view; the dialog
                // decides where to go.
                #[cfg(feature = "hydrate")]
                event_target::<web_sys::HtmlSelectElement>(&ev).set_value(&board.slug());
                new_board.set(true);
            } else if v != board.slug() {
                goto(v);
            }
        }
    };
    let go_new = Callback::new(move |slug: String| goto(slug));
    // Filters and view settings: inline on a wide screen, in a sheet on a
    // phone (where the toolbar would otherwise take a quarter of the screen).
    let sheet = RwSignal::new(false);
    let filtering = move || {
        usize::from(!board.filters.tenant.with(String::is_empty))
            + usize::from(!board.filters.assignee.with(String::is_empty))
            + usize::from(show_archived.get())
    };
    // The "/" shortcut means nothing without a keyboard.
    let search_hint = RwSignal::new(true);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if window()
            .match_media("(hover: none)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
        {
            search_hint.set(false);
        }
    });
    let nudge = move |_| {
        call(
            board,
            Some(nudging),
            dispatch_now(board.slug()),
            move |msg| board.notify(format!("Dispatcher: {msg}"), false),
        );
    };
    let theme = RwSignal::new(String::from("dark"));
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(saved) = local_get(THEME_KEY) {
                apply_theme(&saved);
            }
            theme.set(current_theme());
        }
    });
    let toggle_theme = move |_| {
        let next = if theme.get_untracked() == "dark" {
            "light"
        } else {
            "dark"
        };
        #[cfg(feature = "hydrate")]
        local_set(THEME_KEY, next);
        apply_theme(next);
        theme.set(next.to_string());
    };
    let stats = move || {
        let (counts, oldest) = board.cards.stats();
        let mut parts: Vec<String> = crate::board::store::columns(false)
            .into_iter()
            .map(|s| {
                format!(
                    "{} {}",
                    column_label(s),
                    counts.get(&s).copied().unwrap_or(0)
                )
            })
            .collect();
        let filter = board.filters.filter();
        if filter != Default::default() {
            let (shown, all) = board.cards.cards.with(|m| {
                (
                    m.values().filter(|(_, c)| filter.passes(c)).count(),
                    m.len(),
                )
            });
            parts.insert(0, format!("{shown} of {all} shown"));
        }
        if let Some(age) = oldest {
            parts.push(format!(
                "oldest ready {}",
                short_age(age).trim_end_matches(" ago")
            ));
        }
        parts.join(" · ")
    };
    let live = move || match board.ui.live.get() {
        Live::Live => ("live", "Live"),
        Live::Connecting => ("connecting", "Connecting…"),
        Live::Reconnecting => ("reconnecting", "Reconnecting…"),
        Live::Offline => ("offline", "Offline · retrying"),
    };
    let offline = move || board.ui.live.get() == Live::Offline;
    view! {
        <header class="toolbar">
            <div class="toolbar-row">
                <h1 class="brand">"Baton"</h1>
                <select class="board-switch" aria-label="Board" on:change=on_board>
                    <For each=move || board.cards.boards.get() key=|b| (b.slug.clone(), b.name.clone(), b.icon.clone(), b.open) let:b>
                        <option value=b.slug.clone() selected=b.slug == board.slug()>
                            {format!("{}{} ({})", if b.icon.is_empty() { String::new() } else { format!("{} ", b.icon) }, b.name, b.open)}
                        </option>
                    </For>
                    <option value="__new__">"New board…"</option>
                </select>
                <input
                    class="search"
                    type="search"
                    placeholder=move || if search_hint.get() { "Search (/)" } else { "Search" }
                    aria-label="Search"
                    prop:value=board.filters.search
                    on:input=move |ev| board.filters.search.set(event_target_value(&ev))
                />
                <button
                    class="filters-button"
                    type="button"
                    aria-expanded=move || sheet.get().to_string()
                    aria-controls="toolbar-filters"
                    on:click=move |_| sheet.update(|s| *s = !*s)
                >
                    {move || match filtering() {
                        0 => "Filters".to_string(),
                        n => format!("Filters · {n}"),
                    }}
                </button>
                <Show when=move || sheet.get()>
                    <div class="sheet-backdrop" on:click=move |_| sheet.set(false)></div>
                </Show>
                <div
                    id="toolbar-filters"
                    class="toolbar-filters"
                    class:open=sheet
                    role=move || sheet.get().then_some("dialog")
                    aria-label=move || sheet.get().then_some("Filters and view")
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" && sheet.get_untracked() {
                            ev.stop_propagation();
                            sheet.set(false);
                        }
                    }
                >
                    <div class="sheet-head">
                        <strong>"Filters and view"</strong>
                        <button type="button" class="close" on:click=move |_| sheet.set(false)>"Done"</button>
                    </div>
                    <a href="/profiles" class="nav-link" rel="external">"Profiles"</a>
                    <a href="/spend" class="nav-link" rel="external">"Spend"</a>
                    <select aria-label="Tenant" class="filter-tenant" on:change=move |ev| board.filters.tenant.set(event_target_value(&ev))>
                        <option value="" selected=move || board.filters.tenant.get().is_empty()>"All tenants"</option>
                        <For each=move || board.cards.tenants.get() key=|t| t.clone() let:t>
                            <option value=t.clone() selected=move || board.filters.tenant.get() == t>{t.clone()}</option>
                        </For>
                    </select>
                    <select aria-label="Assignee" class="filter-assignee" on:change=move |ev| board.filters.assignee.set(event_target_value(&ev))>
                        <option value="">"Everyone"</option>
                        <option value="(unassigned)">"Unassigned"</option>
                        <For each=move || board.cards.assignees.get() key=|a| a.clone() let:a>
                            <option value=a.clone()>{a.clone()}</option>
                        </For>
                    </select>
                    <label class="toggle">
                        <input type="checkbox" prop:checked=board.filters.lanes on:change=move |ev| board.filters.lanes.set(event_target_checked(&ev))/>
                        "Lanes by profile"
                    </label>
                    <label class="toggle">
                        <input type="checkbox" prop:checked=show_archived on:change=move |ev| show_archived.set(event_target_checked(&ev))/>
                        "Archived"
                    </label>
                    <button class="nudge" on:click=nudge disabled=nudging title="Run one dispatcher pass now">"Nudge dispatcher"</button>
                    <button class="theme" on:click=toggle_theme aria-label="Toggle light and dark theme">
                        {move || if theme.get() == "dark" { "☀" } else { "☾" }}
                    </button>
                </div>
                <span class=move || format!("live {}", live().0) role="status">{move || live().1}</span>
            </div>
            <p class="stats" aria-label="Board statistics">{stats}</p>
            <Show when=offline>
                <p class="banner offline-banner" role="alert">
                    "Baton's server is not answering. The board may be out of date and changes cannot be saved; it reconnects by itself."
                </p>
            </Show>
            {lazy_view(move || new_board.get(), move || new_board_dialog(new_board, go_new))}
        </header>
    }
}
