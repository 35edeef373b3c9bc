//! The README's set-up section: the shell commands in the fenced blocks under a heading that
//! contains "Quick start" or "Set-up" (also "Setup", "Set up"), up to the next heading of the same or a higher level.

const SHELL_LANGUAGES: [&str; 6] = ["", "sh", "bash", "shell", "console", "zsh"];

/// The commands of the set-up section, or `None` when there is no such heading.
pub fn setup_commands(markdown: &str) -> Option<Vec<String>> {
    let mut commands = Vec::new();
    let mut section_level: Option<usize> = None;
    let mut found = false;
    let mut fence: Option<(String, bool)> = None; // (marker, shell block)
    let mut pending = String::new();

    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some((marker, shell)) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end() == marker.as_str() {
                fence = None;
                continue;
            }
            if *shell && section_level.is_some() {
                collect_command(trimmed, &mut pending, &mut commands);
            }
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            let language = trimmed
                .trim_start_matches(marker.chars().next().unwrap_or('`'))
                .split([' ', ','])
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            fence = Some((marker, SHELL_LANGUAGES.contains(&language.as_str())));
            continue;
        }
        if let Some(level) = heading_level(trimmed) {
            if section_level.is_some_and(|section| level <= section) {
                section_level = None;
            }
            if section_level.is_none() && !found && is_setup_heading(trimmed) {
                section_level = Some(level);
                found = true;
            }
        }
    }
    if !pending.is_empty() {
        commands.push(pending);
    }
    found.then_some(commands)
}

fn fence_marker(line: &str) -> Option<String> {
    ['`', '~'].into_iter().find_map(|fence_char| {
        let count = line.chars().take_while(|c| *c == fence_char).count();
        (count >= 3).then(|| fence_char.to_string().repeat(count))
    })
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let rest = line.get(level..).unwrap_or_default();
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' '))).then_some(level)
}

fn is_setup_heading(line: &str) -> bool {
    let text = line.trim_start_matches('#').trim().to_ascii_lowercase();
    ["quick start", "quickstart", "set-up", "setup", "set up"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// Adds one line of a shell block: skips blanks, comments and output; strips `$ ` prompts; joins `\` continuations.
fn collect_command(line: &str, pending: &mut String, commands: &mut Vec<String>) {
    let line = line.trim_end();
    if pending.is_empty() && (line.is_empty() || line.starts_with('#')) {
        return;
    }
    let line = line.strip_prefix("$ ").unwrap_or(line);
    if let Some(continued) = line.strip_suffix('\\') {
        pending.push_str(continued.trim_end());
        pending.push(' ');
        return;
    }
    pending.push_str(line.trim());
    commands.push(std::mem::take(pending).trim().to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_commands_in_the_quick_start_section() {
        let readme = "# Hotel agent\n\nIntro.\n\n```sh\ncargo build\n```\n\n\
            ## Quick start\n\nRun:\n\n```bash\n# a comment\n$ cargo xtask services\n\n\
            cargo run -p hotel-agent -- \\\n  --config deploy/dev.toml serve\n```\n\n\
            ```toml\n[server]\nbind = \"x\"\n```\n\n### Details\n\n```sh\ncurl localhost:8080/health/live\n```\n\n\
            ## Architecture\n\n```sh\ncargo doc\n```\n";
        let commands = setup_commands(readme).unwrap();
        assert_eq!(
            commands,
            [
                "cargo xtask services",
                "cargo run -p hotel-agent -- --config deploy/dev.toml serve",
                "curl localhost:8080/health/live",
            ]
        );
    }

    #[test]
    fn set_up_heading_variants() {
        let readme =
            "## Set-up\n\n~~~console\n$ cargo xtask services\n$ cargo run -p hotel-agent\n~~~\n";
        assert_eq!(setup_commands(readme).unwrap().len(), 2);
        assert_eq!(
            setup_commands("# Setup\n\nNothing to run.\n")
                .unwrap()
                .len(),
            0
        );
    }

    #[test]
    fn no_setup_heading() {
        assert_eq!(setup_commands("# Readme\n```sh\nmake\n```\n"), None);
    }

    #[test]
    fn a_hash_inside_a_code_block_is_not_a_heading() {
        let readme = "## Quick start\n```sh\n# Set-up is easy\ncargo xtask services\n```\n```python\n# Quick start\nprint(1)\n```\n";
        assert_eq!(setup_commands(readme).unwrap(), ["cargo xtask services"]);
    }
}
