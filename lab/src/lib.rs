//! Network-namespace test lab (see the crate docs once written).
