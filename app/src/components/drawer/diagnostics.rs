//! What is wrong with the task, one card per diagnostic, with the actions
//! that fix it (the suggested one first): reclaim, reassign, unblock,
//! comment, or a CLI command to copy.

use super::PanelCtx;
use crate::api::tasks::{move_task, reassign_task, reclaim_task, MoveExtra};
use crate::board::call::{call, Report};
use crate::board::store::BoardCtx;
use kernel::{ActionKind, Diagnostic, DiagnosticAction, Severity, Status};
use leptos::prelude::*;

pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Warning => "sev-warning",
        Severity::Error => "sev-error",
        Severity::Critical => "sev-critical",
    }
}

/// Task ids mentioned in a diagnostic's facts, for chips.
fn task_ids(data: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![data];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s)
                if s.starts_with("t_") && s.len() <= 40 && !out.contains(s) =>
            {
                out.push(s.clone())
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    out
}

/// Runs a diagnostic's action on the task; shared with the attention strip.
pub fn run_action(
    board: BoardCtx,
    to: impl Report,
    id: String,
    kind: ActionKind,
    after: impl FnOnce() + 'static,
) {
    let slug = board.slug();
    let action = async move {
        match kind {
            ActionKind::Reclaim => reclaim_task(slug, id).await,
            ActionKind::Unblock => move_task(slug, id, Status::Ready, MoveExtra::default()).await,
            other => Err(crate::error::AppError::Invalid(format!(
                "the dashboard cannot run the action {other} itself"
            ))),
        }
    };
    call(to, None, action, move |card| {
        board.upsert(card);
        after();
    });
}

#[component]
pub fn Diagnostics() -> impl IntoView {
    let panel = expect_context::<PanelCtx>();
    let diags = panel.part(|p| p.card.diagnostics.clone());
    view! {
        <Show when=move || diags.with(|d| d.as_ref().is_some_and(|d| !d.is_empty()))>
            <section class="drawer-section" aria-label="Diagnostics">
                <h3>"Needs attention"</h3>
                <For
                    each=move || diags.get().unwrap_or_default()
                    key=|d| (d.kind, d.last_seen_at, d.count)
                    children=move |d| view! { <DiagnosticCard d/> }
                />
            </section>
        </Show>
    }
}

#[component]
fn DiagnosticCard(d: Diagnostic) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let mut actions: Vec<DiagnosticAction> = d.actions.clone();
    actions.sort_by_key(|a| !a.suggested);
    let chips = task_ids(&d.data)
        .into_iter()
        .filter(|t| *t != panel.id())
        .map(|t| {
            let open = t.clone();
            view! { <button class="chip" on:click=move |_| board.open(&open)>{t}</button> }
        })
        .collect_view();
    let actions = actions
        .into_iter()
        .map(|a| view! { <Action a/> })
        .collect_view();
    view! {
        <article class=format!("diagnostic {}", severity_class(d.severity)) data-kind=d.kind.as_str()>
            <h4>{d.title.clone()}</h4>
            <p>{d.detail.clone()}</p>
            <div class="chips">{chips}</div>
            <div class="row">{actions}</div>
        </article>
    }
}

#[component]
fn Action(a: DiagnosticAction) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let class = if a.suggested { "primary" } else { "" };
    match a.kind {
        ActionKind::Reclaim | ActionKind::Unblock => {
            let kind = a.kind;
            view! {
                <button class=class on:click=move |_| {
                    run_action(board, panel, panel.id(), kind, move || panel.ok())
                }>{a.label.clone()}</button>
            }
            .into_any()
        }
        ActionKind::Reassign => view! { <Reassign label=a.label.clone()/> }.into_any(),
        ActionKind::Comment => view! {
            <button class=class on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Ok(Some(el)) = document().query_selector(".drawer textarea.comment-input") {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }>{a.label.clone()}</button>
        }
        .into_any(),
        ActionKind::CliHint => {
            let command = a.command.clone().unwrap_or_default();
            let copy = command.clone();
            view! {
                <span class="cli-hint">
                    <code>{command}</code>
                    <button class="small" title=a.label.clone() on:click=move |_| {
                        #[cfg(feature = "hydrate")]
                        {
                            let _ = window().navigator().clipboard().write_text(&copy);
                            board.notify("Command copied", false);
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = &copy;
                    }>"Copy"</button>
                </span>
            }
            .into_any()
        }
        _ => view! { <span class="muted">{a.label.clone()}</span> }.into_any(),
    }
}

/// Picking another profile, optionally taking the task back first.
#[component]
fn Reassign(label: String) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let names = panel.part(|p| p.assignees.clone());
    let who = RwSignal::new(String::new());
    let reclaim_first = RwSignal::new(true);
    let form_label = label.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = panel.id();
        // Reclaiming first is harmless when the task is not running, and the
        // task may have started since the drawer last looked.
        let first = reclaim_first.get_untracked();
        let name = who.get_untracked();
        call(
            panel,
            None,
            reassign_task(board.slug(), id, name, first),
            move |card| {
                panel.ok();
                board.upsert(card);
            },
        );
    };
    view! {
        <form class="reassign" aria-label=form_label on:submit=submit>
            <select aria-label="Profile" on:change=move |ev| who.set(event_target_value(&ev))>
                <option value="">"(unassigned)"</option>
                {move || names.get().unwrap_or_default().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
            </select>
            <label class="toggle">
                <input type="checkbox" prop:checked=reclaim_first on:change=move |ev| reclaim_first.set(event_target_checked(&ev))/>
                "reclaim first"
            </label>
            <button type="submit">{label}</button>
        </form>
    }
}
