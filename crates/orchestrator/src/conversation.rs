//! [`ConversationOrchestrator`]: one guest message in, the replies out, the session updated.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::{
    Clock, InboundKind, InboundMessage, Language, OutboundBody, OutboundMessage, WaId,
};
use hotel_nlp::{Nlu, NluContext, NluResult};
use hotel_sessions::{Session, SessionError, SessionKey, SessionStore, Turn, TurnRole, Versioned};

use crate::reply::{
    Decision, Treatment, clarify_body, confirm_body, confirmation_question, decide, history_text,
    pending_confirmation, reply_body, reply_for_intent, routed_intent,
};
use crate::{Catalogue, MessageKey, Orchestrator, OrchestratorError, Result, TenantContext};

/// How many turns (guest and assistant lines) a session keeps; older ones are dropped.
pub const MAX_HISTORY_TURNS: usize = 20;
/// How many compare-and-set saves are tried before giving up on a session that keeps changing.
pub const MAX_SAVE_ATTEMPTS: u32 = 4;
/// The state of a conversation with nothing pending.
const IDLE_STATE: &str = "idle";
/// The session data key of the question the assistant asked last.
const LAST_QUESTION_KEY: &str = "last_question";

/// The conversation: loads the guest's session, asks the NLU, picks the reply from the catalogue
/// in the guest's language, and records both turns with a compare-and-set save.
#[derive(Debug)]
pub struct ConversationOrchestrator {
    nlu: Arc<dyn Nlu>,
    sessions: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    session_ttl: Duration,
}

impl ConversationOrchestrator {
    /// An orchestrator over these services; sessions live `session_ttl` after their last change.
    pub fn new(
        nlu: Arc<dyn Nlu>,
        sessions: Arc<dyn SessionStore>,
        clock: Arc<dyn Clock>,
        session_ttl: Duration,
    ) -> Self {
        Self {
            nlu,
            sessions,
            clock,
            session_ttl,
        }
    }

    /// Understands `text` in the light of the session so far.
    async fn understand(
        &self,
        tenant: &TenantContext,
        message: &InboundMessage,
        text: &str,
        session: Option<&Session>,
    ) -> Result<NluResult> {
        let last_question = session
            .and_then(|s| s.data.get(LAST_QUESTION_KEY))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let context = NluContext::new(tenant.local_date(message.sent_at))
            .with_conversation_language(session.and_then(|s| s.language))
            .with_last_question(last_question);
        Ok(self.nlu.parse(text, &context).await?)
    }

    /// The catalogue text `key` for this hotel.
    fn text_of(
        &self,
        catalogue: &Catalogue,
        language: Language,
        key: MessageKey,
        tenant: &TenantContext,
    ) -> OutboundBody {
        let text = catalogue.render(language, key, &[("hotel", &tenant.hotel_name)]);
        reply_body(catalogue, language, key, text)
    }

    /// A guest changed number (a `system` notice whose reply id is the new id): their
    /// conversation moves to the new id, unless one already exists there.
    async fn rekey(&self, tenant: &TenantContext, message: &InboundMessage) -> Result<()> {
        let Some(new_id) = message.reply_id.as_deref().map(str::trim) else {
            return Ok(());
        };
        if new_id.is_empty() || new_id == message.from.as_str() {
            return Ok(());
        }
        let old = SessionKey::new(tenant.tenant_id.clone(), message.from.clone());
        let new = SessionKey::new(tenant.tenant_id.clone(), WaId::new(new_id));
        let Some(stored) = self.sessions.load(&old).await? else {
            return Ok(());
        };
        match self
            .sessions
            .save(&new, &stored.value, None, self.session_ttl)
            .await
        {
            Ok(_) => {}
            Err(SessionError::Conflict { .. }) => {
                tracing::info!(tenant = %tenant.tenant_id, "the new number already has a conversation; keeping it");
            }
            Err(other) => return Err(other.into()),
        }
        self.sessions.delete(&old).await?;
        tracing::info!(tenant = %tenant.tenant_id, "conversation moved to the guest's new number");
        Ok(())
    }

    /// Saves `exchange` into the session, reloading and reapplying it when another writer got
    /// there first, up to [`MAX_SAVE_ATTEMPTS`] times.
    async fn record(
        &self,
        key: &SessionKey,
        mut loaded: Option<Versioned<Session>>,
        exchange: &Exchange,
    ) -> Result<()> {
        let mut attempt = 1;
        loop {
            let (expected, mut session) = match loaded {
                Some(stored) => (Some(stored.version), stored.value),
                None => (None, Session::default()),
            };
            exchange.apply_to(&mut session);
            match self
                .sessions
                .save(key, &session, expected, self.session_ttl)
                .await
            {
                Ok(_) => return Ok(()),
                Err(SessionError::Conflict { .. }) if attempt < MAX_SAVE_ATTEMPTS => {
                    tracing::debug!(tenant = %key.tenant, attempt, "session changed meanwhile; reloading");
                    attempt += 1;
                    loaded = self.sessions.load(key).await?;
                }
                Err(SessionError::Conflict { .. }) => {
                    return Err(OrchestratorError::SessionConflict { attempts: attempt });
                }
                Err(other) => return Err(other.into()),
            }
        }
    }
}

#[async_trait]
impl Orchestrator for ConversationOrchestrator {
    async fn handle(
        &self,
        tenant: &TenantContext,
        message: &InboundMessage,
    ) -> Result<Vec<OutboundMessage>> {
        let treatment = Treatment::of(message);
        if treatment == Treatment::Ignore {
            if message.kind == InboundKind::System {
                self.rekey(tenant, message).await?;
            }
            return Ok(Vec::new());
        }
        if message.tenant_id != tenant.tenant_id {
            tracing::warn!(tenant = %tenant.tenant_id, "message routed to another tenant's context");
        }
        let catalogue = Catalogue::builtin()?;
        let key = SessionKey::new(tenant.tenant_id.clone(), message.from.clone());
        let loaded = self.sessions.load(&key).await?;
        let session = loaded.as_ref().map(|stored| &stored.value);

        let understanding = match treatment.text_to_understand() {
            Some(text) => Some(self.understand(tenant, message, text, session).await?),
            None => None,
        };
        let guest_language = understanding
            .as_ref()
            .map(|u| u.language)
            .or(session.and_then(|s| s.language));
        let reply_language = tenant.reply_language(guest_language);
        let pending = pending_confirmation(
            session
                .and_then(|s| s.data.get(LAST_QUESTION_KEY))
                .and_then(serde_json::Value::as_str),
        );
        let (body, reply_key, last_question) = match treatment {
            Treatment::Acknowledge { reply, .. } => (
                self.text_of(catalogue, reply_language, reply, tenant),
                reply.as_str(),
                None,
            ),
            Treatment::Unreadable => (
                self.text_of(catalogue, reply_language, MessageKey::Unsupported, tenant),
                MessageKey::Unsupported.as_str(),
                None,
            ),
            Treatment::Conversation { .. } | Treatment::Ignore => {
                let understood = understanding.as_ref().map(|u| (u.intent, u.confidence));
                match decide(routed_intent(message), understood, pending) {
                    Decision::Act(intent) => {
                        let key = reply_for_intent(intent);
                        let text =
                            catalogue.render(reply_language, key, &[("hotel", &tenant.hotel_name)]);
                        (
                            reply_body(catalogue, reply_language, key, text),
                            key.as_str(),
                            None,
                        )
                    }
                    Decision::Confirm(intent) => (
                        confirm_body(catalogue, reply_language, intent),
                        "confirm_topic",
                        Some(confirmation_question(intent)),
                    ),
                    Decision::Clarify => (clarify_body(catalogue, reply_language), "clarify", None),
                }
            }
        };
        tracing::debug!(
            tenant = %tenant.tenant_id,
            kind = message.kind.as_str(),
            intent = understanding.as_ref().map(|u| u.intent.as_str()),
            confidence = understanding.as_ref().map(|u| u.confidence),
            language = %reply_language,
            reply = reply_key,
            "answering"
        );

        let exchange = Exchange {
            guest: Turn {
                role: TurnRole::Guest,
                text: history_text(message, &treatment),
                at: message.sent_at,
            },
            reply: Turn {
                role: TurnRole::Assistant,
                text: body_text(&body),
                at: self.clock.now(),
            },
            language: guest_language,
            last_question,
        };
        self.record(&key, loaded, &exchange).await?;
        Ok(vec![OutboundMessage {
            to: message.from.clone(),
            body,
            reply_to: None,
        }])
    }
}

/// The text of a reply as the history records it.
fn body_text(body: &OutboundBody) -> String {
    match body {
        OutboundBody::Text { body, .. } | OutboundBody::Choices { body, .. } => body.clone(),
        other => format!("[{}]", other.kind_name()),
    }
}

/// What one message changes in a session: two turns, the guest's language and the question
/// the reply leaves open.
#[derive(Debug)]
struct Exchange {
    guest: Turn,
    reply: Turn,
    language: Option<Language>,
    last_question: Option<String>,
}

impl Exchange {
    /// Applies the change to `session` (again, after a reload on conflict).
    fn apply_to(&self, session: &mut Session) {
        session.history.push(self.guest.clone());
        session.history.push(self.reply.clone());
        let excess = session.history.len().saturating_sub(MAX_HISTORY_TURNS);
        session.history.drain(..excess);
        if self.language.is_some() {
            session.language = self.language;
        }
        if session.state.is_empty() {
            IDLE_STATE.clone_into(&mut session.state);
        }
        match &self.last_question {
            Some(question) => {
                session.data.insert(
                    LAST_QUESTION_KEY.to_owned(),
                    serde_json::Value::String(question.clone()),
                );
            }
            None => {
                session.data.remove(LAST_QUESTION_KEY);
            }
        }
        session.updated_at = Some(self.updated_at());
    }

    fn updated_at(&self) -> DateTime<Utc> {
        self.reply.at
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn turn(role: TurnRole, text: &str) -> Turn {
        Turn {
            role,
            text: text.into(),
            at: Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap(),
        }
    }

    #[test]
    fn applying_an_exchange_bounds_history_and_keeps_known_language() {
        let mut session = Session {
            language: Some(Language::Pt),
            ..Session::default()
        };
        for i in 0..15 {
            let exchange = Exchange {
                guest: turn(TurnRole::Guest, &format!("guest {i}")),
                reply: turn(TurnRole::Assistant, &format!("reply {i}")),
                language: None,
                last_question: None,
            };
            exchange.apply_to(&mut session);
        }
        assert_eq!(session.history.len(), MAX_HISTORY_TURNS);
        assert_eq!(
            session.history.first().map(|t| t.text.as_str()),
            Some("guest 5")
        );
        assert_eq!(
            session.history.last().map(|t| t.text.as_str()),
            Some("reply 14")
        );
        assert_eq!(session.language, Some(Language::Pt));
        assert_eq!(session.state, IDLE_STATE);
        assert!(session.updated_at.is_some());
    }
}
