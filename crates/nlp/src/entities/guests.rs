//! Adults and children: "para dos", "somos 4", "2 of us", "just me", "me and my wife",
//! "con mi novia", "somos um casal", "2 adultos y un nene", "two adults and a baby",
//! "com 2 crianças".

use hotel_domain::Language;

use super::numbers::cardinal_at;
use super::tokens::{Kind, Token};

const ADULT_NOUNS: &[&str] = &[
    "adulto", "adultos", "adult", "adults", "adulta", "adultas", "mayores", "mayor", "grandes",
    "grown", "grownups",
];
const PERSON_NOUNS: &[&str] = &[
    "persona",
    "personas",
    "pessoa",
    "pessoas",
    "people",
    "person",
    "persons",
    "pax",
    "huesped",
    "huespedes",
    "hospede",
    "hospedes",
    "guest",
    "guests",
    "pers",
    "ppl",
];
const CHILD_NOUNS: &[&str] = &[
    "nino",
    "ninos",
    "nina",
    "ninas",
    "nene",
    "nenes",
    "nena",
    "nenas",
    "chico",
    "chicos",
    "hijo",
    "hijos",
    "hija",
    "hijas",
    "menor",
    "menores",
    "bebe",
    "bebes",
    "crianca",
    "criancas",
    "filho",
    "filhos",
    "filha",
    "filhas",
    "menino",
    "meninos",
    "menina",
    "meninas",
    "nenem",
    "kid",
    "kids",
    "child",
    "children",
    "baby",
    "babies",
    "infant",
    "infants",
    "toddler",
    "toddlers",
    "son",
    "sons",
    "daughter",
    "daughters",
    "peque",
    "peques",
    "criatura",
    "criaturas",
    "chiquito",
    "chiquitos",
    "nenito",
    "nenitos",
];
/// Children named one at a time ("con mi bebé", "and our son").
const ONE_CHILD_NOUNS: &[&str] = &[
    "nene", "nena", "hijo", "hija", "bebe", "filho", "filha", "kid", "child", "baby", "son",
    "daughter", "nenem", "menino", "menina",
];
const PARTNER_NOUNS: &[&str] = &[
    "esposa",
    "esposo",
    "marido",
    "mujer",
    "novia",
    "novio",
    "pareja",
    "senora",
    "senor",
    "prometida",
    "prometido",
    "wife",
    "husband",
    "girlfriend",
    "boyfriend",
    "partner",
    "fiance",
    "fiancee",
    "spouse",
    "namorada",
    "namorado",
    "noiva",
    "noivo",
    "mulher",
    "companheira",
    "companheiro",
    "amigo",
    "amiga",
    "friend",
    "mama",
    "mom",
    "mother",
    "madre",
    "mae",
    "papa",
    "dad",
    "father",
    "padre",
    "pai",
    "hermano",
    "hermana",
    "brother",
    "sister",
    "irmao",
    "irma",
    "colega",
    "companero",
    "companera",
    "colleague",
];
const POSSESSIVES: &[&str] = &[
    "mi", "my", "minha", "meu", "nuestro", "nuestra", "our", "nossa", "nosso", "a", "an", "un",
    "una", "um", "uma",
];
const COMPANION_LINKS: &[&str] = &["con", "com", "with", "and", "y", "e", "junto", "&", "mas"];
/// Words after a number that make it something other than people.
const NOT_PEOPLE: &[&str] = &[
    "noche",
    "noches",
    "night",
    "nights",
    "noite",
    "noites",
    "diaria",
    "diarias",
    "dia",
    "dias",
    "day",
    "days",
    "semana",
    "semanas",
    "week",
    "weeks",
    "mes",
    "meses",
    "month",
    "months",
    "de",
    "of",
    "hs",
    "h",
    "horas",
    "hours",
    "hora",
    "hour",
    "am",
    "pm",
    "camas",
    "beds",
    "habitaciones",
    "rooms",
    "quartos",
    "cuartos",
    "anos",
    "years",
    "estrellas",
    "stars",
];
/// Conjunctions that add children to a total ("para 2 y un nene").
const ADDITIVE: &[&str] = &["y", "and", "e", "plus", "mas", "mais", "more", "+"];

/// What the guest grammar found.
#[derive(Debug, Default)]
struct Counts {
    adults: Option<u32>,
    total: Option<u32>,
    children: Option<u32>,
    /// Whether the children were added to the total with "y" / "and" / "+".
    children_added: bool,
    companions: u32,
    solo: bool,
}

fn is_word(token: &Token, words: &[&str]) -> bool {
    // A word equal to one of `words` already `is` it: only symbols ("&", "+") need the
    // plain comparison.
    token.is_any(words) || (token.kind != Kind::Word && words.iter().any(|w| token.text == *w))
}

/// A plausible head count (1..=20) at `i`, and the index after it.
fn count_at(tokens: &[Token], i: usize, language: Language) -> Option<(u32, usize)> {
    let (n, len) = cardinal_at(tokens, i, language)?;
    (1..=20).contains(&n).then_some((n, i + len))
}

fn add(slot: &mut Option<u32>, n: u32) {
    *slot = Some(slot.unwrap_or(0) + n);
}

/// The adults and children the message counts.
pub(super) fn guests(tokens: &[Token], language: Language) -> (Option<u32>, Option<u32>) {
    let mut counts = Counts::default();
    let word = |i: usize, words: &[&str]| tokens.get(i).is_some_and(|t| is_word(t, words));
    let mut i = 0;
    while i < tokens.len() {
        // "N adultos", "N personas", "N niños", "un nene", "a baby".
        let counted = count_at(tokens, i, language)
            .or_else(|| (word(i, &["a", "an"]) && word(i + 1, CHILD_NOUNS)).then_some((1, i + 1)));
        if let Some((n, next)) = counted {
            // Allow one adjective: "2 niños pequeños" is not needed, "2 little kids" is.
            let noun = if word(next, &["little", "small", "pequenos", "chicos"])
                && word(next + 1, CHILD_NOUNS)
            {
                next + 1
            } else {
                next
            };
            if word(noun, ADULT_NOUNS) {
                add(&mut counts.adults, n);
                i = noun + 1;
                continue;
            }
            if word(noun, CHILD_NOUNS) {
                add(&mut counts.children, n);
                let linked = (1..=2)
                    .filter_map(|b| i.checked_sub(b))
                    .any(|j| word(j, ADDITIVE));
                counts.children_added |= linked || counts.total.is_none();
                i = noun + 1;
                continue;
            }
            if word(noun, &["parejas", "casais", "couples", "matrimonios"]) {
                counts.total = Some(2 * n);
                i = noun + 1;
                continue;
            }
            if word(noun, PERSON_NOUNS) {
                counts.total = Some(n);
                i = noun + 1;
                continue;
            }
            // "2 of us", "the 3 of us".
            if word(next, &["of"]) && word(next + 1, &["us"]) {
                counts.total = Some(n);
                i = next + 2;
                continue;
            }
            let before = |words: &[&str]| i.checked_sub(1).is_some_and(|j| word(j, words));
            let before2 = |words: &[&str]| i.checked_sub(2).is_some_and(|j| word(j, words));
            let free =
                !word(next, NOT_PEOPLE) && tokens.get(next).is_none_or(|t| t.number().is_none());
            let group = before(&[
                "somos", "seremos", "sao", "vamos", "viajamos", "nosotros", "nos", "familia",
                "family",
            ]) || (before(&["em", "en"])
                && before2(&["somos", "seremos", "vamos", "estamos"]))
                || (before(&["are", "be"]) && before2(&["we", "were", "will", "ll"]))
                || (before(&["were"]) && !before2(&["you", "they"]))
                || (before(&["de", "of"]) && before2(&["familia", "family", "grupo", "group"]));
            let for_n = before(&["para", "for", "pra", "pa"]);
            // "somos una pareja", "para um casal": an article, not a head count.
            let article = tokens[i].is_any(&["un", "una", "um", "uma"])
                && tokens.get(next).is_some_and(|t| t.kind == Kind::Word);
            if free && !article && (group || for_n) {
                counts.total = Some(n);
                i = next;
                continue;
            }
        }
        // "solo yo", "just me", "só eu", "sozinho".
        if word(i, &["sozinho", "sozinha", "myself", "alone"])
            || (word(
                i,
                &[
                    "solo",
                    "sola",
                    "solamente",
                    "just",
                    "only",
                    "so",
                    "somente",
                    "apenas",
                ],
            ) && word(i + 1, &["yo", "me", "eu", "i"]))
            || (word(i, &["yo", "viajo", "voy"]) && word(i + 1, &["solo", "sola"]))
        {
            counts.solo = true;
        }
        // "con mi novia", "me and my wife", "my husband and I", "com a minha esposa", "con un amigo".
        if word(i, PARTNER_NOUNS) && i >= 1 && word(i - 1, POSSESSIVES) {
            // "eu, minha esposa e ...": a comma after "eu" / "yo" / "me" links too.
            let comma_link = i >= 3 && word(i - 2, &[","]) && word(i - 3, &["eu", "yo", "me", "i"]);
            let link_before = comma_link
                || i >= 2
                    && (word(i - 2, COMPANION_LINKS)
                        || (word(i - 2, &["a"]) && i >= 3 && word(i - 3, COMPANION_LINKS)));
            let link_after =
                word(i + 1, &["y", "and", "e"]) && word(i + 2, &["yo", "i", "me", "eu"]);
            if link_before || link_after {
                counts.companions += 1;
            }
        }
        if word(i, ONE_CHILD_NOUNS)
            && i >= 2
            && word(
                i - 1,
                &[
                    "mi", "my", "minha", "meu", "nuestro", "nuestra", "our", "nosso", "nossa",
                ],
            )
            && word(i - 2, COMPANION_LINKS)
        {
            add(&mut counts.children, 1);
            counts.children_added = true;
        }
        // "somos un matrimonio", "somos um casal", "en pareja", "a couple" (not "a couple of").
        let couple = (word(i, &["pareja", "matrimonio", "casal"])
            && i >= 1
            && word(
                i - 1,
                &[
                    "una", "un", "um", "somos", "en", "em", "como", "para", "pra",
                ],
            ))
            || (word(i, &["couple"]) && !word(i + 1, &["of"]) && i >= 1 && word(i - 1, &["a"]));
        if couple {
            counts.total.get_or_insert(2);
        }
        i += 1;
    }
    resolve(&counts)
}

fn resolve(counts: &Counts) -> (Option<u32>, Option<u32>) {
    let children = counts.children;
    let adults = if let Some(adults) = counts.adults {
        Some(adults)
    } else if let Some(total) = counts.total {
        match children {
            Some(c) if !counts.children_added && total > c && total >= 3 => Some(total - c),
            _ => Some(total),
        }
    } else if counts.companions > 0 {
        Some(1 + counts.companions)
    } else if counts.solo {
        Some(1)
    } else {
        None
    };
    (adults, children)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenise;
    use super::*;

    fn count(text: &str) -> (Option<u32>, Option<u32>) {
        guests(&tokenise(text), Language::Es)
    }

    #[test]
    fn totals_and_children() {
        assert_eq!(count("somos 4, con 2 niños"), (Some(2), Some(2)));
        assert_eq!(count("para 2 y un nene"), (Some(2), Some(1)));
        assert_eq!(count("para 2 noches"), (None, None));
        assert_eq!(count("con mi novia"), (Some(2), None));
        assert_eq!(count("solo yo"), (Some(1), None));
    }
}
