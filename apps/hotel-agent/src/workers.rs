//! Background workers: the inbox processor (guest messages → orchestrator → outbox, one guest's
//! messages in order) and the outbox sender (outbox → Cloud API, retried by Meta's error code).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use hotel_domain::{InboundMessage, OutboundBody, OutboundMessage};
use hotel_observability::names;
use hotel_sessions::SessionKey;
use hotel_store::{ClaimedInbound, NewOutbound, OutboundRecord};
use hotel_whatsapp::{
    Credentials, MAX_TEXT_CODE_POINTS, Pace, SendError, SendReceipt, SendResult, prepare,
    send_with_number_fallback, split_text,
};
use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::state::AppState;
use crate::tenants::TenantRuntime;
use crate::window;

/// The running workers; dropping the handle does not stop them, [`Workers::shutdown`] does.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts the inbox processor, the outbox sender and the outbox gauge.
    pub fn start(state: Arc<AppState>) -> Workers {
        let (stop, stopped) = watch::channel(false);
        let worker_id = format!("w-{}", uuid::Uuid::now_v7());
        let tasks = vec![
            tokio::spawn(inbox_loop(
                Arc::clone(&state),
                format!("{worker_id}-in"),
                stopped.clone(),
            )),
            tokio::spawn(outbox_loop(
                Arc::clone(&state),
                format!("{worker_id}-out"),
                stopped.clone(),
            )),
            tokio::spawn(maintenance_loop(Arc::clone(&state), stopped.clone())),
            tokio::spawn(gauge_loop(state, stopped)),
        ];
        Workers { stop, tasks }
    }

    /// Stops the workers after their current batch and waits for them.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Waits for a wake-up, the poll interval, or the stop signal; returns false when stopping.
async fn idle(
    notify: &tokio::sync::Notify,
    poll: Duration,
    stopped: &mut watch::Receiver<bool>,
) -> bool {
    tokio::select! {
        () = notify.notified() => true,
        () = tokio::time::sleep(poll) => true,
        _ = stopped.changed() => false,
    }
}

/// Runs each row of a claimed batch as its own task and waits for them all. Each row is a task
/// so that a batch spreads over the runtime's threads (the SQLite store works in place on the
/// calling thread). A task that panicked leaves its row leased; the lease expiry hands it to a
/// later claim.
async fn run_batch<R, F, Fut>(
    state: &Arc<AppState>,
    worker: &str,
    batch: Vec<R>,
    what: &str,
    work: F,
) where
    R: Send + 'static,
    F: Fn(Arc<AppState>, String, R) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for row in batch {
        tasks.spawn(work(Arc::clone(state), worker.to_owned(), row));
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(error) = joined {
            tracing::error!(%error, "a {what} task failed; its row is retried when its lease ends");
        }
    }
}

/// Exponential backoff with jitter: `base · 2^(attempt-1)`, capped, then scaled by 50–100 %.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let exponent = attempt.saturating_sub(1).min(20);
    let raw = base.saturating_mul(1u32 << exponent).min(max);
    let factor = rand::rng().random_range(0.5..=1.0);
    raw.mul_f64(factor)
}

fn at(now: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(after).unwrap_or_else(|_| chrono::Duration::seconds(60))
}

async fn inbox_loop(state: Arc<AppState>, worker: String, mut stopped: watch::Receiver<bool>) {
    let cfg = state.settings.workers.clone();
    let lease = Duration::from_secs(cfg.lease_secs);
    let poll = Duration::from_millis(cfg.poll_interval_ms);
    loop {
        if *stopped.borrow() {
            return;
        }
        match state
            .store
            .claim_inbound(&worker, cfg.inbox_concurrency, state.clock.now(), lease)
            .await
        {
            Ok(batch) if !batch.is_empty() => {
                run_batch(
                    &state,
                    &worker,
                    batch,
                    "processing",
                    |state, worker, row| async move {
                        process_inbound(&state, &worker, row).await;
                    },
                )
                .await;
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "claiming inbound messages failed"),
        }
        if !idle(&state.inbox_ready, poll, &mut stopped).await {
            return;
        }
    }
}

async fn process_inbound(state: &AppState, worker: &str, row: ClaimedInbound) {
    let span = tracing::info_span!("inbound", id = row.id, tenant = %row.message.tenant_id,
        guest = %hotel_observability::redact::hash_wa_id(row.message.from.as_str()), kind = row.message.kind.as_str());
    process_inbound_in_span(state, worker, row)
        .instrument(span)
        .await;
}

async fn process_inbound_in_span(state: &AppState, worker: &str, row: ClaimedInbound) {
    let started = Instant::now();
    let message = &row.message;
    state
        .recent_guests
        .record(&message.tenant_id, message.from.as_str(), message.sent_at);
    let outcome = async {
        let tenant = state
            .tenants
            .by_id(&message.tenant_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("tenant {} no longer exists", message.tenant_id))?;
        if state.settings.whatsapp.mark_read {
            mark_read(state, &tenant, message).await;
        }
        let replies = state.orchestrator.handle(&tenant.context, message).await?;
        let outbound: Vec<NewOutbound> = replies
            .into_iter()
            .flat_map(one_message_each)
            .map(|reply| NewOutbound {
                tenant_id: message.tenant_id.clone(),
                phone_number_id: message.phone_number_id.clone(),
                to: reply.to,
                inbound_id: Some(row.id),
                body: reply.body,
                reply_to: reply.reply_to,
            })
            .collect();
        let has_replies = !outbound.is_empty();
        let completed = state
            .store
            .complete_inbound(row.id, worker, &outbound, state.clock.now())
            .await?;
        if completed && let Some(media) = &state.media {
            media.spawn_download(
                tenant.credentials(&message.phone_number_id),
                row.id,
                message,
            );
        }
        anyhow::Ok((completed, has_replies))
    }
    .await;
    let result = match outcome {
        Ok((true, has_replies)) => {
            if has_replies {
                state.outbox_ready.notify_one();
            }
            "done"
        }
        Ok((false, _)) => {
            tracing::warn!("lease lost while processing; another worker owns the message now");
            "lease_lost"
        }
        Err(error) => {
            let text = format!("{error:#}");
            let cfg = &state.settings.workers;
            let now = state.clock.now();
            let (result, stored) = if u32::try_from(row.attempts).unwrap_or(u32::MAX)
                >= cfg.max_process_attempts
            {
                tracing::error!(error = %text, attempts = row.attempts, "processing failed for good");
                (
                    "dead",
                    state.store.fail_inbound(row.id, worker, &text, now).await,
                )
            } else {
                let delay = backoff(
                    u32::try_from(row.attempts).unwrap_or(1),
                    Duration::from_millis(cfg.retry_base_ms),
                    Duration::from_millis(cfg.retry_max_ms),
                );
                tracing::warn!(error = %text, attempts = row.attempts, "processing failed; will retry");
                (
                    "retry",
                    state
                        .store
                        .retry_inbound(row.id, worker, &text, at(now, delay))
                        .await,
                )
            };
            if let Err(e) = stored {
                tracing::error!(error = %e, "recording the processing failure failed");
            }
            metrics::counter!(names::INBOUND_PROCESSING_FAILURES_TOTAL, "result" => result)
                .increment(1);
            result
        }
    };
    metrics::histogram!(names::MESSAGE_PROCESSING_DURATION_SECONDS, "result" => result)
        .record(started.elapsed().as_secs_f64());
}

/// Queues messages to a guest that answer no stored guest message (staff replies, follow-ups):
/// long texts are cut as replies are, and the sender is woken. Returns the outbox ids.
pub async fn enqueue_messages(
    state: &AppState,
    tenant: &hotel_domain::TenantId,
    phone_number_id: &str,
    messages: Vec<OutboundMessage>,
) -> anyhow::Result<Vec<i64>> {
    let rows = outbound_rows(tenant, phone_number_id, messages);
    let ids = state
        .store
        .enqueue_outbound(&rows, state.clock.now())
        .await?;
    state.outbox_ready.notify_one();
    Ok(ids)
}

/// The outbox rows of messages to a guest that answer no stored guest message, sent from
/// `phone_number_id`: long texts are cut as replies are. For callers that queue them in a
/// transaction of their own (then wake the sender with `outbox_ready`).
pub fn outbound_rows(
    tenant: &hotel_domain::TenantId,
    phone_number_id: &str,
    messages: Vec<OutboundMessage>,
) -> Vec<NewOutbound> {
    messages
        .into_iter()
        .flat_map(one_message_each)
        .map(|message| NewOutbound {
            tenant_id: tenant.clone(),
            phone_number_id: phone_number_id.to_owned(),
            to: message.to,
            inbound_id: None,
            body: message.body,
            reply_to: message.reply_to,
        })
        .collect()
}

/// A reply as outbox rows: a text longer than WhatsApp allows becomes several rows, cut on
/// paragraph, line or sentence boundaries, so each part is sent, retried and finalised on its
/// own, in order. Other bodies stay one row.
fn one_message_each(reply: OutboundMessage) -> Vec<OutboundMessage> {
    let OutboundBody::Text { body, preview_url } = &reply.body else {
        return vec![reply];
    };
    if body.chars().count() <= MAX_TEXT_CODE_POINTS {
        return vec![reply];
    }
    split_text(body, MAX_TEXT_CODE_POINTS)
        .into_iter()
        .enumerate()
        .map(|(index, part)| OutboundMessage {
            to: reply.to.clone(),
            body: OutboundBody::Text {
                body: part,
                preview_url: *preview_url,
            },
            reply_to: reply.reply_to.clone().filter(|_| index == 0),
        })
        .collect()
}

/// Marks the guest's message read, with "typing…" when an answer will follow. Best effort: a
/// failure is logged and the conversation goes on.
async fn mark_read(state: &AppState, tenant: &TenantRuntime, message: &InboundMessage) {
    let credentials = tenant.credentials(&message.phone_number_id);
    let typing = message.kind.expects_reply();
    if let Err(e) = state
        .sender
        .mark_read(&credentials, &message.provider_message_id, typing)
        .await
    {
        tracing::debug!(error = %e, "marking the message read failed");
    }
}

async fn outbox_loop(state: Arc<AppState>, worker: String, mut stopped: watch::Receiver<bool>) {
    let cfg = state.settings.workers.clone();
    let lease = Duration::from_secs(
        cfg.lease_secs
            .max(state.settings.whatsapp.request_timeout_secs * 2),
    );
    let poll = Duration::from_millis(cfg.poll_interval_ms);
    loop {
        if *stopped.borrow() {
            return;
        }
        match state
            .store
            .claim_outbound(&worker, cfg.outbox_concurrency, state.clock.now(), lease)
            .await
        {
            Ok(batch) if !batch.is_empty() => {
                run_batch(
                    &state,
                    &worker,
                    batch,
                    "delivery",
                    |state, worker, row| async move {
                        deliver(&state, &worker, row).await;
                    },
                )
                .await;
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "claiming outbound messages failed"),
        }
        if !idle(&state.outbox_ready, poll, &mut stopped).await {
            return;
        }
    }
}

async fn deliver(state: &AppState, worker: &str, row: OutboundRecord) {
    let span = tracing::info_span!("outbound", id = row.id, tenant = %row.tenant_id, attempt = row.attempts);
    deliver_in_span(state, worker, row).instrument(span).await;
}

async fn deliver_in_span(state: &AppState, worker: &str, row: OutboundRecord) {
    let tenant = match state.tenants.by_id(&row.tenant_id).await {
        Ok(Some(tenant)) => tenant,
        Ok(None) => {
            let error = "the tenant no longer exists";
            if let Err(e) = state
                .store
                .mark_outbound_dead(row.id, worker, error, None, state.clock.now())
                .await
            {
                tracing::error!(error = %e, "marking the message dead failed");
            }
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "loading the tenant failed; retrying later");
            let next = at(
                state.clock.now(),
                Duration::from_millis(state.settings.workers.retry_base_ms),
            );
            let _ = state
                .store
                .mark_outbound_retry(row.id, worker, "tenant lookup failed", None, next)
                .await;
            return;
        }
    };
    let body = match body_for_window(state, &tenant, &row).await {
        Ok(Some(body)) => body,
        Ok(None) => {
            tracing::warn!("the guest's 24-hour window has closed and no template is configured");
            metrics::counter!(names::OUTBOUND_MESSAGES_TOTAL, "status" => "dead").increment(1);
            let error = "not sent: the guest's 24-hour customer-service window has closed and \
                         no template is configured (whatsapp.window_template)";
            if let Err(e) = state
                .store
                .mark_outbound_dead(
                    row.id,
                    worker,
                    error,
                    Some(window::WINDOW_CLOSED_CODE),
                    state.clock.now(),
                )
                .await
            {
                tracing::error!(error = %e, "marking the message dead failed");
            }
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "checking the customer-service window failed; retrying later");
            let next = at(
                state.clock.now(),
                Duration::from_millis(state.settings.workers.retry_base_ms),
            );
            let _ = state
                .store
                .mark_outbound_retry(row.id, worker, "window check failed", None, next)
                .await;
            return;
        }
    };
    let credentials = tenant.credentials(&row.phone_number_id);
    let message = OutboundMessage {
        to: row.to.clone(),
        body,
        reply_to: row.reply_to.clone(),
    };
    if let Pace::Wait(wait) = state.pacer.check(
        &credentials.phone_number_id,
        message.to.as_str(),
        Instant::now(),
    ) {
        metrics::counter!(names::WHATSAPP_SEND_DEFERRED_TOTAL).increment(1);
        tracing::debug!(?wait, "rate limit reached; deferring the send");
        if let Err(e) = state
            .store
            .defer_outbound(row.id, worker, at(state.clock.now(), wait))
            .await
        {
            tracing::error!(error = %e, "deferring the send failed");
        }
        return;
    }
    let sent = send_pieces(state, &credentials, &message, row.id).await;
    let now = state.clock.now();
    let cfg = &state.settings.workers;
    let recorded = match sent {
        Ok(receipt) => {
            metrics::counter!(names::WHATSAPP_SEND_ATTEMPTS_TOTAL, "result" => "accepted", "code" => "none").increment(1);
            state
                .store
                .mark_outbound_accepted(row.id, worker, &receipt.provider_message_id, now)
                .await
        }
        Err(error) => {
            let code = error.code();
            let code_label = code.map_or_else(|| "none".to_owned(), |c| c.to_string());
            // Stored on the row for operators; SendError never contains the token.
            let text = error.to_string();
            let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
            if error.is_retryable() && attempts < cfg.max_send_attempts {
                let delay = backoff(
                    attempts,
                    Duration::from_millis(cfg.retry_base_ms),
                    Duration::from_millis(cfg.retry_max_ms),
                )
                .max(error.min_retry_delay(attempts).unwrap_or_default());
                tracing::warn!(error = %text, ?delay, "send failed; will retry");
                metrics::counter!(names::WHATSAPP_SEND_ATTEMPTS_TOTAL, "result" => "retry", "code" => code_label).increment(1);
                state
                    .store
                    .mark_outbound_retry(row.id, worker, &text, code, at(now, delay))
                    .await
            } else {
                tracing::error!(error = %text, "send failed for good; dead letter");
                metrics::counter!(names::WHATSAPP_SEND_ATTEMPTS_TOTAL, "result" => "dead", "code" => code_label).increment(1);
                metrics::counter!(names::OUTBOUND_MESSAGES_TOTAL, "status" => "dead").increment(1);
                state
                    .store
                    .mark_outbound_dead(row.id, worker, &text, code, now)
                    .await
            }
        }
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, "recording the send outcome failed");
    }
}

/// Sends `message` as the one or more Cloud API messages it takes, in order (a caption or an
/// interactive body too long for one message is followed or preceded by text), answering a
/// 131030 "recipient not allowed" once with the number's alternate form (Argentina's `549…` as
/// `54…`). The receipt is the last message's: its statuses finalise the row. A failure part-way
/// fails the whole row, so a retry may repeat the pieces already sent.
async fn send_pieces(
    state: &AppState,
    credentials: &Credentials,
    message: &OutboundMessage,
    row_id: i64,
) -> SendResult<SendReceipt> {
    let prepared = prepare(message)?;
    if !prepared.adjustments.is_empty() {
        tracing::debug!(adjustments = ?prepared.adjustments, "reshaped to fit WhatsApp's limits");
    }
    let mut last = None;
    for (index, piece) in prepared.messages.iter().enumerate() {
        let callback = match index {
            0 => format!("outbox:{row_id}"),
            n => format!("outbox:{row_id}:{n}"),
        };
        let started = Instant::now();
        let sent =
            send_with_number_fallback(state.sender.as_ref(), credentials, piece, Some(&callback))
                .await;
        metrics::histogram!(names::WHATSAPP_SEND_DURATION_SECONDS)
            .record(started.elapsed().as_secs_f64());
        let (receipt, alternate) = sent?;
        if alternate.is_some() {
            tracing::info!("sent to the number's alternate form after a 131030");
        }
        last = Some(receipt);
    }
    last.ok_or_else(|| SendError::InvalidRequest("nothing to send".into()))
}

/// What to send for `row` now: its body while the guest's 24-hour window is open (re-checked at
/// send time, since a retried message may outlive it), else the re-engagement template in the
/// guest's language, else `None`.
async fn body_for_window(
    state: &AppState,
    tenant: &TenantRuntime,
    row: &OutboundRecord,
) -> anyhow::Result<Option<OutboundBody>> {
    if row.body.allowed_outside_window() {
        return Ok(Some(row.body.clone()));
    }
    let margin =
        chrono::Duration::minutes(i64::from(state.settings.whatsapp.window_margin_minutes));
    let seen = state.recent_guests.latest(&row.tenant_id, row.to.as_str());
    if window::is_open(seen, state.clock.now(), margin) {
        return Ok(Some(row.body.clone()));
    }
    let last = state
        .store
        .last_inbound(&row.tenant_id, row.to.as_str())
        .await?;
    let open = window::is_open(last.as_ref().map(|l| l.sent_at), state.clock.now(), margin);
    if open {
        return Ok(Some(row.body.clone()));
    }
    let key = SessionKey::new(row.tenant_id.clone(), row.to.clone());
    let language = match state.sessions.load(&key).await {
        Ok(session) => session.and_then(|s| s.value.language),
        Err(e) => {
            tracing::warn!(error = %e, "loading the session for the template language failed");
            None
        }
    }
    .unwrap_or(tenant.context.default_language);
    let values = window::TemplateValues {
        hotel_name: &tenant.context.hotel_name,
        guest_name: last.as_ref().and_then(|l| l.profile_name.as_deref()),
    };
    let body = window::window_template(&state.settings.whatsapp, language, &values);
    let outcome = if body.is_some() { "template" } else { "dead" };
    metrics::counter!(names::WHATSAPP_WINDOW_CLOSED_TOTAL, "outcome" => outcome).increment(1);
    Ok(body)
}

/// How often expired sessions and media past retention are deleted.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(3600);

/// Deletes what has outlived its retention: expired session copies and old guest media.
async fn maintenance_loop(state: Arc<AppState>, mut stopped: watch::Receiver<bool>) {
    loop {
        let now = state.clock.now();
        if let Err(e) = state.store.purge_expired_sessions(now).await {
            tracing::warn!(error = %e, "purging expired sessions failed");
        }
        if let Err(e) = state.store.purge_expired_room_holds(now).await {
            tracing::warn!(error = %e, "purging expired room holds failed");
        }
        if let Some(media) = &state.media {
            match media.purge(now).await {
                Ok(0) => {}
                Ok(files) => tracing::info!(files, "guest media past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "purging guest media failed"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(MAINTENANCE_INTERVAL) => {}
            _ = stopped.changed() => return,
        }
    }
}

async fn gauge_loop(state: Arc<AppState>, mut stopped: watch::Receiver<bool>) {
    loop {
        match state.store.outbox_depth().await {
            Ok(depth) => metrics::gauge!(names::OUTBOX_DEPTH).set(depth as f64),
            Err(e) => tracing::debug!(error = %e, "reading the outbox depth failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stopped.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use hotel_domain::WaId;

    use super::*;

    #[test]
    fn a_long_text_becomes_several_rows_in_order() {
        let paragraph = "Desayuno de 7 a 10. ".repeat(150);
        let long = format!("{paragraph}\n\n{paragraph}");
        let mut reply = OutboundMessage::text(WaId::new("54911"), long.clone());
        reply.reply_to = Some("wamid.q".into());
        let parts = one_message_each(reply);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].reply_to.as_deref(), Some("wamid.q"));
        assert_eq!(parts[1].reply_to, None);
        let texts: Vec<&str> = parts
            .iter()
            .map(|p| match &p.body {
                OutboundBody::Text { body, .. } => body.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(
            texts
                .iter()
                .all(|t| t.chars().count() <= MAX_TEXT_CODE_POINTS)
        );
        let joined = texts.join(" ");
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(squeeze(&joined), squeeze(&long));

        let short = OutboundMessage::text(WaId::new("54911"), "hola");
        assert_eq!(one_message_each(short.clone()), vec![short]);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(2);
        for _ in 0..50 {
            let first = backoff(1, base, max);
            assert!(first >= Duration::from_millis(50) && first <= base);
            let third = backoff(3, base, max);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(backoff(30, base, max) <= max);
        }
    }
}
