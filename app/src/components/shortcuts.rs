//! The keyboard shortcuts dialog (`?`), and the undo toast.

use crate::board::keys::SHORTCUTS;
use crate::board::store::{undo, BoardCtx};
use leptos::prelude::*;

crate::lazy_part! {
    /// Fetched the first time `?` is pressed.
    pub fn shortcuts_help() {
        view! { <ShortcutsHelp/> }.into_any()
    }
}

#[component]
fn ShortcutsHelp() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    // The dialog takes focus when it opens.
    let close_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(el) = close_ref.get() {
            let _ = el.focus();
        }
    });
    move || {
        board.ui.help.get().then(|| {
            view! {
                <div class="modal-backdrop" on:click=move |_| board.ui.help.set(false)>
                    <div class="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" on:click=|ev| ev.stop_propagation()>
                        <h2>"Keyboard shortcuts"</h2>
                        <dl class="shortcuts">
                            {SHORTCUTS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                        </dl>
                        <div class="modal-actions">
                            <button class="primary" node_ref=close_ref on:click=move |_| board.ui.help.set(false)>"Close"</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

#[component]
pub fn UndoToast() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    move || {
        board.ui.undo.get().map(|u| {
            view! {
                <div class="toast undo" role="status">
                    <span>{u.label}</span>
                    <button class="primary" on:click=move |_| undo(board)>"Undo"</button>
                </div>
            }
        })
    }
}
