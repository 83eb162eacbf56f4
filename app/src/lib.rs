//! Re-engage pages. Rendered on the server (feature `ssr`) as *islands*: only the components
//! marked `#[island]` — the forms whose feedback is recomputed as they change, the copy and
//! print buttons — are compiled into the wasm and hydrated in the browser (feature
//! `hydrate`). Every other component, the router included, runs on the server only, so the
//! page works the same before the wasm has loaded and the wasm stays small. Every rule the
//! pages show comes from `reengage_core`.
//!
//! The modules, from the top down; each uses only those below it:
//!
//! - [`routes`]: one view per page (and its forms), server only.
//! - `components`: view pieces several pages share, server only.
//! - [`live`]: the islands, all of them — what the browser runs.
//! - [`checks`]: what `core` says about each form as it is filled in, one file per form, and
//!   [`checks::Check`], the island's dispatch to them. Pure.
//! - [`forms`]: what each form sends — its contract, with each field's name as a constant the
//!   view and the server share — and how it is read. Pure.
//! - [`backend`]: what the pages show, as plain data, and the server functions.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

pub mod backend;
pub mod checks;
mod components;

/// Given to every render when the database is the demo's: each page says so at its top.
pub use components::layout::DemoData;
pub use routes::signin::SingleSignOn;
pub mod forms;
pub mod live;
pub mod notice_text;
pub mod office_views;
pub mod routes;

use components::layout::Layout;

/// Given to the render of a page for a signed-in person: the opaque key the phone files their
/// pages under, and the minutes of inactivity after which their session ends (the page warns
/// two minutes before, with "Stay signed in"; public/pwa.js).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInPage {
    pub person: String,
    pub idle_minutes: i64,
}

/// The HTML document around the app, rendered by the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let signed_in = use_context::<SignedInPage>().map(|page| {
        view! {
            <meta name="reengage-person" content=page.person />
            <meta name="reengage-idle-minutes" content=page.idle_minutes.to_string() />
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="theme-color" content="#1f4e79" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                {signed_in}
                // The title and the stylesheet first: the page is drawn with the CSS, and the
                // wasm (preloaded below) must not take the bandwidth before it.
                <HashedStylesheet options=options.clone() id="leptos" />
                <MetaTags />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                // The phone app: the service worker, the offline queue, the session warning
                // and the kept drafts (plain JavaScript, no wasm needed).
                <script src="/queue-db.js" defer nonce=leptos::nonce::use_nonce()></script>
                <script src="/pwa.js" defer nonce=leptos::nonce::use_nonce()></script>
            </head>
            <body>
                <App />
                <live::buttons::HydrationMark />
            </body>
        </html>
    }
}

/// The application: routes and the chrome around them.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=|page: String| format!("{page} · Re-engage") />
        <Router>
            <Layout>
                <Routes fallback=routes::not_found::NotFound>
                    <Route path=StaticSegment("") view=routes::home::HomePage />
                    <Route path=StaticSegment("notice") view=routes::notice::NoticePage />
                    <Route path=StaticSegment("signin") view=routes::signin::SignInPage />
                    <Route
                        path=(StaticSegment("signin"), StaticSegment("code"))
                        view=routes::second_factor::SecondFactorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("recovery-codes"))
                        view=routes::second_factor::RecoveryCodesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("password"))
                        view=routes::password::PasswordPage
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("calendar"))
                        view=routes::calendar_feed::CalendarFeedPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("admin") view=routes::admin::AdminPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("offices"), ParamSegment("id"))
                        view=routes::admin::OfficePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("staff"), ParamSegment("id"))
                        view=routes::admin::StaffMemberPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("participants")
                        view=routes::participants::ParticipantsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("participants"), StaticSegment("new"))
                        view=routes::participants::NewParticipantPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("participants"), StaticSegment("move"))
                        view=routes::participants::MoveCaseloadPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("participants"), ParamSegment("id"))
                        view=routes::participants::ParticipantPage
                        ssr=SsrMode::Async
                    />
                    // Rendered whole on the server, so it reads the same without JavaScript.
                    <Route
                        path=StaticSegment("today")
                        view=routes::today::TodayPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"))
                        view=routes::episode::EpisodeRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("attempt"))
                        view=routes::attempt::AttemptRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("appointment"))
                        view=routes::appointment::AppointmentRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("notice"))
                        view=routes::notice_mailed::NoticeMailedRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("notice"), StaticSegment("print"))
                        view=routes::notice_print::NoticePrintRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("contact"))
                        view=routes::contact::ContactRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("good-cause"))
                        view=routes::good_cause::GoodCauseRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("checklist"))
                        view=routes::checklist::ChecklistRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("episodes"), ParamSegment("id"), StaticSegment("staffing"))
                        view=routes::staffing::StaffingRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("branch")
                        view=routes::branch::BranchRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("branch"), StaticSegment("efforts"))
                        view=routes::efforts::EffortsRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("missed")
                        view=routes::missed::MissedRoute
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("email"))
                        view=routes::email::EmailPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The browser entry point: sets up the islands runtime; the loader script then hydrates each
/// island of the page in document order.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
