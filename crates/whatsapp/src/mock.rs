//! A scriptable [`MessageSender`] for tests of the crates that send (feature `mock`).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use hotel_domain::OutboundMessage;

use crate::client::{Credentials, MessageSender, SendError, SendReceipt, SendResult};

/// One call to [`RecordingSender::send`].
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub phone_number_id: String,
    pub message: OutboundMessage,
    pub callback_data: Option<String>,
}

/// Records every send and answers with scripted results, then with `wamid.test-<n>` receipts.
#[derive(Debug, Default)]
pub struct RecordingSender {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    sent: Vec<SentMessage>,
    script: VecDeque<SendResult<SendReceipt>>,
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
    async fn send(
        &self,
        credentials: &Credentials,
        message: &OutboundMessage,
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
}

#[cfg(test)]
mod tests {
    use hotel_domain::WaId;

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
    }
}
