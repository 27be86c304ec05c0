//! The notifier: delivers each subscription's terminal events to its
//! channel, in order, at least once. It runs wherever a board's dispatcher
//! runs (`baton serve`, `baton daemon`), so the dispatch lock also makes it
//! the board's only notifier. Cursors live in the board's database: after a
//! restart delivery resumes at the first event not yet confirmed.

pub mod channels;
pub mod deliver;
pub mod message;

use crate::config::Config;
use crate::dispatcher::Wake;
use crate::error::Result;
use deliver::Subject;
use kernel::notify::{ends_subscription, Pending};
use kernel::{Board, Home, NotifySub};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Events taken per subscription per round.
const BATCH: usize = 20;

type SubKey = (String, String, String, String, String);

fn key(slug: &str, s: &NotifySub) -> SubKey {
    (
        slug.to_string(),
        s.task_id.clone(),
        s.platform.clone(),
        s.chat_id.clone(),
        s.thread_id.clone().unwrap_or_default(),
    )
}

pub struct Notifier {
    home: Home,
    boards: HashMap<String, Board>,
    /// Subscriptions waiting out a retry delay.
    backoff: HashMap<SubKey, Instant>,
    /// Subscriptions already reported as naming no configured channel.
    warned: HashSet<SubKey>,
}

impl Notifier {
    pub fn new(home: Home) -> Notifier {
        Notifier {
            home,
            boards: HashMap::new(),
            backoff: HashMap::new(),
            warned: HashSet::new(),
        }
    }

    /// One look at each board: delivers what is due.
    pub fn round(&mut self, config: &Config, slugs: &[String]) {
        self.boards.retain(|slug, _| slugs.contains(slug));
        let agent = deliver::agent(Duration::from_secs_f64(config.notifier.timeout_seconds));
        for slug in slugs {
            if let Err(e) = self.board_round(config, &agent, slug) {
                tracing::error!(board = %slug, "notifier: {e}");
            }
        }
    }

    fn board_round(&mut self, config: &Config, agent: &ureq::Agent, slug: &str) -> Result<()> {
        if !self.boards.contains_key(slug) {
            let b = self.home.open_board(slug)?;
            self.boards.insert(slug.to_string(), b);
        }
        let pending = match self.boards.get_mut(slug) {
            Some(b) => b.pending_notifications(BATCH)?,
            None => return Ok(()),
        };
        let now = Instant::now();
        for p in pending {
            let k = key(slug, &p.sub);
            if self.backoff.get(&k).is_some_and(|until| *until > now) {
                continue;
            }
            let Some((name, channel)) = config.channel_for(&p.sub) else {
                if self.warned.insert(k) {
                    tracing::warn!(
                        board = %slug, task = %p.sub.task_id,
                        "notifier: subscription {} {} names no configured channel; its events wait until one is added",
                        p.sub.platform, p.sub.chat_id
                    );
                }
                continue;
            };
            self.warned.remove(&k);
            let board = self.boards.get_mut(slug).expect("opened above");
            match deliver_pending(board, slug, config, agent, channel, &p) {
                Ok(()) => {
                    self.backoff.remove(&k);
                }
                Err((failures, dropped, error)) => {
                    if dropped {
                        self.backoff.remove(&k);
                        tracing::warn!(
                            board = %slug, task = %p.sub.task_id, channel = %name,
                            "notifier: dropped the subscription after {failures} failed deliveries in a row (last: {error})"
                        );
                    } else {
                        let delay = config.notifier.retry_seconds
                            * 2f64.powi((failures - 1).clamp(0, 16) as i32);
                        self.backoff
                            .insert(k, now + Duration::from_secs_f64(delay.min(3600.0)));
                        tracing::warn!(
                            board = %slug, task = %p.sub.task_id, channel = %name,
                            "notifier: delivery failed ({error}); retrying in {delay:.1}s"
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

/// Delivers one subscription's events in order, stopping at the first
/// failure (which is counted; the error says whether it dropped the
/// subscription).
fn deliver_pending(
    board: &mut Board,
    slug: &str,
    config: &Config,
    agent: &ureq::Agent,
    channel: &crate::config::Channel,
    p: &Pending,
) -> std::result::Result<(), (i64, bool, String)> {
    let store_err = |e: kernel::KernelError| (0, false, e.to_string());
    for event in &p.events {
        let task = match board.get(&event.task_id) {
            Ok(t) => t,
            // The task was removed (gc); there is nobody to tell about it.
            Err(e) if e.kind() == kernel::ErrorKind::NotFound => {
                board.notify_delivered(&p.sub, event).map_err(store_err)?;
                continue;
            }
            Err(e) => return Err(store_err(e)),
        };
        let dashboard = config.notifier.dashboard_url.as_deref();
        if let Some(msg) = message::compose(slug, &task, event, dashboard) {
            let subject = Subject {
                board: slug,
                sub: &p.sub,
                task: &task,
                event,
            };
            let req = deliver::request(channel, &subject, &msg);
            if let Err(error) = deliver::send(agent, &req).map_err(|e| e.to_string()) {
                let limit = config.notifier.max_failures;
                let (failures, dropped) = board
                    .notify_failed(&p.sub, &error, limit)
                    .map_err(store_err)?;
                return Err((failures, dropped, error));
            }
            tracing::info!(board = %slug, task = %task.id, kind = %event.kind, "notified");
        }
        board.notify_delivered(&p.sub, event).map_err(store_err)?;
        if !p.sub.board_wide() && ends_subscription(&event.kind) {
            break;
        }
    }
    Ok(())
}

/// Runs the notifier on its own thread until `stopped()`, over the boards
/// `boards` names at each round (those this process dispatches). A round
/// also starts early when `wake` is notified (a write in this process).
pub fn spawn(
    home: Home,
    boards: impl Fn() -> Vec<String> + Send + 'static,
    stopped: impl Fn() -> bool + Send + 'static,
    wake: Wake,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("notifier".into())
        .spawn(move || {
            let mut n = Notifier::new(home.clone());
            let mut seen = 0;
            while !stopped() {
                let config = Config::load(&home).unwrap_or_else(|e| {
                    tracing::error!("{e}; notifying with defaults");
                    Config::default()
                });
                n.round(&config, &boards());
                // Waits in short steps so a stop is not held up.
                let until =
                    Instant::now() + Duration::from_secs_f64(config.notifier.interval_seconds);
                while Instant::now() < until && !stopped() {
                    let step = Duration::from_millis(50)
                        .min(until.saturating_duration_since(Instant::now()));
                    if wake.wait(&mut seen, step) {
                        break;
                    }
                }
            }
        })
        .expect("the notifier thread starts")
}
