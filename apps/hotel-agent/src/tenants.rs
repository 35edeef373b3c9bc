//! Resolves the hotel (tenant) that owns a WhatsApp business number, with its credentials.

use std::collections::HashMap;
use std::sync::Arc;

use hotel_domain::{Language, TenantId};
use hotel_orchestrator::{BookingPolicy, Confirmation, TenantContext};
use hotel_store::{NewTenant, Store, TenantRecord};
use secrecy::SecretString;
use tokio::sync::RwLock;

use crate::settings::{BookingConfirmation, BookingSettings, Settings};

/// A tenant as the workers and the webhook need it.
#[derive(Debug)]
pub struct TenantRuntime {
    pub context: TenantContext,
    pub phone_number_id: Option<String>,
    /// The key of `X-Hub-Signature-256` for this tenant's number.
    pub app_secret: SecretString,
    /// The bearer token for the Cloud API.
    pub access_token: SecretString,
}

impl TenantRuntime {
    /// The Cloud API credentials of this tenant for sending from `phone_number_id`.
    pub fn credentials(&self, phone_number_id: &str) -> hotel_whatsapp::Credentials {
        hotel_whatsapp::Credentials {
            phone_number_id: phone_number_id.to_owned(),
            access_token: self.access_token.clone(),
        }
    }
}

/// The orchestrator's view of `[hotel.booking]`.
pub fn booking_policy(settings: &BookingSettings) -> BookingPolicy {
    BookingPolicy {
        confirmation: match settings.confirmation {
            BookingConfirmation::Staff => Confirmation::Staff,
            BookingConfirmation::Auto => Confirmation::Auto,
        },
        deposit_percent: settings.deposit_percent,
        hold_minutes: settings.hold_minutes,
        payment_instructions: settings.payment_instructions.clone(),
    }
}

/// A cache of tenants in front of the database.
#[derive(Debug)]
pub struct TenantDirectory {
    store: Store,
    settings: Arc<Settings>,
    by_id: RwLock<HashMap<TenantId, Arc<TenantRuntime>>>,
    by_number: RwLock<HashMap<String, Arc<TenantRuntime>>>,
}

impl TenantDirectory {
    pub fn new(store: Store, settings: Arc<Settings>) -> Self {
        Self {
            store,
            settings,
            by_id: RwLock::default(),
            by_number: RwLock::default(),
        }
    }

    /// The configured `[hotel]` as the row seeded into `tenants`.
    pub fn default_tenant(settings: &Settings) -> NewTenant {
        let number = settings.whatsapp.phone_number_id.trim();
        NewTenant {
            id: TenantId::new(settings.hotel.id.clone()),
            name: settings.hotel.name.clone(),
            phone_number_id: (!number.is_empty()).then(|| number.to_owned()),
            timezone: settings.hotel.timezone.clone(),
            default_language: settings
                .hotel
                .languages
                .first()
                .copied()
                .unwrap_or(Language::Es),
        }
    }

    fn runtime(&self, record: &TenantRecord) -> TenantRuntime {
        let is_default = record.id.as_str() == self.settings.hotel.id;
        let languages = if is_default {
            self.settings.hotel.languages.clone()
        } else {
            Language::ALL.to_vec()
        };
        TenantRuntime {
            context: TenantContext {
                tenant_id: record.id.clone(),
                hotel_name: record.name.clone(),
                default_language: record.default_language,
                languages,
                timezone: record.timezone.clone(),
                // Per-tenant booking rules arrive with the multi-tenant admin API; until then
                // every tenant follows `[hotel.booking]`.
                booking: booking_policy(&self.settings.hotel.booking),
            },
            phone_number_id: record.phone_number_id.clone(),
            // Per-tenant credentials (encrypted at rest) arrive with the multi-tenant admin API; until
            // then every tenant uses the `[whatsapp]` credentials.
            app_secret: self.settings.whatsapp.app_secret.clone(),
            access_token: self.settings.whatsapp.access_token.clone(),
        }
    }

    async fn remember(&self, runtime: TenantRuntime) -> Arc<TenantRuntime> {
        let runtime = Arc::new(runtime);
        self.by_id
            .write()
            .await
            .insert(runtime.context.tenant_id.clone(), Arc::clone(&runtime));
        if let Some(number) = &runtime.phone_number_id {
            self.by_number
                .write()
                .await
                .insert(number.clone(), Arc::clone(&runtime));
        }
        runtime
    }

    /// The tenant that owns a business number, if any.
    pub async fn by_phone_number_id(
        &self,
        phone_number_id: &str,
    ) -> hotel_store::Result<Option<Arc<TenantRuntime>>> {
        if let Some(found) = self.by_number.read().await.get(phone_number_id) {
            return Ok(Some(Arc::clone(found)));
        }
        match self
            .store
            .tenant_by_phone_number_id(phone_number_id)
            .await?
        {
            Some(record) => Ok(Some(self.remember(self.runtime(&record)).await)),
            None => Ok(None),
        }
    }

    /// A tenant by id.
    pub async fn by_id(&self, id: &TenantId) -> hotel_store::Result<Option<Arc<TenantRuntime>>> {
        if let Some(found) = self.by_id.read().await.get(id) {
            return Ok(Some(Arc::clone(found)));
        }
        match self.store.tenant(id).await? {
            Some(record) => Ok(Some(self.remember(self.runtime(&record)).await)),
            None => Ok(None),
        }
    }
}
