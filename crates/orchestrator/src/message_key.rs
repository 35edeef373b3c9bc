//! [`MessageKey`]: the name of every reply text in `messages/{es,en,pt}.toml`.

/// Declares [`MessageKey`], its TOML names and the list of every key, from one table.
macro_rules! message_keys {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// The name of a reply text; the TOML key is [`MessageKey::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MessageKey {
            $($(#[$doc])* $variant,)*
        }

        impl MessageKey {
            /// Every key; each catalogue file has exactly these.
            pub const ALL: [MessageKey; [$($name),*].len()] = [$(MessageKey::$variant,)*];

            /// The key in the TOML files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(MessageKey::$variant => $name,)*
                }
            }
        }
    };
}

message_keys! {
    /// Greets by hotel name (`{hotel}`) and asks how to help.
    Greeting => "greeting",
    /// Asks how to help and says what the assistant can do.
    Help => "help",
    /// Answers a farewell.
    Goodbye => "goodbye",
    /// Answers thanks.
    Thanks => "thanks",
    /// Acknowledges a picture.
    AckImage => "ack_image",
    /// Acknowledges a voice message.
    AckAudio => "ack_audio",
    /// Acknowledges a video.
    AckVideo => "ack_video",
    /// Acknowledges a document.
    AckDocument => "ack_document",
    /// Answers a sticker.
    AckSticker => "ack_sticker",
    /// Acknowledges a shared location.
    AckLocation => "ack_location",
    /// Acknowledges a shared contact card.
    AckContacts => "ack_contacts",
    /// Asks for text instead of a message kind the assistant cannot read.
    Unsupported => "unsupported",
    /// The label of the button that opens the help menu (≤ 20 characters).
    MenuButton => "menu_button",
    /// Help-menu options (titles ≤ 24 characters).
    MenuAvailability => "menu_availability",
    MenuPrices => "menu_prices",
    MenuRooms => "menu_rooms",
    MenuAmenities => "menu_amenities",
    MenuLocation => "menu_location",
    MenuStaff => "menu_staff",
    /// Asks whether the guest's message is about `{topic}` (a middling-confidence reading).
    ConfirmTopic => "confirm_topic",
    /// Says the message was not understood and offers the main topics.
    Clarify => "clarify",
    /// Reply-button labels (≤ 20 characters).
    ButtonYes => "button_yes",
    ButtonNo => "button_no",

    // The booking conversation.
    /// Asks for the dates of the stay.
    AskDates => "ask_dates",
    /// Asks for the check-out day, the check-in (`{check_in}`) being known.
    AskCheckOut => "ask_check_out",
    /// Asks how many guests.
    AskGuests => "ask_guests",
    /// Dates that make no stay (check-out not after check-in, longer than `{max_nights}`).
    DatesInvalid => "dates_invalid",
    /// Introduces the rooms free for `{check_in}`–`{check_out}`, `{nights}`, `{guests}`.
    RoomsIntro => "rooms_intro",
    /// Says the requested room type is not free, before the ones that are.
    RoomsRequestedUnavailable => "rooms_requested_unavailable",
    /// One free room type: `{room}`, `{nightly}` a night, `{total}` for the stay.
    RoomLine => "room_line",
    /// The same, when the nights cost different amounts (`{nightly}` is the average).
    RoomLineAverage => "room_line_average",
    /// Asks which room to book.
    RoomsQuestion => "rooms_question",
    /// Warns that the availability shown may be out of date (the PMS could not be asked).
    RoomsStale => "rooms_stale",
    /// The label of the button that opens the list of rooms (≤ 20 characters).
    RoomsButton => "rooms_button",
    /// Nothing free for `{check_in}`–`{check_out}` and `{guests}`; suggests other dates or guests.
    NoAvailability => "no_availability",
    /// The PMS or the room holds cannot be reached right now.
    ServiceUnavailable => "service_unavailable",
    /// Someone else just took the last `{room}`.
    RoomGone => "room_gone",
    /// A `{room}` is held for the guest for `{minutes}` minutes.
    RoomHeld => "room_held",
    /// Asks for the guest's full name.
    AskName => "ask_name",
    /// Asks again for first and last name.
    AskNameFull => "ask_name_full",
    /// Thanks `{name}` and asks for an e-mail address.
    AskEmail => "ask_email",
    /// The e-mail address is not complete.
    EmailInvalid => "email_invalid",
    /// The booking's summary and the deposit to pay.
    PaymentSummary => "payment_summary",
    /// Used when the hotel configured no payment instructions in the guest's language.
    PaymentInstructionsMissing => "payment_instructions_missing",
    /// Asks for the receipt; the room is held until `{until}` (hotel time, `HH:MM`).
    PaymentSendReceipt => "payment_send_receipt",
    /// Staff will check the payment; `{reference}` names the request.
    PaymentReceivedStaff => "payment_received_staff",
    /// The payment is still being checked by staff.
    PaymentPendingStaff => "payment_pending_staff",
    /// The booking is made: its PMS id `{booking_id}` and a summary.
    BookingConfirmed => "booking_confirmed",
    /// The PMS did not answer; the booking will be confirmed shortly.
    BookingConfirming => "booking_confirming",
    /// Still waiting for the PMS.
    BookingStillConfirming => "booking_still_confirming",
    /// The booking could not be made automatically; staff will follow up on the payment.
    BookingNeedsStaff => "booking_needs_staff",
    /// The booking request was cancelled and the room released.
    BookingCancelled => "booking_cancelled",
    /// The caption of the booking pass (the QR code image) of booking `{booking_id}`.
    BookingPassCaption => "booking_pass_caption",
    /// Staff could not confirm the payment of request `{reference}`; the room is released.
    BookingRejected => "booking_rejected",
    /// Staff's reason for the rejection: `{reason}`.
    BookingRejectedReason => "booking_rejected_reason",
    /// How a date reads: `{day}` and `{month}` (an abbreviated month name).
    DateFormat => "date_format",
    /// The twelve abbreviated month names, comma-separated.
    MonthNames => "month_names",
    /// "1 night" and "{count} nights".
    NightsOne => "nights_one",
    NightsMany => "nights_many",
    /// "1 adult" and "{count} adults".
    AdultsOne => "adults_one",
    AdultsMany => "adults_many",
    /// "1 child" and "{count} children".
    ChildrenOne => "children_one",
    ChildrenMany => "children_many",
    /// Adults and children together: `{adults}` and `{children}`.
    GuestsWithChildren => "guests_with_children",
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn keys_are_unique_snake_case() {
        let names: HashSet<&str> = MessageKey::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), MessageKey::ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }
}
