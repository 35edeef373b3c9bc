//! The factories the suite runs against.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use hotel_domain::{ManualClock, TenantId};
use hotel_pms::resilience::ManualSleeper;
use hotel_pms::{
    DemoInventory, DemoPms, DemoRoomType, Pms, QloAppsPms, ResilienceConfig, ResilientPms,
    RoomTypeId,
};
use wiremock::MockServer;

use super::fake_qloapps::FakeQloApps;
use super::{Capabilities, Subject, SuiteHotel};

/// The demo PMS over the hotel's inventory.
pub async fn demo(hotel: &SuiteHotel) -> Subject {
    let inventory = DemoInventory {
        currency: hotel.currency.clone(),
        room_types: hotel
            .room_types
            .iter()
            .map(|room| DemoRoomType {
                code: room.code,
                names: room.names.clone(),
                rooms: room.rooms,
                max_adults: room.max_adults,
                max_children: room.max_children,
                nightly_rate: room.rate,
                weekend_rate: room.weekend_rate,
            })
            .collect(),
    };
    Subject {
        pms: Arc::new(DemoPms::new(inventory).unwrap()),
        tenant: TenantId::new("default"),
        hotel: hotel.clone(),
        capabilities: Capabilities {
            nightly_prices: true,
            modify_guests_only: true,
        },
        ids: hotel
            .room_types
            .iter()
            .map(|room| (room.code, RoomTypeId::from(room.code)))
            .collect(),
        _resources: Vec::new(),
    }
}

/// The QloApps client against a stateful fake of the hotel's webservice.
pub async fn qloapps(hotel: &SuiteHotel) -> Subject {
    let server = MockServer::start().await;
    let fake = FakeQloApps::new(hotel);
    fake.mount(&server).await;
    let mut config = crate::qloapps::config(&server);
    config.currency = hotel.currency.clone();
    Subject {
        pms: Arc::new(QloAppsPms::new(config).unwrap()),
        tenant: crate::qloapps::tenant(),
        hotel: hotel.clone(),
        capabilities: Capabilities {
            nightly_prices: false,
            modify_guests_only: false,
        },
        ids: hotel
            .room_types
            .iter()
            .map(|room| (room.code, RoomTypeId::new(room.qlo_id.to_string())))
            .collect(),
        _resources: vec![Box::new(server), Box::new(fake)],
    }
}

/// `subject`'s PMS behind the resilience layer, on a clock that does not move: every quote
/// would be a cache hit but for the invalidation by bookings, which the cases rely on.
fn resilient(mut subject: Subject) -> Subject {
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let config = ResilienceConfig {
        quote_ttl_secs: 3_600,
        requests_per_minute: 10_000,
        burst: 10_000,
        ..ResilienceConfig::default()
    };
    let inner: Arc<dyn Pms> = subject.pms.clone();
    subject.pms = Arc::new(
        ResilientPms::new(inner, config)
            .unwrap()
            .with_sleeper(Arc::new(ManualSleeper::new(clock.clone())))
            .with_clock(clock),
    );
    subject
}

pub async fn resilient_demo(hotel: &SuiteHotel) -> Subject {
    resilient(demo(hotel).await)
}

pub async fn resilient_qloapps(hotel: &SuiteHotel) -> Subject {
    resilient(qloapps(hotel).await)
}
