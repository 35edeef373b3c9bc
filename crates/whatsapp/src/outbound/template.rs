//! Template messages: name, approved language and the parameters of each component.

use hotel_domain::{TemplateComponent, TemplateParameter};

use super::{Adjustment, BuildError, media_source, non_blank};
use crate::client::wire::{self, Content};

pub(super) fn prepare(
    name: &str,
    language: &str,
    components: &[TemplateComponent],
    adjustments: &mut Vec<Adjustment>,
) -> Result<Content, BuildError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BuildError::Empty("template name"));
    }
    let language = language.trim();
    if language.is_empty() {
        return Err(BuildError::Empty("template language"));
    }
    let mut cleaned = false;
    let mut parameters = |list: &[TemplateParameter]| {
        list.iter()
            .map(|p| parameter(p, &mut cleaned))
            .collect::<Result<Vec<_>, _>>()
    };
    let components = components
        .iter()
        .map(|component| {
            Ok(match component {
                TemplateComponent::Header { parameters: list } => wire::Component::Header {
                    parameters: parameters(list)?,
                },
                TemplateComponent::Body { parameters: list } => wire::Component::Body {
                    parameters: parameters(list)?,
                },
                TemplateComponent::Button {
                    sub_type,
                    index,
                    parameters: list,
                } => {
                    let sub_type = sub_type.trim();
                    if sub_type.is_empty() {
                        return Err(BuildError::Empty("template button sub_type"));
                    }
                    wire::Component::Button {
                        sub_type: sub_type.to_owned(),
                        index: index.to_string(),
                        parameters: parameters(list)?,
                    }
                }
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    if cleaned {
        adjustments.push(Adjustment::ParameterCleaned);
    }
    Ok(Content::Template {
        template: wire::Template {
            name: name.to_owned(),
            language: wire::TemplateLanguage {
                code: language.to_owned(),
            },
            components,
        },
    })
}

fn parameter(
    parameter: &TemplateParameter,
    cleaned: &mut bool,
) -> Result<wire::Parameter, BuildError> {
    let media = |source| -> Result<wire::Media, BuildError> {
        Ok(wire::Media {
            source: media_source(source)?,
            caption: None,
            filename: None,
        })
    };
    Ok(match parameter {
        TemplateParameter::Text {
            text,
            parameter_name,
        } => {
            let clean = clean_text(text);
            if clean.is_empty() {
                return Err(BuildError::Empty("template text parameter"));
            }
            *cleaned |= clean != *text;
            wire::Parameter::Text {
                text: clean,
                parameter_name: non_blank(parameter_name.as_deref())
                    .map(|name| name.trim().to_owned()),
            }
        }
        TemplateParameter::Payload { payload } => {
            if payload.trim().is_empty() {
                return Err(BuildError::Empty("template button payload"));
            }
            wire::Parameter::Payload {
                payload: payload.clone(),
            }
        }
        TemplateParameter::Image { source } => wire::Parameter::Image {
            image: media(source)?,
        },
        TemplateParameter::Video { source } => wire::Parameter::Video {
            video: media(source)?,
        },
        TemplateParameter::Document { source, filename } => wire::Parameter::Document {
            document: wire::Media {
                filename: super::document_filename(source, filename.as_deref()),
                ..media(source)?
            },
        },
    })
}

/// A text parameter as Meta takes it: no line breaks or tabs, no run of more than four spaces,
/// no padding.
fn clean_text(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    let mut spaces = 0;
    for c in text.trim().chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if c == ' ' {
            spaces += 1;
            if spaces > 4 {
                continue;
            }
        } else {
            if spaces > 4 {
                // A run that was too long shrinks to one space.
                let kept = clean.trim_end_matches(' ').len();
                clean.truncate(kept);
                clean.push(' ');
            }
            spaces = 0;
        }
        clean.push(c);
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_parameters_lose_breaks_tabs_and_long_space_runs() {
        assert_eq!(clean_text("Ana"), "Ana");
        assert_eq!(clean_text(" Ana\nPérez\t"), "Ana Pérez");
        assert_eq!(clean_text("a\r\nb"), "a  b");
        assert_eq!(clean_text("a    b"), "a    b");
        assert_eq!(clean_text("a     b"), "a b");
        assert_eq!(clean_text("a \n\n\n\n b"), "a b");
        assert_eq!(clean_text("  \n "), "");
    }
}
