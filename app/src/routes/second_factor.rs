//! The second step of a password sign-in (`/signin/code`): the code from an authenticator
//! app, or a recovery code. An account that has not enrolled yet sets its app up here first
//! (a QR code and the key as text). Then `/account/recovery-codes` shows the new recovery
//! codes, once. Plain forms, so they work before any wasm loads.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::backend::{EnrolmentView, PageError, SecondFactorView, recovery_codes, second_factor};
use crate::forms::query::Query;
use crate::forms::second_factor::SecondFactorForm;

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let step = Resource::new(|| (), |_| second_factor());
    let query = Query::current();
    let failed = query.typed("failed").is_some();
    let throttled = query.typed("throttled").is_some();
    view! {
        <Title text="Sign-in code" />
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match step.await {
                    Ok(view) => EitherOf3::A(view! { <CodeForm view failed throttled /> }),
                    Err(PageError::SignedOut) => {
                        EitherOf3::B(view! { <Redirect path="/signin?expired=1" /> })
                    }
                    Err(error) => EitherOf3::C(view! {
                        <h1>"Sign-in code"</h1>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CodeForm(view: SecondFactorView, failed: bool, throttled: bool) -> impl IntoView {
    let enrolling = view.enrolling.is_some();
    let heading = if enrolling {
        "Set up your sign-in code"
    } else {
        "Sign-in code"
    };
    let hint = if enrolling {
        "The six digits your authenticator app now shows for Re-engage."
    } else {
        "The six digits your authenticator app shows for Re-engage, or one of your recovery codes."
    };
    view! {
        <h1>{heading}</h1>
        <p>"Signing in as " <strong>{view.email}</strong> "."</p>
        {failed.then(|| view! {
            <p class="alert alert-error" role="alert">
                "That code is not right, or was already used. Type the code your app shows now (it changes every 30 seconds)."
            </p>
        })}
        {throttled.then(|| view! {
            <p class="alert alert-error" role="alert">
                "Too many wrong codes. Wait 15 minutes and sign in again, or ask an admin."
            </p>
        })}
        {view.enrolling.map(|enrolment| view! { <Enrol enrolment /> })}
        <form method="post" action="/signin/code" class="stack">
            <div class="field">
                <label for="code">{if enrolling { "Code from your app" } else { "Code" }}</label>
                <p class="hint" id="code-hint">{hint}</p>
                <input type="text" id="code" name=SecondFactorForm::CODE
                    autocomplete="one-time-code" inputmode=if enrolling { "numeric" } else { "text" }
                    maxlength="20" required autofocus aria-describedby="code-hint" />
            </div>
            <button type="submit" class="button">{if enrolling { "Turn on and sign in" } else { "Sign in" }}</button>
        </form>
        <form method="post" action="/signout">
            <button type="submit" class="button button-secondary">"Cancel"</button>
        </form>
    }
}

/// What the authenticator app needs: the QR code, or the key typed by hand.
#[component]
fn Enrol(enrolment: EnrolmentView) -> impl IntoView {
    view! {
        <p>
            "Supervisors and admins give a second factor when they sign in with a password. "
            "Open an authenticator app on your phone (any TOTP app), add an account, and scan this code."
        </p>
        <div class="qr" role="img" aria-label="QR code of your Re-engage sign-in key" inner_html=enrolment.qr_svg></div>
        <p>
            "Cannot scan? Type this key into the app instead: "
            <code class="secret">{enrolment.secret}</code>
            " (time-based, 6 digits, 30 seconds). On this phone: "
            <a href=enrolment.uri>"open in your authenticator app"</a>"."
        </p>
    }
}

#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| recovery_codes());
    view! {
        <Title text="Recovery codes" />
        <h1>"Your recovery codes"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match codes.await {
                    Ok(codes) if !codes.is_empty() => Either::Left(view! {
                        <p class="alert alert-info">
                            "Your sign-in code is on. Keep these ten codes somewhere safe, away from your phone: "
                            "each signs you in once if your phone is lost. They are shown only now."
                        </p>
                        <ol class="recovery-codes">
                            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                        </ol>
                        <p><a class="button" href="/today">"I have kept them — go to Today"</a></p>
                    }),
                    _ => Either::Right(view! {
                        <p>
                            "Recovery codes are shown once, when they are made. If you have lost yours, "
                            "ask an admin to reset your sign-in code; you set it up again at your next sign-in."
                        </p>
                        <p><a href="/today">"Go to Today"</a></p>
                    }),
                }
            })}
        </Suspense>
    }
}
