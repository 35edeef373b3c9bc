//! HTTP routes.

pub mod admin_bookings;
pub mod health;
pub mod metrics;
pub mod nlp;
pub mod webhook;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(health::live))
        .route("/health/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(metrics::render))
        .route("/api/v1/nlp/parse", web::post().to(nlp::parse))
        .route(
            "/api/v1/admin/tenants/{tenant_id}/bookings",
            web::get().to(admin_bookings::list),
        )
        .route(
            "/api/v1/admin/tenants/{tenant_id}/bookings/{id}/confirm",
            web::post().to(admin_bookings::confirm),
        )
        .route(
            "/api/v1/admin/tenants/{tenant_id}/bookings/{id}/reject",
            web::post().to(admin_bookings::reject),
        )
        .service(
            web::resource("/webhooks/whatsapp")
                .route(web::get().to(webhook::verify))
                .route(web::post().to(webhook::receive)),
        );
}
