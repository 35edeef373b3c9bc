//! hotel-observability
