//! What an empty board says: how work gets onto it and who will do it, so
//! a first run is not six empty boxes.

use crate::board::store::BoardCtx;
use leptos::prelude::*;

#[component]
pub fn EmptyBoard() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let profiles = move || board.cards.profiles.get();
    let dispatcher = move || {
        if board.cards.dispatcher_running.get() {
            "A dispatcher is running: it starts ready tasks that are assigned to a profile."
        } else {
            "No dispatcher is running for this board, so nothing starts by itself: run `baton serve` (the dashboard with one) or `baton daemon`."
        }
    };
    view! {
        <section class="empty-board" aria-label="Getting started">
            <h2>"This board is empty"</h2>
            <ol>
                <li>
                    <strong>"Add a task."</strong>
                    " Use + at the top of Ready (or press " <kbd>"c"</kbd> "), or from a terminal: "
                    <code>"baton create \"Write the release notes\""</code>
                </li>
                <li>
                    <strong>"Let an agent do it."</strong>
                    " A profile tells Baton how to start an agent (Claude Code, Codex, Gemini CLI and more); assign a task to a profile's name and the dispatcher starts it. "
                    {move || {
                        let ps = profiles();
                        if ps.is_empty() {
                            view! {
                                <span>
                                    "There are no profiles yet: add one on the " <a href="/profiles" rel="external">"Profiles page"</a>
                                    " or with " <code>"baton profiles add coder --agent claude-code"</code> "."
                                </span>
                            }
                            .into_any()
                        } else {
                            view! { <span>{format!("Profiles: {}.", ps.join(", "))}</span> }.into_any()
                        }
                    }}
                </li>
                <li class="dispatcher-state">{dispatcher}</li>
                <li>
                    <strong>"See it working first?"</strong>
                    " " <code>"baton demo"</code> " fills example boards with tasks, dependencies and workers."
                </li>
            </ol>
        </section>
    }
}
