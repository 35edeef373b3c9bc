//! The `[pms.demo]` inventory: deserialisation, validation, and the demo PMS.

use std::sync::Arc;

use hotel_domain::{Language, TenantId};
use hotel_pms::{DemoInventory, DemoPms, Hotel, Money, Pms, PmsError, RoomTypeCode};
use serde::Deserialize;

/// The `[pms]` section as the app's settings would read it.
#[derive(Debug, Deserialize)]
struct PmsSection {
    demo: DemoInventory,
}

/// The whole file around it.
#[derive(Debug, Deserialize)]
struct ConfigFile {
    pms: PmsSection,
}

const INTERFACE_EXAMPLE: &str = r#"
[pms]
demo = { currency = "ARS", room_types = [] }
"#;

const FULL_EXAMPLE: &str = r#"
[pms.demo]
currency = "ARS"
[[pms.demo.room_types]]
code = "double"
names = { es = "Doble", en = "Double", pt = "Duplo" }
rooms = 10
max_adults = 2
max_children = 1
nightly_rate = 12000
weekend_rate = 14000

[[pms.demo.room_types]]
code = "single"
names = { es = "Individual", en = "Single", pt = "Solteiro" }
rooms = 3
max_adults = 1
max_children = 0
nightly_rate = 9000
"#;

fn inventory(toml_text: &str) -> DemoInventory {
    toml::from_str::<ConfigFile>(toml_text).unwrap().pms.demo
}

#[test]
fn deserialises_the_interface_section() {
    let inventory = inventory(FULL_EXAMPLE);
    assert_eq!(inventory.currency, "ARS");
    assert_eq!(inventory.room_types.len(), 2);
    let double = &inventory.room_types[0];
    assert_eq!(double.code, RoomTypeCode::Double);
    assert_eq!(double.names.get(Language::Pt), "Duplo");
    assert_eq!(
        (double.rooms, double.max_adults, double.max_children),
        (10, 2, 1)
    );
    assert_eq!(
        (double.nightly_rate, double.weekend_rate),
        (12000, Some(14000))
    );
    assert_eq!(inventory.room_types[1].weekend_rate, None);
    inventory.validate().unwrap();
}

#[test]
fn rejects_unknown_codes_and_keys() {
    let bad_code = FULL_EXAMPLE.replace("code = \"double\"", "code = \"penthouse\"");
    assert!(toml::from_str::<ConfigFile>(&bad_code).is_err());
    let typo = FULL_EXAMPLE.replace("nightly_rate = 12000", "nigthly_rate = 12000");
    assert!(toml::from_str::<ConfigFile>(&typo).is_err());
    let missing_language = FULL_EXAMPLE.replace(", pt = \"Duplo\"", "");
    assert!(toml::from_str::<ConfigFile>(&missing_language).is_err());
}

#[test]
fn validation_names_each_problem() {
    let empty = inventory(INTERFACE_EXAMPLE);
    let Err(PmsError::InvalidConfig(message)) = empty.validate() else {
        panic!("empty inventory accepted")
    };
    assert!(message.contains("room_types is empty"), "{message}");

    let mut broken = inventory(FULL_EXAMPLE);
    broken.currency = "pesos".into();
    broken.room_types[0].rooms = 0;
    broken.room_types[0].nightly_rate = 0;
    broken.room_types[0].weekend_rate = Some(-1);
    broken.room_types[1].max_adults = 0;
    broken.room_types[1].code = RoomTypeCode::Double;
    broken.room_types[1].names.en = " ".into();
    let Err(PmsError::InvalidConfig(message)) = broken.validate() else {
        panic!("broken inventory accepted")
    };
    for expected in [
        "currency `pesos`",
        "rooms must be greater than 0",
        "nightly_rate must be greater than 0",
        "weekend_rate must be greater than 0",
        "max_adults must be at least 1",
        "`double` appears more than once",
        "names need es, en and pt",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} missing from {message}"
        );
    }
}

#[test]
fn default_inventory_is_valid_and_sensible() {
    let inventory = DemoInventory::default();
    inventory.validate().unwrap();
    assert_eq!(inventory.currency, "ARS");
    let codes: Vec<RoomTypeCode> = inventory.room_types.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [
            RoomTypeCode::Single,
            RoomTypeCode::Double,
            RoomTypeCode::Twin,
            RoomTypeCode::Suite
        ]
    );
    let round_trip: DemoInventory = toml::from_str(&toml::to_string(&inventory).unwrap()).unwrap();
    assert_eq!(round_trip, inventory);
}

#[tokio::test]
async fn demo_pms_serves_its_inventory() {
    let inventory = inventory(FULL_EXAMPLE);
    let pms: Arc<dyn Pms> = Arc::new(DemoPms::new(inventory.clone()).unwrap());
    assert_eq!(pms.kind(), "demo");
    pms.health().await.unwrap();
    let rooms = pms.room_types(&TenantId::new("default")).await.unwrap();
    assert_eq!(rooms.len(), inventory.room_types.len());
    for (room, configured) in rooms.iter().zip(&inventory.room_types) {
        assert_eq!(room.id.as_str(), configured.code.as_str());
        assert_eq!(room.code, Some(configured.code));
        assert_eq!(room.name, configured.names.en);
        assert_eq!(room.name_in(Language::Pt), configured.names.pt);
        assert_eq!(room.name_in(Language::Es), configured.names.es);
        assert_eq!(room.rooms, Some(configured.rooms));
        assert_eq!(
            (room.capacity.max_adults, room.capacity.max_children),
            (configured.max_adults, configured.max_children)
        );
        assert_eq!(
            room.base_rate,
            Some(Money::from_units(configured.nightly_rate, "ARS"))
        );
    }
    let hotels = pms.hotels(&TenantId::new("default")).await.unwrap();
    assert_eq!(hotels, [Hotel::named("demo", "Demo Hotel")]);
    assert_eq!(DemoPms::default().currency(), "ARS");
    assert_eq!(DemoPms::default().inventory(), &DemoInventory::default());
}

#[test]
fn demo_pms_refuses_an_invalid_inventory() {
    let result = DemoPms::new(inventory(INTERFACE_EXAMPLE));
    assert!(matches!(result, Err(PmsError::InvalidConfig(_))));
}
