//! Documents larger than one keystore entry may hold, stored as several entries.
//!
//! The Windows Credential Manager keeps at most `CRED_MAX_CREDENTIAL_BLOB_SIZE` = 5 × 512 bytes
//! per credential, and keyring-core's Windows store writes a password as UTF-16: 1280 UTF-16
//! units. A cached session with its SecurityToken can be larger. The rule:
//!
//! - a document that fits (and does not start with [`HEADER`]) is one entry, as everywhere;
//! - a larger one is cut, at character boundaries, into parts of at most the limit, stored
//!   under `ACCOUNT#GEN.I` (I = 1..N, GEN random per write), and the item's own entry holds
//!   only `alicloud-vault-parts:v1:GEN:N:LEN` (LEN = the document's length in bytes). Parts
//!   are written before the header, and the old generation's parts deleted after it, so a
//!   crash leaves either the old document or the new one, never a mix;
//! - more than [`MAX_PARTS`] parts is refused with a message that says why.

/// What the item's own entry starts with when its document is in parts.
pub const HEADER: &str = "alicloud-vault-parts:v1:";

/// The Windows Credential Manager's limit, in the UTF-16 units keyring-core stores.
#[cfg_attr(not(windows), allow(dead_code))]
pub const WINCRED_MAX_UNITS: usize = 5 * 512 / 2;

/// At most this many parts (40 KB on Windows: far above any document of ours).
pub const MAX_PARTS: usize = 32;

/// Where a document's parts are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub generation: String,
    pub count: usize,
    pub len: usize,
}

impl Header {
    pub fn text(&self) -> String {
        format!("{HEADER}{}:{}:{}", self.generation, self.count, self.len)
    }

    /// `None` for a value that is a whole document.
    pub fn parse(value: &str) -> Option<Header> {
        let rest = value.strip_prefix(HEADER)?;
        let mut f = rest.split(':');
        let (generation, count, len) = (f.next()?, f.next()?, f.next()?);
        if f.next().is_some()
            || generation.is_empty()
            || !generation.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        Some(Header {
            generation: generation.to_string(),
            count: count.parse().ok().filter(|n| (1..=MAX_PARTS).contains(n))?,
            len: len.parse().ok()?,
        })
    }

    /// The account of part `i` (1-based).
    pub fn part_account(&self, account: &str, i: usize) -> String {
        format!("{account}#{}.{i}", self.generation)
    }
}

/// How a document is stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Layout<'a> {
    Whole,
    Parts(Header, Vec<&'a str>),
}

/// A document too large even in parts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the item is {bytes} bytes: more than {MAX_PARTS} entries of {max_units} characters, the most this keystore holds per entry; use --backend file for it")]
pub struct TooLarge {
    pub bytes: usize,
    pub max_units: usize,
}

/// Splits `doc` for entries of at most `max_units` UTF-16 units each.
pub fn layout<'a>(
    doc: &'a str,
    max_units: usize,
    generation: &str,
) -> Result<Layout<'a>, TooLarge> {
    let units = doc.encode_utf16().count();
    if units <= max_units && !doc.starts_with(HEADER) {
        return Ok(Layout::Whole);
    }
    let too_large = TooLarge {
        bytes: doc.len(),
        max_units,
    };
    let mut parts = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, c) in doc.char_indices() {
        if used + c.len_utf16() > max_units {
            parts.push(&doc[start..i]);
            start = i;
            used = 0;
        }
        used += c.len_utf16();
    }
    parts.push(&doc[start..]);
    if parts.len() > MAX_PARTS || max_units < 2 {
        return Err(too_large);
    }
    let header = Header {
        generation: generation.to_string(),
        count: parts.len(),
        len: doc.len(),
    };
    Ok(Layout::Parts(header, parts))
}

/// Puts the parts back together; `Err` when they do not add up to what the header says.
pub fn join(header: &Header, parts: &[impl AsRef<str>]) -> Result<String, String> {
    let doc: String = parts.iter().map(AsRef::as_ref).collect();
    if parts.len() != header.count || doc.len() != header.len {
        let mut doc = doc;
        zeroize::Zeroize::zeroize(&mut doc);
        return Err(format!(
            "its {} parts hold {} of {} bytes",
            header.count,
            doc.len(),
            header.len
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_that_fits_stays_whole() {
        assert_eq!(layout("{\"a\":1}", 8, "ab").unwrap(), Layout::Whole);
        assert_eq!(
            layout(&"x".repeat(1280), WINCRED_MAX_UNITS, "ab").unwrap(),
            Layout::Whole
        );
    }

    #[test]
    fn a_session_over_the_windows_limit_is_cut_into_parts_that_fit_and_join_back() {
        let doc = format!("{{\"SecurityToken\":\"{}\"}}", "T".repeat(2000));
        let Layout::Parts(header, parts) = layout(&doc, WINCRED_MAX_UNITS, "0a1b").unwrap() else {
            panic!("expected parts");
        };
        assert_eq!(parts.len(), 2);
        assert!(parts
            .iter()
            .all(|p| p.encode_utf16().count() <= WINCRED_MAX_UNITS));
        assert_eq!(header.text(), format!("{HEADER}0a1b:2:{}", doc.len()));
        assert_eq!(Header::parse(&header.text()), Some(header.clone()));
        assert_eq!(join(&header, &parts).unwrap(), doc);
        assert_eq!(
            header.part_account("session:prod", 2),
            "session:prod#0a1b.2"
        );
    }

    #[test]
    fn parts_are_cut_between_characters_counting_utf16_units() {
        // "é" is one unit, "😀" two: a part of 3 units cannot end inside the emoji.
        let doc = "é😀é😀é";
        let Layout::Parts(header, parts) = layout(doc, 3, "f").unwrap() else {
            panic!("expected parts");
        };
        assert_eq!(parts, vec!["é😀", "é😀", "é"]);
        assert_eq!(join(&header, &parts).unwrap(), doc);
    }

    #[test]
    fn a_document_that_looks_like_a_header_is_always_stored_in_parts() {
        let doc = format!("{HEADER}ab:1:3");
        assert!(matches!(layout(&doc, 1000, "cd").unwrap(), Layout::Parts(_, p) if p.len() == 1));
    }

    #[test]
    fn too_many_parts_is_refused_with_the_reason() {
        let e = layout(&"x".repeat(33 * 10), 10, "a").unwrap_err();
        assert_eq!(
            e,
            TooLarge {
                bytes: 330,
                max_units: 10
            }
        );
        assert!(e.to_string().contains("--backend file"));
        assert!(layout(&"x".repeat(32 * 10), 10, "a").is_ok());
    }

    #[test]
    fn parts_that_do_not_add_up_are_an_error_and_bad_headers_are_whole_values() {
        let h = Header::parse(&format!("{HEADER}ab:2:10")).unwrap();
        assert!(join(&h, &["12345"]).is_err());
        assert!(join(&h, &["12345", "1234"]).is_err());
        assert_eq!(join(&h, &["12345", "67890"]).unwrap(), "1234567890");
        for bad in [
            "alicloud-vault-parts:v1:",
            "alicloud-vault-parts:v1:zz:1:1",
            "alicloud-vault-parts:v1:ab:0:1",
            "alicloud-vault-parts:v1:ab:99:1",
            "alicloud-vault-parts:v1:ab:1:1:1",
            "{}",
        ] {
            assert_eq!(Header::parse(bad), None, "{bad}");
        }
    }
}
