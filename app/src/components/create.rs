//! Creating a task from a column's `+`.

use crate::api::tasks::{create_task, NewTaskForm};
use crate::board::store::BoardCtx;
use kernel::Status;
use leptos::prelude::*;

#[component]
pub fn CreateForm(status: Status, open: RwSignal<bool>) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let title = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let priority = RwSignal::new(String::from("0"));
    let parent = RwSignal::new(String::new());
    let skills = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let list_id = format!("assignees-{}", status.as_str());
    let parents_id = format!("parents-{}", status.as_str());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let parent_id = parent
            .get_untracked()
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let form = NewTaskForm {
            title: title.get_untracked(),
            assignee: assignee.get_untracked(),
            priority: priority.get_untracked().trim().parse().unwrap_or(0),
            parent: parent_id,
            skills: skills.get_untracked(),
            tenant: board.tenant.get_untracked(),
            triage: status == Status::Triage,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_task(board.slug(), form).await {
                Ok(created) => {
                    board.upsert(created.card);
                    board.banner.set(created.warning);
                    title.set(String::new());
                    open.set(false);
                }
                Err(e) => board.notify(e.to_string(), true),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="create" on:submit=submit aria-label="New task">
            <input
                class="create-title"
                placeholder="Title"
                aria-label="Title"
                required
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
                <For each=move || board.assignees.get() key=|a| a.clone() let:a>
                    <option value=a.clone()></option>
                </For>
            </datalist>
            <div class="create-row">
                <input
                    type="number"
                    aria-label="Priority"
                    title="Priority"
                    prop:value=priority
                    on:input=move |ev| priority.set(event_target_value(&ev))
                />
                <input
                    placeholder="Parent (search)"
                    aria-label="Parent"
                    list=parents_id.clone()
                    prop:value=parent
                    on:input=move |ev| parent.set(event_target_value(&ev))
                />
            </div>
            <datalist id=parents_id>
                {move || {
                    board
                        .cards
                        .with(|m| {
                            m.values()
                                .map(|(_, c)| {
                                    let v = format!("{} — {}", c.task.id, c.task.title);
                                    view! { <option value=v></option> }
                                })
                                .collect_view()
                        })
                }}
            </datalist>
            <input
                placeholder="Skills (comma-separated)"
                aria-label="Skills"
                prop:value=skills
                on:input=move |ev| skills.set(event_target_value(&ev))
            />
            <div class="create-row">
                <button type="submit" class="primary" disabled=busy>"Create"</button>
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
