//! From Meta's payload to the domain's [`InboundMessage`] and [`DeliveryStatus`].

use chrono::{DateTime, Utc};
use hotel_domain::{DeliveryStatus, InboundMessage, ProviderError, TenantId, WaId};

use super::status::{GraphErrorObject, StatusUpdate};
use super::{
    ChangeValue, Contact, MESSAGES_FIELD, WHATSAPP_OBJECT, WebhookMessage, WebhookPayload,
};

/// Everything one webhook POST said, in domain terms, plus counters of what was left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Normalised {
    /// Inbound messages for known tenants, in payload order.
    pub messages: Vec<InboundMessage>,
    /// Status callbacks about our messages (returned even for unknown numbers: they refer to our rows).
    pub statuses: Vec<DeliveryStatus>,
    /// `phone_number_id`s that carried messages but resolved to no tenant (each listed once).
    pub unknown_numbers: Vec<String>,
    /// Out-of-band errors from `value.errors[]`.
    pub errors: Vec<ProviderError>,
    /// Changes whose `field` is not `messages` (or whose `object` is not a WhatsApp account).
    pub ignored_changes: usize,
    /// Messages skipped because their number resolved to no tenant.
    pub unrouted_messages: usize,
    /// Messages skipped for lack of an id, a sender or the receiving number.
    pub skipped_messages: usize,
    /// Statuses skipped for lack of an id or the receiving number, or with an unknown `status`.
    pub skipped_statuses: usize,
    /// Messages and statuses whose timestamp was unreadable; their time is the Unix epoch.
    pub invalid_timestamps: usize,
    /// List elements (entries, changes, messages, statuses, contacts, errors) that could not be read.
    pub invalid_items: usize,
}

impl WebhookPayload<'_> {
    /// Splits the payload into inbound messages and statuses, routing each change by
    /// `metadata.phone_number_id` through `resolve_tenant`.
    ///
    /// `resolve_tenant` is called at most once per distinct number, and only for changes that carry
    /// messages. In [`InboundMessage`]: `text` is the text, caption, button/row title, Flow body,
    /// place name and address, reaction emoji, order text or system notice; `reply_id` is the button
    /// or row id, template button payload, Flow `response_json`, or for `system` messages the user's
    /// new id; `context_message_id` is `context.id`, or the reacted-to message for reactions; `from`
    /// is `from`, else the sender's `contacts[]` phone, else its BSUID; `attachment` is the media,
    /// map point or shared contact cards ([`WebhookMessage::attachment`]).
    pub fn normalise(&self, resolve_tenant: &dyn Fn(&str) -> Option<TenantId>) -> Normalised {
        let mut run = Run {
            out: Normalised::default(),
            resolve_tenant,
            resolved: Vec::new(),
        };
        run.out.invalid_items += self.entry.invalid();
        let ours = self.object == WHATSAPP_OBJECT;
        for entry in &self.entry {
            run.out.invalid_items += entry.changes.invalid();
            for change in &entry.changes {
                match (ours, change.field.as_deref(), &change.value) {
                    (true, Some(MESSAGES_FIELD), Some(value)) => run.change(value),
                    (true, Some(MESSAGES_FIELD), None) => run.out.invalid_items += 1,
                    _ => run.out.ignored_changes += 1,
                }
            }
        }
        run.out
    }
}

struct Run<'a> {
    out: Normalised,
    resolve_tenant: &'a dyn Fn(&str) -> Option<TenantId>,
    resolved: Vec<(String, Option<TenantId>)>,
}

impl Run<'_> {
    fn change(&mut self, value: &ChangeValue<'_>) {
        let out = &mut self.out;
        out.invalid_items += value.messages.invalid()
            + value.statuses.invalid()
            + value.contacts.invalid()
            + value.errors.invalid();
        out.errors
            .extend(value.errors.iter().map(GraphErrorObject::to_provider_error));

        let phone_number_id = value
            .metadata
            .as_ref()
            .and_then(|m| m.phone_number_id.as_deref());
        let Some(phone_number_id) = phone_number_id.filter(|id| !id.is_empty()) else {
            out.skipped_messages += value.messages.len();
            out.skipped_statuses += value.statuses.len();
            return;
        };
        for status in &value.statuses {
            self.status(phone_number_id, status);
        }
        if value.messages.is_empty() {
            return;
        }
        let Some(tenant) = self.tenant(phone_number_id) else {
            self.out.unrouted_messages += value.messages.len();
            return;
        };
        for message in &value.messages {
            self.message(&tenant, phone_number_id, &value.contacts, message);
        }
    }

    fn tenant(&mut self, phone_number_id: &str) -> Option<TenantId> {
        if let Some((_, tenant)) = self.resolved.iter().find(|(id, _)| id == phone_number_id) {
            return tenant.clone();
        }
        let tenant = (self.resolve_tenant)(phone_number_id);
        if tenant.is_none() {
            self.out.unknown_numbers.push(phone_number_id.to_owned());
        }
        self.resolved
            .push((phone_number_id.to_owned(), tenant.clone()));
        tenant
    }

    fn message(
        &mut self,
        tenant: &TenantId,
        phone_number_id: &str,
        contacts: &[Contact<'_>],
        message: &WebhookMessage<'_>,
    ) {
        let id = message.id.as_deref().filter(|id| !id.is_empty());
        let (Some(id), Some((sender, contact))) = (id, sender_of(message, contacts)) else {
            self.out.skipped_messages += 1;
            return;
        };
        let profile_name = contact
            .and_then(|c| c.profile.as_ref())
            .and_then(|p| p.name.as_deref())
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        let sent_at = self.time_or_epoch(message.sent_at());
        self.out.messages.push(InboundMessage {
            tenant_id: tenant.clone(),
            phone_number_id: phone_number_id.to_owned(),
            provider_message_id: id.to_owned(),
            from: WaId::new(sender),
            profile_name,
            kind: message.kind(),
            text: message.text_content(),
            reply_id: message.reply_id().map(str::to_owned),
            context_message_id: message.context_message_id().map(str::to_owned),
            attachment: message.attachment(),
            sent_at,
        });
    }

    fn status(&mut self, phone_number_id: &str, status: &StatusUpdate<'_>) {
        let id = status.id.as_deref().filter(|id| !id.is_empty());
        let (Some(id), Some(state)) = (id, status.state()) else {
            self.out.skipped_statuses += 1;
            return;
        };
        self.out.invalid_items += status.errors.invalid();
        let at = self.time_or_epoch(status.at());
        self.out.statuses.push(DeliveryStatus {
            phone_number_id: phone_number_id.to_owned(),
            provider_message_id: id.to_owned(),
            state,
            recipient: status.recipient().map(str::to_owned),
            at,
            errors: status
                .errors
                .iter()
                .map(GraphErrorObject::to_provider_error)
                .collect(),
        });
    }

    fn time_or_epoch(&mut self, at: Option<DateTime<Utc>>) -> DateTime<Utc> {
        at.unwrap_or_else(|| {
            self.out.invalid_timestamps += 1;
            DateTime::UNIX_EPOCH
        })
    }
}

/// The sender's id and profile: the message's own `from`/`from_user_id` with the matching contact,
/// else (no id on the message) the only contact's phone or BSUID. `None` when nobody can be named.
fn sender_of<'c, 'a>(
    message: &WebhookMessage<'_>,
    contacts: &'c [Contact<'a>],
) -> Option<(String, Option<&'c Contact<'a>>)> {
    let only = match contacts {
        [only] => Some(only),
        _ => None,
    };
    if let Some(sender) = message.sender() {
        let contact = contacts.iter().find(|c| c.is(sender)).or(only);
        return Some((sender.to_owned(), contact));
    }
    let contact = only?;
    let id = [contact.wa_id.as_deref(), contact.user_id.as_deref()]
        .into_iter()
        .flatten()
        .find(|id| !id.is_empty())?;
    Some((id.to_owned(), Some(contact)))
}
