//! `cargo xtask bench webhook`: a load driver against the release `hotel-agent` with a mock Graph API.
//! `cargo xtask bench parse`: the webhook parser's throughput on one thread ([`parse`]).
//! `cargo xtask bench nlp`: the built-in NLU's start-up, memory and parse latency ([`nlp`]).

mod app;
mod graph_mock;
mod load;
mod nlp;
mod parse;
mod report;
mod stats;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::util::{cargo, run as run_command, target_dir};
use app::{AppEnv, AppProcess, BenchDatabase, ScratchDir, free_port, random_token};
use graph_mock::GraphMock;
use load::WebhookTarget;
use report::BackendReport;

const READY_DEADLINE: Duration = Duration::from_secs(60);
const SETTLE_QUIET: Duration = Duration::from_secs(2);
const SETTLE_DEADLINE: Duration = Duration::from_secs(60);
/// How long a phase's backlog may take to drain, and how long its replies may pause.
const SETTLE_BACKLOG_DEADLINE: Duration = Duration::from_secs(600);
const SETTLE_STALL: Duration = Duration::from_secs(15);

#[derive(Debug, Subcommand)]
pub enum BenchTarget {
    /// Signed WhatsApp webhooks: acknowledgement latency per concurrency level, then end-to-end replies/s.
    Webhook(WebhookArgs),
    /// Signature check + parse + normalise of a three-message webhook on one thread (payloads/s).
    Parse(parse::ParseArgs),
    /// The built-in NLU on one thread: start-up, memory, p50/p95/p99 parse latency per message.
    Nlp(nlp::NlpArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Seconds of load per concurrency level.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// The database backend(s) to measure.
    #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
    backend: Backend,
    /// Write the tables into this markdown file (between markers; the rest of the file is kept).
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
    /// Concurrency levels of the acknowledgement phases.
    #[arg(long, value_delimiter = ',', default_value = "1,10,50")]
    concurrency: Vec<usize>,
    /// Messages of the end-to-end run.
    #[arg(long, default_value_t = 5_000)]
    messages: u64,
    /// Concurrency of the end-to-end run.
    #[arg(long, default_value_t = 50)]
    e2e_concurrency: usize,
    /// Seconds to wait for all end-to-end replies.
    #[arg(long, default_value_t = 300)]
    e2e_timeout: u64,
    /// A server on which to create (and afterwards drop) the benchmark's PostgreSQL database.
    #[arg(
        long,
        env = "TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres_url: String,
    /// Run this binary instead of building target/release/hotel-agent.
    #[arg(long, value_name = "PATH")]
    binary: Option<PathBuf>,
}

pub fn run(target: BenchTarget) -> Result<()> {
    match target {
        BenchTarget::Webhook(args) => webhook(&args),
        BenchTarget::Parse(args) => parse::run(&args),
        BenchTarget::Nlp(args) => nlp::run(&args),
    }
}

/// An HTTP client for the driver (reqwest is built without a default TLS crypto provider).
pub fn http_client() -> Result<reqwest::Client> {
    // Fails only when a provider is installed already, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

fn webhook(args: &WebhookArgs) -> Result<()> {
    if args.concurrency.is_empty() || args.concurrency.contains(&0) || args.e2e_concurrency == 0 {
        bail!("concurrency levels must be at least 1");
    }
    let binary = match &args.binary {
        Some(binary) => binary.clone(),
        None => {
            run_command(cargo().args(["build", "--release", "-p", "hotel-agent"]))?;
            target_dir()?.join("release").join("hotel-agent")
        }
    };
    if !binary.is_file() {
        bail!("{} does not exist", binary.display());
    }
    let backends: &[&'static str] = match args.backend {
        Backend::Sqlite => &["SQLite"],
        Backend::Postgres => &["PostgreSQL"],
        Backend::Both => &["SQLite", "PostgreSQL"],
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let mut tables = Vec::new();
    for backend in backends {
        println!("bench: {backend}");
        // On Ctrl-C the run is abandoned so that its guards kill the child and drop the database.
        let report = runtime.block_on(async {
            tokio::select! {
                report = run_backend(args, &binary, backend) => report,
                _ = tokio::signal::ctrl_c() => bail!("interrupted"),
            }
        })?;
        let table = report::render_backend(&report, args.seconds);
        println!("\n{table}");
        tables.push(table);
    }
    if let Some(path) = &args.write {
        let run = report::run_context(path);
        let section = report::render_section(&run.date, &run.machine, &run.command, &tables);
        report::write_section(&run.path, &section)?;
        println!("bench: wrote {}", run.path.display());
    }
    Ok(())
}

/// Runs `cargo bench -p <package> --bench <bench> -- --seconds <seconds>` (release profile) and
/// returns the figures it printed as its last JSON line on stdout.
fn cargo_bench<T: serde::de::DeserializeOwned>(
    package: &str,
    bench: &str,
    seconds: u64,
) -> Result<T> {
    if seconds == 0 {
        bail!("--seconds must be at least 1");
    }
    let mut command = cargo();
    command
        .args(["bench", "-p", package, "--bench", bench, "--"])
        .args(["--seconds", &seconds.to_string()])
        .stderr(std::process::Stdio::inherit());
    println!("$ {}", crate::util::display(&command));
    let output = command.output().context("cannot start cargo bench")?;
    if !output.status.success() {
        bail!("the {bench} bench failed ({})", output.status);
    }
    last_json_line(&String::from_utf8_lossy(&output.stdout), bench)
}

/// The last line of a bench's stdout that parses as its figures.
fn last_json_line<T: serde::de::DeserializeOwned>(stdout: &str, bench: &str) -> Result<T> {
    stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line.trim()).ok())
        .with_context(|| format!("the {bench} bench printed no figures"))
}

async fn run_backend(
    args: &WebhookArgs,
    binary: &std::path::Path,
    backend: &'static str,
) -> Result<BackendReport> {
    let scratch = ScratchDir::new()?;
    let database = if backend == "PostgreSQL" {
        BenchDatabase::postgres(&args.postgres_url)?
    } else {
        BenchDatabase::sqlite(&scratch)
    };
    let phone_number_id = format!(
        "1{}",
        rand::random_range(10_000_000_000_000u64..99_999_999_999_999)
    );
    let app_secret = random_token(32);
    let mock = GraphMock::start(&phone_number_id).await?;
    let port = free_port()?;
    let client = http_client()?;
    // Declared after the database and the scratch directory: dropped (killed) before them.
    let mut app = AppProcess::spawn(
        binary,
        &scratch,
        &AppEnv {
            port,
            database_url: database.url(),
            graph_api_base: &mock.base_url(),
            app_secret: &app_secret,
            verify_token: &random_token(24),
            access_token: &random_token(40),
            phone_number_id: &phone_number_id,
        },
    )?;
    app.wait_ready(&client, READY_DEADLINE).await?;
    println!(
        "bench: hotel-agent ready at {} ({})",
        app.base_url,
        database.url()
    );

    let target = Arc::new(WebhookTarget::new(
        client,
        &app.base_url,
        &app_secret,
        &phone_number_id,
        &random_token(6),
    ));
    let mut acks = Vec::new();
    for &concurrency in &args.concurrency {
        let result =
            load::ack_phase(&target, concurrency, Duration::from_secs(args.seconds)).await?;
        println!(
            "bench: c{concurrency}: {} acks, {} errors, p50 {} ms, p99 {} ms",
            result.latency.count,
            result.errors,
            stats::millis(result.latency.p50),
            stats::millis(result.latency.p99)
        );
        acks.push(result);
        // Every acknowledged message is answered once: wait for those answers, so the next
        // phase (and the end-to-end run) does not start behind this phase's backlog.
        let expected = acks
            .iter()
            .map(|a| u64::try_from(a.latency.count).unwrap_or(u64::MAX))
            .sum();
        settle(&mock, &mut app, expected).await?;
    }
    let replies_during_acks = mock.messages();

    println!(
        "bench: end to end, {} messages at c{}",
        args.messages, args.e2e_concurrency
    );
    let end_to_end = load::end_to_end(
        &target,
        &mock,
        args.messages,
        args.e2e_concurrency,
        Duration::from_secs(args.e2e_timeout),
    )
    .await?;
    if !app.running() {
        bail!(
            "hotel-agent exited during the benchmark:\n{}",
            app.log_tail()
        );
    }
    if mock.other_requests() > 0 {
        println!(
            "bench: the Graph API mock got {} request(s) to other paths than /{phone_number_id}/messages",
            mock.other_requests()
        );
    }
    Ok(BackendReport {
        backend,
        acks,
        end_to_end,
        replies_during_acks,
    })
}

/// Lets the replies of a phase drain before the next one starts, so phases do not overlap:
/// waits for `expected` replies in all, as long as they keep arriving, then for quiet.
async fn settle(mock: &GraphMock, app: &mut AppProcess, expected: u64) -> Result<()> {
    if !app.running() {
        bail!(
            "hotel-agent exited during the benchmark:\n{}",
            app.log_tail()
        );
    }
    let drained = Instant::now();
    if !mock
        .wait_for(expected, SETTLE_STALL, drained + SETTLE_BACKLOG_DEADLINE)
        .await
    {
        println!(
            "bench: {} of {expected} replies after {:.0} s; going on",
            mock.messages(),
            drained.elapsed().as_secs_f64()
        );
    }
    if !mock
        .wait_quiet(SETTLE_QUIET, Instant::now() + SETTLE_DEADLINE)
        .await
    {
        println!(
            "bench: replies still arriving after {} s; going on",
            SETTLE_DEADLINE.as_secs()
        );
    }
    Ok(())
}
