//! Word lists of the date grammar, in Spanish, English and Portuguese, accent-folded.

use chrono::Weekday;

use super::tokens::within_one_edit;

/// Month names (full, then abbreviations) with their number. Abbreviations that are also
/// common words ("mar", "out", "set", "ago", "mai", "dez") only count after a day.
pub(super) const MONTHS: &[(&str, u32)] = &[
    ("enero", 1),
    ("january", 1),
    ("janeiro", 1),
    ("febrero", 2),
    ("february", 2),
    ("fevereiro", 2),
    ("marzo", 3),
    ("march", 3),
    ("marco", 3),
    ("abril", 4),
    ("april", 4),
    ("mayo", 5),
    ("may", 5),
    ("maio", 5),
    ("junio", 6),
    ("june", 6),
    ("junho", 6),
    ("julio", 7),
    ("july", 7),
    ("julho", 7),
    ("agosto", 8),
    ("august", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("september", 9),
    ("setembro", 9),
    ("octubre", 10),
    ("october", 10),
    ("outubro", 10),
    ("noviembre", 11),
    ("november", 11),
    ("novembro", 11),
    ("diciembre", 12),
    ("december", 12),
    ("dezembro", 12),
];

/// Abbreviations safe anywhere next to a day ("Dec 15", "15 dic").
const ABBREVIATIONS: &[(&str, u32)] = &[
    ("ene", 1),
    ("jan", 1),
    ("feb", 2),
    ("fev", 2),
    ("apr", 4),
    ("abr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("dic", 12),
];

/// Abbreviations that are also words: only after a day ("15 out", "3 de mar").
const DAY_FIRST_ABBREVIATIONS: &[(&str, u32)] = &[
    ("mar", 3),
    ("mai", 5),
    ("ago", 8),
    ("set", 9),
    ("out", 10),
    ("dez", 12),
];

/// The month a folded word names, with one typo tolerated in names of seven letters or more.
/// `month_first` excludes abbreviations that are common words.
pub(super) fn month(word: &str, month_first: bool) -> Option<u32> {
    let exact = |list: &[(&str, u32)]| list.iter().find(|(name, _)| *name == word).map(|&(_, m)| m);
    exact(MONTHS)
        .or_else(|| exact(ABBREVIATIONS))
        .or_else(|| {
            if month_first {
                None
            } else {
                exact(DAY_FIRST_ABBREVIATIONS)
            }
        })
        .or_else(|| {
            let chars = word.chars().count();
            (chars >= 6)
                .then(|| {
                    // One edit changes the length by one at most (the names are ASCII).
                    MONTHS.iter().find(|(name, _)| {
                        name.len() >= 7
                            && name.len().abs_diff(chars) <= 1
                            && within_one_edit(name, word)
                    })
                })
                .flatten()
                .map(|&(_, m)| m)
        })
}

/// Weekday names; `true` marks Portuguese names that are also ordinals ("segunda").
pub(super) const WEEKDAYS: &[(&str, Weekday, bool)] = &[
    ("lunes", Weekday::Mon, false),
    ("monday", Weekday::Mon, false),
    ("mon", Weekday::Mon, false),
    ("segunda", Weekday::Mon, true),
    ("martes", Weekday::Tue, false),
    ("tuesday", Weekday::Tue, false),
    ("tues", Weekday::Tue, false),
    ("terca", Weekday::Tue, false),
    ("miercoles", Weekday::Wed, false),
    ("wednesday", Weekday::Wed, false),
    ("wed", Weekday::Wed, false),
    ("quarta", Weekday::Wed, true),
    ("jueves", Weekday::Thu, false),
    ("thursday", Weekday::Thu, false),
    ("thurs", Weekday::Thu, false),
    ("quinta", Weekday::Thu, true),
    ("viernes", Weekday::Fri, false),
    ("friday", Weekday::Fri, false),
    ("fri", Weekday::Fri, false),
    ("sexta", Weekday::Fri, false),
    ("sabado", Weekday::Sat, false),
    ("saturday", Weekday::Sat, false),
    ("domingo", Weekday::Sun, false),
    ("sunday", Weekday::Sun, false),
];

/// A long weekday name with one typo ("miercols", "wensday" is too far).
pub(super) fn fuzzy_weekday(word: &str) -> Option<Weekday> {
    let chars = word.chars().count();
    if chars < 6 {
        return None;
    }
    // One edit changes the length by one at most (the names are ASCII).
    WEEKDAYS
        .iter()
        .find(|(name, _, _)| {
            name.len() >= 7 && name.len().abs_diff(chars) <= 1 && within_one_edit(name, word)
        })
        .map(|&(_, weekday, _)| weekday)
}

/// "mañana", "tomorrow", "amanhã" and their common spellings.
pub(super) const TOMORROW: &[&str] = &[
    "manana", "mnn", "maniana", "tomorrow", "tmrw", "tmr", "tomorow", "2morrow", "amanha", "amnh",
    "amanh",
];

/// Words after a number that make it something other than a day of the month.
pub(super) const NOT_DATE_AFTER: &[&str] = &[
    "personas",
    "persona",
    "pessoas",
    "pessoa",
    "people",
    "person",
    "persons",
    "pax",
    "adultos",
    "adulto",
    "adults",
    "adult",
    "ninos",
    "nino",
    "kids",
    "kid",
    "children",
    "child",
    "criancas",
    "crianca",
    "noches",
    "noche",
    "nights",
    "night",
    "noites",
    "noite",
    "diarias",
    "diaria",
    "dias",
    "days",
    "semanas",
    "weeks",
    "meses",
    "months",
    "horas",
    "hours",
    "hs",
    "hrs",
    "minutos",
    "minutes",
    "min",
    "piso",
    "floor",
    "andar",
    "camas",
    "beds",
    "habitaciones",
    "rooms",
    "quartos",
    "estrellas",
    "stars",
    "anos",
    "years",
    "am",
    "pm",
    "huespedes",
    "guests",
    "hospedes",
    "bebes",
    "babies",
    "menores",
    "usd",
    "dolares",
    "dollars",
    "reais",
    "pesos",
    "euros",
    "km",
    "kms",
    "metros",
    "cuadras",
    "quadras",
    "blocks",
    "veces",
    "times",
    "vezes",
    "porciento",
    "percent",
    "mil",
];

/// Words that mark a following bare number as a day ("el 15", "dia 30", "the 3rd").
pub(super) const DAY_CUES: &[&str] = &[
    "el", "del", "al", "dia", "dias", "the", "on", "no", "do", "ao", "entre", "between",
];
/// Words that mark a following ordinal as a day ("from 3rd", "until 6th").
pub(super) const WEAK_DAY_CUES: &[&str] = &[
    "from", "desde", "until", "till", "hasta", "ate", "to", "a", "for", "para", "since",
];

/// Words that join two dates into a range.
pub(super) const RANGE_CONNECTORS: &[&str] = &[
    "al", "a", "hasta", "to", "til", "till", "until", "thru", "through", "ao", "ate",
];
/// Words allowed beside a connector between two dates ("al dia", "to the", "hasta el").
pub(super) const RANGE_FILLER: &[&str] = &["el", "the", "dia", "o", "la", "de", "do"];

/// Words skipped when looking for what introduces a single date.
pub(super) const ROLE_FILLER: &[&str] = &[
    "el", "the", "dia", "o", "on", "la", "este", "esta", "this", "next", "proximo", "proxima", "a",
    "de",
];

/// Words before a date that make it a farewell, not the stay ("nos vemos mañana").
pub(super) const FAREWELL: &[&str] = &[
    "vemos", "see", "falamos", "hablamos", "talk", "bye", "chau", "chao", "tchau", "later", "logo",
];

/// Words before a date that make it the departure ("me voy el 17", "check out on the 6th").
pub(super) const DEPARTURE: &[&str] = &[
    "salgo",
    "salimos",
    "salida",
    "saida",
    "saio",
    "saimos",
    "leave",
    "leaving",
    "depart",
    "departure",
    "checkout",
    "vuelvo",
    "volvemos",
    "embora",
];

/// Nouns of nights ("noches", "nights", "noites", "diárias").
pub(super) const NIGHTS: &[&str] = &[
    "noche",
    "noches",
    "night",
    "nights",
    "nite",
    "nites",
    "noite",
    "noites",
    "diaria",
    "diarias",
    "pernoite",
    "pernoites",
    "nts",
    "nochecitas",
    "nochecita",
];

/// Words that make a number of nights a change by a delta ("una noche más", "one more night").
pub(super) const MORE: &[&str] = &[
    "mas",
    "more",
    "extra",
    "another",
    "otra",
    "otras",
    "mais",
    "outra",
    "outras",
    "adicional",
    "adicionales",
    "adicionais",
    "additional",
    "extras",
];

/// Word beginnings that make a message about a stay.
pub(super) const STAY_STEMS: &[&str] = &[
    "reserv",
    "book",
    "habitac",
    "room",
    "quarto",
    "cuarto",
    "lugar",
    "vaga",
    "disponib",
    "availab",
    "hosped",
    "aloja",
    "stay",
    "quedar",
    "quedamos",
    "ficar",
    "estadia",
    "estancia",
    "check",
    "llego",
    "llegamos",
    "llegar",
    "arriv",
    "chego",
    "chegamos",
    "chegar",
    "cama",
    "suite",
    "doble",
    "double",
    "matrimonial",
    "casal",
    "single",
    "twin",
    "triple",
    "noche",
    "night",
    "noite",
    "diaria",
    "tienen",
    "tenes",
    "tem",
    "have",
    "hay",
    "espacio",
    "space",
    "vacan",
    "precio",
    "price",
    "preco",
    "tarifa",
    "rate",
    "cuanto",
    "quanto",
];

/// Word beginnings of messages about something other than the stay's dates: paying, a
/// problem, a call ("mañana les paso la seña", "hoy no funciona el aire").
pub(super) const OTHER_STEMS: &[&str] = &[
    "pag",
    "pay",
    "sena",
    "deposit",
    "transferen",
    "pix",
    "comprobante",
    "receipt",
    "recibo",
    "aviso",
    "avisar",
    "confirmo",
    "llamo",
    "ligo",
    "call",
    "funciona",
    "work",
    "broken",
    "roto",
    "rota",
    "quebr",
    "limpi",
    "clean",
    "ruido",
    "noise",
    "barulho",
    "sucio",
    "dirty",
    "sujo",
    "problem",
    "reclamo",
    "queja",
    "complain",
    "falo",
    "hablo",
    "talk",
    "escribo",
    "write",
    "mando",
    "send",
    "envio",
];

/// Word beginnings of an airport ride: its dates are not the stay's.
pub(super) const RIDE_STEMS: &[&str] = &[
    "aeropuerto",
    "airport",
    "aeroporto",
    "traslado",
    "transfer",
    "pickup",
    "shuttle",
    "remis",
    "taxi",
    "vuelo",
    "flight",
    "voo",
    "translado",
];

/// Words right before a relative date that make it the stay's ("para mañana", "from friday").
pub(super) const STAY_INTRODUCERS: &[&str] = &[
    "para", "pra", "for", "from", "desde", "since", "partir", "de", "del", "starting",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_with_abbreviations_and_typos() {
        assert_eq!(month("diciembre", true), Some(12));
        assert_eq!(month("dicimbre", true), Some(12));
        assert_eq!(month("dec", true), Some(12));
        assert_eq!(month("out", true), None);
        assert_eq!(month("out", false), Some(10));
        assert_eq!(month("hola", false), None);
        assert_eq!(fuzzy_weekday("miercols"), Some(Weekday::Wed));
        assert_eq!(fuzzy_weekday("hola"), None);
    }

    #[test]
    fn names_are_ascii() {
        // `month` and `fuzzy_weekday` compare byte lengths with character counts.
        assert!(MONTHS.iter().all(|(name, _)| name.is_ascii()));
        assert!(WEEKDAYS.iter().all(|(name, _, _)| name.is_ascii()));
    }
}
