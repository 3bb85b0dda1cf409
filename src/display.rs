//! Text from a remote service, made safe to show on a terminal or write to a log.
//!
//! Whatever a server sends (an error's Code, Message and RequestId, an identity's ARN, an
//! account's name, a field it got wrong) may hold escape sequences that rewrite the terminal,
//! line breaks that forge a line of our own output, bidi overrides that make text read
//! backwards, megabytes of filler, or a copy of what we sent it: the POP gateway answers
//! `SignatureDoesNotMatch` with its string-to-sign, which holds the AccessKeyId and the
//! SecurityToken. [`RemoteText`] is the only way such text enters an error or a message, and
//! [`filter`] is what it does:
//!
//! 1. escape sequences (CSI, OSC, DCS, SOS, PM, APC, and two-byte `ESC x`, in their 7-bit and
//!    C1 forms) are removed whole; other C0 and C1 controls and DEL are removed;
//! 2. Unicode format characters (general category Cf: bidi embeddings, overrides and isolates,
//!    zero-width characters, tags) are removed;
//! 3. line breaks, tabs and runs of spaces become one space: the text is one line;
//! 4. an echoed string-to-sign is cut out, from its marker to the end of the text;
//! 5. the exact values the caller sent (key id, secret, token) are replaced, in plain and
//!    percent-encoded forms; anything shaped like an AccessKeyId shows its last four characters
//!    only; runs of 80 or more base64 or percent-encoded characters (tokens) are replaced;
//! 6. the result is cut to a bound, with an ellipsis and the size of the original.

use crate::secret::key_id_hint;
use std::fmt;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory as _};

/// The bound for an error message.
pub const MAX_MESSAGE: usize = 512;
/// The bound for a code, a RequestId, a name or another short field.
pub const MAX_FIELD: usize = 128;
/// What replaces an echoed string-to-sign.
pub const STRING_TO_SIGN_REMOVED: &str = "[echoed string-to-sign removed]";
/// What replaces a secret value or a token-like run.
pub const REDACTED: &str = "[redacted]";
/// Runs of this many base64 or percent-encoded characters are taken for tokens.
const TOKEN_RUN: usize = 80;
/// Key-id-shaped words: a prefix followed by at least this many letters and digits.
const KEY_ID_TAIL: usize = 8;

/// Values the caller sent with the request, to be cut out of whatever the server answers.
/// Values shorter than 4 characters are ignored (they would match everywhere).
#[derive(Default, Clone, Copy)]
pub struct Sent<'a> {
    /// Shown as `****` and their last four characters.
    pub key_ids: [Option<&'a str>; 2],
    /// Shown as [`REDACTED`].
    pub secrets: [Option<&'a str>; 4],
}

impl fmt::Debug for Sent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sent(***)")
    }
}

/// Remote text after [`filter`]: one line, bounded, free of controls and echoed secrets.
/// `From<&str>` and `From<String>` filter with [`MAX_MESSAGE`], so an error field of this type
/// cannot hold unfiltered text.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RemoteText(Box<str>);

impl RemoteText {
    /// Filters `raw` to at most `max` characters (plus the note that it was cut).
    pub fn new(raw: &str, max: usize, sent: &Sent<'_>) -> RemoteText {
        RemoteText(filter(raw, max, sent).into())
    }

    /// A short field (a code, a RequestId): [`MAX_FIELD`].
    pub fn field(raw: &str) -> RemoteText {
        RemoteText::new(raw, MAX_FIELD, &Sent::default())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RemoteText {
    fn from(raw: &str) -> Self {
        RemoteText::new(raw, MAX_MESSAGE, &Sent::default())
    }
}

impl From<String> for RemoteText {
    fn from(raw: String) -> Self {
        RemoteText::from(raw.as_str())
    }
}

impl From<Box<str>> for RemoteText {
    fn from(raw: Box<str>) -> Self {
        RemoteText::from(&*raw)
    }
}

impl std::ops::Deref for RemoteText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RemoteText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RemoteText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// A short field filtered to [`MAX_FIELD`], as a `String` (for names and ids in success replies).
pub fn field(raw: &str) -> String {
    filter(raw, MAX_FIELD, &Sent::default())
}

/// Describes a value the server got wrong (an `Expiration`, a `Status`) without echoing it,
/// unless it looks like a date or a word: at most 32 characters of letters, digits and
/// ` -:.+`, none of its letter-and-digit runs longer than 12 (key ids, secrets and tokens are
/// longer runs). Otherwise only its size is told: it could be a credential in the wrong field,
/// or a megabyte of filler.
pub fn describe_value(raw: &str) -> String {
    let plain = !raw.is_empty()
        && raw.len() <= 32
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'.' | b'+' | b' '))
        && raw
            .split(|c: char| !c.is_ascii_alphanumeric())
            .all(|run| run.len() <= 12);
    if plain {
        format!("{raw:?}")
    } else {
        format!("(a value of {} bytes, not shown)", raw.len())
    }
}

/// The whole filter (see the module documentation).
pub fn filter(raw: &str, max: usize, sent: &Sent<'_>) -> String {
    let mut text = strip_controls(raw);
    cut_string_to_sign(&mut text);
    redact_sent(&mut text, sent);
    let text = redact_shapes(&text);
    bound(&text, max, raw.len())
}

/// Steps 1-3: controls, escape sequences and format characters out; whitespace folded.
pub fn strip_controls(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(1 << 16));
    let mut chars = raw.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c == ' ' || is_break(c) => space = true,
            c if c.is_control() || c.general_category() == GeneralCategory::Format => {}
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Characters that break or space a line: they become one space.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    ) || matches!(
        c.general_category(),
        GeneralCategory::SpaceSeparator
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After an ESC: the rest of the sequence it starts.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            // nF sequences (`ESC ( B`): intermediates, then one final byte.
            while chars
                .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                .is_some()
            {}
            chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// A control sequence after its introducer: parameters, intermediates, one final byte.
fn skip_csi(chars: &mut Chars<'_>) {
    while chars
        .next_if(|c| ('\u{20}'..='\u{3f}').contains(c))
        .is_some()
    {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// A control string (OSC, DCS, ...) after its introducer, up to and with its terminator: BEL,
/// ST (`ESC \` or U+009C). Another ESC ends it too (terminals do the same) and starts a new
/// sequence. An unterminated string runs to the end of the text, and all of it goes.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.next_if_eq(&'\\').is_none() {
                    skip_escape(chars);
                }
                return;
            }
            _ => {}
        }
    }
}

/// Step 4: from the first "string to sign" (any case; spaces, `-` or `_` between the words, or
/// none) to the end. A "server" just before it goes too.
fn cut_string_to_sign(text: &mut String) {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found = None;
    let mut i = 0;
    while let Some(pos) = lower[i..].find("string") {
        let start = i + pos;
        let mut j = start + "string".len();
        let mut words = ["to", "sign"].iter();
        let matched = words.all(|w| {
            while j < bytes.len() && matches!(bytes[j], b' ' | b'-' | b'_') {
                j += 1;
            }
            if lower[j..].starts_with(w) {
                j += w.len();
                true
            } else {
                false
            }
        });
        if matched {
            found = Some(start);
            break;
        }
        i = start + 1;
    }
    let Some(start) = found else { return };
    let head = text[..start].trim_end();
    let head = match head.len().checked_sub("server".len()) {
        Some(k) if head.is_char_boundary(k) && head[k..].eq_ignore_ascii_case("server") => {
            head[..k].trim_end()
        }
        _ => head,
    };
    let mut out = head.to_string();
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(STRING_TO_SIGN_REMOVED);
    *text = out;
}

/// Step 5, exact values: each in plain form, percent-encoded once (a query) and twice (inside
/// a string-to-sign).
fn redact_sent(text: &mut String, sent: &Sent<'_>) {
    let forms = |v: &str| {
        let once = percent_encode(v);
        let twice = percent_encode(&once);
        [v.to_string(), once, twice]
    };
    // Longest first: a token may contain a key id.
    let mut values: Vec<(&str, String)> = Vec::new();
    for v in sent.secrets.iter().flatten() {
        values.push((v, REDACTED.to_string()));
    }
    for v in sent.key_ids.iter().flatten() {
        values.push((v, key_id_hint(v)));
    }
    values.retain(|(v, _)| v.chars().count() >= 4);
    values.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    for (v, replacement) in values {
        for form in forms(v) {
            if text.contains(&form) {
                *text = text.replace(&form, &replacement);
            }
        }
    }
}

/// Step 5, shapes: key ids (`LTAI…`, `STS.…`) to their hint, token-like runs to [`REDACTED`].
fn redact_shapes(text: &str) -> String {
    let is_token = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'%');
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    // Every match starts on an ASCII byte, so `i` is a char boundary whenever text is copied.
    while i < bytes.len() {
        if is_token(bytes[i]) && (i == 0 || !is_token(bytes[i - 1])) {
            let run = bytes[i..].iter().take_while(|b| is_token(**b)).count();
            if run >= TOKEN_RUN {
                out.push_str(&text[copied..i]);
                out.push_str(REDACTED);
                i += run;
                copied = i;
                continue;
            }
        }
        if let Some(len) = key_id_at(&bytes[i..]) {
            out.push_str(&text[copied..i]);
            out.push_str(&key_id_hint(&text[i..i + len]));
            i += len;
            copied = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// The length of a key-id-shaped word at the start of `s`: `LTAI` or `STS.` and at least
/// [`KEY_ID_TAIL`] letters and digits. Inside a longer word too ("AccessKeyId%3DLTAI…").
fn key_id_at(s: &[u8]) -> Option<usize> {
    let prefix = [&b"LTAI"[..], &b"STS."[..]]
        .into_iter()
        .find(|p| s.starts_with(p))?;
    let tail = s[prefix.len()..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    (tail >= KEY_ID_TAIL).then_some(prefix.len() + tail)
}

/// The RPC percent-encoding (RFC 3986 unreserved characters kept), as `aliyun::signer` does
/// it; restated so that this module, shared by every layer, imports nothing above it.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Step 6: at most `max` characters; a longer text ends with `…` and the original size.
fn bound(text: &str, max: usize, original_bytes: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… (cut; {original_bytes} bytes in all)", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        filter(s, MAX_MESSAGE, &Sent::default())
    }

    /// What may appear in filtered text: no control, no format character, no line break.
    fn assert_displayable(s: &str) {
        for c in s.chars() {
            assert!(
                !c.is_control() && c.general_category() != GeneralCategory::Format && !is_break(c)
                    || c == ' ',
                "{c:?} (U+{:04X}) in {s:?}",
                c as u32
            );
        }
    }

    #[test]
    fn every_control_character_is_removed_wherever_it_stands() {
        for cp in (0u32..0x20).chain(0x7f..0xa0) {
            let c = char::from_u32(cp).unwrap();
            for input in [
                format!("{c}"),
                format!("a{c}b"),
                format!("{c}{c}x"),
                format!("x{c}"),
            ] {
                let out = clean(&input);
                assert_displayable(&out);
                assert!(
                    out.len() <= 2 || out == "a b",
                    "{cp:#x}: {input:?} -> {out:?}"
                );
            }
        }
    }

    #[test]
    fn every_format_character_of_the_unicode_tables_is_removed() {
        let mut seen = 0;
        for cp in 0..=0x10ffffu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if c.general_category() == GeneralCategory::Format {
                seen += 1;
                assert_eq!(clean(&format!("a{c}b")), "ab", "U+{cp:04X}");
            }
        }
        // The bidi overrides and isolates among them.
        for c in [
            '\u{202e}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200f}',
            '\u{61c}',
        ] {
            assert_eq!(clean(&format!("abc{c}def")), "abcdef");
        }
        assert!(seen > 150, "{seen} format characters");
    }

    #[test]
    fn any_text_comes_out_displayable_and_bounded() {
        use rand::Rng as _;
        let mut rng = rand::rng();
        // Escape-heavy alphabets, with the characters that start and end sequences.
        let pool: Vec<char> = "\u{1b}\u{9b}\u{9d}\u{9c}\u{7}\\[]P^_X;0123456789mAHJKz\n\r\t \u{202e}\u{2028}\u{85}é中"
            .chars()
            .collect();
        for _ in 0..20_000 {
            let n = rng.random_range(0..60);
            let s: String = (0..n)
                .map(|_| pool[rng.random_range(0..pool.len())])
                .collect();
            let out = filter(&s, 40, &Sent::default());
            assert_displayable(&out);
            assert!(out.chars().count() <= 40 + 40, "{out:?}");
            assert_eq!(out, out.trim(), "{s:?}");
            assert!(!out.contains("  "), "{s:?} -> {out:?}");
        }
        for _ in 0..2_000 {
            let n = rng.random_range(0..200);
            let s: String = (0..n)
                .map(|_| char::from_u32(rng.random_range(0..0x3000)).unwrap_or('?'))
                .collect();
            assert_displayable(&clean(&s));
        }
    }

    #[test]
    fn escape_sequences_go_whole_and_the_text_around_them_stays() {
        assert_eq!(clean("a\u{1b}[31;1mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]0;owned title\u{7}y"), "xy");
        assert_eq!(
            clean("x\u{1b}]8;;https://evil/\u{1b}\\link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(clean("x\u{9b}2Jy"), "xy");
        assert_eq!(clean("x\u{9d}52;c;aGk=\u{9c}y"), "xy");
        assert_eq!(clean("x\u{1b}Pq#0;2;0;0;0\u{1b}\\y"), "xy");
        assert_eq!(clean("x\u{1b}(By\u{1b}cz"), "xyz");
        assert_eq!(clean("x\u{1b}[?1049h\u{1b}[2J\u{1b}[Hy"), "xy");
        // An OSC cut short by another sequence: both go.
        assert_eq!(clean("x\u{1b}]0;t\u{1b}[1my"), "xy");
        // An unterminated OSC swallows the rest: nothing of it reaches the terminal.
        assert_eq!(clean("ok \u{1b}]0;title"), "ok");
    }

    #[test]
    fn line_breaks_fold_so_no_line_can_be_forged() {
        let forged = "denied\nalicloud-vault: Stored key ****ABCD for profile prod";
        assert_eq!(
            clean(forged),
            "denied alicloud-vault: Stored key ****ABCD for profile prod"
        );
        assert_eq!(clean("a\r\n\r\n  b\u{2028}c\u{85}d\te"), "a b c d e");
        assert_eq!(clean("\n  lead and trail \r\n"), "lead and trail");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_and_its_size() {
        let big = "word ".repeat(1024 * 1024);
        let out = clean(&big);
        assert_eq!(
            out,
            format!("{}… (cut; 5242880 bytes in all)", &big[..MAX_MESSAGE])
        );
        assert_eq!(clean(&"é".repeat(MAX_MESSAGE)), "é".repeat(MAX_MESSAGE));
        let out = filter(&"é".repeat(100), 10, &Sent::default());
        assert_eq!(out, format!("{}… (cut; 200 bytes in all)", "é".repeat(10)));
    }

    #[test]
    fn the_echoed_string_to_sign_is_cut_out_in_any_spelling() {
        let m = "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dabc";
        assert_eq!(
            clean(m),
            format!(
                "Specified signature is not matched with our calculation. {STRING_TO_SIGN_REMOVED}"
            )
        );
        for spelling in [
            "StringToSign",
            "string-to-sign",
            "STRING_TO_SIGN",
            "String  To Sign",
        ] {
            let out = clean(&format!("bad; {spelling}: GET&%2F&secretstuff"));
            assert_eq!(out, format!("bad; {STRING_TO_SIGN_REMOVED}"), "{spelling}");
        }
        // Hidden behind controls: they go first, then the marker is found.
        let out = clean("bad \u{1b}[0mstring\u{200b} to\u{1b}[1m sign: GET&x");
        assert_eq!(out, format!("bad {STRING_TO_SIGN_REMOVED}"));
        assert_eq!(clean("the strings tonight"), "the strings tonight");
    }

    #[test]
    fn values_the_caller_sent_are_replaced_in_every_encoding() {
        let id = "LTAI5tAbcdefghijklmnWXYZ";
        let secret = "s3cr3tValue0123456789";
        let token = "CAIS+token/with=specials";
        let sent = Sent {
            key_ids: [Some(id), None],
            secrets: [Some(secret), Some(token), None, None],
        };
        let once = percent_encode(token);
        let twice = percent_encode(&once);
        let raw = format!("id {id}; secret {secret}; token {token} / {once} / {twice}; id2 x{id}y");
        let out = filter(&raw, MAX_MESSAGE, &sent);
        assert_eq!(
            out,
            "id ****WXYZ; secret [redacted]; token [redacted] / [redacted] / [redacted]; id2 x****WXYZy"
        );
        // Too short to redact safely: left alone.
        let short = Sent {
            secrets: [Some("ab"), None, None, None],
            ..Sent::default()
        };
        assert_eq!(filter("abc", 10, &short), "abc");
    }

    #[test]
    fn key_id_shapes_and_token_runs_are_hidden_even_when_unknown() {
        assert_eq!(clean("key LTAI5tQwertyuiop1234 gone"), "key ****1234 gone");
        assert_eq!(
            clean("AccessKeyId%3DLTAI5tQwertyuiop1234%26"),
            "AccessKeyId%3D****1234%26"
        );
        assert_eq!(clean("STS.NUgYrLnoC37mZZCNnAbez2 x"), "****bez2 x");
        assert_eq!(clean("SALTAIR and STS.short"), "SALTAIR and STS.short");
        let token = "A".repeat(TOKEN_RUN);
        assert_eq!(clean(&format!("t: {token}.")), format!("t: {REDACTED}."));
        let short = "A".repeat(TOKEN_RUN - 1);
        assert_eq!(clean(&short), short);
    }

    #[test]
    fn values_are_described_only_when_they_look_like_dates() {
        assert_eq!(
            describe_value("2024-01-01T01:00:00.000Z"),
            "\"2024-01-01T01:00:00.000Z\""
        );
        assert_eq!(describe_value("Gone"), "\"Gone\"");
        assert_eq!(
            describe_value("LTAI5tQwertyuiop1234"),
            "(a value of 20 bytes, not shown)"
        );
        assert_eq!(
            describe_value("tomorrow\u{1b}[2J"),
            "(a value of 12 bytes, not shown)"
        );
        assert_eq!(
            describe_value(&"1".repeat(41)),
            "(a value of 41 bytes, not shown)"
        );
        assert_eq!(
            describe_value("2024\n-01"),
            "(a value of 8 bytes, not shown)"
        );
        assert_eq!(describe_value(""), "(a value of 0 bytes, not shown)");
    }

    #[test]
    fn remote_text_from_a_string_is_always_filtered() {
        let t: RemoteText = "a\u{1b}[2Jb\nc".into();
        assert_eq!(t.as_str(), "ab c");
        assert_eq!(format!("{t}"), "ab c");
        assert_eq!(
            RemoteText::field(&"r ".repeat(250)).chars().count(),
            MAX_FIELD + "… (cut; 500 bytes in all)".chars().count()
        );
    }
}
