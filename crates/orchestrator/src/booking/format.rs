//! Amounts, dates, times and counts as the guest reads them in their language.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use hotel_domain::Language;
use hotel_pms::Money;

use crate::{Catalogue, MessageKey};

/// `money` for a guest writing `language`: Spanish and Portuguese group thousands with `.` and
/// use `,` for decimals (`$ 12.000`, `R$ 1.234,56`); English the other way round
/// (`ARS 12,000`, `US$1,234.56`). Whole amounts show no decimals. The currency is shown by its
/// usual symbol where one is unambiguous for the reader, else by its ISO code.
pub fn format_money(money: &Money, language: Language) -> String {
    let (thousands, decimal) = match language {
        Language::En => (',', '.'),
        Language::Es | Language::Pt => ('.', ','),
    };
    let abs = money.minor_units.unsigned_abs();
    let mut amount = group_thousands(abs / 100, thousands);
    let cents = abs % 100;
    if cents != 0 {
        amount.push(decimal);
        amount.push_str(&format!("{cents:02}"));
    }
    let sign = if money.minor_units < 0 { "-" } else { "" };
    let code = money.currency.trim().to_ascii_uppercase();
    match (language, code.as_str()) {
        (Language::En, "USD") => format!("{sign}US${amount}"),
        (Language::En, "BRL") => format!("{sign}R${amount}"),
        (Language::En, "EUR") => format!("{sign}€{amount}"),
        (Language::En, "GBP") => format!("{sign}£{amount}"),
        (Language::En, _) => format!("{sign}{code} {amount}"),
        (_, "EUR") => format!("{sign}{amount} €"),
        (_, code) => format!("{sign}{} {amount}", local_symbol(code)),
    }
}

/// The symbol a Spanish or Portuguese reader expects for `code` (the code itself otherwise).
fn local_symbol(code: &str) -> &str {
    match code {
        "ARS" | "CLP" | "COP" | "MXN" => "$",
        "BRL" => "R$",
        "USD" => "US$",
        "UYU" => "$U",
        "PEN" => "S/",
        "PYG" => "₲",
        "GBP" => "£",
        other => other,
    }
}

/// `units` with `separator` between groups of three digits.
fn group_thousands(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// `percent` % of `total`, rounded half up to the hundredth, in the same currency (integer
/// arithmetic: no floating point touches money).
pub fn deposit_of(total: &Money, percent: u8) -> Money {
    let scaled = i128::from(total.minor_units) * i128::from(percent.min(100));
    let rounded = if scaled >= 0 {
        (scaled + 50) / 100
    } else {
        (scaled - 50) / 100
    };
    Money::from_minor(
        i64::try_from(rounded).unwrap_or(total.minor_units),
        total.currency.as_str(),
    )
}

/// `date` as the catalogue's `date_format` writes it, e.g. "15 de diciembre", "December 15".
pub(crate) fn format_date(catalogue: &Catalogue, language: Language, date: NaiveDate) -> String {
    let months = catalogue.render(language, MessageKey::MonthNames, &[]);
    let index = usize::try_from(date.month0()).unwrap_or(0);
    let Some(month) = months.split(',').nth(index).map(str::trim) else {
        return date.to_string();
    };
    let day = date.day().to_string();
    catalogue.render(
        language,
        MessageKey::DateFormat,
        &[("day", &day), ("month", month)],
    )
}

/// The time of `instant` in `zone` as `HH:MM` (24 hours).
pub(crate) fn format_time(instant: DateTime<Utc>, zone: Option<Tz>) -> String {
    match zone {
        Some(zone) => instant.with_timezone(&zone).format("%H:%M").to_string(),
        None => instant.format("%H:%M").to_string(),
    }
}

/// "1 noche", "3 nights"…
pub(crate) fn nights_text(catalogue: &Catalogue, language: Language, nights: u32) -> String {
    count_text(
        catalogue,
        language,
        nights,
        MessageKey::NightsOne,
        MessageKey::NightsMany,
    )
}

/// "2 adultos", "2 adults and 1 child"…
pub(crate) fn guests_text(
    catalogue: &Catalogue,
    language: Language,
    adults: u32,
    children: u32,
) -> String {
    let adults_text = count_text(
        catalogue,
        language,
        adults,
        MessageKey::AdultsOne,
        MessageKey::AdultsMany,
    );
    if children == 0 {
        return adults_text;
    }
    let children_text = count_text(
        catalogue,
        language,
        children,
        MessageKey::ChildrenOne,
        MessageKey::ChildrenMany,
    );
    catalogue.render(
        language,
        MessageKey::GuestsWithChildren,
        &[("adults", &adults_text), ("children", &children_text)],
    )
}

fn count_text(
    catalogue: &Catalogue,
    language: Language,
    count: u32,
    one: MessageKey,
    many: MessageKey,
) -> String {
    if count == 1 {
        catalogue.render(language, one, &[])
    } else {
        catalogue.render(language, many, &[("count", &count.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn money(minor: i64, currency: &str) -> Money {
        Money::from_minor(minor, currency)
    }

    #[test]
    fn money_follows_the_guest_locale() {
        let pesos = money(1_200_000, "ARS");
        assert_eq!(format_money(&pesos, Language::Es), "$ 12.000");
        assert_eq!(format_money(&pesos, Language::Pt), "$ 12.000");
        assert_eq!(format_money(&pesos, Language::En), "ARS 12,000");
        let reais = money(123_456, "BRL");
        assert_eq!(format_money(&reais, Language::Pt), "R$ 1.234,56");
        assert_eq!(format_money(&reais, Language::Es), "R$ 1.234,56");
        assert_eq!(format_money(&reais, Language::En), "R$1,234.56");
        let dollars = money(123_456_789, "usd");
        assert_eq!(format_money(&dollars, Language::En), "US$1,234,567.89");
        assert_eq!(format_money(&dollars, Language::Es), "US$ 1.234.567,89");
        assert_eq!(format_money(&money(505, "EUR"), Language::Es), "5,05 €");
        assert_eq!(format_money(&money(505, "EUR"), Language::En), "€5.05");
        assert_eq!(format_money(&money(99_900, "XYZ"), Language::Es), "XYZ 999");
        assert_eq!(format_money(&money(-150, "ARS"), Language::Es), "-$ 1,50");
        assert_eq!(format_money(&money(0, "ARS"), Language::En), "ARS 0");
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(group_thousands(0, '.'), "0");
        assert_eq!(group_thousands(999, '.'), "999");
        assert_eq!(group_thousands(1_000, '.'), "1.000");
        assert_eq!(group_thousands(123_456, ','), "123,456");
        assert_eq!(group_thousands(1_234_567, ','), "1,234,567");
        assert_eq!(group_thousands(u64::MAX, ','), "18,446,744,073,709,551,615");
    }

    #[test]
    fn deposits_round_half_up_without_floats() {
        assert_eq!(
            deposit_of(&money(13_000_000, "ARS"), 30),
            money(3_900_000, "ARS")
        );
        assert_eq!(deposit_of(&money(1_001, "USD"), 50), money(501, "USD"));
        assert_eq!(deposit_of(&money(1_003, "USD"), 33), money(331, "USD"));
        assert_eq!(deposit_of(&money(1_000, "USD"), 0), money(0, "USD"));
        assert_eq!(deposit_of(&money(1_000, "USD"), 200), money(1_000, "USD"));
        assert_eq!(
            deposit_of(&money(i64::MAX, "USD"), 100),
            money(i64::MAX, "USD")
        );
    }

    #[test]
    fn dates_times_and_counts_read_naturally() {
        let catalogue = Catalogue::builtin().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        assert_eq!(
            format_date(catalogue, Language::Es, date),
            "15 de diciembre"
        );
        assert_eq!(format_date(catalogue, Language::En, date), "December 15");
        assert_eq!(format_date(catalogue, Language::Pt, date), "15 de dezembro");
        for language in Language::ALL {
            let months = catalogue.render(language, MessageKey::MonthNames, &[]);
            assert_eq!(months.split(',').count(), 12, "{language}");
        }
        let instant = Utc.with_ymd_and_hms(2026, 11, 25, 15, 5, 0).unwrap();
        let zone: Tz = "America/Argentina/Buenos_Aires".parse().unwrap();
        assert_eq!(format_time(instant, Some(zone)), "12:05");
        assert_eq!(format_time(instant, None), "15:05");
        assert_eq!(nights_text(catalogue, Language::Es, 1), "1 noche");
        assert_eq!(nights_text(catalogue, Language::En, 3), "3 nights");
        assert_eq!(guests_text(catalogue, Language::Es, 2, 0), "2 adultos");
        assert_eq!(
            guests_text(catalogue, Language::En, 2, 1),
            "2 adults and 1 child"
        );
        assert_eq!(
            guests_text(catalogue, Language::Pt, 1, 2),
            "1 adulto e 2 crianças"
        );
    }
}
