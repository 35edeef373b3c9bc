//! Cutting long replies into texts WhatsApp accepts, and cutting titles short.

use std::ops::Range;

/// Splits `body` into chunks of at most `max_code_points` Unicode code points (use
/// [`MAX_TEXT_CODE_POINTS`](crate::MAX_TEXT_CODE_POINTS) for WhatsApp texts).
///
/// A text that fits is returned unchanged as one chunk. Otherwise each cut prefers, within the
/// second half of the chunk, a paragraph break, then a line break, then the end of a sentence
/// (`.`, `!`, `?` or `…` before whitespace); then the last whitespace; and only cuts inside a word
/// when the chunk has no whitespace, never between a character and the accent, joiner, variation
/// selector or skin tone that follows it. The whitespace at a cut is dropped and nothing else: the
/// chunks appear in `body` in order, separated only by whitespace. No chunk is empty, so an empty
/// or blank `body` gives no chunk. `max_code_points == 0` means no limit.
pub fn split_text(body: &str, max_code_points: usize) -> Vec<String> {
    split_ranges(body, max_code_points)
        .into_iter()
        .filter_map(|range| body.get(range).map(str::to_owned))
        .collect()
}

/// [`split_text`] as byte ranges of `body`.
pub(crate) fn split_ranges(body: &str, max_code_points: usize) -> Vec<Range<usize>> {
    if body.trim().is_empty() {
        return Vec::new();
    }
    if max_code_points == 0 || body.chars().nth(max_code_points).is_none() {
        return std::iter::once(0..body.len()).collect();
    }
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let rest = &body[start..];
        // The byte offset just past `max_code_points` code points, if `rest` is longer than that.
        let Some((limit, _)) = rest.char_indices().nth(max_code_points) else {
            let piece = rest.trim_end();
            if !piece.is_empty() {
                ranges.push(start..start + piece.len());
            }
            break;
        };
        let cut = cut_point(&rest[..limit], &rest[limit..])
            .unwrap_or_else(|| boundary_before(rest, limit));
        let head = rest[..cut].trim_end();
        if !head.is_empty() {
            ranges.push(start..start + head.len());
        }
        let tail = &rest[cut..];
        start += cut + (tail.len() - tail.trim_start().len());
    }
    ranges
}

/// Where to cut `window` (a prefix exactly at the limit, followed by `next`): a byte offset in
/// `1..=window.len()`, or `None` when there is no whitespace to cut at.
fn cut_point(window: &str, next: &str) -> Option<usize> {
    let half = window.len() / 2;
    let in_second_half = |at: &usize| *at >= half && *at > 0;
    if next.starts_with("\n\n") || (window.ends_with('\n') && next.starts_with('\n')) {
        return Some(window.len());
    }
    if let Some(at) = window.rfind("\n\n").filter(in_second_half) {
        return Some(at);
    }
    if next.starts_with('\n') {
        return Some(window.len());
    }
    if let Some(at) = window.rfind('\n').filter(in_second_half) {
        return Some(at);
    }
    let ends_sentence = |at: usize| {
        window[..at]
            .trim_end_matches(['"', '\'', ')', '»', '”'])
            .ends_with(['.', '!', '?', '…'])
    };
    let next_is_space = next.starts_with(char::is_whitespace);
    let spaces = window
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(at, _)| at)
        .chain(next_is_space.then_some(window.len()))
        .filter(|&at| at > 0);
    let mut last_space = None;
    let mut last_sentence = None;
    for at in spaces {
        last_space = Some(at);
        if at >= half && ends_sentence(at) {
            last_sentence = Some(at);
        }
    }
    last_sentence.or(last_space)
}

/// Whether `c` belongs to the character before it (a combining accent, a zero-width joiner, a
/// variation selector, a skin tone or an emoji tag): no cut may fall just before it.
fn extends_previous(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}')
}

/// The last offset at or before `at` where `text` may be cut without separating a character from
/// its marks or breaking a joined emoji; `at` itself when there is none above zero.
pub(crate) fn boundary_before(text: &str, at: usize) -> usize {
    let mut cut = at;
    while cut > 0 {
        let next_extends = text[cut..].chars().next().is_some_and(extends_previous);
        let after_joiner = text[..cut].ends_with('\u{200D}');
        if !next_extends && !after_joiner {
            return cut;
        }
        cut = text[..cut]
            .char_indices()
            .next_back()
            .map_or(0, |(previous, _)| previous);
    }
    at
}

/// `text` cut to at most `max_code_points` code points, ending with `…` when it was cut; `true`
/// when it was.
pub(crate) fn truncate(text: &str, max_code_points: usize) -> (String, bool) {
    if text.chars().nth(max_code_points).is_none() {
        return (text.to_owned(), false);
    }
    let keep = max_code_points.saturating_sub(1);
    let at = text
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(at, _)| at);
    let at = boundary_before(text, at);
    let mut short = text[..at].trim_end().to_owned();
    short.push('…');
    (short, true)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn short_text_is_untouched() {
        assert_eq!(split_text("  hola  ", 10), vec!["  hola  "]);
        assert_eq!(split_text("hola", 0), vec!["hola"]);
        assert!(split_text(" \n ", 10).is_empty());
    }

    #[test]
    fn cuts_on_whitespace() {
        assert_eq!(
            split_text("uno dos tres cuatro", 8),
            vec!["uno dos", "tres", "cuatro"]
        );
        assert_eq!(
            split_text("uno dos\ntres cuatro cinco", 16),
            vec!["uno dos\ntres", "cuatro cinco"]
        );
        assert_eq!(
            split_text("primer párrafo.\nsegundo párrafo largo", 30),
            vec!["primer párrafo.", "segundo párrafo largo"]
        );
    }

    #[test]
    fn prefers_paragraphs_then_lines_then_sentences() {
        assert_eq!(
            split_text("uno dos.\n\ntres\ncuatro cinco seis", 24),
            vec!["uno dos.\n\ntres", "cuatro cinco seis"]
        );
        assert_eq!(
            split_text("aaa bbb ccc\nddd\n\neee fff", 16),
            vec!["aaa bbb ccc\nddd", "eee fff"]
        );
        assert_eq!(
            split_text("Hola Ana, buen día. Tenemos una doble libre", 30),
            vec!["Hola Ana, buen día.", "Tenemos una doble libre"]
        );
        assert_eq!(
            split_text("Sí. ¿Confirmo la reserva? Gracias", 28),
            vec!["Sí. ¿Confirmo la reserva?", "Gracias"]
        );
        assert_eq!(split_text("abc def\nghi", 7), vec!["abc def", "ghi"]);
        assert_eq!(split_text("abcdefg\n\nhi", 7), vec!["abcdefg", "hi"]);
        assert_eq!(split_text("abcdef\n\nhi", 7), vec!["abcdef", "hi"]);
    }

    #[test]
    fn long_words_are_cut_by_code_points() {
        assert_eq!(split_text("ñññññ", 2), vec!["ññ", "ññ", "ñ"]);
        assert_eq!(split_text("🏨🏨🏨 ok", 2), vec!["🏨🏨", "🏨", "ok"]);
    }

    #[test]
    fn hard_cuts_keep_marks_and_joined_emoji_together() {
        // "e" + combining acute: never cut between them.
        assert_eq!(split_text("abe\u{301}cd", 3), vec!["ab", "e\u{301}c", "d"]);
        // A joined emoji is kept whole when the chunk has room for it, cut at the limit otherwise.
        let family = "ab 👩\u{200D}👧";
        assert_eq!(split_text(family, 5), vec!["ab", "👩\u{200D}👧"]);
        assert_eq!(split_text("ab👩\u{200D}👧", 4), vec!["ab", "👩\u{200D}👧"]);
        assert_eq!(split_text("👩\u{200D}👧", 2), vec!["👩\u{200D}", "👧"]);
        assert_eq!(boundary_before("\u{301}\u{301}", 2), 2);
    }

    #[test]
    fn truncation_counts_code_points_and_adds_an_ellipsis() {
        assert_eq!(truncate("hola", 4), ("hola".to_owned(), false));
        assert_eq!(truncate("habitación", 6), ("habit…".to_owned(), true));
        assert_eq!(truncate("una doble", 5), ("una…".to_owned(), true));
        assert_eq!(truncate("🏨🏨🏨", 2), ("🏨…".to_owned(), true));
        assert_eq!(truncate("ab👍\u{1F3FD}c", 4), ("ab…".to_owned(), true));
        let (short, cut) = truncate(&"ñ".repeat(30), 24);
        assert!(cut);
        assert_eq!(short.chars().count(), 24);
    }

    #[test]
    fn whatsapp_sized_chunks() {
        let body = "palabra ".repeat(1000);
        let chunks = split_text(&body, crate::MAX_TEXT_CODE_POINTS);
        assert_eq!(chunks.len(), 2);
        assert!(
            chunks
                .iter()
                .all(|c| c.chars().count() <= crate::MAX_TEXT_CODE_POINTS)
        );
        assert!(chunks[0].ends_with("palabra"));
    }

    /// `body` is the chunks in order, with only whitespace before, between and after them.
    fn reassembles(body: &str, chunks: &[String]) -> bool {
        let mut rest = body;
        for chunk in chunks {
            let Some(at) = rest.find(chunk.as_str()) else {
                return false;
            };
            if !rest[..at].trim().is_empty() {
                return false;
            }
            rest = &rest[at + chunk.len()..];
        }
        rest.trim().is_empty()
    }

    proptest! {
        #[test]
        fn chunks_fit_and_rebuild_the_text(body in "[a-zé🏨.!? \n\t\u{301}\u{200D}]{0,300}", max in 1usize..40) {
            let chunks = split_text(&body, max);
            for chunk in &chunks {
                prop_assert!(!chunk.trim().is_empty());
                prop_assert!(chunk.chars().count() <= max);
            }
            prop_assert!(reassembles(&body, &chunks), "{:?} -> {:?}", body, chunks);
        }

        #[test]
        fn whatsapp_texts_rebuild_exactly(words in proptest::collection::vec("[a-zñ😀]{1,12}[.!?]?[ \n]{1,2}", 0..900)) {
            let body = words.concat();
            let chunks = split_text(&body, crate::MAX_TEXT_CODE_POINTS);
            prop_assert!(chunks.iter().all(|c| c.chars().count() <= crate::MAX_TEXT_CODE_POINTS));
            prop_assert!(reassembles(&body, &chunks));
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(squeeze(&chunks.concat()), squeeze(&body));
        }

        #[test]
        fn truncation_fits(text in "[a-zé🏨 \u{301}\u{200D}]{0,60}", max in 1usize..30) {
            let (short, cut) = truncate(&text, max);
            prop_assert!(short.chars().count() <= max);
            prop_assert_eq!(cut, text.chars().count() > max);
            if cut {
                let kept = short.trim_end_matches('…');
                prop_assert!(text.starts_with(kept));
            }
        }
    }
}
