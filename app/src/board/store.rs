//! The board's client state, in three parts each provided as its own
//! context: the cards (every card by id, with a version that changes
//! whenever the card does, so lists re-render only what changed), the
//! filters, and the transient UI. [`BoardCtx`] holds all three for code
//! that needs more than one.

use super::call::Report;
use super::rules::{column_order, needs_confirmation, Filter};
use crate::api::board::BoardData;
use crate::api::bulk::Restore;
use crate::api::tasks::MoveExtra;
use crate::error::AppError;
use kernel::{BoardSummary, Card, DashboardConfig, Status};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use super::rules::{column_label, columns, short_age, snapshot, staleness, PAGE};

/// A card as the store holds it: shared, so that column lists clone pointers.
pub type Shared = (u64, Arc<Card>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Connecting,
    Live,
    /// The stream dropped; the first try to reconnect is under way.
    Reconnecting,
    /// Tries to reconnect keep failing: the server is not answering.
    Offline,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub message: String,
    pub error: bool,
    pub id: u64,
}

/// An action that can be taken back for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoOffer {
    pub id: u64,
    pub label: String,
    pub items: Vec<Restore>,
}

/// How long an Undo stays on offer.
pub const UNDO_SECONDS: u64 = 10;

/// A move waiting for the person to confirm it (and, for blocked, give a reason).
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMove {
    pub id: String,
    pub title: String,
    pub to: Status,
}

/// The cards and what the server said about the board.
#[derive(Clone, Copy)]
pub struct Cards {
    pub slug: StoredValue<String>,
    pub cards: RwSignal<BTreeMap<String, Shared>>,
    next_version: StoredValue<u64>,
    pub now: RwSignal<i64>,
    pub latest_event_id: RwSignal<i64>,
    pub boards: RwSignal<Vec<BoardSummary>>,
    pub assignees: RwSignal<Vec<String>>,
    pub tenants: RwSignal<Vec<String>>,
    pub dispatcher_running: RwSignal<bool>,
    /// Profile names: who the dispatcher can start.
    pub profiles: RwSignal<Vec<String>>,
    pub config: StoredValue<DashboardConfig>,
}

/// What the toolbar narrows the board to, and how it is laid out.
#[derive(Clone, Copy)]
pub struct Filters {
    pub include_archived: RwSignal<bool>,
    pub search: RwSignal<String>,
    pub tenant: RwSignal<String>,
    pub assignee: RwSignal<String>,
    pub lanes: RwSignal<bool>,
}

/// The transient UI: the live badge, messages, dialogs, selection, undo,
/// navigation.
#[derive(Clone, Copy)]
pub struct Ui {
    pub live: RwSignal<Live>,
    pub toast: RwSignal<Option<Toast>>,
    pub banner: RwSignal<Option<String>>,
    /// The column a phone shows.
    pub mobile_column: RwSignal<Status>,
    pub pending: RwSignal<Option<PendingMove>>,
    /// Per column, how many cards are shown.
    pub limits: RwSignal<BTreeMap<Status, usize>>,
    /// Ids of the selected cards (for bulk actions).
    pub selected: RwSignal<BTreeSet<String>>,
    /// The column whose create form is open.
    pub creating: RwSignal<Option<Status>>,
    /// The keyboard shortcuts dialog.
    pub help: RwSignal<bool>,
    pub undo: RwSignal<Option<UndoOffer>>,
    /// Ids the latest live events touched (the drawer reloads on its own).
    pub changed: RwSignal<Vec<String>>,
    /// The task whose drawer is open (from the URL).
    pub drawer: Signal<Option<String>>,
    /// Goes to a path in the app (the router's navigate).
    pub go: Callback<String>,
    next_id: StoredValue<u64>,
}

#[derive(Clone, Copy)]
pub struct BoardCtx {
    pub cards: Cards,
    pub filters: Filters,
    pub ui: Ui,
}

fn card_map(page: &mut BoardData, version: impl Fn() -> u64) -> BTreeMap<String, Shared> {
    std::mem::take(&mut page.view.columns)
        .into_iter()
        .flat_map(|c| c.tasks)
        .map(|card| (card.task.id.clone(), (version(), Arc::new(card))))
        .collect()
}

impl Cards {
    fn new(mut page: BoardData) -> Cards {
        let cards = card_map(&mut page, || 0);
        Cards {
            slug: StoredValue::new(page.view.board),
            cards: RwSignal::new(cards),
            next_version: StoredValue::new(1),
            now: RwSignal::new(page.view.now),
            latest_event_id: RwSignal::new(page.view.latest_event_id),
            boards: RwSignal::new(page.boards),
            assignees: RwSignal::new(page.assignees),
            tenants: RwSignal::new(page.view.tenants),
            dispatcher_running: RwSignal::new(page.dispatcher_running),
            profiles: RwSignal::new(page.profiles),
            config: StoredValue::new(page.config),
        }
    }

    pub fn slug(&self) -> String {
        self.slug.get_value()
    }

    fn version(&self) -> u64 {
        let v = self.next_version.get_value();
        self.next_version.set_value(v + 1);
        v
    }

    /// Puts a card in (or replaces it), so only its view re-renders.
    pub fn upsert(&self, card: Card) {
        let v = self.version();
        if let Some(t) = card.task.tenant.clone() {
            self.tenants.update(|ts| {
                if !ts.contains(&t) {
                    ts.push(t);
                    ts.sort();
                }
            });
        }
        if let Some(a) = card.task.assignee.clone() {
            self.assignees.update(|xs| {
                if !xs.contains(&a) {
                    xs.push(a);
                    xs.sort();
                }
            });
        }
        self.cards.update(|m| {
            m.insert(card.task.id.clone(), (v, Arc::new(card)));
        });
    }

    pub fn card(&self, id: &str) -> Option<Card> {
        self.cards
            .with_untracked(|m| m.get(id).map(|(_, c)| Card::clone(c)))
    }

    /// Replaces every card (after a resync).
    pub fn replace_all(&self, mut page: BoardData) {
        let cards = card_map(&mut page, || self.version());
        self.cards.set(cards);
        self.latest_event_id.set(page.view.latest_event_id);
        self.tenants.set(page.view.tenants);
        self.assignees.set(page.assignees);
        self.dispatcher_running.set(page.dispatcher_running);
        self.profiles.set(page.profiles);
    }

    /// The visible cards of a column in board order, each with its version.
    pub fn column(&self, status: Status, filter: &Filter) -> Vec<Shared> {
        let mut out: Vec<Shared> = self.cards.with(|m| {
            m.values()
                .filter(|(_, c)| c.task.status == status && filter.passes(c))
                .cloned()
                .collect()
        });
        let order = column_order(status);
        out.sort_by(|a, b| order(&a.1, &b.1));
        out
    }

    /// Counts per status of every card (filters ignored), and the oldest ready age.
    pub fn stats(&self) -> (BTreeMap<Status, usize>, Option<i64>) {
        let now = self.now.get();
        self.cards.with(|m| {
            let mut counts = BTreeMap::new();
            let mut oldest: Option<i64> = None;
            for (_, c) in m.values() {
                *counts.entry(c.task.status).or_insert(0) += 1;
                if c.task.status == Status::Ready {
                    let age = now - c.task.created_at;
                    oldest = Some(oldest.map_or(age, |o| o.max(age)));
                }
            }
            (counts, oldest)
        })
    }
}

impl Filters {
    fn new(config: &DashboardConfig) -> Filters {
        Filters {
            include_archived: RwSignal::new(config.include_archived_by_default),
            search: RwSignal::new(String::new()),
            tenant: RwSignal::new(config.default_tenant.clone()),
            assignee: RwSignal::new(String::new()),
            lanes: RwSignal::new(config.lane_by_profile),
        }
    }

    /// The search and filters as they are now.
    pub fn filter(&self) -> Filter {
        Filter::new(&self.search.get(), &self.tenant.get(), &self.assignee.get())
    }
}

impl Ui {
    fn new(drawer: Signal<Option<String>>, go: Callback<String>) -> Ui {
        Ui {
            live: RwSignal::new(Live::Connecting),
            toast: RwSignal::new(None),
            banner: RwSignal::new(None),
            mobile_column: RwSignal::new(Status::Ready),
            pending: RwSignal::new(None),
            limits: RwSignal::new(BTreeMap::new()),
            selected: RwSignal::new(BTreeSet::new()),
            creating: RwSignal::new(None),
            help: RwSignal::new(false),
            undo: RwSignal::new(None),
            changed: RwSignal::new(Vec::new()),
            drawer,
            go,
            next_id: StoredValue::new(1),
        }
    }

    fn next_id(&self) -> u64 {
        let v = self.next_id.get_value();
        self.next_id.set_value(v + 1);
        v
    }

    pub fn notify(&self, message: impl Into<String>, error: bool) {
        let id = self.next_id();
        self.toast.set(Some(Toast {
            message: message.into(),
            error,
            id,
        }));
        let toast = self.toast;
        set_timeout(
            move || {
                toast.update(|t| {
                    if t.as_ref().is_some_and(|t| t.id == id) {
                        *t = None;
                    }
                })
            },
            std::time::Duration::from_secs(if error { 8 } else { 4 }),
        );
    }

    /// Offers to take an action back for [`UNDO_SECONDS`].
    pub fn offer_undo(&self, label: String, items: Vec<Restore>) {
        if items.is_empty() {
            return;
        }
        let id = self.next_id();
        self.undo.set(Some(UndoOffer { id, label, items }));
        let undo = self.undo;
        set_timeout(
            move || {
                undo.update(|u| {
                    if u.as_ref().is_some_and(|u| u.id == id) {
                        *u = None;
                    }
                })
            },
            std::time::Duration::from_secs(UNDO_SECONDS),
        );
    }

    pub fn toggle_selected(&self, id: &str) {
        self.selected.update(|s| {
            if !s.remove(id) {
                s.insert(id.to_string());
            }
        });
    }
}

/// A failed call on the board is a toast.
impl Report for Ui {
    fn report(&self, e: &AppError) {
        self.notify(e.to_string(), true);
    }
}

impl Report for BoardCtx {
    fn report(&self, e: &AppError) {
        self.ui.report(e)
    }
}

impl BoardCtx {
    /// The three parts of a loaded board page, each also provided as its
    /// own context.
    pub fn new(page: BoardData, drawer: Signal<Option<String>>, go: Callback<String>) -> BoardCtx {
        let filters = Filters::new(&page.config);
        BoardCtx {
            cards: Cards::new(page),
            filters,
            ui: Ui::new(drawer, go),
        }
    }

    /// Provides the parts to the components below.
    pub fn provide(self) {
        provide_context(self);
        provide_context(self.cards);
        provide_context(self.filters);
        provide_context(self.ui);
    }

    pub fn slug(&self) -> String {
        self.cards.slug()
    }

    /// Runs `f` each time the live stream comes back after being down
    /// (the server is answering again).
    pub fn on_back_online(&self, f: impl Fn() + 'static) {
        let live = self.ui.live;
        Effect::new(move |was: Option<Live>| {
            let now = live.get();
            if now == Live::Live && was.is_some_and(|w| w != Live::Live) {
                f();
            }
            now
        });
    }

    /// Opens a task's drawer (its own URL).
    pub fn open(&self, id: &str) {
        self.ui.go.run(format!("/tasks/{id}"));
    }

    /// Closes the drawer, back to the board's URL, and gives focus back to
    /// the card it was opened from (keyboard users keep their place).
    pub fn close_drawer(&self) {
        let was = self.ui.drawer.get_untracked();
        self.ui.go.run(format!("/boards/{}", self.slug()));
        #[cfg(feature = "hydrate")]
        if let Some(id) = was {
            // After the route change has rendered.
            leptos::prelude::set_timeout(
                move || {
                    use wasm_bindgen::JsCast;
                    let card = document()
                        .query_selector(&format!("article.card[data-task-id=\"{id}\"]"))
                        .ok()
                        .flatten()
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                    if let Some(card) = card {
                        let _ = card.focus();
                    }
                },
                std::time::Duration::from_millis(0),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = was;
    }

    pub fn upsert(&self, card: Card) {
        self.cards.upsert(card);
    }

    pub fn card(&self, id: &str) -> Option<Card> {
        self.cards.card(id)
    }

    pub fn notify(&self, message: impl Into<String>, error: bool) {
        self.ui.notify(message, error);
    }

    /// Takes a card off the board (and out of the selection).
    pub fn remove(&self, id: &str) {
        self.cards.cards.update(|m| {
            m.remove(id);
        });
        if self.ui.selected.with_untracked(|s| s.contains(id)) {
            self.ui.selected.update(|s| {
                s.remove(id);
            });
        }
    }

    /// The visible cards of a column, with the filters as they are.
    pub fn column(&self, status: Status) -> Vec<Shared> {
        self.cards.column(status, &self.filters.filter())
    }

    /// Re-reads cards from the server and puts them in (or drops the gone).
    pub fn refresh(&self, ids: Vec<String>) {
        let ctx = *self;
        leptos::task::spawn_local(async move {
            match crate::api::board::load_cards(ctx.slug(), ids).await {
                Ok(updates) => {
                    for u in updates {
                        match u.card {
                            Some(card)
                                if card.task.status != Status::Archived
                                    || ctx.filters.include_archived.get_untracked() =>
                            {
                                ctx.upsert(card)
                            }
                            _ => ctx.remove(&u.id),
                        }
                    }
                }
                Err(e) => leptos::logging::warn!("could not refresh cards: {e}"),
            }
        });
    }
}

/// Asks for a move: done, archived and blocked are confirmed first (blocked
/// with a reason); the rest happen at once.
pub fn request_move(ctx: BoardCtx, id: &str, to: Status) {
    let Some(card) = ctx.card(id) else { return };
    if needs_confirmation(to) {
        ctx.ui.pending.set(Some(PendingMove {
            id: id.to_string(),
            title: card.task.title,
            to,
        }));
    } else {
        perform_move(ctx, id.to_string(), to, MoveExtra::default());
    }
}

/// Moves the card on screen at once, then asks the server; a refusal puts
/// the card back and shows the server's message, a success offers Undo.
pub fn perform_move(ctx: BoardCtx, id: String, to: Status, extra: MoveExtra) {
    let Some(before) = ctx.card(&id) else { return };
    let mut moved = before.clone();
    moved.task.status = to;
    ctx.upsert(moved);
    let put_back = before.clone();
    super::call::call_or(
        ctx,
        None,
        crate::api::tasks::move_task(ctx.slug(), id, to, extra),
        move |card| {
            ctx.upsert(card);
            ctx.ui.offer_undo(
                format!("Moved “{}” to {}", before.task.title, column_label(to)),
                vec![snapshot(&before)],
            );
        },
        move || ctx.upsert(put_back),
    );
}

/// Takes back the offered action: every card goes back as it was.
pub fn undo(ctx: BoardCtx) {
    let Some(offer) = ctx.ui.undo.get_untracked() else {
        return;
    };
    ctx.ui.undo.set(None);
    let ids: Vec<String> = offer.items.iter().map(|r| r.id.clone()).collect();
    let again = ids.clone();
    super::call::call_or(
        ctx,
        None,
        crate::api::bulk::restore_tasks(ctx.slug(), offer.items),
        move |results| {
            let failed: Vec<String> = results
                .iter()
                .filter(|r| !r.ok)
                .map(|r| format!("{}: {}", r.id, r.error.clone().unwrap_or_default()))
                .collect();
            if failed.is_empty() {
                ctx.notify(format!("Undone: {}", offer.label), false);
            } else {
                ctx.notify(
                    format!("Could not undo everything — {}", failed.join("; ")),
                    true,
                );
            }
            ctx.refresh(ids);
        },
        move || ctx.refresh(again),
    );
}
