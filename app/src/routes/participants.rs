//! The participant pages (department staff of the branch): `/participants` — find a
//! participant by case number or name (the search is a POST answered in place: what is typed
//! never goes in a URL); `/participants/new` and `/participants/{id}` — a participant's
//! record: contact details, notice language, coach, contractor referral and its last day;
//! `/participants/move` — a coach's caseload, or one participant of it, to another coach
//! (supervisors), open episodes following. Plain forms: they work without JavaScript.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::backend::{PageError, caseload, participant_form, participants};
use crate::forms::participant::{MoveForm, ParticipantForm, SearchForm, moved_message};
use crate::forms::query::{ERROR, Query};
use crate::office_views::{CaseloadView, ParticipantFormView, ParticipantsView, PersonChoice};

fn loaded<T, V: IntoView + 'static>(
    result: Result<T, PageError>,
    show: impl FnOnce(T) -> V,
) -> impl IntoView {
    match result {
        Ok(data) => EitherOf3::A(show(data)),
        Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
        Err(error) => EitherOf3::C(view! {
            <p class="alert alert-error" role="alert">{error.to_string()}</p>
        }),
    }
}

fn error_alert() -> impl IntoView {
    Query::current()
        .typed(ERROR)
        .map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })
}

#[component]
pub fn ParticipantsPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| participants());
    view! {
        <Title text="Participants" />
        <h1>"Participants"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <ParticipantsView view /> }) })}
        </Suspense>
    }
}

#[component]
fn ParticipantsView(view: ParticipantsView) -> impl IntoView {
    let searched = view.searched;
    let typed = searched
        .as_ref()
        .map(|s| s.query.clone())
        .unwrap_or_default();
    let answer = searched.map(|searched| {
        if let Some(error) = searched.error {
            return view! { <p class="alert alert-error" role="alert">{error}</p> }.into_any();
        }
        let count = searched.found.len();
        let said = match (count, searched.more) {
            (0, _) => "No participant of your branch has that case number or a name that starts so. Check the spelling, or add them.".to_owned(),
            (n, false) => format!("{n} found."),
            (n, true) => format!("The first {n} found — more match: type more of the name."),
        };
        let rows = searched
            .found
            .into_iter()
            .map(|f| {
                view! {
                    <tr>
                        <th scope="row"><a href=format!("/participants/{}", f.id)>{f.name}</a></th>
                        <td>{f.case_number}</td>
                        <td>{f.coach.unwrap_or_else(|| "No coach".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="found">
                <h2 id="found">"Found"</h2>
                <p role="status">{said}</p>
                {(count > 0).then(|| view! {
                    <table class="deadlines">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Case number"</th><th scope="col">"Coach"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })}
            </section>
        }
        .into_any()
    });
    view! {
        <p class="actions">
            <a class="button button-secondary" href="/participants/new">"Add a participant"</a>
            {view.can_move.then(|| view! {
                <a class="button button-secondary" href="/participants/move">"Move a caseload"</a>
            })}
        </p>
        <form method="post" action="/participants/search" class="stack" role="search">
            <div class="field">
                <label for="search">"Case number or name"</label>
                <p class="hint" id="search-hint">"A case number, or the beginning of a last name (“Garc”), or a first and last name."</p>
                <input id="search" type="search" name=SearchForm::QUERY value=typed required maxlength="100"
                    autocomplete="off" aria-describedby="search-hint" />
            </div>
            <button type="submit" class="button">"Search"</button>
        </form>
        {answer}
        <p><a href="/today">"Back to Today"</a></p>
    }
}

#[component]
pub fn NewParticipantPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| participant_form(None));
    view! {
        <Title text="Add a participant" />
        <h1>"Add a participant"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <ParticipantRecord view /> }) })}
        </Suspense>
    }
}

#[component]
pub fn ParticipantPage() -> impl IntoView {
    let id = move || {
        use_params_map()
            .get_untracked()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => participant_form(Some(id)).await,
            None => Err(crate::backend::not_found("There is no such participant.")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Title text="Participant" /><p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <ParticipantRecord view /> }) })}
        </Suspense>
    }
}

fn person_options(people: &[PersonChoice], chosen: Option<i64>) -> impl IntoView + use<> {
    people
        .iter()
        .map(|p| view! { <option value=p.id.to_string() selected=chosen == Some(p.id)>{p.name.clone()}</option> })
        .collect_view()
}

#[component]
fn ParticipantRecord(view: ParticipantFormView) -> impl IntoView {
    let query = Query::current();
    let refused = query.typed(ERROR).is_some();
    let saved = query.typed("saved").filter(|_| !refused);
    let f = view.fields;
    // What a refused form sent, else what is stored.
    let value = |name: &str, stored: String| {
        if refused {
            query.get(name).unwrap_or_default()
        } else {
            stored
        }
    };
    let ticked = |name: &str, stored: bool| {
        if refused {
            query.get(name).is_some()
        } else {
            stored
        }
    };
    let chosen = |name: &str, stored: Option<i64>| {
        if refused {
            query.get(name).and_then(|v| v.parse().ok())
        } else {
            stored
        }
    };
    let new = view.id.is_none();
    let action = view.id.map_or_else(
        || "/participants/new".to_owned(),
        |id| format!("/participants/{id}"),
    );
    let language = value(ParticipantForm::LANGUAGE, f.language.clone());
    let languages = view
        .languages
        .iter()
        .map(|l| view! { <option value=l.code.clone() selected=l.code == language>{l.name.clone()}</option> })
        .collect_view();
    let title = if new {
        None
    } else {
        Some(format!("{} {}", f.first_name, f.last_name))
    };
    let saved_said = saved.map(|saved| match saved.as_str() {
        "created" => "Participant added.",
        _ => "Saved.",
    });
    view! {
        {title.map(|title| view! { <Title text=title.clone() /><h1>{title}</h1> })}
        {saved_said.map(|said| view! { <p class="alert alert-success" role="status">{said}</p> })}
        {error_alert()}
        {view.open_episode.map(|e| view! {
            <p><a href=format!("/episodes/{e}")>"Their open re-engagement episode"</a></p>
        })}
        <form method="post" action=action class="stack">
            <fieldset>
                <legend>"Who"</legend>
                {if new {
                    view! {
                        <div class="field">
                            <label for="p-case">"Case number"</label>
                            <input id="p-case" name=ParticipantForm::CASE_NUMBER value=value(ParticipantForm::CASE_NUMBER, String::new())
                                required maxlength="40" autocomplete="off" />
                        </div>
                    }.into_any()
                } else {
                    view! { <p>"Case number " <strong>{f.case_number.clone()}</strong></p> }.into_any()
                }}
                <div class="field">
                    <label for="p-first">"First name"</label>
                    <input id="p-first" name=ParticipantForm::FIRST_NAME value=value(ParticipantForm::FIRST_NAME, f.first_name.clone()) required maxlength="200" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="p-last">"Last name"</label>
                    <input id="p-last" name=ParticipantForm::LAST_NAME value=value(ParticipantForm::LAST_NAME, f.last_name.clone()) required maxlength="200" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="p-display">"Name used in lists and letters (optional)"</label>
                    <input id="p-display" name=ParticipantForm::DISPLAY_NAME value=value(ParticipantForm::DISPLAY_NAME, f.display_name.clone()) maxlength="200" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="p-language">"Language they read (their DHS 7869 notice prints in it)"</label>
                    <select id="p-language" name=ParticipantForm::LANGUAGE>{languages}</select>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Contact details"</legend>
                <div class="field">
                    <label for="p-phone">"Phone"</label>
                    <input id="p-phone" type="tel" name=ParticipantForm::PHONE value=value(ParticipantForm::PHONE, f.phone.clone()) maxlength="200" autocomplete="off" />
                </div>
                <div class="choice">
                    <input id="p-in-service" type="checkbox" name=ParticipantForm::PHONE_IN_SERVICE value="yes"
                        checked=ticked(ParticipantForm::PHONE_IN_SERVICE, f.phone_in_service || new) />
                    <label for="p-in-service">"The phone number is in service"</label>
                </div>
                <div class="field">
                    <label for="p-email">"E-mail"</label>
                    <input id="p-email" type="email" name=ParticipantForm::EMAIL value=value(ParticipantForm::EMAIL, f.email.clone()) maxlength="200" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="p-address">"Mailing address"</label>
                    <textarea id="p-address" name=ParticipantForm::ADDRESS rows="3" maxlength="200">{value(ParticipantForm::ADDRESS, f.address.clone())}</textarea>
                </div>
                <div class="choice">
                    <input id="p-verified" type="checkbox" name=ParticipantForm::ADDRESS_VERIFIED value="yes"
                        checked=ticked(ParticipantForm::ADDRESS_VERIFIED, f.address_verified) />
                    <label for="p-verified">"The mailing address is verified"</label>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Coach and referral"</legend>
                <div class="field">
                    <label for="p-coach">"Family coach"</label>
                    <p class="hint" id="p-coach-hint">"Their open episode moves with them to a new coach."</p>
                    <select id="p-coach" name=ParticipantForm::COACH aria-describedby="p-coach-hint">
                        <option value="">"No coach"</option>
                        {person_options(&view.coaches, chosen(ParticipantForm::COACH, f.coach_id))}
                    </select>
                </div>
                <div class="field">
                    <label for="p-contractor">"Referred to JOBS contractor"</label>
                    <select id="p-contractor" name=ParticipantForm::CONTRACTOR>
                        <option value="">"No referral"</option>
                        {person_options(&view.contractors, chosen(ParticipantForm::CONTRACTOR, f.contractor_id))}
                    </select>
                </div>
                <div class="field">
                    <label for="p-until">"Last day of the referral (optional)"</label>
                    <p class="hint" id="p-until-hint">"From the day after, the contractor no longer sees this participant."</p>
                    <input id="p-until" type="date" name=ParticipantForm::CONTRACTOR_UNTIL aria-describedby="p-until-hint"
                        value=value(ParticipantForm::CONTRACTOR_UNTIL, f.contractor_until.map(|d| d.to_string()).unwrap_or_default()) />
                </div>
            </fieldset>
            <button type="submit" class="button">{if new { "Add participant" } else { "Save" }}</button>
        </form>
        <p><a href="/participants">"Back to participants"</a></p>
    }
}

#[component]
pub fn MoveCaseloadPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| caseload());
    view! {
        <Title text="Move a caseload" />
        <h1>"Move a caseload"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <MoveView view /> }) })}
        </Suspense>
    }
}

#[component]
fn MoveView(view: CaseloadView) -> impl IntoView {
    let query = Query::current();
    let refused = query.typed(ERROR).is_some();
    let moved = query
        .typed("saved")
        .filter(|_| !refused)
        .and_then(|saved| moved_message(&saved));
    let chosen = |name: &str| {
        if refused {
            query.get(name).and_then(|v| v.parse().ok())
        } else {
            None
        }
    };
    view! {
        {moved.map(|said| view! { <p class="alert alert-success" role="status">{said}</p> })}
        {error_alert()}
        <p>"Every participant of the first coach — or only the one with the case number given — gets the second coach. Their open episodes follow them, and each move is recorded in the audit trail."</p>
        <form method="post" action="/participants/move" class="stack">
            <div class="field">
                <label for="move-from">"From coach"</label>
                <select id="move-from" name=MoveForm::FROM_COACH required>
                    <option value="">"Choose a coach"</option>
                    {person_options(&view.coaches, chosen(MoveForm::FROM_COACH))}
                </select>
            </div>
            <div class="field">
                <label for="move-to">"To coach"</label>
                <select id="move-to" name=MoveForm::TO_COACH required>
                    <option value="">"Choose a coach"</option>
                    {person_options(&view.coaches, chosen(MoveForm::TO_COACH))}
                </select>
            </div>
            <div class="field">
                <label for="move-case">"Only this case number (optional)"</label>
                <p class="hint" id="move-case-hint">"Leave empty to move the whole caseload."</p>
                <input id="move-case" name=MoveForm::CASE_NUMBER maxlength="40" autocomplete="off" aria-describedby="move-case-hint"
                    value=if refused { query.get(MoveForm::CASE_NUMBER).unwrap_or_default() } else { String::new() } />
            </div>
            <button type="submit" class="button">"Move"</button>
        </form>
        <p><a href="/participants">"Back to participants"</a></p>
    }
}
