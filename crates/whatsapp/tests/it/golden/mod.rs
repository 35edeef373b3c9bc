//! Golden tests: one Meta-shaped payload per inbound type and per status, as files under
//! `tests/fixtures/{inbound,status}/` (written for this project from the reference; they also seed the
//! fuzzer's corpus). Each is parsed and normalised and the whole domain value is compared.

mod attachments;
mod replies;

use chrono::{DateTime, Utc};
use hotel_domain::{InboundKind, InboundMessage, TenantId, WaId};
use hotel_whatsapp::{Normalised, parse_webhook};

/// The hotel's business number in every fixture (`metadata.phone_number_id`).
pub const HOTEL_NUMBER: &str = "110200300400500";
/// A second number of the same hotel group (in `batch.json`).
pub const SECOND_NUMBER: &str = "110200300400777";
pub const LUCIA: &str = "5491160001111";
pub const JOANA: &str = "5511961112222";
pub const MARK: &str = "447700900123";

/// Every fixture file, so that a new one cannot go untested.
pub const INBOUND: &[&str] = &[
    "audio_voice",
    "batch",
    "bsuid_sender",
    "button_template",
    "contacts",
    "document",
    "image",
    "interactive_button_reply",
    "interactive_list_reply",
    "interactive_nfm_reply",
    "location_pin",
    "location_pin_string_coordinates",
    "location_place",
    "order",
    "reaction",
    "reaction_removed",
    "sticker",
    "system_customer_changed_number",
    "system_user_changed_number",
    "text",
    "unknown_fields_everywhere",
    "unknown_type",
    "unsupported",
    "video",
];
const STATUS: &[&str] = &["delivered", "failed", "read", "sent"];

pub fn fixture(dir: &str, name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/{dir}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap()
}

/// `hotel-andino` owns [`HOTEL_NUMBER`], `hotel-andino-norte` [`SECOND_NUMBER`].
pub fn resolve(phone_number_id: &str) -> Option<TenantId> {
    match phone_number_id {
        HOTEL_NUMBER => Some(TenantId::new("hotel-andino")),
        SECOND_NUMBER => Some(TenantId::new("hotel-andino-norte")),
        _ => None,
    }
}

pub fn golden(dir: &str, name: &str) -> Normalised {
    parse_webhook(fixture(dir, name).as_bytes())
        .map_err(|e| format!("{dir}/{name}: {e}"))
        .unwrap()
        .normalise(&resolve)
}

/// The fixture holds exactly `expected` and nothing was skipped or counted as odd.
#[track_caller]
pub fn assert_golden(name: &str, expected: InboundMessage) {
    assert_eq!(
        golden("inbound", name),
        Normalised {
            messages: vec![expected],
            ..Normalised::default()
        },
        "inbound/{name}.json"
    );
}

pub fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

/// A message to [`HOTEL_NUMBER`] with nothing but its identity; tests fill in the rest.
pub fn base(
    id: &str,
    from: &str,
    profile: Option<&str>,
    kind: InboundKind,
    sent: i64,
) -> InboundMessage {
    InboundMessage {
        tenant_id: TenantId::new("hotel-andino"),
        phone_number_id: HOTEL_NUMBER.to_owned(),
        provider_message_id: id.to_owned(),
        from: WaId::new(from),
        profile_name: profile.map(str::to_owned),
        kind,
        text: None,
        reply_id: None,
        context_message_id: None,
        attachment: None,
        sent_at: at(sent),
    }
}

pub fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[test]
fn every_fixture_file_has_a_golden_test() {
    for (dir, names) in [("inbound", INBOUND), ("status", STATUS)] {
        let path = format!("{}/tests/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
        let mut found: Vec<String> = std::fs::read_dir(&path)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|file| file.strip_suffix(".json").map(str::to_owned))
            .collect();
        found.sort();
        assert_eq!(found, names.to_vec(), "{path}");
        for name in names {
            let raw = fixture(dir, name);
            serde_json::from_str::<serde_json::Value>(&raw).unwrap();
            assert!(parse_webhook(raw.as_bytes()).is_ok(), "{dir}/{name}");
        }
    }
}

#[test]
fn text() {
    assert_golden(
        "text",
        InboundMessage {
            text: some(
                "¡Hola! ¿Tienen una habitación doble del 12 al 15 de marzo? Somos dos adultos.",
            ),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAwMQ==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Text,
                1_772_280_000,
            )
        },
    );
}

#[test]
fn a_sender_known_only_by_bsuid() {
    assert_golden(
        "bsuid_sender",
        InboundMessage {
            text: some("Hi, is the rooftop pool open in March?"),
            ..base(
                "wamid.R0IuMTM0OTEyMDg2NTUzMDI3NDE5MTggSE9URUwwMDIy",
                "GB.13491208655302741918",
                Some("Mark"),
                InboundKind::Text,
                1_772_281_140,
            )
        },
    );
}

#[test]
fn unknown_fields_everywhere_are_ignored() {
    assert_golden(
        "unknown_fields_everywhere",
        InboundMessage {
            text: some("¿El desayuno está incluido?"),
            ..base(
                "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAyMw==",
                LUCIA,
                Some("Lucía"),
                InboundKind::Text,
                1_772_281_200,
            )
        },
    );
}

#[test]
fn several_entries_changes_and_messages() {
    let out = golden("inbound", "batch");
    let expected = Normalised {
        messages: vec![
            InboundMessage {
                text: some("Llegamos tarde, tipo 23 h. ¿Hay recepción?"),
                ..base(
                    "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAzMQ==",
                    LUCIA,
                    Some("Lucía"),
                    InboundKind::Text,
                    1_772_282_000,
                )
            },
            InboundMessage {
                text: some("Vocês aceitam pets?"),
                ..base(
                    "wamid.NTUxMTk2MTExMjIyMhUCABIYIEhPVEVMMDAzMg==",
                    JOANA,
                    Some("Joana"),
                    InboundKind::Text,
                    1_772_282_001,
                )
            },
            InboundMessage {
                text: some("👍"),
                context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDA3"),
                ..base(
                    "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAzMw==",
                    LUCIA,
                    Some("Lucía"),
                    InboundKind::Reaction,
                    1_772_282_002,
                )
            },
            InboundMessage {
                tenant_id: TenantId::new("hotel-andino-norte"),
                phone_number_id: SECOND_NUMBER.to_owned(),
                text: some("Can I get a taxi to the airport at 6am?"),
                ..base(
                    "wamid.NDQ3NzAwOTAwMTIzFQIAEhggSE9URUwwMDM0",
                    MARK,
                    Some("Mark"),
                    InboundKind::Text,
                    1_772_282_003,
                )
            },
            InboundMessage {
                text: some("Sí, por favor"),
                reply_id: some("taxi_yes"),
                context_message_id: some("wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDA4"),
                ..base(
                    "wamid.NTQ5MTE2MDAwMTExMRUCABIYIEhPVEVMMDAzNQ==",
                    LUCIA,
                    Some("Lucía"),
                    InboundKind::Interactive,
                    1_772_282_004,
                )
            },
        ],
        statuses: vec![hotel_domain::DeliveryStatus {
            phone_number_id: HOTEL_NUMBER.to_owned(),
            provider_message_id: "wamid.NTQ5MTE0MDAwMTIzNBUCABEYIE9VVDAwMDA2".to_owned(),
            state: hotel_domain::DeliveryState::Read,
            recipient: some(LUCIA),
            at: at(1_772_281_999),
            errors: vec![],
        }],
        ignored_changes: 1,
        ..Normalised::default()
    };
    assert_eq!(out, expected);
}
