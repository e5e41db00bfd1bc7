//! The integration tests of this crate, in one binary.

mod examples;
mod generated;
mod properties;
