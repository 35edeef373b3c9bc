//! An optional NLU backend: an OpenAI-compatible chat-completions endpoint (a local llama.cpp or
//! Ollama server, or a hosted one) asked for the same JSON as the built-in engine. Every answer is
//! checked; a failure, a timeout or an invalid answer falls back to the built-in engine, and after
//! repeated failures a circuit breaker skips the endpoint for a while.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::NaiveDate;
use hotel_domain::Language;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use crate::{Entities, Intent, NlpError, Nlu, NluContext, NluResult, Result};

/// How the LLM backend is reached and when it is given up on.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API base, e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    /// Sent as a bearer token when set.
    pub api_key: Option<SecretString>,
    /// The longest one request may take.
    pub timeout: Duration,
    /// Consecutive failures that open the breaker.
    pub failure_threshold: u32,
    /// How long an open breaker skips the endpoint before one trial request.
    pub cooldown: Duration,
}

impl LlmConfig {
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeout: Duration::from_secs(5),
            failure_threshold: 3,
            cooldown: Duration::from_secs(30),
        }
    }
}

/// The LLM backend with its fallback.
#[derive(Debug)]
pub struct LlmNlu {
    http: reqwest::Client,
    url: String,
    config: LlmConfig,
    fallback: Arc<dyn Nlu>,
    breaker: Mutex<Breaker>,
}

#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
}

impl LlmNlu {
    /// A backend posting through `http` (a long-lived client), falling back to `fallback`.
    pub fn new(http: reqwest::Client, config: LlmConfig, fallback: Arc<dyn Nlu>) -> Self {
        let url = format!(
            "{}/chat/completions",
            config.base_url.trim().trim_end_matches('/')
        );
        Self {
            http,
            url,
            config,
            fallback,
            breaker: Mutex::new(Breaker::default()),
        }
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the endpoint may be asked now (closed, or open with its cooldown over).
    fn allowed(&self, now: Instant) -> bool {
        self.breaker().open_until.is_none_or(|until| now >= until)
    }

    fn record(&self, ok: bool, now: Instant) {
        let mut breaker = self.breaker();
        if ok {
            *breaker = Breaker::default();
            return;
        }
        breaker.failures = breaker.failures.saturating_add(1);
        if breaker.failures >= self.config.failure_threshold.max(1) {
            breaker.open_until = Some(now + self.config.cooldown);
        }
    }

    /// Asks the endpoint once and checks its answer.
    async fn ask(&self, text: &str, context: &NluContext) -> Result<NluResult> {
        let question = json!({
            "text": text,
            "reference_date": context.reference_date.to_string(),
            "conversation_language": context.conversation_language.map(Language::code),
            "last_question": context.last_question,
        });
        let body = json!({
            "model": self.config.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": instructions()},
                {"role": "user", "content": question.to_string()},
            ],
        });
        let mut request = self
            .http
            .post(&self.url)
            .timeout(self.config.timeout)
            .json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let response = request
            .send()
            .await
            .map_err(|e| NlpError::Backend(describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(NlpError::Backend(format!("HTTP {}", status.as_u16())));
        }
        let answer: ChatAnswer = response
            .json()
            .await
            .map_err(|e| NlpError::InvalidResponse(describe(&e)))?;
        let content = answer
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .ok_or_else(|| NlpError::InvalidResponse("no choices[0].message.content".into()))?;
        checked(&content, context)
    }
}

#[async_trait]
impl Nlu for LlmNlu {
    async fn parse(&self, text: &str, context: &NluContext) -> Result<NluResult> {
        if self.allowed(Instant::now()) {
            match self.ask(text, context).await {
                Ok(result) => {
                    self.record(true, Instant::now());
                    return Ok(result);
                }
                Err(error) => {
                    self.record(false, Instant::now());
                    tracing::warn!(error = %error, "LLM NLU failed; using the built-in engine");
                }
            }
        }
        self.fallback.parse(text, context).await
    }
}

/// The system prompt: the schema, in short.
fn instructions() -> String {
    let intents: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    format!(
        "You read one WhatsApp message a hotel guest wrote (Spanish, English or Portuguese) and \
         answer ONLY a JSON object {{\"language\":\"es|en|pt\",\"intent\":...,\"confidence\":0..1,\
         \"entities\":{{...}}}}. intent is one of: {}. entities may hold check_in and check_out \
         (YYYY-MM-DD, the stay's dates, resolved against reference_date, never before it), nights, \
         adults, children (integers, only when stated), room_type (single, double, twin, triple, \
         suite, family), booking_id, email, phone (E.164). Leave out what the message does not \
         state.",
        intents.join(", ")
    )
}

#[derive(Debug, Deserialize)]
struct ChatAnswer {
    #[serde(default)]
    choices: Vec<ChatChoice>,
}

#[derive(Debug, Deserialize)]
struct ChatChoice {
    message: ChatMessage,
}

#[derive(Debug, Deserialize)]
struct ChatMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    language: String,
    intent: String,
    confidence: f64,
    #[serde(default)]
    entities: Entities,
}

/// The endpoint's JSON as an [`NluResult`], refusing what the schema does not allow and dropping
/// dates the conventions rule out.
fn checked(content: &str, context: &NluContext) -> Result<NluResult> {
    let json = content
        .trim()
        .trim_start_matches("```json")
        .trim_start_matches("```")
        .trim_end_matches("```")
        .trim();
    let answer: Answer = serde_json::from_str(json)
        .map_err(|e| NlpError::InvalidResponse(format!("not the NLU JSON: {e}")))?;
    let language = match context.forced_language {
        Some(language) => language,
        None => answer
            .language
            .parse()
            .map_err(|_| NlpError::InvalidResponse(format!("language `{}`", answer.language)))?,
    };
    let intent: Intent = answer
        .intent
        .parse()
        .map_err(|_| NlpError::InvalidResponse(format!("intent `{}`", answer.intent)))?;
    if !answer.confidence.is_finite() {
        return Err(NlpError::InvalidResponse(
            "confidence is not a number".into(),
        ));
    }
    let confidence = (answer.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    let mut entities = answer.entities;
    keep_plausible_dates(&mut entities, context.reference_date);
    #[expect(clippy::cast_possible_truncation, reason = "a value in 0..=1")]
    Ok(NluResult {
        language,
        intent,
        confidence: confidence as f32,
        entities,
    })
}

fn keep_plausible_dates(entities: &mut Entities, reference: NaiveDate) {
    if entities.check_in.is_some_and(|d| d < reference) {
        entities.check_in = None;
    }
    if entities.check_out.is_some_and(|d| d <= reference) {
        entities.check_out = None;
    }
    if let (Some(check_in), Some(check_out)) = (entities.check_in, entities.check_out)
        && check_out <= check_in
    {
        entities.check_out = None;
    }
}

/// A reqwest error without its URL.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".into();
    }
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<endpoint>");
    }
    text
}
