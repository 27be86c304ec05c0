//! Choosing a task by typing part of its id or title: a search box with the
//! best matches below it. Used for parents in the create form and for
//! dependencies in the drawer.

use crate::board::store::BoardCtx;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// How many matches are listed.
const SHOWN: usize = 12;

#[component]
pub fn TaskPicker(
    /// The search box's accessible name.
    label: &'static str,
    /// Ids that may not be picked (the task itself, existing links).
    #[prop(into)]
    exclude: Signal<BTreeSet<String>>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let query = RwSignal::new(String::new());
    let matches = move || {
        let q = query.get().trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let exclude = exclude.get();
        board.cards.cards.with(|m| {
            m.values()
                .map(|(_, c)| &c.task)
                .filter(|t| !exclude.contains(&t.id))
                .filter(|t| t.id.contains(&q) || t.title.to_lowercase().contains(&q))
                .take(SHOWN)
                .map(|t| (t.id.clone(), t.title.clone(), t.status))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="picker">
            <input
                type="search"
                placeholder="Search tasks by id or title"
                aria-label=label
                prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <ul class="picker-list" role="listbox" aria-label="Matching tasks">
                {move || {
                    matches()
                        .into_iter()
                        .map(|(id, title, status)| {
                            let pick = id.clone();
                            view! {
                                <li role="option">
                                    <button
                                        type="button"
                                        on:click=move |_| {
                                            query.set(String::new());
                                            on_pick.run(pick.clone());
                                        }
                                    >
                                        <span class=format!("dot dot-{status}")></span>
                                        <span class="card-id">{id}</span>
                                        " "
                                        {title}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
