//! Media download, upload and delete against wiremock (and a raw chunked server for bodies
//! without a `Content-Length`), and the content-addressed `MediaStore` in a temporary directory.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use chrono::{TimeZone, Utc};
use hotel_domain::{Clock, ManualClock, MediaKind, MediaRef};
use hotel_whatsapp::{
    CloudApiClient, Credentials, MediaError, MediaLimits, MediaStep, MediaStore, MediaStoreError,
    MediaUpload,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_string_contains, header, header_regex, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE_NUMBER_ID: &str = "106540352242922";
const TOKEN: &str = "EAAG-media-secret-token";
const MEDIA_ID: &str = "1037543291543636";
const BEARER: &str = "Bearer EAAG-media-secret-token";

fn credentials() -> Credentials {
    Credentials::new(PHONE_NUMBER_ID, TOKEN)
}

fn client(server: &MockServer) -> CloudApiClient {
    CloudApiClient::new(&format!("{}/v23.0", server.uri()), Duration::from_secs(5)).unwrap()
}

fn media(kind: MediaKind, url: Option<String>) -> MediaRef {
    MediaRef {
        kind,
        id: MEDIA_ID.into(),
        url,
        mime_type: None,
        sha256: None,
        filename: None,
        voice: false,
        animated: false,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..2000u32).map(|i| (i % 251) as u8));
    bytes
}

/// `GET /v23.0/{MEDIA_ID}` answers `metadata` to a request with the bearer token.
async fn mount_metadata(server: &MockServer, metadata: serde_json::Value, times: u64) {
    Mock::given(method("GET"))
        .and(path(format!("/v23.0/{MEDIA_ID}")))
        .and(query_param("phone_number_id", PHONE_NUMBER_ID))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(metadata))
        .expect(times)
        .mount(server)
        .await;
}

/// `GET {route}` answers `response` to a request with the bearer token.
async fn mount_file(server: &MockServer, route: &str, response: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("authorization", BEARER))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

fn file(content_type: &str, bytes: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(bytes.to_vec(), content_type)
}

fn assert_no_secret(error: &MediaError) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("/cdn/"), "no URL in errors: {text}");
    }
}

#[tokio::test]
async fn downloads_in_two_steps_with_the_bearer_on_both() {
    let server = MockServer::start().await;
    let bytes = jpeg();
    mount_metadata(
        &server,
        json!({"messaging_product":"whatsapp","url":format!("{}/cdn/attachments/?mid=1", server.uri()),
            "mime_type":"image/jpeg","sha256":sha256_hex(&bytes),"file_size":bytes.len(),"id":MEDIA_ID}),
        1,
    )
    .await;
    mount_file(&server, "/cdn/attachments/", file("image/jpeg", &bytes), 1).await;
    let downloaded = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap();
    assert_eq!(downloaded.bytes, bytes);
    assert_eq!(downloaded.mime_type, "image/jpeg");
    assert_eq!(downloaded.sha256, sha256_hex(&bytes));
    assert_eq!(downloaded.size, bytes.len() as u64);
}

#[tokio::test]
async fn uses_the_webhook_url_and_accepts_a_base64_digest() {
    let server = MockServer::start().await;
    let bytes = b"OggS voice note".to_vec();
    mount_metadata(&server, json!({}), 0).await;
    mount_file(
        &server,
        "/cdn/direct",
        file("audio/ogg; codecs=opus", &bytes),
        1,
    )
    .await;
    let mut voice = media(
        MediaKind::Audio,
        Some(format!("{}/cdn/direct", server.uri())),
    );
    voice.sha256 = Some(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes)));
    let downloaded = client(&server)
        .download_media(&credentials(), &voice, &MediaLimits::default())
        .await
        .unwrap();
    assert_eq!(downloaded.bytes, bytes);
    assert_eq!(downloaded.mime_type, "audio/ogg");
}

#[tokio::test]
async fn an_expired_webhook_url_falls_back_to_a_fresh_one() {
    for expired in [
        ResponseTemplate::new(404),
        ResponseTemplate::new(401).set_body_json(json!({"error":{"code":190,"message":"expired"}})),
        file("text/html; charset=utf-8", b"<html>login</html>"),
    ] {
        let server = MockServer::start().await;
        let bytes = b"%PDF-1.7 receipt".to_vec();
        mount_file(&server, "/cdn/old", expired, 1).await;
        mount_metadata(
            &server,
            json!({"url":format!("{}/cdn/new", server.uri()),"mime_type":"application/pdf",
                "sha256":sha256_hex(&bytes),"file_size":bytes.len().to_string()}),
            1,
        )
        .await;
        mount_file(&server, "/cdn/new", file("application/pdf", &bytes), 1).await;
        let document = media(
            MediaKind::Document,
            Some(format!("{}/cdn/old", server.uri())),
        );
        let downloaded = client(&server)
            .download_media(&credentials(), &document, &MediaLimits::default())
            .await
            .unwrap();
        assert_eq!(downloaded.bytes, bytes);
        server.verify().await;
    }
}

#[tokio::test]
async fn a_failing_webhook_url_that_is_not_stale_is_reported() {
    let server = MockServer::start().await;
    mount_file(&server, "/cdn/busy", ResponseTemplate::new(503), 1).await;
    mount_metadata(&server, json!({}), 0).await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, Some(format!("{}/cdn/busy", server.uri()))),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::Http {
            step: MediaStep::Download,
            http_status: 503
        }
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn over_size_by_file_size_is_refused_before_downloading() {
    let server = MockServer::start().await;
    mount_metadata(
        &server,
        json!({"url":format!("{}/cdn/big", server.uri()),"mime_type":"image/jpeg","file_size":5 * 1024 * 1024 + 1}),
        1,
    )
    .await;
    mount_file(&server, "/cdn/big", file("image/jpeg", b"x"), 0).await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::TooLarge {
            kind: MediaKind::Image,
            size: 5 * 1024 * 1024 + 1,
            limit: 5 * 1024 * 1024
        }
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn over_size_by_content_length_is_refused() {
    let server = MockServer::start().await;
    mount_metadata(
        &server,
        json!({"url":format!("{}/cdn/lies", server.uri()),"mime_type":"image/webp","file_size":10}),
        1,
    )
    .await;
    mount_file(&server, "/cdn/lies", file("image/webp", &[7; 3000]), 1).await;
    let limits = MediaLimits {
        sticker: 1000,
        ..MediaLimits::default()
    };
    let error = client(&server)
        .download_media(&credentials(), &media(MediaKind::Sticker, None), &limits)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::TooLarge {
                size: 3000,
                limit: 1000,
                ..
            }
        ),
        "{error:?}"
    );
}

/// One HTTP/1.1 exchange: answers `content_type` with a chunked body (no `Content-Length`) and
/// hands back the request head.
async fn chunked_server(
    content_type: &'static str,
    chunks: Vec<Vec<u8>>,
) -> (String, tokio::sync::oneshot::Receiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buffer = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buffer[..n]);
        }
        let _ = sender.send(String::from_utf8_lossy(&head).into_owned());
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
        )
        .into_bytes();
        for chunk in chunks {
            answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            answer.extend_from_slice(&chunk);
            answer.extend_from_slice(b"\r\n");
        }
        answer.extend_from_slice(b"0\r\n\r\n");
        // The client hangs up once past its cap; a failed write is expected then.
        let _ = socket.write_all(&answer).await;
    });
    (format!("http://{address}/file"), receiver)
}

#[tokio::test]
async fn over_size_while_streaming_is_aborted() {
    let (url, head) = chunked_server("video/mp4", vec![vec![1; 600]; 4]).await;
    let server = MockServer::start().await;
    let limits = MediaLimits {
        video: 1000,
        ..MediaLimits::default()
    };
    let error = client(&server)
        .download_media(&credentials(), &media(MediaKind::Video, Some(url)), &limits)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::TooLarge {
            kind: MediaKind::Video,
            size: 1200,
            limit: 1000
        }
    );
    let head = head.await.unwrap().to_ascii_lowercase();
    assert!(head.contains(&format!("authorization: {}", BEARER.to_ascii_lowercase())));
}

#[tokio::test]
async fn a_streamed_body_within_the_cap_is_hashed_whole() {
    let (url, _) = chunked_server("video/3gpp", vec![vec![1; 300], vec![2; 300]]).await;
    let server = MockServer::start().await;
    let downloaded = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Video, Some(url)),
            &MediaLimits::default(),
        )
        .await
        .unwrap();
    let mut expected = vec![1; 300];
    expected.extend(vec![2; 300]);
    assert_eq!(downloaded.sha256, sha256_hex(&expected));
    assert_eq!(downloaded.size, 600);
}

#[tokio::test]
async fn an_html_page_is_never_taken_for_the_file() {
    let server = MockServer::start().await;
    mount_metadata(
        &server,
        json!({"url":format!("{}/cdn/page", server.uri()),"mime_type":"image/jpeg"}),
        1,
    )
    .await;
    mount_file(
        &server,
        "/cdn/page",
        file("text/html; charset=utf-8", b"<html>Sign in</html>"),
        1,
    )
    .await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::ContentType {
            kind: MediaKind::Image,
            content_type: "text/html; charset=utf-8".into()
        }
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn content_types_must_suit_the_kind() {
    let server = MockServer::start().await;
    let bytes = jpeg();
    mount_metadata(
        &server,
        json!({"url":format!("{}/cdn/generic", server.uri()),"mime_type":"image/png"}),
        2,
    )
    .await;
    mount_file(
        &server,
        "/cdn/generic",
        file("application/octet-stream", &bytes),
        2,
    )
    .await;
    let client = client(&server);
    let image = client
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        image.mime_type, "image/png",
        "octet-stream stands for Meta's type"
    );
    let error = client
        .download_media(
            &credentials(),
            &media(MediaKind::Audio, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::ContentType {
                kind: MediaKind::Audio,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_sha256_mismatch_is_refused() {
    let server = MockServer::start().await;
    let bytes = jpeg();
    mount_metadata(
        &server,
        json!({"url":format!("{}/cdn/file", server.uri()),"mime_type":"image/jpeg","sha256":sha256_hex(b"other")}),
        1,
    )
    .await;
    mount_file(&server, "/cdn/file", file("image/jpeg", &bytes), 1).await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::ChecksumMismatch {
            expected: sha256_hex(b"other"),
            actual: sha256_hex(&bytes)
        }
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn graph_errors_are_mapped_and_classified() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v23.0/{MEDIA_ID}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error":{
            "message":"Unsupported get request. Object with ID does not exist","type":"GraphMethodException",
            "code":100,"error_subcode":33,"fbtrace_id":"AbC123"}})))
        .mount(&server)
        .await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            MediaError::Api { step: MediaStep::Metadata, http_status: 404, error: graph }
                if graph.code == 100 && graph.fbtrace_id.as_deref() == Some("AbC123")
        ),
        "{error:?}"
    );
    assert_eq!(error.code(), Some(100));
    assert!(!error.is_retryable());
    assert_no_secret(&error);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v23.0/{MEDIA_ID}")))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    let error = client(&server)
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::Http {
            step: MediaStep::Metadata,
            http_status: 500
        }
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn unexpected_answers_and_requests() {
    let server = MockServer::start().await;
    mount_metadata(&server, json!({"mime_type":"image/jpeg"}), 1).await;
    let client = client(&server);
    let error = client
        .download_media(
            &credentials(),
            &media(MediaKind::Image, None),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::InvalidResponse {
                step: MediaStep::Metadata,
                ..
            }
        ),
        "{error:?}"
    );

    let mut bad_id = media(MediaKind::Image, None);
    bad_id.id = "../me".into();
    let error = client
        .download_media(&credentials(), &bad_id, &MediaLimits::default())
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::InvalidRequest(_)), "{error:?}");

    let mut bad_url = media(MediaKind::Image, Some("ftp://example.com/x".into()));
    bad_url.id = String::new();
    let error = client
        .download_media(&credentials(), &bad_url, &MediaLimits::default())
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
async fn slow_downloads_time_out() {
    let server = MockServer::start().await;
    mount_file(
        &server,
        "/cdn/slow",
        file("image/jpeg", &jpeg()).set_delay(Duration::from_secs(5)),
        1,
    )
    .await;
    let limits = MediaLimits {
        timeout: Duration::from_millis(200),
        ..MediaLimits::default()
    };
    let mut slow = media(MediaKind::Image, Some(format!("{}/cdn/slow", server.uri())));
    slow.id = String::new();
    let error = client(&server)
        .download_media(&credentials(), &slow, &limits)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        MediaError::Timeout {
            step: MediaStep::Download
        }
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn transport_errors_name_no_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let server = MockServer::start().await;
    let mut gone = media(
        MediaKind::Image,
        Some(format!("http://{address}/cdn/x?mid=9")),
    );
    gone.id = String::new();
    let error = client(&server)
        .download_media(&credentials(), &gone, &MediaLimits::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::Transport {
                step: MediaStep::Download,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_no_secret(&error);
    assert!(!error.to_string().contains("mid=9"));
}

fn png_upload() -> MediaUpload {
    MediaUpload {
        kind: MediaKind::Image,
        mime_type: "image/png".into(),
        filename: Some("../plano.png".into()),
        bytes: b"PNG-bytes-here".to_vec(),
    }
}

#[tokio::test]
async fn uploads_as_multipart_with_the_documented_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{PHONE_NUMBER_ID}/media")))
        .and(header("authorization", BEARER))
        .and(header_regex("content-type", "^multipart/form-data; boundary="))
        .and(body_string_contains("name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"))
        .and(body_string_contains("name=\"type\"\r\n\r\nimage/png\r\n"))
        .and(body_string_contains(
            "name=\"file\"; filename=\"plano.png\"\r\nContent-Type: image/png\r\n\r\nPNG-bytes-here\r\n",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id":"4490709327384033"})))
        .expect(1)
        .mount(&server)
        .await;
    let uploaded = client(&server)
        .upload_media(&credentials(), png_upload(), &MediaLimits::default())
        .await
        .unwrap();
    assert_eq!(uploaded.id, "4490709327384033");
}

#[tokio::test]
async fn uploads_are_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id":"1"})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let limits = MediaLimits {
        image: 4,
        ..MediaLimits::default()
    };
    let error = client
        .upload_media(&credentials(), png_upload(), &limits)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::TooLarge {
                size: 14,
                limit: 4,
                ..
            }
        ),
        "{error:?}"
    );
    let html = MediaUpload {
        mime_type: "text/html".into(),
        kind: MediaKind::Document,
        ..png_upload()
    };
    let error = client
        .upload_media(&credentials(), html, &MediaLimits::default())
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::ContentType { .. }), "{error:?}");
    let empty = MediaUpload {
        bytes: Vec::new(),
        ..png_upload()
    };
    let error = client
        .upload_media(&credentials(), empty, &MediaLimits::default())
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::InvalidRequest(_)), "{error:?}");
    let error = client
        .upload_media(
            &Credentials::new("../x", TOKEN),
            png_upload(),
            &MediaLimits::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::InvalidRequest(_)), "{error:?}");
}

type UploadCheck = fn(&Result<hotel_whatsapp::UploadedMedia, MediaError>) -> bool;

#[tokio::test]
async fn upload_answers() {
    let invalid: UploadCheck = |result| {
        matches!(
            result,
            Err(MediaError::InvalidResponse {
                step: MediaStep::Upload,
                ..
            })
        )
    };
    let cases: [(ResponseTemplate, UploadCheck); 5] = [
        (
            ResponseTemplate::new(200).set_body_json(json!({"id": 4_490_709_327_384_033_u64})),
            |result| matches!(result, Ok(uploaded) if uploaded.id == "4490709327384033"),
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"id": ""})),
            invalid,
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
            invalid,
        ),
        (
            ResponseTemplate::new(200).set_body_raw(vec![b' '; 70 * 1024], "application/json"),
            invalid,
        ),
        (
            ResponseTemplate::new(400)
                .set_body_json(json!({"error":{"code":131053,"message":"Media upload error"}})),
            |result| matches!(result, Err(error) if error.code() == Some(131_053) && error.is_retryable()),
        ),
    ];
    for (response, check) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(response)
            .mount(&server)
            .await;
        let upload = MediaUpload {
            filename: None,
            ..png_upload()
        };
        let result = client(&server)
            .upload_media(&credentials(), upload, &MediaLimits::default())
            .await;
        assert!(check(&result), "{result:?}");
    }
}

#[tokio::test]
async fn deletes_uploaded_media() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v23.0/{MEDIA_ID}")))
        .and(query_param("phone_number_id", PHONE_NUMBER_ID))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success":true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v23.0/222"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success":false})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v23.0/333"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error":{"code":100,"message":"gone"}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    client.delete_media(&credentials(), MEDIA_ID).await.unwrap();
    let error = client
        .delete_media(&credentials(), "222")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MediaError::InvalidResponse {
                step: MediaStep::Delete,
                ..
            }
        ),
        "{error:?}"
    );
    let error = client
        .delete_media(&credentials(), "333")
        .await
        .unwrap_err();
    assert_eq!((error.http_status(), error.code()), (Some(404), Some(100)));
    let error = client
        .delete_media(&credentials(), "a/b")
        .await
        .unwrap_err();
    assert!(matches!(error, MediaError::InvalidRequest(_)), "{error:?}");
}

/// The store's clock starts long ago, so files written now (by the wall clock) are always younger
/// than the cutoffs computed from it.
fn store(root: &std::path::Path) -> (MediaStore, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2001, 3, 1, 12, 0, 0).unwrap(),
    ));
    (MediaStore::new(root, clock.clone()), clock)
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            names.extend(files_under(&entry.path()));
        } else {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    names
}

#[tokio::test]
async fn stores_by_content_hash_and_deduplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (store, clock) = store(dir.path());
    let bytes = b"%PDF receipt".to_vec();
    let sha = sha256_hex(&bytes);
    let first = store
        .put("hotel-1", &bytes, "application/pdf")
        .await
        .unwrap();
    assert_eq!(first.sha256, sha);
    assert!(!first.deduplicated);
    assert_eq!(
        first.path,
        dir.path().join("hotel-1").join(&sha[..2]).join(&sha)
    );
    assert_eq!(std::fs::read(&first.path).unwrap(), bytes);
    assert_eq!(store.path("hotel-1", &sha).unwrap(), first.path);
    assert_eq!(store.root(), dir.path());

    clock.advance(chrono::Duration::days(3));
    let again = store
        .put("hotel-1", &bytes, "application/pdf")
        .await
        .unwrap();
    assert!(again.deduplicated);
    assert_eq!(again.stored_at, clock.now(), "retention restarts");
    let other_tenant = store
        .put("hotel-2", &bytes, "application/pdf")
        .await
        .unwrap();
    assert!(!other_tenant.deduplicated, "tenants never share files");

    let read = store.get("hotel-1", &sha).await.unwrap().unwrap();
    assert_eq!(read.bytes, bytes);
    assert_eq!(read.mime_type, "application/pdf");
    assert_eq!(read.stored_at, clock.now());
    assert!(!format!("{read:?}").contains("PDF"));
    assert_eq!(
        store.get("hotel-1", &sha256_hex(b"none")).await.unwrap(),
        None
    );
    // Whole files only: no temporary file is left behind, each file has its record.
    assert_eq!(
        files_under(dir.path()),
        vec![
            sha.clone(),
            sha.clone(),
            format!("{sha}.json"),
            format!("{sha}.json")
        ]
    );

    assert!(store.remove("hotel-2", &sha).await.unwrap());
    assert!(!store.remove("hotel-2", &sha).await.unwrap());
    assert_eq!(store.get("hotel-2", &sha).await.unwrap(), None);
}

#[tokio::test]
async fn a_corrupt_or_missing_record_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store(dir.path());
    let stored = store.put("t", b"img", "image/jpeg").await.unwrap();
    let record = dir
        .path()
        .join("t")
        .join(&stored.sha256[..2])
        .join(format!("{}.json", stored.sha256));
    std::fs::write(&record, b"{not json").unwrap();
    assert!(matches!(
        store.get("t", &stored.sha256).await,
        Err(MediaStoreError::CorruptRecord(_))
    ));
    let rewritten = store.put("t", b"img", "image/jpeg").await.unwrap();
    assert!(
        !rewritten.deduplicated,
        "a file without a readable record is written again"
    );
    assert!(store.get("t", &stored.sha256).await.unwrap().is_some());
    std::fs::remove_file(&stored.path).unwrap();
    assert_eq!(store.get("t", &stored.sha256).await.unwrap(), None);
}

#[tokio::test]
async fn purges_what_is_older_than_the_cutoff() {
    let dir = tempfile::tempdir().unwrap();
    let (store, clock) = store(dir.path());
    let start = clock.now();
    let old = store
        .put("hotel-1", b"old receipt", "image/jpeg")
        .await
        .unwrap();
    clock.advance(chrono::Duration::days(10));
    let new = store
        .put("hotel-1", b"new receipt", "image/jpeg")
        .await
        .unwrap();
    let other = store.put("hotel-2", b"id card", "image/png").await.unwrap();
    // Left-overs of an interrupted write and things that are not the store's.
    let shard = old.path.parent().unwrap();
    std::fs::write(shard.join(".tmp-1-1"), b"partial").unwrap();
    let orphan = sha256_hex(b"orphan");
    std::fs::write(shard.join(&orphan), b"orphan").unwrap();
    std::fs::write(shard.join("notes.txt"), b"keep").unwrap();
    std::fs::create_dir_all(dir.path().join("not a tenant").join("ab")).unwrap();

    let report = store
        .purge_older_than(start + chrono::Duration::days(5))
        .await
        .unwrap();
    assert_eq!((report.files, report.bytes), (1, 11));
    assert_eq!(
        report.leftovers, 0,
        "left-overs written now are younger than the cutoff"
    );
    assert_eq!(store.get("hotel-1", &old.sha256).await.unwrap(), None);
    assert!(store.get("hotel-1", &new.sha256).await.unwrap().is_some());
    assert!(store.get("hotel-2", &other.sha256).await.unwrap().is_some());

    let report = store
        .purge_older_than(Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap())
        .await
        .unwrap();
    assert_eq!((report.files, report.leftovers), (2, 2));
    assert!(shard.join("notes.txt").exists());
    assert!(!shard.join(&orphan).exists());

    let empty = MediaStore::new(dir.path().join("missing"), clock.clone());
    assert_eq!(empty.purge_older_than(start).await.unwrap().files, 0);
}

#[tokio::test]
async fn path_traversal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store(dir.path());
    let sha = sha256_hex(b"x");
    for tenant in ["", "..", ".", "../other", "a/b", "/etc", "a\\b", "t\0"] {
        assert!(
            matches!(
                store.put(tenant, b"x", "image/png").await,
                Err(MediaStoreError::InvalidTenant)
            ),
            "{tenant:?}"
        );
        assert!(matches!(
            store.get(tenant, &sha).await,
            Err(MediaStoreError::InvalidTenant)
        ));
    }
    for hash in [
        "../../../../etc/passwd".to_owned(),
        sha.to_uppercase(),
        sha[..63].to_owned(),
        format!("{}/x", &sha[..62]),
    ] {
        assert!(
            matches!(
                store.get("t", &hash).await,
                Err(MediaStoreError::InvalidHash)
            ),
            "{hash:?}"
        );
        assert!(matches!(
            store.remove("t", &hash).await,
            Err(MediaStoreError::InvalidHash)
        ));
    }
    assert!(matches!(
        store.put("t", b"x", "image/png\r\nX: y").await,
        Err(MediaStoreError::InvalidMimeType)
    ));
    assert!(files_under(dir.path()).is_empty());
}

#[tokio::test]
async fn io_failures_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("file-not-dir");
    std::fs::write(&root, b"x").unwrap();
    let (store, _) = store(&root);
    let error = store.put("t", b"x", "image/png").await.unwrap_err();
    assert!(matches!(error, MediaStoreError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("media store I/O failed"));
}
