//! The attention strip: how many tasks have something wrong, coloured by the
//! worst, opening to a list (critical first) with the fix and an Open button.
//! Dismissing hides it for this browser session until something new shows up.

use crate::board::store::BoardCtx;
use crate::components::drawer::diagnostics::{run_action, severity_class};
use crate::components::lazy::lazy_view;
use kernel::{ActionKind, Severity, Status};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[cfg(feature = "hydrate")]
const DISMISSED_KEY: &str = "baton.attention.dismissed";

#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    title: String,
    severity: Severity,
    headline: String,
    /// Actions the strip can run in place (reclaim, unblock), with labels.
    actions: Vec<(ActionKind, String)>,
}

/// One string per (task, diagnostic, last seen): a new one brings the strip back.
fn marks(rows: &[(Row, Vec<String>)]) -> BTreeSet<String> {
    rows.iter().flat_map(|(_, m)| m.iter().cloned()).collect()
}

#[cfg(feature = "hydrate")]
fn session_get() -> BTreeSet<String> {
    window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(DISMISSED_KEY).ok().flatten())
        .map(|v| v.split('\n').map(str::to_string).collect())
        .unwrap_or_default()
}

#[component]
pub fn AttentionStrip() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let open = RwSignal::new(false);
    let dismissed = RwSignal::new(BTreeSet::<String>::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        dismissed.set(session_get());
    });
    let rows = Memo::new(move |_| {
        let mut rows: Vec<(Row, Vec<String>)> = board.cards.cards.with(|m| {
            m.values()
                .map(|(_, c)| c)
                .filter(|c| !c.diagnostics.is_empty() && c.task.status != Status::Archived)
                .map(|c| {
                    let worst = c
                        .diagnostics
                        .iter()
                        .max_by_key(|d| d.severity)
                        .expect("not empty");
                    let mut actions: Vec<(ActionKind, String)> = Vec::new();
                    for d in &c.diagnostics {
                        for a in &d.actions {
                            let usable = match a.kind {
                                ActionKind::Reclaim => c.task.status == Status::Running,
                                ActionKind::Unblock => c.task.status == Status::Blocked,
                                _ => false,
                            };
                            if usable && !actions.iter().any(|(k, _)| *k == a.kind) {
                                actions.push((a.kind, a.label.clone()));
                            }
                        }
                    }
                    let marks = c
                        .diagnostics
                        .iter()
                        .map(|d| format!("{}:{}:{}", c.task.id, d.kind, d.last_seen_at))
                        .collect();
                    (
                        Row {
                            id: c.task.id.clone(),
                            title: c.task.title.clone(),
                            severity: worst.severity,
                            headline: worst.title.clone(),
                            actions,
                        },
                        marks,
                    )
                })
                .collect()
        });
        // A task blocked on a person is waiting for one even when nothing
        // is wrong with it: it is listed too, with its reason.
        board.cards.cards.with(|m| {
            for c in m.values().map(|(_, c)| c) {
                if c.task.status != Status::Blocked || !c.diagnostics.is_empty() {
                    continue;
                }
                let reason = crate::board::rules::first_line(c.latest_summary.as_deref())
                    .unwrap_or("no reason given");
                rows.push((
                    Row {
                        id: c.task.id.clone(),
                        title: c.task.title.clone(),
                        severity: Severity::Warning,
                        headline: format!("Waiting for a person: {reason}"),
                        actions: vec![(ActionKind::Unblock, "Unblock".into())],
                    },
                    vec![format!("{}:waiting:{reason}", c.task.id)],
                ));
            }
        });
        rows.sort_by(|a, b| b.0.severity.cmp(&a.0.severity).then(a.0.id.cmp(&b.0.id)));
        rows
    });
    let visible = move || rows.with(|r| !r.is_empty() && !marks(r).is_subset(&dismissed.get()));
    let worst = move || rows.with(|r| r.first().map(|(r, _)| r.severity));
    let dismiss = move |_| {
        let all = marks(&rows.get_untracked());
        #[cfg(feature = "hydrate")]
        if let Ok(Some(s)) = window().session_storage() {
            let _ = s.set_item(
                DISMISSED_KEY,
                &all.iter().cloned().collect::<Vec<_>>().join("\n"),
            );
        }
        dismissed.set(all);
        open.set(false);
    };
    view! {
        <Show when=visible>
            <section
                class=move || format!("attention {}", worst().map(severity_class).unwrap_or(""))
                aria-label="Needs attention"
            >
                <div class="attention-head">
                    <button class="attention-toggle" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                        {move || {
                            let n = rows.with(|r| r.len());
                            format!("{n} task{} need{} attention", if n == 1 { "" } else { "s" }, if n == 1 { "s" } else { "" })
                        }}
                    </button>
                    <button class="small" aria-label="Dismiss" on:click=dismiss>"Dismiss"</button>
                </div>
                {lazy_view(move || open.get(), move || attention_list(open, rows))}
            </section>
        </Show>
    }
}

crate::lazy_part! {
    /// The list's code is fetched when the strip is first opened.
    fn attention_list(open: RwSignal<bool>, rows: Memo<Vec<(Row, Vec<String>)>>) {
        let board = expect_context::<BoardCtx>();
        let list = move || rows.get().into_iter().map(|(r, _)| r).collect::<Vec<_>>();
        view! {
                    <Show when=move || open.get()>
                        <ul class="attention-list">
                            <For
                                each=list
                                key=|r| (r.id.clone(), r.headline.clone(), r.actions.len())
                                children=move |r| {
                                    let open_id = r.id.clone();
                                    let actions = r
                                        .actions
                                        .iter()
                                        .map(|(kind, label)| {
                                            let (kind, id) = (*kind, r.id.clone());
                                            view! {
                                                <button on:click=move |_| {
                                                    run_action(board, board, id.clone(), kind, || {})
                                                }>{label.clone()}</button>
                                            }
                                        })
                                        .collect_view();
                                    view! {
                                        <li class=format!("attention-row {}", severity_class(r.severity)) data-task-id=r.id.clone()>
                                            <span class="card-id">{r.id.clone()}</span>
                                            <span class="attention-title">{r.title.clone()}</span>
                                            <span class="attention-why">{r.headline.clone()}</span>
                                            {actions}
                                            <button on:click=move |_| board.open(&open_id)>"Open"</button>
                                        </li>
                                    }
                                }
                            />
                        </ul>
                    </Show>
        }
        .into_any()
    }
}
