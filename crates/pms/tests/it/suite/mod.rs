//! One behaviour suite for every [`Pms`]: the cases in `cases` are written once, against a
//! [`Subject`], and [`pms_suite!`] runs each of them as a test for one factory.
//!
//! A factory is `async fn(&SuiteHotel) -> Subject`: it builds a PMS holding the hotel's room
//! types (and nothing booked), and says what that PMS can do in [`Capabilities`]. Where PMSs
//! legitimately differ, a case asserts each behaviour by its flag — never skips.
//!
//! Subjects today: the demo PMS, QloApps against a stateful fake of its webservice, and both
//! behind the resilience layer (whose cache must stay invisible to these cases).

mod cases;
mod fake_qloapps;
mod subjects;

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use hotel_domain::TenantId;
use hotel_pms::{
    BookingRequest, GuestContact, LocalizedText, Money, Occupancy, Pms, RoomTypeCode, RoomTypeId,
    Stay, StayRequest,
};

/// The hotel every subject is built with.
#[derive(Debug, Clone)]
pub struct SuiteHotel {
    pub currency: String,
    pub room_types: Vec<SuiteRoomType>,
}

/// One room type: the demo PMS knows it by its code, QloApps by `qlo_id`.
#[derive(Debug, Clone)]
pub struct SuiteRoomType {
    pub code: RoomTypeCode,
    pub qlo_id: u32,
    pub names: LocalizedText,
    pub rooms: u32,
    pub max_adults: u32,
    pub max_children: u32,
    /// A night's price, taxes included, in whole units.
    pub rate: i64,
    /// A Friday or Saturday night's, when different.
    pub weekend_rate: Option<i64>,
}

impl SuiteHotel {
    /// Two singles, three doubles (weekend rate), one suite (for the last-room cases).
    pub fn standard() -> Self {
        let names = |es: &str, en: &str, pt: &str| LocalizedText {
            es: es.into(),
            en: en.into(),
            pt: pt.into(),
        };
        Self {
            currency: "USD".into(),
            room_types: vec![
                SuiteRoomType {
                    code: RoomTypeCode::Single,
                    qlo_id: 4,
                    names: names("Individual", "Single", "Solteiro"),
                    rooms: 2,
                    max_adults: 1,
                    max_children: 0,
                    rate: 80,
                    weekend_rate: None,
                },
                SuiteRoomType {
                    code: RoomTypeCode::Double,
                    qlo_id: 2,
                    names: names("Doble", "Double", "Casal"),
                    rooms: 3,
                    max_adults: 2,
                    max_children: 1,
                    rate: 110,
                    weekend_rate: Some(130),
                },
                SuiteRoomType {
                    code: RoomTypeCode::Suite,
                    qlo_id: 3,
                    names: names("Suite", "Suite", "Suíte"),
                    rooms: 1,
                    max_adults: 2,
                    max_children: 2,
                    rate: 300,
                    weekend_rate: Some(350),
                },
            ],
        }
    }

    pub fn room(&self, code: RoomTypeCode) -> &SuiteRoomType {
        self.room_types
            .iter()
            .find(|room| room.code == code)
            .unwrap()
    }

    /// The stay's price in a room of `code`, taxes included.
    pub fn total(&self, code: RoomTypeCode, stay: &Stay) -> Money {
        let room = self.room(code);
        let units: i64 = stay
            .night_dates()
            .map(|night| match room.weekend_rate {
                Some(rate) if hotel_pms::is_weekend_night(night) => rate,
                _ => room.rate,
            })
            .sum();
        Money::from_units(units, self.currency.as_str())
    }
}

/// What a PMS can do, where PMSs differ.
#[derive(Debug, Clone, Copy)]
pub struct Capabilities {
    /// Quotes carry each night's price (QloApps' `hotel_ari` gives only the average).
    pub nightly_prices: bool,
    /// A booking's guests can change without its dates or room type (QloApps cannot).
    pub modify_guests_only: bool,
}

/// A PMS under test, built by a factory.
pub struct Subject {
    pub pms: Arc<dyn Pms>,
    pub tenant: TenantId,
    pub hotel: SuiteHotel,
    pub capabilities: Capabilities,
    /// The PMS's id of each room type.
    pub ids: BTreeMap<RoomTypeCode, RoomTypeId>,
    /// Whatever must live as long as the PMS (a mock server, a database).
    pub _resources: Vec<Box<dyn Any + Send + Sync>>,
}

impl Subject {
    pub fn id(&self, code: RoomTypeCode) -> RoomTypeId {
        self.ids[&code].clone()
    }

    pub fn code_of(&self, id: &RoomTypeId) -> RoomTypeCode {
        self.ids
            .iter()
            .find(|(_, known)| *known == id)
            .map(|(code, _)| *code)
            .unwrap()
    }

    /// One room of `code` for `reference`, for Ana.
    pub fn request(
        &self,
        reference: &str,
        code: RoomTypeCode,
        stay: Stay,
        occupancy: Occupancy,
    ) -> BookingRequest {
        BookingRequest {
            reference: reference.to_owned(),
            room_type: self.id(code),
            stay,
            occupancy,
            guest: GuestContact {
                first_name: "Ana".into(),
                last_name: "Gómez".into(),
                email: "ana@example.com".into(),
                phone: Some("+5491155550000".into()),
            },
            remark: Some("Late arrival".into()),
            language: None,
        }
    }

    /// How many rooms of `code` are free for `stay` for one adult.
    pub async fn available(&self, code: RoomTypeCode, stay: Stay) -> u32 {
        let request = StayRequest::new(stay, Occupancy::adults(1)).of_type(self.id(code));
        let quotes = self.pms.quote(&self.tenant, &request).await.unwrap();
        assert!(quotes.len() <= 1, "{quotes:?}");
        quotes.first().map_or(0, |quote| quote.available)
    }
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn stay(from: &str, to: &str) -> Stay {
    Stay::new(date(from), date(to)).unwrap()
}

/// Runs every case of the suite as a test, each on a fresh subject from `$factory`.
macro_rules! pms_suite {
    ($factory:path) => {
        pms_suite!(@cases $factory;
            lists_room_types_with_capacity,
            quotes_only_types_that_fit_with_totals,
            a_booking_is_readable_and_takes_a_room,
            the_same_reference_books_once,
            the_last_room_then_no_availability,
            cancelling_frees_the_room_and_can_be_repeated,
            invalid_requests_are_refused,
            modifying_the_dates_moves_the_room,
            modifying_into_a_full_or_small_type_is_refused,
            modifying_only_the_guests_as_supported,
            a_cancelled_booking_cannot_be_modified,
            an_unknown_booking_is_not_found,
        );
    };
    (@cases $factory:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let hotel = $crate::suite::SuiteHotel::standard();
                let subject = $factory(&hotel).await;
                $crate::suite::cases::$case(&subject).await;
            }
        )*
    };
}

mod demo {
    pms_suite!(super::subjects::demo);
}

mod qloapps {
    pms_suite!(super::subjects::qloapps);
}

mod resilient_demo {
    pms_suite!(super::subjects::resilient_demo);
}

mod resilient_qloapps {
    pms_suite!(super::subjects::resilient_qloapps);
}

/// What only the fake can tell: the repeated create found the first order instead of posting a
/// second one.
#[tokio::test]
async fn a_repeated_reference_makes_one_qloapps_order() {
    let hotel = SuiteHotel::standard();
    let subject = subjects::qloapps(&hotel).await;
    cases::the_same_reference_books_once(&subject).await;
    let fake = subject
        ._resources
        .iter()
        .find_map(|resource| resource.downcast_ref::<fake_qloapps::FakeQloApps>())
        .unwrap();
    assert_eq!(fake.orders(), 1);
}
