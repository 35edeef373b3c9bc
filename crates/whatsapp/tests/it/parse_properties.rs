use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::fixtures::{PHONE_NUMBER_ID, normalise, resolve, single};

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

/// Names the models read, at every level, so that generated objects hit real fields.
const FIELDS: &[&str] = &[
    "object",
    "entry",
    "changes",
    "field",
    "value",
    "metadata",
    "phone_number_id",
    "contacts",
    "messages",
    "statuses",
    "errors",
    "profile",
    "name",
    "wa_id",
    "user_id",
    "from",
    "from_user_id",
    "id",
    "timestamp",
    "type",
    "context",
    "text",
    "body",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "url",
    "mime_type",
    "sha256",
    "caption",
    "filename",
    "voice",
    "animated",
    "location",
    "latitude",
    "longitude",
    "address",
    "phones",
    "phone",
    "emails",
    "email",
    "formatted_name",
    "first_name",
    "interactive",
    "button_reply",
    "list_reply",
    "nfm_reply",
    "title",
    "response_json",
    "button",
    "payload",
    "reaction",
    "message_id",
    "emoji",
    "order",
    "product_items",
    "quantity",
    "item_price",
    "system",
    "new_wa_id",
    "unsupported",
    "status",
    "recipient_id",
    "code",
    "error_data",
    "details",
    "pricing",
    "conversation",
    "referral",
];

/// The `type`s Meta sends, and a few it might.
const TYPES: &[&str] = &[
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
    "order",
    "system",
    "unsupported",
    "button_reply",
    "list_reply",
    "nfm_reply",
    "user_changed_number",
    "hologram",
    "",
];

/// Any JSON value, with keys and strings drawn mostly from the webhook's own vocabulary.
fn webhook_json() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        prop::sample::select(TYPES).prop_map(str::to_owned),
        Just(PHONE_NUMBER_ID.to_owned()),
        Just("5491155550000".to_owned()),
        "-?[0-9]{1,4}(\\.[0-9]{1,4})?",
        "\\PC{0,10}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text.prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        let key = prop_oneof![
            4 => prop::sample::select(FIELDS).prop_map(str::to_owned),
            1 => "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key, inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// An element of `messages[]`: a message-like object whose fields may hold anything.
fn message_like() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(TYPES),
        prop::option::of("[a-z0-9.]{0,6}"),
        prop::collection::btree_map(prop::sample::select(FIELDS), webhook_json(), 0..6),
    )
        .prop_map(|(kind, id, fields)| {
            let mut message: Map<String, Value> = fields
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect();
            message.insert("type".into(), kind.into());
            message.insert("from".into(), "5491155550000".into());
            if let Some(id) = id {
                message.insert("id".into(), id.into());
            }
            Value::Object(message)
        })
}

/// An envelope of the right outline whose messages, statuses, contacts and errors are arbitrary.
fn envelope_like() -> impl Strategy<Value = Value> {
    let value = (
        prop::collection::vec(message_like(), 0..4),
        webhook_json(),
        webhook_json(),
        webhook_json(),
    )
        .prop_map(|(messages, statuses, contacts, errors)| {
            json!({
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
                "contacts": contacts,
                "messages": messages,
                "statuses": statuses,
                "errors": errors,
            })
        });
    prop::collection::vec(value, 1..3).prop_map(|values| {
        let changes: Vec<Value> = values
            .into_iter()
            .map(|value| json!({"field": "messages", "value": value}))
            .collect();
        json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": changes}]})
    })
}

/// Adds a key the models do not know, holding `extra`, to every object inside `value`.
fn with_unknown_fields(value: &mut Value, extra: &Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                with_unknown_fields(child, extra);
            }
            map.insert("zz_not_a_field".into(), extra.clone());
        }
        Value::Array(items) => {
            for item in items {
                with_unknown_fields(item, extra);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn envelope_shaped_values_always_parse_and_never_panic(envelope in envelope_like()) {
        let raw = serde_json::to_vec(&envelope).unwrap();
        let payload = hotel_whatsapp::parse_webhook(&raw);
        prop_assert!(payload.is_ok(), "{envelope}");
        let out = payload.unwrap().normalise(&resolve);
        let sent = envelope["entry"][0]["changes"]
            .as_array()
            .map_or(0, |changes| changes.iter().map(|c| c["value"]["messages"].as_array().map_or(0, Vec::len)).sum());
        prop_assert_eq!(out.messages.len() + out.skipped_messages, sent);
        for message in &out.messages {
            prop_assert!(!message.provider_message_id.is_empty());
            prop_assert_eq!(message.from.as_str(), "5491155550000");
        }
    }

    #[test]
    fn unknown_fields_anywhere_change_nothing(
        index in any::<prop::sample::Index>(),
        extra in webhook_json(),
    ) {
        let names = crate::golden::INBOUND;
        let name = names[index.index(names.len())];
        let original = crate::golden::golden("inbound", name);
        let mut value: Value = serde_json::from_str(&crate::golden::fixture("inbound", name)).unwrap();
        with_unknown_fields(&mut value, &extra);
        let raw = serde_json::to_vec(&value).unwrap();
        let out = hotel_whatsapp::parse_webhook(&raw).unwrap().normalise(&crate::golden::resolve);
        prop_assert_eq!(out, original, "{}", name);
    }

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
