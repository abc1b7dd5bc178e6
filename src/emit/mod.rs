//! Serializers: every format dsd writes lives here.

pub mod coverage;
pub mod human;
pub mod json;
pub mod report;
