//! The sign-in page: a plain form posted to the server, so it works before the wasm loads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Given to every render when agency single sign-on (OpenID Connect) is set up: the sign-in
/// page offers it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SingleSignOn;

/// What the sign-in page says after a single sign-on that did not finish (`?sso=…`).
fn sso_message(reason: &str) -> Option<&'static str> {
    Some(match reason {
        "unknown" => {
            "Your agency account has no Re-engage account here, or it is disabled. Ask an admin to add you with the same e-mail address."
        }
        "unverified" => {
            "Your agency account's e-mail address is not verified, so it cannot be matched. Ask the agency's help desk, or sign in with your password."
        }
        "refused" => {
            "The agency sign-in was cancelled or refused. Try again, or sign in with your password."
        }
        "expired" => {
            "That agency sign-in took too long or was started in another browser. Try again."
        }
        "unavailable" => {
            "The agency sign-in cannot be reached just now. Try again shortly, or sign in with your password."
        }
        "failed" => "The agency sign-in did not finish. Try again, or sign in with your password.",
        _ => return None,
    })
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let failed = query.get("failed").is_some();
    let throttled = query.get("throttled").is_some();
    let expired = query.get("expired").is_some();
    let sso_said = query.get("sso").and_then(|reason| sso_message(&reason));
    let sso = use_context::<SingleSignOn>().is_some();
    // The page a session ended on: signing in returns there (the server checks the path
    // again), and what was typed there is still on this phone.
    let next = query.get("next").filter(|path| {
        path.starts_with('/')
            && !path.starts_with("//")
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'))
    });
    let ended = next.is_some() && !failed && !throttled;
    view! {
        <Title text="Sign in" />
        <h1>"Sign in"</h1>
        {failed
            .then(|| {
                view! {
                    <p class="alert alert-error" role="alert">
                        "That e-mail and password do not match an active account. Check both and try again."
                    </p>
                }
            })}
        {throttled
            .then(|| {
                view! {
                    <p class="alert alert-error" role="alert">
                        "Too many sign-in attempts. Wait 15 minutes and try again, or ask an admin to reset your password."
                    </p>
                }
            })}
        {expired
            .then(|| {
                view! {
                    <p class="alert alert-info" role="status">
                        "That sign-in was not finished within five minutes. Sign in again."
                    </p>
                }
            })}
        {ended
            .then(|| {
                view! {
                    <p class="alert alert-info" role="status">
                        "Your session ended. Sign in to go back to the page you had open; anything you had typed is kept on this phone."
                    </p>
                }
            })}
        {sso_said.map(|said| view! { <p class="alert alert-error" role="alert">{said}</p> })}
        {sso.then(|| view! {
            <p><a class="button" href="/signin/sso">"Sign in with your agency account"</a></p>
            <h2>"Or with a Re-engage password"</h2>
        })}
        <form method="post" action="/signin" class="stack">
            <div class="field">
                <label for="email">"E-mail"</label>
                <input type="email" id="email" name="email" autocomplete="username" required />
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input
                    type="password"
                    id="password"
                    name="password"
                    autocomplete="current-password"
                    required
                />
            </div>
            {next.map(|path| view! { <input type="hidden" name="next" value=path /> })}
            <button type="submit" class="button">
                "Sign in"
            </button>
        </form>
    }
}
