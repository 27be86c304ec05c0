//! Time as the kernel sees it: Unix seconds, from the system or, in tests,
//! from a hand that can be moved.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default, Debug)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock that reads `t` until moved with [`Clock::advance`] or [`Clock::set`].
    pub fn fixed(t: i64) -> Self {
        Clock(Some(Arc::new(AtomicI64::new(t))))
    }

    pub fn now(&self) -> i64 {
        match &self.0 {
            Some(t) => t.load(Ordering::SeqCst),
            None => system_now(),
        }
    }

    /// Moves a fixed clock; a system clock cannot be moved.
    pub fn advance(&self, seconds: i64) {
        if let Some(t) = &self.0 {
            t.fetch_add(seconds, Ordering::SeqCst);
        }
    }

    pub fn set(&self, at: i64) {
        if let Some(t) = &self.0 {
            t.store(at, Ordering::SeqCst);
        }
    }
}

pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
