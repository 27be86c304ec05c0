//! A worktree task's git branch: the commits on it and what changed.

use super::PanelCtx;
use leptos::prelude::*;

#[component]
pub fn Worktree() -> impl IntoView {
    let panel = expect_context::<PanelCtx>();
    let diff = panel.part(|p| p.worktree.clone());
    move || {
        diff.get().flatten().map(|d| {
            let commits = match d.commits.len() {
                0 => "no commits yet".to_string(),
                1 => "1 commit".to_string(),
                n => format!("{n} commits"),
            };
            view! {
                <section class="drawer-section worktree" aria-label="Worktree">
                    <h3>"Worktree"</h3>
                    <p class="mono">
                        <span class="branch">{d.branch.clone()}</span>
                        {format!(" · {commits}")}
                        {d.dirty.then_some(" · uncommitted changes")}
                    </p>
                    <p class="muted mono">{d.path.clone()}</p>
                    {(!d.commits.is_empty()).then(|| view! {
                        <ul class="commits">{d.commits.iter().map(|c| view! { <li class="mono">{c.clone()}</li> }).collect_view()}</ul>
                    })}
                    <pre class="log diffstat">{if d.stat.is_empty() { "no changes".to_string() } else { d.stat.clone() }}</pre>
                    <p class="muted">{format!("The whole diff: baton diff {} --patch", d.task_id)}</p>
                </section>
            }
        })
    }
}
