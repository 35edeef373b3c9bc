//! hotel-nlp
