//! Natural-language understanding for hotel guests writing in Spanish, English or Portuguese:
//! the [`Nlu`] trait, its result types ([`NluResult`], [`Intent`], [`Entities`]) and the
//! [`BuiltinNlu`], which needs no network and no model files.
//!
//! The intents and entities follow `nlu-schema.md`; [`NluResult`] serialises exactly like the
//! "NLU result" of `interface.md`.

mod builtin;
mod classifier;
mod entities;
mod error;
mod eval;
mod intent;
mod labelled;
mod langid;
mod llm;
mod result;
mod smalltalk;
mod text;

use async_trait::async_trait;

pub use builtin::BuiltinNlu;
pub use entities::{Entities, RoomTypeCode, extract_entities};
pub use error::{NlpError, Result};
pub use eval::{Confusion, EntityScores, EvalReport, IntentScores, LanguageScores, evaluate};
pub use intent::{Intent, UnknownIntent};
pub use labelled::{LabelledExample, parse_labelled};
pub use langid::{LanguageGuess, LanguageIdentifier};
pub use llm::{LlmConfig, LlmNlu};
pub use result::{NluContext, NluResult};

/// Understands one guest message. Async because backends may call a remote model.
#[async_trait]
pub trait Nlu: Send + Sync + std::fmt::Debug {
    /// The language, intent and entities of `text`.
    ///
    /// # Errors
    /// [`NlpError::Backend`] or [`NlpError::InvalidResponse`] when a remote backend fails; the
    /// built-in backend never fails.
    async fn parse(&self, text: &str, context: &NluContext) -> Result<NluResult>;
}
