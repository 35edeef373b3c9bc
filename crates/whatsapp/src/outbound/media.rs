//! Images, audio, video, documents and stickers, by uploaded id or public link.

use hotel_domain::{MediaKind, MediaSource};

use super::{Adjustment, BuildError, limits, non_blank, texts};
use crate::client::wire::{self, Content};

pub(super) fn check_link(url: &str, field: &'static str) -> Result<(), BuildError> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "https" | "http") && parsed.has_host() => Ok(()),
        _ => Err(BuildError::InvalidUrl(field)),
    }
}

/// The wire form of a media source.
pub(super) fn media_source(source: &MediaSource) -> Result<wire::MediaSource, BuildError> {
    Ok(match source {
        MediaSource::Id(id) => {
            let id = id.trim();
            if id.is_empty() {
                return Err(BuildError::Empty("media id"));
            }
            wire::MediaSource::Id(id.to_owned())
        }
        MediaSource::Link(link) => {
            let link = link.trim();
            check_link(link, "media link")?;
            wire::MediaSource::Link(link.to_owned())
        }
    })
}

/// A document's file name: the one given, or the last segment of its link.
pub(super) fn document_filename(source: &MediaSource, filename: Option<&str>) -> Option<String> {
    if let Some(name) = non_blank(filename) {
        return Some(name);
    }
    let MediaSource::Link(link) = source else {
        return None;
    };
    let url = reqwest::Url::parse(link.trim()).ok()?;
    let name = url.path_segments()?.next_back()?;
    (!name.is_empty()).then(|| name.to_owned())
}

pub(super) fn prepare(
    kind: MediaKind,
    source: &MediaSource,
    caption: Option<&str>,
    filename: Option<&str>,
    adjustments: &mut Vec<Adjustment>,
) -> Result<Vec<Content>, BuildError> {
    let takes_caption = matches!(
        kind,
        MediaKind::Image | MediaKind::Video | MediaKind::Document
    );
    let caption = non_blank(caption);
    let (caption, caption_texts) = match caption {
        Some(caption) if takes_caption && caption.chars().count() <= limits::CAPTION => {
            (Some(caption), Vec::new())
        }
        Some(caption) => {
            adjustments.push(Adjustment::CaptionAsText);
            (None, texts(&caption, false))
        }
        None => (None, Vec::new()),
    };
    let media = wire::Media {
        source: media_source(source)?,
        caption,
        filename: match kind {
            MediaKind::Document => document_filename(source, filename),
            _ => None,
        },
    };
    let content = match kind {
        MediaKind::Image => Content::Image { image: media },
        MediaKind::Audio => Content::Audio { audio: media },
        MediaKind::Video => Content::Video { video: media },
        MediaKind::Document => Content::Document { document: media },
        MediaKind::Sticker => Content::Sticker { sticker: media },
    };
    Ok(std::iter::once(content).chain(caption_texts).collect())
}
