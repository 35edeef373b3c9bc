use serde::{Deserialize, Serialize};

/// The languages guests write in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Es,
    En,
    Pt,
}

/// A language code that is not one of `es`, `en`, `pt`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`: expected es, en or pt")]
pub struct UnknownLanguage(pub String);

impl Language {
    pub const ALL: [Language; 3] = [Language::Es, Language::En, Language::Pt];

    pub fn code(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
            Language::Pt => "pt",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        // Accept regional tags such as `es-AR`, `pt_BR`, `en-US`.
        let base = lower.split(['-', '_']).next().unwrap_or_default();
        match base {
            "es" => Ok(Language::Es),
            "en" => Ok(Language::En),
            "pt" => Ok(Language::Pt),
            _ => Err(UnknownLanguage(s.to_owned())),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_regional_tags() {
        assert_eq!("es".parse::<Language>(), Ok(Language::Es));
        assert_eq!("pt_BR".parse::<Language>(), Ok(Language::Pt));
        assert_eq!("EN-us".parse::<Language>(), Ok(Language::En));
        assert!("fr".parse::<Language>().is_err());
        assert_eq!(Language::Pt.to_string(), "pt");
    }

    #[test]
    fn serialises_lowercase() {
        assert_eq!(
            serde_json::to_string(&Language::Es).unwrap_or_default(),
            "\"es\""
        );
    }
}
