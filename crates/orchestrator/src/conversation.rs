//! [`ConversationOrchestrator`]: one guest message in, the replies out, the session updated.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hotel_domain::{
    Clock, InboundKind, InboundMessage, Language, OutboundBody, OutboundMessage, WaId,
};
use hotel_nlp::{Nlu, NluContext, NluResult};
use hotel_sessions::{Session, SessionError, SessionKey, SessionStore, Turn, TurnRole, Versioned};

use crate::booking::{self, BookingDraft, BookingServices, DraftChange, Question};
use crate::exchange::{Exchange, LAST_QUESTION_KEY, body_text};
use crate::reply::{
    Decision, Treatment, clarify_body, confirm_body, confirmation_question, decide, history_text,
    pending_confirmation, reply_body, reply_for_intent, routed_intent,
};
use crate::{Catalogue, MessageKey, Orchestrator, OrchestratorError, Result, TenantContext};

/// How many compare-and-set saves are tried before giving up on a session that keeps changing.
pub const MAX_SAVE_ATTEMPTS: u32 = 4;
/// While a booking is being put together, messages shorter than this many words keep the
/// conversation's language (a name, an e-mail or "2" says little about the language).
const SHORT_ANSWER_WORDS: usize = 4;

/// The conversation: loads the guest's session, asks the NLU, picks the reply from the catalogue
/// in the guest's language, and records both turns with a compare-and-set save.
#[derive(Debug)]
pub struct ConversationOrchestrator {
    nlu: Arc<dyn Nlu>,
    sessions: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    session_ttl: Duration,
    booking: Option<BookingServices>,
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
            booking: None,
        }
    }

    /// The same orchestrator running the booking conversation (availability, holds, payment,
    /// booking) with these services; each hotel's rules come with its [`TenantContext`].
    /// Without it, availability and booking requests get the general help reply.
    #[must_use]
    pub fn with_booking(mut self, services: BookingServices) -> Self {
        self.booking = Some(services);
        self
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
        let today = tenant.local_date(message.sent_at);
        // A draft whose check-in has passed is forgotten (replaced by the next one).
        let draft = self
            .booking
            .as_ref()
            .and(session)
            .and_then(BookingDraft::from_session)
            .filter(|draft| !draft.is_stale(today));
        let drafting = draft.as_ref().is_some_and(|d| d.stage.is_open());
        let understood_language = understanding.as_ref().map(|u| u.language);
        let session_language = session.and_then(|s| s.language);
        let short_answer = treatment
            .text_to_understand()
            .is_some_and(|text| text.split_whitespace().count() < SHORT_ANSWER_WORDS);
        let guest_language = if drafting && short_answer {
            session_language.or(understood_language)
        } else {
            understood_language.or(session_language)
        };
        let reply_language = tenant.reply_language(guest_language);
        let asked = session
            .and_then(|s| s.data.get(LAST_QUESTION_KEY))
            .and_then(serde_json::Value::as_str);
        let routed = routed_intent(message);
        let decision = matches!(treatment, Treatment::Conversation { .. }).then(|| {
            let understood = understanding.as_ref().map(|u| (u.intent, u.confidence));
            decide(routed, understood, pending_confirmation(asked))
        });
        let booked = match &self.booking {
            Some(services) => {
                let ctx = booking::Ctx {
                    services,
                    tenant,
                    guest: &message.from,
                    phone_number_id: Some(&message.phone_number_id),
                    language: reply_language,
                    catalogue,
                };
                let input = booking::Incoming {
                    kind: message.kind,
                    text: match treatment {
                        Treatment::Conversation { text } => Some(text),
                        _ => None,
                    },
                    room_pick: booking::room_pick(message),
                    understanding: understanding.as_ref(),
                    routed,
                    decision,
                    question: Question::parse(asked),
                };
                booking::step(&ctx, &input, draft).await
            }
            None => None,
        };
        let (bodies, reply_key, last_question, draft_change) = match booked {
            Some(reply) => (
                reply.bodies,
                reply.key.as_str(),
                reply.question.map(|q| q.as_str().to_owned()),
                reply.draft,
            ),
            None => {
                let (body, key, question) =
                    self.general_reply(catalogue, tenant, &treatment, decision, reply_language);
                // A booking question stays open across an aside ("gracias", "¿tienen pileta?").
                let question = question.or_else(|| {
                    (drafting && Question::parse(asked).is_some())
                        .then(|| asked.map(str::to_owned))
                        .flatten()
                });
                (vec![body], key, question, DraftChange::Keep)
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
                text: bodies
                    .iter()
                    .map(body_text)
                    .collect::<Vec<_>>()
                    .join("\n\n"),
                at: self.clock.now(),
            },
            language: guest_language,
            last_question,
            booking: draft_change,
        };
        self.record(&key, loaded, &exchange).await?;
        Ok(bodies
            .into_iter()
            .map(|body| OutboundMessage {
                to: message.from.clone(),
                body,
                reply_to: None,
            })
            .collect())
    }
}

impl ConversationOrchestrator {
    /// The general reply (no booking involved): acknowledgements, small talk, help, the
    /// confidence policy's confirmations and clarifications. Returns the body, its catalogue key
    /// and the question it leaves open.
    fn general_reply(
        &self,
        catalogue: &Catalogue,
        tenant: &TenantContext,
        treatment: &Treatment<'_>,
        decision: Option<Decision>,
        language: Language,
    ) -> (OutboundBody, &'static str, Option<String>) {
        match (treatment, decision) {
            (Treatment::Acknowledge { reply, .. }, _) => (
                self.text_of(catalogue, language, *reply, tenant),
                reply.as_str(),
                None,
            ),
            (Treatment::Unreadable, _) => (
                self.text_of(catalogue, language, MessageKey::Unsupported, tenant),
                MessageKey::Unsupported.as_str(),
                None,
            ),
            (_, Some(Decision::Act(intent))) => {
                let key = reply_for_intent(intent);
                (
                    self.text_of(catalogue, language, key, tenant),
                    key.as_str(),
                    None,
                )
            }
            (_, Some(Decision::Confirm(intent))) => (
                confirm_body(catalogue, language, intent),
                "confirm_topic",
                Some(confirmation_question(intent)),
            ),
            (_, Some(Decision::Clarify) | None) => {
                (clarify_body(catalogue, language), "clarify", None)
            }
        }
    }
}
