//! Status actions: to triage, todo or ready, unblock, block (with a reason),
//! complete (with a summary and metadata), archive, reclaim. The destructive
//! ones ask first; every move can be undone for a few seconds.

use super::PanelCtx;
use crate::api::tasks::{move_task, reclaim_task, MoveExtra};
use crate::board::call::call;
use crate::board::store::{column_label, snapshot, BoardCtx};
use kernel::Status;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ask {
    Block,
    Complete,
    Archive,
}

/// Metadata as typed: blank is none; otherwise it must be a JSON object.
pub fn parse_metadata(text: &str) -> Result<Option<serde_json::Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() => Ok(Some(v)),
        Ok(_) => Err("Metadata must be a JSON object, like {\"tests\": 12}.".into()),
        Err(e) => Err(format!("Metadata is not valid JSON: {e}")),
    }
}

/// A blocked task says what it waits for before anything else, in full.
#[component]
pub fn Waiting() -> impl IntoView {
    let panel = expect_context::<PanelCtx>();
    let reason = panel.part(|p| {
        (p.card.task.status == Status::Blocked).then(|| {
            p.card
                .latest_summary
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "No reason was given.".into())
        })
    });
    move || {
        reason.get().flatten().map(|r| {
            view! {
                <div class="callout waiting" role="note" aria-label="Waiting for a person">
                    <strong>"Waiting for a person"</strong>
                    <p>{r}</p>
                </div>
            }
        })
    }
}

#[component]
pub fn Actions() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let status = panel.part(|p| p.card.task.status);
    let ask = RwSignal::new(Option::<Ask>::None);
    let reason = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let metadata = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let go = move |to: Status, extra: MoveExtra| {
        let id = panel.id();
        let before = board.card(&id);
        call(
            panel,
            Some(busy),
            move_task(board.slug(), id, to, extra),
            move |card| {
                panel.ok();
                board.upsert(card);
                ask.set(None);
                reason.set(String::new());
                summary.set(String::new());
                metadata.set(String::new());
                if let Some(b) = before {
                    board.ui.offer_undo(
                        format!("Moved “{}” to {}", b.task.title, column_label(to)),
                        vec![snapshot(&b)],
                    );
                }
            },
        );
    };
    let reclaim = move |_| {
        let id = panel.id();
        call(panel, None, reclaim_task(board.slug(), id), move |card| {
            panel.ok();
            board.upsert(card);
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ask.get_untracked() {
            Some(Ask::Block) => {
                if reason.get_untracked().trim().is_empty() {
                    panel
                        .error
                        .set(Some("Say what the task is waiting for.".into()));
                    return;
                }
                go(
                    Status::Blocked,
                    MoveExtra {
                        reason: Some(reason.get_untracked()),
                        ..Default::default()
                    },
                );
            }
            Some(Ask::Complete) => match parse_metadata(&metadata.get_untracked()) {
                Ok(meta) => go(
                    Status::Done,
                    MoveExtra {
                        summary: Some(summary.get_untracked()),
                        metadata: meta,
                        ..Default::default()
                    },
                ),
                Err(e) => panel.error.set(Some(e)),
            },
            Some(Ask::Archive) => go(Status::Archived, MoveExtra::default()),
            None => {}
        }
    };
    let buttons = move || {
        let Some(s) = status.get() else {
            return ().into_any();
        };
        let mut moves: Vec<(Status, &'static str)> = Vec::new();
        for (to, label) in [
            (Status::Triage, "→ Triage"),
            (Status::Todo, "→ Todo"),
            (
                Status::Ready,
                if s == Status::Blocked {
                    "Unblock"
                } else {
                    "→ Ready"
                },
            ),
        ] {
            if to != s {
                moves.push((to, label));
            }
        }
        view! {
            <div class="actions" role="group" aria-label="Status actions">
                {moves
                    .into_iter()
                    .map(|(to, label)| view! {
                        <button disabled=busy on:click=move |_| go(to, MoveExtra::default())>{label}</button>
                    })
                    .collect_view()}
                {(s == Status::Running).then(|| view! { <button on:click=reclaim>"Reclaim"</button> })}
                {(s != Status::Blocked).then(|| view! { <button on:click=move |_| ask.set(Some(Ask::Block))>"Block…"</button> })}
                {(s != Status::Done).then(|| view! { <button on:click=move |_| ask.set(Some(Ask::Complete))>"Complete…"</button> })}
                {(s != Status::Archived).then(|| view! { <button class="danger" on:click=move |_| ask.set(Some(Ask::Archive))>"Archive…"</button> })}
            </div>
        }
        .into_any()
    };
    let form = move || {
        ask.get().map(|a| {
            let (question, verb) = match a {
                Ask::Block => ("Block this task? Say what it is waiting for.", "Block"),
                Ask::Complete => ("Complete this task?", "Complete"),
                Ask::Archive => ("Archive this task? It leaves the board.", "Archive"),
            };
            view! {
                <form class="ask" aria-label=format!("{verb} task") on:submit=confirm>
                    <p>{question}</p>
                    {(a == Ask::Block).then(|| view! {
                        <textarea aria-label="Reason" placeholder="Reason (required)" prop:value=reason
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    })}
                    {(a == Ask::Complete).then(|| view! {
                        <textarea aria-label="Summary" placeholder="Summary of the outcome (optional)" prop:value=summary
                            on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                        <textarea aria-label="Metadata" class="mono" placeholder="Metadata as a JSON object (optional)" prop:value=metadata
                            on:input=move |ev| metadata.set(event_target_value(&ev))></textarea>
                    })}
                    <div class="row">
                        <button type="submit" class="primary" disabled=busy>{verb}</button>
                        <button type="button" on:click=move |_| ask.set(None)>"Cancel"</button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <section class="drawer-section" aria-label="Status">
            {buttons}
            {form}
        </section>
    }
}
