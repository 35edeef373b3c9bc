//! Room types from their synonyms: "matrimonial" / "quarto de casal" / "king" → double,
//! "dos camas" / "twin" → twin, "individual" / "solteiro" → single, "triplo" → triple,
//! "suíte" → suite, "habitación familiar" / "family room" → family.

use hotel_domain::Language;

use super::numbers::cardinal_at;
use super::tokens::Token;
use crate::RoomTypeCode;

/// Words next to which "doble" / "double" / "single" is not a room ("me cobraron doble",
/// "double charged", "a single night").
const NOT_A_ROOM_NEIGHBOURS: &[&str] = &[
    "cobro",
    "cobraron",
    "cobrado",
    "cobrada",
    "cobrou",
    "cobraram",
    "cobranca",
    "cargo",
    "charge",
    "charged",
    "charging",
    "booked",
    "booking",
    "pago",
    "payment",
    "pagamento",
    "check",
    "checked",
    "night",
    "nights",
    "noche",
    "noches",
    "noite",
    "noites",
    "day",
    "days",
    "question",
    "time",
    "vez",
    "person",
    "persona",
    "pessoa",
    "click",
    "tap",
];
/// Words for a bed.
const BED: &[&str] = &["cama", "camas", "bed", "beds"];
/// Words for a room.
const ROOM: &[&str] = &[
    "habitacion",
    "habitaciones",
    "cuarto",
    "cuartos",
    "room",
    "rooms",
    "quarto",
    "quartos",
    "hab",
    "apartamento",
    "depto",
    "departamento",
    "apto",
];

/// The room type of one mention at `tokens[i]`, if any.
fn room_at(tokens: &[Token], i: usize, language: Language) -> Option<RoomTypeCode> {
    let token = &tokens[i];
    let before = i.checked_sub(1).and_then(|j| tokens.get(j));
    let after = tokens.get(i + 1);
    let near = |words: &[&str]| {
        before.is_some_and(|t| t.is_any(words)) || after.is_some_and(|t| t.is_any(words))
    };
    if token.is_any(&["doble", "double", "dbl", "duplo", "duplex"]) {
        return (!near(NOT_A_ROOM_NEIGHBOURS)).then_some(RoomTypeCode::Double);
    }
    if token.is_any(&["matrimonial", "king", "queen", "kingsize", "queensize"]) {
        return Some(RoomTypeCode::Double);
    }
    if token.is("casal") {
        // "quarto de casal", "cama de casal", "suíte casal"; not "somos um casal".
        let de_casal = before.is_some_and(|t| t.is("de"))
            && i >= 2
            && tokens[i - 2].is_any(&[
                "quarto",
                "quartos",
                "cama",
                "camas",
                "apartamento",
                "suite",
            ]);
        let room_casal = before.is_some_and(|t| t.is_any(&["quarto", "suite", "apartamento"]));
        return (de_casal || room_casal).then_some(RoomTypeCode::Double);
    }
    if token.is("twin") {
        return Some(RoomTypeCode::Twin);
    }
    if token.is_any(BED) {
        // "dos camas", "2 beds", "duas camas (de solteiro)", "camas separadas", "separate beds".
        let counted = (1..=2)
            .filter_map(|back| i.checked_sub(back))
            .find_map(|j| cardinal_at(tokens, j, language).filter(|(_, len)| j + len == i))
            .map(|(n, _)| n);
        let separate = near(&[
            "separadas",
            "separate",
            "separados",
            "individuales",
            "separated",
        ]);
        if counted == Some(2) || separate {
            return Some(RoomTypeCode::Twin);
        }
        return None;
    }
    if token.is_any(&[
        "single",
        "individual",
        "simple",
        "sencilla",
        "solteiro",
        "singles",
    ]) {
        if near(NOT_A_ROOM_NEIGHBOURS) {
            return None;
        }
        // "camas de solteiro" (beds, plural) and "two singles" are twin rooms.
        let plural_beds = i >= 2 && tokens[i - 2].is_any(&["camas", "beds"]);
        let two = before
            .is_some_and(|t| t.is_any(&["two", "dos", "duas", "dois"]) || t.number() == Some(2))
            || token.is("singles");
        if plural_beds || two {
            return Some(RoomTypeCode::Twin);
        }
        if token.is_any(&["simple", "individual"]) {
            // Only as a room or bed: "habitación simple", "cama individual".
            let room = before.is_some_and(|t| t.is_any(ROOM) || t.is_any(BED))
                || (i >= 2 && tokens[i - 2].is_any(ROOM) && before.is_some_and(|t| t.is("de")));
            return room.then_some(RoomTypeCode::Single);
        }
        return Some(RoomTypeCode::Single);
    }
    if token.is_any(&["triple", "triples", "triplo", "tripla", "tripel"]) {
        return Some(RoomTypeCode::Triple);
    }
    if token.is_any(&["suite", "suites", "suit"]) {
        return Some(RoomTypeCode::Suite);
    }
    if token.is("familiar") {
        return Some(RoomTypeCode::Family);
    }
    if token.is_any(&["familia", "family"]) {
        // "family room", "quarto família", "habitación familia"; not "somos una familia".
        let room = after.is_some_and(|t| t.is_any(ROOM) || t.is("suite"))
            || before.is_some_and(|t| t.is_any(ROOM));
        return room.then_some(RoomTypeCode::Family);
    }
    None
}

/// Whether the message asks to change something, so the last mention is the new value
/// ("from a double to a twin", "en vez de doble, twin").
fn last_wins(tokens: &[Token]) -> bool {
    tokens.windows(2).any(|pair| {
        (pair[0].is_any(&["en", "em"]) && pair[1].is_any(&["vez", "lugar"]))
            || (pair[0].is("ao") && pair[1].is("inves"))
            || (pair[0].is("from") && pair[1].is_any(&["a", "the"]))
    }) || tokens.iter().any(|t| {
        t.is_any(&[
            "instead", "cambiar", "cambio", "change", "switch", "mudar", "trocar", "troca",
            "upgrade", "pasar", "move",
        ])
    })
}

/// The room type the message asks for.
pub(super) fn room_type(tokens: &[Token], language: Language) -> Option<RoomTypeCode> {
    let mut found = (0..tokens.len()).filter_map(|i| room_at(tokens, i, language));
    if last_wins(tokens) {
        found.next_back()
    } else {
        found.next()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenise;
    use super::*;

    fn room(text: &str) -> Option<RoomTypeCode> {
        room_type(&tokenise(text), Language::Es)
    }

    #[test]
    fn synonyms() {
        assert_eq!(room("una matrimonial"), Some(RoomTypeCode::Double));
        assert_eq!(room("habitación con dos camas"), Some(RoomTypeCode::Twin));
        assert_eq!(room("habitación simple"), Some(RoomTypeCode::Single));
        assert_eq!(room("es simple"), None);
        assert_eq!(room("me cobraron doble"), None);
        assert_eq!(room("de doble a twin, cambiar"), Some(RoomTypeCode::Twin));
    }
}
