//! The board's client state: every card by id (with a version that changes
//! whenever the card does, so lists re-render only what changed), the
//! filters, and the transient UI state.

use crate::api::board::BoardData;
use crate::api::bulk::Restore;
use crate::api::tasks::MoveExtra;
use kernel::{BoardSummary, Card, DashboardConfig, Status};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A card as the store holds it: shared, so that column lists clone pointers.
pub type Shared = (u64, Arc<Card>);

/// Cards shown per column before "show more".
pub const PAGE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Connecting,
    Live,
    Reconnecting,
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

#[derive(Clone, Copy)]
pub struct BoardCtx {
    pub slug: StoredValue<String>,
    pub cards: RwSignal<BTreeMap<String, Shared>>,
    next_version: StoredValue<u64>,
    pub include_archived: RwSignal<bool>,
    pub search: RwSignal<String>,
    pub tenant: RwSignal<String>,
    pub assignee: RwSignal<String>,
    pub lanes: RwSignal<bool>,
    pub live: RwSignal<Live>,
    pub toast: RwSignal<Option<Toast>>,
    pub banner: RwSignal<Option<String>>,
    pub now: RwSignal<i64>,
    pub latest_event_id: RwSignal<i64>,
    pub boards: RwSignal<Vec<BoardSummary>>,
    pub assignees: RwSignal<Vec<String>>,
    pub tenants: RwSignal<Vec<String>>,
    pub dispatcher_running: RwSignal<bool>,
    pub config: StoredValue<DashboardConfig>,
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
}

impl BoardCtx {
    pub fn new(page: BoardData, drawer: Signal<Option<String>>, go: Callback<String>) -> BoardCtx {
        let mut cards = BTreeMap::new();
        for card in page.view.columns.into_iter().flat_map(|c| c.tasks) {
            cards.insert(card.task.id.clone(), (0, Arc::new(card)));
        }
        BoardCtx {
            slug: StoredValue::new(page.view.board),
            cards: RwSignal::new(cards),
            next_version: StoredValue::new(1),
            include_archived: RwSignal::new(page.config.include_archived_by_default),
            search: RwSignal::new(String::new()),
            tenant: RwSignal::new(page.config.default_tenant.clone()),
            assignee: RwSignal::new(String::new()),
            lanes: RwSignal::new(page.config.lane_by_profile),
            live: RwSignal::new(Live::Connecting),
            toast: RwSignal::new(None),
            banner: RwSignal::new(None),
            now: RwSignal::new(page.view.now),
            latest_event_id: RwSignal::new(page.view.latest_event_id),
            boards: RwSignal::new(page.boards),
            assignees: RwSignal::new(page.assignees),
            tenants: RwSignal::new(page.view.tenants),
            dispatcher_running: RwSignal::new(page.dispatcher_running),
            config: StoredValue::new(page.config),
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
        }
    }

    /// Opens a task's drawer (its own URL).
    pub fn open(&self, id: &str) {
        self.go.run(format!("/tasks/{id}"));
    }

    /// Closes the drawer, back to the board's URL.
    pub fn close_drawer(&self) {
        self.go.run(format!("/boards/{}", self.slug()));
    }

    pub fn toggle_selected(&self, id: &str) {
        self.selected.update(|s| {
            if !s.remove(id) {
                s.insert(id.to_string());
            }
        });
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
                                    || ctx.include_archived.get_untracked() =>
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

    /// Offers to take an action back for [`UNDO_SECONDS`].
    pub fn offer_undo(&self, label: String, items: Vec<Restore>) {
        if items.is_empty() {
            return;
        }
        let id = self.version();
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

    pub fn remove(&self, id: &str) {
        self.cards.update(|m| {
            m.remove(id);
        });
        if self.selected.with_untracked(|s| s.contains(id)) {
            self.selected.update(|s| {
                s.remove(id);
            });
        }
    }

    pub fn card(&self, id: &str) -> Option<Card> {
        self.cards
            .with_untracked(|m| m.get(id).map(|(_, c)| Card::clone(c)))
    }

    /// Replaces every card (after a resync).
    pub fn replace_all(&self, page: BoardData) {
        let mut cards = BTreeMap::new();
        for card in page.view.columns.into_iter().flat_map(|c| c.tasks) {
            cards.insert(card.task.id.clone(), (self.version(), Arc::new(card)));
        }
        self.cards.set(cards);
        self.latest_event_id.set(page.view.latest_event_id);
        self.tenants.set(page.view.tenants);
        self.assignees.set(page.assignees);
        self.dispatcher_running.set(page.dispatcher_running);
    }

    pub fn notify(&self, message: impl Into<String>, error: bool) {
        let id = self.version();
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

    /// The search and filters as they are now.
    pub fn filter(&self) -> Filter {
        Filter {
            tenant: self.tenant.get(),
            assignee: self.assignee.get(),
            words: self
                .search
                .get()
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        }
    }

    /// The visible cards of a column in board order (priority, then age),
    /// each with its version.
    pub fn column(&self, status: Status) -> Vec<Shared> {
        let filter = self.filter();
        let mut out: Vec<Shared> = self.cards.with(|m| {
            m.values()
                .filter(|(_, c)| c.task.status == status && filter.passes(c))
                .cloned()
                .collect()
        });
        out.sort_by(|a, b| {
            b.1.task
                .priority
                .cmp(&a.1.task.priority)
                .then(a.1.task.created_at.cmp(&b.1.task.created_at))
                .then(a.1.task.id.cmp(&b.1.task.id))
        });
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

/// What the toolbar narrows the board to.
pub struct Filter {
    pub tenant: String,
    /// An assignee name, `(unassigned)`, or empty for everyone.
    pub assignee: String,
    /// Lower-cased search words; a card must contain every one.
    pub words: Vec<String>,
}

impl Filter {
    pub fn passes(&self, card: &Card) -> bool {
        let t = &card.task;
        if !self.tenant.is_empty() && t.tenant.as_deref() != Some(self.tenant.as_str()) {
            return false;
        }
        if !self.assignee.is_empty() {
            let wanted = (self.assignee != "(unassigned)").then_some(self.assignee.as_str());
            if t.assignee.as_deref() != wanted {
                return false;
            }
        }
        if self.words.is_empty() {
            return true;
        }
        // Like the reference, search reaches the body and the result too.
        let hay = [
            t.id.as_str(),
            &t.title,
            t.assignee.as_deref().unwrap_or(""),
            t.tenant.as_deref().unwrap_or(""),
            t.body.as_deref().unwrap_or(""),
            t.result.as_deref().unwrap_or(""),
        ]
        .join("\n")
        .to_lowercase();
        self.words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// Asks for a move: done, archived and blocked are confirmed first (blocked
/// with a reason); the rest happen at once.
pub fn request_move(ctx: BoardCtx, id: &str, to: Status) {
    let Some(card) = ctx.card(id) else { return };
    if matches!(to, Status::Done | Status::Archived | Status::Blocked) {
        ctx.pending.set(Some(PendingMove {
            id: id.to_string(),
            title: card.task.title,
            to,
        }));
    } else {
        perform_move(ctx, id.to_string(), to, MoveExtra::default());
    }
}

/// What to restore to undo a change to `card`.
pub fn snapshot(card: &Card) -> Restore {
    Restore {
        id: card.task.id.clone(),
        status: card.task.status,
        assignee: card.task.assignee.clone(),
        priority: card.task.priority,
        block_reason: None,
    }
}

/// Moves the card on screen at once, then asks the server; a refusal puts
/// the card back and shows the server's message, a success offers Undo.
pub fn perform_move(ctx: BoardCtx, id: String, to: Status, extra: MoveExtra) {
    let Some(before) = ctx.card(&id) else { return };
    let mut moved = before.clone();
    moved.task.status = to;
    ctx.upsert(moved);
    leptos::task::spawn_local(async move {
        match crate::api::tasks::move_task(ctx.slug(), id, to, extra).await {
            Ok(card) => {
                ctx.upsert(card);
                ctx.offer_undo(
                    format!("Moved “{}” to {}", before.task.title, column_label(to)),
                    vec![snapshot(&before)],
                );
            }
            Err(e) => {
                ctx.upsert(before);
                ctx.notify(e.to_string(), true);
            }
        }
    });
}

/// Takes back the offered action: every card goes back as it was.
pub fn undo(ctx: BoardCtx) {
    let Some(offer) = ctx.undo.get_untracked() else {
        return;
    };
    ctx.undo.set(None);
    let ids: Vec<String> = offer.items.iter().map(|r| r.id.clone()).collect();
    leptos::task::spawn_local(async move {
        match crate::api::bulk::restore_tasks(ctx.slug(), offer.items).await {
            Ok(results) => {
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
            }
            Err(e) => ctx.notify(e.to_string(), true),
        }
        ctx.refresh(ids);
    });
}

/// Columns shown, in board order.
pub fn columns(include_archived: bool) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| include_archived || *s != Status::Archived)
        .collect()
}

pub fn column_label(s: Status) -> &'static str {
    match s {
        Status::Triage => "Triage",
        Status::Todo => "Todo",
        Status::Ready => "Ready",
        Status::Running => "In progress",
        Status::Blocked => "Blocked",
        Status::Done => "Done",
        Status::Archived => "Archived",
    }
}

/// "just now", "5m", "3h", "2d".
pub fn short_age(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        "just now".into()
    } else if s < 3600 {
        format!("{}m ago", s / 60)
    } else if s < 86400 {
        format!("{}h ago", s / 3600)
    } else {
        format!("{}d ago", s / 86400)
    }
}

/// The stale border of a card: amber and red thresholds per status, on the
/// time since it started (running) or was created.
pub fn staleness(card: &Card, now: i64) -> Option<&'static str> {
    let t = &card.task;
    let (age, amber, red) = match t.status {
        Status::Running => (now - t.started_at.unwrap_or(t.created_at), 600, 3600),
        Status::Ready => (now - t.created_at, 3600, 86400),
        Status::Todo => (now - t.created_at, 7 * 86400, 30 * 86400),
        Status::Blocked => (now - t.created_at, 3600, 86400),
        _ => return None,
    };
    if age >= red {
        Some("stale-red")
    } else if age >= amber {
        Some("stale-amber")
    } else {
        None
    }
}
