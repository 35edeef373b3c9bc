//! Media, map points and contact cards.

use hotel_domain::{
    Attachment, ContactCard, GeoPoint, InboundKind, InboundMessage, MediaKind, MediaRef,
};

use super::{JOANA, LUCIA, MARK, assert_golden, base, some};

fn media(kind: MediaKind, id: &str, mime_type: &str, sha256: &str) -> MediaRef {
    MediaRef {
        kind,
        id: id.to_owned(),
        url: None,
        mime_type: some(mime_type),
        sha256: some(sha256),
        filename: None,
        voice: false,
        animated: false,
    }
}

#[test]
fn image_with_caption_and_download_url() {
    assert_golden(
        "image",
        InboundMessage {
            text: some("Comprovante do Pix da reserva 4821"),
            attachment: Some(Attachment::Media(MediaRef {
                url: some(
                    "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1467830291735520&ext=1772280060&hash=ATu0",
                ),
                ..media(
                    MediaKind::Image,
                    "1467830291735520",
                    "image/jpeg",
                    "UzFLMhgNlAAGeRUwNTfpG0DxP4oMT8b4HAvKhUf6lpw=",
                )
            })),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAwMg==",
                JOANA,
                Some("Joana"),
                InboundKind::Image,
                1_772_280_060,
            )
        },
    );
}

#[test]
fn voice_note() {
    assert_golden(
        "audio_voice",
        InboundMessage {
            attachment: Some(Attachment::Media(MediaRef {
                voice: true,
                ..media(
                    MediaKind::Audio,
                    "902113447651208",
                    "audio/ogg; codecs=opus",
                    "BPBqXANntAgXU5lyzQ2WujksSG42IHhXk4MZzCwoRyQ=",
                )
            })),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAwMw==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Audio,
                1_772_280_120,
            )
        },
    );
}

#[test]
fn video_with_caption() {
    assert_golden(
        "video",
        InboundMessage {
            text: some("The shower in room 304 keeps leaking"),
            attachment: Some(Attachment::Media(media(
                MediaKind::Video,
                "1190348857204413",
                "video/mp4",
                "SSHlAc53ziykJppAdHYp2xAsjrhRrjvhDPTsSMB7x5g=",
            ))),
            ..base(
                "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDA0",
                MARK,
                Some("Mark"),
                InboundKind::Video,
                1_772_280_180,
            )
        },
    );
}

#[test]
fn document_with_filename() {
    assert_golden(
        "document",
        InboundMessage {
            text: some("Te mando el comprobante de la seña"),
            attachment: Some(Attachment::Media(MediaRef {
                filename: some("transferencia_reserva_4821.pdf"),
                ..media(
                    MediaKind::Document,
                    "3310985627718832",
                    "application/pdf",
                    "C59B7Y7DRVrJTufya1hUv0ioWwKGsXeNRiIq8xcuHqk=",
                )
            })),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAwNQ==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Document,
                1_772_280_240,
            )
        },
    );
}

#[test]
fn animated_sticker() {
    assert_golden(
        "sticker",
        InboundMessage {
            attachment: Some(Attachment::Media(MediaRef {
                animated: true,
                ..media(
                    MediaKind::Sticker,
                    "781203349912007",
                    "image/webp",
                    "aFiFRguIc/tev872XemwrvQfaDVdc6EUjEmezRFAMnc=",
                )
            })),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAwNg==",
                JOANA,
                Some("Joana"),
                InboundKind::Sticker,
                1_772_280_300,
            )
        },
    );
}

fn pin() -> Option<Attachment> {
    Some(Attachment::Location(GeoPoint {
        latitude: -22.9711,
        longitude: -43.1822,
        name: None,
        address: None,
    }))
}

#[test]
fn location_pin() {
    assert_golden(
        "location_pin",
        InboundMessage {
            attachment: pin(),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAwNw==",
                JOANA,
                Some("Joana"),
                InboundKind::Location,
                1_772_280_360,
            )
        },
    );
}

#[test]
fn location_pin_with_coordinates_as_strings() {
    assert_golden(
        "location_pin_string_coordinates",
        InboundMessage {
            attachment: pin(),
            ..base(
                "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAwOA==",
                JOANA,
                Some("Joana"),
                InboundKind::Location,
                1_772_280_370,
            )
        },
    );
}

#[test]
fn location_place() {
    assert_golden(
        "location_place",
        InboundMessage {
            text: some(
                "Ezeiza Airport, Terminal A, Aeropuerto Internacional de Ezeiza, B1802 Ezeiza, Buenos Aires",
            ),
            attachment: Some(Attachment::Location(GeoPoint {
                latitude: -34.8222,
                longitude: -58.5358,
                name: some("Ezeiza Airport, Terminal A"),
                address: some("Aeropuerto Internacional de Ezeiza, B1802 Ezeiza, Buenos Aires"),
            })),
            ..base(
                "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDA5",
                MARK,
                Some("Mark"),
                InboundKind::Location,
                1_772_280_420,
            )
        },
    );
}

#[test]
fn contact_cards_keep_phones_as_shown() {
    assert_golden(
        "contacts",
        InboundMessage {
            attachment: Some(Attachment::Contacts {
                contacts: vec![
                    ContactCard {
                        name: some("Martín Sosa"),
                        phones: vec!["+54 9 351 600-2222".into(), "+54 351 400-3333".into()],
                        emails: vec!["martin.sosa@example.com".into()],
                    },
                    ContactCard {
                        name: some("Recepción Hotel Andino"),
                        phones: vec!["5492944001234".into()],
                        emails: vec![],
                    },
                ],
            }),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAxMA==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Contacts,
                1_772_280_480,
            )
        },
    );
}
