//! Drag and drop between columns, with a mouse and on touch screens. A mouse
//! drag starts after a few pixels of movement; a finger must rest on a card
//! for a moment (long press) so that swiping still scrolls. A ghost follows
//! the pointer, the column under it is highlighted, and the board scrolls
//! when the pointer nears its edges. Dropping asks the store to move the card.

use super::store::BoardCtx;
use kernel::Status;
use leptos::prelude::*;

/// A drag in progress: which card, and the column under the pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Drag {
    pub id: String,
    pub title: String,
    pub from: Status,
    pub over: Option<Status>,
}

/// The pointer position lives in its own signal so that a pointer move
/// re-renders only the ghost, not every card and column on a large board.
#[derive(Clone, Copy)]
pub struct DragCtx {
    pub drag: RwSignal<Option<Drag>>,
    pub pos: RwSignal<(f64, f64)>,
    /// The dragged card's id; cards watch this, which changes twice per drag.
    dragged: Memo<Option<String>>,
    /// Set while the click that ends a drag is delivered, so it does not
    /// also open the card.
    dropped: StoredValue<bool>,
}

impl DragCtx {
    pub fn new() -> DragCtx {
        let drag: RwSignal<Option<Drag>> = RwSignal::new(None);
        DragCtx {
            drag,
            pos: RwSignal::new((0.0, 0.0)),
            dragged: Memo::new(move |_| drag.with(|d| d.as_ref().map(|d| d.id.clone()))),
            dropped: StoredValue::new(false),
        }
    }

    pub fn just_dropped(&self) -> bool {
        self.dropped.get_value()
    }

    pub fn is_dragged(&self, id: &str) -> bool {
        self.dragged.with(|d| d.as_deref() == Some(id))
    }

    /// Whether `status` is where the card would land (and not where it came from).
    pub fn is_target(&self, status: Status) -> bool {
        self.drag.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.over == Some(status) && d.from != status)
        })
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn start(&self, id: String, title: String, from: Status, x: f64, y: f64) {
        self.pos.set((x, y));
        self.drag.set(Some(Drag {
            id,
            title,
            from,
            over: Some(from),
        }));
    }
}

impl Default for DragCtx {
    fn default() -> Self {
        Self::new()
    }
}

/// The column under a point, from the `data-column` attribute of the nearest column.
#[cfg(feature = "hydrate")]
fn column_at(x: f64, y: f64) -> Option<Status> {
    let el = document().element_from_point(x as f32, y as f32)?;
    let col = el.closest("[data-column]").ok()??;
    col.get_attribute("data-column")?.parse().ok()
}

/// Scrolls the board sideways (and the page up or down) near the edges.
#[cfg(feature = "hydrate")]
fn auto_scroll(x: f64, y: f64) {
    const EDGE: f64 = 48.0;
    const STEP: f64 = 18.0;
    let win = window();
    let w = win
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let h = win
        .inner_height()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    if let Ok(Some(board)) = document().query_selector(".columns") {
        if x < EDGE {
            board.set_scroll_left(board.scroll_left() - STEP as i32);
        } else if x > w - EDGE {
            board.set_scroll_left(board.scroll_left() + STEP as i32);
        }
    }
    if y < EDGE {
        win.scroll_by_with_x_and_y(0.0, -STEP);
    } else if y > h - EDGE {
        win.scroll_by_with_x_and_y(0.0, STEP);
    }
}

/// Ends a drag: drops the card on the column under the pointer, if any.
fn finish(board: BoardCtx, dnd: DragCtx) {
    let Some(d) = dnd.drag.get_untracked() else {
        return;
    };
    dnd.drag.set(None);
    dnd.dropped.set_value(true);
    let dropped = dnd.dropped;
    set_timeout(
        move || dropped.set_value(false),
        std::time::Duration::from_millis(0),
    );
    if let Some(to) = d.over.filter(|to| *to != d.from) {
        crate::board::store::request_move(board, &d.id, to);
    }
}

#[cfg(feature = "hydrate")]
fn moved(dnd: DragCtx, x: f64, y: f64) {
    auto_scroll(x, y);
    dnd.pos.set((x, y));
    let over = column_at(x, y);
    if dnd
        .drag
        .with_untracked(|d| d.as_ref().is_some_and(|d| d.over != over))
    {
        dnd.drag.update(|d| {
            if let Some(d) = d {
                d.over = over;
            }
        });
    }
}

/// Mouse: press on a card, move a few pixels, release over a column.
pub fn mouse_down(
    board: BoardCtx,
    dnd: DragCtx,
    ev: web_sys::PointerEvent,
    id: String,
    title: String,
    from: Status,
) {
    #[cfg(feature = "hydrate")]
    {
        if ev.pointer_type() == "touch" || ev.button() != 0 {
            return;
        }
        let (sx, sy) = (ev.client_x() as f64, ev.client_y() as f64);
        let handles: StoredValue<Vec<WindowListenerHandle>, LocalStorage> =
            StoredValue::new_local(Vec::new());
        let on_move =
            window_event_listener(leptos::ev::pointermove, move |e: web_sys::PointerEvent| {
                let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                if dnd.drag.get_untracked().is_none() {
                    if (x - sx).hypot(y - sy) < 5.0 {
                        return;
                    }
                    dnd.start(id.clone(), title.clone(), from, x, y);
                }
                e.prevent_default();
                moved(dnd, x, y);
            });
        let on_up =
            window_event_listener(leptos::ev::pointerup, move |_e: web_sys::PointerEvent| {
                handles.update_value(|hs| hs.drain(..).for_each(|h| h.remove()));
                finish(board, dnd);
            });
        handles.set_value(vec![on_move, on_up]);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (board, dnd, ev, id, title, from);
}

/// Touch: a long press picks the card up; until then the page scrolls.
#[derive(Clone, Copy)]
pub struct TouchDrag {
    start: StoredValue<Option<(f64, f64)>>,
    timer: StoredValue<u64>,
}

impl TouchDrag {
    pub fn new() -> TouchDrag {
        TouchDrag {
            start: StoredValue::new(None),
            timer: StoredValue::new(0),
        }
    }
}

impl Default for TouchDrag {
    fn default() -> Self {
        Self::new()
    }
}

/// How long a finger rests before the card is picked up.
pub const LONG_PRESS_MS: u64 = 350;

pub fn touch_start(
    dnd: DragCtx,
    t: TouchDrag,
    ev: web_sys::TouchEvent,
    id: String,
    title: String,
    from: Status,
) {
    #[cfg(feature = "hydrate")]
    {
        let Some(touch) = ev.touches().get(0) else {
            return;
        };
        let (x, y) = (touch.client_x() as f64, touch.client_y() as f64);
        t.start.set_value(Some((x, y)));
        let generation = t.timer.get_value() + 1;
        t.timer.set_value(generation);
        set_timeout(
            move || {
                // Still the same press, and the finger has not moved away.
                if t.timer.get_value() == generation {
                    if let Some((x, y)) = t.start.get_value() {
                        dnd.start(id, title, from, x, y);
                        let _ = window().navigator().vibrate_with_duration(15);
                    }
                }
            },
            std::time::Duration::from_millis(LONG_PRESS_MS),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (dnd, t, ev, id, title, from);
}

pub fn touch_move(dnd: DragCtx, t: TouchDrag, ev: web_sys::TouchEvent) {
    #[cfg(feature = "hydrate")]
    {
        let Some(touch) = ev.touches().get(0) else {
            return;
        };
        let (x, y) = (touch.client_x() as f64, touch.client_y() as f64);
        if dnd.drag.get_untracked().is_some() {
            // Dragging: this finger moves the card, not the page.
            ev.prevent_default();
            moved(dnd, x, y);
        } else if let Some((sx, sy)) = t.start.get_value() {
            if (x - sx).hypot(y - sy) > 10.0 {
                // A swipe or scroll: not a long press.
                t.start.set_value(None);
                t.timer.update_value(|g| *g += 1);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (dnd, t, ev);
}

pub fn touch_end(board: BoardCtx, dnd: DragCtx, t: TouchDrag, cancelled: bool) {
    t.start.set_value(None);
    t.timer.update_value(|g| *g += 1);
    if cancelled {
        dnd.drag.set(None);
    } else {
        finish(board, dnd);
    }
}
