//! `/account/email`: the signed-in person turns the morning digest e-mail off, or on again
//! (docs/digest.md). A plain form, so it works without JavaScript.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::backend::{EmailView, PageError, email_settings};
use crate::forms::email::EmailForm;
use crate::forms::query::{ERROR, Query};

#[component]
pub fn EmailPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| email_settings());
    view! {
        <Title text="E-mail digest" />
        <h1>"Morning digest e-mail"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(view) => EitherOf3::A(view! { <EmailSettings view /> }),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => EitherOf3::C(view! {
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmailSettings(view: EmailView) -> impl IntoView {
    let query = Query::current();
    let error = query.typed(ERROR);
    let saved = query.typed("saved").is_some() && error.is_none();
    let state = if view.digest {
        "You get the morning digest."
    } else {
        "You have turned the morning digest off."
    };
    view! {
        {saved.then(|| view! { <p class="alert alert-success" role="status">"Saved. " {state}</p> })}
        {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
        <p>
            "At 7:00 office time on each business day, Re-engage can e-mail you, at "
            <strong>{view.email.clone()}</strong>
            ", what is overdue, due today and at risk — or for a supervisor, the staffings and DQ1 decisions "
            "waiting for you and the branch's overdue count — each with its rule and a link. "
            "It names no participant, and it is not sent when there is nothing to report."
        </p>
        {(!view.for_role).then(|| view! {
            <p class="alert alert-info">
                "Your role gets no morning digest: it is for family coaches, case aides and supervisors."
            </p>
        })}
        {(!view.sending).then(|| view! {
            <p class="alert alert-info">
                "This server sends no e-mail at the moment (no mail server is set up). Your choice is kept for when it does."
            </p>
        })}
        <form method="post" action="/account/email" class="stack">
            <fieldset>
                <legend>"The morning digest"</legend>
                <div class="choice">
                    <input type="radio" id="digest-on" name=EmailForm::DIGEST value=EmailForm::ON checked=view.digest />
                    <label for="digest-on">"Send me the morning digest"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="digest-off" name=EmailForm::DIGEST value=EmailForm::OFF checked=!view.digest />
                    <label for="digest-off">"Do not send it"</label>
                </div>
            </fieldset>
            <button type="submit" class="button">"Save"</button>
        </form>
        <p><a href="/today">"Back to Today"</a></p>
    }
}
