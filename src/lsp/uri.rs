//! `file:` URIs to paths and back. The URI is parsed by `fluent-uri` (the parser
//! lsp-types' `Uri` wraps) and each path segment percent-decoded by it, so
//! `%20`, `%23` (`#`) and UTF-8 escapes come back as the characters they stand
//! for, `file:///c%3A/x.dsd` and `file:///C:/x.dsd` are both `C:\x.dsd` on
//! Windows, and `file://server/share/x.dsd` is the UNC path
//! `\\server\share\x.dsd`.
//!
//! Both directions take a [`Style`] so that Windows paths are tested on every
//! host; [`to_path`] and [`from_path`] use the host's own.

use fluent_uri::HostData;
use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Which kind of path a URI stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `/a/b.dsd`; a URI naming another host has no path.
    Unix,
    /// `C:\a\b.dsd`, and `\\server\share\b.dsd` for a URI naming a host.
    Windows,
}

impl Style {
    /// The style of the machine the server runs on.
    pub const HOST: Style = if cfg!(windows) {
        Style::Windows
    } else {
        Style::Unix
    };
}

/// The path a `file:` URI names on this machine; `None` for another scheme
/// (`untitled:`), a relative URI, or one whose decoded segments are not UTF-8
/// or hold a separator or NUL.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    to_path_in(uri, Style::HOST).map(PathBuf::from)
}

/// The `file:` URI of an absolute path on this machine.
pub fn from_path(path: &Path) -> Option<Uri> {
    from_path_in(path.to_str()?, Style::HOST)
}

/// The path a `file:` URI names, written in `style`.
pub fn to_path_in(uri: &Uri, style: Style) -> Option<String> {
    if !uri.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let host = match uri.authority() {
        None => None,
        Some(a) if a.userinfo().is_some() || a.port().is_some() => return None,
        Some(a) => {
            let host = match a.host().data() {
                HostData::RegName(name) => name.decode().into_string().ok()?.into_owned(),
                // An IPv6 literal has no UNC spelling dsd would write.
                _ if a.host().as_str().starts_with('[') => return None,
                _ => a.host().as_str().to_string(),
            };
            (!host.is_empty() && !host.eq_ignore_ascii_case("localhost")).then_some(host)
        }
    };
    let path = uri.path();
    if !path.is_absolute() {
        return None;
    }
    let mut segments = Vec::new();
    for s in path.segments() {
        let s = s.decode().into_string().ok()?;
        // A decoded separator would name another file than the URI does.
        if s.contains(['/', '\0']) || (style == Style::Windows && s.contains('\\')) {
            return None;
        }
        segments.push(s.into_owned());
    }
    match style {
        Style::Unix => match host {
            Some(_) => None,
            None => Some(format!("/{}", segments.join("/"))),
        },
        Style::Windows => {
            if let Some(host) = host {
                // `\\server\share\...`: a share is needed.
                if segments.first().is_none_or(|s| s.is_empty()) {
                    return None;
                }
                return Some(format!(r"\\{host}\{}", segments.join(r"\")));
            }
            match segments.split_first() {
                Some((first, rest)) if drive(first).is_some() => {
                    let letter = drive(first)?;
                    Some(format!(r"{letter}:\{}", rest.join(r"\")))
                }
                _ => Some(format!(r"\{}", segments.join(r"\"))),
            }
        }
    }
}

/// The `file:` URI of an absolute path written in `style`; `None` for a
/// relative path (and, on Windows, one without a drive or server).
pub fn from_path_in(path: &str, style: Style) -> Option<Uri> {
    let uri = match style {
        Style::Unix => {
            let rest = path.strip_prefix('/')?;
            let segments: Vec<String> = rest.split('/').map(encode).collect();
            format!("file:///{}", segments.join("/"))
        }
        Style::Windows => {
            let path = path.replace('/', r"\");
            // Verbatim paths: `\\?\C:\x` and `\\?\UNC\server\share\x`.
            let path = match path.strip_prefix(r"\\?\") {
                Some(rest) => match rest.strip_prefix(r"UNC\") {
                    Some(unc) => format!(r"\\{unc}"),
                    None => rest.to_string(),
                },
                None => path,
            };
            if let Some(unc) = path.strip_prefix(r"\\") {
                let mut parts = unc.split('\\');
                let server = parts.next().filter(|s| !s.is_empty())?;
                let segments: Vec<String> = parts.map(encode).collect();
                if segments.first().is_none_or(|s| s.is_empty()) {
                    return None;
                }
                format!("file://{}/{}", encode(server), segments.join("/"))
            } else {
                let (first, rest) = path.split_once('\\')?;
                let letter = drive(first)?;
                let segments: Vec<String> = rest.split('\\').map(encode).collect();
                format!("file:///{letter}:/{}", segments.join("/"))
            }
        }
    };
    Uri::from_str(&uri).ok()
}

/// The drive letter of a first segment `C:` (or the old `C|`).
fn drive(segment: &str) -> Option<char> {
    let mut chars = segment.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(letter), Some(':' | '|'), None) if letter.is_ascii_alphabetic() => Some(letter),
        _ => None,
    }
}

/// Whether a byte may stand in a path segment as it is: RFC 3986's unreserved
/// characters, sub-delimiters, `:` and `@`.
fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b)
}

/// A path segment with every other byte percent-encoded (`%`, space, `#`,
/// `?`, non-ASCII).
fn encode(segment: &str) -> String {
    encode_but(segment, plain)
}

/// `text` with every byte but those `keep` keeps percent-encoded.
fn encode_but(text: &str, keep: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URI a client sent, as lsp-types' `Uri`. A string that is not a valid
/// URI (an unescaped space, non-ASCII, a `%` not followed by two hex digits) is
/// made one by percent-encoding the bytes RFC 3986 does not allow there, so the
/// server can still answer about the document; `None` only if even that fails.
pub fn from_client(s: &str) -> Option<Uri> {
    if let Ok(u) = Uri::from_str(s) {
        return Some(u);
    }
    let bytes = s.as_bytes();
    let mut fixed = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if escape || plain(b) || b"/?#[]".contains(&b) {
            fixed.push(char::from(b));
        } else {
            fixed.push_str(&format!("%{b:02X}"));
        }
    }
    // Last, a relative reference of unreserved characters and escapes, which
    // always parses (`::::` is not a URI reference: a relative path's first
    // segment holds no `:`).
    Uri::from_str(&fixed).ok().or_else(|| {
        let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        Uri::from_str(&encode_but(s, unreserved)).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        Uri::from_str(s).unwrap_or_else(|e| unreachable!("{s}: {e}"))
    }

    fn path(s: &str, style: Style) -> Option<String> {
        to_path_in(&uri(s), style)
    }

    fn back(p: &str, style: Style) -> String {
        from_path_in(p, style)
            .map(|u| u.as_str().to_string())
            .unwrap_or_else(|| unreachable!("no URI for {p}"))
    }

    #[test]
    fn percent_escapes_decode_to_spaces_hashes_and_non_ascii() {
        let u = "file:///home/a%20b/%23plans/%E0%A4%AD%E0%A5%81%E0%A4%97%E0%A4%A4%E0%A4%BE%E0%A4%A8.dsd";
        let p = "/home/a b/#plans/भुगतान.dsd";
        assert_eq!(path(u, Style::Unix).as_deref(), Some(p));
        assert_eq!(back(p, Style::Unix), u);
        // A `#` left unescaped starts the fragment, which names no file.
        assert_eq!(
            path("file:///a/b.dsd#x", Style::Unix).as_deref(),
            Some("/a/b.dsd")
        );
        // `%2F` inside a segment is not a separator.
        assert_eq!(path("file:///a%2Fb.dsd", Style::Unix), None);
        assert_eq!(path("file:///a%00b.dsd", Style::Unix), None);
        // Bytes that are not UTF-8.
        assert_eq!(path("file:///a%FF.dsd", Style::Unix), None);
    }

    #[test]
    fn windows_drive_letters_escaped_or_not() {
        for u in [
            "file:///C:/x.dsd",
            "file:///C%3A/x.dsd",
            "file:///C%3a/x.dsd",
        ] {
            assert_eq!(path(u, Style::Windows).as_deref(), Some(r"C:\x.dsd"), "{u}");
        }
        assert_eq!(
            path("file:///c%3A/My%20Designs/x.dsd", Style::Windows).as_deref(),
            Some(r"c:\My Designs\x.dsd")
        );
        assert_eq!(path("file:///C:/", Style::Windows).as_deref(), Some(r"C:\"));
        // The old `C|` spelling: `|` is not a URI character, so a client's
        // string is escaped first.
        assert!(Uri::from_str("file:///C|/x.dsd").is_err());
        let old = from_client("file:///C|/x.dsd");
        assert_eq!(
            old.and_then(|u| to_path_in(&u, Style::Windows)).as_deref(),
            Some(r"C:\x.dsd")
        );
        assert_eq!(
            path("file://localhost/C:/x.dsd", Style::Windows).as_deref(),
            Some(r"C:\x.dsd")
        );
        // A backslash decoded out of a segment would split it.
        assert_eq!(path("file:///C:/a%5Cb.dsd", Style::Windows), None);
        assert_eq!(
            back(r"C:\My Designs\x#1.dsd", Style::Windows),
            "file:///C:/My%20Designs/x%231.dsd"
        );
        assert_eq!(back(r"C:/a/b.dsd", Style::Windows), "file:///C:/a/b.dsd");
        assert_eq!(back(r"\\?\D:\a.dsd", Style::Windows), "file:///D:/a.dsd");
        assert_eq!(from_path_in(r"a\b.dsd", Style::Windows), None);
        assert_eq!(from_path_in(r"C:", Style::Windows), None);
        // On Unix the drive is a folder name.
        assert_eq!(
            path("file:///C:/x.dsd", Style::Unix).as_deref(),
            Some("/C:/x.dsd")
        );
    }

    #[test]
    fn unc_paths_name_the_server_in_the_authority() {
        assert_eq!(
            path("file://server/share/a%20b/x.dsd", Style::Windows).as_deref(),
            Some(r"\\server\share\a b\x.dsd")
        );
        assert_eq!(
            back(r"\\server\share\a b\x.dsd", Style::Windows),
            "file://server/share/a%20b/x.dsd"
        );
        assert_eq!(
            back(r"\\?\UNC\server\share\x.dsd", Style::Windows),
            "file://server/share/x.dsd"
        );
        assert_eq!(path("file://server/", Style::Windows), None, "no share");
        assert_eq!(from_path_in(r"\\server", Style::Windows), None);
        // No path on Unix names another machine's file.
        assert_eq!(path("file://server/share/x.dsd", Style::Unix), None);
        assert_eq!(path("file://[::1]/share/x.dsd", Style::Windows), None);
        assert_eq!(path("file://user@server/share/x.dsd", Style::Windows), None);
    }

    #[test]
    fn round_trips() {
        for (p, style) in [
            ("/tmp/a b/#1/ü €.dsd", Style::Unix),
            ("/", Style::Unix),
            ("/a//b/%41.dsd", Style::Unix),
            (r"C:\a b\#1\ü €.dsd", Style::Windows),
            (r"z:\100%.dsd", Style::Windows),
            (r"\\server\share\a b\ü.dsd", Style::Windows),
        ] {
            let u = from_path_in(p, style).unwrap_or_else(|| unreachable!("{p}"));
            assert_eq!(
                to_path_in(&u, style).as_deref(),
                Some(p),
                "{p} → {}",
                u.as_str()
            );
        }
        for u in [
            "file:///c%3A/x%20y.dsd",
            "file://server/share/x.dsd",
            "file:///C:/a/b.dsd",
        ] {
            let p = path(u, Style::Windows).unwrap_or_else(|| unreachable!("{u}"));
            let again = back(&p, Style::Windows);
            assert_eq!(path(&again, Style::Windows), Some(p), "{u} → {again}");
        }
    }

    #[test]
    fn other_schemes_and_relative_uris_have_no_path() {
        assert_eq!(path("untitled:Untitled-1", Style::Unix), None);
        assert_eq!(path("https://example.com/x.dsd", Style::Unix), None);
        assert_eq!(path("x.dsd", Style::Unix), None);
        assert_eq!(path("file:x.dsd", Style::Unix), None);
        assert_eq!(
            path("FILE:///a.dsd", Style::Unix).as_deref(),
            Some("/a.dsd")
        );
        assert_eq!(path("file:/a.dsd", Style::Unix).as_deref(), Some("/a.dsd"));
    }

    #[test]
    fn what_clients_send_unescaped_is_escaped_not_refused() {
        let u = from_client("file:///tmp/my designs/भुगतान 100%.dsd");
        assert_eq!(
            u.as_ref().map(|u| u.as_str()),
            Some(
                "file:///tmp/my%20designs/%E0%A4%AD%E0%A5%81%E0%A4%97%E0%A4%A4%E0%A4%BE%E0%A4%A8%20100%25.dsd"
            )
        );
        assert_eq!(
            u.as_ref()
                .and_then(|u| to_path_in(u, Style::Unix))
                .as_deref(),
            Some("/tmp/my designs/भुगतान 100%.dsd")
        );
        // A valid URI is kept as it was sent.
        let sent = "file:///c%3A/x.dsd";
        assert_eq!(
            from_client(sent).map(|u| u.as_str().to_string()).as_deref(),
            Some(sent)
        );
        // Anything at all gives some URI.
        for s in ["", "::::", "file://[bad/x", "%zz", "a b"] {
            assert!(from_client(s).is_some(), "{s}");
        }
    }
}
