//! [`Question`]: what the booking conversation asked last.

/// The question the booking conversation left open, stored as the session's `last_question`
/// (`booking:<name>`) so that a bare answer ("15 al 17", "2", a name) is read as its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Question {
    Dates,
    CheckOut,
    Guests,
    Room,
    Name,
    Email,
    Payment,
}

impl Question {
    const ALL: [Question; 7] = [
        Question::Dates,
        Question::CheckOut,
        Question::Guests,
        Question::Room,
        Question::Name,
        Question::Email,
        Question::Payment,
    ];

    /// The `last_question` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Question::Dates => "booking:dates",
            Question::CheckOut => "booking:check_out",
            Question::Guests => "booking:guests",
            Question::Room => "booking:room",
            Question::Name => "booking:name",
            Question::Email => "booking:email",
            Question::Payment => "booking:payment",
        }
    }

    /// The booking question a `last_question` value names, if it names one.
    pub(crate) fn parse(last_question: Option<&str>) -> Option<Self> {
        let last_question = last_question?;
        Self::ALL
            .into_iter()
            .find(|question| question.as_str() == last_question)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_round_trip_through_last_question() {
        for question in Question::ALL {
            assert_eq!(Question::parse(Some(question.as_str())), Some(question));
        }
        assert_eq!(Question::parse(Some("confirm:pricing")), None);
        assert_eq!(Question::parse(None), None);
    }
}
