//! `reengage calendar [--branch NAME|ID] …`: the business calendar from the command line, for
//! admins checking a date — Oregon's, or an office's with its own closure days (R15: one
//! calendar per office everywhere). Every answer comes from `reengage_core`.

use crate::services::office::MAX_BUSINESS_DAYS;
use std::fmt::Write as _;

use clap::{Args, Subcommand};
use reengage_core::{
    BusinessCalendar, calendar::SUPPORTED_YEARS, notice_mail_by, parse_date_input,
};

use crate::cli::StartError;
use crate::store::db::Db;

/// `calendar [--branch …] <question>`.
#[derive(Debug, Clone, Args)]
pub struct CalendarArgs {
    /// The office (branch name or id) whose closure days count too; Oregon's calendar alone
    /// without it.
    #[arg(long, global = true)]
    pub branch: Option<String>,
    #[command(subcommand)]
    pub command: CalendarCommand,
}

/// The id of the branch named `branch` (its name, or its id as a number).
pub async fn branch_id(db: &Db, branch: &str) -> Result<i64, StartError> {
    let branch = branch.trim();
    let id = crate::store::staff::branch_id_named(&db.pool, branch)
        .await
        .map_err(|e| input(format!("The branches could not be read: {e}")))?;
    match (id, branch.parse::<i64>()) {
        (Some(id), _) => Ok(id),
        (None, Ok(id)) => Ok(id),
        (None, Err(_)) => Err(input(format!(
            "There is no branch “{branch}”: give its name as the admin pages show it, or its id."
        ))),
    }
}

/// The business calendar of the branch named `branch` (its name or id).
pub async fn branch_calendar(db: &Db, branch: &str) -> Result<BusinessCalendar, StartError> {
    let id = branch_id(db, branch).await?;
    let branch = branch.trim();
    crate::services::episodes::office(db, id, chrono::Utc::now())
        .await
        .map(|(_, calendar)| calendar)
        .map_err(|e| match e {
            crate::services::ServiceError::NotFound(_) => {
                input(format!("There is no branch “{branch}”."))
            }
            other => input(other.to_string()),
        })
}

#[derive(Debug, Clone, Subcommand)]
pub enum CalendarCommand {
    /// Every weekday the offices are closed in YEAR: `YYYY-MM-DD<TAB>Name`, sorted.
    Holidays {
        /// A year from 1990 to 2100.
        year: String,
    },
    /// The date N business days after DATE (DATE itself not counted; N = 0 prints DATE).
    AddBusinessDays {
        /// YYYY-MM-DD
        date: String,
        /// 0 to 366
        #[arg(allow_hyphen_values = true)]
        n: String,
    },
    /// The latest day the DHS 7869 notice can be mailed for an appointment (R15, R16).
    NoticeMailBy {
        /// YYYY-MM-DD, a business day
        appointment: String,
    },
}

fn input(message: impl Into<String>) -> StartError {
    StartError::Input(message.into())
}

fn date_in_range(text: &str) -> Result<chrono::NaiveDate, StartError> {
    let date = parse_date_input(text).map_err(|e| input(e.to_string()))?;
    let year = chrono::Datelike::year(&date);
    if !SUPPORTED_YEARS.contains(&year) {
        return Err(input(format!(
            "{text} is outside the years Re-engage plans for: use a date from 1990 to 2100."
        )));
    }
    Ok(date)
}

/// The answer to print on `calendar`, or what is wrong with the input.
pub fn answer(
    command: &CalendarCommand,
    calendar: &BusinessCalendar,
) -> Result<String, StartError> {
    match command {
        CalendarCommand::Holidays { year } => {
            let year: i32 = year.trim().parse().map_err(|_| {
                input(format!(
                    "“{year}” is not a year: give one from 1990 to 2100, e.g. 2026."
                ))
            })?;
            let closures = calendar
                .closures_in_year(year)
                .map_err(|e| input(e.to_string()))?;
            Ok(closures.iter().fold(String::new(), |mut out, closure| {
                let _ = writeln!(out, "{}\t{}", closure.date, closure.name);
                out
            }))
        }
        CalendarCommand::AddBusinessDays { date, n } => {
            let start = date_in_range(date)?;
            let n: u32 = n
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= MAX_BUSINESS_DAYS)
                .ok_or_else(|| {
                    input(format!(
                        "“{n}” is not a number of business days: give 0 to {}.",
                        MAX_BUSINESS_DAYS
                    ))
                })?;
            let end = calendar
                .add_business_days(start, n)
                .map_err(|e| input(e.to_string()))?;
            Ok(format!("{end}\n"))
        }
        CalendarCommand::NoticeMailBy { appointment } => {
            let day = date_in_range(appointment)?;
            let mail_by = notice_mail_by(day, calendar).map_err(|e| input(e.to_string()))?;
            Ok(format!("{mail_by}\n"))
        }
    }
}
