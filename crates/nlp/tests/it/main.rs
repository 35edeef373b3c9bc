//! Integration tests of the built-in NLU through the public [`hotel_nlp::Nlu`] trait.
#![expect(
    clippy::expect_used,
    reason = "test helpers fail loudly on broken fixtures"
)]

mod entities;
mod greeting;
mod heldout;
mod intents;
mod language;
mod llm;
mod properties;

use std::sync::LazyLock;

use chrono::NaiveDate;
use hotel_nlp::{BuiltinNlu, NluContext};

/// One NLU for all tests: training it is the slow part of a debug build.
static NLU: LazyLock<BuiltinNlu> =
    LazyLock::new(|| BuiltinNlu::new().expect("embedded NLU data loads"));

/// The NLU under test.
fn nlu() -> &'static BuiltinNlu {
    &NLU
}

/// A context for 2026-11-25 with nothing else known.
fn context() -> NluContext {
    NluContext::new(NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"))
}
