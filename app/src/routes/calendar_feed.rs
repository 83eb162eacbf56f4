//! `/account/calendar`: the signed-in person's secret calendar feed — an address their
//! calendar app (Google Calendar, Outlook, Apple Calendar) subscribes to, to show their coming
//! re-engagement appointments. Made, replaced and turned off with plain forms; a new address
//! is shown on the page after it is made, that once.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::backend::{CalendarFeedView, calendar_feed};
use crate::forms::query::{ERROR, Query};
use crate::live::buttons::CopyButton;

#[component]
pub fn CalendarFeedPage() -> impl IntoView {
    let feed = Resource::new(|| (), |_| calendar_feed());
    let query = Query::current();
    let saved = query.typed("saved");
    let error = query.typed(ERROR);
    view! {
        <Title text="Calendar feed" />
        <h1>"Your appointments in your calendar app"</h1>
        {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || {
                let saved = saved.clone();
                Suspend::new(async move {
                    match feed.await {
                        Ok(view) => Either::Left(view! { <Feed view saved /> }),
                        Err(error) => Either::Right(view! {
                            <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        }),
                    }
                })
            }}
        </Suspense>
        <p><a href="/today">"Back to Today"</a></p>
    }
}

#[component]
fn Feed(view: CalendarFeedView, saved: Option<String>) -> impl IntoView {
    let off = (saved.as_deref() == Some("off") && view.live.is_none()).then(|| {
        view! {
            <p class="alert alert-success" role="status">
                "Your calendar feed is off: its address no longer works."
            </p>
        }
    });
    let new_address = view.new_address.clone().map(|address| {
        view! {
            <section class="alert alert-success stack" aria-labelledby="new-feed">
                <h2 id="new-feed">"Your new feed address"</h2>
                <p id="feed-address-hint">
                    "Copy it into your calendar app now: it is shown only this once. "
                    "Keep it like a password — anyone who has it can read your coming appointments."
                </p>
                <div class="field">
                    <label for="feed-address">"Feed address"</label>
                    <textarea id="feed-address" rows="3" readonly aria-describedby="feed-address-hint">{address}</textarea>
                </div>
                <p class="actions"><CopyButton box_id="feed-address".to_owned() label="Copy the address".to_owned() done="Copied: paste it into your calendar app.".to_owned() /></p>
            </section>
        }
    });
    let status = match &view.live {
        Some(live) => {
            let said = format!(
                "Your calendar feed is on. Made {}. Last read by a calendar app: {}.",
                live.made,
                live.last_read.as_deref().unwrap_or("not yet")
            );
            Either::Left(view! { <p>{said}</p> })
        }
        None => Either::Right(view! { <p>"You have no calendar feed."</p> }),
    };
    let live = view.live.is_some();
    view! {
        {off}
        {new_address}
        <p>
            "A feed is a private address your calendar app reads every hour or so: your coming "
            "re-engagement appointments (a supervisor's: the branch's) appear in Google Calendar, "
            "Outlook or Apple Calendar, and follow every change. Times are your office's."
        </p>
        {status}
        <form method="post" action="/account/calendar" class="stack">
            {live.then(|| view! {
                <p class="hint" id="replace-hint">"The address you have now stops working at once."</p>
            })}
            <button type="submit" class="button" aria-describedby=live.then_some("replace-hint")>
                {if live { "Make a new address" } else { "Make my feed address" }}
            </button>
        </form>
        {live.then(|| view! {
            <form method="post" action="/account/calendar/off" class="stack">
                <button type="submit" class="button button-secondary">"Turn the feed off"</button>
            </form>
        })}
        <h2>"How to subscribe"</h2>
        <ul>
            <li>
                <strong>"Google Calendar"</strong>
                " (on a computer): Other calendars, +, From URL; paste the address."
            </li>
            <li>
                <strong>"Outlook"</strong>
                ": Add calendar, Subscribe from web; paste the address."
            </li>
            <li>
                <strong>"Apple Calendar"</strong>
                ": File, New Calendar Subscription (on a Mac); on an iPhone, Settings, Calendar, "
                "Accounts, Add Account, Other, Add Subscribed Calendar."
            </li>
        </ul>
        <p class="hint">
            "Each read of the feed is recorded in the audit log. The feed keeps working when you "
            "sign out; it stops when you turn it off, make a new one, change your password, or "
            "your role or branch changes."
        </p>
    }
}
