use hotel_domain::{InboundKind, InboundMessage, TenantId, WaId};
use hotel_whatsapp::webhook::WebhookMessage;
use hotel_whatsapp::{WebhookError, parse_webhook};

use crate::fixtures::{GUEST, PHONE_NUMBER_ID, envelope, normalise, resolve, single};

/// Normalises a one-message payload and returns that message.
fn only(message: &str) -> InboundMessage {
    let mut out = normalise(&single(message));
    assert_eq!(out.messages.len(), 1, "{out:?}");
    assert_eq!(
        (
            out.skipped_messages,
            out.invalid_items,
            out.invalid_timestamps
        ),
        (0, 0, 0),
        "{out:?}"
    );
    out.messages.remove(0)
}

/// Parses a one-message payload and returns the raw model of that message (borrowing from a body
/// leaked for the test's duration).
fn model(message: &str) -> WebhookMessage<'static> {
    let body: &'static str = Box::leak(single(message).into_boxed_str());
    let payload = parse_webhook(body.as_bytes()).unwrap();
    let value = payload.entry[0].changes[0].value.clone().unwrap();
    value.messages[0].clone()
}

#[test]
fn text_message_is_normalised_completely() {
    let m = only(
        r#"{"from":"5491155550000","id":"wamid.HBgLNTQ5MTE1NTU1MDAwMBUCABIYFjNFQjBDMA==","timestamp":"1764064000","type":"text","text":{"body":"hola, tienen lugar?"}}"#,
    );
    assert_eq!(m.tenant_id, TenantId::new("hotel-1"));
    assert_eq!(m.phone_number_id, PHONE_NUMBER_ID);
    assert_eq!(
        m.provider_message_id,
        "wamid.HBgLNTQ5MTE1NTU1MDAwMBUCABIYFjNFQjBDMA=="
    );
    assert_eq!(m.from, WaId::new(GUEST));
    assert_eq!(m.profile_name.as_deref(), Some("Ana"));
    assert_eq!(m.kind, InboundKind::Text);
    assert_eq!(m.text.as_deref(), Some("hola, tienen lugar?"));
    assert_eq!((m.reply_id, m.context_message_id), (None, None));
    assert_eq!(m.sent_at.timestamp(), 1_764_064_000);
}

#[test]
fn image_with_caption_and_media_id() {
    let json = r#"{"from":"5491155550000","id":"wamid.img","timestamp":"1764064001","type":"image","image":{"id":"1234567890","mime_type":"image/jpeg","sha256":"abc=","caption":"comprobante de pago","url":"https://lookaside.fbsbx.com/x"}}"#;
    let m = only(json);
    assert_eq!(
        (m.kind, m.text.as_deref()),
        (InboundKind::Image, Some("comprobante de pago"))
    );
    let raw = model(json);
    let media = raw.media().unwrap();
    assert_eq!(media.id.as_deref(), Some("1234567890"));
    assert_eq!(media.url.as_deref(), Some("https://lookaside.fbsbx.com/x"));
}

#[test]
fn voice_note_has_no_text() {
    let json = r#"{"from":"5491155550000","id":"wamid.aud","timestamp":"1764064002","type":"audio","audio":{"id":"555","mime_type":"audio/ogg; codecs=opus","sha256":"x","voice":true}}"#;
    let m = only(json);
    assert_eq!((m.kind, m.text), (InboundKind::Audio, None));
    assert_eq!(model(json).media().and_then(|a| a.voice), Some(true));
}

#[test]
fn video_document_and_sticker() {
    let video = only(
        r#"{"from":"5491155550000","id":"wamid.v","timestamp":"1764064003","type":"video","video":{"id":"1","mime_type":"video/mp4","sha256":"x","caption":"la vista"}}"#,
    );
    assert_eq!(
        (video.kind, video.text.as_deref()),
        (InboundKind::Video, Some("la vista"))
    );
    let doc_json = r#"{"from":"5491155550000","id":"wamid.d","timestamp":"1764064004","type":"document","document":{"id":"2","mime_type":"application/pdf","sha256":"x","filename":"recibo.pdf","caption":"transferencia"}}"#;
    let doc = only(doc_json);
    assert_eq!(
        (doc.kind, doc.text.as_deref()),
        (InboundKind::Document, Some("transferencia"))
    );
    assert_eq!(
        model(doc_json)
            .media()
            .and_then(|d| d.filename.clone())
            .as_deref(),
        Some("recibo.pdf")
    );
    let sticker = only(
        r#"{"from":"5491155550000","id":"wamid.s","timestamp":"1764064005","type":"sticker","sticker":{"id":"3","mime_type":"image/webp","sha256":"x","animated":false}}"#,
    );
    assert_eq!((sticker.kind, sticker.text), (InboundKind::Sticker, None));
}

#[test]
fn shared_place_and_pin() {
    let json = r#"{"from":"5491155550000","id":"wamid.loc","timestamp":"1764064006","type":"location","location":{"latitude":-34.6037,"longitude":-58.3816,"name":"Obelisco","address":"Av. 9 de Julio s/n","url":"https://maps.example"}}"#;
    let m = only(json);
    assert_eq!(
        (m.kind, m.text.as_deref()),
        (InboundKind::Location, Some("Obelisco, Av. 9 de Julio s/n"))
    );
    assert_eq!(
        model(json).location.and_then(|l| l.latitude),
        Some(-34.6037)
    );
    let pin = only(
        r#"{"from":"5491155550000","id":"wamid.pin","timestamp":"1764064006","type":"location","location":{"latitude":-34.6,"longitude":-58.3}}"#,
    );
    assert_eq!((pin.kind, pin.text), (InboundKind::Location, None));
}

#[test]
fn shared_contacts() {
    let json = r#"{"from":"5491155550000","id":"wamid.c","timestamp":"1764064007","type":"contacts","contacts":[{"name":{"formatted_name":"Juan Pérez","first_name":"Juan"},"phones":[{"phone":"+54 9 11 5555-1234","wa_id":"5491155551234","type":"CELL"}],"emails":[{"email":"juan@example.com","type":"WORK"}],"org":{"company":"ACME"},"birthday":"1990-01-01"}]}"#;
    let m = only(json);
    assert_eq!((m.kind, m.text), (InboundKind::Contacts, None));
    let card = &model(json).contacts[0];
    assert_eq!(
        card.name.as_ref().and_then(|n| n.formatted_name.as_deref()),
        Some("Juan Pérez")
    );
    assert_eq!(card.phones[0].wa_id.as_deref(), Some("5491155551234"));
}

#[test]
fn interactive_button_and_list_replies() {
    let button = only(
        r#"{"from":"5491155550000","id":"wamid.b","timestamp":"1764064008","type":"interactive","context":{"from":"15550783881","id":"wamid.ours-buttons"},"interactive":{"type":"button_reply","button_reply":{"id":"book_yes","title":"Sí, reservar"}}}"#,
    );
    assert_eq!(button.kind, InboundKind::Interactive);
    assert_eq!(button.text.as_deref(), Some("Sí, reservar"));
    assert_eq!(button.reply_id.as_deref(), Some("book_yes"));
    assert_eq!(
        button.context_message_id.as_deref(),
        Some("wamid.ours-buttons")
    );

    let list = only(
        r#"{"from":"5491155550000","id":"wamid.l","timestamp":"1764064100","type":"interactive","context":{"from":"15550783881","id":"wamid.ours-list"},"interactive":{"type":"list_reply","list_reply":{"id":"room_2","title":"Doble","description":"2 personas"}}}"#,
    );
    assert_eq!(
        (list.text.as_deref(), list.reply_id.as_deref()),
        (Some("Doble"), Some("room_2"))
    );
    assert_eq!(list.context_message_id.as_deref(), Some("wamid.ours-list"));
}

#[test]
fn flow_reply_carries_its_json() {
    let m = only(
        r#"{"from":"5491155550000","id":"wamid.f","timestamp":"1764064009","type":"interactive","context":{"id":"wamid.flow"},"interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{\"flow_token\":\"t\",\"checkin\":\"2026-12-15\"}"}}}"#,
    );
    assert_eq!(m.kind, InboundKind::Interactive);
    assert_eq!(
        m.reply_id.as_deref(),
        Some(r#"{"flow_token":"t","checkin":"2026-12-15"}"#)
    );
    assert_eq!(m.text.as_deref(), Some("Sent"));
}

#[test]
fn template_quick_reply_button() {
    let m = only(
        r#"{"from":"5491155550000","id":"wamid.tb","timestamp":"1764064010","type":"button","context":{"from":"15550783881","id":"wamid.template"},"button":{"text":"Confirmar","payload":"CONFIRM_42"}}"#,
    );
    assert_eq!(m.kind, InboundKind::Button);
    assert_eq!(
        (m.text.as_deref(), m.reply_id.as_deref()),
        (Some("Confirmar"), Some("CONFIRM_42"))
    );
    assert_eq!(m.context_message_id.as_deref(), Some("wamid.template"));
}

#[test]
fn reactions_point_at_the_reacted_message() {
    let m = only(
        r#"{"from":"5491155550000","id":"wamid.r","timestamp":"1764064011","type":"reaction","reaction":{"message_id":"wamid.ours","emoji":"👍"}}"#,
    );
    assert_eq!(m.kind, InboundKind::Reaction);
    assert!(!m.kind.expects_reply());
    assert_eq!(
        (m.text.as_deref(), m.context_message_id.as_deref()),
        (Some("👍"), Some("wamid.ours"))
    );
    let removed = only(
        r#"{"from":"5491155550000","id":"wamid.r2","timestamp":"1764064012","type":"reaction","reaction":{"message_id":"wamid.ours"}}"#,
    );
    assert_eq!(
        (removed.text, removed.context_message_id.as_deref()),
        (None, Some("wamid.ours"))
    );
}

#[test]
fn order() {
    let json = r#"{"from":"5491155550000","id":"wamid.o","timestamp":"1764064013","type":"order","order":{"catalog_id":"cat-1","text":"para el sábado","product_items":[{"product_retailer_id":"late-checkout","quantity":1,"item_price":99.9,"currency":"USD"}]}}"#;
    let m = only(json);
    assert_eq!(
        (m.kind, m.text.as_deref()),
        (InboundKind::Order, Some("para el sábado"))
    );
    let order = model(json).order.unwrap();
    assert_eq!(order.product_items[0].quantity, Some(1));
}

#[test]
fn system_number_change_carries_the_new_id() {
    let m = only(
        r#"{"from":"5491155550000","id":"wamid.sys","timestamp":"1764064014","type":"system","system":{"body":"User Ana changed from 5491155550000 to 5491166660000","wa_id":"5491166660000","type":"user_changed_number"}}"#,
    );
    assert_eq!(m.kind, InboundKind::System);
    assert!(!m.kind.expects_reply());
    assert_eq!(m.reply_id.as_deref(), Some("5491166660000"));
    let old = only(
        r#"{"from":"5491155550000","id":"wamid.sys2","timestamp":"1764064014","type":"system","system":{"body":"changed","new_wa_id":"5491177770000","type":"customer_changed_number"}}"#,
    );
    assert_eq!(old.reply_id.as_deref(), Some("5491177770000"));
}

#[test]
fn unsupported_and_unknown_types() {
    let unsupported = only(
        r#"{"from":"5491155550000","id":"wamid.u","timestamp":"1764064015","type":"unsupported","unsupported":{"type":"poll_creation"},"errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]}"#,
    );
    assert_eq!(
        (unsupported.kind, unsupported.text),
        (InboundKind::Unsupported, None)
    );
    let raw = model(
        r#"{"from":"5491155550000","id":"wamid.u","timestamp":"1","type":"unsupported","errors":[{"code":131051}]}"#,
    );
    assert_eq!(raw.errors[0].code, Some(131_051));

    let future = only(
        r#"{"from":"5491155550000","id":"wamid.n","timestamp":"1764064016","type":"hologram","hologram":{"depth":3}}"#,
    );
    assert_eq!(future.kind, InboundKind::Unsupported);
    assert_eq!(future.provider_message_id, "wamid.n");
}

#[test]
fn unknown_fields_are_ignored_everywhere() {
    let json = r#"{"object":"whatsapp_business_account","version":99,"entry":[{"id":"1","time":1764064000,"changes":[{"field":"messages","extra":[1,2],"value":{"messaging_product":"whatsapp","new_thing":{"a":1},"metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922","tier":"x"},"contacts":[{"profile":{"name":"Ana","username":"@ana","avatar":"x"},"wa_id":"5491155550000","user_id":"AR.1","parent_user_id":"AR.P"}],"messages":[{"from":"5491155550000","id":"wamid.x","timestamp":"1764064000","type":"text","text":{"body":"hola","lang":"es"},"context":{"forwarded":true,"frequently_forwarded":false},"referral":{"source_url":"https://fb.me/ad","source_type":"ad","ctwa_clid":"c1","new":true},"group_id":"g"}]}}]}]}"#;
    let out = normalise(json);
    assert_eq!(out.messages.len(), 1);
    assert_eq!(out.invalid_items, 0);
    assert_eq!(out.messages[0].text.as_deref(), Some("hola"));
    assert_eq!(out.messages[0].profile_name.as_deref(), Some("Ana"));
    assert_eq!(out.messages[0].context_message_id, None);
}

#[test]
fn several_entries_changes_and_messages_in_one_post() {
    let second_number = "200000000000002";
    let json = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"waba-1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{PHONE_NUMBER_ID}"}},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"5491155550000"}},{{"profile":{{"name":"Bruno"}},"wa_id":"5511987654321"}}],"messages":[{{"from":"5491155550000","id":"wamid.1","timestamp":"1764064000","type":"text","text":{{"body":"uno"}}}},{{"from":"5511987654321","id":"wamid.2","timestamp":"1764064001","type":"text","text":{{"body":"dois"}}}}]}}}},{{"field":"message_template_status_update","value":{{"event":"APPROVED","message_template_id":1,"message_template_name":"booking_reminder"}}}},{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783882","phone_number_id":"{second_number}"}},"contacts":[{{"profile":{{"name":"Carla"}},"wa_id":"34600000000"}}],"messages":[{{"from":"34600000000","id":"wamid.3","timestamp":"1764064002","type":"text","text":{{"body":"tres"}}}}]}}}}]}},{{"id":"waba-2","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{PHONE_NUMBER_ID}"}},"contacts":[{{"profile":{{"name":"Dora"}},"wa_id":"5215512345678"}}],"messages":[{{"from":"5215512345678","id":"wamid.4","timestamp":"1764064003","type":"text","text":{{"body":"cuatro"}}}}]}}}}]}}]}}"#
    );
    let payload = parse_webhook(json.as_bytes()).unwrap();
    let calls = std::cell::Cell::new(0);
    let out = payload.normalise(&|id| {
        calls.set(calls.get() + 1);
        match id {
            PHONE_NUMBER_ID => Some(TenantId::new("hotel-1")),
            "200000000000002" => Some(TenantId::new("hotel-2")),
            _ => None,
        }
    });
    assert_eq!(calls.get(), 2, "each number is resolved once");
    let summary: Vec<(&str, &str, &str, Option<&str>)> = out
        .messages
        .iter()
        .map(|m| {
            (
                m.tenant_id.as_str(),
                m.provider_message_id.as_str(),
                m.from.as_str(),
                m.profile_name.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("hotel-1", "wamid.1", "5491155550000", Some("Ana")),
            ("hotel-1", "wamid.2", "5511987654321", Some("Bruno")),
            ("hotel-2", "wamid.3", "34600000000", Some("Carla")),
            ("hotel-1", "wamid.4", "5215512345678", Some("Dora")),
        ]
    );
    assert_eq!(out.ignored_changes, 1);
    assert!(out.unknown_numbers.is_empty());
}

#[test]
fn unknown_numbers_are_reported_and_their_messages_skipped() {
    let contacts = format!(r#"[{{"profile":{{"name":"Ana"}},"wa_id":"{GUEST}"}}]"#);
    let message = r#"[{"from":"5491155550000","id":"wamid.x","timestamp":"1764064000","type":"text","text":{"body":"hola"}}]"#;
    let json = envelope("999", &contacts, message);
    let out = parse_webhook(json.as_bytes()).unwrap().normalise(&resolve);
    assert!(out.messages.is_empty());
    assert_eq!(out.unknown_numbers, vec!["999".to_owned()]);
    assert_eq!(out.unrouted_messages, 1);
}

#[test]
fn username_users_are_keyed_by_their_bsuid() {
    let json = envelope(
        PHONE_NUMBER_ID,
        r#"[{"profile":{"name":"Ana","username":"@ana"},"user_id":"AR.13491208655302741918"}]"#,
        r#"[{"id":"wamid.bsuid","timestamp":"1764064000","type":"text","text":{"body":"hola"}}]"#,
    );
    let out = normalise(&json);
    assert_eq!(out.messages[0].from, WaId::new("AR.13491208655302741918"));
    assert_eq!(out.messages[0].profile_name.as_deref(), Some("Ana"));

    // Without `from`, several contacts cannot be told apart: skipped, not guessed.
    let ambiguous = envelope(
        PHONE_NUMBER_ID,
        r#"[{"user_id":"AR.1"},{"user_id":"AR.2"}]"#,
        r#"[{"id":"wamid.q","timestamp":"1764064000","type":"text","text":{"body":"hola"}}]"#,
    );
    let out = normalise(&ambiguous);
    assert_eq!((out.messages.len(), out.skipped_messages), (0, 1));
}

#[test]
fn odd_messages_are_counted_not_fatal() {
    let json = envelope(
        PHONE_NUMBER_ID,
        r#"[{"wa_id":"5491155550000"}]"#,
        r#"[{"from":"5491155550000","timestamp":"1764064000","type":"text","text":{"body":"no id"}},"not an object",{"from":"5491155550000","id":"wamid.t","timestamp":"yesterday","type":"text","text":{"body":"ok"}},{"from":"5491155550000","id":"wamid.n","timestamp":1764064000,"type":"text","text":{"body":"numeric time"}}]"#,
    );
    let out = normalise(&json);
    let ids: Vec<&str> = out
        .messages
        .iter()
        .map(|m| m.provider_message_id.as_str())
        .collect();
    assert_eq!(ids, vec!["wamid.t", "wamid.n"]);
    assert_eq!(
        (
            out.skipped_messages,
            out.invalid_items,
            out.invalid_timestamps
        ),
        (1, 1, 1)
    );
    assert_eq!(out.messages[0].sent_at.timestamp(), 0);
    assert_eq!(out.messages[1].sent_at.timestamp(), 1_764_064_000);
    assert_eq!(out.messages[0].profile_name, None);
}

#[test]
fn bodies_that_are_not_envelopes_are_errors() {
    assert!(matches!(
        parse_webhook(b"{\"object\":\"whatsapp_business_account\""),
        Err(WebhookError::InvalidJson { .. })
    ));
    assert!(matches!(
        parse_webhook(b""),
        Err(WebhookError::InvalidJson { .. })
    ));
    assert_eq!(parse_webhook(b"[1,2]"), Err(WebhookError::NotAnEnvelope));
    assert_eq!(parse_webhook(b"42"), Err(WebhookError::NotAnEnvelope));
    assert_eq!(
        parse_webhook(br#"{"entry":[]}"#),
        Err(WebhookError::NotAnEnvelope)
    );
}

#[test]
fn other_objects_are_ignored() {
    let json = single(r#"{"from":"5491155550000","id":"wamid.x","timestamp":"1","type":"text","text":{"body":"hola"}}"#)
        .replace("whatsapp_business_account", "page");
    let out = normalise(&json);
    assert!(out.messages.is_empty());
    assert_eq!(out.ignored_changes, 1);
}

#[test]
fn a_repeated_key_is_read_again_and_the_last_one_wins() {
    let json = single(
        r#"{"from":"5491155550000","id":"wamid.dup","timestamp":"1764064000","type":"text","text":{"body":"primero"},"text":{"body":"segundo"}}"#,
    );
    let out = normalise(&json);
    assert_eq!(out.messages[0].text.as_deref(), Some("segundo"));
    let repeated_object = json.replacen(
        r#""object":"whatsapp_business_account""#,
        r#""object":"whatsapp_business_account","object":"page""#,
        1,
    );
    assert_eq!(normalise(&repeated_object).ignored_changes, 1);
}

#[test]
fn escaped_and_non_ascii_text_survives() {
    let m = single(
        r#"{"from":"5491155550000","id":"wamid.esc","timestamp":"1764064000","type":"text","text":{"body":"\"Suite\" \u00e9 \ud83c\udfe8 ok\nñ"}}"#,
    );
    let out = normalise(&m);
    assert_eq!(
        out.messages[0].text.as_deref(),
        Some("\"Suite\" é 🏨 ok\nñ")
    );
    let mut invalid = single(r#"{"id":"x","type":"text","text":{"body":"a"}}"#).into_bytes();
    let at = invalid.iter().position(|&b| b == b'a').unwrap();
    invalid[at] = 0xff;
    assert!(matches!(
        parse_webhook(&invalid),
        Err(WebhookError::InvalidJson { line: 1, .. })
    ));
}
