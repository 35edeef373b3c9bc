//! Per-crate line coverage from cargo-llvm-cov's `--json --summary-only` output
//! (the `llvm-cov export` format: `data[].files[].filename` and `summary.lines.{count,covered}`).

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Export {
    data: Vec<ExportData>,
}

#[derive(Debug, Deserialize)]
struct ExportData {
    #[serde(default)]
    files: Vec<ExportFile>,
}

#[derive(Debug, Deserialize)]
struct ExportFile {
    filename: String,
    summary: FileSummary,
}

#[derive(Debug, Deserialize)]
struct FileSummary {
    lines: LineCounts,
}

/// Instrumented lines and covered lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct LineCounts {
    pub count: u64,
    pub covered: u64,
}

impl LineCounts {
    /// Covered lines in percent; `None` when there are no instrumented lines.
    pub fn percent(self) -> Option<f64> {
        (self.count > 0).then(|| self.covered as f64 * 100.0 / self.count as f64)
    }

    fn add(&mut self, other: Self) {
        self.count += other.count;
        self.covered += other.covered;
    }
}

/// Line coverage of each crate (`crates/<name>` or `apps/<name>`), keyed by the directory name.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CoverageSummary {
    pub crates: BTreeMap<String, CrateCoverage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CrateCoverage {
    /// `crates/nlp`, `apps/hotel-agent`.
    pub path: String,
    pub lines: LineCounts,
}

impl CoverageSummary {
    /// Parses the export JSON; files outside `crates/*` and `apps/*` of `root` are ignored.
    pub fn parse(json: &str, root: &Path) -> Result<Self> {
        let export: Export =
            serde_json::from_str(json).context("not an llvm-cov JSON export (data[].files[])")?;
        let mut summary = Self::default();
        for file in export.data.iter().flat_map(|data| &data.files) {
            let Some((group, name)) = crate_of(Path::new(&file.filename), root) else {
                continue;
            };
            summary
                .crates
                .entry(name.clone())
                .or_insert_with(|| CrateCoverage {
                    path: format!("{group}/{name}"),
                    lines: LineCounts::default(),
                })
                .lines
                .add(file.summary.lines);
        }
        Ok(summary)
    }

    /// The sum over all crates.
    pub fn workspace(&self) -> LineCounts {
        let mut total = LineCounts::default();
        for coverage in self.crates.values() {
            total.add(coverage.lines);
        }
        total
    }
}

/// `("crates", "nlp")` for `<root>/crates/nlp/src/lib.rs` (or the same path relative to the root).
pub fn crate_of(file: &Path, root: &Path) -> Option<(String, String)> {
    let relative = if file.is_absolute() {
        file.strip_prefix(root).ok()?
    } else {
        file
    };
    let mut parts = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => part.to_str(),
            _ => None,
        });
    let group = parts.next()?;
    let name = parts.next()?;
    // A file directly in crates/ is not part of a crate.
    parts.next()?;
    matches!(group, "crates" | "apps").then(|| (group.to_owned(), name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = r#"{
      "data": [{
        "files": [
          {"filename": "/work/main/crates/nlp/src/lib.rs",
           "summary": {"branches": {"count": 0, "covered": 0, "notcovered": 0, "percent": 0},
                       "functions": {"count": 10, "covered": 9, "percent": 90},
                       "instantiations": {"count": 10, "covered": 9, "percent": 90},
                       "lines": {"count": 100, "covered": 80, "percent": 80},
                       "regions": {"count": 50, "covered": 40, "notcovered": 10, "percent": 80}}},
          {"filename": "/work/main/crates/nlp/src/dates.rs",
           "summary": {"lines": {"count": 100, "covered": 60, "percent": 60}}},
          {"filename": "/work/main/apps/hotel-agent/src/main.rs",
           "summary": {"lines": {"count": 50, "covered": 10, "percent": 20}}},
          {"filename": "/work/main/xtask/src/main.rs",
           "summary": {"lines": {"count": 500, "covered": 0, "percent": 0}}},
          {"filename": "/root/.cargo/registry/src/x/serde-1.0.0/src/lib.rs",
           "summary": {"lines": {"count": 7, "covered": 7, "percent": 100}}}
        ],
        "totals": {"lines": {"count": 757, "covered": 157, "percent": 20.7}}
      }],
      "type": "llvm.coverage.json.export",
      "version": "2.0.1",
      "cargo_llvm_cov": {"version": "0.9.1", "manifest_path": "/work/main/Cargo.toml"}
    }"#;

    #[test]
    fn groups_files_by_crate() {
        let summary = CoverageSummary::parse(FIXTURE, Path::new("/work/main")).unwrap();
        let names: Vec<&str> = summary.crates.keys().map(String::as_str).collect();
        assert_eq!(names, ["hotel-agent", "nlp"]);
        let nlp = &summary.crates["nlp"];
        assert_eq!(nlp.path, "crates/nlp");
        assert_eq!(
            nlp.lines,
            LineCounts {
                count: 200,
                covered: 140
            }
        );
        assert_eq!(nlp.lines.percent(), Some(70.0));
        assert_eq!(summary.crates["hotel-agent"].path, "apps/hotel-agent");
        assert_eq!(
            summary.workspace(),
            LineCounts {
                count: 250,
                covered: 150
            }
        );
        assert_eq!(summary.workspace().percent(), Some(60.0));
    }

    #[test]
    fn relative_paths_and_strays() {
        let root = Path::new("/work/main");
        assert_eq!(
            crate_of(Path::new("crates/store/src/pg.rs"), root),
            Some(("crates".to_owned(), "store".to_owned()))
        );
        assert_eq!(
            crate_of(Path::new("/work/main/crates/README.md"), root),
            None
        );
        assert_eq!(
            crate_of(Path::new("/elsewhere/crates/x/src/lib.rs"), root),
            None
        );
        assert_eq!(crate_of(Path::new("/work/main/docs/x/y.rs"), root), None);
    }

    #[test]
    fn no_lines_has_no_percent() {
        assert_eq!(LineCounts::default().percent(), None);
    }

    #[test]
    fn rejects_other_json() {
        assert!(CoverageSummary::parse(r#"{"files": []}"#, Path::new("/")).is_err());
    }
}
