//! Parts of the dashboard that are not needed to show the board (the drawer,
//! the bulk bar, dialogs, forms) live in chunks of the bundle fetched the
//! first time they are needed, which keeps the first download small. Leptos'
//! `#[lazy]` marks such code; the build splits it off (scripts/build-site.sh).

use leptos::prelude::*;
use std::future::Future;

/// Renders what `load` produces from the first time `when` is true on (the
/// loaded part decides for itself what to show). Never rendered by the
/// server, so hydration has nothing to match.
pub fn lazy_view<Fut>(
    when: impl Fn() -> bool + Send + Sync + 'static,
    load: impl Fn() -> Fut + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    Fut: Future<Output = AnyView> + Send + 'static,
{
    let needed = RwSignal::new(false);
    // Setting a signal notifies even when the value is unchanged; rebuilding
    // the loaded part would lose its state, so the latch flips only once.
    Effect::new(move |_| {
        if !needed.get_untracked() && when() {
            needed.set(true);
        }
    });
    move || {
        needed.get().then(|| {
            let load = load.clone();
            view! { <Suspense fallback=|| ()>{Suspend::new(async move { load().await })}</Suspense> }
        })
    }
}
