//! `reengage admin …`: staff accounts and API tokens from the command line.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use crate::cli::StartError;
use crate::services::Actor;
use crate::services::accounts::{self, NewStaff, PostChange};
use crate::services::branches;
use crate::store::db::Db;

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// People's secret calendar feeds.
    #[command(subcommand)]
    CalendarFeed(CalendarFeedCommand),
    /// Branches (offices).
    #[command(subcommand)]
    Branch(BranchCommand),
    /// Participants: find one, move a caseload.
    #[command(subcommand)]
    Participant(ParticipantCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum ParticipantCommand {
    /// Find the participants of BRANCH with a case number, or whose name starts with QUERY
    /// ("Garcia", "garcia ma", "Maria Garcia").
    Search {
        /// The branch's name, or its id.
        branch: String,
        query: String,
    },
    /// Move the caseload of the coach FROM (e-mail) to the coach TO (e-mail), both of the
    /// same branch; with --case-number, only that participant. Open episodes follow.
    Move {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        case_number: Option<String>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum BranchCommand {
    /// Set the office's outgoing-mail pickup time (R15), or remove it with `--none`: after
    /// it, a notice mailed today leaves on the next business day.
    MailPickup {
        /// The branch's name, or its id.
        branch: String,
        /// HH:MM, office time (24-hour clock), e.g. 15:00.
        #[arg(required_unless_present = "none")]
        at: Option<String>,
        #[arg(long, conflicts_with = "at")]
        none: bool,
    },
    /// List every office: id, name, time zone, mail pickup, address, phone.
    List,
    /// Create an office (audited); its closure days are added after with `close`.
    Create {
        /// The office's name, e.g. "Salem (Lancaster)".
        name: String,
        /// Printed on the DHS 7869 notice.
        #[arg(long)]
        address: Option<String>,
        /// Printed on the DHS 7869 notice.
        #[arg(long)]
        phone: Option<String>,
        /// IANA name.
        #[arg(long, default_value = "America/Los_Angeles")]
        time_zone: String,
    },
    /// Set an office's details; what is not given stays as it is (an empty value clears an
    /// address or phone).
    Set {
        /// The branch's name, or its id.
        branch: String,
        #[arg(long)]
        name: Option<String>,
        /// Printed on the DHS 7869 notice.
        #[arg(long)]
        address: Option<String>,
        /// Printed on the DHS 7869 notice.
        #[arg(long)]
        phone: Option<String>,
        /// IANA name, e.g. America/Los_Angeles.
        #[arg(long)]
        time_zone: Option<String>,
    },
    /// Close the office on DAY (YYYY-MM-DD) — a snow day, an emergency — and say how many
    /// open deadlines move.
    Close {
        branch: String,
        day: String,
        /// Why, e.g. "Ice storm".
        name: String,
    },
    /// Open the office again on DAY, a closure day added by mistake.
    Reopen { branch: String, day: String },
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is asked for without echo, or read from
    /// standard input when it is not a terminal.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        initials: String,
        /// family_coach, case_aide, engagement_specialist, operations_manager, lead_worker,
        /// contractor or admin
        #[arg(long)]
        role: reengage_core::roles::Role,
        /// The branch (office) name; created if new.
        #[arg(long)]
        branch: Option<String>,
    },
    /// Set a new password (asked for as at `create`); ends every session of the account.
    Password { email: String },
    /// Disable an account: its sessions and tokens stop working at once.
    Disable { email: String },
    /// Enable a disabled account again.
    Enable { email: String },
    /// Remove the sign-in code (TOTP) of a supervisor or admin who lost their phone and
    /// their recovery codes: they set it up again at their next sign-in.
    ResetCode { email: String },
    /// Give an account another role; its sessions end and its API tokens are revoked.
    SetRole {
        email: String,
        /// family_coach, case_aide, engagement_specialist, operations_manager, lead_worker,
        /// contractor or admin
        role: reengage_core::roles::Role,
    },
    /// Set EMAIL's work phone, printed on the notices they send, or remove it with `--none`.
    SetPhone {
        email: String,
        #[arg(required_unless_present = "none")]
        phone: Option<String>,
        #[arg(long, conflicts_with = "phone")]
        none: bool,
    },
    /// Move an account to another branch (created if new), or to none with `--none`; its
    /// sessions end and its API tokens are revoked.
    SetBranch {
        email: String,
        #[arg(required_unless_present = "none")]
        branch: Option<String>,
        #[arg(long, conflicts_with = "branch")]
        none: bool,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for EMAIL and print it (it is shown only once).
    Create {
        email: String,
        /// How many days it works (1 to 366).
        #[arg(long, default_value_t = accounts::TOKEN_DAYS)]
        days: u32,
    },
    /// List the tokens (of EMAIL, or everyone's): created, expires, last used, revoked.
    List { email: Option<String> },
    /// Revoke the token ID at once.
    Revoke { id: i64 },
}

#[derive(Debug, Clone, Subcommand)]
pub enum CalendarFeedCommand {
    /// Turn off EMAIL's calendar feed at once: its address stops working (they can make a
    /// new one on their calendar page).
    Revoke { email: String },
}

/// The account with `email`: id, role, branch.
async fn post_of_email(db: &Db, email: &str) -> Result<(i64, String, Option<i64>), StartError> {
    let email = email.trim().to_lowercase();
    let mut conn = db
        .pool
        .acquire()
        .await
        .map_err(|e| StartError::Input(e.to_string()))?;
    crate::store::staff::post_of(&mut conn, &email)
        .await
        .map_err(|e| StartError::Input(e.to_string()))?
        .ok_or_else(|| StartError::Input(format!("there is no account {email}")))
}

fn service(error: crate::services::ServiceError) -> StartError {
    StartError::Input(error.to_string())
}

/// A day as typed on the command line (YYYY-MM-DD, or as the forms take it).
fn day_of(text: &str) -> Result<chrono::NaiveDate, StartError> {
    match reengage_core::parse_date_input(text) {
        Ok(day) => Ok(day),
        Err(_) => Err(StartError::Input(format!(
            "“{}” is not a day: give it as YYYY-MM-DD, e.g. 2027-01-12.",
            text.trim()
        ))),
    }
}

/// Changes made from the command line are audited as this actor.
fn command_line() -> Actor {
    Actor {
        staff_id: None,
        email: "command line".into(),
        role: reengage_core::roles::Role::Admin,
    }
}

fn read_password() -> Result<String, StartError> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        rpassword::prompt_password("Password (at least 15 characters): ")
            .map_err(|e| StartError::Input(format!("cannot read the password: {e}")))?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| StartError::Input(format!("cannot read the password: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(password)
}

fn input(error: accounts::AuthError) -> StartError {
    match error {
        accounts::AuthError::Db(e) => {
            StartError::Input(format!("the database refused the change: {e}"))
        }
        other => StartError::Input(other.to_string()),
    }
}

/// What `set-role` and `set-branch` print.
fn post_changed(email: &str, changed: Option<u64>, what: &str) -> String {
    match changed {
        None => format!("{email} already has {what}; nothing changed\n"),
        Some(revoked) => format!(
            "{email} now has {what}; their sessions have ended and {revoked} API token(s) were revoked\n"
        ),
    }
}

/// Runs an admin command; returns what to print.
pub async fn run(db: &Db, command: AdminCommand) -> Result<String, StartError> {
    let now = chrono::Utc::now();
    match command {
        AdminCommand::User(UserCommand::Create {
            email,
            name,
            initials,
            role,
            branch,
        }) => {
            let password = read_password()?;
            let id = accounts::create_staff(
                db,
                &command_line(),
                NewStaff {
                    email: email.clone(),
                    name,
                    initials,
                    role,
                    branch,
                    password,
                    phone: None,
                },
                now,
            )
            .await
            .map_err(input)?;
            Ok(format!(
                "created staff member {id}: {}\n",
                email.trim().to_lowercase()
            ))
        }
        AdminCommand::User(UserCommand::Password { email }) => {
            let password = read_password()?;
            accounts::set_password(db, &command_line(), &email, password, now)
                .await
                .map_err(input)?;
            Ok(format!(
                "password changed; every session of {email} has ended\n"
            ))
        }
        AdminCommand::User(UserCommand::Disable { email }) => {
            accounts::set_active(db, &command_line(), &email, false, now)
                .await
                .map_err(input)?;
            Ok(format!(
                "disabled {email}; its sessions and tokens no longer work\n"
            ))
        }
        AdminCommand::User(UserCommand::Enable { email }) => {
            accounts::set_active(db, &command_line(), &email, true, now)
                .await
                .map_err(input)?;
            Ok(format!("enabled {email}\n"))
        }
        AdminCommand::User(UserCommand::ResetCode { email }) => {
            let found = crate::services::second_factor::remove(db, &command_line(), &email, now)
                .await
                .map_err(|e| input(e.into()))?;
            if !found {
                return Err(input(accounts::AuthError::UnknownStaff(email)));
            }
            Ok(format!(
                "removed the sign-in code of {email}; they set it up again at their next sign-in\n"
            ))
        }
        AdminCommand::User(UserCommand::SetRole { email, role }) => {
            let changed =
                accounts::change_post(db, &command_line(), &email, PostChange::Role(role), now)
                    .await
                    .map_err(input)?;
            Ok(post_changed(&email, changed, &format!("the role {role}")))
        }
        AdminCommand::User(UserCommand::SetBranch {
            email,
            branch,
            none,
        }) => {
            let branch = branch.filter(|_| !none);
            let what = branch
                .as_deref()
                .map_or_else(|| "no branch".to_owned(), |b| format!("the branch {b}"));
            let changed =
                accounts::change_post(db, &command_line(), &email, PostChange::Branch(branch), now)
                    .await
                    .map_err(input)?;
            Ok(post_changed(&email, changed, &what))
        }
        AdminCommand::Branch(BranchCommand::MailPickup { branch, at, none }) => {
            let id = crate::cli::calendar::branch_id(db, &branch).await?;
            let at = match at.filter(|_| !none) {
                None => None,
                Some(text) => match reengage_core::parse_time_input(&text) {
                    Ok(Some(at)) => Some(at),
                    _ => {
                        return Err(StartError::Input(format!(
                            "“{}” is not a time: give the pickup as HH:MM, e.g. 15:00, or --none.",
                            text.trim()
                        )));
                    }
                },
            };
            crate::services::branches::set_mail_pickup(db, &command_line(), id, at, now)
                .await
                .map_err(|e| StartError::Input(e.to_string()))?;
            Ok(match at {
                Some(at) => format!(
                    "branch {} now has its mail picked up at {}: a notice mailed after it leaves on the next business day\n",
                    branch.trim(),
                    at.format("%H:%M")
                ),
                None => format!("branch {} now has no mail pickup time\n", branch.trim()),
            })
        }
        AdminCommand::Branch(BranchCommand::List) => {
            let offices = branches::offices(db).await.map_err(service)?;
            let mut out = String::from("id\tname\ttime zone\tmail pickup\taddress\tphone\n");
            for o in offices {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    o.id,
                    o.name,
                    o.time_zone,
                    o.mail_pickup
                        .map_or_else(|| "-".into(), |at| at.format("%H:%M").to_string()),
                    o.address.unwrap_or_else(|| "-".into()),
                    o.phone.unwrap_or_else(|| "-".into()),
                ));
            }
            Ok(out)
        }
        AdminCommand::Branch(BranchCommand::Set {
            branch,
            name,
            address,
            phone,
            time_zone,
        }) => {
            let id = crate::cli::calendar::branch_id(db, &branch).await?;
            let office = branches::office_of(db, id).await.map_err(service)?;
            let change = branches::OfficeChange {
                name: name.unwrap_or(office.name),
                address: address.or(office.address),
                phone: phone.or(office.phone),
                time_zone: time_zone.unwrap_or(office.time_zone),
                mail_pickup: office.mail_pickup,
            };
            let office = branches::set_office(db, &command_line(), id, change, now)
                .await
                .map_err(service)?;
            Ok(format!(
                "office {} ({}): address {}, phone {}, time zone {}\n",
                office.id,
                office.name,
                office.address.as_deref().unwrap_or("none"),
                office.phone.as_deref().unwrap_or("none"),
                office.time_zone
            ))
        }
        AdminCommand::Branch(BranchCommand::Create {
            name,
            address,
            phone,
            time_zone,
        }) => {
            let change = branches::OfficeChange {
                name,
                address,
                phone,
                time_zone,
                mail_pickup: None,
            };
            let office = branches::create_office(db, &command_line(), change, now)
                .await
                .map_err(service)?;
            Ok(format!(
                "office {} ({}) created: time zone {}\n",
                office.id, office.name, office.time_zone
            ))
        }
        AdminCommand::Branch(BranchCommand::Close { branch, day, name }) => {
            let id = crate::cli::calendar::branch_id(db, &branch).await?;
            let on = day_of(&day)?;
            let effect = branches::add_closure_with_effect(
                db,
                &command_line(),
                id,
                branches::ClosureDay { on, name },
                now,
            )
            .await
            .map_err(service)?;
            Ok(format!(
                "branch {} is closed on {on}: this moves {} open deadline(s) of {} episode(s)\n",
                branch.trim(),
                effect.deadlines_moved,
                effect.episodes
            ))
        }
        AdminCommand::Branch(BranchCommand::Reopen { branch, day }) => {
            let id = crate::cli::calendar::branch_id(db, &branch).await?;
            let on = day_of(&day)?;
            let effect = branches::remove_closure_with_effect(db, &command_line(), id, on, now)
                .await
                .map_err(service)?;
            Ok(format!(
                "branch {} is open again on {on}: this moves {} open deadline(s) of {} episode(s)\n",
                branch.trim(),
                effect.deadlines_moved,
                effect.episodes
            ))
        }
        AdminCommand::User(UserCommand::SetPhone { email, phone, none }) => {
            let phone = phone.filter(|_| !none);
            let (id, _, _) = post_of_email(db, &email).await?;
            accounts::set_phone(db, &command_line(), id, phone.as_deref(), now)
                .await
                .map_err(input)?;
            Ok(match phone {
                Some(p) => format!("{} now has the work phone {}\n", email.trim(), p.trim()),
                None => format!("{} now has no work phone\n", email.trim()),
            })
        }
        AdminCommand::Participant(ParticipantCommand::Search { branch, query }) => {
            let id = crate::cli::calendar::branch_id(db, &branch).await?;
            let found = crate::services::participants::search(db, id, &query)
                .await
                .map_err(service)?;
            let mut out = String::from("id\tcase number\tname\tcoach\n");
            for f in &found.found {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    f.id,
                    f.case_number,
                    f.name,
                    f.coach.as_deref().unwrap_or("-")
                ));
            }
            if found.found.is_empty() {
                out.push_str("no participant of the branch has that case number or name\n");
            } else if found.more {
                out.push_str(&format!(
                    "more than {} match: type more of the name\n",
                    crate::services::participants::SEARCH_LIMIT
                ));
            }
            Ok(out)
        }
        AdminCommand::Participant(ParticipantCommand::Move {
            from,
            to,
            case_number,
        }) => {
            let (from_id, _, branch) = post_of_email(db, &from).await?;
            let (to_id, _, _) = post_of_email(db, &to).await?;
            let branch = branch.ok_or_else(|| {
                StartError::Input(format!("{} has no branch, so no caseload", from.trim()))
            })?;
            let participant_id = match case_number {
                None => None,
                Some(case) => {
                    let found = crate::services::participants::search(db, branch, &case)
                        .await
                        .map_err(service)?;
                    let one = found
                        .found
                        .iter()
                        .find(|f| f.case_number.eq_ignore_ascii_case(case.trim()))
                        .ok_or_else(|| {
                            StartError::Input(format!(
                                "no participant of the branch has case number {}",
                                case.trim()
                            ))
                        })?;
                    Some(one.id)
                }
            };
            let moved = crate::services::participants::move_caseload(
                db,
                &command_line(),
                branch,
                &crate::services::participants::CaseloadMove {
                    from_coach_id: from_id,
                    to_coach_id: to_id,
                    participant_id,
                },
                now,
            )
            .await
            .map_err(service)?;
            Ok(format!(
                "moved {} participant(s) and {} open episode(s) from {} to {}\n",
                moved.participants,
                moved.open_episodes,
                from.trim(),
                to.trim()
            ))
        }
        AdminCommand::CalendarFeed(CalendarFeedCommand::Revoke { email }) => {
            let email = email.trim().to_lowercase();
            let revoked =
                crate::services::calendar_feeds::revoke_of(db, &command_line(), &email, now)
                    .await
                    .map_err(input)?;
            Ok(if revoked {
                format!("turned off the calendar feed of {email}; its address no longer works\n")
            } else {
                format!("{email} has no calendar feed; nothing changed\n")
            })
        }
        AdminCommand::Token(TokenCommand::Create { email, days }) => {
            let token = accounts::create_token_for(db, &command_line(), &email, days, now)
                .await
                .map_err(input)?;
            Ok(format!("{token}\n"))
        }
        AdminCommand::Token(TokenCommand::List { email }) => {
            let tokens = accounts::list_tokens(db, email.as_deref())
                .await
                .map_err(input)?;
            let mut out = String::from("id\temail\tcreated\texpires\tlast used\trevoked\n");
            for t in tokens {
                let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    t.id,
                    t.email,
                    t.created_at,
                    or_dash(t.expires_at),
                    or_dash(t.last_used_at),
                    or_dash(t.revoked_at)
                ));
            }
            Ok(out)
        }
        AdminCommand::Token(TokenCommand::Revoke { id }) => {
            if accounts::revoke_token(db, &command_line(), id, now)
                .await
                .map_err(input)?
            {
                Ok(format!("revoked token {id}\n"))
            } else {
                Err(StartError::Input(format!("there is no live token {id}")))
            }
        }
    }
}
