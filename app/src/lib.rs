//! Baton's dashboard: Leptos components and server functions, compiled twice —
//! for the server (`ssr`) and for the browser (`hydrate`).

#![recursion_limit = "256"]

pub mod api;
pub mod board;
pub mod components;
pub mod error;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};
use routes::board::BoardPage;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/baton.css"/>
        <Title text="Baton"/>
        <Router>
            <Routes fallback=|| view! { <p class="not-found">"Page not found."</p> }>
                <Route path=StaticSegment("profiles") view=routes::profiles::ProfilesPage/>
                <Route path=StaticSegment("spend") view=routes::spend::SpendPage/>
                // One parent for all three URLs, so opening a drawer or
                // closing it does not rebuild the board. In order: the board
                // arrives in the HTML itself, so its cards are links even
                // before (or without) the WebAssembly.
                <ParentRoute path=StaticSegment("") view=BoardPage ssr=SsrMode::InOrder>
                    <Route path=StaticSegment("") view=|| ()/>
                    <Route path=(StaticSegment("boards"), ParamSegment("slug")) view=|| ()/>
                    <Route path=(StaticSegment("tasks"), ParamSegment("id")) view=|| ()/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
