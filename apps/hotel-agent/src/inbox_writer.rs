//! Group commit for the webhook's inbox inserts: the messages of webhooks that arrive together are
//! stored in one transaction, so fifty concurrent deliveries cost one commit, not fifty. Each
//! webhook still answers only after its own messages are durable. This is for SQLite, whose writes
//! go through one connection anyway; on PostgreSQL each webhook inserts on its own pooled
//! connection, in parallel.

use std::sync::Arc;

use hotel_domain::{Clock, InboundMessage};
use hotel_store::{Backend, Store};
use tokio::sync::{mpsc, oneshot};

/// Webhooks whose messages are stored together at most.
const MAX_BATCH: usize = 128;
/// Webhooks waiting for the writer at most; more wait for room (back-pressure).
const QUEUE: usize = 1024;

/// Why the messages could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum InboxWriteError {
    #[error("storing inbound messages failed: {0}")]
    Store(String),
    #[error("the inbox writer has stopped")]
    Stopped,
}

struct Job {
    messages: Vec<InboundMessage>,
    done: oneshot::Sender<Result<Vec<bool>, InboxWriteError>>,
}

/// A handle to the inbox writer task.
#[derive(Debug, Clone)]
pub struct InboxWriter {
    mode: Mode,
}

#[derive(Debug, Clone)]
enum Mode {
    Batched(mpsc::Sender<Job>),
    Direct(Store, Arc<dyn Clock>),
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("messages", &self.messages.len())
            .finish()
    }
}

impl InboxWriter {
    /// Starts the writer task; it ends when every handle is dropped.
    pub fn start(store: Store, clock: Arc<dyn Clock>) -> InboxWriter {
        if store.backend() == Backend::Postgres {
            return InboxWriter {
                mode: Mode::Direct(store, clock),
            };
        }
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(store, clock, queue));
        InboxWriter {
            mode: Mode::Batched(jobs),
        }
    }

    /// Stores `messages` (with the messages of concurrent calls) and returns, per message, whether
    /// it was new (`false`: a duplicate delivery).
    pub async fn insert(
        &self,
        messages: Vec<InboundMessage>,
    ) -> Result<Vec<bool>, InboxWriteError> {
        match &self.mode {
            Mode::Direct(store, clock) => store
                .insert_inbound(&messages, clock.now())
                .await
                .map_err(|e| InboxWriteError::Store(e.to_string())),
            Mode::Batched(jobs) => {
                let (done, result) = oneshot::channel();
                jobs.send(Job { messages, done })
                    .await
                    .map_err(|_| InboxWriteError::Stopped)?;
                result.await.map_err(|_| InboxWriteError::Stopped)?
            }
        }
    }
}

async fn run(store: Store, clock: Arc<dyn Clock>, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let all: Vec<InboundMessage> = jobs
            .iter()
            .flat_map(|job| job.messages.iter().cloned())
            .collect();
        match store.insert_inbound(&all, clock.now()).await {
            Ok(flags) => {
                let mut flags = flags.into_iter();
                for job in jobs {
                    let mine: Vec<bool> = flags.by_ref().take(job.messages.len()).collect();
                    let _ = job.done.send(Ok(mine));
                }
            }
            Err(error) => {
                tracing::error!(error = %error, batch = all.len(), "storing inbound messages failed");
                for job in jobs {
                    let _ = job
                        .done
                        .send(Err(InboxWriteError::Store(error.to_string())));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use hotel_domain::{InboundKind, Language, SystemClock, TenantId, WaId};
    use hotel_store::Backend;
    use hotel_store::testing::test_store;

    fn message(id: &str) -> InboundMessage {
        InboundMessage {
            tenant_id: TenantId::new("default"),
            phone_number_id: "1".into(),
            provider_message_id: id.into(),
            from: WaId::new("5491100000000"),
            profile_name: None,
            kind: InboundKind::Text,
            text: Some("hola".into()),
            reply_id: None,
            context_message_id: None,
            attachment: None,
            sent_at: chrono::Utc
                .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
                .unwrap(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_inserts_are_stored_once_each_sqlite() {
        concurrent_inserts_are_stored_once_each_with_their_own_answers(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_inserts_are_stored_once_each_postgres() {
        concurrent_inserts_are_stored_once_each_with_their_own_answers(Backend::Postgres).await;
    }

    async fn concurrent_inserts_are_stored_once_each_with_their_own_answers(backend: Backend) {
        let db = test_store(backend).await;
        let tenant = hotel_store::NewTenant {
            id: TenantId::new("default"),
            name: "Demo".into(),
            phone_number_id: Some("1".into()),
            timezone: "UTC".into(),
            default_language: Language::Es,
        };
        db.store
            .upsert_tenant(&tenant, chrono::Utc::now())
            .await
            .unwrap();
        let writer = InboxWriter::start(db.store.clone(), Arc::new(SystemClock));
        let mut tasks = Vec::new();
        for i in 0..40 {
            let writer = writer.clone();
            // Every id is sent twice, concurrently: exactly one copy is new.
            let ids = vec![
                message(&format!("wamid.{}", i % 20)),
                message(&format!("wamid.x{i}")),
            ];
            tasks.push(tokio::spawn(
                async move { writer.insert(ids).await.unwrap() },
            ));
        }
        let mut new_of_shared = 0;
        for task in tasks {
            let flags = task.await.unwrap();
            assert_eq!(flags.len(), 2);
            assert!(flags[1], "unique ids are always new");
            new_of_shared += usize::from(flags[0]);
        }
        assert_eq!(new_of_shared, 20);
        let tenant = TenantId::new("default");
        assert!(
            db.store
                .inbound_by_provider_id(&tenant, "wamid.7")
                .await
                .unwrap()
                .is_some()
        );
    }

    #[tokio::test]
    async fn a_failing_store_fails_every_waiting_webhook() {
        let db = test_store(Backend::Sqlite).await;
        // No tenant row: the foreign key refuses the insert.
        let writer = InboxWriter::start(db.store.clone(), Arc::new(SystemClock));
        let error = writer
            .insert(vec![message("wamid.orphan")])
            .await
            .unwrap_err();
        assert!(matches!(error, InboxWriteError::Store(_)));
    }
}
