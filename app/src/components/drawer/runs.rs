//! Run history: one row per attempt, newest first, coloured by outcome; more
//! than three collapse behind "+N earlier".

use super::PanelCtx;
use crate::board::store::BoardCtx;
use kernel::spend::{format_tokens, format_usd, RunUsage};
use kernel::Run;
use leptos::prelude::*;

/// Rows shown before "+N earlier".
const RECENT: usize = 3;

/// The outcome's class and words; an open run is active.
fn outcome(r: &Run) -> (&'static str, &'static str) {
    use kernel::Outcome::*;
    match r.outcome {
        None => ("active", "active"),
        Some(Completed) => ("completed", "completed"),
        Some(Blocked) => ("blocked", "blocked"),
        Some(Crashed) => ("crashed", "crashed"),
        Some(TimedOut) => ("timed-out", "timed out"),
        Some(SpawnFailed) => ("spawn-failed", "spawn failed"),
        Some(GaveUp) => ("gave-up", "gave up"),
        Some(Reclaimed) => ("reclaimed", "reclaimed"),
        Some(RateLimited) => ("rate-limited", "rate-limited"),
        Some(AuthFailed) => ("auth-failed", "login refused"),
    }
}

/// "400k in · 20k out · 1.2M cached · $0.700 · gpt-5".
fn usage_line(u: &RunUsage) -> String {
    let t = u.tokens;
    let mut parts = vec![
        format!("{} in", format_tokens(t.input_tokens)),
        format!("{} out", format_tokens(t.output_tokens)),
    ];
    if t.cache_read_tokens + t.cache_write_tokens > 0 {
        parts.push(format!(
            "{} cached",
            format_tokens(t.cache_read_tokens + t.cache_write_tokens)
        ));
    }
    parts.push(match u.cost_usd {
        Some(c) => format_usd(c),
        None => "unpriced".into(),
    });
    if let Some(m) = &u.model {
        parts.push(m.clone());
    }
    parts.join(" · ")
}

fn duration(s: i64) -> String {
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {}s", s / 60, s % 60),
        s => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

#[component]
pub fn Runs() -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let panel = expect_context::<PanelCtx>();
    // Numbered in order of attempt (run 1 is the first), shown newest first.
    let runs = panel.part(|p| {
        let mut r: Vec<(usize, Run)> = p
            .runs
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, r)| (i + 1, r))
            .collect();
        r.reverse();
        r
    });
    let usage = panel.part(|p| p.usage.clone());
    let expanded = RwSignal::new(false);
    let shown = move || {
        let all = runs.get().unwrap_or_default();
        if expanded.get() {
            all
        } else {
            all.into_iter().take(RECENT).collect()
        }
    };
    let hidden = move || runs.with(|r| r.as_ref().map_or(0, |r| r.len().saturating_sub(RECENT)));
    view! {
        <section class="drawer-section" aria-label="Runs">
            <h3>"Runs"</h3>
            <Show when=move || runs.with(|r| r.as_ref().is_none_or(|r| r.is_empty()))>
                <p class="muted">"No attempts yet."</p>
            </Show>
            <ol class="runs">
                <For
                    each=shown
                    key=|(_, r)| (r.id, r.ended_at, r.last_heartbeat_at)
                    children=move |(n, r)| {
                        let (class, words) = outcome(&r);
                        let run = r.clone();
                        let elapsed = move || duration(run.elapsed_seconds(board.cards.now.get()));
                        let meta = r.metadata.as_ref().map(|m| serde_json::to_string_pretty(m).unwrap_or_default());
                        // Usage is recorded once the agent's process is gone,
                        // after the run ended: read it as it arrives.
                        let rid = r.id;
                        let used = move || {
                            usage
                                .with(|u| u.as_ref().and_then(|u| u.iter().find(|x| x.run_id == rid).map(usage_line)))
                                .map(|line| view! { <p class="run-usage">{line}</p> })
                        };
                        view! {
                            <li class=format!("run run-{class}") data-outcome=class>
                                <div class="run-head">
                                    <span class="run-id" title=format!("run id {}", r.id)>{format!("Run {n}")}</span>
                                    <span class="outcome">{words}</span>
                                    <span>{r.profile.clone().unwrap_or_else(|| "—".into())}</span>
                                    <span class="elapsed">{elapsed}</span>
                                </div>
                                {used}
                                {r.summary.clone().map(|s| view! { <p class="run-summary">{s}</p> })}
                                {r.error.clone().map(|e| view! { <p class="run-error">{e}</p> })}
                                {meta.map(|m| view! { <pre class="run-meta">{m}</pre> })}
                            </li>
                        }
                    }
                />
            </ol>
            <Show when=move || !expanded.get() && (hidden() > 0)>
                <button class="small" on:click=move |_| expanded.set(true)>{move || format!("+{} earlier", hidden())}</button>
            </Show>
        </section>
    }
}
