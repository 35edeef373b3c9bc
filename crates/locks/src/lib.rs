//! hotel-locks
