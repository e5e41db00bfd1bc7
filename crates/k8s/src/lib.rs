//! terrane-k8s (work in progress)
