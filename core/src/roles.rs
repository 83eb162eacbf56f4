//! Who a staff account is: its role, as stored (`family_coach`), sent and shown — one type
//! for the server's access table, its accounts and audit entries, and the pages. Which roles
//! may sit on a staffing, decide or finalize is `core`'s (R18, R26).

use serde::{Deserialize, Serialize};

/// The staff roles of the README's Security section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    FamilyCoach,
    CaseAide,
    EngagementSpecialist,
    OperationsManager,
    LeadWorker,
    Contractor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::FamilyCoach,
        Role::CaseAide,
        Role::EngagementSpecialist,
        Role::OperationsManager,
        Role::LeadWorker,
        Role::Contractor,
        Role::Admin,
    ];

    /// The role as stored (`family_coach`); `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == stored)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::FamilyCoach => "family_coach",
            Role::CaseAide => "case_aide",
            Role::EngagementSpecialist => "engagement_specialist",
            Role::OperationsManager => "operations_manager",
            Role::LeadWorker => "lead_worker",
            Role::Contractor => "contractor",
            Role::Admin => "admin",
        }
    }

    /// The seat the role takes on a staffing team (R18).
    pub fn staffing_role(self) -> crate::episode::StaffingRole {
        use crate::episode::StaffingRole;
        match self {
            Role::FamilyCoach => StaffingRole::FamilyCoach,
            Role::CaseAide => StaffingRole::CaseAide,
            Role::EngagementSpecialist => StaffingRole::EngagementSpecialist,
            Role::OperationsManager => StaffingRole::OperationsManager,
            Role::LeadWorker => StaffingRole::LeadWorker,
            Role::Contractor => StaffingRole::Contractor,
            Role::Admin => StaffingRole::OtherDepartmentStaff,
        }
    }

    /// Department (ODHS) staff with case work: everyone but contractors and admins. Only
    /// they see barrier-review details, good-cause answers, addresses and department
    /// narratives.
    pub fn is_department(self) -> bool {
        !matches!(self, Role::Contractor | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    /// A role as typed (the command line): its stored name.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text.trim()).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|role| role.as_str()).collect();
            format!("“{text}” is not a role; use one of: {}", names.join(", "))
        })
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_goes_by_its_stored_name_everywhere() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(crate::codes::code(&role), role.as_str());
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!(
            "superuser"
                .parse::<Role>()
                .unwrap_err()
                .contains("family_coach")
        );
    }
}
