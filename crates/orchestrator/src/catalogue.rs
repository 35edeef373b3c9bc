//! The reply texts: `messages/{es,en,pt}.toml`, embedded at build time and parsed once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use hotel_domain::Language;
use hotel_nlp::Intent;

use crate::{MessageKey, OrchestratorError, Result};

/// The embedded catalogue files.
const SOURCES: [(Language, &str); 3] = [
    (Language::Es, include_str!("../messages/es.toml")),
    (Language::En, include_str!("../messages/en.toml")),
    (Language::Pt, include_str!("../messages/pt.toml")),
];

/// The embedded catalogue, parsed and checked on first use.
static BUILTIN: LazyLock<std::result::Result<Catalogue, String>> =
    LazyLock::new(|| Catalogue::parse(&SOURCES).map_err(|e| e.to_string()));

/// Whether a guest can be asked to confirm `intent`: everything but small talk and
/// `out_of_scope`. Each such intent has a short topic name in every language (`topic_<intent>` in
/// the catalogue files).
pub fn is_topic(intent: Intent) -> bool {
    !matches!(
        intent,
        Intent::Greeting
            | Intent::Goodbye
            | Intent::Thanks
            | Intent::Affirm
            | Intent::Deny
            | Intent::OutOfScope
    )
}

/// The intents with a topic name, in [`Intent::ALL`] order.
pub fn topic_intents() -> impl Iterator<Item = Intent> {
    Intent::ALL.into_iter().filter(|intent| is_topic(*intent))
}

/// Reply texts per language, checked to have the same keys and placeholders in every language.
#[derive(Debug, Clone)]
pub struct Catalogue {
    texts: HashMap<(Language, MessageKey), String>,
    topics: HashMap<(Language, Intent), String>,
}

impl Catalogue {
    /// The embedded catalogue (`messages/*.toml`), parsed once per process.
    ///
    /// # Errors
    /// [`OrchestratorError::Catalogue`] when the embedded files are inconsistent (a test guards this).
    pub fn builtin() -> Result<&'static Catalogue> {
        BUILTIN
            .as_ref()
            .map_err(|e| OrchestratorError::Catalogue(e.clone()))
    }

    /// Parses one TOML document per language: a flat table of `key = "text"`. Every
    /// [`MessageKey`] must be present in every language, no other key may be, and each key must
    /// use the same `{placeholders}` in every language.
    ///
    /// # Errors
    /// [`OrchestratorError::Catalogue`] naming the file and the problem.
    pub fn parse(sources: &[(Language, &str)]) -> Result<Self> {
        let mut texts = HashMap::new();
        let mut topics = HashMap::new();
        let mut placeholders_of: HashMap<MessageKey, (Language, BTreeSet<String>)> = HashMap::new();
        for language in Language::ALL {
            let Some((_, source)) = sources.iter().find(|(l, _)| *l == language) else {
                return Err(OrchestratorError::Catalogue(format!(
                    "no catalogue for `{language}`"
                )));
            };
            let mut table: BTreeMap<String, String> = toml::from_str(source)
                .map_err(|e| OrchestratorError::Catalogue(format!("{language}.toml: {e}")))?;
            for key in MessageKey::ALL {
                let text = table.remove(key.as_str()).ok_or_else(|| {
                    OrchestratorError::Catalogue(format!(
                        "{language}.toml: missing `{}`",
                        key.as_str()
                    ))
                })?;
                let found = placeholders(&text);
                match placeholders_of.get(&key) {
                    Some((first, expected)) if *expected != found => {
                        return Err(OrchestratorError::Catalogue(format!(
                            "{language}.toml: `{}` has placeholders {found:?}, {first}.toml has {expected:?}",
                            key.as_str()
                        )));
                    }
                    Some(_) => {}
                    None => {
                        placeholders_of.insert(key, (language, found));
                    }
                }
                texts.insert((language, key), text);
            }
            for intent in topic_intents() {
                let key = format!("topic_{}", intent.as_str());
                let topic = table
                    .remove(&key)
                    .filter(|t| !t.trim().is_empty())
                    .ok_or_else(|| {
                        OrchestratorError::Catalogue(format!("{language}.toml: missing `{key}`"))
                    })?;
                topics.insert((language, intent), topic);
            }
            if let Some(extra) = table.keys().next() {
                return Err(OrchestratorError::Catalogue(format!(
                    "{language}.toml: unknown key `{extra}`"
                )));
            }
        }
        Ok(Self { texts, topics })
    }

    /// The short name of what `intent` is about, in `language` (for [`topic_intents`]).
    pub fn topic(&self, language: Language, intent: Intent) -> Option<&str> {
        self.topics.get(&(language, intent)).map(String::as_str)
    }

    /// The text of `key` in `language` with each `{name}` replaced by its value in `values`.
    pub fn render(&self, language: Language, key: MessageKey, values: &[(&str, &str)]) -> String {
        let template = self.texts.get(&(language, key)).map_or("", String::as_str);
        values
            .iter()
            .fold(template.to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// The `{placeholders}` of `key` in `language`.
    pub fn placeholders(&self, language: Language, key: MessageKey) -> BTreeSet<String> {
        self.texts
            .get(&(language, key))
            .map(|text| placeholders(text))
            .unwrap_or_default()
    }
}

/// The names between braces in a text: `"a {hotel} b"` → `{"hotel"}`.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language_with_the_same_placeholders() {
        let catalogue = Catalogue::builtin().unwrap();
        for key in MessageKey::ALL {
            let expected = catalogue.placeholders(Language::Es, key);
            for language in Language::ALL {
                let text = catalogue.render(language, key, &[]);
                assert!(!text.trim().is_empty(), "{language}: {}", key.as_str());
                assert_eq!(
                    catalogue.placeholders(language, key),
                    expected,
                    "{language}: {}",
                    key.as_str()
                );
            }
        }
        assert_eq!(
            catalogue.placeholders(Language::Pt, MessageKey::Greeting),
            BTreeSet::from(["hotel".to_owned()])
        );
    }

    #[test]
    fn render_fills_placeholders() {
        let catalogue = Catalogue::builtin().unwrap();
        let text = catalogue.render(
            Language::En,
            MessageKey::Greeting,
            &[("hotel", "Hotel Sur")],
        );
        assert!(text.contains("Hotel Sur"));
        assert!(!text.contains('{'));
    }

    #[test]
    fn inconsistent_catalogues_are_rejected() {
        let full = |extra: &str| {
            let mut text: String = MessageKey::ALL
                .iter()
                .map(|k| format!("{} = \"text {{hotel}}\"\n", k.as_str()))
                .collect();
            for intent in topic_intents() {
                text.push_str(&format!("topic_{} = \"topic\"\n", intent.as_str()));
            }
            text.push_str(extra);
            text
        };
        let good = full("");
        let ok = Catalogue::parse(&[
            (Language::Es, &good),
            (Language::En, &good),
            (Language::Pt, &good),
        ]);
        assert!(ok.is_ok());

        let extra = full("surprise = \"x\"\n");
        let err = Catalogue::parse(&[
            (Language::Es, &good),
            (Language::En, &extra),
            (Language::Pt, &good),
        ]);
        assert!(
            matches!(err, Err(OrchestratorError::Catalogue(m)) if m.contains("unknown key `surprise`"))
        );

        let missing = good.replace("help = \"text {hotel}\"\n", "");
        let err = Catalogue::parse(&[
            (Language::Es, &good),
            (Language::En, &good),
            (Language::Pt, &missing),
        ]);
        assert!(
            matches!(err, Err(OrchestratorError::Catalogue(m)) if m.contains("pt.toml: missing `help`"))
        );

        let renamed = good.replace("help = \"text {hotel}\"", "help = \"text {name}\"");
        let err = Catalogue::parse(&[
            (Language::Es, &good),
            (Language::En, &renamed),
            (Language::Pt, &good),
        ]);
        assert!(
            matches!(err, Err(OrchestratorError::Catalogue(m)) if m.contains("en.toml: `help` has placeholders"))
        );

        let no_topic = good.replace("topic_pricing = \"topic\"\n", "");
        let err = Catalogue::parse(&[
            (Language::Es, &no_topic),
            (Language::En, &good),
            (Language::Pt, &good),
        ]);
        assert!(
            matches!(err, Err(OrchestratorError::Catalogue(m)) if m.contains("es.toml: missing `topic_pricing`"))
        );

        let err = Catalogue::parse(&[(Language::Es, &good), (Language::En, &good)]);
        assert!(
            matches!(err, Err(OrchestratorError::Catalogue(m)) if m.contains("no catalogue for `pt`"))
        );
    }

    #[test]
    fn placeholder_names_are_lowercase_words() {
        assert_eq!(
            placeholders("{a} {b_c} {} {X} {d"),
            BTreeSet::from(["a".to_owned(), "b_c".to_owned()])
        );
    }
}
