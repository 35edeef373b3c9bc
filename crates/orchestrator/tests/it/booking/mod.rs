//! The booking conversation end to end: the real orchestrator with the built-in NLU, the demo
//! PMS, in-memory room holds and sessions, and a manual clock.

mod conversations;
mod holds;
mod payment;
mod staff;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use async_trait::async_trait;
use chrono::{Duration, NaiveDate};
use hotel_domain::{
    Clock, InboundKind, InboundMessage, Language, ManualClock, OutboundBody, OutboundMessage,
    RoomTypeCode, TenantId, WaId,
};
use hotel_locks::InMemoryRoomHolds;
use hotel_nlp::Nlu;
use hotel_orchestrator::{
    BookingDraft, BookingPolicy, BookingServices, Confirmation, ConversationOrchestrator,
    Orchestrator, OrchestratorError, TenantContext,
};
use hotel_pms::{
    Booking, BookingChange, BookingId, BookingRequest, DemoInventory, DemoPms, DemoRoomType, Hotel,
    LocalizedText, Pms, PmsError, Quote, RoomType, StayRequest,
};
use hotel_sessions::{InMemorySessionStore, SessionKey, SessionStore};

use crate::{NLU, SESSION_TTL, start};

/// The first guest of every test.
pub const ANA: &str = "5491155550000";
/// A second guest, racing the first for a room.
pub const BRUNO: &str = "5491166660000";

/// December `day`, 2026 (the 15th is a Tuesday: weekday rates).
pub fn dec(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).expect("a date")
}

/// A small hotel quoting in `currency`: 5 doubles, 1 family room (4 adults), 1 suite, 3 singles.
/// Rates are in whole units; the double costs `double_rate` a weekday night.
pub fn inventory(currency: &str, double_rate: i64) -> DemoInventory {
    let room =
        |code, [es, en, pt]: [&str; 3], rooms, max_adults, max_children, rate: i64| DemoRoomType {
            code,
            names: LocalizedText {
                es: es.into(),
                en: en.into(),
                pt: pt.into(),
            },
            rooms,
            max_adults,
            max_children,
            nightly_rate: rate,
            weekend_rate: Some(rate + rate / 5),
        };
    DemoInventory {
        currency: currency.into(),
        room_types: vec![
            room(
                RoomTypeCode::Single,
                ["Individual", "Single", "Solteiro"],
                3,
                1,
                0,
                double_rate * 2 / 3,
            ),
            room(
                RoomTypeCode::Double,
                ["Doble", "Double", "Casal"],
                5,
                2,
                1,
                double_rate,
            ),
            room(
                RoomTypeCode::Family,
                ["Familiar", "Family", "Família"],
                1,
                4,
                2,
                double_rate * 2,
            ),
            room(
                RoomTypeCode::Suite,
                ["Suite", "Suite", "Suíte"],
                1,
                2,
                0,
                double_rate * 3,
            ),
        ],
    }
}

/// The hotel's rules in these tests: 30% deposit, rooms held 15 minutes, instructions in
/// Spanish and English only (Portuguese guests get the Spanish ones).
pub fn policy(confirmation: Confirmation) -> BookingPolicy {
    BookingPolicy {
        confirmation,
        deposit_percent: 30,
        hold_minutes: 15,
        payment_instructions: BTreeMap::from([
            (
                Language::Es,
                "Transferí la seña al alias HOTEL.SUR.PAGOS (Banco Sur).".to_owned(),
            ),
            (
                Language::En,
                "Please wire the deposit to alias HOTEL.SUR.PAGOS (Banco Sur).".to_owned(),
            ),
        ]),
    }
}

/// A PMS that counts bookings asked for and can fail the next calls transiently.
#[derive(Debug)]
pub struct CountingPms {
    inner: DemoPms,
    creates: AtomicU32,
    failing_creates: AtomicU32,
    refused_creates: AtomicU32,
    failing_quotes: AtomicU32,
    stale_quotes: std::sync::atomic::AtomicBool,
}

impl CountingPms {
    pub fn new(inner: DemoPms) -> Self {
        Self {
            inner,
            creates: AtomicU32::new(0),
            failing_creates: AtomicU32::new(0),
            refused_creates: AtomicU32::new(0),
            failing_quotes: AtomicU32::new(0),
            stale_quotes: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// How many `create_booking` calls arrived.
    pub fn creates(&self) -> u32 {
        self.creates.load(Ordering::SeqCst)
    }

    /// The next `n` bookings fail with a timeout.
    pub fn fail_next_creates(&self, n: u32) {
        self.failing_creates.store(n, Ordering::SeqCst);
    }

    /// The next `n` bookings are refused (a permanent error).
    pub fn refuse_next_creates(&self, n: u32) {
        self.refused_creates.store(n, Ordering::SeqCst);
    }

    /// Quotes come back marked stale (served from a cache while the PMS is down).
    pub fn serve_stale_quotes(&self) {
        self.stale_quotes.store(true, Ordering::SeqCst);
    }

    /// The next `n` quotes fail as unavailable.
    pub fn fail_next_quotes(&self, n: u32) {
        self.failing_quotes.store(n, Ordering::SeqCst);
    }

    fn take_failure(counter: &AtomicU32) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

#[async_trait]
impl Pms for CountingPms {
    fn kind(&self) -> &'static str {
        "counting"
    }
    async fn health(&self) -> hotel_pms::Result<()> {
        Ok(())
    }
    async fn hotels(&self, tenant: &TenantId) -> hotel_pms::Result<Vec<Hotel>> {
        self.inner.hotels(tenant).await
    }
    async fn room_types(&self, tenant: &TenantId) -> hotel_pms::Result<Vec<RoomType>> {
        self.inner.room_types(tenant).await
    }
    async fn quote(
        &self,
        tenant: &TenantId,
        request: &StayRequest,
    ) -> hotel_pms::Result<Vec<Quote>> {
        if Self::take_failure(&self.failing_quotes) {
            return Err(PmsError::Unavailable("502 from the PMS".into()));
        }
        let mut quotes = self.inner.quote(tenant, request).await?;
        if self.stale_quotes.load(Ordering::SeqCst) {
            for quote in &mut quotes {
                quote.stale = true;
            }
        }
        Ok(quotes)
    }
    async fn create_booking(
        &self,
        tenant: &TenantId,
        request: &BookingRequest,
    ) -> hotel_pms::Result<Booking> {
        self.creates.fetch_add(1, Ordering::SeqCst);
        if Self::take_failure(&self.failing_creates) {
            return Err(PmsError::Timeout);
        }
        if Self::take_failure(&self.refused_creates) {
            return Err(PmsError::InvalidRequest(
                "the guest's e-mail is refused".into(),
            ));
        }
        self.inner.create_booking(tenant, request).await
    }
    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> hotel_pms::Result<Booking> {
        self.inner.booking(tenant, id).await
    }
    async fn cancel_booking(
        &self,
        tenant: &TenantId,
        id: &BookingId,
    ) -> hotel_pms::Result<Booking> {
        self.inner.cancel_booking(tenant, id).await
    }
    async fn modify_booking(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        change: &BookingChange,
    ) -> hotel_pms::Result<Booking> {
        self.inner.modify_booking(tenant, id, change).await
    }
}

/// The orchestrator with booking services, and everything behind it.
pub struct Desk {
    pub orchestrator: ConversationOrchestrator,
    pub services: BookingServices,
    pub sessions: Arc<dyn SessionStore>,
    pub pms: Arc<CountingPms>,
    pub holds: Arc<InMemoryRoomHolds>,
    pub clock: Arc<ManualClock>,
    pub hotel: TenantContext,
    messages: AtomicU32,
}

impl Desk {
    /// A hotel quoting in ARS, with in-memory sessions.
    pub fn new(confirmation: Confirmation) -> Self {
        Self::build(confirmation, inventory("ARS", 65_000), None)
    }

    /// A hotel with `inventory`, over `sessions` when given (else in-memory sessions).
    pub fn build(
        confirmation: Confirmation,
        inventory: DemoInventory,
        sessions: Option<Arc<dyn SessionStore>>,
    ) -> Self {
        Self::assemble(confirmation, inventory, sessions, NLU.clone())
    }

    /// A hotel quoting in ARS whose guests are understood by `nlu`.
    pub fn with_nlu(confirmation: Confirmation, nlu: Arc<dyn Nlu>) -> Self {
        Self::assemble(confirmation, inventory("ARS", 65_000), None, nlu)
    }

    fn assemble(
        confirmation: Confirmation,
        inventory: DemoInventory,
        sessions: Option<Arc<dyn SessionStore>>,
        nlu: Arc<dyn Nlu>,
    ) -> Self {
        let clock = Arc::new(ManualClock::new(start()));
        let sessions: Arc<dyn SessionStore> =
            sessions.unwrap_or_else(|| Arc::new(InMemorySessionStore::new(clock.clone())));
        let pms = Arc::new(CountingPms::new(
            DemoPms::new(inventory).expect("a valid inventory"),
        ));
        let holds = Arc::new(InMemoryRoomHolds::new(clock.clone()));
        let services = BookingServices::new(pms.clone(), holds.clone());
        let orchestrator =
            ConversationOrchestrator::new(nlu, sessions.clone(), clock.clone(), SESSION_TTL)
                .with_booking(services.clone());
        let mut hotel = crate::tenant(&Language::ALL);
        hotel.booking = policy(confirmation);
        Self {
            orchestrator,
            services,
            sessions,
            pms,
            holds,
            clock,
            hotel,
            messages: AtomicU32::new(0),
        }
    }

    /// The same desk recording paid bookings in `requests` and sending the passes `passes`
    /// makes.
    pub fn with_extras(
        mut self,
        requests: Arc<dyn hotel_orchestrator::BookingRequests>,
        passes: Arc<dyn hotel_orchestrator::BookingPasses>,
    ) -> Self {
        self.services = self
            .services
            .clone()
            .with_requests(requests)
            .with_passes(passes);
        self.orchestrator = ConversationOrchestrator::new(
            NLU.clone(),
            self.sessions.clone(),
            self.clock.clone(),
            SESSION_TTL,
        )
        .with_booking(self.services.clone());
        self
    }

    /// A message of `kind` from `guest`, sent now (each message 30 seconds after the last).
    pub fn message(&self, guest: &str, kind: InboundKind, text: Option<&str>) -> InboundMessage {
        let n = self.messages.fetch_add(1, Ordering::SeqCst);
        self.clock.advance(Duration::seconds(30));
        InboundMessage {
            tenant_id: self.hotel.tenant_id.clone(),
            phone_number_id: "100200300".into(),
            provider_message_id: format!("wamid.{n}"),
            from: WaId::new(guest),
            profile_name: None,
            kind,
            text: text.map(str::to_owned),
            reply_id: None,
            context_message_id: None,
            attachment: None,
            sent_at: self.clock.now(),
        }
    }

    pub async fn handle(
        &self,
        message: &InboundMessage,
    ) -> Result<Vec<OutboundMessage>, OrchestratorError> {
        self.orchestrator.handle(&self.hotel, message).await
    }

    /// `guest` writes `text`; the replies.
    pub async fn say(&self, guest: &str, text: &str) -> Vec<OutboundMessage> {
        let message = self.message(guest, InboundKind::Text, Some(text));
        self.handle(&message).await.expect("handled")
    }

    /// `guest` taps the choice `id` titled `title`.
    pub async fn tap(&self, guest: &str, id: &str, title: &str) -> Vec<OutboundMessage> {
        let mut message = self.message(guest, InboundKind::Interactive, Some(title));
        message.reply_id = Some(id.into());
        self.handle(&message).await.expect("handled")
    }

    /// `guest` sends a picture (a receipt).
    pub async fn send_image(&self, guest: &str) -> Vec<OutboundMessage> {
        let message = self.message(guest, InboundKind::Image, None);
        self.handle(&message).await.expect("handled")
    }

    /// The draft stored for `guest`.
    pub async fn draft(&self, guest: &str) -> Option<BookingDraft> {
        let stored = self.session(guest).await?;
        BookingDraft::from_session(&stored)
    }

    pub async fn session(&self, guest: &str) -> Option<hotel_sessions::Session> {
        let key = SessionKey::new(self.hotel.tenant_id.clone(), WaId::new(guest));
        self.sessions
            .load(&key)
            .await
            .expect("session loads")
            .map(|stored| stored.value)
    }

    /// The rooms of `code` the PMS reports free for December 15–17 (bookings, not holds).
    pub async fn free(&self, code: RoomTypeCode) -> u32 {
        let stay = hotel_pms::Stay::new(dec(15), dec(17)).expect("a stay");
        let request = StayRequest::new(stay, hotel_pms::Occupancy::adults(1)).of_type(code.into());
        self.pms
            .quote(&self.hotel.tenant_id, &request)
            .await
            .expect("quoted")
            .first()
            .map_or(0, |quote| quote.available)
    }

    /// Live holds of `code` on December 15.
    pub async fn held(&self, code: RoomTypeCode) -> u32 {
        use hotel_locks::RoomHolds;
        self.holds
            .count(self.hotel.tenant_id.as_str(), code.as_str(), dec(15))
            .await
            .expect("counted")
    }
}

/// The text of the only reply (a text or the body of a choice).
pub fn body(replies: &[OutboundMessage]) -> String {
    assert_eq!(replies.len(), 1, "{replies:#?}");
    match &replies[0].body {
        OutboundBody::Text { body, .. } | OutboundBody::Choices { body, .. } => body.clone(),
        other => panic!("expected text or choices, got {other:?}"),
    }
}

/// The ids of the only reply's choices (empty for a text).
pub fn choice_ids(replies: &[OutboundMessage]) -> Vec<String> {
    assert_eq!(replies.len(), 1, "{replies:#?}");
    match &replies[0].body {
        OutboundBody::Choices { choices, .. } => choices.iter().map(|c| c.id.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Asserts that `text` contains every one of `parts`.
#[track_caller]
pub fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
}
