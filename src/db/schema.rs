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
        facility_name -> Nullable<Text>,
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
        facility_name -> Nullable<Text>,
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
        actor_unit_code -> Nullable<Text>,
        actor_province_code -> Nullable<Text>,
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

diesel::table! {
    persons (id) {
        id -> Text,
        full_name -> Text,
        other_names -> Nullable<Text>,
        search_text -> Text,
        gender -> Text,
        date_of_birth -> Nullable<Date>,
        id_number -> Nullable<Text>,
        ethnicity -> Nullable<Text>,
        nationality -> Text,
        country -> Nullable<Text>,
        phone -> Nullable<Text>,
        unit_code -> Text,
        province_code -> Text,
        village -> Nullable<Text>,
        address_line -> Nullable<Text>,
        education -> Nullable<Text>,
        occupation -> Nullable<Text>,
        family_situation -> Nullable<Text>,
        status -> Text,
        status_since -> Date,
        active -> Bool,
        release_date -> Nullable<Date>,
        release_type -> Nullable<Text>,
        release_certificate_number -> Nullable<Text>,
        release_certificate_date -> Nullable<Date>,
        probation_end -> Nullable<Date>,
        offence_group -> Nullable<Text>,
        received_on -> Nullable<Date>,
        receiving_officer -> Nullable<Text>,
        commitment_signed -> Nullable<Bool>,
        management_file_number -> Nullable<Text>,
        management_started_on -> Nullable<Date>,
        juvenile -> Bool,
        late_reception -> Bool,
        classification -> Nullable<Text>,
        needs_focus -> Bool,
        employment_status -> Nullable<Text>,
        expungement_track -> Nullable<Text>,
        expungement_due_on -> Nullable<Date>,
        expungement_status -> Text,
        expungement_decided_on -> Nullable<Date>,
        expungement_basis -> Nullable<Text>,
        judicial_record_number -> Nullable<Text>,
        judicial_record_issuer -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        last_contact_on -> Nullable<Date>,
        last_check_in_on -> Nullable<Date>,
        expungement_basis_kind -> Nullable<Text>,
        expungement_decision_number -> Nullable<Text>,
        expungement_refusals -> Integer,
        expungement_last_refused_on -> Nullable<Date>,
    }
}

diesel::table! {
    person_status_history (id) {
        id -> Text,
        person_id -> Text,
        seq -> Integer,
        from_status -> Nullable<Text>,
        to_status -> Text,
        occurred_on -> Date,
        unit_code -> Text,
        province_code -> Text,
        reason -> Nullable<Text>,
        details -> Nullable<Text>,
        actor_sub -> Nullable<Text>,
        recorded_at -> Timestamp,
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    person_attribute_changes (id) {
        id -> Text,
        person_id -> Text,
        attribute -> Text,
        value -> Nullable<Text>,
        changed_on -> Date,
        reason -> Nullable<Text>,
        actor_sub -> Nullable<Text>,
        recorded_at -> Timestamp,
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    convictions (id) {
        id -> Text,
        person_id -> Text,
        judgment_number -> Text,
        court -> Text,
        judgment_date -> Date,
        offence_articles -> Text,
        offence_group -> Text,
        chapter -> Integer,
        principal_kind -> Text,
        principal_months -> Nullable<Integer>,
        supplementary -> Text,
        obligations -> Text,
        detention_facility -> Nullable<Text>,
        sentence_completed_on -> Nullable<Date>,
        release_date -> Nullable<Date>,
        release_type -> Nullable<Text>,
        certificate_number -> Nullable<Text>,
        certificate_date -> Nullable<Date>,
        probation_end -> Nullable<Date>,
        new_offence -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        offence_date -> Nullable<Date>,
        crime_category -> Nullable<Text>,
        culpability -> Nullable<Text>,
        expunged_on -> Nullable<Date>,
    }
}

diesel::table! {
    conviction_versions (id) {
        id -> Text,
        conviction_id -> Text,
        person_id -> Text,
        version -> Integer,
        snapshot -> Text,
        reason -> Text,
        replaced_at -> Timestamp,
        replaced_by -> Text,
    }
}

diesel::table! {
    release_notices (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        facility -> Text,
        notice_date -> Date,
        expected_release_date -> Date,
        counselling_sessions -> Integer,
        travel_allowance_vnd -> BigInt,
        verification_due_on -> Date,
        verified_on -> Nullable<Date>,
        verification_result -> Nullable<Text>,
        verification_note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        created_by -> Nullable<Text>,
        counselling_held_on -> Nullable<Date>,
        travel_allowance_paid_on -> Nullable<Date>,
    }
}

diesel::table! {
    judicial_record_requests (id) {
        id -> Text,
        person_id -> Text,
        requested_on -> Date,
        purpose -> Nullable<Text>,
        outcome -> Text,
        certificate_number -> Nullable<Text>,
        issued_on -> Nullable<Date>,
        issuer -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(convictions -> persons (person_id));
diesel::joinable!(person_status_history -> persons (person_id));
diesel::joinable!(release_notices -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(
    persons,
    convictions,
    person_status_history,
    person_attribute_changes,
    release_notices,
    judicial_record_requests,
    conviction_versions
);

diesel::table! {
    supervision_assignments (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        supervisor_kind -> Text,
        supervisor_name -> Text,
        organisation -> Nullable<Text>,
        contact -> Nullable<Text>,
        account_id -> Nullable<Text>,
        committee_member_id -> Nullable<Text>,
        is_primary -> Bool,
        decision_number -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        from_date -> Date,
        to_date -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        kind -> Text,
        legal_sub_kind -> Nullable<Text>,
        occurred_on -> Date,
        group_session_id -> Nullable<Text>,
        author_sub -> Text,
        author_name -> Nullable<Text>,
        place -> Nullable<Text>,
        notes -> Nullable<Text>,
        outcome -> Nullable<Text>,
        next_follow_up_on -> Nullable<Date>,
        deleted -> Bool,
        deleted_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        prev_kind_on -> Nullable<Date>,
        prev_family_on -> Nullable<Date>,
    }
}

diesel::table! {
    activity_revisions (id) {
        id -> Text,
        activity_id -> Text,
        version -> Integer,
        snapshot -> Text,
        actor_sub -> Nullable<Text>,
        reason -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    plan_items (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        area -> Text,
        goal -> Nullable<Text>,
        status -> Text,
        responsible_agency -> Nullable<Text>,
        updated_on -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    plan_updates (id) {
        id -> Text,
        plan_item_id -> Text,
        status -> Text,
        note -> Nullable<Text>,
        updated_on -> Date,
        actor_sub -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        name_folded -> Text,
        unit_code -> Text,
        province_code -> Text,
        sector -> Nullable<Text>,
        legal_form -> Nullable<Text>,
        contact -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    trainings (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        course -> Text,
        provider -> Nullable<Text>,
        level -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        result -> Nullable<Text>,
        certificate -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_referrals (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        employer_id -> Nullable<Text>,
        employer_name -> Text,
        referred_on -> Date,
        job -> Text,
        outcome -> Text,
        outcome_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    social_assistance (id) {
        id -> Text,
        person_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        kind -> Text,
        decision_number -> Nullable<Text>,
        amount_vnd -> BigInt,
        period_from -> Date,
        period_to -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(supervision_assignments -> persons (person_id));
diesel::joinable!(activities -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(
    persons,
    supervision_assignments,
    activities,
    activity_revisions,
    plan_items,
    plan_updates,
    employers,
    trainings,
    job_referrals,
    social_assistance
);

diesel::table! {
    steering_committees (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        name -> Text,
        working_group_name -> Nullable<Text>,
        decision_number -> Text,
        decision_date -> Date,
        signer -> Nullable<Text>,
        status -> Text,
        dissolution_decision_number -> Nullable<Text>,
        dissolved_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    committee_consolidations (id) {
        id -> Text,
        committee_id -> Text,
        decision_number -> Text,
        decision_date -> Date,
        note -> Nullable<Text>,
        changes -> Text,
        actor_sub -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    committee_members (id) {
        id -> Text,
        committee_id -> Text,
        body -> Text,
        role -> Text,
        full_name -> Text,
        title -> Nullable<Text>,
        organisation -> Nullable<Text>,
        contact -> Nullable<Text>,
        account_id -> Nullable<Text>,
        from_date -> Date,
        to_date -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        consolidation_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    reintegration_models (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        name -> Text,
        name_folded -> Text,
        model_type -> Text,
        sponsor_organisation -> Nullable<Text>,
        committee_id -> Nullable<Text>,
        founding_decision_number -> Nullable<Text>,
        founding_decision_date -> Nullable<Date>,
        description -> Nullable<Text>,
        business_lines -> Text,
        status -> Text,
        status_since -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    model_milestones (id) {
        id -> Text,
        model_id -> Text,
        step -> Text,
        step_order -> Integer,
        achieved_on -> Date,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    model_participants (id) {
        id -> Text,
        model_id -> Text,
        person_id -> Nullable<Text>,
        member_id -> Nullable<Text>,
        helper_name -> Nullable<Text>,
        role -> Text,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    model_reviews (id) {
        id -> Text,
        model_id -> Text,
        kind -> Text,
        period_from -> Date,
        period_to -> Date,
        reviewed_on -> Date,
        rating -> Text,
        findings -> Nullable<Text>,
        commendation -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outreach_events (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        held_on -> Date,
        kind -> Text,
        topic -> Text,
        organiser -> Nullable<Text>,
        audience_count -> Integer,
        quantity -> Integer,
        model_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        topic_code -> Text,
    }
}

diesel::table! {
    propagandists (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        full_name -> Text,
        organisation -> Nullable<Text>,
        from_date -> Date,
        to_date -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    steering_committees,
    committee_consolidations,
    committee_members,
    reintegration_models,
    model_milestones,
    model_participants,
    model_reviews,
    outreach_events,
    propagandists,
    persons
);

diesel::table! {
    loan_rates (id) {
        id -> Text,
        effective_from -> Date,
        annual_rate_bp -> Integer,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    loan_lists (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        month -> Text,
        version_no -> Integer,
        status -> Text,
        supersedes_id -> Nullable<Text>,
        certified_decision_number -> Nullable<Text>,
        certified_on -> Nullable<Date>,
        sent_on -> Nullable<Date>,
        acknowledged_on -> Nullable<Date>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    loan_list_entries (id) {
        id -> Text,
        list_id -> Text,
        person_id -> Text,
        purpose -> Text,
        amount_wished_vnd -> BigInt,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    loans (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        borrower_kind -> Text,
        person_id -> Nullable<Text>,
        household_rep_name -> Nullable<Text>,
        household_rep_id_number -> Nullable<Text>,
        establishment_name -> Nullable<Text>,
        establishment_registration -> Nullable<Text>,
        workforce -> Nullable<Integer>,
        qualifying_employees -> Nullable<Integer>,
        plan_certified -> Bool,
        collateral -> Bool,
        collateral_description -> Nullable<Text>,
        outstanding_same_purpose -> Bool,
        purpose -> Text,
        course_name -> Nullable<Text>,
        course_months -> Nullable<Integer>,
        amount_vnd -> BigInt,
        term_months -> Integer,
        entrusting_organisation -> Nullable<Text>,
        savings_group -> Nullable<Text>,
        application_date -> Date,
        status -> Text,
        status_reason -> Nullable<Text>,
        approved_amount_vnd -> Nullable<BigInt>,
        approved_on -> Nullable<Date>,
        rate_bp -> Nullable<Integer>,
        due_on -> Nullable<Date>,
        disbursed_total_vnd -> BigInt,
        principal_repaid_vnd -> BigInt,
        interest_paid_vnd -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        programme -> Text,
        programme_name -> Nullable<Text>,
    }
}

diesel::table! {
    loan_postings (id) {
        id -> Text,
        loan_id -> Text,
        kind -> Text,
        principal_vnd -> BigInt,
        interest_vnd -> BigInt,
        value_date -> Date,
        bank_reference -> Text,
        actor_sub -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    loan_events (id) {
        id -> Text,
        loan_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        occurred_on -> Date,
        reason -> Nullable<Text>,
        actor_sub -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    loan_checks (id) {
        id -> Text,
        loan_id -> Text,
        checked_on -> Date,
        result -> Text,
        findings -> Nullable<Text>,
        actor_sub -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    loan_rates,
    loan_lists,
    loan_list_entries,
    loans,
    loan_postings,
    loan_events,
    loan_checks,
    persons
);

diesel::table! {
    report_targets (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        year -> Integer,
        indicator -> Text,
        measure -> Text,
        min_value -> Nullable<BigInt>,
        max_value -> Nullable<BigInt>,
        note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        unit_code -> Text,
        province_code -> Text,
        period_kind -> Text,
        period_from -> Date,
        period_to -> Date,
        year -> Integer,
        version_no -> Integer,
        supersedes_id -> Nullable<Text>,
        status -> Text,
        title -> Text,
        snapshot -> Text,
        sections -> Text,
        due_on -> Nullable<Date>,
        created_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decision_comment -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(report_targets, reports, admin_units);

diesel::table! {
    plans (id) {
        id -> Text,
        name -> Text,
        decision_number -> Text,
        decision_date -> Date,
        decision_issuer -> Text,
        unit_code -> Text,
        province_code -> Text,
        from_year -> Integer,
        to_year -> Integer,
        archived_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    plan_targets (id) {
        id -> Text,
        plan_id -> Text,
        position -> Integer,
        text -> Text,
        indicator -> Text,
        measure -> Text,
        from_year -> Integer,
        to_year -> Integer,
        due_on -> Nullable<Date>,
    }
}

diesel::table! {
    plan_bounds (target_id, from_year) {
        target_id -> Text,
        from_year -> Integer,
        min_value -> Nullable<BigInt>,
        aim_value -> Nullable<BigInt>,
        max_value -> Nullable<BigInt>,
        max_exclusive -> Bool,
    }
}

diesel::table! {
    domain_events (id) {
        id -> BigInt,
        xid -> BigInt,
        event_id -> Text,
        event_type -> Text,
        entity_type -> Text,
        entity_id -> Text,
        unit_code -> Text,
        province_code -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    expungement_due_notices (person_id, due_on) {
        person_id -> Text,
        due_on -> Date,
        noticed_at -> Timestamp,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        owner_sub -> Text,
        owner_roles -> Text,
        unit_code -> Text,
        province_code -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        active -> Bool,
        description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        paused_at -> Nullable<Timestamp>,
        paused_reason -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_seq -> BigInt,
        event_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_dispatch (id) {
        id -> Integer,
        last_xid -> BigInt,
        last_id -> BigInt,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        actor_sub -> Text,
        unit_code -> Text,
        province_code -> Text,
        file_name -> Nullable<Text>,
        format -> Text,
        rows_total -> Integer,
        rows_imported -> Integer,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    domain_events,
    webhook_subscriptions,
    webhook_deliveries,
    webhook_dispatch,
    persons,
    expungement_due_notices
);

diesel::table! {
    id_number_conflicts (id) {
        id -> Text,
        occurred_at -> Timestamp,
        id_number -> Text,
        attempted_unit_code -> Text,
        attempted_province_code -> Nullable<Text>,
        existing_person_id -> Text,
        existing_unit_code -> Text,
        existing_province_code -> Nullable<Text>,
        actor_sub -> Nullable<Text>,
    }
}

diesel::table! {
    public_holidays (day) {
        day -> Date,
        kind -> Text,
        name -> Text,
        basis -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    areas (id) {
        id -> Text,
        name -> Text,
        units -> Text,
        province_code -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    facility_activities (id) {
        id -> Text,
        kind -> Text,
        occurred_on -> Date,
        unit_code -> Text,
        province_code -> Text,
        facility -> Text,
        topic_code -> Nullable<Text>,
        persons -> Integer,
        person_ids -> Nullable<Text>,
        attendance -> Integer,
        amount_vnd -> BigInt,
        notes -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}
