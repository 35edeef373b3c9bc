//! Builds and runs the HTTP server and the workers.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use hotel_domain::Clock;

use crate::error::not_found;
use crate::middleware::request_context;
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;
use crate::workers::Workers;

/// A built application, bound to its port, not yet running.
pub struct Application {
    port: u16,
    server: Server,
    state: Arc<AppState>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Connects and migrates the store, builds every component and binds `server.bind`
    /// (port 0 picks a free port).
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let bind = settings.server.bind.clone();
        let http_workers = settings.server.http_workers;
        let state = Arc::new(AppState::build(settings, clock).await?);
        let listener = TcpListener::bind(&bind).with_context(|| format!("binding {bind}"))?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        let data = web::Data::from(Arc::clone(&state));
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(request_context))
                .app_data(data.clone())
                .configure(routes::configure)
                .default_service(web::to(not_found))
        })
        .listen(listener)
        .context("listening")?
        .shutdown_timeout(10)
        .disable_signals();
        if http_workers > 0 {
            server = server.workers(http_workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> Arc<AppState> {
        Arc::clone(&self.state)
    }

    /// Starts serving and working; returns a handle that stops both.
    pub fn start(self) -> RunningApplication {
        let workers = self
            .state
            .settings
            .workers
            .enabled
            .then(|| Workers::start(Arc::clone(&self.state)));
        let handle = self.server.handle();
        let server = tokio::spawn(self.server);
        RunningApplication {
            port: self.port,
            handle,
            server,
            workers,
            state: self.state,
        }
    }
}

/// A running application.
#[derive(Debug)]
pub struct RunningApplication {
    pub port: u16,
    handle: ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: Option<Workers>,
    pub state: Arc<AppState>,
}

impl RunningApplication {
    /// Stops accepting requests, finishes the workers' current batch, and waits for both.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        if let Some(workers) = self.workers {
            workers.shutdown().await;
        }
        let _ = self.server.await;
    }

    /// Runs until Ctrl-C or SIGTERM, then stops gracefully.
    pub async fn run_until_signal(self) -> anyhow::Result<()> {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await;
        Ok(())
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
