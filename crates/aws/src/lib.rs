//! terrane-aws (work in progress)
