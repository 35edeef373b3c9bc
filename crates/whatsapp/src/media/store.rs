//! Guests' files on disk, addressed by content: `<root>/<tenant>/<aa>/<sha256>` holds the bytes and
//! `<sha256>.json` beside it the mime type, size and time of the last store. Both are written to a
//! temporary file and renamed into place, the record last, so a reader sees a whole file or none.
//! Tenant ids and hashes are validated, so neither can lead outside the root.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use hotel_domain::Clock;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Suffix of the record beside each file.
const RECORD_SUFFIX: &str = ".json";
/// Prefix of files being written.
const TEMP_PREFIX: &str = ".tmp-";

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum MediaStoreError {
    /// Not 1–64 ASCII letters, digits, `-` or `_`.
    #[error("invalid tenant id")]
    InvalidTenant,
    /// Not 64 lowercase hex digits.
    #[error("invalid sha256 (64 lowercase hex digits expected)")]
    InvalidHash,
    /// Not a `type/subtype` of printable ASCII, at most 255 bytes.
    #[error("invalid mime type")]
    InvalidMimeType,
    /// A record that is not the JSON this store writes.
    #[error("corrupt media record: {0}")]
    CorruptRecord(String),
    #[error("media store I/O failed while {action}: {source}")]
    Io {
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

fn io(action: &'static str) -> impl FnOnce(std::io::Error) -> MediaStoreError {
    move |source| MediaStoreError::Io { action, source }
}

/// What the store holds about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// Lowercase hex SHA-256 of the bytes: the file's address.
    pub sha256: String,
    pub mime_type: String,
    pub size: u64,
    /// When it was last stored; retention counts from here.
    pub stored_at: DateTime<Utc>,
    /// Where the bytes are.
    pub path: PathBuf,
    /// The same bytes were already stored (only the record's time was refreshed).
    pub deduplicated: bool,
}

/// A stored file read back.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub bytes: Vec<u8>,
    pub mime_type: String,
    pub stored_at: DateTime<Utc>,
}

impl std::fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFile")
            .field("size", &self.bytes.len())
            .field("mime_type", &self.mime_type)
            .field("stored_at", &self.stored_at)
            .finish_non_exhaustive()
    }
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Files (with their records) removed.
    pub files: usize,
    pub bytes: u64,
    /// Left-overs of interrupted writes removed.
    pub leftovers: usize,
}

#[derive(Serialize, Deserialize)]
struct Record {
    mime_type: String,
    size: u64,
    stored_at: DateTime<Utc>,
}

/// Content-addressed files per tenant under one directory.
#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
    clock: Arc<dyn Clock>,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl MediaStore {
    /// A store under `root` (created on the first write), timing records with `clock`.
    pub fn new(root: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Self {
        Self {
            root: root.into(),
            clock,
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stores `bytes` for `tenant` under their SHA-256. Bytes already there are not written again;
    /// their record's time is refreshed, so retention counts from the latest copy.
    pub async fn put(
        &self,
        tenant: &str,
        bytes: &[u8],
        mime_type: &str,
    ) -> Result<StoredMedia, MediaStoreError> {
        if !is_mime_type(mime_type) {
            return Err(MediaStoreError::InvalidMimeType);
        }
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path(tenant, &sha256)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        let deduplicated = tokio::fs::try_exists(&path)
            .await
            .map_err(io("checking for the file"))?
            && self.read_record(&path).await.is_ok();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(io("creating the directory"))?;
        if !deduplicated {
            write_atomically(&dir, &path, bytes).await?;
        }
        let record = Record {
            mime_type: mime_type.to_owned(),
            size: bytes.len() as u64,
            stored_at: self.clock.now(),
        };
        let json = serde_json::to_vec(&record)
            .map_err(|e| MediaStoreError::CorruptRecord(e.to_string()))?;
        write_atomically(&dir, &record_path(&path), &json).await?;
        Ok(StoredMedia {
            sha256,
            mime_type: record.mime_type,
            size: record.size,
            stored_at: record.stored_at,
            path,
            deduplicated,
        })
    }

    /// The file `sha256` of `tenant`, or `None` when it is not (or no longer) stored.
    pub async fn get(
        &self,
        tenant: &str,
        sha256: &str,
    ) -> Result<Option<StoredFile>, MediaStoreError> {
        let path = self.path(tenant, sha256)?;
        let record = match self.read_record(&path).await {
            Ok(record) => record,
            Err(MediaStoreError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(None);
            }
            Err(error) => return Err(error),
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(StoredFile {
                bytes,
                mime_type: record.mime_type,
                stored_at: record.stored_at,
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("reading the file")(e)),
        }
    }

    /// Removes the file `sha256` of `tenant`; `false` when it was not there.
    pub async fn remove(&self, tenant: &str, sha256: &str) -> Result<bool, MediaStoreError> {
        let path = self.path(tenant, sha256)?;
        let record = remove_if_present(&record_path(&path)).await?;
        let file = remove_if_present(&path).await?;
        Ok(record || file)
    }

    /// Where the file `sha256` of `tenant` is (or would be) stored.
    pub fn path(&self, tenant: &str, sha256: &str) -> Result<PathBuf, MediaStoreError> {
        if !is_tenant(tenant) {
            return Err(MediaStoreError::InvalidTenant);
        }
        if !is_sha256_hex(sha256) {
            return Err(MediaStoreError::InvalidHash);
        }
        Ok(self.root.join(tenant).join(&sha256[..2]).join(sha256))
    }

    /// Removes every file (of every tenant) last stored before `cutoff`, and left-overs of
    /// interrupted writes last modified before it. Entries that are not the store's are left.
    pub async fn purge_older_than(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<PurgeReport, MediaStoreError> {
        let mut report = PurgeReport::default();
        for tenant_dir in list_dirs(&self.root).await? {
            let tenant_ok = tenant_dir
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(is_tenant);
            if !tenant_ok {
                continue;
            }
            for shard in list_dirs(&tenant_dir).await? {
                self.purge_shard(&shard, cutoff, &mut report).await?;
            }
        }
        Ok(report)
    }

    async fn purge_shard(
        &self,
        shard: &Path,
        cutoff: DateTime<Utc>,
        report: &mut PurgeReport,
    ) -> Result<(), MediaStoreError> {
        let mut entries = tokio::fs::read_dir(shard)
            .await
            .map_err(io("listing a directory"))?;
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(io("listing a directory"))?
        {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if name.starts_with(TEMP_PREFIX) {
                if modified_before(&path, cutoff).await && remove_if_present(&path).await? {
                    report.leftovers += 1;
                }
            } else if is_sha256_hex(&name) {
                match self.read_record(&path).await {
                    Ok(record) if record.stored_at < cutoff => {
                        remove_if_present(&record_path(&path)).await?;
                        if remove_if_present(&path).await? {
                            report.files += 1;
                            report.bytes += record.size;
                        }
                    }
                    Ok(_) => {}
                    // A file whose record never landed: an interrupted first write.
                    Err(_) => {
                        if modified_before(&path, cutoff).await && remove_if_present(&path).await? {
                            report.leftovers += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    async fn read_record(&self, path: &Path) -> Result<Record, MediaStoreError> {
        let json = tokio::fs::read(record_path(path))
            .await
            .map_err(io("reading a record"))?;
        serde_json::from_slice(&json).map_err(|e| MediaStoreError::CorruptRecord(e.to_string()))
    }
}

fn record_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(RECORD_SUFFIX);
    PathBuf::from(name)
}

/// Writes `bytes` to a new file in `dir`, flushes it to disk and renames it to `path`.
async fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), MediaStoreError> {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!("{TEMP_PREFIX}{}-{n}", std::process::id()));
    let written = async {
        let mut file = tokio::fs::File::create(&temp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&temp, path).await
    }
    .await;
    if let Err(source) = written {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(MediaStoreError::Io {
            action: "writing a file",
            source,
        });
    }
    Ok(())
}

/// Whether the file at `path` was last modified before `cutoff` (`false` when unknown).
async fn modified_before(path: &Path, cutoff: DateTime<Utc>) -> bool {
    let modified = tokio::fs::metadata(path)
        .await
        .and_then(|metadata| metadata.modified())
        .ok();
    modified.is_some_and(|at| DateTime::<Utc>::from(at) < cutoff)
}

async fn remove_if_present(path: &Path) -> Result<bool, MediaStoreError> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io("removing a file")(e)),
    }
}

/// The subdirectories of `dir` (none when `dir` does not exist).
async fn list_dirs(dir: &Path) -> Result<Vec<PathBuf>, MediaStoreError> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("listing a directory")(e)),
    };
    let mut dirs = Vec::new();
    while let Some(entry) = entries
        .next_entry()
        .await
        .map_err(io("listing a directory"))?
    {
        if entry
            .file_type()
            .await
            .map_err(io("listing a directory"))?
            .is_dir()
        {
            dirs.push(entry.path());
        }
    }
    Ok(dirs)
}

/// 1–64 ASCII letters, digits, `-` or `_`: never `.`, `..`, a separator or an absolute path.
fn is_tenant(tenant: &str) -> bool {
    (1..=64).contains(&tenant.len())
        && tenant
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 64 lowercase hex digits.
fn is_sha256_hex(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_mime_type(mime_type: &str) -> bool {
    mime_type.len() <= 255
        && mime_type.bytes().all(|b| (b' '..=b'~').contains(&b))
        && mime_type
            .split_once('/')
            .is_some_and(|(top, sub)| !top.trim().is_empty() && !sub.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_tenant("hotel-prime_1"));
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "/abs",
            "a b",
            "ñ",
            &"a".repeat(65),
        ] {
            assert!(!is_tenant(bad), "{bad:?}");
        }
        assert!(is_sha256_hex(&"a1".repeat(32)));
        assert!(!is_sha256_hex(&"A1".repeat(32)));
        assert!(!is_sha256_hex(&"a1".repeat(31)));
        assert!(!is_sha256_hex(&format!("../{}", "a".repeat(61))));
        assert!(is_mime_type("audio/ogg; codecs=opus"));
        for bad in [
            "",
            "pdf",
            "/pdf",
            "image/",
            "image/png\n",
            &format!("a/{}", "b".repeat(255)),
        ] {
            assert!(!is_mime_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn records_sit_beside_files() {
        assert_eq!(
            record_path(Path::new("/r/t/ab/abc")),
            PathBuf::from("/r/t/ab/abc.json")
        );
    }
}
