//! Serializers: every format dsd writes lives here.

pub mod coverage;
pub mod diagram;
pub mod diff;
pub mod dot;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod report;
pub mod sarif;
pub mod schema;
pub mod svg;
pub mod whatif;
