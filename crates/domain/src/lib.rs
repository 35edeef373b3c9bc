//! Shared value types: identifiers, [`Language`], inbound and outbound messages,
//! delivery statuses and the injectable [`Clock`].

mod clock;
mod content;
mod ids;
mod language;
mod message;
mod room;

pub use clock::{Clock, ManualClock, SystemClock};
pub use content::{
    Attachment, Choice, ContactCard, GeoPoint, MediaKind, MediaRef, MediaSource, TemplateComponent,
    TemplateParameter,
};
pub use ids::{TenantId, WaId};
pub use language::{Language, UnknownLanguage};
pub use message::{
    DeliveryState, DeliveryStatus, InboundKind, InboundMessage, OutboundBody, OutboundMessage,
    ProviderError,
};
pub use room::{RoomTypeCode, UnknownRoomType};
