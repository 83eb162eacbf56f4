//! The admin pages (desktop, admin role): `/admin` — every office and staff account, and a
//! new account; `/admin/offices/{id}` — an office's details (printed on the DHS 7869), its
//! time zone, its mail pickup time (R15) and its closure days, each with the deadlines it
//! moves; `/admin/staff/{id}` — an account's role, office, phone, access, password and tokens.
//! Plain forms, so they work without JavaScript; every change is audited by the server.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use reengage_core::long_date;

use crate::backend::{PageError, admin, admin_office, admin_staff};
use crate::forms::admin::{
    ClosureForm, NEW_OFFICE, NEW_STAFF, NewStaffForm, OfficeForm, StaffChangeForm, saved_message,
};
use crate::forms::query::{ERROR, Query, SECTION};
use crate::office_views::{AdminView, OfficeLine, OfficeView, RoleChoice, StaffMemberView};

/// The id in the address (`/admin/offices/{id}`, `/admin/staff/{id}`).
fn id_param() -> Option<i64> {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
}

/// What a saved form's redirect says, and what a refused form sent back.
#[component]
fn Outcome() -> impl IntoView {
    let query = Query::current();
    let error = query.typed(ERROR);
    let saved = query
        .typed("saved")
        .filter(|_| error.is_none())
        .and_then(|saved| saved_message(&saved));
    view! {
        {saved.map(|said| view! { <p class="alert alert-success" role="status">{said}</p> })}
        {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
    }
}

/// A loaded page, or signed out → sign in, or the reason.
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

#[component]
pub fn AdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| admin());
    view! {
        <Title text="Admin: offices and staff" />
        <h1>"Offices and staff"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <AdminView view /> }) })}
        </Suspense>
    }
}

fn office_options(offices: &[OfficeLine], chosen: Option<i64>) -> impl IntoView + use<> {
    offices
        .iter()
        .map(|o| {
            view! { <option value=o.id.to_string() selected=chosen == Some(o.id)>{o.name.clone()}</option> }
        })
        .collect_view()
}

fn role_options(roles: &[RoleChoice], chosen: &str) -> impl IntoView + use<> {
    roles
        .iter()
        .map(|r| view! { <option value=r.code.clone() selected=r.code == chosen>{r.label.clone()}</option> })
        .collect_view()
}

#[component]
fn AdminView(view: AdminView) -> impl IntoView {
    let query = Query::current();
    // What a refused form of section `section` sent back, for that form's fields only (the
    // office's and the account's forms share field names).
    let typed_in = |section: &str, name: &str| {
        (query.get(SECTION).as_deref() == Some(section))
            .then(|| query.get(name))
            .flatten()
            .unwrap_or_default()
    };
    let typed = |name: &str| typed_in(NEW_STAFF, name);
    let new_office = |name: &str| typed_in(NEW_OFFICE, name);
    let zone = Some(new_office(OfficeForm::TIME_ZONE))
        .filter(|z| !z.is_empty())
        .or_else(|| view.time_zones.first().cloned())
        .unwrap_or_default();
    let zones = view
        .time_zones
        .iter()
        .map(|z| view! { <option value=z.clone() selected=*z == zone>{z.clone()}</option> })
        .collect_view();
    let offices = view
        .offices
        .iter()
        .map(|o| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/offices/{}", o.id)>{o.name.clone()}</a></th>
                    <td>{o.address.clone().unwrap_or_else(|| "— not set".into())}</td>
                    <td>{o.phone.clone().unwrap_or_else(|| "— not set".into())}</td>
                    <td>{o.mail_pickup.clone().unwrap_or_else(|| "none".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let staff = view
        .staff
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/staff/{}", s.id)>{s.name.clone()}</a></th>
                    <td>{s.email.clone()}</td>
                    <td>{s.role_label.clone()}</td>
                    <td>{s.office.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{if s.active { "Enabled" } else { "Disabled" }}</td>
                </tr>
            }
        })
        .collect_view();
    let chosen_office = typed(NewStaffForm::OFFICE).parse().ok();
    view! {
        <Outcome />
        <section aria-labelledby="offices">
            <h2 id="offices">"Offices"</h2>
            <table class="deadlines">
                    <thead><tr><th scope="col">"Office"</th><th scope="col">"Address"</th><th scope="col">"Phone"</th><th scope="col">"Mail pickup"</th></tr></thead>
                    <tbody>{offices}</tbody>
                </table>
        </section>
        <section aria-labelledby=NEW_OFFICE>
            <h2 id=NEW_OFFICE>"Add an office"</h2>
            <p class="hint">"Its closure days, address and phone can be changed on its own page after."</p>
            <form method="post" action="/admin/offices" class="stack">
                <div class="field">
                    <label for="new-office-name">"Office name"</label>
                    <input id="new-office-name" name=OfficeForm::NAME value=new_office(OfficeForm::NAME) required maxlength="100" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-office-address">"Street address (optional)"</label>
                    <textarea id="new-office-address" name=OfficeForm::ADDRESS rows="3" maxlength="200">{new_office(OfficeForm::ADDRESS)}</textarea>
                </div>
                <div class="field">
                    <label for="new-office-phone">"Phone (optional)"</label>
                    <input id="new-office-phone" type="tel" name=OfficeForm::PHONE value=new_office(OfficeForm::PHONE) maxlength="200" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-office-zone">"Time zone"</label>
                    <select id="new-office-zone" name=OfficeForm::TIME_ZONE>{zones}</select>
                </div>
                <div class="field">
                    <label for="new-office-pickup">"Mail pickup time (optional)"</label>
                    <p class="hint" id="new-office-pickup-hint">"After it, a notice mailed that day leaves the next business day (R15)."</p>
                    <input id="new-office-pickup" type="time" name=OfficeForm::MAIL_PICKUP value=new_office(OfficeForm::MAIL_PICKUP)
                        aria-describedby="new-office-pickup-hint" />
                </div>
                <button type="submit" class="button">"Add office"</button>
            </form>
        </section>
        <section aria-labelledby="staff">
            <h2 id="staff">"Staff"</h2>
            <table class="deadlines">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col">"Office"</th><th scope="col">"Access"</th></tr></thead>
                    <tbody>{staff}</tbody>
                </table>
        </section>
        <section aria-labelledby=NEW_STAFF>
            <h2 id=NEW_STAFF>"Add a staff member"</h2>
            <form method="post" action="/admin/staff" class="stack">
                <div class="field">
                    <label for="new-name">"Name"</label>
                    <input id="new-name" name=NewStaffForm::NAME value=typed(NewStaffForm::NAME) required maxlength="100" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-initials">"Initials"</label>
                    <input id="new-initials" name=NewStaffForm::INITIALS value=typed(NewStaffForm::INITIALS) required maxlength="5" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-email">"Work e-mail"</label>
                    <input id="new-email" type="email" name=NewStaffForm::EMAIL value=typed(NewStaffForm::EMAIL) required autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-role">"Role"</label>
                    <select id="new-role" name=NewStaffForm::ROLE>{role_options(&view.roles, &typed(NewStaffForm::ROLE))}</select>
                </div>
                <div class="field">
                    <label for="new-office">"Office"</label>
                    <select id="new-office" name=NewStaffForm::OFFICE>
                        <option value="">"No office"</option>
                        {office_options(&view.offices, chosen_office)}
                    </select>
                </div>
                <div class="field">
                    <label for="new-phone">"Work phone (optional)"</label>
                    <input id="new-phone" type="tel" name=NewStaffForm::PHONE value=typed(NewStaffForm::PHONE) maxlength="40" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-password">"First password"</label>
                    <p class="hint" id="new-password-hint">"At least 15 characters. They choose their own at their first sign-in."</p>
                    <input id="new-password" type="password" name=NewStaffForm::PASSWORD required minlength="15" maxlength="256"
                        autocomplete="new-password" aria-describedby="new-password-hint" />
                </div>
                <button type="submit" class="button">"Add staff member"</button>
            </form>
        </section>
    }
}

#[component]
pub fn OfficePage() -> impl IntoView {
    let page = Resource::new(id_param, |id| async move {
        match id {
            Some(id) => admin_office(id).await,
            None => Err(crate::backend::not_found("There is no such office.")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Title text="Office" /><p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <OfficeView view /> }) })}
        </Suspense>
    }
}

#[component]
fn OfficeView(view: OfficeView) -> impl IntoView {
    let query = Query::current();
    // What a refused form sent, else what is stored.
    let refused = query.typed(ERROR).is_some();
    let value = |name: &str, stored: Option<String>| {
        if refused {
            query.get(name).unwrap_or_default()
        } else {
            stored.unwrap_or_default()
        }
    };
    let office = view.office;
    let action = format!("/admin/offices/{}", office.id);
    let closures_action = format!("/admin/offices/{}/closures", office.id);
    let remove_action = format!("/admin/offices/{}/closures/remove", office.id);
    let zone = value(OfficeForm::TIME_ZONE, Some(office.time_zone.clone()));
    let zones = view
        .time_zones
        .iter()
        .map(|z| view! { <option value=z.clone() selected=*z == zone>{z.clone()}</option> })
        .collect_view();
    let closures = view
        .closures
        .iter()
        .map(|c| {
            let remove_action = remove_action.clone();
            view! {
                <tr>
                    <th scope="row">{long_date(c.on)}</th>
                    <td>{c.name.clone()}</td>
                    <td>
                        <form method="post" action=remove_action>
                            <input type="hidden" name=ClosureForm::ON value=c.on.to_string() />
                            <button type="submit" class="button button-secondary">
                                "Remove " <span class="visually-hidden">{long_date(c.on)}</span>
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let no_closures = view.closures.is_empty();
    let title = format!("Office: {}", office.name);
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href="/admin">"Back to offices and staff"</a></p>
        <Outcome />
        <section aria-labelledby="details">
            <h2 id="details">"Details"</h2>
            <p class="hint">"The address and phone are printed on the DHS 7869 notice as where to come and whom to call."</p>
            <form method="post" action=action class="stack">
                <div class="field">
                    <label for="office-name">"Office name"</label>
                    <input id="office-name" name=OfficeForm::NAME value=value(OfficeForm::NAME, Some(office.name.clone())) required maxlength="100" />
                </div>
                <div class="field">
                    <label for="office-address">"Street address"</label>
                    <textarea id="office-address" name=OfficeForm::ADDRESS rows="3" maxlength="200">{value(OfficeForm::ADDRESS, office.address.clone())}</textarea>
                </div>
                <div class="field">
                    <label for="office-phone">"Phone"</label>
                    <input id="office-phone" type="tel" name=OfficeForm::PHONE value=value(OfficeForm::PHONE, office.phone.clone()) maxlength="200" />
                </div>
                <div class="field">
                    <label for="office-zone">"Time zone"</label>
                    <select id="office-zone" name=OfficeForm::TIME_ZONE>{zones}</select>
                </div>
                <div class="field">
                    <label for="office-pickup">"Mail pickup time (R15)"</label>
                    <p class="hint" id="office-pickup-hint">"A notice mailed after the day's pickup leaves on the next business day. Leave empty if there is none."</p>
                    <input id="office-pickup" type="time" name=OfficeForm::MAIL_PICKUP value=value(OfficeForm::MAIL_PICKUP, office.mail_pickup.clone())
                        aria-describedby="office-pickup-hint" />
                </div>
                <button type="submit" class="button">"Save office details"</button>
            </form>
        </section>
        <section aria-labelledby="closures">
            <h2 id="closures">"Closure days"</h2>
            <p class="hint">"A day the office is closed — weather, an emergency — is not a business day: deadlines due on or after it move."</p>
            {if no_closures {
                view! { <p class="empty">"No closure days of this office's own (Oregon's holidays always count)."</p> }.into_any()
            } else {
                view! {
                    <table class="deadlines">
                        <thead><tr><th scope="col">"Day"</th><th scope="col">"Why"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                        <tbody>{closures}</tbody>
                    </table>
                }.into_any()
            }}
            <form method="post" action=closures_action class="stack">
                <div class="field">
                    <label for="closure-on">"Closed on"</label>
                    <input id="closure-on" type="date" name=ClosureForm::ON value=if refused { query.get(ClosureForm::ON).unwrap_or_default() } else { String::new() } required />
                </div>
                <div class="field">
                    <label for="closure-name">"Why"</label>
                    <input id="closure-name" name=ClosureForm::NAME placeholder="Snow day" required maxlength="100"
                        value=if refused { query.get(ClosureForm::NAME).unwrap_or_default() } else { String::new() } />
                </div>
                <button type="submit" class="button">"Add closure day"</button>
            </form>
        </section>
    }
}

#[component]
pub fn StaffMemberPage() -> impl IntoView {
    let page = Resource::new(id_param, |id| async move {
        match id {
            Some(id) => admin_staff(id).await,
            None => Err(crate::backend::not_found("There is no such staff member.")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Title text="Staff member" /><p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(page.await, |view| view! { <StaffMemberView view /> }) })}
        </Suspense>
    }
}

#[component]
fn StaffMemberView(view: StaffMemberView) -> impl IntoView {
    let member = view.member;
    let action = format!("/admin/staff/{}", member.id);
    let change = |what: &'static str| view! { <input type="hidden" name=StaffChangeForm::CHANGE value=what /> };
    let tokens = view
        .tokens
        .iter()
        .map(|t| {
            let action = action.clone();
            let live = t.revoked.is_none();
            view! {
                <tr>
                    <td>{t.created.clone()}</td>
                    <td>{t.expires.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{t.last_used.clone().unwrap_or_else(|| "never".into())}</td>
                    <td>
                        {if live {
                            view! {
                                <form method="post" action=action>
                                    {change(StaffChangeForm::REVOKE_TOKEN)}
                                    <input type="hidden" name=StaffChangeForm::TOKEN value=t.id.to_string() />
                                    <button type="submit" class="button button-secondary">
                                        "Revoke" <span class="visually-hidden">{format!(" token {}", t.id)}</span>
                                    </button>
                                </form>
                            }.into_any()
                        } else {
                            view! { <span>{format!("Revoked {}", t.revoked.clone().unwrap_or_default())}</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let no_tokens = view.tokens.is_empty();
    let new_token = view.new_token.clone();
    let title = format!("Staff member: {}", member.name);
    let yourself = view.yourself;
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href="/admin">"Back to offices and staff"</a></p>
        <Outcome />
        <dl class="facts">
            <dt>"E-mail"</dt><dd>{member.email.clone()}</dd>
            <dt>"Initials"</dt><dd>{member.initials.clone()}</dd>
            <dt>"Access"</dt><dd>{if member.active { "Enabled" } else { "Disabled" }}</dd>
        </dl>
        {yourself.then(|| view! {
            <p class="alert alert-info">"This is your own account: another admin changes its role, office or access."</p>
        })}
        <section aria-labelledby="post">
            <h2 id="post">"Role and office"</h2>
            <p class="hint">"A change ends their sessions and revokes their API tokens: they sign in again with what the new post needs."</p>
            <form method="post" action=action.clone() class="stack">
                {change(StaffChangeForm::SET_ROLE)}
                <div class="field">
                    <label for="member-role">"Role"</label>
                    <select id="member-role" name=StaffChangeForm::ROLE disabled=yourself>{role_options(&view.roles, &member.role)}</select>
                </div>
                <button type="submit" class="button" disabled=yourself>"Change role"</button>
            </form>
            <form method="post" action=action.clone() class="stack">
                {change(StaffChangeForm::SET_OFFICE)}
                <div class="field">
                    <label for="member-office">"Office"</label>
                    <select id="member-office" name=StaffChangeForm::OFFICE disabled=yourself>
                        <option value="">"No office"</option>
                        {office_options(&view.offices, member.office_id)}
                    </select>
                </div>
                <button type="submit" class="button" disabled=yourself>"Change office"</button>
            </form>
        </section>
        <section aria-labelledby="phone">
            <h2 id="phone">"Work phone"</h2>
            <form method="post" action=action.clone() class="stack">
                {change(StaffChangeForm::SET_PHONE)}
                <div class="field">
                    <label for="member-phone">"Work phone (printed on the notices they send)"</label>
                    <input id="member-phone" type="tel" name=StaffChangeForm::PHONE value=member.phone.clone().unwrap_or_default() maxlength="40" />
                </div>
                <button type="submit" class="button">"Save phone"</button>
            </form>
        </section>
        <section aria-labelledby="access">
            <h2 id="access">"Access"</h2>
            <form method="post" action=action.clone() class="stack">
                {if member.active {
                    view! {
                        {change(StaffChangeForm::DISABLE)}
                        <p class="hint">"Disabling ends their sessions and revokes their tokens and calendar feed at once."</p>
                        <button type="submit" class="button button-secondary" disabled=yourself>"Disable account"</button>
                    }.into_any()
                } else {
                    view! {
                        {change(StaffChangeForm::ENABLE)}
                        <button type="submit" class="button">"Enable account"</button>
                    }.into_any()
                }}
            </form>
            <form method="post" action=action.clone() class="stack">
                {change(StaffChangeForm::RESET_PASSWORD)}
                <div class="field">
                    <label for="member-password">"New first password"</label>
                    <p class="hint" id="member-password-hint">"At least 15 characters. Their sessions end; they choose their own at their next sign-in."</p>
                    <input id="member-password" type="password" name=StaffChangeForm::PASSWORD required minlength="15" maxlength="256"
                        autocomplete="new-password" aria-describedby="member-password-hint" />
                </div>
                <button type="submit" class="button">"Reset password"</button>
            </form>
        </section>
        <section aria-labelledby="tokens">
            <h2 id="tokens">"API tokens"</h2>
            <p class="hint">"A token lets a script act as this account through the REST API for 90 days. It is shown once, when it is made."</p>
            {new_token.map(|token| view! {
                <div class="alert alert-info">
                    <label for="new-token">"The new token — copy it now"</label>
                    <input id="new-token" class="token" readonly value=token autocomplete="off" spellcheck="false" />
                </div>
            })}
            <form method="post" action=action.clone()>
                {change(StaffChangeForm::ISSUE_TOKEN)}
                <button type="submit" class="button button-secondary" disabled=!member.active>"Make an API token"</button>
            </form>
            {if no_tokens {
                view! { <p class="empty">"No API tokens."</p> }.into_any()
            } else {
                view! {
                    <table class="deadlines">
                        <thead><tr><th scope="col">"Created"</th><th scope="col">"Expires"</th><th scope="col">"Last used"</th><th scope="col">"State"</th></tr></thead>
                        <tbody>{tokens}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
