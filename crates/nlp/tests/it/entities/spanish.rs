//! Spanish, Rioplatense included: informal, misspelled, without accents.

use hotel_domain::Language;

use super::{SATURDAY, WEDNESDAY, check_table};

#[test]
fn absolute_dates_and_ranges() {
    check_table(
        Language::Es,
        WEDNESDAY,
        &[
            (
                "tienen doble del 15 al 17 de diciembre para 2?",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17","adults":2,"room_type":"double"}"#,
            ),
            (
                "quiero reservar para el 15/12",
                r#"{"check_in":"2026-12-15"}"#,
            ),
            ("llegamos el 15-12", r#"{"check_in":"2026-12-15"}"#),
            ("para el 15 de diciembre", r#"{"check_in":"2026-12-15"}"#),
            ("15 de dic", r#"{"check_in":"2026-12-15"}"#),
            ("el 15 de diciembre de 2026", r#"{"check_in":"2026-12-15"}"#),
            ("para el 15/12/2026", r#"{"check_in":"2026-12-15"}"#),
            (
                "15/12/26 2 personas",
                r#"{"check_in":"2026-12-15","adults":2}"#,
            ),
            (
                "hay lugar del 15 al 17?",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            (
                "del 27 al 29",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            (
                "del 30 al 2",
                r#"{"check_in":"2026-11-30","check_out":"2026-12-02"}"#,
            ),
            (
                "15-17/12",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            (
                "15/12 al 17/12",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            (
                "15/12-18/12",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-18"}"#,
            ),
            (
                "entre el 20 y el 23 de diciembre",
                r#"{"check_in":"2026-12-20","check_out":"2026-12-23"}"#,
            ),
            (
                "entre el 20 y el 23",
                r#"{"check_in":"2026-12-20","check_out":"2026-12-23"}"#,
            ),
            (
                "del 28 de diciembre al 2 de enero",
                r#"{"check_in":"2026-12-28","check_out":"2027-01-02"}"#,
            ),
            (
                "del 28 al 2 de enero",
                r#"{"check_in":"2026-12-28","check_out":"2027-01-02"}"#,
            ),
            (
                "15 al 17 de diciembre",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            ("para el 10 de enero", r#"{"check_in":"2027-01-10"}"#),
            ("el 15 de octubre", r#"{"check_in":"2027-10-15"}"#),
            ("el quince de diciembre", r#"{"check_in":"2026-12-15"}"#),
            ("el 1ro de enero", r#"{"check_in":"2027-01-01"}"#),
            ("para el dia 30", r#"{"check_in":"2026-11-30"}"#),
            ("el 3", r#"{"check_in":"2026-12-03"}"#),
            (
                "del 15 al 17 de dicimbre",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
            ("para el 20 de noviembre de 2025", r#"{}"#),
            ("del 17 al 15 de diciembre", r#"{}"#),
            ("para julio", r#"{}"#),
            ("de 10 a 12 hay desayuno?", r#"{}"#),
        ],
    );
}

#[test]
fn relative_dates() {
    check_table(
        Language::Es,
        WEDNESDAY,
        &[
            ("tienen lugar para hoy?", r#"{"check_in":"2026-11-25"}"#),
            ("tenés lugar para mañana?", r#"{"check_in":"2026-11-26"}"#),
            ("tenes lugar para manana?", r#"{"check_in":"2026-11-26"}"#),
            ("para pasado mañana", r#"{"check_in":"2026-11-27"}"#),
            (
                "hay habitacion mañana a la noche?",
                r#"{"check_in":"2026-11-26"}"#,
            ),
            (
                "quiero reservar para 2 el finde",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29","adults":2}"#,
            ),
            (
                "este fin de semana tienen lugar?",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            (
                "hay disponibilidad el viernes?",
                r#"{"check_in":"2026-11-27"}"#,
            ),
            ("reserva para el lunes", r#"{"check_in":"2026-11-30"}"#),
            (
                "3 noches desde el lunes",
                r#"{"check_in":"2026-11-30","check_out":"2026-12-03","nights":3}"#,
            ),
            (
                "dos noches a partir de mañana",
                r#"{"check_in":"2026-11-26","check_out":"2026-11-28","nights":2}"#,
            ),
            (
                "del viernes al domingo",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            ("tienen lugar el miercoles?", r#"{"check_in":"2026-12-02"}"#),
            (
                "hay lugar el sabado para 2?",
                r#"{"check_in":"2026-11-28","adults":2}"#,
            ),
            ("llego mañana por la mañana", r#"{"check_in":"2026-11-26"}"#),
            ("hola, hasta mañana!", r#"{}"#),
            ("gracias, nos vemos mañana", r#"{}"#),
            ("mañana les paso la seña", r#"{}"#),
            ("necesito traslado al aeropuerto el domingo", r#"{}"#),
        ],
    );
}

#[test]
fn nights_and_guests() {
    check_table(
        Language::Es,
        WEDNESDAY,
        &[
            ("somos 4", r#"{"adults":4}"#),
            ("para dos", r#"{"adults":2}"#),
            ("para 2 personas", r#"{"adults":2}"#),
            ("2 adultos y un nene", r#"{"adults":2,"children":1}"#),
            ("2 adultos y 2 niños", r#"{"adults":2,"children":2}"#),
            (
                "somos 4, 2 adultos y 2 chicos",
                r#"{"adults":2,"children":2}"#,
            ),
            ("somos 3 con un bebé", r#"{"adults":2,"children":1}"#),
            ("para 2 y un nene", r#"{"adults":2,"children":1}"#),
            ("voy con mi novia", r#"{"adults":2}"#),
            ("mi esposa y yo", r#"{"adults":2}"#),
            ("solo yo", r#"{"adults":1}"#),
            ("somos una pareja", r#"{"adults":2}"#),
            ("somos tres adultos", r#"{"adults":3}"#),
            ("para una persona", r#"{"adults":1}"#),
            ("3 noches", r#"{"nights":3}"#),
            ("dos noches para 2", r#"{"nights":2,"adults":2}"#),
            ("cuanto sale por noche?", r#"{}"#),
            ("quiero una noche más", r#"{}"#),
            ("2 o 3 noches", r#"{}"#),
            ("para 2 noches", r#"{"nights":2}"#),
            (
                "tienen para 2 noches del 15 al 17",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17","nights":2}"#,
            ),
            (
                "3 noches desde el 15/12 para 2 adultos y 1 niño",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-18","nights":3,"adults":2,"children":1}"#,
            ),
            ("con 2 niños", r#"{"children":2}"#),
            ("somos 2 mas 1 bebe", r#"{"adults":2,"children":1}"#),
            (
                "vamos con mi marido y mis 2 hijos",
                r#"{"adults":2,"children":2}"#,
            ),
            (
                "llegamos el jueves a la tarde y nos vamos el domingo",
                r#"{"check_in":"2026-11-26","check_out":"2026-11-29"}"#,
            ),
            (
                "la reserva esta a nombre de juan, numero 7781",
                r#"{"booking_id":"7781"}"#,
            ),
            (
                "hola quiero reservar una matrimonial para el viernes 2 noches",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29","nights":2,"room_type":"double"}"#,
            ),
            ("a las 15 hs llegamos", r#"{}"#),
        ],
    );
}

#[test]
fn rooms_ids_and_contact() {
    check_table(
        Language::Es,
        WEDNESDAY,
        &[
            ("tienen matrimonial?", r#"{"room_type":"double"}"#),
            ("una habitación doble", r#"{"room_type":"double"}"#),
            ("con dos camas", r#"{"room_type":"twin"}"#),
            ("habitacion individual", r#"{"room_type":"single"}"#),
            ("una triple", r#"{"room_type":"triple"}"#),
            ("la suite cuanto sale?", r#"{"room_type":"suite"}"#),
            ("tienen habitación familiar?", r#"{"room_type":"family"}"#),
            ("me cobraron doble", r#"{}"#),
            (
                "me confirmás la reserva HTL-4821?",
                r#"{"booking_id":"HTL-4821"}"#,
            ),
            ("reserva 55821", r#"{"booking_id":"55821"}"#),
            ("mi reserva es la 55821", r#"{"booking_id":"55821"}"#),
            ("estoy en la 305 y no anda el aire", r#"{}"#),
            ("habitación 312", r#"{}"#),
            (
                "mi mail es juan.perez@gmail.com",
                r#"{"email":"juan.perez@gmail.com"}"#,
            ),
            ("mi cel +54 9 11 4567-8901", r#"{"phone":"+5491145678901"}"#),
            ("mi cel 11 4567-8901", r#"{}"#),
            ("cambiar de doble a twin", r#"{"room_type":"twin"}"#),
            (
                "en vez del 10 al 12 que sea del 17 al 19",
                r#"{"check_in":"2026-12-17","check_out":"2026-12-19"}"#,
            ),
        ],
    );
}

#[test]
fn weekend_reference() {
    check_table(
        Language::Es,
        SATURDAY,
        &[
            ("el viernes que viene", r#"{"check_in":"2026-12-04"}"#),
            (
                "este finde",
                r#"{"check_in":"2026-11-28","check_out":"2026-11-29"}"#,
            ),
            (
                "reservar el finde que viene",
                r#"{"check_in":"2026-12-04","check_out":"2026-12-06"}"#,
            ),
            ("mañana a la noche", r#"{"check_in":"2026-11-29"}"#),
        ],
    );
}
