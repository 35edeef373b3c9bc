//! Country quirks of WhatsApp ids (reference §2, "Number quirks").

/// The other form of a guest's number that Meta may accept when a send to `wa_id` as received
/// fails with 131030 (recipient not in the allowed list):
///
/// - Argentina: inbound `549` + 10 digits (area code and number) → `54` + the same 10 digits;
/// - Mexico: inbound `521` + 10 digits → `52` + the same 10 digits.
///
/// `None` for every other number, for anything that is not 13 ASCII digits, and for the short
/// forms themselves, so applying the rule twice never loops. Store the `wa_id` exactly as received
/// and try this form once.
pub fn alternate_recipient(wa_id: &str) -> Option<String> {
    const LONG_FORM_DIGITS: usize = 13;
    if wa_id.len() != LONG_FORM_DIGITS || !wa_id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ["549", "521"].into_iter().find_map(|prefix| {
        let national = wa_id.strip_prefix(prefix)?;
        Some(format!("{}{national}", &prefix[..2]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argentina_drops_the_mobile_nine() {
        assert_eq!(
            alternate_recipient("5491155550000").as_deref(),
            Some("541155550000")
        );
        // Córdoba (351), a 3-digit area code: still 10 national digits.
        assert_eq!(
            alternate_recipient("5493515550000").as_deref(),
            Some("543515550000")
        );
    }

    #[test]
    fn mexico_drops_the_one() {
        assert_eq!(
            alternate_recipient("5215512345678").as_deref(),
            Some("525512345678")
        );
        assert_eq!(
            alternate_recipient("5213312345678").as_deref(),
            Some("523312345678")
        );
    }

    #[test]
    fn short_forms_have_no_alternate_so_the_rule_cannot_loop() {
        for wa_id in ["541155550000", "525512345678"] {
            assert_eq!(alternate_recipient(wa_id), None, "{wa_id}");
        }
        let once = alternate_recipient("5491155550000").unwrap();
        assert_eq!(alternate_recipient(&once), None);
    }

    #[test]
    fn other_countries_and_malformed_ids_are_left_alone() {
        for wa_id in [
            "",
            "549",
            "5491155550",                 // too short
            "54911555500001",             // too long
            "549115555000a",              // not digits
            "+549115555000",              // a `+` is not part of a wa_id
            "５４９１１５５５５００００", // full-width digits
            "5511955550000",              // Brazil: 55 + 11 digits, another rule
            "5551155550000",              // 13 digits starting 555
            "5501155550000",              // Argentina without the 9
            "5225512345678",              // Mexico without the 1
            "15550783881",                // US
            "4915112345678",              // Germany, 13 digits
            "US.13491208655302741918",    // a BSUID
        ] {
            assert_eq!(alternate_recipient(wa_id), None, "{wa_id}");
        }
    }
}
