//! hotel-store
