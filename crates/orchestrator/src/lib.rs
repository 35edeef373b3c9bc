//! hotel-orchestrator
