//! The starter designs of `dsd init`, compiled into the binary. Each walks
//! through the seven steps with the reference's questions as comments and
//! `TODO` placeholders that fail `dsd check` until they are answered.

pub const TEMPLATES: &[(&str, &str)] = &[
    ("streaming", include_str!("../templates/streaming.dsd")),
    ("warehouse", include_str!("../templates/warehouse.dsd")),
    (
        "feature-store",
        include_str!("../templates/feature-store.dsd"),
    ),
    ("backfill", include_str!("../templates/backfill.dsd")),
    ("dashboard", include_str!("../templates/dashboard.dsd")),
];

/// Whether `name` can be a design name (and a file name): an ASCII identifier.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
}

/// The starter design `template` for a design called `name`.
pub fn render(template: &str, name: &str) -> Option<String> {
    let text = TEMPLATES.iter().find(|(t, _)| *t == template)?.1;
    let title = name.replace('_', " ");
    Some(text.replace("__NAME__", name).replace("__TITLE__", &title))
}
