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
            // The title is a link for a page that is not interactive yet;
            // once it is, the card opens the drawer itself (and a drop
            // opens nothing).
            ev.prevent_default();
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
            <span class="progress" class:complete=done title="tasks after it that are done">
                {format!("{}/{} done", p.done, p.total)}
            </span>
        }
    });
    // What its runs cost (or, unpriced, how many tokens they used).
    let spend = card.spend.map(|s| {
        let (text, tip) = match s.cost_usd {
            Some(c) => (
                kernel::spend::format_usd(c),
                format!(
                    "its runs cost {} ({} tokens)",
                    kernel::spend::format_usd(c),
                    kernel::spend::format_tokens(s.tokens)
                ),
            ),
            None => (
                format!("{} tok", kernel::spend::format_tokens(s.tokens)),
                "tokens its runs used (no price for the model)".to_string(),
            ),
        };
        view! { <span class="spend" title=tip.clone() aria-label=tip>{text}</span> }
    });
    let diag = card.warnings.as_ref().map(|w| {
        let (mark, class) = badge(w.highest_severity);
        let tip = card.diagnostics.first().map(|d| d.title.clone()).unwrap_or_default();
        view! { <span class=class title=tip aria-label=format!("{} diagnostics", w.count)>{mark}</span> }
    });
    let links = card.link_counts;
    let links_words = {
        let mut parts = Vec::new();
        if links.parents > 0 {
            parts.push(format!("waits for {}", links.parents));
        }
        if links.children > 0 {
            parts.push(format!("{} after it", links.children));
        }
        parts.join(" · ")
    };
    // What the card says under its title, by status: why a person is
    // needed, what the run handed off, whether the worker is alive.
    let first_line =
        crate::board::rules::first_line(card.latest_summary.as_deref()).map(str::to_string);
    let note = match status {
        kernel::Status::Blocked => Some((
            "card-note waiting",
            format!(
                "Waiting for a person: {}",
                first_line.unwrap_or_else(|| "no reason given".into())
            ),
        )),
        kernel::Status::Done => first_line.map(|l| ("card-note handoff", l)),
        _ => None,
    };
    let note = note.map(|(class, text)| view! { <p class=class>{text}</p> });
    let (started, beat) = (t.started_at, t.last_heartbeat_at);
    let life = (status == kernel::Status::Running).then(|| {
        let text = move || {
            let now = now.get();
            let mut s = started
                .map(|at| format!("running {}", short_age(now - at).trim_end_matches(" ago")))
                .unwrap_or_else(|| "running".into());
            if let Some(b) = beat {
                s.push_str(&format!(" · heartbeat {}", short_age(now - b)));
            }
            s
        };
        view! { <p class="card-note alive">{text}</p> }
    });
    // Work in Ready or Todo that no profile will start: nobody is assigned,
    // or the name is not a profile (a person, or an external worker).
    let assignee = t.assignee.clone();
    let no_agent = {
        let assignee = assignee.clone();
        move || {
            if !matches!(status, kernel::Status::Ready | kernel::Status::Todo) {
                return None;
            }
            let why = match &assignee {
                None => "No one is assigned, so no agent will pick this up".to_string(),
                Some(a) if !board.cards.profiles.with(|ps| ps.contains(a)) => {
                    format!("No profile is called {a}: a person or an external worker claims it")
                }
                Some(_) => return None,
            };
            Some(
                view! { <span class="no-agent" title=why.clone() aria-label=why>"no agent"</span> },
            )
        }
    };
    let prio = (t.priority != 0).then(|| {
        let grade = match t.priority {
            p if p >= 5 => "prio prio-high",
            p if p >= 2 => "prio prio-mid",
            p if p > 0 => "prio prio-low",
            _ => "prio prio-below",
        };
        view! { <span class=grade title="priority">{format!("P{}", t.priority)}</span> }
    });
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
                // The label around the box is the finger-sized target.
                <label
                    class="select-hit"
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:touchstart=|ev| ev.stop_propagation()
                    on:click=|ev| ev.stop_propagation()
                >
                    <input
                        type="checkbox"
                        class="select"
                        aria-label=format!("Select {}", id)
                        tabindex="-1"
                        prop:checked=selected
                        on:click=on_check
                    />
                </label>
                <a class="card-title" href=format!("/tasks/{id}") draggable="false" tabindex="-1">{title.clone()}</a>
                {prio}
                {diag}
            </header>
            {note}
            {life}
            <footer class="card-meta">
                <span class="card-id">{id.clone()}</span>
                <span class="assignee" class:unassigned=assignee.is_none()>
                    {assignee.clone().unwrap_or_else(|| "unassigned".into())}
                </span>
                {no_agent}
                {t.tenant.clone().map(|tn| view! { <span class="tenant">{tn}</span> })}
                {(card.comment_count > 0).then(|| view! { <span class="count" title="comments">{format!("✎ {}", card.comment_count)}</span> })}
                {(!links_words.is_empty()).then(|| view! { <span class="count" title="tasks it waits for · tasks that wait for it">{links_words}</span> })}
                {progress}
                {spend}
                <span class="age">{age}</span>
            </footer>
        </article>
    }
}
