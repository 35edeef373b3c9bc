//! The application state: concrete implementations built once from settings, shared as traits.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hotel_domain::{Clock, TenantId};
use hotel_locks::{InMemoryLockManager, LockManager, RedisLockManager, RedisRoomHolds, RoomHolds};
use hotel_nlp::{BuiltinNlu, LlmConfig, LlmNlu, Nlu};
use hotel_orchestrator::{BookingServices, ConversationOrchestrator, Orchestrator};
use hotel_pms::{DemoPms, Pms, QloAppsConfig, QloAppsPms, ResilientPms};
use hotel_sessions::{RedisSessionStore, SessionStore};
use hotel_store::Store;
use hotel_whatsapp::{CloudApiClient, MediaStore, MessageSender, PacingConfig, SendPacer};
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::ExposeSecret;
use tokio::sync::Notify;

use crate::bookings::pass::QrBookingPasses;
use crate::bookings::requests::StoreBookingRequests;
use crate::demo_ledger::StoreDemoLedger;
use crate::durable_sessions::WriteThroughSessionStore;
use crate::inbox_writer::InboxWriter;
use crate::media::MediaKeeper;
use crate::room_holds::StoreRoomHolds;
use crate::settings::{NlpBackend, PmsKind, Settings};
use crate::tenants::TenantDirectory;
use crate::window::RecentGuests;

/// How long an idle conversation is kept.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// The Redis key prefix of this service.
const REDIS_PREFIX: &str = "hotel:";

/// Everything the routes and workers need.
#[derive(Debug)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    pub store: Store,
    pub tenants: TenantDirectory,
    pub sessions: Arc<dyn SessionStore>,
    pub locks: Arc<dyn LockManager>,
    pub nlu: Arc<dyn Nlu>,
    pub orchestrator: Arc<dyn Orchestrator>,
    pub pms: Arc<dyn Pms>,
    /// The PMS and the room holds of the booking conversation (the orchestrator's, shared so that
    /// staff actions act on the same holds).
    pub booking: BookingServices,
    pub sender: Arc<dyn MessageSender>,
    /// Paces sends per business number and per guest (Meta's throughput and pair limits).
    pub pacer: SendPacer,
    /// Guests' latest message times seen here: a reply inside the 24-hour window skips the read.
    pub recent_guests: RecentGuests,
    /// Downloads and keeps guest media; `None` when `whatsapp.media_dir` is empty.
    pub media: Option<Arc<MediaKeeper>>,
    pub metrics: PrometheusHandle,
    /// Stores the webhook's messages, committing concurrent webhooks together.
    pub inbox_writer: InboxWriter,
    /// Woken when new inbound messages are stored.
    pub inbox_ready: Notify,
    /// Woken when new outbound messages are queued.
    pub outbox_ready: Notify,
}

impl AppState {
    /// Connects the store (migrating it when configured), seeds the default tenant and builds
    /// every component.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
        let settings = Arc::new(settings);
        let store = Store::connect(
            &settings.database.url,
            settings.database.max_connections as usize,
        )
        .await
        .context("connecting to the database")?;
        if settings.database.migrate_on_start {
            let applied = store
                .migrate()
                .await
                .context("applying database migrations")?;
            if applied > 0 {
                tracing::info!(applied, "database migrations applied");
            }
        }
        store
            .upsert_tenant(&TenantDirectory::default_tenant(&settings), clock.now())
            .await
            .context("seeding the default tenant")?;

        type Stores = (
            Arc<dyn SessionStore>,
            Arc<dyn LockManager>,
            Arc<dyn RoomHolds>,
        );
        let (sessions, locks, holds): Stores = if settings.redis_enabled() {
            let pool = hotel_sessions::redis_pool(settings.redis.url.trim())
                .context("configuring the Redis pool")?;
            (
                Arc::new(RedisSessionStore::new(pool.clone(), REDIS_PREFIX)),
                Arc::new(RedisLockManager::new(pool.clone(), REDIS_PREFIX)),
                Arc::new(RedisRoomHolds::new(pool, REDIS_PREFIX, Arc::clone(&clock))),
            )
        } else {
            (
                Arc::new(WriteThroughSessionStore::new(
                    store.clone(),
                    Arc::clone(&clock),
                )),
                Arc::new(InMemoryLockManager::new(Arc::clone(&clock))),
                // Holds in the database: a restart loses none.
                Arc::new(StoreRoomHolds::new(store.clone(), Arc::clone(&clock))),
            )
        };
        let builtin: Arc<dyn Nlu> =
            Arc::new(BuiltinNlu::new().context("loading the language model")?);
        let nlu: Arc<dyn Nlu> = match settings.nlp.backend {
            NlpBackend::Builtin => builtin,
            NlpBackend::Llm => {
                let http = reqwest::Client::builder()
                    .tls_backend_preconfigured(
                        hotel_whatsapp::https_client_config()
                            .context("building the TLS configuration")?,
                    )
                    .build()
                    .context("building the LLM client")?;
                let secret = settings.nlp.llm_api_key.expose_secret().trim();
                let mut config = LlmConfig::new(
                    settings.nlp.llm_base_url.trim(),
                    settings.nlp.llm_model.trim(),
                );
                config.api_key = (!secret.is_empty()).then(|| secret.to_owned().into());
                config.timeout = Duration::from_millis(settings.nlp.llm_timeout_ms);
                Arc::new(LlmNlu::new(http, config, builtin))
            }
        };
        let pms: Arc<dyn Pms> = match settings.pms.kind {
            PmsKind::Demo => Arc::new(
                DemoPms::new(settings.pms.demo.clone())
                    .context("building the demo PMS")?
                    // Bookings in the database: they survive restarts and instances share them.
                    .with_ledger(Arc::new(StoreDemoLedger::new(
                        store.clone(),
                        Arc::clone(&clock),
                    ))),
            ),
            PmsKind::Qloapps => {
                let currency = match settings.pms.currency.trim() {
                    "" => settings.pms.demo.currency.clone(),
                    code => code.to_owned(),
                };
                let config = QloAppsConfig::new(
                    settings.pms.base_url.trim(),
                    settings.pms.api_key.expose_secret(),
                    settings.pms.hotel_id,
                    currency,
                );
                let client: Arc<dyn Pms> =
                    Arc::new(QloAppsPms::new(config).context("building the QloApps client")?);
                // Breaker, retries, rate limit and cache in front of the remote PMS.
                Arc::new(
                    ResilientPms::new(client, settings.pms.resilience.clone())
                        .context("configuring pms.resilience")?
                        .with_clock(Arc::clone(&clock)),
                )
            }
        };
        let graph = CloudApiClient::new(
            &settings.whatsapp.api_base,
            Duration::from_secs(settings.whatsapp.request_timeout_secs),
        )
        .context("building the WhatsApp Cloud API client")?;
        // The booking conversation quotes and books through the app's PMS; each hotel's rules
        // (`[hotel.booking]`) reach it through its `TenantContext`. Paid bookings awaiting staff
        // are recorded in the database; confirmations carry a QR pass uploaded to the Cloud API.
        let booking = BookingServices::new(Arc::clone(&pms), holds)
            .with_requests(Arc::new(StoreBookingRequests::new(
                store.clone(),
                Arc::clone(&clock),
            )))
            .with_passes(Arc::new(QrBookingPasses::new(
                graph.clone(),
                TenantDirectory::new(store.clone(), Arc::clone(&settings)),
            )));
        let orchestrator: Arc<dyn Orchestrator> = Arc::new(
            ConversationOrchestrator::new(
                Arc::clone(&nlu),
                Arc::clone(&sessions),
                Arc::clone(&clock),
                SESSION_TTL,
            )
            .with_booking(booking.clone()),
        );
        let media_dir = settings.whatsapp.media_dir.trim();
        let media = (!media_dir.is_empty()).then(|| {
            Arc::new(MediaKeeper::new(
                MediaStore::new(media_dir, Arc::clone(&clock)),
                graph.clone(),
                store.clone(),
                Arc::clone(&clock),
                settings.whatsapp.media_retention_days,
            ))
        });
        let pacer = SendPacer::new(PacingConfig {
            per_number_per_second: settings.whatsapp.send_rate_per_second,
            pair_burst: settings.whatsapp.pair_burst,
            pair_per_minute: settings.whatsapp.pair_per_minute,
            ..PacingConfig::default()
        });
        let sender: Arc<dyn MessageSender> = Arc::new(graph);
        let metrics =
            hotel_observability::install_recorder().context("installing the metrics recorder")?;
        let inbox_writer = InboxWriter::start(store.clone(), Arc::clone(&clock));
        Ok(AppState {
            inbox_writer,
            tenants: TenantDirectory::new(store.clone(), Arc::clone(&settings)),
            settings,
            clock,
            store,
            sessions,
            locks,
            nlu,
            orchestrator,
            pms,
            booking,
            sender,
            pacer,
            recent_guests: RecentGuests::default(),
            media,
            metrics,
            inbox_ready: Notify::new(),
            outbox_ready: Notify::new(),
        })
    }

    pub fn default_tenant_id(&self) -> TenantId {
        TenantId::new(self.settings.hotel.id.clone())
    }
}
