use hotel_domain::{DeliveryState, ProviderError};

use crate::fixtures::{PHONE_NUMBER_ID, normalise};

fn status_payload(phone_number_id: &str, statuses: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{phone_number_id}"}},"statuses":{statuses}}}}}]}}]}}"#
    )
}

#[test]
fn sent_delivered_read_and_failed() {
    let json = status_payload(
        PHONE_NUMBER_ID,
        r#"[{"id":"wamid.ours","status":"sent","timestamp":"1764064100","recipient_id":"5491155550000","pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"},"biz_opaque_callback_data":"conv-123:msg-7"},{"id":"wamid.ours","status":"delivered","timestamp":"1764064200","recipient_id":"5491155550000","conversation":{"id":"c1","origin":{"type":"service"}}},{"id":"wamid.ours","status":"read","timestamp":"1764064250","recipient_id":"5491155550000"},{"id":"wamid.late","status":"failed","timestamp":"1764064300","recipient_id":"5491155550000","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},"href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]"#,
    );
    let out = normalise(&json);
    let states: Vec<(&str, DeliveryState, i64)> = out
        .statuses
        .iter()
        .map(|s| (s.provider_message_id.as_str(), s.state, s.at.timestamp()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("wamid.ours", DeliveryState::Sent, 1_764_064_100),
            ("wamid.ours", DeliveryState::Delivered, 1_764_064_200),
            ("wamid.ours", DeliveryState::Read, 1_764_064_250),
            ("wamid.late", DeliveryState::Failed, 1_764_064_300),
        ]
    );
    assert!(
        out.statuses
            .iter()
            .all(|s| s.phone_number_id == PHONE_NUMBER_ID)
    );
    assert_eq!(out.statuses[0].recipient.as_deref(), Some("5491155550000"));
    assert!(out.statuses[0].errors.is_empty());
    assert_eq!(out.statuses[3].errors, vec![ProviderError {
        code: 131_047,
        title: "Re-engagement message".into(),
        details: Some(
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
                .into()
        ),
    }]);
    assert!(out.messages.is_empty());
}

#[test]
fn statuses_of_unknown_numbers_are_still_returned_without_a_lookup() {
    let json = status_payload(
        "999",
        r#"[{"id":"wamid.ours","status":"delivered","timestamp":"1764064200"}]"#,
    );
    let payload = hotel_whatsapp::parse_webhook(json.as_bytes()).unwrap();
    let out = payload.normalise(&|_| panic!("statuses need no tenant"));
    assert_eq!(out.statuses.len(), 1);
    assert_eq!(out.statuses[0].phone_number_id, "999");
    assert!(out.unknown_numbers.is_empty());
}

#[test]
fn unknown_states_and_missing_ids_are_skipped() {
    let json = status_payload(
        PHONE_NUMBER_ID,
        r#"[{"id":"wamid.a","status":"deleted","timestamp":"1"},{"status":"read","timestamp":"1"},{"id":"wamid.b","status":"read","timestamp":"x"}]"#,
    );
    let out = normalise(&json);
    assert_eq!(out.statuses.len(), 1);
    assert_eq!(out.statuses[0].provider_message_id, "wamid.b");
    assert_eq!((out.skipped_statuses, out.invalid_timestamps), (2, 1));
}

#[test]
fn value_level_errors_are_collected() {
    let json = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"errors":[{"code":131000,"title":"Something went wrong","message":"Something went wrong","error_data":{"details":"Unknown error"}}]}}]}]}"#;
    let out = normalise(json);
    assert_eq!(
        out.errors,
        vec![ProviderError {
            code: 131_000,
            title: "Something went wrong".into(),
            details: Some("Unknown error".into())
        }]
    );
}

mod golden {
    use hotel_domain::{DeliveryState, DeliveryStatus, ProviderError};
    use hotel_whatsapp::Normalised;

    use crate::golden::{HOTEL_NUMBER, LUCIA, at, golden};

    fn status(id: &str, state: DeliveryState, seconds: i64) -> DeliveryStatus {
        DeliveryStatus {
            phone_number_id: HOTEL_NUMBER.to_owned(),
            provider_message_id: id.to_owned(),
            state,
            recipient: Some(LUCIA.to_owned()),
            at: at(seconds),
            errors: vec![],
        }
    }

    #[track_caller]
    fn assert_status(name: &str, expected: DeliveryStatus) {
        assert_eq!(
            golden("status", name),
            Normalised {
                statuses: vec![expected],
                ..Normalised::default()
            },
            "status/{name}.json"
        );
    }

    const OURS: &str = "wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDQw";

    #[test]
    fn sent_delivered_and_read() {
        assert_status("sent", status(OURS, DeliveryState::Sent, 1_772_283_000));
        assert_status(
            "delivered",
            status(OURS, DeliveryState::Delivered, 1_772_283_002),
        );
        assert_status("read", status(OURS, DeliveryState::Read, 1_772_283_060));
    }

    #[test]
    fn failed_with_its_errors() {
        assert_status(
            "failed",
            DeliveryStatus {
                errors: vec![ProviderError {
                    code: 131_047,
                    title: "Re-engagement message".into(),
                    details: Some(
                        "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
                            .into(),
                    ),
                }],
                ..status(
                    "wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDQx",
                    DeliveryState::Failed,
                    1_772_369_999,
                )
            },
        );
    }
}
