//! HTTP routes.

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
        .service(
            web::resource("/webhooks/whatsapp")
                .route(web::get().to(webhook::verify))
                .route(web::post().to(webhook::receive)),
        );
}
