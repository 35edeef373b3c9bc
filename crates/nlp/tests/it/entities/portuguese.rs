//! Portuguese, Brazilian included: informal, abbreviated, without accents.

use hotel_domain::Language;

use super::{SATURDAY, WEDNESDAY, check_table};

#[test]
fn absolute_dates_and_ranges() {
    check_table(
        Language::Pt,
        WEDNESDAY,
        &[
            (
                "vocês têm vaga para 15 de dezembro?",
                r#"{"check_in":"2026-12-15"}"#,
            ),
            ("15 de dezembro", r#"{"check_in":"2026-12-15"}"#),
            ("dia 15", r#"{"check_in":"2026-12-15"}"#),
            ("no dia 30", r#"{"check_in":"2026-11-30"}"#),
            (
                "de 10 a 12 de janeiro",
                r#"{"check_in":"2027-01-10","check_out":"2027-01-12"}"#,
            ),
            (
                "do dia 10 ao dia 12",
                r#"{"check_in":"2026-12-10","check_out":"2026-12-12"}"#,
            ),
            (
                "entre 20 e 23 de dezembro",
                r#"{"check_in":"2026-12-20","check_out":"2026-12-23"}"#,
            ),
            (
                "15/12 a 18/12",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-18"}"#,
            ),
            ("15 dez", r#"{"check_in":"2026-12-15"}"#),
            ("5 de out", r#"{"check_in":"2027-10-05"}"#),
            (
                "15-17/12 pra 2",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17","adults":2}"#,
            ),
            ("dia primeiro de janeiro", r#"{"check_in":"2027-01-01"}"#),
            (
                "de 28 de dezembro a 2 de janeiro",
                r#"{"check_in":"2026-12-28","check_out":"2027-01-02"}"#,
            ),
            ("em julho", r#"{}"#),
            ("quinze de dezembro", r#"{"check_in":"2026-12-15"}"#),
            (
                "reserva dos dias 15 a 17 de dezembro",
                r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#,
            ),
        ],
    );
}

#[test]
fn relative_dates() {
    check_table(
        Language::Pt,
        WEDNESDAY,
        &[
            ("tem vaga pra hoje?", r#"{"check_in":"2026-11-25"}"#),
            ("tem quarto para amanhã?", r#"{"check_in":"2026-11-26"}"#),
            ("amanha", r#"{"check_in":"2026-11-26"}"#),
            ("depois de amanhã", r#"{"check_in":"2026-11-27"}"#),
            (
                "esse fim de semana",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            (
                "no fds tem vaga?",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            ("na sexta", r#"{"check_in":"2026-11-27"}"#),
            ("na segunda", r#"{"check_in":"2026-11-30"}"#),
            ("segunda-feira", r#"{"check_in":"2026-11-30"}"#),
            (
                "de sexta a domingo",
                r#"{"check_in":"2026-11-27","check_out":"2026-11-29"}"#,
            ),
            ("amanhã à noite", r#"{"check_in":"2026-11-26"}"#),
            (
                "duas diárias a partir de sábado",
                r#"{"check_in":"2026-11-28","check_out":"2026-11-30","nights":2}"#,
            ),
            ("até amanhã!", r#"{}"#),
            ("obrigado, até amanhã", r#"{}"#),
            ("semana que vem falo com vocês", r#"{}"#),
            ("é a segunda vez que peço", r#"{}"#),
            ("transfer do aeroporto no domingo", r#"{}"#),
        ],
    );
}

#[test]
fn nights_and_guests() {
    check_table(
        Language::Pt,
        WEDNESDAY,
        &[
            ("somos um casal", r#"{"adults":2}"#),
            ("somos 4", r#"{"adults":4}"#),
            ("somos em 3", r#"{"adults":3}"#),
            ("para duas pessoas", r#"{"adults":2}"#),
            ("pra 2", r#"{"adults":2}"#),
            ("2 adultos e 1 criança", r#"{"adults":2,"children":1}"#),
            ("com 2 crianças", r#"{"children":2}"#),
            ("eu e minha esposa", r#"{"adults":2}"#),
            ("vou com meu namorado", r#"{"adults":2}"#),
            ("só eu", r#"{"adults":1}"#),
            ("vou sozinho", r#"{"adults":1}"#),
            ("duas diárias", r#"{"nights":2}"#),
            ("3 noites", r#"{"nights":3}"#),
            ("mais uma noite", r#"{}"#),
            ("quanto custa a diária?", r#"{}"#),
            ("dois adultos e um bebê", r#"{"adults":2,"children":1}"#),
            ("três noites para 2 pessoas", r#"{"nights":3,"adults":2}"#),
            ("somos 2 casais", r#"{"adults":4}"#),
            (
                "eu, minha esposa e nossa filha",
                r#"{"adults":2,"children":1}"#,
            ),
            (
                "oi, tem vaga pro feriado? somos 2 adultos e 2 crianças",
                r#"{"adults":2,"children":2}"#,
            ),
            (
                "chego dia 10 e saio dia 15",
                r#"{"check_in":"2026-12-10","check_out":"2026-12-15"}"#,
            ),
            (
                "queria mudar minha reserva 55821 pro dia 18",
                r#"{"check_in":"2026-12-18","booking_id":"55821"}"#,
            ),
        ],
    );
}

#[test]
fn rooms_ids_and_contact() {
    check_table(
        Language::Pt,
        WEDNESDAY,
        &[
            ("quarto de casal", r#"{"room_type":"double"}"#),
            (
                "somos um casal e queremos quarto de casal",
                r#"{"adults":2,"room_type":"double"}"#,
            ),
            ("duas camas de solteiro", r#"{"room_type":"twin"}"#),
            ("quarto de solteiro", r#"{"room_type":"single"}"#),
            ("quarto triplo", r#"{"room_type":"triple"}"#),
            ("tem suíte?", r#"{"room_type":"suite"}"#),
            ("quarto família", r#"{"room_type":"family"}"#),
            ("quarto duplo", r#"{"room_type":"double"}"#),
            ("minha reserva HTL-4835", r#"{"booking_id":"HTL-4835"}"#),
            ("reserva número 55821", r#"{"booking_id":"55821"}"#),
            ("estou no quarto 204", r#"{}"#),
            (
                "meu whats +55 11 91234-5678",
                r#"{"phone":"+5511912345678"}"#,
            ),
            (
                "email maria_silva@uol.com.br",
                r#"{"email":"maria_silva@uol.com.br"}"#,
            ),
        ],
    );
}

#[test]
fn weekend_reference() {
    check_table(
        Language::Pt,
        SATURDAY,
        &[
            ("sexta que vem", r#"{"check_in":"2026-12-04"}"#),
            ("sexta-feira que vem", r#"{"check_in":"2026-12-04"}"#),
            (
                "fim de semana que vem",
                r#"{"check_in":"2026-12-04","check_out":"2026-12-06"}"#,
            ),
        ],
    );
}
