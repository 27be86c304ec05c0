//! The live event stream: `GET /events` as Server-Sent Events. Writes made
//! through this server are pushed the moment they commit; writes by other
//! processes (CLI, workers, a daemon) are noticed by a 100 ms poll of the
//! event cursor. Every client reads from the event table by cursor, so a slow
//! client is never silently skipped past events: it catches up, or — when too
//! far behind — gets a `resync` message telling it to reload.

use super::{run, ApiError, ApiQuery, ApiResult};
use crate::ops::Ops;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use kernel::pool::BoardPool;
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use utoipa::IntoParams;

/// How often writes by other processes are looked for.
const POLL: Duration = Duration::from_millis(100);
/// Events fetched per read.
const BATCH: usize = 500;
/// A client this far behind is told to reload instead of replaying.
pub const RESYNC_GAP: i64 = 10_000;

/// The newest event id of each board someone is listening to.
#[derive(Clone)]
pub struct EventHub {
    pool: Arc<BoardPool>,
    boards: Arc<Mutex<HashMap<String, watch::Sender<i64>>>>,
    /// Set when the server stops: every stream says so and ends, so a
    /// graceful shutdown is not held up by open dashboards.
    closing: Arc<watch::Sender<bool>>,
}

impl EventHub {
    pub fn new(pool: Arc<BoardPool>) -> EventHub {
        EventHub {
            pool,
            boards: Arc::default(),
            closing: Arc::new(watch::channel(false).0),
        }
    }

    /// Starts a board's count again (it was re-created: its ids start over).
    fn reset(&self, slug: &str, id: i64) {
        if let Some(tx) = self
            .boards
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(slug)
        {
            tx.send_replace(id);
        }
    }

    /// Ends every stream: each gets a `shutdown` message, then its end.
    /// Tells when the server stops, for other streams to end with it.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Announces a board's new newest event (from any thread).
    pub fn bump(&self, slug: &str, id: i64) {
        if let Some(tx) = self
            .boards
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(slug)
        {
            tx.send_if_modified(|v| {
                let newer = id > *v;
                if newer {
                    *v = id;
                }
                newer
            });
        }
    }

    fn subscribe(&self, slug: &str, latest: i64) -> watch::Receiver<i64> {
        let mut boards = self.boards.lock().unwrap_or_else(|p| p.into_inner());
        boards
            .entry(slug.to_string())
            .or_insert_with(|| watch::channel(latest).0)
            .subscribe()
    }

    /// Watches for events written by other processes, for boards with listeners.
    pub fn spawn_poller(&self) -> tokio::task::JoinHandle<()> {
        let hub = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let watched: Vec<String> = {
                    let mut boards = hub.boards.lock().unwrap_or_else(|p| p.into_inner());
                    boards.retain(|_, tx| tx.receiver_count() > 0);
                    boards.keys().cloned().collect()
                };
                for slug in watched {
                    let pool = hub.pool.clone();
                    let s = slug.clone();
                    let latest =
                        tokio::task::spawn_blocking(move || pool.with(&s, |b| b.latest_event_id()))
                            .await;
                    if let Ok(Ok(id)) = latest {
                        hub.bump(&slug, id);
                    }
                }
            }
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EventsQuery {
    pub board: Option<String>,
    /// Start after this event id (default: after the newest; `Last-Event-ID` wins).
    pub since: Option<i64>,
}

struct Cursor {
    pool: Arc<BoardPool>,
    hub: EventHub,
    closing: watch::Receiver<bool>,
    /// The `shutdown` message went out; the stream ends next.
    said_goodbye: bool,
    slug: String,
    cursor: i64,
    rx: watch::Receiver<i64>,
    buf: VecDeque<SseEvent>,
}

impl Cursor {
    async fn next(mut self) -> Option<(Result<SseEvent, Infallible>, Cursor)> {
        loop {
            if *self.closing.borrow() {
                if self.said_goodbye {
                    return None;
                }
                self.said_goodbye = true;
                let note = serde_json::json!({"reason": "the server is stopping; reconnect later"});
                return Some((
                    Ok(SseEvent::default().event("shutdown").data(note.to_string())),
                    self,
                ));
            }
            if let Some(e) = self.buf.pop_front() {
                return Some((Ok(e), self));
            }
            let latest = *self.rx.borrow_and_update();
            if latest - self.cursor > RESYNC_GAP {
                self.cursor = latest;
                let note = serde_json::json!({"latest_event_id": latest, "reason": "too far behind; reload the board"});
                return Some((
                    Ok(SseEvent::default().event("resync").data(note.to_string())),
                    self,
                ));
            }
            let (pool, slug, after) = (self.pool.clone(), self.slug.clone(), self.cursor);
            let batch = tokio::task::spawn_blocking(move || {
                pool.with(&slug, |b| {
                    let batch = b.events_after(after, BATCH)?;
                    // Only a stream with nothing new can be ahead of its board.
                    let newest = match batch.last() {
                        Some(e) => e.id,
                        None => b.latest_event_id()?,
                    };
                    Ok::<_, kernel::KernelError>((batch, newest))
                })
            })
            .await;
            let (batch, newest) = match batch {
                Ok(Ok(b)) => b,
                // The board went away or the database failed: end the stream;
                // the browser reconnects with Last-Event-ID and resumes.
                _ => return None,
            };
            if newest < self.cursor {
                // The board was re-created under the stream: its ids start
                // again, so the client must reload.
                self.cursor = newest;
                self.hub.reset(&self.slug, newest);
                let note = serde_json::json!({"latest_event_id": newest, "reason": "the board was replaced; reload it"});
                return Some((
                    Ok(SseEvent::default().event("resync").data(note.to_string())),
                    self,
                ));
            }
            if batch.is_empty() {
                // Also re-check now and then in case a wake-up was missed.
                let mut closing = self.closing.clone();
                tokio::select! {
                    changed = tokio::time::timeout(Duration::from_secs(5), self.rx.changed()) => {
                        if let Ok(Err(_)) = changed {
                            return None;
                        }
                    }
                    _ = closing.changed() => {}
                }
                continue;
            }
            for e in batch {
                self.cursor = e.id;
                let data = serde_json::to_string(&e).expect("events serialise");
                self.buf
                    .push_back(SseEvent::default().id(e.id.to_string()).data(data));
            }
        }
    }
}

/// Live task events as Server-Sent Events; resumes after since or Last-Event-ID.
#[utoipa::path(get, path = "/api/v1/events", params(EventsQuery), responses(
    (status = 200, content_type = "text/event-stream",
     description = "one message per task event: id = event id, data = {id, task_id, run_id, kind, payload, created_at}; \
                    a `resync` message when the client is too far behind"),
    (status = 400, description = "malformed board"), (status = 404, description = "unknown board")))]
pub async fn stream(
    State(ops): State<Ops>,
    State(hub): State<EventHub>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let resume = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be an event id"))?,
        ),
        None => None,
    };
    let pool = ops.pool().clone();
    let board = q.board.clone();
    let (slug, latest) = run(ops, move |ops| {
        let slug = ops.slug(board.as_deref())?;
        let latest = ops.read(Some(&slug), |b| Ok(b.latest_event_id()?))?;
        Ok((slug, latest))
    })
    .await?;
    let cursor = resume.or(q.since).unwrap_or(latest).max(0);
    let rx = hub.subscribe(&slug, latest);
    let state = Cursor {
        pool,
        hub: hub.clone(),
        closing: hub.closing.subscribe(),
        said_goodbye: false,
        slug,
        cursor,
        rx,
        buf: VecDeque::new(),
    };
    let stream = futures_util::stream::unfold(state, Cursor::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
