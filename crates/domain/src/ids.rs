use serde::{Deserialize, Serialize};

/// A hotel (tenant) identifier, e.g. `default`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A guest's WhatsApp id exactly as Meta sends it (digits, no `+`), or a business-scoped user id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WaId(String);

impl WaId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for WaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_plain_strings() {
        let json = serde_json::to_string(&(TenantId::new("h1"), WaId::new("5491155550000")))
            .unwrap_or_default();
        assert_eq!(json, r#"["h1","5491155550000"]"#);
        assert_eq!(TenantId::new("h1").to_string(), "h1");
        assert_eq!(WaId::new("54").as_str(), "54");
    }
}
