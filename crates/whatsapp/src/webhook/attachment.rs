//! What came with an inbound message besides its text: the domain's [`Attachment`].
//!
//! - **Media** (image, audio, video, document, sticker): needs the media `id` (the two-step download
//!   works from it alone); `url`, `mime_type`, `sha256` and `filename` are kept when present and not
//!   empty; `voice` and `animated` are `false` unless Meta says `true`.
//! - **Location**: needs a finite `latitude` in -90..=90 and `longitude` in -180..=180 (numbers, or
//!   numeric strings); `name` and `address` only for a shared place.
//! - **Contacts**: one [`ContactCard`] per card that names anything. The name is `formatted_name`,
//!   else the first, middle and last names joined. Each phone is kept **as the card shows it**
//!   (`phone`, e.g. `+54 9 11 5555-1234`): that is what a person reads and dials, and it keeps the
//!   country's own form. Only when a card has no `phone` is its `wa_id` (digits, no `+`) used. The
//!   `wa_id` is not added beside the shown phone, so one number never appears twice.
//!
//! A body of the wrong shape, or one missing its required part, gives no attachment; the message
//! keeps its kind.

use hotel_domain::{Attachment, ContactCard, GeoPoint, InboundKind, MediaKind, MediaRef};

use super::WebhookMessage;
use super::content::{LocationBody, MediaBody, SharedContact};

impl WebhookMessage<'_> {
    /// The media, map point or contact cards of this message, per its `type`.
    pub fn attachment(&self) -> Option<Attachment> {
        let kind = self.kind();
        match kind {
            InboundKind::Location => self.location.as_deref().and_then(geo_point),
            InboundKind::Contacts => contact_cards(&self.contacts),
            _ => media_kind(kind).and_then(|media| media_ref(media, self.media()?)),
        }
    }
}

fn media_kind(kind: InboundKind) -> Option<MediaKind> {
    Some(match kind {
        InboundKind::Image => MediaKind::Image,
        InboundKind::Audio => MediaKind::Audio,
        InboundKind::Video => MediaKind::Video,
        InboundKind::Document => MediaKind::Document,
        InboundKind::Sticker => MediaKind::Sticker,
        _ => return None,
    })
}

fn media_ref(kind: MediaKind, body: &MediaBody<'_>) -> Option<Attachment> {
    let id = filled(body.id.as_deref())?;
    Some(Attachment::Media(MediaRef {
        kind,
        id,
        url: filled(body.url.as_deref()),
        mime_type: filled(body.mime_type.as_deref()),
        sha256: filled(body.sha256.as_deref()),
        filename: filled(body.filename.as_deref()),
        voice: body.voice == Some(true),
        animated: body.animated == Some(true),
    }))
}

fn geo_point(body: &LocationBody<'_>) -> Option<Attachment> {
    let latitude = body.latitude.filter(|l| (-90.0..=90.0).contains(l))?;
    let longitude = body.longitude.filter(|l| (-180.0..=180.0).contains(l))?;
    Some(Attachment::Location(GeoPoint {
        latitude,
        longitude,
        name: filled(body.name.as_deref()),
        address: filled(body.address.as_deref()),
    }))
}

fn contact_cards(cards: &[SharedContact<'_>]) -> Option<Attachment> {
    let contacts: Vec<ContactCard> = cards
        .iter()
        .map(contact_card)
        .filter(|card| card.name.is_some() || !card.phones.is_empty() || !card.emails.is_empty())
        .collect();
    (!contacts.is_empty()).then_some(Attachment::Contacts { contacts })
}

fn contact_card(card: &SharedContact<'_>) -> ContactCard {
    let name = card.name.as_ref().and_then(|name| {
        filled(name.formatted_name.as_deref()).or_else(|| {
            let parts: Vec<&str> = [&name.first_name, &name.middle_name, &name.last_name]
                .into_iter()
                .filter_map(|part| part.as_deref().map(str::trim))
                .filter(|part| !part.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    });
    let phones = card
        .phones
        .iter()
        .filter_map(|phone| {
            filled(phone.phone.as_deref()).or_else(|| filled(phone.wa_id.as_deref()))
        })
        .collect();
    let emails = card
        .emails
        .iter()
        .filter_map(|email| filled(email.email.as_deref()))
        .collect();
    ContactCard {
        name,
        phones,
        emails,
    }
}

/// The trimmed text, when there is any.
fn filled(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(json: &str) -> WebhookMessage<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn media_needs_an_id() {
        let m = message(r#"{"type":"video","video":{"mime_type":"video/mp4","url":"https://x"}}"#);
        assert_eq!(m.attachment(), None);
        let m = message(r#"{"type":"video","video":{"id":"  "}}"#);
        assert_eq!(m.attachment(), None);
        let m = message(r#"{"type":"sticker","sticker":{"id":77,"animated":"true","voice":"no"}}"#);
        assert_eq!(
            m.attachment(),
            Some(Attachment::Media(MediaRef {
                kind: MediaKind::Sticker,
                id: "77".into(),
                url: None,
                mime_type: None,
                sha256: None,
                filename: None,
                voice: false,
                animated: true,
            }))
        );
    }

    #[test]
    fn stray_bodies_of_other_types_are_not_attachments() {
        let m = message(
            r#"{"type":"text","text":{"body":"hola"},"image":{"id":"1"},"location":{"latitude":1,"longitude":2}}"#,
        );
        assert_eq!(m.attachment(), None);
        assert_eq!(message(r#"{"type":"image"}"#).attachment(), None);
    }

    #[test]
    fn coordinates_may_be_strings_but_must_be_on_the_globe() {
        let m = message(
            r#"{"type":"location","location":{"latitude":"-22.9519","longitude":" -43.2105 ","name":" "}}"#,
        );
        assert_eq!(
            m.attachment(),
            Some(Attachment::Location(GeoPoint {
                latitude: -22.9519,
                longitude: -43.2105,
                name: None,
                address: None,
            }))
        );
        for bad in [
            r#"{"latitude":91,"longitude":0}"#,
            r#"{"latitude":0,"longitude":-180.5}"#,
            r#"{"latitude":"norte","longitude":0}"#,
            r#"{"latitude":0}"#,
            r#"{"latitude":"1e999","longitude":0}"#,
        ] {
            let json = format!(r#"{{"type":"location","location":{bad}}}"#);
            assert_eq!(message(&json).attachment(), None, "{bad}");
        }
    }

    #[test]
    fn contact_names_fall_back_to_their_parts_and_phones_to_the_wa_id() {
        let m = message(
            r#"{"type":"contacts","contacts":[
                {"name":{"first_name":"Lucía","last_name":" Gómez "},"phones":[{"wa_id":"5491166667777"},{"phone":"","wa_id":""},{"type":"HOME"}],"emails":[{"email":""},{"type":"WORK"}]},
                {"name":{"formatted_name":""},"phones":[],"org":{"company":"Agencia"}},
                "not a card"
            ]}"#,
        );
        assert_eq!(
            m.attachment(),
            Some(Attachment::Contacts {
                contacts: vec![ContactCard {
                    name: Some("Lucía Gómez".into()),
                    phones: vec!["5491166667777".into()],
                    emails: vec![],
                }]
            })
        );
        assert_eq!(
            message(r#"{"type":"contacts","contacts":[{}]}"#).attachment(),
            None
        );
        assert_eq!(message(r#"{"type":"contacts"}"#).attachment(), None);
    }
}
