//! Markdown tables of a benchmark run, and writing them into a file between markers.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::load::{AckResult, EndToEndResult};
use super::stats::{millis, rate};
use crate::util::workspace_root;

pub const START_MARKER: &str = "<!-- xtask bench webhook: start -->";
pub const END_MARKER: &str = "<!-- xtask bench webhook: end -->";

/// Everything measured against one backend.
#[derive(Debug, Clone)]
pub struct BackendReport {
    pub backend: &'static str,
    pub acks: Vec<AckResult>,
    pub end_to_end: EndToEndResult,
    /// Replies the mock received while the acknowledgement phases ran and settled.
    pub replies_during_acks: u64,
}

/// The tables of one backend.
pub fn render_backend(report: &BackendReport, seconds: u64) -> String {
    let mut out = format!(
        "### {}\n\nAcknowledgement latency (`POST /webhooks/whatsapp` → 200), {seconds} s per level:\n\n\
         | concurrency | requests | errors | acks/s | p50 ms | p95 ms | p99 ms | max ms |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|\n",
        report.backend
    );
    for ack in &report.acks {
        let requests = ack.latency.count as u64 + ack.errors;
        out.push_str(&format!(
            "| {} | {requests} | {} | {:.0} | {} | {} | {} | {} |\n",
            ack.concurrency,
            ack.errors,
            rate(ack.latency.count as u64, ack.elapsed),
            millis(ack.latency.p50),
            millis(ack.latency.p95),
            millis(ack.latency.p99),
            millis(ack.latency.max),
        ));
    }
    let e2e = &report.end_to_end;
    let outcome = if e2e.timed_out {
        format!("timed out: {} of {} replies", e2e.replies, e2e.acked)
    } else {
        format!("all {} replies", e2e.acked)
    };
    out.push_str(&format!(
        "\nEnd to end (webhook in → reply at the Graph API mock), {} messages from distinct guests at concurrency {}:\n\n\
         | messages | errors | sending s | last reply s | replies | replies/s |\n\
         |---:|---:|---:|---:|---|---:|\n\
         | {} | {} | {:.2} | {:.2} | {outcome} | {:.0} |\n",
        e2e.messages,
        e2e.concurrency,
        e2e.messages,
        e2e.errors,
        e2e.send_elapsed.as_secs_f64(),
        e2e.elapsed.as_secs_f64(),
        rate(e2e.replies, e2e.elapsed),
    ));
    if report.replies_during_acks > 0 {
        out.push_str(&format!(
            "\n({} replies were sent during the acknowledgement phases.)\n",
            report.replies_during_acks
        ));
    }
    out
}

/// The whole section written by `--write`.
pub fn render_section(date: &str, machine: &str, command: &str, backends: &[String]) -> String {
    format!(
        "{START_MARKER}\n## Webhook load (`cargo xtask bench webhook`)\n\n\
         - date: {date}\n- machine: {machine}\n- command: `{command}`\n\
         - the load driver and the service share the machine's cores.\n\n{}{END_MARKER}\n",
        backends.join("\n")
    )
}

/// The file with the section replaced (between the markers), appended, or as the whole new file.
#[cfg(test)]
pub fn merge_section(existing: Option<&str>, section: &str) -> String {
    merge_section_between(existing, section, START_MARKER, END_MARKER)
}

/// [`merge_section`] for a section with its own markers (each benchmark writes its own section).
pub fn merge_section_between(
    existing: Option<&str>,
    section: &str,
    start_marker: &str,
    end_marker: &str,
) -> String {
    let Some(existing) = existing else {
        return format!("# Performance\n\n{section}");
    };
    if let (Some(start), Some(end)) = (existing.find(start_marker), existing.find(end_marker))
        && start < end
    {
        let after = existing.get(end + end_marker.len()..).unwrap_or_default();
        let after = after.strip_prefix('\n').unwrap_or(after);
        let before = existing.get(..start).unwrap_or_default();
        return format!("{before}{section}{after}");
    }
    let separator = if existing.ends_with("\n\n") || existing.is_empty() {
        ""
    } else if existing.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    format!("{existing}{separator}{section}")
}

pub fn write_section(path: &Path, section: &str) -> Result<()> {
    write_section_between(path, section, START_MARKER, END_MARKER)
}

/// [`write_section`] for a section with its own markers.
pub fn write_section_between(
    path: &Path,
    section: &str,
    start_marker: &str,
    end_marker: &str,
) -> Result<()> {
    let existing = std::fs::read_to_string(path).ok();
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let merged = merge_section_between(existing.as_deref(), section, start_marker, end_marker);
    std::fs::write(path, merged).with_context(|| format!("cannot write {}", path.display()))
}

/// What a written report says about the run, and where it goes.
#[derive(Debug, Clone)]
pub struct RunContext {
    /// The file, resolved against the workspace root when relative.
    pub path: PathBuf,
    /// `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
    /// [`machine_description`].
    pub machine: String,
    /// The command line, as `cargo xtask …`.
    pub command: String,
}

/// The context of this run for a report written to `path`.
pub fn run_context(path: &Path) -> RunContext {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        workspace_root().join(path)
    };
    let command = std::iter::once("cargo xtask".to_owned())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    RunContext {
        path,
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        machine: machine_description(),
        command,
    }
}

/// `2 cores (nproc); <cpu model>; <memory> GiB RAM`.
pub fn machine_description() -> String {
    let cores = std::process::Command::new("nproc")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|cores| !cores.is_empty())
        .unwrap_or_else(|| "?".to_owned());
    let mut parts = vec![format!("{cores} cores (nproc)")];
    if let Ok(cpuinfo) = std::fs::read_to_string("/proc/cpuinfo")
        && let Some(model) = cpuinfo.lines().find_map(|line| {
            line.strip_prefix("model name")
                .and_then(|rest| rest.split_once(':'))
        })
    {
        parts.push(model.1.trim().to_owned());
    }
    if let Ok(meminfo) = std::fs::read_to_string("/proc/meminfo")
        && let Some(kib) = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse::<u64>().ok())
    {
        parts.push(format!("{:.0} GiB RAM", kib as f64 / 1024.0 / 1024.0));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::LatencySummary;
    use std::time::Duration;

    fn sample() -> BackendReport {
        BackendReport {
            backend: "SQLite",
            acks: vec![AckResult {
                concurrency: 10,
                elapsed: Duration::from_secs(2),
                errors: 1,
                latency: LatencySummary {
                    count: 1000,
                    p50: Duration::from_micros(1500),
                    p95: Duration::from_millis(3),
                    p99: Duration::from_millis(5),
                    max: Duration::from_millis(9),
                },
            }],
            end_to_end: EndToEndResult {
                concurrency: 50,
                messages: 100,
                acked: 100,
                errors: 0,
                send_elapsed: Duration::from_millis(500),
                replies: 100,
                elapsed: Duration::from_secs(2),
                timed_out: false,
            },
            replies_during_acks: 0,
        }
    }

    #[test]
    fn backend_table() {
        let table = render_backend(&sample(), 10);
        assert!(
            table.contains("| 10 | 1001 | 1 | 500 | 1.50 | 3.00 | 5.00 | 9.00 |"),
            "{table}"
        );
        assert!(
            table.contains("| 100 | 0 | 0.50 | 2.00 | all 100 replies | 50 |"),
            "{table}"
        );
    }

    #[test]
    fn section_is_replaced_between_markers_or_appended() {
        let section = render_section(
            "2026-11-25",
            "2 cores",
            "cargo xtask bench webhook",
            &["T\n".to_owned()],
        );
        let fresh = merge_section(None, &section);
        assert!(fresh.starts_with("# Performance\n\n<!--"));
        let edited = format!("# Perf\n\nProse.\n\n{fresh}\n## Later\n");
        let newer = render_section("2026-12-01", "2 cores", "cmd", &["U\n".to_owned()]);
        let merged = merge_section(Some(&edited), &newer);
        assert!(
            merged.contains("2026-12-01") && !merged.contains("2026-11-25"),
            "{merged}"
        );
        assert!(
            merged.starts_with("# Perf\n\nProse.\n\n# Performance\n\n")
                && merged.ends_with("\n## Later\n")
        );
        let appended = merge_section(Some("# Notes"), &newer);
        assert!(appended.starts_with("# Notes\n\n<!--"));
    }
}
