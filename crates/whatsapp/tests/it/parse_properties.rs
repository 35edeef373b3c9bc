use proptest::prelude::*;

use crate::fixtures::{normalise, resolve, single};

/// A realistic payload to mutate.
fn seed() -> String {
    single(
        r#"{"from":"5491155550000","id":"wamid.x","timestamp":"1764064000","type":"interactive","context":{"id":"wamid.c"},"interactive":{"type":"list_reply","list_reply":{"id":"room_2","title":"Doble"}}}"#,
    )
}

/// JSON values of any shape, a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-z0-9_.]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("object".to_owned()),
            Just("entry".to_owned()),
            Just("changes".to_owned()),
            Just("field".to_owned()),
            Just("value".to_owned()),
            Just("metadata".to_owned()),
            Just("phone_number_id".to_owned()),
            Just("messages".to_owned()),
            Just("statuses".to_owned()),
            Just("type".to_owned()),
            Just("id".to_owned()),
            Just("from".to_owned()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..5)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(payload) = hotel_whatsapp::parse_webhook(&bytes) {
            let _ = payload.normalise(&resolve);
        }
    }

    #[test]
    fn parse_never_panics_on_mutated_payloads(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = seed().into_bytes();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(payload) = hotel_whatsapp::parse_webhook(&bytes) {
            let _ = payload.normalise(&resolve);
        }
    }

    #[test]
    fn any_json_object_with_an_object_field_parses(value in json_value()) {
        let mut envelope = serde_json::Map::new();
        envelope.insert("object".into(), "whatsapp_business_account".into());
        envelope.insert("entry".into(), value);
        let raw = serde_json::to_vec(&envelope).unwrap();
        let payload = hotel_whatsapp::parse_webhook(&raw);
        prop_assert!(payload.is_ok());
        let out = payload.unwrap().normalise(&resolve);
        prop_assert!(out.messages.iter().all(|m| !m.provider_message_id.is_empty()));
    }
}

#[test]
fn deep_nesting_is_an_error_or_skipped_never_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(hotel_whatsapp::parse_webhook(deep.as_bytes()).is_err());
    let deep_object = format!("{}{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000));
    assert!(hotel_whatsapp::parse_webhook(deep_object.as_bytes()).is_err());
    // Where the models read nothing, nesting is skipped without recursion: one unreadable element.
    let nested_value = format!(
        r#"{{"object":"whatsapp_business_account","entry":{}1{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let payload = hotel_whatsapp::parse_webhook(nested_value.as_bytes()).unwrap();
    let out = payload.normalise(&resolve);
    assert_eq!((out.messages.len(), out.invalid_items), (0, 1));
    let in_a_message = single(&format!(
        r#"{{"from":"5491155550000","id":"wamid.deep","timestamp":"1764064000","type":"text","text":{{"body":"hola"}},"new_field":{}{}}}"#,
        r#"{"a":["#.repeat(50_000),
        "]}".repeat(50_000)
    ));
    let out = normalise(&in_a_message);
    assert_eq!(out.messages[0].text.as_deref(), Some("hola"));
}

#[test]
fn the_seed_itself_normalises() {
    assert_eq!(normalise(&seed()).messages.len(), 1);
}
