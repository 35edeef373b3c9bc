use hotel_domain::{
    Choice, GeoPoint, MediaKind, MediaSource, OutboundBody, OutboundMessage, TemplateComponent,
    TemplateParameter, WaId,
};
use serde_json::{Value, json};

use super::*;

fn message(body: OutboundBody) -> OutboundMessage {
    OutboundMessage {
        to: WaId::new("5491155550000"),
        body,
        reply_to: None,
    }
}

fn prepared(body: OutboundBody) -> Prepared {
    prepare(&message(body)).unwrap()
}

/// The `type` payload of the only message.
fn only(body: OutboundBody) -> Value {
    let prepared = prepared(body);
    assert_eq!(prepared.messages.len(), 1, "{prepared:?}");
    prepared.messages[0].to_json(None)
}

fn choices(header: Option<&str>, body: &str, titles: &[&str]) -> OutboundBody {
    OutboundBody::Choices {
        header: header.map(str::to_owned),
        body: body.into(),
        footer: None,
        button: None,
        choices: titles
            .iter()
            .enumerate()
            .map(|(i, title)| Choice::new(format!("c{i}"), *title))
            .collect(),
    }
}

fn text(body: &str) -> OutboundBody {
    OutboundBody::Text {
        body: body.into(),
        preview_url: false,
    }
}

fn chars(value: &Value) -> usize {
    value.as_str().unwrap().chars().count()
}

#[test]
fn short_text_is_one_message_and_keeps_the_quote() {
    let mut reply = message(OutboundBody::Text {
        body: "hola".into(),
        preview_url: true,
    });
    reply.reply_to = Some("wamid.in".into());
    let prepared = prepare(&reply).unwrap();
    assert!(prepared.adjustments.is_empty());
    let only = &prepared.messages[0];
    assert_eq!(
        (only.kind(), only.text(), only.to()),
        ("text", Some("hola"), "5491155550000")
    );
    assert_eq!(only.reply_to(), Some("wamid.in"));
    assert_eq!(
        only.to_json(None)["text"],
        json!({"body":"hola","preview_url":true})
    );
}

#[test]
fn long_text_is_split_and_quoted_once() {
    let body = "Una frase corta. ".repeat(400);
    let mut long = message(text(&body));
    long.reply_to = Some("wamid.in".into());
    let prepared = prepare(&long).unwrap();
    assert_eq!(prepared.messages.len(), 2);
    assert_eq!(
        prepared.adjustments,
        vec![Adjustment::Split {
            field: "text",
            messages: 2
        }]
    );
    assert_eq!(prepared.messages[0].reply_to(), Some("wamid.in"));
    assert_eq!(prepared.messages[1].reply_to(), None);
    let first = prepared.messages[0].text().unwrap();
    assert!(first.chars().count() <= limits::TEXT && first.ends_with('.'));
    assert_eq!(
        PreparedMessage::single(&long),
        Err(BuildError::NeedsSeveralMessages(2))
    );
}

#[test]
fn text_at_the_limit_counts_code_points() {
    let exact = "ñ".repeat(limits::TEXT);
    assert_eq!(prepared(text(&exact)).messages.len(), 1);
    let emoji = "🏨".repeat(limits::TEXT + 1);
    assert_eq!(prepared(text(&emoji)).messages.len(), 2);
}

#[test]
fn blank_and_addressless_messages_are_refused() {
    assert_eq!(
        prepare(&message(text(" \n"))),
        Err(BuildError::Empty("text body"))
    );
    let mut nobody = message(text("hola"));
    nobody.to = WaId::new(" ");
    assert_eq!(prepare(&nobody), Err(BuildError::NoRecipient));
}

#[test]
fn up_to_three_short_unique_titles_are_buttons() {
    let json = only(choices(Some("Reserva"), "¿Confirmo?", &["Sí", "No"]));
    assert_eq!(
        json["interactive"],
        json!({"type":"button","header":{"type":"text","text":"Reserva"},"body":{"text":"¿Confirmo?"},
               "action":{"buttons":[{"type":"reply","reply":{"id":"c0","title":"Sí"}},
                                    {"type":"reply","reply":{"id":"c1","title":"No"}}]}})
    );
}

#[test]
fn button_titles_are_counted_in_code_points() {
    let twenty_emoji = "😀".repeat(20);
    let twenty_accents = "ñ".repeat(20);
    let json = only(choices(None, "¿?", &[&twenty_emoji, &twenty_accents]));
    assert_eq!(json["interactive"]["type"], "button");
    let twenty_one = "😀".repeat(21);
    let json = only(choices(None, "¿?", &[&twenty_one, "No"]));
    assert_eq!(json["interactive"]["type"], "list");
    assert_eq!(
        json["interactive"]["action"]["sections"][0]["rows"][0]["title"],
        twenty_one
    );
}

#[test]
fn four_options_duplicates_or_descriptions_make_a_list() {
    for body in [
        choices(None, "¿Cuál?", &["a", "b", "c", "d"]),
        choices(None, "¿Cuál?", &["Doble", "Doble"]),
        OutboundBody::Choices {
            header: None,
            body: "¿Cuál?".into(),
            footer: None,
            button: None,
            choices: vec![Choice::new("d", "Doble").described("2 personas")],
        },
    ] {
        assert_eq!(only(body)["interactive"]["type"], "list");
    }
}

#[test]
fn list_shape_and_default_label() {
    let body = OutboundBody::Choices {
        header: Some("Habitaciones".into()),
        body: "Elegí una opción".into(),
        footer: Some("Precios por noche".into()),
        button: None,
        choices: vec![Choice::new("room_2", "Doble").described("2 personas · USD 120/noche")],
    };
    assert_eq!(
        only(body.clone())["interactive"],
        json!({"type":"list","header":{"type":"text","text":"Habitaciones"},"body":{"text":"Elegí una opción"},
               "footer":{"text":"Precios por noche"},
               "action":{"button":"Menu","sections":[{"rows":[
                   {"id":"room_2","title":"Doble","description":"2 personas · USD 120/noche"}]}]}})
    );
    let options = PrepareOptions {
        list_button: "Ver opciones".into(),
    };
    let prepared = prepare_with(&message(body.clone()), &options).unwrap();
    assert_eq!(
        prepared.messages[0].to_json(None)["interactive"]["action"]["button"],
        "Ver opciones"
    );
    let blank = PrepareOptions {
        list_button: " ".into(),
    };
    let prepared = prepare_with(&message(body), &blank).unwrap();
    assert_eq!(
        prepared.messages[0].to_json(None)["interactive"]["action"]["button"],
        "Menu"
    );
}

#[test]
fn list_fields_are_truncated_with_an_ellipsis() {
    let body = OutboundBody::Choices {
        header: Some("H".repeat(61)),
        body: "¿Cuál?".into(),
        footer: Some("ñ".repeat(61)),
        button: Some("Ver todas las habitaciones".into()),
        choices: vec![
            Choice::new("a", "😀".repeat(25)).described("d".repeat(73)),
            Choice::new("b", "ñ".repeat(24)).described("é".repeat(72)),
        ],
    };
    let prepared = prepared(body);
    let json = prepared.messages[0].to_json(None);
    let interactive = &json["interactive"];
    assert_eq!(chars(&interactive["header"]["text"]), 60);
    assert_eq!(chars(&interactive["footer"]["text"]), 60);
    assert_eq!(interactive["action"]["button"], "Ver todas las habit…");
    let rows = &interactive["action"]["sections"][0]["rows"];
    assert_eq!(rows[0]["title"], format!("{}…", "😀".repeat(23)));
    assert_eq!(chars(&rows[0]["description"]), 72);
    assert_eq!(rows[1]["title"], "ñ".repeat(24));
    assert_eq!(rows[1]["description"], "é".repeat(72));
    for field in [
        "header",
        "footer",
        "list button",
        "row title",
        "row description",
    ] {
        assert!(
            prepared
                .adjustments
                .iter()
                .any(|a| matches!(a, Adjustment::Truncated { field: f, .. } if *f == field)),
            "{field}: {:?}",
            prepared.adjustments
        );
    }
}

#[test]
fn more_than_ten_choices_keep_the_first_ten() {
    let titles: Vec<String> = (1..=12).map(|i| format!("Opción {i}")).collect();
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    let prepared = prepared(choices(None, "¿Cuál?", &titles));
    let json = prepared.messages[0].to_json(None);
    let rows = json["interactive"]["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), limits::LIST_ROWS);
    assert_eq!(rows[9]["title"], "Opción 10");
    assert_eq!(
        prepared.adjustments,
        vec![Adjustment::ChoicesDropped {
            kept: 10,
            dropped: 2
        }]
    );
}

#[test]
fn choice_ids_are_checked_never_changed() {
    let with_ids = |ids: &[&str]| OutboundBody::Choices {
        header: None,
        body: "¿?".into(),
        footer: None,
        button: None,
        choices: ids
            .iter()
            .enumerate()
            .map(|(i, id)| Choice::new(*id, format!("t{i}")))
            .collect(),
    };
    for ids in [
        vec![""],
        vec![" a"],
        vec!["a", "a"],
        vec![&*"x".repeat(257)],
    ] {
        assert!(
            matches!(
                prepare(&message(with_ids(&ids))),
                Err(BuildError::InvalidChoiceId { .. })
            ),
            "{ids:?}"
        );
    }
    // 256 fits a button id but not a list row id (200).
    let long = "x".repeat(256);
    assert_eq!(only(with_ids(&[&long]))["interactive"]["type"], "button");
    let four = with_ids(&[&long, "b", "c", "d"]);
    assert!(matches!(
        prepare(&message(four)),
        Err(BuildError::InvalidChoiceId { .. })
    ));
    let row_id = "ñ".repeat(200);
    let list = with_ids(&[&row_id, "b", "c", "d"]);
    assert_eq!(only(list)["interactive"]["type"], "list");
}

#[test]
fn empty_choices_titles_or_bodies_are_refused() {
    assert_eq!(
        prepare(&message(choices(None, "¿?", &[]))),
        Err(BuildError::Empty("choice list"))
    );
    assert_eq!(
        prepare(&message(choices(None, "¿?", &["ok", "  "]))),
        Err(BuildError::Empty("choice title"))
    );
    assert_eq!(
        prepare(&message(choices(None, " ", &["ok"]))),
        Err(BuildError::Empty("body"))
    );
}

#[test]
fn over_long_bodies_go_first_as_text() {
    let button_body = format!("{} ¿Confirmo?", "Detalle de la reserva. ".repeat(50));
    let prepared = prepared(choices(None, &button_body, &["Sí", "No"]));
    assert_eq!(prepared.messages.len(), 2);
    assert_eq!(prepared.messages[0].kind(), "text");
    let json = prepared.messages[1].to_json(None);
    assert_eq!(json["interactive"]["type"], "button");
    assert!(chars(&json["interactive"]["body"]["text"]) <= limits::BUTTONS_BODY);
    assert_eq!(
        prepared.adjustments,
        vec![Adjustment::Split {
            field: "body",
            messages: 2
        }]
    );
    // Exactly 1024 stays in the buttons message; a list takes up to 4096.
    let exact = "é".repeat(limits::BUTTONS_BODY);
    assert_eq!(prepared_len(choices(None, &exact, &["Sí"])), 1);
    let list_body = "é".repeat(limits::LIST_BODY);
    assert_eq!(
        prepared_len(choices(None, &list_body, &["a", "b", "c", "d"])),
        1
    );
    let over = "é ".repeat(limits::LIST_BODY);
    assert_eq!(prepared_len(choices(None, &over, &["a", "b", "c", "d"])), 2);
}

fn prepared_len(body: OutboundBody) -> usize {
    prepared(body).messages.len()
}

#[test]
fn media_by_id_or_link() {
    let image = OutboundBody::Media {
        kind: MediaKind::Image,
        source: MediaSource::Id("1234".into()),
        caption: Some("Piscina".into()),
        filename: Some("ignored.jpg".into()),
    };
    assert_eq!(
        only(image)["image"],
        json!({"id":"1234","caption":"Piscina"})
    );
    let document = OutboundBody::Media {
        kind: MediaKind::Document,
        source: MediaSource::Link("https://example.com/docs/factura.pdf?v=2".into()),
        caption: None,
        filename: None,
    };
    assert_eq!(
        only(document)["document"],
        json!({"link":"https://example.com/docs/factura.pdf?v=2","filename":"factura.pdf"})
    );
    let named = OutboundBody::Media {
        kind: MediaKind::Document,
        source: MediaSource::Id("9".into()),
        caption: Some("Su factura".into()),
        filename: Some("F-1.pdf".into()),
    };
    assert_eq!(
        only(named)["document"],
        json!({"id":"9","caption":"Su factura","filename":"F-1.pdf"})
    );
    let unnamed = OutboundBody::Media {
        kind: MediaKind::Document,
        source: MediaSource::Link("https://example.com/".into()),
        caption: None,
        filename: None,
    };
    assert_eq!(
        only(unnamed)["document"],
        json!({"link":"https://example.com/"})
    );
}

#[test]
fn captions_that_do_not_fit_follow_as_text() {
    let media = |kind, caption: String| OutboundBody::Media {
        kind,
        source: MediaSource::Id("1".into()),
        caption: Some(caption),
        filename: None,
    };
    let exact = prepared(media(MediaKind::Video, "é".repeat(limits::CAPTION)));
    assert_eq!(exact.messages.len(), 1);
    assert_eq!(
        chars(&exact.messages[0].to_json(None)["video"]["caption"]),
        1024
    );
    let mut long = message(media(MediaKind::Image, "é".repeat(limits::CAPTION + 1)));
    long.reply_to = Some("wamid.in".into());
    let over = prepare(&long).unwrap();
    assert_eq!(over.messages.len(), 2);
    assert_eq!(over.messages[0].to_json(None)["image"], json!({"id":"1"}));
    assert_eq!(over.messages[0].reply_to(), Some("wamid.in"));
    assert_eq!(
        over.messages[1].text().map(|t| t.chars().count()),
        Some(1025)
    );
    assert_eq!(over.adjustments, vec![Adjustment::CaptionAsText]);
    for kind in [MediaKind::Audio, MediaKind::Sticker] {
        let prepared = prepared(media(kind, "escuchá esto".into()));
        assert_eq!(
            prepared.messages[0].to_json(None)[kind.as_str()],
            json!({"id":"1"})
        );
        assert_eq!(prepared.messages[1].text(), Some("escuchá esto"));
    }
    let blank = prepared(media(MediaKind::Audio, " ".into()));
    assert_eq!(blank.messages.len(), 1);
}

#[test]
fn bad_media_sources_are_refused() {
    let media = |source| {
        message(OutboundBody::Media {
            kind: MediaKind::Image,
            source,
            caption: None,
            filename: None,
        })
    };
    assert_eq!(
        prepare(&media(MediaSource::Id(" ".into()))),
        Err(BuildError::Empty("media id"))
    );
    for link in ["ftp://x/a.jpg", "a.jpg", "https://", "mailto:a@b.c"] {
        assert_eq!(
            prepare(&media(MediaSource::Link(link.into()))),
            Err(BuildError::InvalidUrl("media link")),
            "{link}"
        );
    }
}

#[test]
fn locations() {
    let pin = |latitude, longitude, name: Option<&str>| {
        OutboundBody::Location(GeoPoint {
            latitude,
            longitude,
            name: name.map(str::to_owned),
            address: Some(" ".into()),
        })
    };
    assert_eq!(
        only(pin(-34.6037, -58.3816, Some("Hotel Prime")))["location"],
        json!({"latitude":-34.6037,"longitude":-58.3816,"name":"Hotel Prime"})
    );
    for (lat, lon) in [
        (91.0, 0.0),
        (0.0, -180.5),
        (f64::NAN, 0.0),
        (0.0, f64::INFINITY),
    ] {
        assert_eq!(
            prepare(&message(pin(lat, lon, None))),
            Err(BuildError::InvalidCoordinates)
        );
    }
}

#[test]
fn link_buttons() {
    let link = |display_text: &str, url: &str| OutboundBody::LinkButton {
        body: "Su seña".into(),
        display_text: display_text.into(),
        url: url.into(),
    };
    assert_eq!(
        only(link("Pagar seña", "https://pay.example.com/x"))["interactive"],
        json!({"type":"cta_url","body":{"text":"Su seña"},
               "action":{"name":"cta_url","parameters":{"display_text":"Pagar seña","url":"https://pay.example.com/x"}}})
    );
    let long = prepared(link(
        "Pagar la seña de la reserva",
        "https://pay.example.com/x",
    ));
    let json = long.messages[0].to_json(None);
    assert_eq!(
        chars(&json["interactive"]["action"]["parameters"]["display_text"]),
        20
    );
    assert_eq!(
        prepare(&message(link(" ", "https://x.y"))),
        Err(BuildError::Empty("link button text"))
    );
    assert_eq!(
        prepare(&message(link("Pagar", "javascript:alert(1)"))),
        Err(BuildError::InvalidUrl("link button URL"))
    );
}

#[test]
fn reactions_never_quote() {
    let mut reaction = message(OutboundBody::Reaction {
        message_id: "wamid.theirs".into(),
        emoji: "👍".into(),
    });
    reaction.reply_to = Some("wamid.theirs".into());
    let prepared = prepare(&reaction).unwrap();
    let json = prepared.messages[0].to_json(None);
    assert_eq!(
        json["reaction"],
        json!({"message_id":"wamid.theirs","emoji":"👍"})
    );
    assert_eq!(json.get("context"), None);
    let removal = only(OutboundBody::Reaction {
        message_id: "wamid.theirs".into(),
        emoji: String::new(),
    });
    assert_eq!(removal["reaction"]["emoji"], "");
    assert_eq!(
        prepare(&message(OutboundBody::Reaction {
            message_id: " ".into(),
            emoji: "👍".into()
        })),
        Err(BuildError::Empty("reacted message id"))
    );
}

fn template(components: Vec<TemplateComponent>) -> OutboundBody {
    OutboundBody::Template {
        name: "booking_reminder".into(),
        language: "es_AR".into(),
        components,
    }
}

#[test]
fn templates_have_the_documented_shape() {
    let body = template(vec![
        TemplateComponent::Header {
            parameters: vec![TemplateParameter::Image {
                source: MediaSource::Link("https://example.com/hotel.jpg".into()),
            }],
        },
        TemplateComponent::Body {
            parameters: vec![
                TemplateParameter::Text {
                    text: "Ana".into(),
                    parameter_name: None,
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
    ]);
    assert_eq!(
        only(body)["template"],
        json!({"name":"booking_reminder","language":{"code":"es_AR"},"components":[
            {"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/hotel.jpg"}}]},
            {"type":"body","parameters":[{"type":"text","text":"Ana"},
                                         {"type":"text","text":"15/12","parameter_name":"check_in"}]},
            {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"CONFIRM_42"}]},
            {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"HTL-4821"}]}]})
    );
    assert_eq!(
        only(template(vec![]))["template"],
        json!({"name":"booking_reminder","language":{"code":"es_AR"}})
    );
}

#[test]
fn template_media_parameters_and_cleaning() {
    let prepared = prepared(template(vec![
        TemplateComponent::Header {
            parameters: vec![TemplateParameter::Document {
                source: MediaSource::Link("https://example.com/f/voucher.pdf".into()),
                filename: None,
            }],
        },
        TemplateComponent::Body {
            parameters: vec![TemplateParameter::Text {
                text: "Ana\nPérez".into(),
                parameter_name: Some(" ".into()),
            }],
        },
    ]));
    let json = prepared.messages[0].to_json(None);
    assert_eq!(
        json["template"]["components"][0]["parameters"][0],
        json!({"type":"document","document":{"link":"https://example.com/f/voucher.pdf","filename":"voucher.pdf"}})
    );
    assert_eq!(
        json["template"]["components"][1]["parameters"][0],
        json!({"type":"text","text":"Ana Pérez"})
    );
    assert_eq!(prepared.adjustments, vec![Adjustment::ParameterCleaned]);
    let video = only(template(vec![TemplateComponent::Header {
        parameters: vec![TemplateParameter::Video {
            source: MediaSource::Id("77".into()),
        }],
    }]));
    assert_eq!(
        video["template"]["components"][0]["parameters"][0],
        json!({"type":"video","video":{"id":"77"}})
    );
}

#[test]
fn broken_templates_are_refused() {
    let cases = [
        (
            OutboundBody::Template {
                name: " ".into(),
                language: "es".into(),
                components: vec![],
            },
            BuildError::Empty("template name"),
        ),
        (
            OutboundBody::Template {
                name: "t".into(),
                language: "".into(),
                components: vec![],
            },
            BuildError::Empty("template language"),
        ),
        (
            template(vec![TemplateComponent::Body {
                parameters: vec![TemplateParameter::Text {
                    text: "\n".into(),
                    parameter_name: None,
                }],
            }]),
            BuildError::Empty("template text parameter"),
        ),
        (
            template(vec![TemplateComponent::Button {
                sub_type: "quick_reply".into(),
                index: 0,
                parameters: vec![TemplateParameter::Payload { payload: "".into() }],
            }]),
            BuildError::Empty("template button payload"),
        ),
        (
            template(vec![TemplateComponent::Button {
                sub_type: " ".into(),
                index: 0,
                parameters: vec![],
            }]),
            BuildError::Empty("template button sub_type"),
        ),
        (
            template(vec![TemplateComponent::Header {
                parameters: vec![TemplateParameter::Image {
                    source: MediaSource::Link("x".into()),
                }],
            }]),
            BuildError::InvalidUrl("media link"),
        ),
    ];
    for (body, error) in cases {
        assert_eq!(prepare(&message(body)), Err(error));
    }
}

#[test]
fn build_errors_become_invalid_requests() {
    let error: SendError = BuildError::NoRecipient.into();
    assert_eq!(error, SendError::InvalidRequest("no recipient".into()));
    assert!(!error.is_retryable());
}

#[test]
fn another_recipient() {
    let prepared = PreparedMessage::single(&message(text("hola"))).unwrap();
    let other = prepared.with_recipient("541155550000");
    assert_eq!(other.to_json(Some("cb"))["to"], "541155550000");
    assert_eq!(other.to_json(Some("cb"))["biz_opaque_callback_data"], "cb");
}

/// Every limit of §5 on one prepared interactive or text message.
fn within_limits(json: &Value) -> bool {
    let fits = |value: &Value, max: usize| value.as_str().is_none_or(|s| s.chars().count() <= max);
    let interactive = &json["interactive"];
    let body_limit = match interactive["type"].as_str() {
        Some("list") => limits::LIST_BODY,
        Some(_) => limits::BUTTONS_BODY,
        None => return fits(&json["text"]["body"], limits::TEXT),
    };
    let buttons = interactive["action"]["buttons"].as_array();
    let rows = interactive["action"]["sections"][0]["rows"].as_array();
    fits(&interactive["body"]["text"], body_limit)
        && fits(&interactive["header"]["text"], limits::HEADER)
        && fits(&interactive["footer"]["text"], limits::FOOTER)
        && fits(&interactive["action"]["button"], limits::LIST_BUTTON)
        && buttons.is_none_or(|b| {
            b.len() <= limits::BUTTONS
                && b.iter()
                    .all(|b| fits(&b["reply"]["title"], limits::BUTTON_TITLE))
        })
        && rows.is_none_or(|r| {
            r.len() <= limits::LIST_ROWS
                && r.iter().all(|r| {
                    fits(&r["title"], limits::ROW_TITLE)
                        && fits(&r["description"], limits::ROW_DESCRIPTION)
                        && fits(&r["id"], limits::ROW_ID)
                })
        })
}

proptest::proptest! {
    #[test]
    fn any_question_fits_meta_limits(
        body in "[a-zñ😀 .\n]{1,1500}",
        header in proptest::option::of("[A-Zé😀 ]{0,80}"),
        footer in proptest::option::of("[a-z ]{0,80}"),
        button in proptest::option::of("[a-zá😀 ]{0,30}"),
        options in proptest::collection::vec(("[a-zé😀 ]{1,30}", proptest::option::of("[a-z😀 ]{0,90}")), 1..14),
    ) {
        let choices = options
            .iter()
            .enumerate()
            .map(|(i, (title, description))| Choice {
                id: format!("id_{i}"),
                title: title.clone(),
                description: description.clone(),
            })
            .collect::<Vec<_>>();
        let question = OutboundBody::Choices { header, body, footer, button, choices };
        match prepare(&message(question)) {
            Ok(prepared) => {
                proptest::prop_assert!(!prepared.messages.is_empty());
                for sent in &prepared.messages {
                    let json = sent.to_json(None);
                    proptest::prop_assert!(within_limits(&json), "{}", json);
                }
            }
            // Only blank titles or bodies are refused.
            Err(error) => proptest::prop_assert!(matches!(error, BuildError::Empty(_)), "{error}"),
        }
    }
}

#[test]
fn kinds_name_what_is_shown() {
    let media = |kind| OutboundBody::Media {
        kind,
        source: MediaSource::Id("1".into()),
        caption: None,
        filename: None,
    };
    let cases = [
        (text("hola"), "text"),
        (media(MediaKind::Image), "image"),
        (media(MediaKind::Audio), "audio"),
        (media(MediaKind::Video), "video"),
        (media(MediaKind::Document), "document"),
        (media(MediaKind::Sticker), "sticker"),
        (
            OutboundBody::Location(GeoPoint {
                latitude: 0.0,
                longitude: 0.0,
                name: None,
                address: None,
            }),
            "location",
        ),
        (choices(None, "¿?", &["a"]), "reply_buttons"),
        (choices(None, "¿?", &["a", "b", "c", "d"]), "list"),
        (
            OutboundBody::LinkButton {
                body: "b".into(),
                display_text: "d".into(),
                url: "https://x.example".into(),
            },
            "cta_url",
        ),
        (
            OutboundBody::Reaction {
                message_id: "w".into(),
                emoji: "👍".into(),
            },
            "reaction",
        ),
        (template(vec![]), "template"),
    ];
    for (body, kind) in cases {
        let prepared = PreparedMessage::single(&message(body)).unwrap();
        assert_eq!(prepared.kind(), kind);
        assert_eq!(prepared.text().is_some(), kind == "text");
    }
}
