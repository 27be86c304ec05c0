//! The Spend page, `/spend`: what runs cost over a period, on one board or
//! every board — the total, a chart of each day's cost by profile, and the
//! profiles, models and tasks that cost the most.

use crate::api::boards::board_summaries;
use crate::api::spend::{spend_panel, ProfileDays, SpendView};
use kernel::spend::{format_tokens, format_usd, SpendRow};
use leptos::prelude::*;

/// The page's code is a chunk of its own, fetched when the page is opened.
#[component]
pub fn SpendPage() -> impl IntoView {
    crate::components::lazy::lazy_view(|| true, spend_page)
}

crate::lazy_part! {
    fn spend_page() {
        view! { <Spend/> }.into_any()
    }
}

/// Periods offered, as `since` values (empty: all time).
const PERIODS: [(&str, &str); 4] = [
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("", "All time"),
];

/// Series colours, one per profile in cost order (the rest share the last).
const COLOURS: [&str; 6] = [
    "#7c9cff", "#4ade80", "#fbbf24", "#f87171", "#c084fc", "#38bdf8",
];

/// A stacked bar per day, one colour per profile, in an SVG that scales to
/// its box. Bars are cost; with no price at all, tokens.
fn chart(days: &[String], series: &[ProfileDays]) -> impl IntoView {
    let priced = series
        .iter()
        .flat_map(|s| &s.days)
        .any(|d| d.cost_usd > 0.0);
    let value = |r: &SpendRow| {
        if priced {
            r.cost_usd
        } else {
            r.tokens.total() as f64
        }
    };
    let totals: Vec<f64> = days
        .iter()
        .map(|d| {
            series
                .iter()
                .filter_map(|s| s.days.iter().find(|r| &r.key == d))
                .map(value)
                .sum()
        })
        .collect();
    let max = totals
        .iter()
        .cloned()
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let (w, h) = (720.0_f64, 200.0_f64);
    let n = days.len().max(1) as f64;
    let slot = w / n;
    let bar = (slot * 0.7).clamp(1.0, 28.0);
    let mut rects = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let mut y = h;
        for (j, s) in series.iter().enumerate() {
            let Some(r) = s.days.iter().find(|r| &r.key == d) else {
                continue;
            };
            let v = value(r);
            let height = v / max * (h - 10.0);
            if height <= 0.0 {
                continue;
            }
            y -= height;
            let label = if priced {
                format!("{d} · {}: {}", s.profile, format_usd(v))
            } else {
                format!("{d} · {}: {} tokens", s.profile, format_tokens(v as u64))
            };
            rects.push(view! {
                <rect
                    x=format!("{:.1}", i as f64 * slot + (slot - bar) / 2.0)
                    y=format!("{y:.1}")
                    width=format!("{bar:.1}")
                    height=format!("{height:.1}")
                    fill=COLOURS[j.min(COLOURS.len() - 1)]
                >
                    <title>{label}</title>
                </rect>
            });
        }
    }
    let top = if priced {
        format_usd(max)
    } else {
        format!("{} tokens", format_tokens(max as u64))
    };
    let legend = series
        .iter()
        .enumerate()
        .map(|(j, s)| {
            view! {
                <li><span class="swatch" style=format!("background: {}", COLOURS[j.min(COLOURS.len() - 1)])></span>{s.profile.clone()}</li>
            }
        })
        .collect_view();
    let first = days.first().cloned().unwrap_or_default();
    let last = days.last().cloned().unwrap_or_default();
    let summary = format!(
        "{} per day by profile, {first} to {last}; the highest day {top}",
        if priced { "Cost" } else { "Tokens" }
    );
    view! {
        <figure class="spend-chart">
            <svg viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=summary.clone()>
                {rects}
            </svg>
            <figcaption>
                <span class="muted">{format!("{first} … {last} · top {top}")}</span>
                <ul class="legend">{legend}</ul>
            </figcaption>
        </figure>
    }
}

fn table(
    title: &'static str,
    head: &'static str,
    rows: Vec<SpendRow>,
    links: bool,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            let name = match (links, r.title.clone()) {
                (true, Some(t)) => view! {
                    <a href=format!("/tasks/{}", r.key) rel="external">{t}</a>
                    " "
                    <span class="card-id muted">{r.key.clone()}</span>
                }
                .into_any(),
                _ => view! { {r.key.clone()} }.into_any(),
            };
            view! {
                <tr>
                    <td>{name}</td>
                    <td class="num">{r.runs}</td>
                    <td class="num">{format_tokens(r.tokens.input_tokens)}</td>
                    <td class="num">{format_tokens(r.tokens.output_tokens)}</td>
                    <td class="num">{format_tokens(r.tokens.cache_read_tokens + r.tokens.cache_write_tokens)}</td>
                    <td class="num">{r.cost_text()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="spend-table" aria-label=title>
            <h3>{title}</h3>
            <table>
                <thead><tr><th>{head}</th><th class="num">"Runs"</th><th class="num">"Input"</th><th class="num">"Output"</th><th class="num">"Cache"</th><th class="num">"Cost"</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}

#[component]
fn Spend() -> impl IntoView {
    let since = RwSignal::new(String::from("30d"));
    let board = RwSignal::new(String::from("*"));
    let boards = RwSignal::new(Vec::new());
    let data = RwSignal::new(None::<SpendView>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(b) = board_summaries().await {
                boards.set(b);
            }
        });
    });
    // Answers can overtake each other (the first load and a change of
    // board): only the newest request's answer is shown.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (b, s) = (board.get(), since.get());
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            let answer = spend_panel(b, Some(s)).await;
            if asked.get_value() != n {
                return;
            }
            match answer {
                Ok(p) => {
                    error.set(None);
                    data.set(Some(p));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    let shown = move || {
        data.get().map(|p| {
            let total = p.by_profile.total.clone();
            if total.runs == 0 {
                return view! {
                    <p class="empty-spend">
                        "No usage recorded in this period. Baton records what an agent's run used when its process ends (from its transcript), "
                        "or when a worker reports it with "<code>"baton usage"</code>" or the "<code>"kanban_usage"</code>" tool."
                    </p>
                }
                .into_any();
            }
            let days = p.axis.clone();
            let tasks: Vec<SpendRow> = p.by_task.rows.iter().take(20).cloned().collect();
            let unpriced = total.unpriced_runs;
            view! {
                <section class="spend-total" aria-label="Total">
                    <div><strong class="big">{format_usd(total.cost_usd)}</strong><span class="muted">" spent"</span></div>
                    <div><strong>{format_tokens(total.tokens.total())}</strong><span class="muted">" tokens"</span></div>
                    <div><strong>{total.runs}</strong><span class="muted">" runs"</span></div>
                    {(unpriced > 0).then(|| view! {
                        <div class="warn">{format!("{unpriced} run(s) unpriced: their model has no price")}</div>
                    })}
                </section>
                {chart(&days, &p.per_profile_days)}
                <div class="spend-tables">
                    {table("By profile", "Profile", p.by_profile.rows.clone(), false)}
                    {table("By model", "Model", p.by_model.rows.clone(), false)}
                </div>
                {table("Tasks that cost the most", "Task", tasks, true)}
                <p class="muted small">
                    {format!("Costs are what the agent reported, else list prices as of {}; set your own with [prices.\"<model>\"] in config.toml (baton spend --prices).", p.by_profile.prices_as_of)}
                </p>
            }
            .into_any()
        })
    };
    view! {
        <main class="spend-page">
            <header class="toolbar">
                <div class="toolbar-row">
                    <h1 class="brand">"Baton"</h1>
                    <a href="/" class="nav-link" rel="external">"← Board"</a>
                    <h2>"Spend"</h2>
                    <select aria-label="Period" on:change=move |ev| since.set(event_target_value(&ev))>
                        {PERIODS.iter().map(|(v, label)| view! { <option value=*v selected=move || since.get() == *v>{*label}</option> }).collect_view()}
                    </select>
                    <select aria-label="Boards" on:change=move |ev| board.set(event_target_value(&ev))>
                        <option value="*">"Every board"</option>
                        <For each=move || boards.get() key=|b| b.slug.clone() let:b>
                            <option value=b.slug.clone()>{b.name.clone()}</option>
                        </For>
                    </select>
                </div>
            </header>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match data.with(|d| d.is_none()) && error.with(|e| e.is_none()) {
                true => Some(view! { <p class="loading">"Loading…"</p> }),
                false => None,
            }}
            {shown}
        </main>
    }
}
