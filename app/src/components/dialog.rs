//! Confirming a move to done, archived or blocked (which asks for a reason).

use crate::board::store::{column_label, perform_move, BoardCtx};
use kernel::Status;
use leptos::prelude::*;

#[component]
pub fn ConfirmMove() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let reason = RwSignal::new(String::new());
    let cancel = move |_| {
        board.pending.set(None);
        reason.set(String::new());
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = board.pending.get_untracked() else {
            return;
        };
        let r = reason.get_untracked();
        if p.to == Status::Blocked && r.trim().is_empty() {
            return;
        }
        board.pending.set(None);
        reason.set(String::new());
        perform_move(board, p.id, p.to, (p.to == Status::Blocked).then_some(r));
    };
    move || {
        board.pending.get().map(|p| {
            let question = match p.to {
                Status::Done => format!("Mark “{}” done?", p.title),
                Status::Archived => format!("Archive “{}”? It leaves the board.", p.title),
                _ => format!("Block “{}”? Say what it is waiting for.", p.title),
            };
            view! {
                <div class="modal-backdrop">
                    <form class="modal" role="dialog" aria-modal="true" aria-label="Confirm move" on:submit=confirm>
                        <p>{question}</p>
                        {(p.to == Status::Blocked).then(|| view! {
                            <textarea
                                aria-label="Reason"
                                placeholder="Reason (required)"
                                required
                                prop:value=reason
                                on:input=move |ev| reason.set(event_target_value(&ev))
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
