use std::io::Write;

use super::*;

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn file(contents: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(contents.as_bytes()).unwrap();
    f
}

#[test]
fn defaults_are_the_embedded_setup() {
    let s = Settings::load_from(None, vars(&[])).unwrap();
    assert_eq!(s.server.bind, "127.0.0.1:8080");
    assert_eq!(s.database.url, "sqlite://data/hotel.db");
    assert!(s.database.migrate_on_start);
    assert!(!s.redis_enabled());
    assert_eq!(s.pms.kind, PmsKind::Demo);
    assert_eq!(s.hotel.id, "default");
    assert_eq!(s.whatsapp.api_base, "https://graph.facebook.com/v23.0");
}

#[test]
fn file_then_conventional_then_hotel_variables() {
    let f = file(
        "[server]\nbind = \"0.0.0.0:9000\"\n[database]\nurl = \"sqlite://from-file.db\"\n[whatsapp]\nphone_number_id = \"1\"\n",
    );
    let s = Settings::load_from(
        Some(f.path()),
        vars(&[
            ("DATABASE_URL", "postgres://u:p@h/db"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("HOTEL__WHATSAPP__PHONE_NUMBER_ID", "106540352242922"),
            ("HOTEL__WHATSAPP__APP_SECRET", "123456"),
            ("HOTEL__HOTEL__LANGUAGES", "[\"en\", \"pt\"]"),
            ("HOTEL__WORKERS__POLL_INTERVAL_MS", "250"),
            ("UNRELATED", "x"),
        ]),
    )
    .unwrap();
    assert_eq!(s.server.bind, "0.0.0.0:9000");
    assert_eq!(s.database.url, "postgres://u:p@h/db");
    assert!(s.redis_enabled());
    assert_eq!(s.whatsapp.phone_number_id, "106540352242922");
    assert_eq!(s.whatsapp.app_secret.expose_secret(), "123456");
    assert_eq!(s.hotel.languages, vec![Language::En, Language::Pt]);
    assert_eq!(s.workers.poll_interval_ms, 250);

    let s = Settings::load_from(
        None,
        vars(&[
            ("DATABASE_URL", "postgres://a/b"),
            ("HOTEL__DATABASE__URL", "sqlite://x.db"),
        ]),
    )
    .unwrap();
    assert_eq!(
        s.database.url, "sqlite://x.db",
        "HOTEL__ variables win over DATABASE_URL"
    );
}

#[test]
fn the_documented_example_configs_load() {
    for name in ["development.toml", "production.example.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../deploy")
            .join(name);
        Settings::load_from(Some(&path), vars(&[])).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn errors_name_the_setting() {
    let cases = [
        ("HOTEL__SERVER__BIND", "nonsense", "server.bind"),
        ("HOTEL__DATABASE__URL", "mysql://x", "database.url"),
        ("HOTEL__REDIS__URL", "http://x", "redis.url"),
        ("HOTEL__HOTEL__TIMEZONE", "Mars/Olympus", "hotel.timezone"),
        ("HOTEL__WHATSAPP__API_BASE", "ftp://x", "whatsapp.api_base"),
    ];
    for (key, value, setting) in cases {
        let error = Settings::load_from(None, vars(&[(key, value)]))
            .unwrap_err()
            .to_string();
        assert!(error.contains(setting), "{key}: {error}");
    }
    let unknown = Settings::load_from(None, vars(&[("HOTEL__SERVER__BINDD", "x")]))
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("bindd"), "{unknown}");
    let missing = Settings::load_from(Some(std::path::Path::new("/nonexistent/x.toml")), vars(&[]));
    assert!(matches!(missing, Err(ConfigError::MissingFile(_))));
}

#[test]
fn production_refuses_empty_or_short_secrets() {
    let strong = [
        ("HOTEL__SERVER__ENVIRONMENT", "production"),
        ("HOTEL__WHATSAPP__APP_SECRET", "0123456789abcdef0123"),
        ("HOTEL__WHATSAPP__ACCESS_TOKEN", "EAAG0123456789abcdef"),
        ("HOTEL__WHATSAPP__VERIFY_TOKEN", "verify-0123456789ab"),
        (
            "HOTEL__AUTH__JWT_SECRET",
            "0123456789abcdef0123456789abcdef!",
        ),
        (
            "HOTEL__AUTH__ENCRYPTION_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ),
    ];
    Settings::load_from(None, vars(&strong)).unwrap();
    for (index, setting) in [
        (1, "whatsapp.app_secret"),
        (2, "whatsapp.access_token"),
        (3, "whatsapp.verify_token"),
        (4, "auth.jwt_secret"),
        (5, "auth.encryption_key"),
    ] {
        for weak in ["", "short"] {
            let mut pairs = strong.to_vec();
            pairs[index].1 = weak;
            let error = Settings::load_from(None, vars(&pairs))
                .unwrap_err()
                .to_string();
            assert!(error.contains(setting), "{setting} = {weak:?}: {error}");
            assert!(
                !error.contains("0123456789abcdef"),
                "secrets never appear in errors: {error}"
            );
        }
    }
    // The same weak secrets are fine in development.
    Settings::load_from(None, vars(&[("HOTEL__WHATSAPP__APP_SECRET", "short")])).unwrap();
}

#[test]
fn redacted_output_hides_secrets_and_credentials() {
    let s = Settings::load_from(
        None,
        vars(&[
            ("HOTEL__WHATSAPP__APP_SECRET", "super-secret-value"),
            ("HOTEL__WHATSAPP__ACCESS_TOKEN", "EAAGtoken-value"),
            ("DATABASE_URL", "postgres://user:dbpassword@db/hotel"),
        ]),
    )
    .unwrap();
    let printed = s.to_redacted_toml().unwrap();
    for secret in ["super-secret-value", "EAAGtoken-value", "dbpassword"] {
        assert!(!printed.contains(secret), "{secret} leaked:\n{printed}");
    }
    assert!(printed.contains("[redacted]"));
    assert!(!format!("{s:?}").contains("super-secret-value"));
}

#[test]
fn whatsapp_delivery_settings_load_and_are_checked() {
    let s = Settings::load_from(None, vars(&[])).unwrap();
    assert_eq!(s.whatsapp.send_rate_per_second, 80);
    assert_eq!(s.whatsapp.window_template, "guest_followup");
    assert_eq!(
        s.whatsapp
            .window_template_languages
            .get(&Language::Pt)
            .map(String::as_str),
        Some("pt_BR")
    );
    assert!(!s.whatsapp.mark_read);

    let f = file(
        "[whatsapp]\nwindow_template = \"followup\"\nwindow_template_parameters = [\"guest_name\", \"hotel_name\"]\nwindow_template_languages = { es = \"es_AR\" }\n",
    );
    let s = Settings::load_from(
        Some(f.path()),
        vars(&[("HOTEL__WHATSAPP__SEND_RATE_PER_SECOND", "1000")]),
    )
    .unwrap();
    assert_eq!(s.whatsapp.window_template, "followup");
    assert_eq!(
        s.whatsapp.window_template_parameters,
        vec![TemplateValue::GuestName, TemplateValue::HotelName]
    );
    assert_eq!(s.whatsapp.window_template_languages.len(), 1);
    assert_eq!(s.whatsapp.send_rate_per_second, 1000);

    for (key, value, named) in [
        (
            "HOTEL__WHATSAPP__MEDIA_RETENTION_DAYS",
            "0",
            "whatsapp.media_retention_days",
        ),
        (
            "HOTEL__WHATSAPP__WINDOW_MARGIN_MINUTES",
            "1440",
            "whatsapp.window_margin_minutes",
        ),
        ("HOTEL__WHATSAPP__PAIR_BURST", "0", "whatsapp.pair_burst"),
    ] {
        let error = Settings::load_from(None, vars(&[(key, value)])).unwrap_err();
        assert!(error.to_string().contains(named), "{key}: {error}");
    }
    let f = file("[whatsapp]\nwindow_template_languages = { en = \" \" }\n");
    let error = Settings::load_from(Some(f.path()), vars(&[])).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("whatsapp.window_template_languages")
    );
}

#[test]
fn the_llm_backend_needs_an_endpoint_and_a_model() {
    let error = Settings::load_from(None, vars(&[("HOTEL__NLP__BACKEND", "llm")])).unwrap_err();
    assert!(error.to_string().contains("nlp.llm_base_url"), "{error}");
    let error = Settings::load_from(
        None,
        vars(&[
            ("HOTEL__NLP__BACKEND", "llm"),
            ("HOTEL__NLP__LLM_BASE_URL", "http://127.0.0.1:11434/v1"),
        ]),
    )
    .unwrap_err();
    assert!(error.to_string().contains("nlp.llm_model"), "{error}");
    let s = Settings::load_from(
        None,
        vars(&[
            ("HOTEL__NLP__BACKEND", "llm"),
            ("HOTEL__NLP__LLM_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("HOTEL__NLP__LLM_MODEL", "qwen"),
            ("HOTEL__NLP__LLM_API_KEY", "sk-secret-value"),
        ]),
    )
    .unwrap();
    assert_eq!(s.nlp.llm_timeout_ms, 5_000);
    assert_eq!(s.nlp.llm_api_key.expose_secret(), "sk-secret-value");
}

#[test]
fn qloapps_needs_its_url_and_a_webservice_key() {
    let base = [
        ("HOTEL__PMS__KIND", "qloapps"),
        ("HOTEL__PMS__BASE_URL", "https://hotel.example.com"),
    ];
    let error = Settings::load_from(None, vars(&base)).unwrap_err();
    assert!(error.to_string().contains("pms.api_key"), "{error}");
    let mut with_key = base.to_vec();
    with_key.push(("HOTEL__PMS__API_KEY", "0123456789ABCDEF0123456789ABCDEF"));
    let s = Settings::load_from(None, vars(&with_key)).unwrap();
    assert_eq!(s.pms.hotel_id, 1);
    assert!(!format!("{s:?}").contains("0123456789ABCDEF"));
}
