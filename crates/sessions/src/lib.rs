//! hotel-sessions
