//! The drawer's editable fields — title, assignee, priority, description —
//! and the facts about the task.

use super::{ago, PanelCtx};
use crate::api::tasks::{edit_task, TaskEdit};
use crate::board::call::call;
use crate::board::store::{column_label, BoardCtx};
use leptos::html;
use leptos::prelude::*;

fn save(panel: PanelCtx, board: BoardCtx, edit: TaskEdit, after: impl FnOnce() + 'static) {
    let id = panel.id();
    call(
        panel,
        None,
        edit_task(board.slug(), id, edit),
        move |card| {
            panel.ok();
            board.upsert(card);
            after();
        },
    );
}

/// The title: click to edit; Enter saves, Escape cancels, blank is refused.
#[component]
pub fn Title() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let title = panel.part(|p| p.card.task.title.clone());
    let status = panel.part(|p| p.card.task.status);
    // Whether the input shows, and what is typed in it (kept apart so that
    // typing does not rebuild the input).
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let start = move || {
        draft.set(title.get_untracked().unwrap_or_default());
        editing.set(true);
    };
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let commit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            panel.error.set(Some("A title cannot be blank.".into()));
            return;
        }
        let edit = TaskEdit {
            title: Some(text),
            ..Default::default()
        };
        save(panel, board, edit, move || editing.set(false));
    };
    view! {
        <div class="drawer-title-row">
            {move || status.get().map(|s| view! {
                <span class=format!("status-badge dot-{s}")>{column_label(s)}</span>
            })}
            {move || match editing.get() {
                true => view! {
                    <input
                        class="title-input"
                        aria-label="Title"
                        node_ref=input
                        prop:value=draft
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev| match ev.key().as_str() {
                            "Enter" => {
                                ev.prevent_default();
                                commit();
                            }
                            "Escape" => {
                                ev.stop_propagation();
                                editing.set(false);
                                panel.error.set(None);
                            }
                            _ => {}
                        }
                    />
                }
                .into_any(),
                false => view! {
                    <h2
                        class="drawer-title"
                        title="Click to edit"
                        tabindex="0"
                        on:click=move |_| start()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                start();
                            }
                        }
                    >
                        {move || title.get()}
                    </h2>
                }
                .into_any(),
            }}
        </div>
    }
}

/// Assignee and priority (editable), then what else there is to know.
#[component]
pub fn Facts() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let task = panel.part(|p| p.card.task.clone());
    let assignees = panel.part(|p| p.assignees.clone());
    let assignee = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    // Follow the task unless the person is editing the field.
    let assignee_dirty = RwSignal::new(false);
    let priority_dirty = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(t) = task.get() {
            if !assignee_dirty.get_untracked() {
                assignee.set(t.assignee.unwrap_or_default());
            }
            if !priority_dirty.get_untracked() {
                priority.set(t.priority.to_string());
            }
        }
    });
    let save_assignee = move || {
        let edit = TaskEdit {
            assignee: Some(assignee.get_untracked()),
            ..Default::default()
        };
        save(panel, board, edit, move || assignee_dirty.set(false));
    };
    let save_priority = move || {
        let Ok(p) = priority.get_untracked().trim().parse::<i64>() else {
            panel
                .error
                .set(Some("Priority must be a whole number.".into()));
            return;
        };
        let edit = TaskEdit {
            priority: Some(p),
            ..Default::default()
        };
        save(panel, board, edit, move || priority_dirty.set(false));
    };
    let facts = move || {
        task.get().map(|t| {
            // Only what the task has: a row of dashes says nothing.
            let mut rows: Vec<(&'static str, String)> = Vec::new();
            rows.push((
                "Workspace",
                match &t.workspace_path {
                    Some(p) => format!("{} · {p}", t.workspace_kind.as_str()),
                    None => t.workspace_kind.as_str().to_string(),
                },
            ));
            if let Some(tenant) = t.tenant.clone() {
                rows.push(("Tenant", tenant));
            }
            if let Some(skills) = t.skills.as_ref().filter(|s| !s.is_empty()) {
                rows.push(("Skills", skills.join(", ")));
            }
            if let Some(s) = t.max_runtime_seconds {
                rows.push(("Max runtime", format!("{s} s")));
            }
            if let Some(h) = t.last_heartbeat_at {
                rows.push(("Heartbeat", ago(board, h)));
            }
            rows.push((
                "Created",
                format!(
                    "{} by {}",
                    ago(board, t.created_at),
                    t.created_by.clone().unwrap_or_else(|| "?".into())
                ),
            ));
            if let Some(s) = t.started_at {
                rows.push(("Started", ago(board, s)));
            }
            if let Some(c) = t.completed_at {
                rows.push(("Completed", ago(board, c)));
            }
            if t.consecutive_failures > 0 {
                rows.push(("Failures in a row", t.consecutive_failures.to_string()));
            }
            rows.into_iter()
                .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                .collect_view()
        })
    };
    view! {
        <section class="drawer-section facts" aria-label="Details">
            <dl>
                <dt><label for="drawer-assignee">"Assignee"</label></dt>
                <dd>
                    <input
                        id="drawer-assignee"
                        list="drawer-assignees"
                        placeholder="unassigned"
                        prop:value=assignee
                        on:input=move |ev| {
                            assignee_dirty.set(true);
                            assignee.set(event_target_value(&ev));
                        }
                        on:change=move |_| save_assignee()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                save_assignee();
                            }
                        }
                    />
                    <datalist id="drawer-assignees">
                        {move || assignees.get().unwrap_or_default().into_iter().map(|a| view! { <option value=a></option> }).collect_view()}
                    </datalist>
                </dd>
                <dt><label for="drawer-priority">"Priority"</label></dt>
                <dd>
                    <input
                        id="drawer-priority"
                        type="number"
                        prop:value=priority
                        on:input=move |ev| {
                            priority_dirty.set(true);
                            priority.set(event_target_value(&ev));
                        }
                        on:change=move |_| save_priority()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                save_priority();
                            }
                        }
                    />
                </dd>
                {facts}
            </dl>
        </section>
    }
}

/// The description, as safe markdown (or plain text when markdown is off),
/// with an editor behind Edit.
#[component]
pub fn Description() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let body = panel.part(|p| p.card.task.body.clone().unwrap_or_default());
    let html = panel.part(|p| p.body_html.clone());
    let markdown = panel.part(|p| p.render_markdown);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let save_body = move |_| {
        let edit = TaskEdit {
            body: Some(draft.get_untracked()),
            ..Default::default()
        };
        save(panel, board, edit, move || editing.set(false));
    };
    let shown = move || {
        let text = body.get().unwrap_or_default();
        if text.trim().is_empty() {
            return view! { <p class="muted">"No description."</p> }.into_any();
        }
        match (markdown.get().unwrap_or(true), html.get().flatten()) {
            (true, Some(h)) => view! { <div class="markdown" inner_html=h></div> }.into_any(),
            _ => view! { <pre class="plain">{text}</pre> }.into_any(),
        }
    };
    view! {
        <section class="drawer-section" aria-label="Description">
            <h3>
                "Description"
                <Show when=move || !editing.get()>
                    <button class="small" on:click=move |_| {
                        draft.set(body.get_untracked().unwrap_or_default());
                        editing.set(true);
                    }>"Edit"</button>
                </Show>
            </h3>
            {move || match editing.get() {
                true => view! {
                    <div class="body-editor">
                        <textarea
                            aria-label="Description (markdown)"
                            rows="10"
                            prop:value=draft
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev| {
                                if ev.key() == "Escape" {
                                    ev.stop_propagation();
                                    editing.set(false);
                                }
                            }
                        ></textarea>
                        <div class="row">
                            <button class="primary" on:click=save_body>"Save"</button>
                            <button on:click=move |_| editing.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }
                .into_any(),
                false => shown().into_any(),
            }}
        </section>
    }
}
