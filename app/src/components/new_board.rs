//! The new-board dialog: a name, and the board's address made from it
//! (editable). An address that is taken opens that board instead of
//! pretending to make a new one.

use crate::api::boards::create_board;
use crate::board::store::BoardCtx;
use leptos::prelude::*;

/// The longest address the kernel accepts.
const SLUG_MAX: usize = 64;

/// "Q3 Launch — web!" → "q3-launch-web": lowercase letters and digits,
/// anything else one dash, no dash at either end.
pub fn slug_from_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(SLUG_MAX);
    slug.trim_end_matches('-').to_string()
}

/// Why an address cannot be used, in the words the form shows.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if slug.is_empty() {
        Some("Give the board an address.")
    } else if slug.len() > SLUG_MAX {
        Some("An address is at most 64 characters.")
    } else if !slug.chars().all(ok_char) {
        Some("An address uses only a-z, 0-9, '-' and '_'.")
    } else if !slug.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        Some("An address starts with a letter or a digit.")
    } else {
        None
    }
}

crate::lazy_part! {
    /// Fetched the first time someone asks for a new board.
    pub fn new_board_dialog(open: RwSignal<bool>, go: Callback<String>) {
        view! { <NewBoard open go/> }.into_any()
    }
}

#[component]
fn NewBoard(open: RwSignal<bool>, go: Callback<String>) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    // Until the person types an address, it follows the name.
    let slug_typed = RwSignal::new(false);
    let error = RwSignal::new(Option::<String>::None);
    let busy = RwSignal::new(false);
    let taken = move || {
        let s = slug.get();
        board.cards.boards.with(|bs| bs.iter().any(|b| b.slug == s))
    };
    let close = move || {
        open.set(false);
        name.set(String::new());
        slug.set(String::new());
        slug_typed.set(false);
        error.set(None);
    };
    let name_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(el) = name_ref.get() {
                request_animation_frame(move || {
                    let _ = el.focus();
                });
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = slug.get_untracked();
        if let Some(p) = slug_problem(&s) {
            error.set(Some(p.into()));
            return;
        }
        if taken() {
            close();
            go.run(s);
            return;
        }
        if name.get_untracked().trim().is_empty() {
            error.set(Some("Give the board a name.".into()));
            return;
        }
        crate::board::call::call(
            error,
            Some(busy),
            create_board(s, name.get_untracked().trim().to_string()),
            move |b| {
                close();
                board.notify(format!("Board “{}” created", b.name), false);
                go.run(b.slug);
            },
        );
    };
    move || {
        open.get().then(|| {
            view! {
                <div class="modal-backdrop" on:click=move |_| close()>
                    <form
                        class="modal new-board"
                        role="dialog"
                        aria-modal="true"
                        aria-label="New board"
                        on:click=|ev| ev.stop_propagation()
                        on:submit=submit
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                ev.stop_propagation();
                                close();
                            }
                        }
                    >
                        <h2>"New board"</h2>
                        <label class="field">
                            <span>"Name"</span>
                            <input
                                node_ref=name_ref
                                placeholder="Website relaunch"
                                prop:value=name
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    if !slug_typed.get_untracked() {
                                        slug.set(slug_from_name(&v));
                                    }
                                    name.set(v);
                                    error.set(None);
                                }
                            />
                        </label>
                        <label class="field">
                            <span>"Address"</span>
                            <span class="slug-input">
                                <span class="muted">"/boards/"</span>
                                <input
                                    aria-label="Address"
                                    placeholder="website-relaunch"
                                    prop:value=slug
                                    on:input=move |ev| {
                                        slug_typed.set(true);
                                        slug.set(event_target_value(&ev).trim().to_lowercase());
                                        error.set(None);
                                    }
                                />
                            </span>
                        </label>
                        <p class="muted hint">
                            {move || if taken() {
                                "A board has this address already; it opens instead."
                            } else {
                                "Used in links and by the CLI (--board)."
                            }}
                        </p>
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="modal-actions">
                            <button type="button" on:click=move |_| close()>"Cancel"</button>
                            <button type="submit" class="primary" disabled=busy>
                                {move || if taken() { "Open board" } else { "Create board" }}
                            </button>
                        </div>
                    </form>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_comes_from_the_name() {
        assert_eq!(slug_from_name("Q3 Launch — web!"), "q3-launch-web");
        assert_eq!(slug_from_name("  ops  "), "ops");
        assert_eq!(slug_from_name("看板"), "");
        assert_eq!(slug_from_name(&"a".repeat(80)).len(), 64);
    }

    #[test]
    fn a_bad_address_says_why() {
        assert!(slug_problem("ok-board_2").is_none());
        assert!(slug_problem("").is_some());
        assert!(slug_problem("-x").is_some());
        assert!(slug_problem("Has Space").is_some());
    }
}
