//! An agent's run as a conversation: its messages, its tool calls (folded,
//! with their input), their results (long ones folded), errors and the final
//! answer, with the run's usage — and, while the task runs, new entries as
//! the agent writes them.

use super::PanelCtx;
use crate::board::store::BoardCtx;
use kernel::agent::{Entry, Transcript, Usage};
use kernel::Status;
use leptos::prelude::*;

/// How often a running agent's transcript is read again.
#[cfg(feature = "hydrate")]
const FOLLOW_MS: u64 = 1000;

/// Outputs longer than this are folded behind their first line.
const FOLD_CHARS: usize = 300;

fn usage_line(agent: &str, u: &Usage) -> String {
    let mut s = format!("{agent} · {} in · {} out", u.input_tokens, u.output_tokens);
    if u.cache_read_tokens > 0 {
        s.push_str(&format!(" · {} cached", u.cache_read_tokens));
    }
    if let Some(c) = u.cost_usd {
        s.push_str(&format!(" · ${c:.4}"));
    }
    if let Some(m) = &u.model {
        s.push_str(&format!(" · {m}"));
    }
    s
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    kernel::ellipsize(line, max)
}

fn entry_view(e: Entry) -> AnyView {
    match e {
        Entry::Session { model, .. } => view! {
            <li class="tx-session">{format!("Agent started{}", model.map(|m| format!(" · {m}")).unwrap_or_default())}</li>
        }
        .into_any(),
        Entry::Message { role, text } => view! {
            <li class=format!("tx-message tx-{role}")>
                <span class="tx-role">{role.clone()}</span>
                <p>{text}</p>
            </li>
        }
        .into_any(),
        Entry::ToolCall { name, input, .. } => {
            let input = serde_json::to_string_pretty(&input).unwrap_or_default();
            view! {
                <li class="tx-call">
                    <details>
                        <summary><span class="tx-tool">{name}</span>" "<code>{first_line(&input.replace('\n', " "), 80)}</code></summary>
                        <pre>{input}</pre>
                    </details>
                </li>
            }
            .into_any()
        }
        Entry::ToolResult { output, is_error, omitted, .. } => {
            let class = if is_error { "tx-result tx-error" } else { "tx-result" };
            let more = (omitted > 0).then(|| format!(" ({omitted} more characters in `baton transcript`)"));
            if output.chars().count() > FOLD_CHARS || output.lines().count() > 4 {
                view! {
                    <li class=class>
                        <details>
                            <summary>{first_line(&output, 100)}</summary>
                            <pre>{output}{more}</pre>
                        </details>
                    </li>
                }
                .into_any()
            } else {
                view! { <li class=class><pre>{output}{more}</pre></li> }.into_any()
            }
        }
        Entry::Error { message } => view! { <li class="tx-error" role="note">{format!("Error: {message}")}</li> }.into_any(),
        Entry::Result { text, is_error } => {
            let label = if is_error { "Ended with an error" } else { "Final answer" };
            view! {
                <li class="tx-final">
                    <span class="tx-role">{label}</span>
                    {(!text.is_empty()).then(|| view! { <p>{text}</p> })}
                </li>
            }
            .into_any()
        }
        Entry::Raw { text } => view! { <li class="tx-raw"><code>{text}</code></li> }.into_any(),
    }
}

#[component]
pub fn Conversation() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    let initial = panel.part(|p| p.transcript.clone());
    let running = panel.part(|p| p.card.task.status == Status::Running);
    let transcript = RwSignal::new(None::<Transcript>);
    Effect::new(move |_| {
        if let Some(t) = initial.get() {
            transcript.set(t);
        }
    });
    let _ = (board, running);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if running.get_untracked() != Some(true) {
                    return;
                }
                let Some((run, since)) = transcript
                    .with_untracked(|t| t.as_ref().map(|t| (t.run_id, t.start + t.entries.len())))
                else {
                    return;
                };
                let id = panel.id();
                leptos::task::spawn_local(async move {
                    let Ok(Some(more)) =
                        crate::api::drawer::task_transcript(board.slug(), id, run, since).await
                    else {
                        return;
                    };
                    transcript.update(|t| {
                        let Some(t) = t.as_mut() else { return };
                        t.usage = more.usage;
                        t.total = more.total;
                        t.malformed = more.malformed;
                        t.unknown = more.unknown;
                        t.entries.extend(more.entries);
                        let cut = t
                            .entries
                            .len()
                            .saturating_sub(crate::api::drawer::TRANSCRIPT_SHOWN);
                        t.entries.drain(..cut);
                        t.start += cut;
                    });
                });
            },
            std::time::Duration::from_millis(FOLLOW_MS),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    move || {
        transcript.get().map(|t| {
            let head = usage_line(&t.agent, &t.usage);
            let earlier = (t.start > 0).then(|| {
                format!(
                    "{} earlier entries are in `baton transcript {} --run {}`.",
                    t.start, t.task_id, t.run_id
                )
            });
            let unread = (t.malformed + t.unknown > 0).then(|| {
                format!(
                    "{} lines Baton could not read are shown as they were.",
                    t.malformed + t.unknown
                )
            });
            view! {
                <section class="drawer-section conversation" aria-label="Conversation">
                    <h3>
                        {format!("Conversation · run {}", t.run_id)}
                        <Show when=move || running.get() == Some(true)>
                            <span class="following">"following"</span>
                        </Show>
                    </h3>
                    <p class="muted tx-usage">{head}</p>
                    {earlier.map(|e| view! { <p class="muted">{e}</p> })}
                    <ol class="transcript">{t.entries.into_iter().map(entry_view).collect_view()}</ol>
                    {unread.map(|e| view! { <p class="muted">{e}</p> })}
                </section>
            }
        })
    }
}
