//! The integration tests of this crate, in one binary.

mod examples;
#[rustfmt::skip]
mod generated;
mod properties;
