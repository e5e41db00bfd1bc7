//! terrane-gcp (work in progress)
