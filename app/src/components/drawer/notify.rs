//! Notification toggles: one button per configured channel. The button
//! flips at once and flips back if the server refuses.

use super::PanelCtx;
use crate::api::drawer::set_notify;
use crate::board::call::call_or;
use crate::board::store::BoardCtx;
use kernel::HomeChannel;
use leptos::prelude::*;

#[component]
pub fn Notifications() -> impl IntoView {
    let panel = expect_context::<PanelCtx>();
    let board = expect_context::<BoardCtx>();
    let channels = panel.part(|p| p.channels.clone());
    let toggle = move |c: HomeChannel| {
        let on = !c.subscribed;
        let (id, name) = (panel.id(), c.name.clone());
        let flip = move |to: bool| {
            panel.data.update(|d| {
                if let Some(ch) = d
                    .as_mut()
                    .and_then(|d| d.channels.iter_mut().find(|x| x.name == c.name))
                {
                    ch.subscribed = to;
                }
            })
        };
        flip(on);
        call_or(
            panel,
            None,
            set_notify(board.slug(), id, name, on),
            |_| {},
            move || flip(!on),
        );
    };
    view! {
        <section class="drawer-section" aria-label="Notifications">
            <h3>"Notify"</h3>
            {move || {
                let list = channels.get().unwrap_or_default();
                if list.is_empty() {
                    return view! {
                        <p class="muted">"No channels configured: add [channels.<name>] with a kind and url to config.toml."</p>
                    }
                    .into_any();
                }
                view! {
                    <div class="notify-toggles">
                        {list.into_iter().map(|c| {
                            let label = format!("{}{} ({})", if c.subscribed { "✓ " } else { "" }, c.name, c.kind);
                            let pressed = c.subscribed.to_string();
                            view! {
                                <button class="chip" class:on=c.subscribed aria-pressed=pressed
                                    title="Tell this channel when the task finishes, blocks or fails"
                                    on:click=move |_| toggle(c.clone())>{label}</button>
                            }
                        }).collect_view()}
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
