//! Helpers shared by the commands: the workspace root, running commands, the cargo target directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// A `cargo` command (the same cargo that runs xtask) started in the workspace root.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(program);
    command.current_dir(workspace_root());
    command
}

/// A command started in the workspace root.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(workspace_root());
    command
}

/// A command for a program given by path, started in the workspace root.
pub fn command_at(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.current_dir(workspace_root());
    command
}

/// The command line, for messages (`cargo clippy --workspace ...`).
pub fn display(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(
            command
                .get_args()
                .map(|arg| arg.to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a command with inherited output; an error unless it exits with success.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = display(command);
    println!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("cannot start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns whether it succeeded (output inherited).
pub fn succeeds(command: &mut Command) -> Result<bool> {
    let shown = display(command);
    println!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("cannot start `{shown}`"))?;
    Ok(status.success())
}

/// Runs a command capturing its output (the caller checks the status).
pub fn capture(command: &mut Command) -> Result<Output> {
    let shown = display(command);
    command
        .output()
        .with_context(|| format!("cannot start `{shown}`"))
}

/// Whether a command can be started and exits with success (for `--version` probes); output discarded.
pub fn probe(command: &mut Command) -> bool {
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The cargo target directory (`CARGO_TARGET_DIR`, `build.target-dir` or `<root>/target`), from `cargo metadata`.
pub fn target_dir() -> Result<PathBuf> {
    let output = capture(cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("`cargo metadata` printed invalid JSON")?;
    let dir = metadata
        .get("target_directory")
        .and_then(serde_json::Value::as_str)
        .context("`cargo metadata` has no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// The last `lines` lines of a text, for error messages.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all.get(start..).unwrap_or_default().join("\n")
}
