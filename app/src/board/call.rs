//! Calling a server function from an event handler: in the background, with
//! a failure reported where the person is looking (a toast on the board, the
//! error line of the drawer) and an optional busy flag held meanwhile.

use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

/// Where a failed call is told.
pub trait Report: Copy + 'static {
    fn report(&self, e: &AppError);
}

/// An error line: the message replaces what it showed.
impl Report for RwSignal<Option<String>> {
    fn report(&self, e: &AppError) {
        self.set(Some(e.to_string()));
    }
}

/// Runs `call`; `done` gets its answer, a failure goes to `to`.
pub fn call<T: 'static>(
    to: impl Report,
    busy: Option<RwSignal<bool>>,
    call: impl Future<Output = Result<T, AppError>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    call_or(to, busy, call, done, || {});
}

/// As [`call`]; on a failure `failed` also runs (to put back an optimistic
/// change).
pub fn call_or<T: 'static>(
    to: impl Report,
    busy: Option<RwSignal<bool>>,
    call: impl Future<Output = Result<T, AppError>> + 'static,
    done: impl FnOnce(T) + 'static,
    failed: impl FnOnce() + 'static,
) {
    if let Some(b) = busy {
        b.set(true);
    }
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(v) => done(v),
            Err(e) => {
                to.report(&e);
                failed();
            }
        }
        if let Some(b) = busy {
            b.set(false);
        }
    });
}
