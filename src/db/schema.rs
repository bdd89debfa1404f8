// Table definitions shared by both backends. Kept in step with migrations/sqlite and
// migrations/postgres; the `schema_matches_migrations` test checks the columns.

diesel::table! {
    admin_units (code) {
        code -> Text,
        name -> Text,
        name_folded -> Text,
        division_type -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        province_code -> Nullable<Text>,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        full_name -> Text,
        roles -> Text,
        unit_code -> Text,
        province_code -> Nullable<Text>,
        agency -> Nullable<Text>,
        disabled -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        tokens_valid_after -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        roles -> Text,
        unit_code -> Text,
        province_code -> Nullable<Text>,
        agency -> Nullable<Text>,
        disabled -> Bool,
        tokens_valid_after -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_sub -> Nullable<Text>,
        actor_roles -> Nullable<Text>,
        actor_agency -> Nullable<Text>,
        actor_kind -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        unit_code -> Nullable<Text>,
        province_code -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
        client_address -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (principal, idem_key) {
        principal -> Text,
        idem_key -> Text,
        operation -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        address -> Text,
        username -> Text,
        failed_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(admin_units, accounts, api_clients, audit_events);
