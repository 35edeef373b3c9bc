//! The command line, run as a process: `check-config`, `migrate`, `nlp parse`.

use std::process::Command;

fn agent() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hotel-agent"));
    for (key, _) in std::env::vars() {
        if key.starts_with("HOTEL") || key == "DATABASE_URL" || key == "REDIS_URL" {
            command.env_remove(key);
        }
    }
    command
}

#[test]
fn check_config_prints_redacted_settings_and_fails_on_weak_production_secrets() {
    let ok = agent()
        .env(
            "HOTEL__WHATSAPP__APP_SECRET",
            "a-secret-that-must-not-print",
        )
        .arg("check-config")
        .output()
        .unwrap();
    assert!(ok.status.success());
    let printed = String::from_utf8_lossy(&ok.stdout);
    assert!(
        printed.contains("[whatsapp]") && printed.contains("[redacted]"),
        "{printed}"
    );
    assert!(!printed.contains("a-secret-that-must-not-print"));

    let weak = agent()
        .env("HOTEL__SERVER__ENVIRONMENT", "production")
        .env("HOTEL__WHATSAPP__APP_SECRET", "weak-secret")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!weak.status.success());
    let error = String::from_utf8_lossy(&weak.stderr);
    assert!(error.contains("whatsapp.app_secret"), "{error}");
    assert!(!error.contains("weak-secret"), "{error}");

    let missing = agent()
        .args(["--config", "/nonexistent/hotel.toml", "check-config"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

#[test]
fn migrate_creates_the_embedded_database_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/nested/hotel.db", dir.path().display());
    let first = agent()
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let applied = format!("applied {} migration(s)", migration_count());
    assert!(
        String::from_utf8_lossy(&first.stdout).contains(&applied),
        "{applied}"
    );
    assert!(dir.path().join("nested/hotel.db").is_file());
    let second = agent()
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("applied 0"));
}

#[test]
fn nlp_parse_prints_the_nlu_json() {
    let output = agent()
        .args([
            "nlp",
            "parse",
            "oi, bom dia!",
            "--reference-date",
            "2026-11-20",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["language"], "pt");
    assert_eq!(json["intent"], "greeting");
    assert!(json["confidence"].as_f64().unwrap() > 0.0);
    let forced = agent()
        .args(["nlp", "parse", "hola", "--lang", "en"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(json["language"], "en");
    let bad = agent()
        .args(["nlp", "parse", "hola", "--reference-date", "20-11-2026"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[test]
fn nlp_eval_scores_a_labelled_file_and_rejects_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(
        &good,
        concat!(
            r#"{"text":"hola","lang":"es","reference_date":"2026-11-20","intent":"greeting","entities":{}}"#,
            "\n",
            r#"{"text":"where is the hotel?","lang":"en","reference_date":"2026-11-20","intent":"location","entities":{}}"#,
            "\n"
        ),
    )
    .unwrap();
    let output = agent().args(["nlp", "eval"]).arg(&good).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("intent accuracy:"), "{stdout}");
    assert!(stdout.contains("macro-F1"), "{stdout}");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"text\":\"hola\"}\n").unwrap();
    let output = agent().args(["nlp", "eval"]).arg(&bad).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 1"));
    let missing = agent()
        .args(["nlp", "eval", "/nonexistent/file.jsonl"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

/// How many migrations the SQLite tree holds: its directories under `migrations/sqlite/`,
/// counted on disk (so adding a migration needs no change here).
fn migration_count() -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite");
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .count()
}
