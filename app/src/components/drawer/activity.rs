//! Comments (markdown; Enter sends, Shift+Enter starts a new line) and the
//! task's latest events.

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
    view! {
        <section class="drawer-section" aria-label="Events">
            <h3>"Latest events"</h3>
            <ol class="events">
                <For
                    each=move || events.get().unwrap_or_default()
                    key=|e| e.id
                    children=move |e| {
                        let at = e.created_at;
                        let payload = e
                            .payload_json()
                            .map(|p| p.to_string())
                            .map(|p| if p.len() > 160 { format!("{}…", &p[..p.floor_char_boundary(160)]) } else { p });
                        view! {
                            <li class="event">
                                <span class="event-kind">{e.kind.to_string()}</span>
                                {e.run_id.map(|r| view! { <span class="run-id">{format!("run #{r}")}</span> })}
                                <span class="muted">{move || ago(board, at)}</span>
                                {payload.map(|p| view! { <code class="payload">{p}</code> })}
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}
