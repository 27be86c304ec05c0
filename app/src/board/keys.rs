//! Keyboard control of the board: moving focus between cards, selecting,
//! opening, creating, searching. Keys typed into a field are left alone.

use super::store::BoardCtx;

/// What the `?` dialog lists.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("↑ ↓ or k j", "previous / next card in the column"),
    ("← → or h l", "card in the previous / next column"),
    ("x", "select or unselect the focused card"),
    ("Enter", "open the focused card"),
    (
        "Escape",
        "close the drawer or dialog, then clear the selection",
    ),
    ("c", "new task in the focused card's column"),
    ("/", "search"),
    ("?", "this list"),
];

/// Listens for shortcuts while the board is shown.
pub fn install(ctx: BoardCtx) {
    #[cfg(feature = "hydrate")]
    client::install(ctx);
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
}

#[cfg(feature = "hydrate")]
mod client {
    use super::*;
    use kernel::Status;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement, KeyboardEvent};

    fn typing(ev: &KeyboardEvent) -> bool {
        ev.target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.closest("[contenteditable]").ok().flatten().is_some()
            })
    }

    fn focused_card() -> Option<Element> {
        document()
            .active_element()?
            .closest(".card[data-task-id]")
            .ok()
            .flatten()
    }

    fn focus(el: &Element) {
        // Focusing scrolls the element into view.
        if let Ok(h) = el.clone().dyn_into::<HtmlElement>() {
            let _ = h.focus();
        }
    }

    /// The cards of each shown column, in order (on a phone only the
    /// visible column counts).
    fn columns() -> Vec<Vec<Element>> {
        let mut out = Vec::new();
        let Ok(cols) = document().query_selector_all("section.column[data-column]") else {
            return out;
        };
        for i in 0..cols.length() {
            let Some(col) = cols.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else {
                continue;
            };
            if col.offset_parent().is_none() {
                continue;
            }
            let mut cards = Vec::new();
            if let Ok(list) = col.query_selector_all(".card[data-task-id]") {
                for j in 0..list.length() {
                    if let Some(el) = list.item(j).and_then(|n| n.dyn_into::<Element>().ok()) {
                        cards.push(el);
                    }
                }
            }
            out.push(cards);
        }
        out
    }

    /// Moves focus by `dy` cards in the column or `dx` columns.
    fn step(dx: i32, dy: i32) {
        let cols = columns();
        let here = focused_card().and_then(|card| {
            cols.iter()
                .enumerate()
                .find_map(|(c, cards)| cards.iter().position(|e| *e == card).map(|r| (c, r)))
        });
        let target = match here {
            None => cols.iter().find_map(|c| c.first().cloned()),
            Some((c, r)) if dx == 0 => {
                let cards = &cols[c];
                let r = (r as i32 + dy).clamp(0, cards.len() as i32 - 1) as usize;
                cards.get(r).cloned()
            }
            Some((c, r)) => {
                // The nearest column that has cards, in that direction.
                let mut c = c as i32 + dx;
                while c >= 0 && (c as usize) < cols.len() && cols[c as usize].is_empty() {
                    c += dx;
                }
                cols.get(c.max(0) as usize)
                    .filter(|_| c >= 0)
                    .and_then(|cards| cards.get(r.min(cards.len().saturating_sub(1))).cloned())
            }
        };
        if let Some(t) = target {
            focus(&t);
        }
    }

    fn on_key(ctx: BoardCtx, ev: KeyboardEvent) {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if key == "Escape" {
            if ctx.ui.help.get_untracked() {
                ctx.ui.help.set(false);
            } else if ctx.ui.pending.get_untracked().is_some() {
                ctx.ui.pending.set(None);
            } else if ctx.ui.drawer.get_untracked().is_some() {
                ctx.close_drawer();
            } else if ctx.ui.creating.get_untracked().is_some() {
                ctx.ui.creating.set(None);
            } else {
                ctx.ui.selected.set(Default::default());
            }
            return;
        }
        if typing(&ev) {
            return;
        }
        let card_id = || focused_card().and_then(|c| c.get_attribute("data-task-id"));
        match key.as_str() {
            "ArrowDown" | "j" => step(0, 1),
            "ArrowUp" | "k" => step(0, -1),
            "ArrowRight" | "l" => step(1, 0),
            "ArrowLeft" | "h" => step(-1, 0),
            "x" => match card_id() {
                Some(id) => ctx.ui.toggle_selected(&id),
                None => return,
            },
            "Enter" => match card_id() {
                Some(id) => ctx.open(&id),
                None => return,
            },
            "c" => {
                let status = focused_card()
                    .and_then(|c| c.get_attribute("data-status"))
                    .and_then(|s| s.parse::<Status>().ok())
                    .filter(|s| *s != Status::Running && *s != Status::Archived)
                    .unwrap_or(Status::Ready);
                ctx.ui.creating.set(Some(status));
            }
            "/" => {
                if let Ok(Some(el)) = document().query_selector("input.search") {
                    focus(&el);
                }
            }
            "?" => ctx.ui.help.update(|h| *h = !*h),
            _ => return,
        }
        ev.prevent_default();
    }

    pub fn install(ctx: BoardCtx) {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| on_key(ctx, ev));
        on_cleanup(move || handle.remove());
    }
}
