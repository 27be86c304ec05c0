//! A status column: header with count and `+`, the cards (grouped by
//! assignee in lanes when asked), and "show more" for long columns.

use crate::board::dnd::DragCtx;
use crate::board::store::{column_label, BoardCtx, Shared, PAGE};
use crate::components::card::CardView;
use crate::components::create::create_form;
use crate::components::lazy::lazy_view;
use kernel::Status;
use leptos::prelude::*;
use std::collections::BTreeMap;

fn cards_view(cards: Vec<Shared>) -> impl IntoView {
    view! {
        <For each=move || cards.clone() key=|(v, c)| (c.task.id.clone(), *v) children=|(_, c)| view! { <CardView card=c/> }/>
    }
}

#[component]
pub fn ColumnView(status: Status) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let drag = expect_context::<DragCtx>();
    let cards = Memo::new(move |_| board.column(status));
    let limit = move || {
        board
            .ui
            .limits
            .with(|l| l.get(&status).copied().unwrap_or(PAGE))
    };
    let creating = move || board.ui.creating.get() == Some(status);
    let target = move || drag.is_target(status);
    let shown = move || cards.with(|c| c.iter().take(limit()).cloned().collect::<Vec<_>>());
    let lanes = move || board.filters.lanes.get() && status == Status::Running;
    let body = move || {
        if lanes() {
            let mut groups: BTreeMap<String, Vec<Shared>> = BTreeMap::new();
            for (v, c) in shown() {
                let who = c
                    .task
                    .assignee
                    .clone()
                    .unwrap_or_else(|| "unassigned".into());
                groups.entry(who).or_default().push((v, c));
            }
            groups
                .into_iter()
                .map(|(who, cs)| {
                    view! {
                        <div class="lane" data-lane=who.clone()>
                            <h3 class="lane-head">{who.clone()} <span class="count">{cs.len()}</span></h3>
                            {cards_view(cs)}
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        } else {
            view! {
                <For each=shown key=|(v, c)| (c.task.id.clone(), *v) children=|(_, c)| view! { <CardView card=c/> }/>
            }
            .into_any()
        }
    };
    let more = move || {
        let (n, l) = (cards.with(|c| c.len()), limit());
        (n > l).then(|| {
            view! {
                <button
                    class="show-more"
                    on:click=move |_| board.ui.limits.update(|m| {
                        *m.entry(status).or_insert(PAGE) += PAGE;
                    })
                >
                    {format!("Show {} more", (n - l).min(PAGE))}
                </button>
            }
        })
    };
    view! {
        <section
            class="column"
            class:drop-target=target
            class:mobile-active=move || board.ui.mobile_column.get() == status
            data-column=status.as_str()
            aria-label=column_label(status)
        >
            <header class="column-head">
                <span class=format!("dot dot-{status}")></span>
                <h2>{column_label(status)}</h2>
                <span class="count">{move || cards.with(|c| c.len())}</span>
                <button
                    class="add"
                    title=format!("New task in {}", column_label(status))
                    aria-label=format!("New task in {}", column_label(status))
                    on:click=move |_| board.ui.creating.update(|c| {
                        *c = if *c == Some(status) { None } else { Some(status) }
                    })
                >
                    "+"
                </button>
            </header>
            {(status == Status::Triage).then(|| view! { <p class="helper">"Ideas to specify; never dispatched."</p> })}
            {lazy_view(creating, move || create_form(status))}
            <div class="cards">{body}</div>
            {more}
        </section>
    }
}
