//! The Profiles page, `/profiles`: the agent profiles in config.toml with
//! the doctor's verdict on each, a form to add or edit one, and removing.

use crate::api::profiles::{
    check_profiles, delete_profile, list_profiles, resume_profile, save_profile, Check,
    ProfileForm, ProfileOut,
};
use kernel::agent::{AgentKind, OnExit, Permissions};
use leptos::prelude::*;

/// Loads the list, then the doctor's verdicts (slower: it starts each CLI).
fn reload(
    rows: RwSignal<Option<Vec<ProfileOut>>>,
    verdicts: RwSignal<Option<Vec<Check>>>,
    error: RwSignal<Option<String>>,
) {
    leptos::task::spawn_local(async move {
        match list_profiles().await {
            Ok(r) => rows.set(Some(r)),
            Err(e) => error.set(Some(e.to_string())),
        }
        verdicts.set(None);
        if let Ok(v) = check_profiles().await {
            verdicts.set(Some(v));
        }
    });
}

/// The page's code is a chunk of its own, fetched when the page is opened:
/// people on the board never download it.
#[component]
pub fn ProfilesPage() -> impl IntoView {
    crate::components::lazy::lazy_view(|| true, profiles_page)
}

crate::lazy_part! {
    fn profiles_page() {
        view! { <Profiles/> }.into_any()
    }
}

/// Where the CLI is, its version, what it authenticates with.
fn found(c: &Check) -> String {
    [
        Some(
            c.path
                .clone()
                .unwrap_or_else(|| format!("{} not found", c.program)),
        ),
        c.version.clone(),
        c.credentials.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

#[component]
fn Profiles() -> impl IntoView {
    let rows = RwSignal::new(None::<Vec<ProfileOut>>);
    let verdicts = RwSignal::new(None::<Vec<Check>>);
    let error = RwSignal::new(None::<String>);
    // The form.
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AgentKind::ClaudeCode);
    let model = RwSignal::new(String::new());
    let max = RwSignal::new(String::new());
    let permissions = RwSignal::new(Permissions::Workspace);
    let on_exit = RwSignal::new(OnExit::Block);
    let editing = RwSignal::new(false);
    Effect::new(move |_| reload(rows, verdicts, error));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let max_text = max.get_untracked();
        let max_concurrent = match max_text.trim() {
            "" => None,
            m => match m.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    error.set(Some(format!("at most: '{m}' is not a whole number")));
                    return;
                }
            },
        };
        let form = ProfileForm {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            model: Some(model.get_untracked()),
            max_concurrent,
            permissions: permissions.get_untracked(),
            on_exit: on_exit.get_untracked(),
            replace: editing.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_profile(form).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    model.set(String::new());
                    max.set(String::new());
                    editing.set(false);
                    reload(rows, verdicts, error);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let edit = move |r: ProfileOut| {
        name.set(r.name);
        kind.set(r.kind);
        model.set(r.model.unwrap_or_default());
        max.set(r.max_concurrent.map(|m| m.to_string()).unwrap_or_default());
        permissions.set(r.permissions);
        on_exit.set(r.on_exit);
        editing.set(true);
    };
    let remove = move |n: String| {
        leptos::task::spawn_local(async move {
            match delete_profile(n).await {
                Ok(()) => reload(rows, verdicts, error),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let resume = move |n: String| {
        leptos::task::spawn_local(async move {
            match resume_profile(n).await {
                Ok(()) => reload(rows, verdicts, error),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let verdict_of = move |n: &str| {
        verdicts.with(|v| {
            v.as_ref()
                .map(|v| v.iter().find(|c| c.profile == n).cloned())
        })
    };

    view! {
        <main class="profiles-page">
            <header class="toolbar">
                <div class="toolbar-row">
                    <h1 class="brand">"Baton"</h1>
                    <a href="/" class="nav-link">"← Board"</a>
                    <h2>"Profiles"</h2>
                </div>
            </header>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <section aria-label="Profiles list">
                {move || match rows.get() {
                    None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                    Some(list) if list.is_empty() => view! {
                        <p class="muted">"No profiles yet. Add one below, or: baton profiles add coder --agent claude-code"</p>
                    }.into_any(),
                    Some(list) => view! {
                        <table class="profiles">
                            <thead><tr>
                                <th>"Name"</th><th>"Kind"</th><th>"Model or command"</th><th>"Permissions"</th>
                                <th>"On exit"</th><th>"At most"</th><th>"Doctor"</th><th></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| {
                                    let n = r.name.clone();
                                    let n2 = r.name.clone();
                                    let agent = r.kind.is_agent();
                                    let r2 = r.clone();
                                    view! {
                                        <tr data-profile=r.name.clone()>
                                            <td class="mono">
                                                {r.name.clone()}
                                                {r.paused.clone().map(|p| {
                                                    let why = match p.reason {
                                                        kernel::agent::PauseReason::RateLimit => "paused: rate-limited",
                                                        kernel::agent::PauseReason::Auth => "paused: login failed",
                                                    };
                                                    let until = p
                                                        .until
                                                        .map(|u| format!(" until {}", kernel::waiting::utc_minute(u)))
                                                        .unwrap_or_default();
                                                    let n3 = r.name.clone();
                                                    view! {
                                                        <p class="paused" title=p.message.clone()>
                                                            {format!("{why}{until}")}
                                                            " "
                                                            <button class="small" on:click=move |_| resume(n3.clone())>"Resume"</button>
                                                        </p>
                                                    }
                                                })}
                                            </td>
                                            <td>{r.kind.as_str()}</td>
                                            <td>{if agent { r.model.clone().unwrap_or_else(|| "default".into()) } else { r.command.join(" ") }}</td>
                                            <td>{if agent { r.permissions.as_str() } else { "-" }}</td>
                                            <td>{if agent { r.on_exit.as_str() } else { "-" }}</td>
                                            <td>{r.max_concurrent.map(|m| m.to_string()).unwrap_or_else(|| "-".into())}</td>
                                            <td class="doctor">{move || match verdict_of(&n) {
                                                None => view! { <span class="muted">"checking…"</span> }.into_any(),
                                                Some(None) => view! { <span class="muted">"-"</span> }.into_any(),
                                                Some(Some(v)) => view! {
                                                    <span class=if v.ok { "verdict ok" } else { "verdict fail" }>{if v.ok { "ok" } else { "cannot start" }}</span>
                                                    <span class="muted">{format!(" {}", found(&v))}</span>
                                                    {v.problems.into_iter().map(|p| view! { <p class="problem">{p}</p> }).collect_view()}
                                                }.into_any(),
                                            }}</td>
                                            <td class="actions">
                                                {agent.then(|| view! { <button class="small" on:click=move |_| edit(r2.clone())>"Edit"</button> })}
                                                <button class="small danger" aria-label=format!("Remove {}", r.name) on:click=move |_| remove(n2.clone())>"Remove"</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </section>
            <form class="profile-form" aria-label="Add a profile" on:submit=submit>
                <h3>{move || if editing.get() { "Edit profile" } else { "Add a profile" }}</h3>
                <label>"Name" <input required prop:value=name prop:readonly=editing on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"Agent"
                    <select on:change=move |ev| if let Some(k) = AgentKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {AgentKind::ALL.into_iter().filter(|k| k.is_agent()).map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{k.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Model" <input placeholder="the CLI's default" prop:value=model on:input=move |ev| model.set(event_target_value(&ev))/></label>
                <label>"At most" <input inputmode="numeric" placeholder="no limit" prop:value=max on:input=move |ev| max.set(event_target_value(&ev))/></label>
                <label>"Permissions"
                    <select on:change=move |ev| if let Some(p) = Permissions::parse(&event_target_value(&ev)) { permissions.set(p) }>
                        {[Permissions::Workspace, Permissions::ReadOnly, Permissions::Full].into_iter().map(|p| view! {
                            <option value=p.as_str() selected=move || permissions.get() == p>{p.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"On exit"
                    <select on:change=move |ev| if let Some(o) = OnExit::parse(&event_target_value(&ev)) { on_exit.set(o) }>
                        {[OnExit::Block, OnExit::Complete, OnExit::Retry].into_iter().map(|o| view! {
                            <option value=o.as_str() selected=move || on_exit.get() == o>{o.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <p class="muted">"full: no sandbox and no approvals — only on a machine you can throw away. Keys go in the profile's env in config.toml."</p>
                <button class="primary" type="submit">{move || if editing.get() { "Save" } else { "Add" }}</button>
                <Show when=move || editing.get()>
                    <button type="button" on:click=move |_| { editing.set(false); name.set(String::new()); }>"Cancel"</button>
                </Show>
            </form>
        </main>
    }
}
