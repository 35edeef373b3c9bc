//! The diesel schema, written by hand to match `migrations/postgres` and `migrations/sqlite`
//! (a test compares both trees and this file's column lists).

diesel::table! {
    /// Hotels served by this deployment.
    tenants (id) {
        id -> Text,
        name -> Text,
        phone_number_id -> Nullable<Text>,
        timezone -> Text,
        default_language -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The durable inbox of guest messages.
    inbound_messages (id) {
        id -> BigInt,
        tenant_id -> Text,
        provider_message_id -> Text,
        phone_number_id -> Text,
        wa_id -> Text,
        profile_name -> Nullable<Text>,
        kind -> Text,
        text -> Nullable<Text>,
        reply_id -> Nullable<Text>,
        context_message_id -> Nullable<Text>,
        sent_at -> Timestamp,
        received_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        processed_at -> Nullable<Timestamp>,
        attachment -> Nullable<Text>,
    }
}

diesel::table! {
    /// The outbox of replies to deliver.
    outbound_messages (id) {
        id -> BigInt,
        tenant_id -> Text,
        phone_number_id -> Text,
        wa_id -> Text,
        inbound_id -> Nullable<BigInt>,
        body -> Text,
        reply_to -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        provider_message_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        error_code -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        final_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Status callbacks about messages we sent.
    delivery_statuses (id) {
        id -> BigInt,
        provider_message_id -> Text,
        phone_number_id -> Text,
        status -> Text,
        recipient -> Nullable<Text>,
        occurred_at -> Timestamp,
        errors -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    /// The write-through copy of conversation sessions.
    conversation_sessions (tenant_id, wa_id) {
        tenant_id -> Text,
        wa_id -> Text,
        version -> BigInt,
        data -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    /// Guest media downloaded from the provider, stored by content hash.
    media_files (id) {
        id -> BigInt,
        tenant_id -> Text,
        inbound_id -> BigInt,
        provider_media_id -> Text,
        sha256 -> Text,
        mime_type -> Text,
        size_bytes -> BigInt,
        stored_at -> Timestamp,
    }
}

diesel::table! {
    /// The built-in demo PMS's bookings.
    demo_bookings (id) {
        id -> BigInt,
        tenant_id -> Text,
        reference -> Text,
        room_type -> Text,
        check_in -> Date,
        check_out -> Date,
        adults -> Integer,
        children_ages -> Text,
        guest_first_name -> Text,
        guest_last_name -> Text,
        guest_email -> Text,
        guest_phone -> Nullable<Text>,
        status -> Text,
        total_minor -> BigInt,
        currency -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Paid bookings waiting for staff to confirm the payment, and staff's decisions.
    booking_requests (id) {
        id -> BigInt,
        tenant_id -> Text,
        wa_id -> Text,
        phone_number_id -> Text,
        reference -> Text,
        room_type -> Text,
        room_name -> Text,
        check_in -> Date,
        check_out -> Date,
        adults -> Integer,
        children -> Integer,
        guest_name -> Text,
        guest_email -> Text,
        total_minor -> BigInt,
        currency -> Text,
        deposit_minor -> Nullable<BigInt>,
        language -> Nullable<Text>,
        status -> Text,
        pms_booking_id -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Room holds kept while a guest pays: one row per hold and night.
    room_holds (id, night) {
        id -> Text,
        night -> Date,
        tenant_id -> Text,
        room_type -> Text,
        holder -> Text,
        stay -> Text,
        expires_at -> Timestamp,
        extensions -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(inbound_messages -> tenants (tenant_id));
diesel::joinable!(booking_requests -> tenants (tenant_id));
diesel::joinable!(media_files -> tenants (tenant_id));
diesel::joinable!(media_files -> inbound_messages (inbound_id));
diesel::joinable!(outbound_messages -> tenants (tenant_id));
diesel::joinable!(outbound_messages -> inbound_messages (inbound_id));

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    inbound_messages,
    outbound_messages,
    delivery_statuses,
    conversation_sessions,
    media_files,
    demo_bookings,
    booking_requests,
    room_holds,
);

/// Every table and its columns in declaration order, as the migrations must create them.
pub const TABLES: &[(&str, &[&str])] = &[
    (
        "tenants",
        &[
            "id",
            "name",
            "phone_number_id",
            "timezone",
            "default_language",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "inbound_messages",
        &[
            "id",
            "tenant_id",
            "provider_message_id",
            "phone_number_id",
            "wa_id",
            "profile_name",
            "kind",
            "text",
            "reply_id",
            "context_message_id",
            "sent_at",
            "received_at",
            "status",
            "attempts",
            "next_attempt_at",
            "locked_by",
            "locked_until",
            "last_error",
            "processed_at",
            "attachment",
        ],
    ),
    (
        "outbound_messages",
        &[
            "id",
            "tenant_id",
            "phone_number_id",
            "wa_id",
            "inbound_id",
            "body",
            "reply_to",
            "status",
            "attempts",
            "next_attempt_at",
            "locked_by",
            "locked_until",
            "provider_message_id",
            "last_error",
            "error_code",
            "created_at",
            "updated_at",
            "final_at",
        ],
    ),
    (
        "delivery_statuses",
        &[
            "id",
            "provider_message_id",
            "phone_number_id",
            "status",
            "recipient",
            "occurred_at",
            "errors",
            "received_at",
        ],
    ),
    (
        "conversation_sessions",
        &["tenant_id", "wa_id", "version", "data", "expires_at"],
    ),
    (
        "media_files",
        &[
            "id",
            "tenant_id",
            "inbound_id",
            "provider_media_id",
            "sha256",
            "mime_type",
            "size_bytes",
            "stored_at",
        ],
    ),
    (
        "demo_bookings",
        &[
            "id",
            "tenant_id",
            "reference",
            "room_type",
            "check_in",
            "check_out",
            "adults",
            "children_ages",
            "guest_first_name",
            "guest_last_name",
            "guest_email",
            "guest_phone",
            "status",
            "total_minor",
            "currency",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "booking_requests",
        &[
            "id",
            "tenant_id",
            "wa_id",
            "phone_number_id",
            "reference",
            "room_type",
            "room_name",
            "check_in",
            "check_out",
            "adults",
            "children",
            "guest_name",
            "guest_email",
            "total_minor",
            "currency",
            "deposit_minor",
            "language",
            "status",
            "pms_booking_id",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "room_holds",
        &[
            "id",
            "night",
            "tenant_id",
            "room_type",
            "holder",
            "stay",
            "expires_at",
            "extensions",
            "created_at",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;

    /// The column names diesel selects for `all_columns`, in order.
    fn selected<T>(query: T) -> Vec<String>
    where
        T: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>,
    {
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
        let list = sql
            .split(" FROM ")
            .next()
            .unwrap_or_default()
            .trim_start_matches("SELECT ");
        list.split(", ")
            .filter_map(|column| column.rsplit('.').next())
            .map(|c| c.trim_matches('`').to_owned())
            .collect()
    }

    #[test]
    fn tables_lists_the_diesel_schema() {
        let diesel_columns = [
            (
                "tenants",
                selected(tenants::table.select(tenants::all_columns)),
            ),
            (
                "inbound_messages",
                selected(inbound_messages::table.select(inbound_messages::all_columns)),
            ),
            (
                "outbound_messages",
                selected(outbound_messages::table.select(outbound_messages::all_columns)),
            ),
            (
                "delivery_statuses",
                selected(delivery_statuses::table.select(delivery_statuses::all_columns)),
            ),
            (
                "conversation_sessions",
                selected(conversation_sessions::table.select(conversation_sessions::all_columns)),
            ),
            (
                "media_files",
                selected(media_files::table.select(media_files::all_columns)),
            ),
            (
                "demo_bookings",
                selected(demo_bookings::table.select(demo_bookings::all_columns)),
            ),
            (
                "booking_requests",
                selected(booking_requests::table.select(booking_requests::all_columns)),
            ),
            (
                "room_holds",
                selected(room_holds::table.select(room_holds::all_columns)),
            ),
        ];
        assert_eq!(diesel_columns.len(), TABLES.len());
        for ((table, columns), (name, expected)) in diesel_columns.iter().zip(TABLES) {
            assert_eq!(table, name);
            assert_eq!(columns, expected, "{table}");
        }
    }
}
