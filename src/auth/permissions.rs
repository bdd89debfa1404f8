//! The permission table: which roles may call each operation. Default-deny: an operation
//! not listed here cannot be called, and a test fails if the OpenAPI document has an
//! operation missing from this table (or the other way round).

use super::roles::Role;
use Role::*;

/// Every authenticated operation, named by its OpenAPI `operationId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    GetCurrentPrincipal,
    ListAdminUnits,
    GetAdminUnit,
    ListAccounts,
    CreateAccount,
    GetAccount,
    UpdateAccount,
    DisableAccount,
    EnableAccount,
    ChangePassword,
    ListClients,
    CreateClient,
    GetClient,
    RotateClientSecret,
    DisableClient,
    EnableClient,
    ListAuditEvents,
}

const EVERYONE: &[Role] = &Role::ALL;

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::GetCurrentPrincipal,
        Op::ListAdminUnits,
        Op::GetAdminUnit,
        Op::ListAccounts,
        Op::CreateAccount,
        Op::GetAccount,
        Op::UpdateAccount,
        Op::DisableAccount,
        Op::EnableAccount,
        Op::ChangePassword,
        Op::ListClients,
        Op::CreateClient,
        Op::GetClient,
        Op::RotateClientSecret,
        Op::DisableClient,
        Op::EnableClient,
        Op::ListAuditEvents,
    ];

    /// The roles allowed to call this operation.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Op::GetCurrentPrincipal | Op::ListAdminUnits | Op::GetAdminUnit => EVERYONE,
            // Anyone may change their own password; admins may reset others' (checked in the handler).
            Op::ChangePassword => EVERYONE,
            Op::ListAccounts
            | Op::CreateAccount
            | Op::GetAccount
            | Op::UpdateAccount
            | Op::DisableAccount
            | Op::EnableAccount
            | Op::ListClients
            | Op::CreateClient
            | Op::GetClient
            | Op::RotateClientSecret
            | Op::DisableClient
            | Op::EnableClient => &[Admin],
            Op::ListAuditEvents => &[Admin, Auditor],
        }
    }

    /// The OpenAPI operationId (the handler's function name).
    pub fn operation_id(self) -> &'static str {
        match self {
            Op::GetCurrentPrincipal => "get_current_principal",
            Op::ListAdminUnits => "list_admin_units",
            Op::GetAdminUnit => "get_admin_unit",
            Op::ListAccounts => "list_accounts",
            Op::CreateAccount => "create_account",
            Op::GetAccount => "get_account",
            Op::UpdateAccount => "update_account",
            Op::DisableAccount => "disable_account",
            Op::EnableAccount => "enable_account",
            Op::ChangePassword => "change_password",
            Op::ListClients => "list_clients",
            Op::CreateClient => "create_client",
            Op::GetClient => "get_client",
            Op::RotateClientSecret => "rotate_client_secret",
            Op::DisableClient => "disable_client",
            Op::EnableClient => "enable_client",
            Op::ListAuditEvents => "list_audit_events",
        }
    }

    pub fn from_operation_id(id: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.operation_id() == id)
    }

    pub fn allows(self, roles: &[Role]) -> bool {
        self.roles().iter().any(|r| roles.contains(r))
    }
}

/// Operations reachable without a token.
pub const PUBLIC_OPERATIONS: &[&str] = &["healthz", "readyz", "issue_token"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_operation_has_roles_and_a_unique_id() {
        let mut ids = HashSet::new();
        for op in Op::ALL {
            assert!(!op.roles().is_empty(), "{op:?} has no roles");
            assert!(ids.insert(op.operation_id()), "duplicate id {}", op.operation_id());
            assert_eq!(Op::from_operation_id(op.operation_id()), Some(*op));
        }
    }

    #[test]
    fn account_management_is_admin_only() {
        for role in Role::ALL {
            assert_eq!(Op::CreateAccount.allows(&[role]), role == Admin, "{role:?}");
        }
        assert!(Op::ListAuditEvents.allows(&[Auditor]));
        assert!(!Op::ListAuditEvents.allows(&[Police]));
    }
}
