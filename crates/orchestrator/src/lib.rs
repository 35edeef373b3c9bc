//! The conversation with a guest: the [`Orchestrator`] trait and [`ConversationOrchestrator`],
//! which loads the guest's session, asks the NLU, answers from the reply catalogue
//! (`messages/{es,en,pt}.toml`) in the guest's language and records the exchange.
//!
//! It answers small talk, acknowledges media and says what the assistant can do; with
//! [`BookingServices`] ([`ConversationOrchestrator::with_booking`]) it also runs the booking
//! conversation: availability across turns, a room held while the guest pays, the payment and the
//! booking in the PMS (see [`booking`]).

pub mod booking;
mod catalogue;
mod conversation;
mod error;
mod exchange;
mod message_key;
mod reply;
mod tenant;

use async_trait::async_trait;
use hotel_domain::{InboundMessage, OutboundMessage};

pub use booking::{
    BookingDraft, BookingPasses, BookingPolicy, BookingRecordError, BookingRequests,
    BookingServices, BookingStage, Completion, Confirmation, PaidBooking, ROOM_REPLY_PREFIX,
    format_money,
};
pub use catalogue::Catalogue;
pub use conversation::{ConversationOrchestrator, MAX_SAVE_ATTEMPTS};
pub use error::{OrchestratorError, Result};
pub use exchange::MAX_HISTORY_TURNS;
pub use message_key::MessageKey;
pub use reply::INTENT_REPLY_PREFIX;
pub use tenant::TenantContext;

/// Turns one inbound guest message into the messages to send back.
#[async_trait]
pub trait Orchestrator: Send + Sync + std::fmt::Debug {
    /// The replies to `message` for hotel `tenant` (empty for reactions and system notices).
    ///
    /// # Errors
    /// [`OrchestratorError`] when the NLU or the session store fails, or the session keeps
    /// changing under concurrent writers; the caller retries the message later.
    async fn handle(
        &self,
        tenant: &TenantContext,
        message: &InboundMessage,
    ) -> Result<Vec<OutboundMessage>>;
}
