//! The booking pass: a QR code of `HOTEL:<tenant>:<reference>:<PMS booking id>` as a PNG,
//! uploaded to the Cloud API when the booking is confirmed, so the queued image message carries
//! a media id (valid 30 days) and survives a restart like any other outbox row.
//!
//! The PNG is 1-bit greyscale (black modules on white), a quiet zone of four modules, each
//! module a square of [`module_pixels`] pixels: a code of version 1–10 comes out 300–500 pixels
//! wide and under 4 KB.

use async_trait::async_trait;
use hotel_domain::{MediaKind, MediaSource, TenantId};
use hotel_orchestrator::{BookingPasses, BookingRecordError};
use hotel_pms::BookingId;
use hotel_whatsapp::{CloudApiClient, MediaLimits, MediaUpload};
use qrcode::{Color, EcLevel, QrCode};

use crate::tenants::TenantDirectory;

/// The quiet zone around the code, in modules (the QR standard's minimum).
pub const QUIET_ZONE: usize = 4;
/// The width the image aims at, in pixels.
const TARGET_PIXELS: usize = 400;
/// How long an upload may take: the staff member (or the guest) waits for it.
const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Why a pass could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error("the pass text cannot be a QR code: {0}")]
    Qr(qrcode::types::QrError),
    #[error("the pass could not be encoded as PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// A pass as a PNG, with its geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassImage {
    pub png: Vec<u8>,
    /// The code's modules per side (without the quiet zone).
    pub modules: usize,
    /// Pixels per module.
    pub scale: usize,
    /// The image's side in pixels: `(modules + 2 · QUIET_ZONE) · scale`.
    pub size: usize,
}

/// What the QR code of a booking says.
pub fn pass_text(tenant: &TenantId, reference: &str, booking_id: &BookingId) -> String {
    format!("HOTEL:{tenant}:{reference}:{booking_id}")
}

/// Pixels per module for a code `modules` wide: the target width, between 4 and 16.
pub fn module_pixels(modules: usize) -> usize {
    (TARGET_PIXELS / (modules + 2 * QUIET_ZONE)).clamp(4, 16)
}

/// `text` as a QR code (error correction M, 15 %) in a 1-bit greyscale PNG.
///
/// # Errors
/// [`PassError::Qr`] for a text too long for a QR code; [`PassError::Png`] if encoding fails.
pub fn qr_png(text: &str) -> Result<PassImage, PassError> {
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(PassError::Qr)?;
    let modules = code.width();
    let colors = code.to_colors();
    let scale = module_pixels(modules);
    let side = modules + 2 * QUIET_ZONE;
    let size = side * scale;
    let dark = |x: usize, y: usize| -> bool {
        let (mx, my) = (x / scale, y / scale);
        mx >= QUIET_ZONE
            && my >= QUIET_ZONE
            && mx < QUIET_ZONE + modules
            && my < QUIET_ZONE + modules
            && colors.get((my - QUIET_ZONE) * modules + (mx - QUIET_ZONE)) == Some(&Color::Dark)
    };
    // One bit a pixel, most significant first, each row padded to whole bytes; 1 is white.
    let row_bytes = size.div_ceil(8);
    let mut pixels = vec![0u8; row_bytes * size];
    for y in 0..size {
        for x in 0..size {
            if !dark(x, y) {
                pixels[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    let side_px = u32::try_from(size).unwrap_or(u32::MAX);
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, side_px, side_px);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(PassImage {
        png,
        modules,
        scale,
        size,
    })
}

/// Makes booking passes and uploads them with the tenant's Cloud API credentials.
#[derive(Debug)]
pub struct QrBookingPasses {
    client: CloudApiClient,
    tenants: TenantDirectory,
    limits: MediaLimits,
}

impl QrBookingPasses {
    pub fn new(client: CloudApiClient, tenants: TenantDirectory) -> Self {
        let limits = MediaLimits {
            timeout: UPLOAD_TIMEOUT,
            ..MediaLimits::default()
        };
        Self {
            client,
            tenants,
            limits,
        }
    }
}

#[async_trait]
impl BookingPasses for QrBookingPasses {
    async fn pass(
        &self,
        tenant: &TenantId,
        phone_number_id: &str,
        reference: &str,
        booking_id: &BookingId,
    ) -> Result<MediaSource, BookingRecordError> {
        let failed = |error: &dyn std::fmt::Display| BookingRecordError(error.to_string());
        let image = qr_png(&pass_text(tenant, reference, booking_id)).map_err(|e| failed(&e))?;
        let runtime = self
            .tenants
            .by_id(tenant)
            .await
            .map_err(|e| failed(&e))?
            .ok_or_else(|| BookingRecordError(format!("unknown tenant {tenant}")))?;
        let upload = MediaUpload {
            kind: MediaKind::Image,
            mime_type: "image/png".into(),
            filename: Some(format!("{reference}.png")),
            bytes: image.png,
        };
        let uploaded = self
            .client
            .upload_media(&runtime.credentials(phone_number_id), upload, &self.limits)
            .await
            .map_err(|e| failed(&e))?;
        tracing::debug!(%tenant, "booking pass uploaded");
        Ok(MediaSource::Id(uploaded.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG back to 8-bit greyscale pixels.
    fn pixels(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Grayscale);
        assert_eq!(frame.bit_depth, png::BitDepth::Eight, "expanded from 1 bit");
        buffer.truncate(frame.buffer_size());
        (frame.width as usize, frame.height as usize, buffer)
    }

    #[test]
    fn the_pass_decodes_back_to_its_text() {
        let text = pass_text(
            &TenantId::new("default"),
            "WA-0A1B2C3D4E5F",
            &BookingId::new("DEMO-17"),
        );
        assert_eq!(text, "HOTEL:default:WA-0A1B2C3D4E5F:DEMO-17");
        let image = qr_png(&text).unwrap();
        assert!(image.png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
        assert!(image.png.len() < 4096, "{} bytes", image.png.len());
        assert_eq!(image.size, (image.modules + 2 * QUIET_ZONE) * image.scale);
        assert_eq!(
            (image.modules - 17) % 4,
            0,
            "a QR code's width is 17 + 4·version"
        );
        assert!((300..=500).contains(&image.size), "{}", image.size);

        let (width, height, grey) = pixels(&image.png);
        assert_eq!((width, height), (image.size, image.size));
        // The quiet zone is white all round; the finder pattern's corner is black.
        let at = |x: usize, y: usize| grey[y * width + x];
        let edge = QUIET_ZONE * image.scale;
        assert!((0..width).all(|x| at(x, edge - 1) == 255 && at(x, height - edge) == 255));
        assert!((0..height).all(|y| at(edge - 1, y) == 255 && at(width - edge, y) == 255));
        assert_eq!(at(edge, edge), 0);

        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, at);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, content) = grids[0].decode().unwrap();
        assert_eq!(content, text);
        assert_eq!(meta.version.to_size(), image.modules);
    }

    #[test]
    fn larger_codes_get_smaller_modules_within_bounds() {
        assert_eq!(module_pixels(21), 13);
        assert_eq!(module_pixels(57), 6);
        assert_eq!(module_pixels(177), 4, "never below 4 pixels");
        assert_eq!(module_pixels(1), 16, "never above 16 pixels");
        let long = qr_png(&"X".repeat(300)).unwrap();
        assert!(long.modules > 50 && long.scale >= 4);
        assert!(matches!(qr_png(&"X".repeat(5000)), Err(PassError::Qr(_))));
    }
}
