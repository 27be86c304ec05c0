//! The worker's log: the last 100 KB, a note when older output was left
//! out, and, while the task runs, new output as it is written.

use super::PanelCtx;
use crate::api::drawer::LOG_WINDOW;
use crate::board::store::BoardCtx;
use kernel::Status;
use leptos::html;
use leptos::prelude::*;

/// How often a running task's log is read again.
#[cfg(feature = "hydrate")]
const FOLLOW_MS: u64 = 1000;

#[component]
pub fn WorkerLog() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let initial = panel.part(|p| p.log.clone());
    let running = panel.part(|p| p.card.task.status == Status::Running);
    let text = RwSignal::new(String::new());
    let size = StoredValue::new(0u64);
    let truncated = RwSignal::new(false);
    let exists = RwSignal::new(false);
    let pre = NodeRef::<html::Pre>::new();
    // Start from what the drawer loaded, once.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(log) = initial.get() else {
            return false;
        };
        text.set(log.text);
        size.set_value(log.size);
        truncated.set(log.truncated);
        exists.set(log.exists);
        true
    });
    let _ = (board, running, &pre);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if running.get_untracked() != Some(true) || initial.with_untracked(|l| l.is_none())
                {
                    return;
                }
                let id = panel.id();
                let since = size.get_value();
                leptos::task::spawn_local(async move {
                    let Ok(chunk) = crate::api::drawer::task_log(board.slug(), id, since).await
                    else {
                        return;
                    };
                    if !chunk.exists || (chunk.text.is_empty() && !chunk.reset) {
                        return;
                    }
                    // Stay at the bottom if the reader was there.
                    let at_bottom = pre.get_untracked().is_none_or(|el| {
                        el.scroll_top() + el.client_height() >= el.scroll_height() - 20
                    });
                    exists.set(true);
                    size.set_value(chunk.size);
                    if chunk.reset {
                        truncated.set(chunk.truncated);
                        text.set(chunk.text);
                    } else {
                        text.update(|t| {
                            t.push_str(&chunk.text);
                            let excess = t.len().saturating_sub(LOG_WINDOW as usize);
                            if excess > 0 {
                                let cut = t.ceil_char_boundary(excess);
                                t.drain(..cut);
                                truncated.set(true);
                            }
                        });
                    }
                    if at_bottom {
                        if let Some(el) = pre.get_untracked() {
                            el.set_scroll_top(el.scroll_height());
                        }
                    }
                });
            },
            std::time::Duration::from_millis(FOLLOW_MS),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    view! {
        <section class="drawer-section" aria-label="Worker log">
            <h3>
                "Worker log"
                <Show when=move || running.get() == Some(true)>
                    <span class="following">"following"</span>
                </Show>
            </h3>
            <Show when=move || truncated.get()>
                <p class="muted">{format!("Showing the last {} KB; older output is in `baton log`.", LOG_WINDOW / 1024)}</p>
            </Show>
            <Show
                when=move || exists.get()
                fallback=|| view! { <p class="muted">"No log yet: no worker has been started for this task."</p> }
            >
                <pre class="log" node_ref=pre>{move || text.get()}</pre>
            </Show>
        </section>
    }
}
