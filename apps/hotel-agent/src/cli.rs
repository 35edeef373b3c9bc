//! The command line: `serve` (default), `migrate`, `check-config`, `nlp parse`, `nlp eval`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use hotel_domain::{Clock, Language, SystemClock};
use hotel_nlp::{BuiltinNlu, Nlu, NluContext, evaluate, parse_labelled};
use hotel_observability::LogFormat;

use crate::settings::Settings;
use crate::startup::Application;

/// The hotel guest assistant.
#[derive(Debug, Parser)]
#[command(name = "hotel-agent", version, about)]
pub struct Cli {
    /// A TOML configuration file (see the README); `HOTEL__SECTION__KEY` variables override it.
    #[arg(long, global = true, env = "HOTEL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the HTTP API and the background workers (the default).
    Serve,
    /// Applies pending database migrations and exits.
    Migrate,
    /// Loads and validates the configuration, prints it with secrets redacted.
    CheckConfig,
    /// The language understanding model.
    Nlp {
        #[command(subcommand)]
        command: NlpCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum NlpCommand {
    /// Prints the NLU result of one message as JSON.
    Parse {
        text: String,
        /// Force the language (es, en, pt).
        #[arg(long)]
        lang: Option<Language>,
        /// The date relative dates are resolved against (YYYY-MM-DD); default: today in the hotel's time zone.
        #[arg(long, value_name = "YYYY-MM-DD")]
        reference_date: Option<NaiveDate>,
    },
    /// Scores the NLU on a labelled JSON Lines file (format in `nlu-schema.md`): intent
    /// accuracy, macro-F1 per language, entity precision/recall and the confusions.
    Eval {
        #[arg(value_name = "FILE.jsonl")]
        file: PathBuf,
    },
}

fn out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").context("writing to stdout")
}

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::CheckConfig => {
            out(&settings.to_redacted_toml()?)?;
            out("# configuration OK")
        }
        Command::Migrate => {
            init_logs(&settings)?;
            let store = hotel_store::Store::connect(
                &settings.database.url,
                settings.database.max_connections as usize,
            )
            .await
            .context("connecting to the database")?;
            let applied = store.migrate().await.context("applying migrations")?;
            out(&format!("applied {applied} migration(s)"))
        }
        Command::Serve => {
            init_logs(&settings)?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let app = Application::build(settings, clock).await?;
            tracing::info!(port = app.port(), "hotel-agent listening");
            app.start().run_until_signal().await
        }
        Command::Nlp {
            command:
                NlpCommand::Parse {
                    text,
                    lang,
                    reference_date,
                },
        } => {
            let tz: chrono_tz::Tz = settings.hotel.timezone.parse().unwrap_or(chrono_tz::UTC);
            let reference_date =
                reference_date.unwrap_or_else(|| SystemClock.now().with_timezone(&tz).date_naive());
            let context = NluContext {
                reference_date,
                conversation_language: None,
                forced_language: lang,
                last_question: None,
            };
            let result = BuiltinNlu::new()?.parse(&text, &context).await?;
            out(&serde_json::to_string(&result)?)
        }
        Command::Nlp {
            command: NlpCommand::Eval { file },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let examples =
                parse_labelled(&text).with_context(|| format!("reading {}", file.display()))?;
            anyhow::ensure!(
                !examples.is_empty(),
                "{} has no labelled lines",
                file.display()
            );
            let report = evaluate(&BuiltinNlu::new()?, &examples).await?;
            out(report.to_string().trim_end())
        }
    }
}

fn init_logs(settings: &Settings) -> anyhow::Result<()> {
    let format = if settings.is_production() {
        LogFormat::Json
    } else {
        LogFormat::Compact
    };
    hotel_observability::init_tracing(format, "info,actix_server=warn")?;
    Ok(())
}
