//! A scriptable [`MessageSender`] for tests of the crates that send (feature `mock`).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::client::{Credentials, MessageSender, SendError, SendReceipt, SendResult};
use crate::outbound::PreparedMessage;

/// One call to [`RecordingSender::send_prepared`] (or `send`, which goes through it).
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub phone_number_id: String,
    /// What was sent; [`PreparedMessage::to_json`] gives the exact request body.
    pub message: PreparedMessage,
    pub callback_data: Option<String>,
}

/// One call to [`RecordingSender::mark_read`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMark {
    pub phone_number_id: String,
    pub message_id: String,
    pub typing: bool,
}

/// Records every send and answers with scripted results, then with `wamid.test-<n>` receipts.
/// Records every mark-as-read and answers with scripted results, then `Ok`.
#[derive(Debug, Default)]
pub struct RecordingSender {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    sent: Vec<SentMessage>,
    script: VecDeque<SendResult<SendReceipt>>,
    read: Vec<ReadMark>,
    read_script: VecDeque<SendResult<()>>,
    receipts: u64,
}

impl RecordingSender {
    /// A sender that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues the answer to a coming send (first queued, first answered).
    pub fn push_result(&self, result: SendResult<SendReceipt>) {
        self.state().script.push_back(result);
    }

    /// Queues a failure for a coming send.
    pub fn push_error(&self, error: SendError) {
        self.push_result(Err(error));
    }

    /// Queues a failure for a coming mark-as-read.
    pub fn push_read_error(&self, error: SendError) {
        self.state().read_script.push_back(Err(error));
    }

    /// Every mark-as-read so far, including failed ones.
    pub fn read_marks(&self) -> Vec<ReadMark> {
        self.state().read.clone()
    }

    /// Every send so far, including failed ones.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.state().sent.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl MessageSender for RecordingSender {
    async fn send_prepared(
        &self,
        credentials: &Credentials,
        message: &PreparedMessage,
        callback_data: Option<&str>,
    ) -> SendResult<SendReceipt> {
        let mut state = self.state();
        state.sent.push(SentMessage {
            phone_number_id: credentials.phone_number_id.clone(),
            message: message.clone(),
            callback_data: callback_data.map(str::to_owned),
        });
        if let Some(result) = state.script.pop_front() {
            return result;
        }
        state.receipts += 1;
        Ok(SendReceipt {
            provider_message_id: format!("wamid.test-{}", state.receipts),
        })
    }

    async fn mark_read(
        &self,
        credentials: &Credentials,
        message_id: &str,
        typing: bool,
    ) -> SendResult<()> {
        let mut state = self.state();
        state.read.push(ReadMark {
            phone_number_id: credentials.phone_number_id.clone(),
            message_id: message_id.to_owned(),
            typing,
        });
        state.read_script.pop_front().unwrap_or(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use hotel_domain::{OutboundMessage, WaId};

    use super::*;

    #[tokio::test]
    async fn records_and_follows_the_script() {
        let sender = RecordingSender::new();
        sender.push_error(SendError::Timeout);
        let credentials = Credentials::new("1", "t");
        let message = OutboundMessage::text(WaId::new("54"), "hola");
        assert_eq!(
            sender.send(&credentials, &message, Some("row-1")).await,
            Err(SendError::Timeout)
        );
        let receipt = sender.send(&credentials, &message, None).await.unwrap();
        assert_eq!(receipt.provider_message_id, "wamid.test-1");
        let sent = sender.sent();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].callback_data.as_deref(), Some("row-1"));
        assert_eq!(sent[1].phone_number_id, "1");
        assert_eq!(sent[1].message.text(), Some("hola"));
        assert_eq!(sent[1].message.to_json(None)["to"], "54");
    }

    #[tokio::test]
    async fn refuses_what_needs_several_messages_without_recording() {
        let sender = RecordingSender::new();
        let long = OutboundMessage::text(WaId::new("54"), "palabra ".repeat(600));
        let error = sender
            .send(&Credentials::new("1", "t"), &long, None)
            .await
            .unwrap_err();
        assert!(matches!(error, SendError::InvalidRequest(_)), "{error:?}");
        assert!(sender.sent().is_empty());
    }

    #[tokio::test]
    async fn records_read_marks() {
        let sender = RecordingSender::new();
        let credentials = Credentials::new("1", "t");
        sender.push_read_error(SendError::Timeout);
        assert_eq!(
            sender.mark_read(&credentials, "wamid.a", true).await,
            Err(SendError::Timeout)
        );
        assert_eq!(
            sender.mark_read(&credentials, "wamid.b", false).await,
            Ok(())
        );
        let marks = sender.read_marks();
        assert_eq!(marks.len(), 2);
        assert!(marks[0].typing && !marks[1].typing);
        assert_eq!(marks[1].message_id, "wamid.b");
    }
}
