//! Serializers: every format dsd writes lives here.

pub mod human;
pub mod json;
