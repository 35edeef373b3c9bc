//! Amounts of money.

use serde::{Deserialize, Serialize};

/// An amount in hundredths of a currency unit (cents, centavos), with its ISO 4217 code.
///
/// Every currency a hotel here quotes in (ARS, BRL, USD, EUR…) has two decimals; a PMS's
/// decimals beyond the second are rounded half away from zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount in hundredths, e.g. `1_200_050` for 12 000.50.
    pub minor_units: i64,
    /// ISO 4217 code, e.g. `ARS`.
    pub currency: String,
}

impl Money {
    /// `minor_units` hundredths of `currency`.
    pub fn from_minor(minor_units: i64, currency: impl Into<String>) -> Self {
        Self {
            minor_units,
            currency: currency.into(),
        }
    }

    /// Whole units of `currency`, e.g. a demo nightly rate of `12000`.
    pub fn from_units(units: i64, currency: impl Into<String>) -> Self {
        Self::from_minor(units.saturating_mul(100), currency)
    }

    /// A decimal amount as a PMS sends it (`120.000000`, `132.5`), rounded to hundredths.
    /// `None` for a value that is not finite.
    pub fn from_decimal(amount: f64, currency: impl Into<String>) -> Option<Self> {
        let minor = (amount * 100.0).round();
        // i64 holds every whole f64 below 2^63; prices are far below that.
        (minor.is_finite() && minor.abs() < 9.0e15)
            .then(|| Self::from_minor(minor as i64, currency))
    }

    /// The amount as a decimal string with two places, e.g. `12000.50`.
    pub fn to_decimal_string(&self) -> String {
        let sign = if self.minor_units < 0 { "-" } else { "" };
        let abs = self.minor_units.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_units_and_decimals() {
        assert_eq!(Money::from_units(12_000, "ARS").minor_units, 1_200_000);
        assert_eq!(
            Money::from_decimal(132.005, "USD").map(|m| m.minor_units),
            Some(13_201)
        );
        assert_eq!(
            Money::from_decimal(120.0, "USD").map(|m| m.minor_units),
            Some(12_000)
        );
        assert_eq!(Money::from_decimal(f64::NAN, "USD"), None);
        assert_eq!(Money::from_decimal(1e300, "USD"), None);
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(
            Money::from_minor(1_200_050, "ARS").to_string(),
            "12000.50 ARS"
        );
        assert_eq!(Money::from_minor(-5, "USD").to_decimal_string(), "-0.05");
    }
}
