//! A task card: what a person needs at a glance, and the handle for dragging.

use crate::board::dnd::{self, DragCtx, TouchDrag};
use crate::board::store::{short_age, staleness, BoardCtx};
use kernel::{Card, Severity};
use leptos::prelude::*;
use std::sync::Arc;

fn badge(sev: Severity) -> (&'static str, &'static str) {
    match sev {
        Severity::Warning => ("⚠", "diag diag-warning"),
        Severity::Error => ("!!", "diag diag-error"),
        Severity::Critical => ("!!!", "diag diag-critical"),
    }
}

#[component]
pub fn CardView(card: Arc<Card>) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let drag = expect_context::<DragCtx>();
    let touch = TouchDrag::new();
    let t = &card.task;
    let (id, title, status) = (t.id.clone(), t.title.clone(), t.status);
    let now = board.cards.now;
    let stale_card = Arc::clone(&card);
    let class = move || {
        let mut c = String::from("card");
        if let Some(s) = staleness(&stale_card, now.get()) {
            c.push(' ');
            c.push_str(s);
        }
        c
    };
    let dragging = {
        let id = id.clone();
        move || drag.is_dragged(&id)
    };
    let selected = {
        let id = id.clone();
        move || board.ui.selected.with(|s| s.contains(&id))
    };
    let selected_class = selected.clone();
    // A plain click opens the drawer; shift, ctrl or cmd toggles selection.
    let on_click = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            if drag.just_dropped() {
                return;
            }
            if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
                ev.prevent_default();
                board.ui.toggle_selected(&id);
            } else {
                board.open(&id);
            }
        }
    };
    let on_check = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            board.ui.toggle_selected(&id);
        }
    };
    let label = format!(
        "Task {}: {}, {}, {}",
        t.id,
        t.title,
        t.status,
        t.assignee.as_deref().unwrap_or("unassigned")
    );
    let created = t.created_at;
    let age = move || short_age(now.get() - created);
    let progress = card.progress.map(|p| {
        let done = p.done == p.total;
        view! {
            <span class="progress" class:complete=done title="children done">
                {format!("{}/{}", p.done, p.total)}
            </span>
        }
    });
    let diag = card.warnings.as_ref().map(|w| {
        let (mark, class) = badge(w.highest_severity);
        let tip = card.diagnostics.first().map(|d| d.title.clone()).unwrap_or_default();
        view! { <span class=class title=tip aria-label=format!("{} diagnostics", w.count)>{mark}</span> }
    });
    let links = card.link_counts;
    let (down_id, down_title) = (id.clone(), title.clone());
    let (touch_id, touch_title) = (id.clone(), title.clone());
    view! {
        <article
            class=class
            class:dragging=dragging
            class:selected=selected_class
            data-task-id=id.clone()
            data-status=status.as_str()
            tabindex="0"
            aria-label=label
            on:pointerdown=move |ev| dnd::mouse_down(board, drag, ev, down_id.clone(), down_title.clone(), status)
            on:touchstart=move |ev| dnd::touch_start(drag, touch, ev, touch_id.clone(), touch_title.clone(), status)
            on:touchmove=move |ev| dnd::touch_move(drag, touch, ev)
            on:touchend=move |_| dnd::touch_end(board, drag, touch, false)
            on:touchcancel=move |_| dnd::touch_end(board, drag, touch, true)
            on:click=on_click
        >
            <header class="card-head">
                <input
                    type="checkbox"
                    class="select"
                    aria-label=format!("Select {}", id)
                    tabindex="-1"
                    prop:checked=selected
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:touchstart=|ev| ev.stop_propagation()
                    on:click=on_check
                />
                <span class="card-id">{id.clone()}</span>
                {(t.priority != 0).then(|| view! { <span class="prio" title="priority">{format!("P{}", t.priority)}</span> })}
                {diag}
            </header>
            <div class="card-title">{title.clone()}</div>
            <footer class="card-meta">
                <span class="assignee" class:unassigned=t.assignee.is_none()>
                    {t.assignee.clone().unwrap_or_else(|| "unassigned".into())}
                </span>
                {t.tenant.clone().map(|tn| view! { <span class="tenant">{tn}</span> })}
                {(card.comment_count > 0).then(|| view! { <span class="count" title="comments">{format!("✎ {}", card.comment_count)}</span> })}
                {(links.parents + links.children > 0)
                    .then(|| view! { <span class="count" title="parents ↑ / children ↓">{format!("↑{} ↓{}", links.parents, links.children)}</span> })}
                {progress}
                <span class="age">{age}</span>
            </footer>
        </article>
    }
}
