//! Serde helpers: strings that may arrive as numbers (from environment variables, e.g. a numeric
//! phone number id or token) and redaction of secrets when settings are printed.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Str(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Str(s) => s,
            Scalar::Int(n) => n.to_string(),
            Scalar::UInt(n) => n.to_string(),
            Scalar::Float(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// A string, also accepting a number or boolean written without quotes.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Scalar::deserialize(deserializer).map(Scalar::into_string)
}

/// A secret string, also accepting a number written without quotes.
pub fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    string(deserializer).map(SecretString::from)
}

/// Prints a secret as `""` when unset and `"[redacted]"` otherwise.
pub fn redact<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    if secret.expose_secret().is_empty() {
        serializer.serialize_str("")
    } else {
        serializer.serialize_str("[redacted]")
    }
}

/// Prints a URL with its credentials hidden.
pub fn redact_url<S: Serializer>(url: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&hotel_observability::redact::redact_url_credentials(url))
}
