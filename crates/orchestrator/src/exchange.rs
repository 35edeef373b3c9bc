//! [`Exchange`]: what one message changes in a session: two turns, the guest's language, the
//! question the reply leaves open and the booking draft.

use chrono::{DateTime, Utc};
use hotel_domain::{Language, OutboundBody};
use hotel_sessions::{Session, Turn};

use crate::booking::DraftChange;

/// How many turns (guest and assistant lines) a session keeps; older ones are dropped.
pub const MAX_HISTORY_TURNS: usize = 20;
/// The state of a conversation with nothing pending.
pub(crate) const IDLE_STATE: &str = "idle";
/// The session data key of the question the assistant asked last.
pub(crate) const LAST_QUESTION_KEY: &str = "last_question";

/// The text of a reply as the history records it.
pub(crate) fn body_text(body: &OutboundBody) -> String {
    match body {
        OutboundBody::Text { body, .. } | OutboundBody::Choices { body, .. } => body.clone(),
        other => format!("[{}]", other.kind_name()),
    }
}

/// What one message changes in a session: two turns, the guest's language, the question the
/// reply leaves open and the booking draft.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) guest: Turn,
    pub(crate) reply: Turn,
    pub(crate) language: Option<Language>,
    pub(crate) last_question: Option<String>,
    /// What the message does to the booking draft.
    pub(crate) booking: DraftChange,
}

impl Exchange {
    /// Applies the change to `session` (again, after a reload on conflict).
    pub(crate) fn apply_to(&self, session: &mut Session) {
        session.history.push(self.guest.clone());
        session.history.push(self.reply.clone());
        let excess = session.history.len().saturating_sub(MAX_HISTORY_TURNS);
        session.history.drain(..excess);
        if self.language.is_some() {
            session.language = self.language;
        }
        self.booking.apply_to(session);
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
    use hotel_sessions::TurnRole;

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
                booking: DraftChange::Keep,
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
