//! Every outbound body as the Graph API receives it, error bodies as the client reports them,
//! mark-as-read, and the 131030 number fallback, against wiremock.

use std::time::Duration;

use hotel_domain::{
    Choice, GeoPoint, MediaKind, MediaSource, OutboundBody, OutboundMessage, TemplateComponent,
    TemplateParameter, WaId,
};
use hotel_whatsapp::{
    CloudApiClient, Credentials, ErrorClass, MessageSender, PreparedMessage, RateLimit, SendError,
    prepare, send_with_number_fallback,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE_NUMBER_ID: &str = "106540352242922";
const TOKEN: &str = "EAAG-test-token";
const GUEST: &str = "5491155550000";

fn credentials() -> Credentials {
    Credentials::new(PHONE_NUMBER_ID, TOKEN)
}

fn client(server: &MockServer) -> CloudApiClient {
    CloudApiClient::new(&format!("{}/v23.0", server.uri()), Duration::from_secs(5)).unwrap()
}

fn outbound(body: OutboundBody) -> OutboundMessage {
    OutboundMessage {
        to: WaId::new(GUEST),
        body,
        reply_to: None,
    }
}

/// The full request body for `to` and a `type` payload.
fn request(kind: &str, payload: Value) -> Value {
    let mut body = json!({"messaging_product":"whatsapp","recipient_type":"individual","to":GUEST,"type":kind});
    body[kind] = payload;
    body
}

/// Sends `body` through the real client and checks the exact JSON Meta receives.
async fn sends_exactly(body: OutboundBody, expected: Value) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{PHONE_NUMBER_ID}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(&expected))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages":[{"id":"wamid.out"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let receipt = client(&server)
        .send(&credentials(), &outbound(body), None)
        .await
        .expect("the mock accepts exactly the expected body");
    assert_eq!(receipt.provider_message_id, "wamid.out");
}

#[tokio::test]
async fn text_with_preview() {
    sends_exactly(
        OutboundBody::Text {
            body: "Mirá https://hotel.example".into(),
            preview_url: true,
        },
        request(
            "text",
            json!({"body":"Mirá https://hotel.example","preview_url":true}),
        ),
    )
    .await;
}

#[tokio::test]
async fn every_media_kind() {
    let cases = [
        (
            MediaKind::Image,
            MediaSource::Id("111".into()),
            Some("Piscina"),
            None,
            json!({"id":"111","caption":"Piscina"}),
        ),
        (
            MediaKind::Audio,
            MediaSource::Link("https://cdn.example/a.ogg".into()),
            None,
            None,
            json!({"link":"https://cdn.example/a.ogg"}),
        ),
        (
            MediaKind::Video,
            MediaSource::Link("https://cdn.example/v.mp4".into()),
            Some("Tour"),
            None,
            json!({"link":"https://cdn.example/v.mp4","caption":"Tour"}),
        ),
        (
            MediaKind::Document,
            MediaSource::Link("https://cdn.example/factura.pdf".into()),
            Some("Su factura"),
            Some("factura-42.pdf"),
            json!({"link":"https://cdn.example/factura.pdf","caption":"Su factura","filename":"factura-42.pdf"}),
        ),
        (
            MediaKind::Sticker,
            MediaSource::Id("222".into()),
            None,
            None,
            json!({"id":"222"}),
        ),
    ];
    for (kind, source, caption, filename, payload) in cases {
        let body = OutboundBody::Media {
            kind,
            source,
            caption: caption.map(str::to_owned),
            filename: filename.map(str::to_owned),
        };
        sends_exactly(body, request(kind.as_str(), payload)).await;
    }
}

#[tokio::test]
async fn location() {
    sends_exactly(
        OutboundBody::Location(GeoPoint {
            latitude: -34.6037,
            longitude: -58.3816,
            name: Some("Hotel Prime".into()),
            address: Some("Av. de Mayo 1".into()),
        }),
        request(
            "location",
            json!({"latitude":-34.6037,"longitude":-58.3816,"name":"Hotel Prime","address":"Av. de Mayo 1"}),
        ),
    )
    .await;
}

#[tokio::test]
async fn reply_buttons() {
    sends_exactly(
        OutboundBody::Choices {
            header: Some("Reserva".into()),
            body: "¿Confirmo la reserva?".into(),
            footer: Some("Hotel Prime".into()),
            button: None,
            choices: vec![Choice::new("book_yes", "Sí"), Choice::new("book_no", "No")],
        },
        request(
            "interactive",
            json!({"type":"button","header":{"type":"text","text":"Reserva"},
                   "body":{"text":"¿Confirmo la reserva?"},"footer":{"text":"Hotel Prime"},
                   "action":{"buttons":[{"type":"reply","reply":{"id":"book_yes","title":"Sí"}},
                                        {"type":"reply","reply":{"id":"book_no","title":"No"}}]}}),
        ),
    )
    .await;
}

#[tokio::test]
async fn list() {
    sends_exactly(
        OutboundBody::Choices {
            header: Some("Habitaciones".into()),
            body: "Elegí una opción".into(),
            footer: None,
            button: Some("Ver opciones".into()),
            choices: vec![
                Choice::new("room_2", "Doble").described("2 personas · USD 120/noche"),
                Choice::new("room_1", "Simple"),
            ],
        },
        request(
            "interactive",
            json!({"type":"list","header":{"type":"text","text":"Habitaciones"},
                   "body":{"text":"Elegí una opción"},
                   "action":{"button":"Ver opciones","sections":[{"rows":[
                       {"id":"room_2","title":"Doble","description":"2 personas · USD 120/noche"},
                       {"id":"room_1","title":"Simple"}]}]}}),
        ),
    )
    .await;
}

#[tokio::test]
async fn link_button() {
    sends_exactly(
        OutboundBody::LinkButton {
            body: "Para confirmar, pagá la seña.".into(),
            display_text: "Pagar seña".into(),
            url: "https://pay.example/s/42".into(),
        },
        request(
            "interactive",
            json!({"type":"cta_url","body":{"text":"Para confirmar, pagá la seña."},
                   "action":{"name":"cta_url","parameters":{"display_text":"Pagar seña","url":"https://pay.example/s/42"}}}),
        ),
    )
    .await;
}

#[tokio::test]
async fn reaction() {
    sends_exactly(
        OutboundBody::Reaction {
            message_id: "wamid.theirs".into(),
            emoji: "👍".into(),
        },
        request(
            "reaction",
            json!({"message_id":"wamid.theirs","emoji":"👍"}),
        ),
    )
    .await;
}

#[tokio::test]
async fn template() {
    sends_exactly(
        OutboundBody::Template {
            name: "booking_reminder".into(),
            language: "es_AR".into(),
            components: vec![
                TemplateComponent::Header {
                    parameters: vec![TemplateParameter::Image {
                        source: MediaSource::Link("https://cdn.example/hotel.jpg".into()),
                    }],
                },
                TemplateComponent::Body {
                    parameters: vec![
                        TemplateParameter::Text {
                            text: "Ana".into(),
                            parameter_name: Some("first_name".into()),
                        },
                        TemplateParameter::Text {
                            text: "15/12".into(),
                            parameter_name: Some("check_in".into()),
                        },
                    ],
                },
                TemplateComponent::Button {
                    sub_type: "quick_reply".into(),
                    index: 0,
                    parameters: vec![TemplateParameter::Payload {
                        payload: "CONFIRM_42".into(),
                    }],
                },
                TemplateComponent::Button {
                    sub_type: "url".into(),
                    index: 1,
                    parameters: vec![TemplateParameter::Text {
                        text: "HTL-4821".into(),
                        parameter_name: None,
                    }],
                },
            ],
        },
        request(
            "template",
            json!({"name":"booking_reminder","language":{"code":"es_AR"},"components":[
                {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example/hotel.jpg"}}]},
                {"type":"body","parameters":[
                    {"type":"text","text":"Ana","parameter_name":"first_name"},
                    {"type":"text","text":"15/12","parameter_name":"check_in"}]},
                {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"CONFIRM_42"}]},
                {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"HTL-4821"}]}]}),
        ),
    )
    .await;
}

#[tokio::test]
async fn a_long_reply_goes_out_as_several_messages_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages":[{"id":"wamid.n"}]})),
        )
        .mount(&server)
        .await;
    let body = "Primera parte del detalle. ".repeat(200);
    let mut long = outbound(OutboundBody::Text {
        body: body.clone(),
        preview_url: false,
    });
    long.reply_to = Some("wamid.guest".into());
    let client = client(&server);
    // `send` refuses what needs splitting, without a request.
    let refused = client.send(&credentials(), &long, None).await.unwrap_err();
    assert!(
        matches!(refused, SendError::InvalidRequest(_)),
        "{refused:?}"
    );
    assert!(!refused.is_retryable());
    assert!(server.received_requests().await.unwrap().is_empty());

    let prepared = prepare(&long).unwrap();
    assert_eq!(prepared.messages.len(), 2);
    for (n, message) in prepared.messages.iter().enumerate() {
        client
            .send_prepared(&credentials(), message, Some(&format!("outbox:7:{n}")))
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<Value> = requests.iter().map(|r| r.body_json().unwrap()).collect();
    assert_eq!(sent[0]["context"], json!({"message_id":"wamid.guest"}));
    assert_eq!(sent[1].get("context"), None);
    assert_eq!(sent[1]["biz_opaque_callback_data"], "outbox:7:1");
    let texts: Vec<&str> = sent
        .iter()
        .map(|s| s["text"]["body"].as_str().unwrap())
        .collect();
    assert!(texts.iter().all(|t| t.chars().count() <= 4096));
    assert_eq!(texts.join(" "), body.trim_end());
}

#[tokio::test]
async fn local_refusals_spend_no_request() {
    let server = MockServer::start().await;
    let client = client(&server);
    let message = PreparedMessage::single(&outbound(OutboundBody::Text {
        body: "hola".into(),
        preview_url: false,
    }))
    .unwrap();
    let refusals = [
        client
            .send_prepared(&Credentials::new("../x", "t"), &message, None)
            .await,
        client
            .send_prepared(&credentials(), &message.clone().with_recipient(" "), None)
            .await,
        client
            .send_prepared(&credentials(), &message, Some(&"x".repeat(513)))
            .await,
    ];
    for refusal in refusals {
        assert!(
            matches!(refusal, Err(SendError::InvalidRequest(_))),
            "{refusal:?}"
        );
    }
    assert!(matches!(
        client.mark_read(&credentials(), " ", false).await,
        Err(SendError::InvalidRequest(_))
    ));
    assert!(matches!(
        client
            .mark_read(&Credentials::new("", "t"), "wamid.x", false)
            .await,
        Err(SendError::InvalidRequest(_))
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn mark_read_with_and_without_typing() {
    for typing in [false, true] {
        let server = MockServer::start().await;
        let mut expected =
            json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.theirs"});
        if typing {
            expected["typing_indicator"] = json!({"type":"text"});
        }
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{PHONE_NUMBER_ID}/messages")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_json(&expected))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success":true})))
            .expect(1)
            .mount(&server)
            .await;
        client(&server)
            .mark_read(&credentials(), "wamid.theirs", typing)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn mark_read_failures() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success":false})))
        .mount(&server)
        .await;
    let error = client(&server)
        .mark_read(&credentials(), "wamid.theirs", false)
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::InvalidResponse(_)), "{error:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error":{
            "message":"Invalid parameter","type":"OAuthException","code":100,
            "error_data":{"messaging_product":"whatsapp","details":"Invalid message id"},"fbtrace_id":"Tr4"}})))
        .mount(&server)
        .await;
    let error = client(&server)
        .mark_read(&credentials(), "wamid.unknown", true)
        .await
        .unwrap_err();
    assert_eq!(error.class(), Some(ErrorClass::InvalidParameter));
    assert_eq!(
        error.graph_error().and_then(|e| e.details.as_deref()),
        Some("Invalid message id")
    );
    assert!(error.to_string().contains("Invalid message id"));
}

/// §8: each code as Meta answers it, with the class and retry decision the outbox acts on.
#[tokio::test]
async fn error_table() {
    let table: [(u16, i64, ErrorClass, bool); 22] = [
        (400, 131_047, ErrorClass::WindowClosed, false),
        (
            400,
            130_429,
            ErrorClass::RateLimited(RateLimit::Number),
            true,
        ),
        (400, 131_056, ErrorClass::RateLimited(RateLimit::Pair), true),
        (400, 131_048, ErrorClass::RateLimited(RateLimit::Spam), true),
        (400, 131_026, ErrorClass::Undeliverable, false),
        (400, 131_049, ErrorClass::MarketingLimit, false),
        (400, 131_030, ErrorClass::RecipientNotAllowed, false),
        (400, 131_052, ErrorClass::Media, true),
        (400, 131_053, ErrorClass::Media, true),
        (500, 131_000, ErrorClass::Temporary, true),
        (503, 2, ErrorClass::Temporary, true),
        (500, 1, ErrorClass::Temporary, true),
        (503, 131_016, ErrorClass::Temporary, true),
        (400, 4, ErrorClass::RateLimited(RateLimit::App), true),
        (400, 80_007, ErrorClass::RateLimited(RateLimit::App), true),
        (400, 132_001, ErrorClass::Template, false),
        (401, 190, ErrorClass::Auth, false),
        (400, 100, ErrorClass::InvalidParameter, false),
        (403, 10, ErrorClass::Permission, false),
        (403, 368, ErrorClass::Policy, false),
        (400, 131_057, ErrorClass::Maintenance, true),
        (400, 133_010, ErrorClass::NotRegistered, false),
    ];
    let server = MockServer::start().await;
    let client = client(&server);
    let message = outbound(OutboundBody::Text {
        body: "hola".into(),
        preview_url: false,
    });
    for (status, code, class, retryable) in table {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"error":{
                "message":format!("(#{code}) something"),"type":"OAuthException","code":code,
                "error_subcode":2_494_010,
                "error_data":{"messaging_product":"whatsapp","details":"what happened"},
                "fbtrace_id":"AbC"}})))
            .mount(&server)
            .await;
        let error = client
            .send(&credentials(), &message, None)
            .await
            .unwrap_err();
        assert_eq!(error.class(), Some(class), "{code}");
        assert_eq!(error.is_retryable(), retryable, "{code}");
        assert_eq!(error.http_status(), Some(status));
        let graph = error.graph_error().unwrap();
        assert_eq!(
            (graph.code, graph.subcode, graph.kind.as_deref()),
            (code, Some(2_494_010), Some("OAuthException"))
        );
        assert_eq!(
            (graph.details.as_deref(), graph.fbtrace_id.as_deref()),
            (Some("what happened"), Some("AbC"))
        );
        assert!(!format!("{error} {error:?}").contains(TOKEN));
    }
}

#[tokio::test]
async fn unknown_codes_fall_back_to_the_http_status() {
    for (status, retryable) in [(503, true), (400, false)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"error":{"message":"new","code":987_654}})),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .send(
                &credentials(),
                &outbound(OutboundBody::Text {
                    body: "hola".into(),
                    preview_url: false,
                }),
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(error.class(), Some(ErrorClass::Unknown));
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }
}

fn not_allowed() -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error":{
        "message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException",
        "code":131_030,"fbtrace_id":"X"}}))
}

#[tokio::test]
async fn recipient_not_allowed_retries_once_with_the_argentine_short_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(request(
            "text",
            json!({"body":"hola","preview_url":false}),
        )))
        .respond_with(not_allowed())
        .expect(1)
        .mount(&server)
        .await;
    let mut short = request("text", json!({"body":"hola","preview_url":false}));
    short["to"] = json!("541155550000");
    Mock::given(method("POST"))
        .and(body_json(short))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages":[{"id":"wamid.ok"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let message = PreparedMessage::single(&outbound(OutboundBody::Text {
        body: "hola".into(),
        preview_url: false,
    }))
    .unwrap();
    let (receipt, alternate) =
        send_with_number_fallback(&client(&server), &credentials(), &message, None)
            .await
            .unwrap();
    assert_eq!(receipt.provider_message_id, "wamid.ok");
    assert_eq!(alternate.as_deref(), Some("541155550000"));
}

#[tokio::test]
async fn number_fallback_gives_up_without_an_alternate() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(not_allowed())
        .expect(1)
        .mount(&server)
        .await;
    let message = PreparedMessage::single(&outbound(OutboundBody::Text {
        body: "hi".into(),
        preview_url: false,
    }))
    .unwrap()
    .with_recipient("15550783881");
    let error = send_with_number_fallback(&client(&server), &credentials(), &message, None)
        .await
        .unwrap_err();
    assert_eq!(error.class(), Some(ErrorClass::RecipientNotAllowed));

    // Other outcomes pass through untouched.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages":[{"id":"wamid.1"}]})),
        )
        .mount(&server)
        .await;
    let (receipt, alternate) =
        send_with_number_fallback(&client(&server), &credentials(), &message, None)
            .await
            .unwrap();
    assert_eq!(
        (receipt.provider_message_id.as_str(), alternate),
        ("wamid.1", None)
    );
}
