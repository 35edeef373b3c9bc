//! The TLS configuration of the Graph API client.
//!
//! reqwest is built with `rustls-no-provider`, which would otherwise need a process-wide crypto
//! provider installed before the first client. This builds a rustls config with the `ring` provider
//! explicitly and the platform certificate verifier (the system's roots), as reqwest would.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

/// A rustls client config for HTTPS with HTTP/2 and HTTP/1.1 offered by ALPN.
pub fn client_config() -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    // reqwest only sets ALPN on configs it builds itself.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
