//! Integration tests of the stack programs: snapshots of every emitted file and the
//! terraform validation tier.

mod aws;
mod features;
mod gcp;
mod snapshots;
mod terraform;
