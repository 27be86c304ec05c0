//! The bulk bar, floating at the foot of the board while cards are selected:
//! move to ready, complete, block, archive, reassign (or unassign), set
//! priority, each offered only when it fits the selection. Destructive
//! batches ask first. Each card succeeds or fails on its own; failures are listed
//! and the successes stay (and can be undone).

use crate::api::bulk::{bulk_update, BulkAction};
use crate::board::call::call_or;
use crate::board::store::{snapshot, BoardCtx};
use kernel::{BulkItem, Status};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct Report {
    done: usize,
    failed: Vec<BulkItem>,
}

fn describe(a: &BulkAction) -> String {
    match a {
        BulkAction::Move(s) => format!("moved to {s}"),
        BulkAction::Complete { .. } => "completed".into(),
        BulkAction::Block { .. } => "blocked".into(),
        BulkAction::Archive => "archived".into(),
        BulkAction::Assign {
            assignee: Some(a), ..
        } => format!("assigned to {a}"),
        BulkAction::Assign { assignee: None, .. } => "unassigned".into(),
        BulkAction::Priority(p) => format!("set to priority {p}"),
    }
}

/// Which actions the selection can take: a button that would fail for
/// every selected card is not offered.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Fits {
    to_ready: bool,
    /// Every card that can go to ready is blocked: the move is an unblock.
    unblock: bool,
    complete: bool,
    block: bool,
    archive: bool,
    running: bool,
}

fn fits(statuses: &[Status]) -> Fits {
    let any = |f: &dyn Fn(Status) -> bool| statuses.iter().any(|s| f(*s));
    let movable = |s: Status| matches!(s, Status::Triage | Status::Todo | Status::Blocked);
    Fits {
        to_ready: any(&movable),
        unblock: any(&movable)
            && statuses
                .iter()
                .filter(|s| movable(**s))
                .all(|s| *s == Status::Blocked),
        complete: any(&|s| !s.is_terminal()),
        block: any(&|s| !s.is_terminal() && s != Status::Blocked),
        archive: any(&|s| s != Status::Archived),
        running: any(&|s| s == Status::Running),
    }
}

crate::lazy_part! {
    /// The bar's code is fetched when the first card is selected.
    pub fn bulk_bar() {
        view! { <BulkBar/> }.into_any()
    }
}

#[component]
fn BulkBar() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let report = RwSignal::new(Option::<Report>::None);
    // A destructive action waiting for confirmation.
    let confirming = RwSignal::new(Option::<BulkAction>::None);
    let reason = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let reclaim_first = RwSignal::new(false);
    let priority = RwSignal::new(String::from("1"));
    let busy = RwSignal::new(false);
    let count = move || board.ui.selected.with(|s| s.len());
    let fit = Memo::new(move |_| {
        let statuses: Vec<Status> = board.ui.selected.with(|s| {
            s.iter()
                .filter_map(|id| board.card(id))
                .map(|c| c.task.status)
                .collect()
        });
        fits(&statuses)
    });
    let run = move |action: BulkAction| {
        let ids: Vec<String> = board.ui.selected.get_untracked().into_iter().collect();
        let before: Vec<_> = ids.iter().filter_map(|id| board.card(id)).collect();
        let what = describe(&action);
        let again = ids.clone();
        call_or(
            board,
            Some(busy),
            bulk_update(board.slug(), ids.clone(), action),
            move |results| {
                let ok: Vec<&str> = results
                    .iter()
                    .filter(|r| r.ok)
                    .map(|r| r.id.as_str())
                    .collect();
                let undo: Vec<_> = before
                    .iter()
                    .filter(|c| ok.contains(&c.task.id.as_str()))
                    .map(snapshot)
                    .collect();
                let n = ok.len();
                board.ui.offer_undo(
                    format!("{n} card{} {what}", if n == 1 { "" } else { "s" }),
                    undo,
                );
                let failed: Vec<BulkItem> = results.into_iter().filter(|r| !r.ok).collect();
                // Failed cards stay selected, to retry or look at.
                board
                    .ui
                    .selected
                    .set(failed.iter().map(|f| f.id.clone()).collect());
                report.set(Some(Report { done: n, failed }));
                board.refresh(ids);
            },
            move || board.refresh(again),
        );
    };
    let ask = move |action: BulkAction| {
        reason.set(String::new());
        confirming.set(Some(action));
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = confirming.get_untracked() else {
            return;
        };
        let action = match action {
            BulkAction::Block { .. } => {
                let r = reason.get_untracked();
                if r.trim().is_empty() {
                    return;
                }
                BulkAction::Block { reason: r }
            }
            BulkAction::Complete { .. } => BulkAction::Complete {
                summary: Some(reason.get_untracked()).filter(|s| !s.trim().is_empty()),
            },
            other => other,
        };
        confirming.set(None);
        run(action);
    };
    let reassign = move |_| {
        let a = assignee.get_untracked();
        run(BulkAction::Assign {
            assignee: Some(a.trim().to_string()).filter(|a| !a.is_empty() && a != "(unassigned)"),
            reclaim_first: reclaim_first.get_untracked() && fit.get_untracked().running,
        });
    };
    let set_priority = move |_| match priority.get_untracked().trim().parse::<i64>() {
        Ok(p) => run(BulkAction::Priority(p)),
        Err(_) => board.notify("Priority must be a whole number", true),
    };
    view! {
        <Show when=move || !board.ui.selected.with(|s| s.is_empty())>
            <div class="bulk-bar" role="toolbar" aria-label="Bulk actions">
                <strong>{move || format!("{} selected", count())}</strong>
                <Show when=move || fit.get().to_ready>
                    <button disabled=busy on:click=move |_| run(BulkAction::Move(Status::Ready))>
                        {move || if fit.get().unblock { "Unblock" } else { "→ Ready" }}
                    </button>
                </Show>
                <Show when=move || fit.get().complete>
                    <button disabled=busy on:click=move |_| ask(BulkAction::Complete { summary: None })>"Complete…"</button>
                </Show>
                <Show when=move || fit.get().block>
                    <button disabled=busy on:click=move |_| ask(BulkAction::Block { reason: String::new() })>"Block…"</button>
                </Show>
                <Show when=move || fit.get().archive>
                    <button disabled=busy class="danger" on:click=move |_| ask(BulkAction::Archive)>"Archive…"</button>
                </Show>
                <span class="group">
                    <select aria-label="Reassign to" on:change=move |ev| assignee.set(event_target_value(&ev))>
                        <option value="">"Reassign to…"</option>
                        <option value="(unassigned)">"Unassign"</option>
                        <For each=move || board.cards.assignees.get() key=|a| a.clone() let:a>
                            <option value=a.clone()>{a.clone()}</option>
                        </For>
                    </select>
                    // Taking a running card back first only means something
                    // when one is running.
                    <Show when=move || fit.get().running>
                        <label class="toggle">
                            <input type="checkbox" prop:checked=reclaim_first on:change=move |ev| reclaim_first.set(event_target_checked(&ev))/>
                            "reclaim first"
                        </label>
                    </Show>
                    <button disabled=busy on:click=reassign>"Reassign"</button>
                </span>
                <span class="group">
                    <input type="number" aria-label="Priority for selected" prop:value=priority on:input=move |ev| priority.set(event_target_value(&ev))/>
                    <button disabled=busy on:click=set_priority>"Set priority"</button>
                </span>
                <button on:click=move |_| board.ui.selected.set(Default::default())>"Clear"</button>
            </div>
        </Show>
        {move || confirming.get().map(|a| {
            let n = count();
            let (question, verb, field) = match a {
                BulkAction::Archive => (format!("Archive {n} cards? They leave the board."), "Archive", None),
                BulkAction::Block { .. } => (format!("Block {n} cards? Say what they wait for."), "Block", Some(("Reason", true))),
                _ => (format!("Complete {n} cards?"), "Complete", Some(("Summary", false))),
            };
            view! {
                <div class="modal-backdrop">
                    <form class="modal" role="dialog" aria-modal="true" aria-label="Confirm bulk action" on:submit=confirm>
                        <p>{question}</p>
                        {field.map(|(label, required)| view! {
                            <textarea aria-label=label required=required prop:value=reason
                                on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        })}
                        <div class="modal-actions">
                            <button type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
                            <button type="submit" class="primary">{verb}</button>
                        </div>
                    </form>
                </div>
            }
        })}
        {move || report.get().map(|r| {
            let partial = !r.failed.is_empty();
            view! {
            <div class="bulk-report" role="alert" class:partial=partial>
                <p>
                    {format!("{} succeeded", r.done)}
                    {partial.then(|| format!(", {} failed:", r.failed.len()))}
                </p>
                <ul>
                    {r.failed.into_iter().map(|f| view! {
                        <li><span class="card-id">{f.id.clone()}</span>" — "{f.error.unwrap_or_default()}</li>
                    }).collect_view()}
                </ul>
                <button aria-label="Dismiss" on:click=move |_| report.set(None)>"×"</button>
            </div>
            }
        })}
    }
}
