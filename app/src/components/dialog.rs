//! Confirming a move to done (with an optional summary), archived, or
//! blocked (which asks for a reason).

use crate::api::tasks::MoveExtra;
use crate::board::store::{column_label, perform_move, BoardCtx};
use kernel::Status;
use leptos::prelude::*;

crate::lazy_part! {
    /// Fetched the first time a move needs confirming.
    pub fn confirm_move() {
        view! { <ConfirmMove/> }.into_any()
    }
}

#[component]
fn ConfirmMove() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let text = RwSignal::new(String::new());
    let cancel = move |_| {
        board.ui.pending.set(None);
        text.set(String::new());
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = board.ui.pending.get_untracked() else {
            return;
        };
        let t = text.get_untracked();
        if p.to == Status::Blocked && t.trim().is_empty() {
            return;
        }
        board.ui.pending.set(None);
        text.set(String::new());
        let extra = match p.to {
            Status::Blocked => MoveExtra {
                reason: Some(t),
                ..Default::default()
            },
            Status::Done => MoveExtra {
                summary: Some(t).filter(|t| !t.trim().is_empty()),
                ..Default::default()
            },
            _ => MoveExtra::default(),
        };
        perform_move(board, p.id, p.to, extra);
    };
    move || {
        board.ui.pending.get().map(|p| {
            let question = match p.to {
                Status::Done => format!("Mark “{}” done?", p.title),
                Status::Archived => format!("Archive “{}”? It leaves the board.", p.title),
                _ => format!("Block “{}”? Say what it is waiting for.", p.title),
            };
            let field = match p.to {
                Status::Blocked => Some(("Reason", "Reason (required)", true)),
                Status::Done => Some(("Summary", "Summary of the outcome (optional)", false)),
                _ => None,
            };
            view! {
                <div class="modal-backdrop">
                    <form class="modal" role="dialog" aria-modal="true" aria-label="Confirm move" on:submit=confirm>
                        <p>{question}</p>
                        {field.map(|(label, placeholder, required)| view! {
                            <textarea
                                aria-label=label
                                placeholder=placeholder
                                required=required
                                prop:value=text
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                        })}
                        <div class="modal-actions">
                            <button type="button" on:click=cancel>"Cancel"</button>
                            <button type="submit" class="primary">{format!("Move to {}", column_label(p.to))}</button>
                        </div>
                    </form>
                </div>
            }
        })
    }
}
