//! A hotel's booking rules: who confirms payments, the deposit, how long rooms are held and how
//! to pay.

use std::collections::BTreeMap;
use std::time::Duration;

use hotel_domain::Language;

/// Who confirms a guest's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Confirmation {
    /// A person checks the payment; the booking waits as `awaiting_confirmation`.
    #[default]
    Staff,
    /// The guest's receipt (or "paid") confirms it: the booking is made in the PMS at once.
    Auto,
}

/// The `[hotel.booking]` rules of one hotel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingPolicy {
    /// Who confirms payments.
    pub confirmation: Confirmation,
    /// The deposit asked for, in percent of the stay's total (capped at 100).
    pub deposit_percent: u8,
    /// How long a chosen room is held while the guest pays, in minutes (at least 1).
    pub hold_minutes: u32,
    /// How to pay, per language (bank details, a payment link…), as the hotel writes it.
    pub payment_instructions: BTreeMap<Language, String>,
}

impl Default for BookingPolicy {
    /// Staff confirmation, a 30% deposit, rooms held 15 minutes, no payment instructions.
    fn default() -> Self {
        Self {
            confirmation: Confirmation::Staff,
            deposit_percent: 30,
            hold_minutes: 15,
            payment_instructions: BTreeMap::new(),
        }
    }
}

impl BookingPolicy {
    /// How long a room is held.
    pub fn hold_ttl(&self) -> Duration {
        Duration::from_secs(u64::from(self.hold_minutes.max(1)) * 60)
    }

    /// The deposit percentage, at most 100.
    pub fn deposit_percent(&self) -> u8 {
        self.deposit_percent.min(100)
    }

    /// The payment instructions in `language`, else in `fallback` (the hotel's default
    /// language); `None` when neither is configured.
    pub fn payment_instructions_in(&self, language: Language, fallback: Language) -> Option<&str> {
        [language, fallback].into_iter().find_map(|l| {
            self.payment_instructions
                .get(&l)
                .map(|text| text.trim())
                .filter(|text| !text.is_empty())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_fall_back_to_the_default_language() {
        let policy = BookingPolicy {
            payment_instructions: BTreeMap::from([
                (Language::Es, "Transferí a CBU 123".to_owned()),
                (Language::En, "   ".to_owned()),
            ]),
            ..BookingPolicy::default()
        };
        assert_eq!(
            policy.payment_instructions_in(Language::Pt, Language::Es),
            Some("Transferí a CBU 123")
        );
        assert_eq!(
            policy.payment_instructions_in(Language::En, Language::Es),
            Some("Transferí a CBU 123"),
            "blank counts as missing"
        );
        assert_eq!(
            BookingPolicy::default().payment_instructions_in(Language::Es, Language::Es),
            None
        );
    }

    #[test]
    fn hold_and_deposit_are_bounded() {
        let policy = BookingPolicy {
            hold_minutes: 0,
            deposit_percent: 250,
            ..BookingPolicy::default()
        };
        assert_eq!(policy.hold_ttl(), Duration::from_secs(60));
        assert_eq!(policy.deposit_percent(), 100);
        assert_eq!(
            BookingPolicy::default().hold_ttl(),
            Duration::from_secs(900)
        );
    }
}
