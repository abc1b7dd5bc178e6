//! The standard library: `.dsd` files compiled into the binary.

/// `(name, text)` of each stdlib file, in load order.
pub const FILES: &[(&str, &str)] = &[
    ("nouns.dsd", include_str!("../stdlib/nouns.dsd")),
    ("roles.dsd", include_str!("../stdlib/roles.dsd")),
    ("tools.dsd", include_str!("../stdlib/tools.dsd")),
    ("numbers.dsd", include_str!("../stdlib/numbers.dsd")),
];
