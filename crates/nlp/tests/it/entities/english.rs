//! English: informal, abbreviated, misspelled.

use hotel_domain::Language;

use super::{SATURDAY, WEDNESDAY, check_table};

#[test]
fn absolute_dates_and_ranges() {
    check_table(
        Language::En,
        WEDNESDAY,
        &[
            (
                "do you have a room on Dec 15th?",
                r#"{"check_in":"2026-12-15"}"#,
            ),
            ("December 15", r#"{"check_in":"2026-12-15"}"#),
            (
                "december 15 to 17",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            (
                "from the 3rd to the 6th",
                r#"{"check_in":"2026-12-03","check_out":"2026-12-06"}"#,
            ),
            (
                "from Dec 3rd to Dec 6th",
                r#"{"check_in":"2026-12-03","check_out":"2026-12-06"}"#,
            ),
            (
                "Dec 3-6",
                r#"{"check_in":"2026-12-03","check_out":"2026-12-06"}"#,
            ),
            (
                "3-6 December",
                r#"{"check_in":"2026-12-03","check_out":"2026-12-06"}"#,
            ),
            ("the 15th of December", r#"{"check_in":"2026-12-15"}"#),
            ("15th December 2026", r#"{"check_in":"2026-12-15"}"#),
            ("December 15th, 2026", r#"{"check_in":"2026-12-15"}"#),
            ("arriving on the 30th", r#"{"check_in":"2026-11-30"}"#),
            (
                "from January 2 to January 5",
                r#"{"check_in":"2027-01-02","check_out":"2027-01-05"}"#,
            ),
            (
                "between the 20th and the 23rd",
                r#"{"check_in":"2026-12-20","check_out":"2026-12-23"}"#,
            ),
            (
                "15/12 for 2 people",
                r#"{"check_in":"2026-12-15","adults":2}"#,
            ),
            ("12/25", r#"{"check_in":"2026-12-25"}"#),
            (
                "Dec 15 through Dec 18",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-18"}"#,
            ),
            ("in July", r#"{}"#),
            ("breakfast from 7 to 10?", r#"{}"#),
            ("I'm on the 3rd floor", r#"{}"#),
            ("may 2 of us check in early?", r#"{"adults":2}"#),
            (
                "a room for the twenty first of december",
                r#"{"check_in":"2026-12-21"}"#,
            ),
        ],
    );
}

#[test]
fn relative_dates() {
    check_table(
        Language::En,
        WEDNESDAY,
        &[
            ("any rooms for tonight?", r#"{"check_in":"2026-11-25"}"#),
            ("room for today", r#"{"check_in":"2026-11-25"}"#),
            (
                "do you have a room tomorrow?",
                r#"{"check_in":"2026-11-26"}"#,
            ),
            ("tomorow", r#"{"check_in":"2026-11-26"}"#),
            ("tomorrow night", r#"{"check_in":"2026-11-26"}"#),
            ("the day after tomorrow", r#"{"check_in":"2026-11-27"}"#),
            (
                "this weekend",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            (
                "a room this week end for 2",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29","adults":2}"#,
            ),
            (
                "can I move my booking to friday?",
                r#"{"check_in":"2026-11-27"}"#,
            ),
            (
                "from friday to sunday",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            (
                "3 nights from monday",
                r#"{"check_in":"2026-11-30","check_out":"2026-12-03","nights":3}"#,
            ),
            (
                "check in thursday, check out saturday",
                r#"{"check_in":"2026-11-26","check_out":"2026-11-28"}"#,
            ),
            ("see you tomorrow!", r#"{}"#),
            ("I'll pay tomorrow", r#"{}"#),
            ("airport pickup on sunday", r#"{}"#),
            ("how much is the airport transfer tomorrow?", r#"{}"#),
            (
                "arriving the 15th, leaving the 17th",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
        ],
    );
}

#[test]
fn nights_and_guests() {
    check_table(
        Language::En,
        WEDNESDAY,
        &[
            ("for two people", r#"{"adults":2}"#),
            ("2 of us", r#"{"adults":2}"#),
            ("the 3 of us", r#"{"adults":3}"#),
            ("just me", r#"{"adults":1}"#),
            ("me and my husband", r#"{"adults":2}"#),
            ("my wife and I", r#"{"adults":2}"#),
            ("with my girlfriend", r#"{"adults":2}"#),
            ("two adults and a baby", r#"{"adults":2,"children":1}"#),
            ("2 adults 2 kids", r#"{"adults":2,"children":2}"#),
            ("we are 4", r#"{"adults":4}"#),
            ("we're a couple", r#"{"adults":2}"#),
            ("a couple of nights", r#"{}"#),
            ("three nights", r#"{"nights":3}"#),
            ("a 2-night stay", r#"{"nights":2}"#),
            ("how much per night?", r#"{}"#),
            ("can I stay one more night?", r#"{}"#),
            ("one night", r#"{"nights":1}"#),
            (
                "me and my wife and our 2 kids, 4 nights",
                r#"{"nights":4,"adults":2,"children":2}"#,
            ),
            ("for 2 adults and 1 child", r#"{"adults":2,"children":1}"#),
            ("a family of 4", r#"{"adults":4}"#),
            (
                "we arrive on the 2nd and leave on the 5th",
                r#"{"check_in":"2026-12-02","check_out":"2026-12-05"}"#,
            ),
            (
                "I need a room for 1 night on Dec 31st",
                r#"{"check_in":"2026-12-31","check_out":"2027-01-01","nights":1}"#,
            ),
            (
                "room for 2 adults + 2 children dec 20-27",
                r#"{"check_in":"2026-12-20","check_out":"2026-12-27","adults":2,"children":2}"#,
            ),
            ("the wifi isn't working today", r#"{}"#),
            (
                "we need a twin room for 3 nights starting tomorrow",
                r#"{"check_in":"2026-11-26","check_out":"2026-11-29","nights":3,"room_type":"twin"}"#,
            ),
        ],
    );
}

#[test]
fn rooms_ids_and_contact() {
    check_table(
        Language::En,
        WEDNESDAY,
        &[
            ("do you have a king room?", r#"{"room_type":"double"}"#),
            ("queen bed please", r#"{"room_type":"double"}"#),
            ("a double room", r#"{"room_type":"double"}"#),
            ("twin room", r#"{"room_type":"twin"}"#),
            ("two beds", r#"{"room_type":"twin"}"#),
            ("single room", r#"{"room_type":"single"}"#),
            ("a single night", r#"{}"#),
            ("the suite", r#"{"room_type":"suite"}"#),
            ("family room for 4", r#"{"adults":4,"room_type":"family"}"#),
            ("triple room", r#"{"room_type":"triple"}"#),
            ("from a double to a twin", r#"{"room_type":"twin"}"#),
            ("I was double charged", r#"{}"#),
            ("booking number 55821", r#"{"booking_id":"55821"}"#),
            ("my reservation HTL-4835", r#"{"booking_id":"HTL-4835"}"#),
            ("room 312 has no hot water", r#"{}"#),
            (
                "call me at +1 (415) 555-2671",
                r#"{"phone":"+14155552671"}"#,
            ),
            (
                "email: john.doe@example.co.uk",
                r#"{"email":"john.doe@example.co.uk"}"#,
            ),
            (
                "book HTL-1234 for john@x.com, +44 20 7946 0958",
                r#"{"booking_id":"HTL-1234","email":"john@x.com","phone":"+442079460958"}"#,
            ),
        ],
    );
}

#[test]
fn weekend_reference() {
    check_table(
        Language::En,
        SATURDAY,
        &[
            ("next friday", r#"{"check_in":"2026-12-04"}"#),
            (
                "next friday for 2 nights",
                r#"{"check_in":"2026-12-04","check_out":"2026-12-06","nights":2}"#,
            ),
            (
                "this weekend",
                r#"{"check_in":"2026-11-28","check_out":"2026-11-29"}"#,
            ),
            (
                "next weekend",
                r#"{"check_in":"2026-12-04","check_out":"2026-12-06"}"#,
            ),
        ],
    );
}
