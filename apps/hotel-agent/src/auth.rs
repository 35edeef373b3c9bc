//! Bearer tokens of the JSON API: HS256 JWTs signed with `[auth] jwt_secret` (the secret's UTF-8
//! bytes as the key), carrying `sub`, `role`, `tenants`, `iat` and `exp`. Expiry is checked against
//! the service's clock, not the wall clock, so it can be tested.

use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// What a token says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default)]
    pub tenants: Vec<String>,
    pub iat: i64,
    pub exp: i64,
}

/// The role that sees every tenant.
pub const ADMIN_ROLE: &str = "admin";
/// The role that sees the tenants named in its `tenants` claim.
pub const STAFF_ROLE: &str = "staff";

impl Claims {
    /// Whether the holder may act on `tenant`'s resources: an admin on every tenant, staff on
    /// the tenants of their claim. Another tenant is 404 (its existence is not revealed); an
    /// unknown role is 403.
    pub fn check_tenant(&self, tenant: &str) -> Result<(), ApiError> {
        match self.role.as_str() {
            ADMIN_ROLE => Ok(()),
            STAFF_ROLE if self.tenants.iter().any(|t| t == tenant) => Ok(()),
            STAFF_ROLE => Err(ApiError::NotFound),
            _ => Err(ApiError::Forbidden),
        }
    }
}

/// Signs `claims` (used by the token route and by tests).
pub fn issue(secret: &[u8], claims: &Claims) -> Result<String, ApiError> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(ApiError::internal)
}

/// The claims of the request's `Authorization: Bearer …` token, valid at `now`; 401 otherwise.
/// An empty secret accepts no token.
pub fn bearer(req: &HttpRequest, secret: &[u8], now: DateTime<Utc>) -> Result<Claims, ApiError> {
    if secret.is_empty() {
        return Err(ApiError::Unauthorized);
    }
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    let mut validation = Validation::new(Algorithm::HS256);
    // Expiry is checked below against the service's clock.
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    let claims =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
            .map_err(|_| ApiError::Unauthorized)?
            .claims;
    if claims.exp <= now.timestamp() {
        return Err(ApiError::Unauthorized);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;
    use chrono::TimeZone;

    use super::*;

    const SECRET: &[u8] = b"a-jwt-secret-of-at-least-32-bytes!!";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn claims(exp_in: i64) -> Claims {
        Claims {
            sub: "ana".into(),
            role: "admin".into(),
            tenants: vec![],
            iat: now().timestamp(),
            exp: now().timestamp() + exp_in,
        }
    }

    fn request(header: Option<&str>) -> HttpRequest {
        let mut req = TestRequest::default();
        if let Some(value) = header {
            req = req.insert_header((AUTHORIZATION, value));
        }
        req.to_http_request()
    }

    #[test]
    fn a_valid_token_is_accepted() {
        let token = issue(SECRET, &claims(60)).unwrap();
        let got = bearer(&request(Some(&format!("Bearer {token}"))), SECRET, now()).unwrap();
        assert_eq!(got, claims(60));
        let lower = bearer(&request(Some(&format!("bearer  {token}"))), SECRET, now());
        assert!(lower.is_ok());
    }

    #[test]
    fn admins_see_every_tenant_and_staff_only_theirs() {
        let admin = claims(60);
        assert!(admin.check_tenant("h1").is_ok());
        let staff = Claims {
            role: STAFF_ROLE.into(),
            tenants: vec!["h1".into()],
            ..claims(60)
        };
        assert!(staff.check_tenant("h1").is_ok());
        assert!(matches!(staff.check_tenant("h2"), Err(ApiError::NotFound)));
        let guest = Claims {
            role: "guest".into(),
            tenants: vec!["h1".into()],
            ..claims(60)
        };
        assert!(matches!(guest.check_tenant("h1"), Err(ApiError::Forbidden)));
    }

    #[test]
    fn missing_expired_forged_or_malformed_tokens_are_refused() {
        let expired = issue(SECRET, &claims(-1)).unwrap();
        let forged = issue(b"another-secret-another-secret-12345", &claims(60)).unwrap();
        for header in [
            None,
            Some("Bearer".to_owned()),
            Some("Basic abc".to_owned()),
            Some(format!("Bearer {expired}")),
            Some(format!("Bearer {forged}")),
            Some("Bearer not.a.jwt".to_owned()),
        ] {
            let result = bearer(&request(header.as_deref()), SECRET, now());
            assert!(matches!(result, Err(ApiError::Unauthorized)), "{header:?}");
        }
        let token = issue(SECRET, &claims(60)).unwrap();
        assert!(matches!(
            bearer(&request(Some(&format!("Bearer {token}"))), b"", now()),
            Err(ApiError::Unauthorized)
        ));
    }
}
