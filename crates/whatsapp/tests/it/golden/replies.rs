//! Answers to our messages (buttons, lists, Flows, template buttons), reactions, orders, system
//! notices, and the types this crate does not read.

use hotel_domain::{InboundKind, InboundMessage};

use super::{JOANA, LUCIA, MARK, assert_golden, base, some};

#[test]
fn reply_button() {
    assert_golden(
        "interactive_button_reply",
        InboundMessage {
            text: some("Sí, a las 10"),
            reply_id: some("early_checkin_yes"),
            context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDAx"),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAxMQ==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Interactive,
                1_772_280_540,
            )
        },
    );
}

#[test]
fn list_row() {
    assert_golden(
        "interactive_list_reply",
        InboundMessage {
            text: some("Superior casal"),
            reply_id: some("room_superior_double"),
            context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDAy"),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAxMg==",
                JOANA,
                Some("Joana"),
                InboundKind::Interactive,
                1_772_280_600,
            )
        },
    );
}

#[test]
fn flow_answer() {
    assert_golden(
        "interactive_nfm_reply",
        InboundMessage {
            text: some("Sent"),
            reply_id: some(
                r#"{"flow_token":"stay-4821","checkin":"2026-03-12","checkout":"2026-03-15","guests":"2"}"#,
            ),
            context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDAz"),
            ..base(
                "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDEz",
                MARK,
                Some("Mark"),
                InboundKind::Interactive,
                1_772_280_660,
            )
        },
    );
}

#[test]
fn template_quick_reply() {
    assert_golden(
        "button_template",
        InboundMessage {
            text: some("Confirmar llegada"),
            reply_id: some("ARRIVAL_CONFIRM_4821"),
            context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDA0"),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAxNA==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Button,
                1_772_280_720,
            )
        },
    );
}

#[test]
fn reaction_and_its_removal() {
    let reacted_to = "wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDA1";
    assert_golden(
        "reaction",
        InboundMessage {
            text: some("❤️"),
            context_message_id: some(reacted_to),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAxNQ==",
                JOANA,
                Some("Joana"),
                InboundKind::Reaction,
                1_772_280_780,
            )
        },
    );
    assert_golden(
        "reaction_removed",
        InboundMessage {
            context_message_id: some(reacted_to),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAxNg==",
                JOANA,
                Some("Joana"),
                InboundKind::Reaction,
                1_772_280_790,
            )
        },
    );
}

#[test]
fn catalog_order() {
    assert_golden(
        "order",
        InboundMessage {
            text: some("Para o quarto 512, por favor"),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAxNw==",
                JOANA,
                Some("Joana"),
                InboundKind::Order,
                1_772_280_840,
            )
        },
    );
}

#[test]
fn number_change_current_and_older_form() {
    assert_golden(
        "system_user_changed_number",
        InboundMessage {
            text: some("User Lucía changed from 5491160001111 to 5491160009999"),
            reply_id: some("5491160009999"),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAxOA==",
                LUCIA,
                None,
                InboundKind::System,
                1_772_280_900,
            )
        },
    );
    assert_golden(
        "system_customer_changed_number",
        InboundMessage {
            text: some("Mark changed from 447700900123 to 447700900456"),
            reply_id: some("447700900456"),
            ..base(
                "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDE5",
                MARK,
                None,
                InboundKind::System,
                1_772_280_960,
            )
        },
    );
}

#[test]
fn unsupported_message_with_errors() {
    assert_golden(
        "unsupported",
        base(
            "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAyMA==",
            LUCIA,
            Some("Lucía"),
            InboundKind::Unsupported,
            1_772_281_020,
        ),
    );
}

#[test]
fn a_type_from_the_future_is_unsupported_not_an_error() {
    assert_golden(
        "unknown_type",
        base(
            "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDIx",
            MARK,
            Some("Mark"),
            InboundKind::Unsupported,
            1_772_281_080,
        ),
    );
}
