//! Parts of the dashboard that are not needed to show the board (the drawer,
//! the bulk bar, dialogs, forms) live in chunks of the bundle fetched the
//! first time they are needed, which keeps the first download small. The
//! build splits them off (scripts/build-site.sh) where [`lazy_part!`] marks
//! them.
//!
//! A chunk can fail to arrive (the server went away, the network dropped).
//! Leptos' own `#[lazy]` panics then, and a panic aborts the whole
//! WebAssembly module; a part made with [`lazy_part!`] returns
//! [`ChunkError`] instead, shown as a message with a retry, and a later try
//! fetches it afresh.

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A part of the bundle that could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(baton_split)]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// What a lazily loaded part returns: its view, once its chunk is in.
pub type Chunk = Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>> + Send + Sync>>;

/// Wraps a part's body; the browser is single-threaded, so the future need
/// not be `Send` itself.
pub fn chunk(view: impl Future<Output = AnyView> + 'static) -> Chunk {
    Box::pin(send_wrapper::SendWrapper::new(
        async move { Ok(view.await) },
    ))
}

/// Declares a lazily loaded part: `lazy_part! { pub fn name(args) { body } }`
/// where the body evaluates to an `AnyView`. Calling it gives a future of
/// `Result<AnyView, ChunkError>`, split off into its own chunk in the
/// dashboard's build and an ordinary call everywhere else.
#[macro_export]
macro_rules! lazy_part {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$m])*
        #[cfg_attr(baton_split, ::leptos::wasm_split::wasm_split(
            $name,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            return_wrapper(let future = _; { future.await } -> ::core::result::Result<
                ::leptos::prelude::AnyView,
                $crate::components::lazy::ChunkError,
            >)
        ))]
        $vis fn $name($($arg: $ty),*) -> $crate::components::lazy::Chunk {
            $crate::components::lazy::chunk(async move $body)
        }
    };
}

/// What a part that could not be fetched shows: why, in plain words, and a
/// way to try again.
pub fn chunk_failed(retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    view! {
        <div class="chunk-failed" role="alert">
            <p>"This part of the dashboard could not be loaded: Baton's server did not answer."</p>
            <button type="button" on:click=move |_| retry()>"Try again"</button>
        </div>
    }
    .into_any()
}

/// Renders what `load` produces from the first time `when` is true on (the
/// loaded part decides for itself what to show). Never rendered by the
/// server, so hydration has nothing to match. A chunk that does not arrive
/// shows [`chunk_failed`].
pub fn lazy_view<Fut>(
    when: impl Fn() -> bool + Send + Sync + 'static,
    load: impl Fn() -> Fut + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, ChunkError>> + Send + 'static,
{
    let needed = RwSignal::new(false);
    let attempt = RwSignal::new(0u32);
    // Setting a signal notifies even when the value is unchanged; rebuilding
    // the loaded part would lose its state, so the latch flips only once.
    Effect::new(move |_| {
        if !needed.get_untracked() && when() {
            needed.set(true);
        }
    });
    move || {
        attempt.track();
        needed.get().then(|| {
            let load = load.clone();
            view! {
                <Suspense fallback=|| ()>
                    {Suspend::new(async move {
                        match load().await {
                            Ok(v) => v,
                            Err(ChunkError) => chunk_failed(move || attempt.update(|n| *n += 1)),
                        }
                    })}
                </Suspense>
            }
        })
    }
}
