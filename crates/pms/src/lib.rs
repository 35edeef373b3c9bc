//! hotel-pms
