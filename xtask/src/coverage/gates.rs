//! The coverage gates file (`coverage-gates.toml` at the workspace root) and the verdicts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Format, Toml};
use serde::Deserialize;

use super::summary::{CoverageSummary, LineCounts};

pub const GATES_FILE: &str = "coverage-gates.toml";

/// Minimum line coverage in percent: for the workspace, per crate, and for crates not listed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gates {
    pub workspace: f64,
    pub default_crate: f64,
    #[serde(default)]
    pub crates: BTreeMap<String, f64>,
}

impl Gates {
    pub fn parse(text: &str) -> Result<Self> {
        let gates: Self = Figment::from(Toml::string(text))
            .extract()
            .context("invalid coverage gates")?;
        let all = [
            ("workspace", gates.workspace),
            ("default_crate", gates.default_crate),
        ]
        .into_iter()
        .chain(
            gates
                .crates
                .iter()
                .map(|(name, value)| (name.as_str(), *value)),
        );
        for (name, value) in all {
            if !(0.0..=100.0).contains(&value) {
                bail!("coverage gate `{name}` = {value} is not a percentage (0 to 100)");
            }
        }
        Ok(gates)
    }

    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(GATES_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn for_crate(&self, name: &str) -> f64 {
        self.crates.get(name).copied().unwrap_or(self.default_crate)
    }
}

/// One row of the coverage table.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `crates/nlp`, or `workspace`.
    pub label: String,
    /// `None`: the crate has no coverage data at all (never linked into a test).
    pub lines: Option<LineCounts>,
    pub gate: f64,
}

impl Verdict {
    /// Coverage in percent; no data counts as 0, no instrumented lines as fully covered.
    pub fn percent(&self) -> f64 {
        match self.lines {
            None => 0.0,
            Some(lines) => lines.percent().unwrap_or(100.0),
        }
    }

    pub fn passes(&self) -> bool {
        self.percent() + 1e-9 >= self.gate
    }
}

/// The verdicts, one per crate (those measured, those in `members`, those gated) and the workspace last.
pub fn evaluate(
    summary: &CoverageSummary,
    gates: &Gates,
    members: &BTreeMap<String, String>,
) -> Vec<Verdict> {
    let names: BTreeSet<&String> = summary
        .crates
        .keys()
        .chain(members.keys())
        .chain(gates.crates.keys())
        .collect();
    let mut verdicts = names
        .into_iter()
        .map(|name| {
            let measured = summary.crates.get(name);
            let label = measured
                .map(|coverage| coverage.path.clone())
                .or_else(|| members.get(name).cloned())
                .unwrap_or_else(|| name.clone());
            Verdict {
                label,
                lines: measured.map(|coverage| coverage.lines),
                gate: gates.for_crate(name),
            }
        })
        .collect::<Vec<_>>();
    verdicts.sort_by(|a, b| a.label.cmp(&b.label));
    verdicts.push(Verdict {
        label: "workspace".to_owned(),
        lines: Some(summary.workspace()),
        gate: gates.workspace,
    });
    verdicts
}

/// The table printed by `cargo xtask coverage`.
pub fn render_table(verdicts: &[Verdict]) -> String {
    let mut out = format!(
        "{:<28} {:>8} {:>8} {:>8} {:>7}  {}\n",
        "crate", "lines", "covered", "line %", "gate", "result"
    );
    for verdict in verdicts {
        let (lines, covered) = verdict.lines.map_or_else(
            || ("-".to_owned(), "-".to_owned()),
            |lines| (lines.count.to_string(), lines.covered.to_string()),
        );
        let result = match (verdict.passes(), verdict.lines) {
            (true, _) => "ok",
            (false, None) => "FAIL (no coverage data)",
            (false, Some(_)) => "FAIL",
        };
        out.push_str(&format!(
            "{:<28} {:>8} {:>8} {:>7.1}% {:>6.1}%  {result}\n",
            verdict.label,
            lines,
            covered,
            verdict.percent(),
            verdict.gate
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::summary::CrateCoverage;

    const GATES: &str = r#"
        # comment
        workspace = 60
        default_crate = 50.5
        [crates]
        nlp = 80
        "hotel-agent" = 0
    "#;

    fn summary() -> CoverageSummary {
        let mut summary = CoverageSummary::default();
        for (name, path, count, covered) in [
            ("nlp", "crates/nlp", 100, 79),
            ("store", "crates/store", 10, 6),
        ] {
            summary.crates.insert(
                name.to_owned(),
                CrateCoverage {
                    path: path.to_owned(),
                    lines: LineCounts { count, covered },
                },
            );
        }
        summary
    }

    #[test]
    fn parses_integers_and_floats() {
        let gates = Gates::parse(GATES).unwrap();
        assert_eq!(gates.workspace, 60.0);
        assert_eq!(gates.default_crate, 50.5);
        assert_eq!(gates.for_crate("nlp"), 80.0);
        assert_eq!(gates.for_crate("hotel-agent"), 0.0);
        assert_eq!(gates.for_crate("pms"), 50.5);
    }

    #[test]
    fn rejects_bad_files() {
        assert!(Gates::parse("workspace = 60").is_err());
        assert!(Gates::parse("workspace = 160\ndefault_crate = 50").is_err());
        assert!(Gates::parse("workspace = 60\ndefault_crate = 50\ntypo = 1").is_err());
        assert!(Gates::parse("workspace = 60\ndefault_crate = 50\n[crates]\nx = -1").is_err());
    }

    #[test]
    fn the_repository_gates_file_parses() {
        let root = crate::util::workspace_root();
        Gates::load(&root).unwrap();
    }

    #[test]
    fn verdicts_cover_measured_members_and_gated_crates() {
        let gates = Gates::parse(GATES).unwrap();
        let members = BTreeMap::from([
            ("pms".to_owned(), "crates/pms".to_owned()),
            ("nlp".to_owned(), "crates/nlp".to_owned()),
        ]);
        let verdicts = evaluate(&summary(), &gates, &members);
        let rows: Vec<(&str, bool)> = verdicts
            .iter()
            .map(|verdict| (verdict.label.as_str(), verdict.passes()))
            .collect();
        assert_eq!(
            rows,
            [
                ("crates/nlp", false),  // 79 < 80
                ("crates/pms", false),  // no data
                ("crates/store", true), // 60 >= 50.5
                ("hotel-agent", true),  // gate 0, no data, not a member
                ("workspace", true),    // 85/110 = 77.3
            ]
        );
        assert!(render_table(&verdicts).contains("FAIL (no coverage data)"));
    }
}
