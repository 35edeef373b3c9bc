//! The hotel guest assistant service: configuration, wiring, routes, middleware, workers.

pub mod auth;
pub mod bookings;
pub mod cli;
pub mod demo_ledger;
pub mod durable_sessions;
pub mod error;
pub mod inbox_writer;
pub mod media;
pub mod middleware;
pub mod room_holds;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod tenants;
pub mod window;
pub mod workers;

pub use settings::Settings;
pub use startup::{Application, RunningApplication};
