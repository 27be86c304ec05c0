//! The dispatcher loop: a pass whenever the board changes (a wake-up from this
//! process, or a new event written by another one) and on a periodic tick.

use super::lock::{self, DispatchLock};
use super::{Dispatcher, PassOptions, PassReport};
use crate::error::{Error, Result};
use kernel::{Board, Home};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often the loop looks for events written by other processes.
const POLL: Duration = Duration::from_millis(100);
/// Passes in a row with ready work and nothing started before a warning.
const STARVED_PASSES: u32 = 3;
const WARN_EVERY: Duration = Duration::from_secs(300);

/// A wake-up call from code in the same process that just changed a board.
#[derive(Clone, Default)]
pub struct Wake(Arc<(Mutex<u64>, Condvar)>);

impl Wake {
    pub fn notify(&self) {
        let (count, cv) = &*self.0;
        *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        cv.notify_all();
    }

    /// Waits up to `timeout` for a notification newer than `seen`.
    pub fn wait(&self, seen: &mut u64, timeout: Duration) -> bool {
        let (count, cv) = &*self.0;
        let guard = count.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = cv
            .wait_timeout_while(guard, timeout, |c| *c == *seen)
            .unwrap_or_else(|p| p.into_inner());
        let woken = *guard != *seen;
        *seen = *guard;
        woken
    }
}

/// One board under a dispatcher: its lock, the dispatcher, and what the loop
/// remembers between passes.
struct BoardLoop {
    _lock: DispatchLock,
    dispatcher: Dispatcher,
    poll: Board,
    seen_event: i64,
    last_pass: Option<Instant>,
    starved: u32,
    last_warning: Option<Instant>,
}

impl BoardLoop {
    fn new(home: &Home, slug: &str, lock: DispatchLock) -> Result<BoardLoop> {
        Ok(BoardLoop {
            _lock: lock,
            dispatcher: Dispatcher::new(home.clone(), slug),
            poll: home.open_board(slug)?,
            seen_event: -1,
            last_pass: None,
            starved: 0,
            last_warning: None,
        })
    }

    /// Runs a pass if the board changed, if `force`, or if the tick is due.
    fn tick(
        &mut self,
        opts: &PassOptions,
        interval: Duration,
        force: bool,
    ) -> Result<Option<PassReport>> {
        let latest = self.poll.latest_event_id()?;
        let due = self.last_pass.is_none_or(|t| t.elapsed() >= interval);
        if !(force || due || latest != self.seen_event) {
            return Ok(None);
        }
        let report = self.dispatcher.pass(opts)?;
        self.last_pass = Some(Instant::now());
        // The pass's own events should not trigger another pass.
        self.seen_event = self.poll.latest_event_id()?;
        if report.starved() {
            self.starved += 1;
            if self.starved >= STARVED_PASSES
                && self.last_warning.is_none_or(|t| t.elapsed() >= WARN_EVERY)
            {
                self.last_warning = Some(Instant::now());
                tracing::warn!(board = %self.dispatcher.slug(), passes = self.starved, "{}", starvation_cause(&report));
            }
        } else {
            self.starved = 0;
        }
        Ok(Some(report))
    }
}

/// Why ready work is not being started, in words.
fn starvation_cause(r: &PassReport) -> String {
    if let Some(f) = r.spawn_failed.first() {
        return format!(
            "ready work is waiting but workers fail to start: {} ({})",
            f.error, f.task_id
        );
    }
    if let Some(c) = r.skipped_per_profile_capped.first() {
        return format!(
            "ready work is waiting but profile '{}' is at its max_concurrent ({} running)",
            c.assignee, c.running
        );
    }
    format!(
        "ready work is waiting but the board is at its max_concurrent ({} task(s) waiting)",
        r.skipped_capped.len()
    )
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
}

pub struct DaemonOptions {
    pub pass: PassOptions,
    pub interval: Duration,
    pub pidfile: Option<std::path::PathBuf>,
    pub verbose: bool,
}

/// `baton daemon`: dispatches one board until SIGINT or SIGTERM.
pub fn run_daemon(home: &Home, slug: &str, opts: DaemonOptions) -> Result<()> {
    install_signal_handlers();
    let board_dir = home.board_dir(slug);
    let lock = match DispatchLock::try_acquire(&board_dir)? {
        Some(l) => l,
        None => {
            let who = lock::holder(&lock::lock_path(&board_dir))
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default();
            eprintln!("baton: another dispatcher is active on board '{slug}'{who}; waiting for it to stop");
            // Polled rather than a blocking flock, so SIGTERM still stops a waiting daemon.
            loop {
                if STOP.load(Ordering::SeqCst) {
                    return Ok(());
                }
                if let Some(l) = DispatchLock::try_acquire(&board_dir)? {
                    break l;
                }
                std::thread::sleep(POLL);
            }
        }
    };
    if let Some(p) = &opts.pidfile {
        std::fs::write(p, format!("{}\n", std::process::id()))
            .map_err(|e| Error::io(format!("cannot write pidfile {}", p.display()), e))?;
    }
    eprintln!(
        "baton: dispatching board '{slug}' (tick {:.1}s; Ctrl-C to stop)",
        opts.interval.as_secs_f64()
    );
    let mut board_loop = BoardLoop::new(home, slug, lock)?;
    let notifier = {
        let slug = slug.to_string();
        crate::notifier::spawn(
            home.clone(),
            move || vec![slug.clone()],
            || STOP.load(Ordering::SeqCst),
            Wake::default(),
        )
    };
    let wake = Wake::default();
    let mut seen = 0;
    let result = loop {
        if STOP.load(Ordering::SeqCst) {
            break Ok(());
        }
        match board_loop.tick(&opts.pass, opts.interval, false) {
            Ok(Some(r)) if opts.verbose && !r.is_idle() => println!("{}", r.describe()),
            Ok(_) => {}
            Err(e) => tracing::error!(board = %slug, "dispatch pass failed: {e}"),
        }
        wake.wait(&mut seen, POLL);
    };
    STOP.store(true, Ordering::SeqCst);
    let _ = notifier.join();
    if let Some(p) = &opts.pidfile {
        let _ = std::fs::remove_file(p);
    }
    eprintln!("baton: dispatcher stopped");
    result
}

/// The dispatcher inside `baton serve`: every board whose lock is free, woken
/// by the server's own writes and by other processes' events. Shared with the
/// API so "dispatch now" runs a pass under the lock this process holds.
#[derive(Clone)]
pub struct ServerDispatcher {
    loops: Arc<Mutex<BTreeMap<String, BoardLoop>>>,
    wake: Wake,
    /// Wakes the notifier after a write here, so a finished task is reported at once.
    notify: Wake,
    stop: Arc<AtomicBool>,
    enabled: bool,
}

impl ServerDispatcher {
    /// Starts the dispatcher thread unless `enabled` is false (then the
    /// handle only answers "not held" and wake-ups go nowhere).
    /// With the dispatcher goes the notifier, over the same boards.
    pub fn start(
        home: Home,
        enabled: bool,
    ) -> (ServerDispatcher, Vec<std::thread::JoinHandle<()>>) {
        let d = ServerDispatcher {
            loops: Arc::default(),
            wake: Wake::default(),
            notify: Wake::default(),
            stop: Arc::default(),
            enabled,
        };
        let mut threads = Vec::new();
        if enabled {
            let me = d.clone();
            let notifier_home = home.clone();
            threads.push(
                std::thread::Builder::new()
                    .name("dispatcher".into())
                    .spawn(move || me.run(home))
                    .expect("the dispatcher thread starts"),
            );
            let (loops, stop) = (d.loops.clone(), d.stop.clone());
            threads.push(crate::notifier::spawn(
                notifier_home,
                move || {
                    let held = loops.lock().unwrap_or_else(|p| p.into_inner());
                    held.keys().cloned().collect()
                },
                move || stop.load(Ordering::SeqCst),
                d.notify.clone(),
            ));
        }
        (d, threads)
    }

    /// A handle for a process that dispatches nothing (the CLI, `baton mcp`).
    pub fn off() -> ServerDispatcher {
        ServerDispatcher {
            loops: Arc::default(),
            wake: Wake::default(),
            notify: Wake::default(),
            stop: Arc::default(),
            enabled: false,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Asks for a pass now, and the notifier for a round (something changed).
    pub fn wake(&self) {
        self.wake.notify();
        self.notify.notify();
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify();
        self.notify.notify();
    }

    /// Whether this process dispatches `slug`.
    pub fn holds(&self, slug: &str) -> bool {
        self.loops
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(slug)
    }

    /// Runs one pass on `slug` if this process dispatches it.
    pub fn pass_now(&self, slug: &str, opts: &PassOptions) -> Option<Result<PassReport>> {
        let mut loops = self.loops.lock().unwrap_or_else(|p| p.into_inner());
        loops.get_mut(slug).map(|l| l.dispatcher.pass(opts))
    }

    fn run(&self, home: Home) {
        let mut seen = 0;
        let mut last_scan: Option<Instant> = None;
        let mut woken = false;
        while !self.stop.load(Ordering::SeqCst) {
            let config = crate::config::Config::load(&home).unwrap_or_else(|e| {
                tracing::error!("{e}; dispatching with defaults");
                Default::default()
            });
            let interval = Duration::from_secs_f64(config.dispatcher.interval_seconds);
            {
                let mut loops = self.loops.lock().unwrap_or_else(|p| p.into_inner());
                if last_scan.is_none_or(|t| t.elapsed() >= interval) {
                    last_scan = Some(Instant::now());
                    adopt_free_boards(&home, &mut loops);
                }
                for (slug, l) in loops.iter_mut() {
                    match l.tick(&PassOptions::default(), interval, woken) {
                        Ok(Some(r)) if !r.is_idle() => {
                            tracing::info!(board = %slug, "{}", r.describe())
                        }
                        Ok(_) => {}
                        Err(e) => tracing::error!(board = %slug, "dispatch pass failed: {e}"),
                    }
                }
            }
            woken = self.wake.wait(&mut seen, POLL);
        }
    }
}

/// Takes the lock of every board not yet dispatched here whose lock is free,
/// and lets go of boards that were removed.
fn adopt_free_boards(home: &Home, loops: &mut BTreeMap<String, BoardLoop>) {
    for meta in home.list_boards(false) {
        if loops.contains_key(&meta.slug) {
            continue;
        }
        match DispatchLock::try_acquire(&home.board_dir(&meta.slug)) {
            Ok(Some(lock)) => match BoardLoop::new(home, &meta.slug, lock) {
                Ok(l) => {
                    loops.insert(meta.slug.clone(), l);
                }
                Err(e) => tracing::error!(board = %meta.slug, "cannot dispatch: {e}"),
            },
            Ok(None) => tracing::debug!(board = %meta.slug, "another dispatcher holds this board"),
            Err(e) => tracing::error!(board = %meta.slug, "cannot lock: {e}"),
        }
    }
    // A board removed or re-created under us is let go (its lock went with
    // the old folder); a re-created one is adopted again at the next scan.
    loops.retain(|slug, l| home.board_exists(slug) && l.poll.is_current_file());
}
