//! The system under test: the release `hotel-agent` as a child process configured only by environment
//! variables, its database (SQLite file or a fresh PostgreSQL database) and its scratch directory.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rand::Rng;
use rand::distr::Alphanumeric;

use crate::util::{capture, display, tail};

/// A random lowercase alphanumeric string.
pub fn random_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(|byte| char::from(byte).to_ascii_lowercase())
        .collect()
}

/// A free TCP port on 127.0.0.1 (bound then released).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr().context("no local address")?.port())
}

/// A scratch directory, removed when dropped.
pub struct ScratchDir {
    pub path: PathBuf,
}

impl ScratchDir {
    pub fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!("hotel-bench-{}", random_token(10)));
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Self { path })
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The database of one run: a SQLite file in the scratch directory, or a PostgreSQL database
/// created for the run and dropped when this is dropped.
pub enum BenchDatabase {
    Sqlite {
        url: String,
    },
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

impl BenchDatabase {
    pub fn sqlite(scratch: &ScratchDir) -> Self {
        let path = scratch.path.join("bench.db");
        Self::Sqlite {
            url: format!("sqlite://{}", path.display()),
        }
    }

    /// Creates `bench_<random>` through `psql` on the server of `admin_url` (any database on it).
    pub fn postgres(admin_url: &str) -> Result<Self> {
        let name = format!("bench_{}", random_token(10));
        psql(admin_url, &format!("CREATE DATABASE {name}"))?;
        let mut url = url::Url::parse(admin_url).context("invalid PostgreSQL URL")?;
        url.set_path(&format!("/{name}"));
        Ok(Self::Postgres {
            url: url.to_string(),
            admin_url: admin_url.to_owned(),
            name,
        })
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url } | Self::Postgres { url, .. } => url,
        }
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if let Self::Postgres {
            admin_url, name, ..
        } = self
            && let Err(error) = psql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
        {
            eprintln!("bench: could not drop database {name}: {error:#}");
        }
    }
}

fn psql(url: &str, sql: &str) -> Result<()> {
    let mut command = Command::new("psql");
    command.args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
    let output = capture(&mut command).context(
        "psql is needed for the PostgreSQL benchmark (apt-get install -y postgresql-client)",
    )?;
    if !output.status.success() {
        bail!(
            "`{}` failed: {}",
            display(&command),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// What the child process is told through its environment.
pub struct AppEnv<'a> {
    pub port: u16,
    pub database_url: &'a str,
    pub graph_api_base: &'a str,
    pub app_secret: &'a str,
    pub verify_token: &'a str,
    pub access_token: &'a str,
    pub phone_number_id: &'a str,
}

/// The running `hotel-agent`; killed when dropped.
pub struct AppProcess {
    child: Child,
    log_path: PathBuf,
    pub base_url: String,
}

impl AppProcess {
    pub fn spawn(binary: &Path, scratch: &ScratchDir, env: &AppEnv<'_>) -> Result<Self> {
        let log_path = scratch.path.join("hotel-agent.log");
        let log = File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let log_err = log.try_clone().context("cannot share the log file")?;
        let mut command = Command::new(binary);
        // Only our variables configure it: no config file, no inherited HOTEL*, DATABASE_URL, REDIS_URL.
        for (key, _) in std::env::vars_os() {
            let key_text = key.to_string_lossy();
            if key_text.starts_with("HOTEL")
                || key_text == "DATABASE_URL"
                || key_text == "REDIS_URL"
            {
                command.env_remove(&key);
            }
        }
        command
            .current_dir(&scratch.path)
            .env("HOTEL__SERVER__BIND", format!("127.0.0.1:{}", env.port))
            .env("HOTEL__SERVER__ENVIRONMENT", "development")
            .env("DATABASE_URL", env.database_url)
            .env("HOTEL__WHATSAPP__API_BASE", env.graph_api_base)
            .env("HOTEL__WHATSAPP__APP_SECRET", env.app_secret)
            .env("HOTEL__WHATSAPP__VERIFY_TOKEN", env.verify_token)
            .env("HOTEL__WHATSAPP__ACCESS_TOKEN", env.access_token)
            .env("HOTEL__WHATSAPP__PHONE_NUMBER_ID", env.phone_number_id)
            // The service's own throughput, not Meta's 80 messages/s tier: a number upgraded to
            // Meta's unlimited tier is configured the same way.
            .env("HOTEL__WHATSAPP__SEND_RATE_PER_SECOND", "0")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        Ok(Self {
            child,
            log_path,
            base_url: format!("http://127.0.0.1:{}", env.port),
        })
    }

    /// The last lines of the child's output.
    pub fn log_tail(&self) -> String {
        std::fs::read_to_string(&self.log_path)
            .map(|log| tail(&log, 30))
            .unwrap_or_default()
    }

    /// Polls `GET /health/ready` until 200; fails if the child exits or the deadline passes.
    pub async fn wait_ready(&mut self, client: &reqwest::Client, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        let url = format!("{}/health/ready", self.base_url);
        loop {
            if let Some(status) = self.child.try_wait().context("cannot poll the child")? {
                bail!(
                    "hotel-agent exited ({status}) before it was ready:\n{}",
                    self.log_tail()
                );
            }
            let last = match client
                .get(&url)
                .timeout(Duration::from_secs(2))
                .send()
                .await
            {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) => {
                    let status = response.status();
                    format!("{status} {}", response.text().await.unwrap_or_default())
                }
                Err(error) => error.to_string(),
            };
            if Instant::now() >= deadline {
                bail!(
                    "GET /health/ready did not answer 200 within {} s (last: {last}):\n{}",
                    within.as_secs(),
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Whether the child is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for AppProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
