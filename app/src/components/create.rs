//! Creating a task from a column's `+` (or `c` on the keyboard).

use crate::api::tasks::{create_task, NewTaskForm};
use crate::board::call::call;
use crate::board::store::BoardCtx;
use crate::components::picker::TaskPicker;
use kernel::Status;
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeSet;

crate::lazy_part! {
    /// The form's code (with the task picker) is fetched when a `+` is first used.
    pub fn create_form(status: Status) {
        let board = expect_context::<BoardCtx>();
        view! {
            <Show when=move || board.ui.creating.get() == Some(status)>
                <CreateForm status/>
            </Show>
        }
        .into_any()
    }
}

#[component]
fn CreateForm(status: Status) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let title = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let priority = RwSignal::new(String::from("0"));
    let parent = RwSignal::new(Option::<String>::None);
    let skills = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(Option::<String>::None);
    let list_id = format!("assignees-{}", status.as_str());
    let title_ref = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = title_ref.get() {
            let _ = el.focus();
        }
    });
    let close = move || board.ui.creating.set(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Todo holds tasks that wait for another; without one the task
        // would be ready at once, so the form asks for it.
        if status == Status::Todo && parent.get_untracked().is_none() {
            error.set(Some(
                "A task in Todo waits for another task: pick the one it waits for as its parent, or use + in Ready."
                    .into(),
            ));
            return;
        }
        error.set(None);
        let form = NewTaskForm {
            title: title.get_untracked(),
            assignee: assignee.get_untracked(),
            priority: priority.get_untracked().trim().parse().unwrap_or(0),
            parent: parent.get_untracked().unwrap_or_default(),
            skills: skills.get_untracked(),
            tenant: board.filters.tenant.get_untracked(),
            triage: status == Status::Triage,
        };
        call(
            board,
            Some(busy),
            create_task(board.slug(), form),
            move |created| {
                let landed = created.card.task.status;
                if landed != status {
                    board.notify(
                        format!(
                            "Created “{}” in {}: the task it waits for is finished.",
                            created.card.task.title,
                            crate::board::store::column_label(landed)
                        ),
                        false,
                    );
                }
                board.upsert(created.card);
                board.ui.banner.set(created.warning);
                title.set(String::new());
                close();
            },
        );
    };
    let parent_chip = move || {
        parent.get().map(|id| {
            let title = board.card(&id).map(|c| c.task.title).unwrap_or_default();
            view! {
                <span class="chip">
                    <span class="card-id">{id.clone()}</span>" "{title}
                    <button type="button" aria-label="Remove parent" on:click=move |_| parent.set(None)>"×"</button>
                </span>
            }
        })
    };
    view! {
        <form
            class="create"
            on:submit=submit
            aria-label="New task"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    close();
                }
            }
        >
            <input
                class="create-title"
                placeholder="Title"
                aria-label="Title"
                required
                node_ref=title_ref
                prop:value=title
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <input
                placeholder="Assignee"
                aria-label="Assignee"
                list=list_id.clone()
                prop:value=assignee
                on:input=move |ev| assignee.set(event_target_value(&ev))
            />
            <datalist id=list_id>
                <For each=move || board.cards.assignees.get() key=|a| a.clone() let:a>
                    <option value=a.clone()></option>
                </For>
            </datalist>
            <input
                type="number"
                aria-label="Priority"
                title="Priority"
                prop:value=priority
                on:input=move |ev| priority.set(event_target_value(&ev))
            />
            {parent_chip}
            <Show when=move || parent.get().is_none()>
                <TaskPicker
                    label=if status == Status::Todo { "Waits for" } else { "Parent" }
                    exclude=Signal::derive(BTreeSet::new)
                    on_pick=Callback::new(move |id| parent.set(Some(id)))
                />
            </Show>
            <input
                placeholder="Skills (comma-separated)"
                aria-label="Skills"
                prop:value=skills
                on:input=move |ev| skills.set(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="create-row">
                <button type="submit" class="primary" disabled=busy>"Create"</button>
                <button type="button" on:click=move |_| close()>"Cancel"</button>
            </div>
        </form>
    }
}
