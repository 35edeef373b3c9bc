//! Cutting long replies into texts WhatsApp accepts.

/// Splits `body` into chunks of at most `max_code_points` Unicode code points (use
/// [`MAX_TEXT_CODE_POINTS`](crate::MAX_TEXT_CODE_POINTS) for WhatsApp texts).
///
/// A text that fits is returned unchanged as one chunk. Otherwise each cut prefers a line break in
/// the second half of the chunk, then the last whitespace, and only cuts inside a word when the
/// chunk has no whitespace; the whitespace at a cut is dropped. No chunk is empty, so an empty or
/// blank `body` gives no chunk. `max_code_points == 0` means no limit.
pub fn split_text(body: &str, max_code_points: usize) -> Vec<String> {
    if body.trim().is_empty() {
        return Vec::new();
    }
    if max_code_points == 0 || body.chars().nth(max_code_points).is_none() {
        return vec![body.to_owned()];
    }
    let mut chunks = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        // The byte offset just past `max_code_points` code points, if `rest` is longer than that.
        let Some((limit, _)) = rest.char_indices().nth(max_code_points) else {
            chunks.push(rest.trim_end().to_owned());
            break;
        };
        let cut = if rest[limit..].starts_with(char::is_whitespace) {
            limit
        } else {
            cut_point(&rest[..limit])
        };
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end();
        if !head.is_empty() {
            chunks.push(head.to_owned());
        }
        rest = tail.trim_start();
    }
    chunks
}

/// Where to cut `window` (a prefix exactly at the limit): a byte offset in `1..=window.len()`.
fn cut_point(window: &str) -> usize {
    let half = window.len() / 2;
    if let Some(newline) = window.rfind('\n').filter(|&at| at >= half && at > 0) {
        return newline;
    }
    match window.rfind(char::is_whitespace) {
        Some(space) if space > 0 => space,
        _ => window.len(),
    }
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
    fn long_words_are_cut_by_code_points() {
        assert_eq!(split_text("ñññññ", 2), vec!["ññ", "ññ", "ñ"]);
        assert_eq!(split_text("🏨🏨🏨 ok", 2), vec!["🏨🏨", "🏨", "ok"]);
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

    proptest! {
        #[test]
        fn chunks_fit_and_lose_only_whitespace(body in "[a-zé🏨 \n\t]{0,300}", max in 1usize..40) {
            let chunks = split_text(&body, max);
            for chunk in &chunks {
                prop_assert!(!chunk.is_empty());
                prop_assert!(chunk.chars().count() <= max);
            }
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(squeeze(&chunks.concat()), squeeze(&body));
        }
    }
}
