//! The board page: the current board's tasks.

use crate::api::board::load_board;
use leptos::prelude::*;

#[component]
pub fn BoardPage() -> impl IntoView {
    let board = Resource::new(|| (), |_| load_board(None));
    // Set only in the browser, once the page is interactive; tests wait for it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <section class="board" data-hydrated=move || hydrated.get().to_string()>
            <header class="board-header">
                <h1>"Baton"</h1>
                <button class="refresh" on:click=move |_| board.refetch()>"Refresh"</button>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading board…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(snapshot) => {
                            let count = snapshot.tasks.len();
                            view! {
                                <p class="board-meta">
                                    <span class="board-slug">{snapshot.slug.clone()}</span>
                                    " · "
                                    <span class="task-count">{format!("{count} tasks")}</span>
                                </p>
                                <ul class="task-list">
                                    <For
                                        each=move || snapshot.tasks.clone()
                                        key=|t| t.id.clone()
                                        let:task
                                    >
                                        <li class="task" data-task-id=task.id.clone()>
                                            <span class=format!("status status-{}", task.status)>
                                                {task.status.to_string()}
                                            </span>
                                            <span class="task-id">{task.id.clone()}</span>
                                            <span class="task-title">{task.title.clone()}</span>
                                            <span class="task-assignee">
                                                {task.assignee.clone().unwrap_or_else(|| "unassigned".into())}
                                            </span>
                                        </li>
                                    </For>
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
