//! Dependencies: the task's parents and children as chips (× unlinks), and
//! adding either from a searchable list. A cycle is refused by the server
//! and its message shown.

use super::PanelCtx;
use crate::api::drawer::TaskRef;
use crate::api::tasks::{link_tasks, unlink_tasks};
use crate::board::call::call;
use crate::board::store::BoardCtx;
use crate::components::picker::TaskPicker;
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Parent,
    Child,
}

fn change(board: BoardCtx, panel: PanelCtx, side: Side, other: String, add: bool) {
    let me = panel.id();
    let (parent, child) = match side {
        Side::Parent => (other, me),
        Side::Child => (me, other),
    };
    let ids = vec![parent.clone(), child.clone()];
    let slug = board.slug();
    let change = async move {
        if add {
            link_tasks(slug, parent, child).await
        } else {
            unlink_tasks(slug, parent, child).await
        }
    };
    call(panel, None, change, move |_| {
        panel.ok();
        board.refresh(ids);
    });
}

#[component]
pub fn Dependencies() -> impl IntoView {
    let panel = expect_context::<PanelCtx>();
    let parents = panel.part(|p| p.parents.clone());
    let children = panel.part(|p| p.children.clone());
    // The task itself and everything already linked cannot be picked.
    let linked = Signal::derive(move || {
        let mut s: BTreeSet<String> = BTreeSet::new();
        s.insert(panel.id());
        for r in parents
            .get()
            .unwrap_or_default()
            .into_iter()
            .chain(children.get().unwrap_or_default())
        {
            s.insert(r.id);
        }
        s
    });
    view! {
        <section class="drawer-section" aria-label="Dependencies">
            <h3>"Dependencies"</h3>
            <LinkList title="Waits for (parents)" side=Side::Parent refs=parents linked/>
            <LinkList title="Unblocks (children)" side=Side::Child refs=children linked/>
        </section>
    }
}

#[component]
fn LinkList(
    title: &'static str,
    side: Side,
    refs: Signal<Option<Vec<TaskRef>>>,
    linked: Signal<BTreeSet<String>>,
) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let label = match side {
        Side::Parent => "Add a parent",
        Side::Child => "Add a child",
    };
    view! {
        <div class="links" data-side=match side { Side::Parent => "parents", Side::Child => "children" }>
            <h4>{title}</h4>
            <div class="chips">
                <For
                    each=move || refs.get().unwrap_or_default()
                    key=|r| (r.id.clone(), r.status)
                    children=move |r| {
                        let (open, unlink) = (r.id.clone(), r.id.clone());
                        view! {
                            <span class="chip" data-link=r.id.clone()>
                                <span class=format!("dot dot-{}", r.status)></span>
                                <button class="link" on:click=move |_| board.open(&open)>
                                    <span class="card-id">{r.id.clone()}</span>" "{r.title.clone()}
                                </button>
                                <button
                                    aria-label=format!("Unlink {}", r.id)
                                    on:click=move |_| change(board, panel, side, unlink.clone(), false)
                                >"×"</button>
                            </span>
                        }
                    }
                />
                <Show when=move || refs.with(|r| r.as_ref().is_none_or(|r| r.is_empty()))>
                    <span class="muted">"none"</span>
                </Show>
            </div>
            <TaskPicker
                label=label
                exclude=linked
                on_pick=Callback::new(move |other: String| change(board, panel, side, other, true))
            />
        </div>
    }
}
