//! `GET /metrics`: Prometheus text, for the allowed IPs only.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::state::AppState;

pub async fn render(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let allowed = req
        .peer_addr()
        .map(|peer| {
            let ip = peer.ip().to_canonical();
            state
                .settings
                .server
                .metrics_allowed_ips
                .iter()
                .any(|a| a.to_canonical() == ip)
        })
        .unwrap_or(false);
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render()))
}
