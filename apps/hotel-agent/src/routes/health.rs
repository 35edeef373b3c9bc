//! Liveness and readiness.

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /health/live`: 200 while the process runs.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "alive"}))
}

fn outcome<E: std::fmt::Display>(
    result: Result<Result<(), E>, tokio::time::error::Elapsed>,
) -> String {
    match result {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("error: {e}"),
        Err(_) => "error: timed out".to_owned(),
    }
}

/// `GET /health/ready`: 200 when the database, Redis (when configured) and the PMS answer, else 503.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = tokio::time::timeout(CHECK_TIMEOUT, state.store.ping());
    let pms = tokio::time::timeout(CHECK_TIMEOUT, state.pms.health());
    let redis = async {
        if state.settings.redis_enabled() {
            Some(tokio::time::timeout(CHECK_TIMEOUT, state.sessions.ping()).await)
        } else {
            None
        }
    };
    let (database, pms, redis) = tokio::join!(database, pms, redis);
    let mut checks = BTreeMap::new();
    checks.insert("database", outcome(database));
    checks.insert("pms", outcome(pms));
    checks.insert(
        "redis",
        redis.map_or_else(|| "disabled".to_owned(), outcome),
    );
    let ready = checks.values().all(|v| v == "ok" || v == "disabled");
    if !ready {
        tracing::warn!(?checks, "not ready");
    }
    let body = json!({"ready": ready, "checks": checks});
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
