//! A question with options: reply buttons when they fit, a list otherwise.

use std::collections::HashSet;

use hotel_domain::Choice;

use super::{Adjustment, BuildError, PrepareOptions, fit, interactive_body, limits};
use crate::client::wire::{self, Content};

/// The parts of an [`OutboundBody::Choices`](hotel_domain::OutboundBody::Choices).
pub(super) struct Question<'a> {
    pub(super) header: Option<&'a str>,
    pub(super) body: &'a str,
    pub(super) footer: Option<&'a str>,
    pub(super) button: Option<&'a str>,
    pub(super) choices: &'a [Choice],
}

pub(super) fn prepare(
    question: Question<'_>,
    options: &PrepareOptions,
    adjustments: &mut Vec<Adjustment>,
) -> Result<Vec<Content>, BuildError> {
    let choices = question.choices;
    if choices.is_empty() {
        return Err(BuildError::Empty("choice list"));
    }
    check_ids(choices)?;
    if choices.iter().any(|choice| choice.title.trim().is_empty()) {
        return Err(BuildError::Empty("choice title"));
    }
    let header = question
        .header
        .map(str::trim)
        .filter(|header| !header.is_empty())
        .map(|header| wire::Header::Text {
            text: fit(header, limits::HEADER, "header", adjustments),
        });
    let footer = question
        .footer
        .map(str::trim)
        .filter(|footer| !footer.is_empty())
        .map(|footer| wire::BodyText {
            text: fit(footer, limits::FOOTER, "footer", adjustments),
        });
    let (mut contents, interactive) = if fit_buttons(choices) {
        let (lead, body) =
            interactive_body(question.body, limits::BUTTONS_BODY, "body", adjustments)?;
        let buttons = choices
            .iter()
            .map(|choice| wire::ReplyButton::Reply {
                reply: wire::Reply {
                    id: choice.id.clone(),
                    title: choice.title.trim().to_owned(),
                },
            })
            .collect();
        let interactive = wire::Interactive::Button {
            header,
            body: wire::BodyText { text: body },
            footer,
            action: wire::ButtonAction { buttons },
        };
        (lead, interactive)
    } else {
        let (lead, body) = interactive_body(question.body, limits::LIST_BODY, "body", adjustments)?;
        let action = list_action(choices, question.button, options, adjustments)?;
        let interactive = wire::Interactive::List {
            header,
            body: wire::BodyText { text: body },
            footer,
            action,
        };
        (lead, interactive)
    };
    contents.push(Content::Interactive { interactive });
    Ok(contents)
}

/// Ids come back in the guest's reply, so they are checked, never changed.
fn check_ids(choices: &[Choice]) -> Result<(), BuildError> {
    let mut seen = HashSet::new();
    for choice in choices {
        let id = choice.id.as_str();
        let reason = if id.is_empty() {
            Some("is empty")
        } else if id.trim() != id {
            Some("has leading or trailing whitespace")
        } else if id.chars().count() > limits::BUTTON_ID {
            Some("is longer than 256 code points")
        } else if !seen.insert(id) {
            Some("is repeated")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(BuildError::InvalidChoiceId {
                id: id.to_owned(),
                reason,
            });
        }
    }
    Ok(())
}

/// Reply buttons: at most 3, unique titles of at most 20 code points, no descriptions.
fn fit_buttons(choices: &[Choice]) -> bool {
    let mut titles = HashSet::new();
    choices.len() <= limits::BUTTONS
        && choices.iter().all(|choice| {
            let title = choice.title.trim();
            title.chars().count() <= limits::BUTTON_TITLE
                && titles.insert(title)
                && choice
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
        })
}

fn list_action(
    choices: &[Choice],
    button: Option<&str>,
    options: &PrepareOptions,
    adjustments: &mut Vec<Adjustment>,
) -> Result<wire::ListAction, BuildError> {
    let shown = &choices[..choices.len().min(limits::LIST_ROWS)];
    if shown.len() < choices.len() {
        adjustments.push(Adjustment::ChoicesDropped {
            kept: shown.len(),
            dropped: choices.len() - shown.len(),
        });
    }
    let rows = shown
        .iter()
        .map(|choice| {
            if choice.id.chars().count() > limits::ROW_ID {
                return Err(BuildError::InvalidChoiceId {
                    id: choice.id.clone(),
                    reason: "is longer than 200 code points, the limit of a list row",
                });
            }
            Ok(wire::Row {
                id: choice.id.clone(),
                title: fit(
                    choice.title.trim(),
                    limits::ROW_TITLE,
                    "row title",
                    adjustments,
                ),
                description: choice
                    .description
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|d| fit(d, limits::ROW_DESCRIPTION, "row description", adjustments)),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let label = button
        .map(str::trim)
        .filter(|label| !label.is_empty())
        .unwrap_or(options.list_button.trim());
    let label = if label.is_empty() {
        super::DEFAULT_LIST_BUTTON
    } else {
        label
    };
    Ok(wire::ListAction {
        button: fit(label, limits::LIST_BUTTON, "list button", adjustments),
        sections: vec![wire::Section { title: None, rows }],
    })
}
