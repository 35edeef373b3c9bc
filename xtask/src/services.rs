//! `cargo xtask services`: PostgreSQL and Redis must be reachable; local ones are started if installed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use url::{Host, Url};

use crate::util::display;

const START_DEADLINE: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// How to tell that the server on a port speaks the expected protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// An SSLRequest answered by `S` or `N`.
    Postgres,
    /// `PING` answered by a RESP simple string or error (`+PONG`, `-NOAUTH ...`).
    Redis,
}

impl Protocol {
    /// Sends the probe on a connected stream; true when the answer is the protocol's.
    fn answers(self, stream: &mut TcpStream) -> bool {
        let probe: &[u8] = match self {
            // Length 8, code 80877103.
            Self::Postgres => &[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f],
            Self::Redis => b"PING\r\n",
        };
        let mut answer = [0u8; 1];
        stream.set_read_timeout(Some(PROBE_TIMEOUT)).is_ok()
            && stream.set_write_timeout(Some(PROBE_TIMEOUT)).is_ok()
            && stream.write_all(probe).is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && match self {
                Self::Postgres => matches!(answer[0], b'S' | b'N'),
                Self::Redis => matches!(answer[0], b'+' | b'-'),
            }
    }
}

/// A service the tests need, and where it is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub name: &'static str,
    pub protocol: Protocol,
    pub env_var: &'static str,
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    /// The endpoint named by `env_var` (a URL), or the default host and port when unset or empty.
    pub fn from_url(
        name: &'static str,
        protocol: Protocol,
        env_var: &'static str,
        value: Option<&str>,
        default_port: u16,
    ) -> Result<Self> {
        let mut endpoint = Self {
            name,
            protocol,
            env_var,
            host: "127.0.0.1".to_owned(),
            port: default_port,
        };
        let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
            return Ok(endpoint);
        };
        let url = Url::parse(value).with_context(|| format!("{env_var} is not a URL"))?;
        match url.host() {
            Some(Host::Domain(domain)) if !domain.is_empty() => endpoint.host = domain.to_owned(),
            Some(Host::Ipv4(ip)) => endpoint.host = ip.to_string(),
            Some(Host::Ipv6(ip)) => endpoint.host = ip.to_string(),
            _ => {}
        }
        endpoint.port = url.port().unwrap_or(default_port);
        Ok(endpoint)
    }

    pub fn is_local(&self) -> bool {
        matches!(
            self.host.as_str(),
            "127.0.0.1" | "localhost" | "::1" | "0.0.0.0"
        )
    }

    /// Whether the server answers its protocol's probe (a bare TCP connect is not enough:
    /// a sandbox's proxy may accept any connection).
    pub fn reachable(&self) -> bool {
        let Ok(addresses) = (self.host.as_str(), self.port).to_socket_addrs() else {
            return false;
        };
        addresses.into_iter().any(|address: SocketAddr| {
            TcpStream::connect_timeout(&address, CONNECT_TIMEOUT)
                .is_ok_and(|mut stream| self.protocol.answers(&mut stream))
        })
    }

    fn wait_reachable(&self, deadline: Instant) -> bool {
        loop {
            if self.reachable() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

pub fn postgres_endpoint() -> Result<Endpoint> {
    let value = std::env::var("TEST_DATABASE_URL").ok();
    Endpoint::from_url(
        "PostgreSQL",
        Protocol::Postgres,
        "TEST_DATABASE_URL",
        value.as_deref(),
        5432,
    )
}

pub fn redis_endpoint() -> Result<Endpoint> {
    let value = std::env::var("REDIS_URL").ok();
    Endpoint::from_url(
        "Redis",
        Protocol::Redis,
        "REDIS_URL",
        value.as_deref(),
        6379,
    )
}

/// Makes sure both services are reachable; starts local ones if they are installed.
pub fn ensure() -> Result<()> {
    let postgres = postgres_endpoint()?;
    let redis = redis_endpoint()?;
    let mut problems = Vec::new();
    for (endpoint, start) in [
        (&postgres, start_postgres as fn(&Endpoint) -> Result<()>),
        (&redis, start_redis),
    ] {
        if let Err(problem) = ensure_one(endpoint, start) {
            problems.push(format!("{problem:#}"));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    bail!(
        "{}\n\nInstall the servers with `apt-get install -y postgresql redis-server` (then run \
         `cargo xtask services` again to start them), or point at running ones with \
         TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB and REDIS_URL=redis://HOST:PORT",
        problems.join("\n")
    )
}

fn ensure_one(endpoint: &Endpoint, start: fn(&Endpoint) -> Result<()>) -> Result<()> {
    let at = format!("{}:{}", endpoint.host, endpoint.port);
    if endpoint.reachable() {
        println!("services: {} is reachable at {at}", endpoint.name);
        return Ok(());
    }
    if !endpoint.is_local() {
        bail!(
            "{} is not reachable at {at} (from {}); it is not local, so it is not started here",
            endpoint.name,
            endpoint.env_var
        );
    }
    println!(
        "services: {} is not reachable at {at}; starting it",
        endpoint.name
    );
    start(endpoint).with_context(|| format!("{} is not reachable at {at}", endpoint.name))?;
    if endpoint.wait_reachable(Instant::now() + START_DEADLINE) {
        println!("services: {} is up at {at}", endpoint.name);
        Ok(())
    } else {
        bail!(
            "{} was started but is still not reachable at {at} after {} s",
            endpoint.name,
            START_DEADLINE.as_secs()
        )
    }
}

/// The newest PostgreSQL cluster version under /etc/postgresql (`15`, `16`, ...).
fn postgres_version() -> Result<String> {
    let dir = Path::new("/etc/postgresql");
    let entries =
        std::fs::read_dir(dir).context("PostgreSQL is not installed (no /etc/postgresql)")?;
    let mut versions: Vec<(u32, String)> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter_map(|name| {
            let major = name.split('.').next()?.parse::<u32>().ok()?;
            Some((major, name))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, name)| name)
        .context("PostgreSQL is not installed (no cluster under /etc/postgresql)")
}

fn start_postgres(_endpoint: &Endpoint) -> Result<()> {
    let version = postgres_version()?;
    let mut command = Command::new("pg_ctlcluster");
    command.args(["--skip-systemctl-redirect", &version, "main", "start"]);
    start_detached(&mut command)
}

fn start_redis(endpoint: &Endpoint) -> Result<()> {
    let port = endpoint.port.to_string();
    let mut command = Command::new("redis-server");
    command.args([
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        &port,
        "--save",
        "",
        "--appendonly",
        "no",
    ]);
    start_detached(&mut command)
}

/// Runs a command that starts a daemon; a non-zero exit is reported but not fatal
/// (the cluster may be starting already), the reachability wait decides.
fn start_detached(command: &mut Command) -> Result<()> {
    let shown = display(command);
    println!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("cannot run `{shown}` (not installed?)"))?;
    if !status.success() {
        println!("services: `{shown}` exited with {status}; waiting for the port anyway");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_unset_or_empty() {
        let endpoint =
            Endpoint::from_url("PostgreSQL", Protocol::Postgres, "X", None, 5432).unwrap();
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("127.0.0.1", 5432));
        let endpoint = Endpoint::from_url("Redis", Protocol::Redis, "X", Some("  "), 6379).unwrap();
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("127.0.0.1", 6379));
    }

    #[test]
    fn host_and_port_from_urls() {
        let endpoint = Endpoint::from_url(
            "PostgreSQL",
            Protocol::Postgres,
            "X",
            Some("postgres://u:p@db.internal:6543/t"),
            5432,
        )
        .unwrap();
        assert_eq!(
            (endpoint.host.as_str(), endpoint.port),
            ("db.internal", 6543)
        );
        assert!(!endpoint.is_local());
        let endpoint =
            Endpoint::from_url("Redis", Protocol::Redis, "X", Some("redis://[::1]/0"), 6379)
                .unwrap();
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("::1", 6379));
        assert!(endpoint.is_local());
    }

    /// A one-connection server on 127.0.0.1 that reads the probe and answers `reply` (nothing if empty).
    fn fake_server(reply: &'static [u8]) -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut probe = [0u8; 6];
                let _ = stream.read(&mut probe);
                let _ = stream.write_all(reply);
                std::thread::sleep(Duration::from_millis(2500));
            }
        });
        port
    }

    fn local(protocol: Protocol, port: u16) -> Endpoint {
        Endpoint {
            name: "x",
            protocol,
            env_var: "X",
            host: "127.0.0.1".to_owned(),
            port,
        }
    }

    #[test]
    fn probes_need_the_protocol_answer() {
        assert!(local(Protocol::Postgres, fake_server(b"N")).reachable());
        assert!(
            local(
                Protocol::Redis,
                fake_server(b"-NOAUTH Authentication required.\r\n")
            )
            .reachable()
        );
        assert!(
            !local(
                Protocol::Redis,
                fake_server(b"HTTP/1.1 400 Bad Request\r\n")
            )
            .reachable()
        );
        assert!(!local(Protocol::Postgres, fake_server(b"")).reachable());
    }

    #[test]
    fn rejects_garbage() {
        assert!(
            Endpoint::from_url(
                "Redis",
                Protocol::Redis,
                "REDIS_URL",
                Some("not a url"),
                6379
            )
            .is_err()
        );
    }
}
