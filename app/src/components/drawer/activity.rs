//! Comments (markdown; Enter sends, Shift+Enter starts a new line) and the
//! task's latest events, in words.

use super::{ago, PanelCtx};
use crate::api::tasks::add_comment;
use crate::board::call::call;
use crate::board::store::BoardCtx;
use leptos::prelude::*;

#[component]
pub fn Comments() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let comments = panel.part(|p| p.comments.clone());
    let draft = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let send = move || {
        let body = draft.get_untracked();
        if body.trim().is_empty() || busy.get_untracked() {
            return;
        }
        let id = panel.id();
        call(
            panel,
            Some(busy),
            add_comment(board.slug(), id.clone(), body),
            move |_| {
                panel.ok();
                draft.set(String::new());
                board.refresh(vec![id]);
            },
        );
    };
    view! {
        <section class="drawer-section" aria-label="Comments">
            <h3>"Comments"</h3>
            <ol class="comments">
                <For
                    each=move || comments.get().unwrap_or_default()
                    key=|c| c.comment.id
                    children=move |c| {
                        let at = c.comment.created_at;
                        let body = match c.html {
                            Some(h) => view! { <div class="markdown" inner_html=h></div> }.into_any(),
                            None => view! { <pre class="plain">{c.comment.body.clone()}</pre> }.into_any(),
                        };
                        view! {
                            <li class="comment">
                                <div class="comment-head">
                                    <strong>{c.comment.author.clone()}</strong>
                                    " · "
                                    <span class="muted">{move || ago(board, at)}</span>
                                </div>
                                {body}
                            </li>
                        }
                    }
                />
            </ol>
            <textarea
                class="comment-input"
                aria-label="Add a comment"
                placeholder="Add a comment (Enter sends, Shift+Enter for a new line)"
                prop:value=draft
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        send();
                    }
                }
            ></textarea>
        </section>
    }
}

#[component]
pub fn Events() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let events = panel.part(|p| p.events.clone());
    let runs = panel.part(|p| p.runs.iter().map(|r| r.id).collect::<Vec<_>>());
    view! {
        <section class="drawer-section" aria-label="Activity">
            <h3>"Activity"</h3>
            <ol class="events">
                <For
                    each=move || events.get().unwrap_or_default()
                    key=|e| e.id
                    children=move |e| {
                        let at = e.created_at;
                        // The raw payload stays at hand for whoever debugs.
                        let raw = e.payload_json().map(|p| p.to_string()).unwrap_or_default();
                        let run = e.run_id.map(|id| {
                            let n = runs.with_untracked(|r| run_number(r.as_deref().unwrap_or_default(), id));
                            view! { <span class="run-id" title=format!("run id {id}")>{n}</span> }
                        });
                        view! {
                            <li class="event" data-kind=e.kind.to_string() title=raw>
                                <span class="event-text">{e.payload.sentence()}</span>
                                {run}
                                <span class="muted">{move || ago(board, at)}</span>
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}

/// "run 2": a run's place among the task's own runs (`ids` oldest first),
/// which is what a person counts; a run the panel does not list keeps its id.
pub fn run_number(ids: &[i64], id: i64) -> String {
    match ids.iter().position(|r| *r == id) {
        Some(i) => format!("run {}", i + 1),
        None => format!("run #{id}"),
    }
}
