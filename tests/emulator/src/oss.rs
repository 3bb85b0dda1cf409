//! OSS (object storage) as ossutil v1 and the OSS SDKs talk to it: the V1 signature
//! (`Authorization: OSS <AccessKeyId>:<base64 HMAC-SHA1>`) and the V4 one (`OSS4-HMAC-SHA256`),
//! checked against the key table the STS emulator fills, so a request signs only with a key
//! this emulator issued; an STS key also needs its own `x-oss-security-token`, unexpired.
//! Answers ListBuckets (`GET /`) and ListObjects v1 (`GET /<bucket>/`, path style, or
//! `GET /` on `<bucket>.<host>`), in XML; anything else gets an OSS XML error. Every request is
//! recorded with the AccessKeyId it used, so tests can assert which session reached OSS.
//!
//! Written from the wire rules in docs/testing.md (OSS section), independently of any SDK.

use super::state::{request_id, KeyEntry, State};
use base64::Engine as _;
use hmac::Mac as _;
use sha2::Digest as _;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Which signature a request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignVersion {
    V1,
    V4,
    /// No `Authorization` header.
    Anonymous,
}

/// The non-secret facts of one OSS request, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssRequest {
    pub sign_version: SignVersion,
    pub access_key_id: Option<String>,
    /// `ListBuckets`, `ListObjects` or `METHOD path` for anything else.
    pub operation: String,
    pub bucket: Option<String>,
    pub had_security_token: bool,
    /// The error Code answered, or `None` for a success.
    pub error_code: Option<String>,
}

#[derive(Debug, Default)]
pub struct OssState {
    /// Bucket name -> object keys.
    pub buckets: BTreeMap<String, Vec<String>>,
    pub requests: Vec<OssRequest>,
}

/// One HTTP request as the OSS handler needs it: header names in lower case, first value each.
pub struct HttpRequest<'a> {
    pub method: &'a str,
    /// The raw (percent-encoded) path.
    pub path: &'a str,
    /// The raw query string.
    pub query: &'a str,
    pub headers: &'a [(String, String)],
}

impl HttpRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether a request is meant for OSS: an OSS signature or any `x-oss-` header.
pub fn is_oss(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(n, v)| {
        (n == "authorization" && (v.starts_with("OSS ") || v.starts_with("OSS4-HMAC-SHA256 ")))
            || n.starts_with("x-oss-")
    })
}

/// An OSS reply: status and XML body.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub request_id: String,
}

fn error(status: u16, code: &str, message: &str, request_id: &str) -> Reply {
    Reply {
        status,
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{}</Code>\n  <Message>{}</Message>\n  <RequestId>{}</RequestId>\n  <HostId>oss-emulator.localhost</HostId>\n</Error>\n",
            xml_escape(code),
            xml_escape(message),
            request_id
        ),
        request_id: request_id.to_string(),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Go's `url.QueryEscape`: everything but `A-Za-z0-9-_.~` as `%XX`, space as `+`.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    super::signature::form_decode(&s.replace('+', "%2B"))
}

/// The sub-resources that take part in the V1 canonical resource (listing parameters such as
/// prefix, marker, max-keys, delimiter and encoding-type do not).
const V1_SUBRESOURCES: &[&str] = &[
    "acl",
    "uploads",
    "location",
    "cors",
    "logging",
    "website",
    "referer",
    "lifecycle",
    "delete",
    "append",
    "tagging",
    "objectMeta",
    "uploadId",
    "partNumber",
    "security-token",
    "position",
    "bucketInfo",
    "stat",
    "versions",
    "versioning",
    "versionId",
    "x-oss-process",
    "continuation-token",
    "regionList",
];

fn v1_signs(name: &str) -> bool {
    V1_SUBRESOURCES.contains(&name) || name.starts_with("response-")
}

/// The bucket and object a request addresses: virtual-hosted (`<bucket>.<host>`, when the Host
/// is a name with a dot) or path style (`/<bucket>/<object>`, with an IP or a dotless Host).
fn bucket_and_object(req: &HttpRequest) -> (Option<String>, String) {
    let host = req.header("host").unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let is_ip = name.parse::<std::net::IpAddr>().is_ok() || name.starts_with('[');
    let path = req.path.strip_prefix('/').unwrap_or(req.path);
    if !is_ip {
        if let Some((bucket, _)) = name.split_once('.') {
            return (Some(bucket.to_string()), percent_decode(path));
        }
    }
    match path.split_once('/') {
        Some((b, o)) if !b.is_empty() => (Some(percent_decode(b)), percent_decode(o)),
        _ if !path.is_empty() => (Some(percent_decode(path)), String::new()),
        _ => (None, String::new()),
    }
}

fn canonical_oss_headers(req: &HttpRequest, trim: bool, also: &[&str]) -> String {
    let mut hs: Vec<(&str, &str)> = req
        .headers
        .iter()
        .filter(|(n, _)| n.starts_with("x-oss-") || also.contains(&n.as_str()))
        .map(|(n, v)| (n.as_str(), if trim { v.trim() } else { v.as_str() }))
        .collect();
    hs.sort();
    hs.iter().map(|(n, v)| format!("{n}:{v}\n")).collect()
}

/// The V1 string to sign.
pub fn v1_string_to_sign(req: &HttpRequest, params: &[(String, String)]) -> String {
    let (bucket, object) = bucket_and_object(req);
    let mut resource = match &bucket {
        None => "/".to_string(),
        Some(b) => format!("/{b}/{object}"),
    };
    let mut sub: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| v1_signs(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sub.sort();
    if !sub.is_empty() {
        let parts: Vec<String> = sub
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.to_string()
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        resource = format!("{resource}?{}", parts.join("&"));
    }
    format!(
        "{}\n{}\n{}\n{}\n{}{}",
        req.method,
        req.header("content-md5").unwrap_or(""),
        req.header("content-type").unwrap_or(""),
        req.header("date").unwrap_or(""),
        canonical_oss_headers(req, false, &[]),
        resource
    )
}

/// The V4 canonical request (`additional` are the AdditionalHeaders named in Authorization).
pub fn v4_canonical_request(
    req: &HttpRequest,
    params: &[(String, String)],
    additional: &[String],
) -> String {
    let (bucket, object) = bucket_and_object(req);
    let resource = match &bucket {
        None => "/".to_string(),
        Some(b) => {
            let o = query_escape(&object)
                .replace('+', "%20")
                .replace("%2F", "/");
            format!("/{b}/{o}")
        }
    };
    let mut q: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (query_escape(k), query_escape(v).replace('+', "%20")))
        .collect();
    q.sort();
    let query: Vec<String> = q
        .into_iter()
        .map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") })
        .collect();
    let mut also: Vec<&str> = vec!["content-md5", "content-type"];
    also.extend(additional.iter().map(String::as_str));
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        resource,
        query.join("&"),
        canonical_oss_headers(req, true, &also),
        additional.join(";"),
        req.header("x-oss-content-sha256")
            .unwrap_or("UNSIGNED-PAYLOAD")
    )
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The V4 signature (hex) over `canonical` for this secret, date, day and region.
pub fn v4_signature(
    secret: &str,
    sign_date: &str,
    day: &str,
    region: &str,
    canonical: &str,
) -> String {
    let hashed = hex(&sha2::Sha256::digest(canonical.as_bytes()));
    let to_sign =
        format!("OSS4-HMAC-SHA256\n{sign_date}\n{day}/{region}/oss/aliyun_v4_request\n{hashed}");
    let mut key = hmac_sha256(format!("aliyun_v4{secret}").as_bytes(), day);
    for part in [region, "oss", "aliyun_v4_request"] {
        key = hmac_sha256(&key, part);
    }
    hex(&hmac_sha256(&key, &to_sign))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// base64(HMAC-SHA1(secret, string_to_sign)).
pub fn v1_signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// `Date` (RFC 1123, GMT) or, for V4, `x-oss-date` (`20060102T150405Z`).
fn request_time(req: &HttpRequest) -> Option<OffsetDateTime> {
    if let Some(d) = req.header("x-oss-date") {
        let f = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        return time::PrimitiveDateTime::parse(d, f)
            .ok()
            .map(|t| t.assume_utc());
    }
    let d = req.header("date")?;
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(d, f)
        .ok()
        .map(|t| t.assume_utc())
}

struct Auth {
    version: SignVersion,
    key_id: String,
    signature: String,
    day: String,
    region: String,
    additional: Vec<String>,
}

fn parse_auth(value: &str) -> Option<Auth> {
    if let Some(rest) = value.strip_prefix("OSS ") {
        let (id, sig) = rest.rsplit_once(':')?;
        return Some(Auth {
            version: SignVersion::V1,
            key_id: id.to_string(),
            signature: sig.to_string(),
            day: String::new(),
            region: String::new(),
            additional: Vec::new(),
        });
    }
    let rest = value.strip_prefix("OSS4-HMAC-SHA256 ")?;
    let mut credential = None;
    let mut signature = None;
    let mut additional = Vec::new();
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v.to_string()),
            "Signature" => signature = Some(v.to_string()),
            "AdditionalHeaders" => {
                additional = v.split(';').map(|h| h.to_ascii_lowercase()).collect()
            }
            _ => return None,
        }
    }
    let credential = credential?;
    let mut scope = credential.split('/');
    let (id, day, region, product, terminator) = (
        scope.next()?,
        scope.next()?,
        scope.next()?,
        scope.next()?,
        scope.next()?,
    );
    if product != "oss" || terminator != "aliyun_v4_request" || scope.next().is_some() {
        return None;
    }
    Some(Auth {
        version: SignVersion::V4,
        key_id: id.to_string(),
        signature: signature?,
        day: day.to_string(),
        region: region.to_string(),
        additional,
    })
}

/// Handles one OSS request.
pub fn handle(st: &mut State, req: &HttpRequest) -> Reply {
    let rid = request_id().replace('-', "")[..24].to_string();
    let params = super::signature::parse_form(req.query);
    let (bucket, object) = bucket_and_object(req);
    let operation = match (req.method, &bucket, object.is_empty()) {
        ("GET", None, _) => "ListBuckets".to_string(),
        ("GET", Some(_), true) => "ListObjects".to_string(),
        _ => format!("{} {}", req.method, req.path),
    };
    let token = req.header("x-oss-security-token");
    let mut record = OssRequest {
        sign_version: SignVersion::Anonymous,
        access_key_id: None,
        operation: operation.clone(),
        bucket: bucket.clone(),
        had_security_token: token.is_some(),
        error_code: None,
    };
    let reply = answer(st, req, &params, &mut record, &rid);
    if reply.status >= 300 {
        let code = reply
            .body
            .split_once("<Code>")
            .and_then(|(_, r)| r.split_once("</Code>"))
            .map(|(c, _)| c.to_string());
        record.error_code = code;
    }
    st.oss.requests.push(record);
    reply
}

fn answer(
    st: &mut State,
    req: &HttpRequest,
    params: &[(String, String)],
    record: &mut OssRequest,
    rid: &str,
) -> Reply {
    let Some(auth_header) = req.header("authorization") else {
        return error(
            403,
            "AccessDenied",
            "You have no right to access this object because of bucket acl.",
            rid,
        );
    };
    let Some(auth) = parse_auth(auth_header) else {
        return error(
            400,
            "InvalidArgument",
            "Authorization header is invalid.",
            rid,
        );
    };
    record.sign_version = auth.version;
    record.access_key_id = Some(auth.key_id.clone());
    let now = st.now();
    let Some(at) = request_time(req) else {
        return error(
            403,
            "AccessDenied",
            "OSS authentication requires a valid Date.",
            rid,
        );
    };
    if (at - now).abs() > time::Duration::minutes(15) {
        return error(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            rid,
        );
    }
    let entry = match st.keys.get(&auth.key_id) {
        Some(KeyEntry::LongTerm { active: false, .. }) | None => {
            return error(
                403,
                "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist in our records.",
                rid,
            );
        }
        Some(e) => e.clone(),
    };
    let expected = match auth.version {
        SignVersion::V1 => v1_signature(entry.secret(), &v1_string_to_sign(req, params)),
        _ => {
            if at
                .format(time::macros::format_description!("[year][month][day]"))
                .ok()
                != Some(auth.day.clone())
            {
                return error(
                    403,
                    "SignatureDoesNotMatch",
                    "The date of the credential scope is not the request's date.",
                    rid,
                );
            }
            let sign_date = req
                .header("x-oss-date")
                .or(req.header("date"))
                .unwrap_or("");
            let canonical = v4_canonical_request(req, params, &auth.additional);
            v4_signature(
                entry.secret(),
                sign_date,
                &auth.day,
                &auth.region,
                &canonical,
            )
        }
    };
    if expected != auth.signature {
        return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", rid);
    }
    if let KeyEntry::Sts {
        token, expiration, ..
    } = &entry
    {
        match req.header("x-oss-security-token") {
            None => return error(
                403,
                "InvalidAccessKeyId",
                "The security token is missing: an STS AccessKeyId needs its x-oss-security-token.",
                rid,
            ),
            Some(t) if t != token => {
                return error(
                    403,
                    "InvalidSecurityToken",
                    "The security token you provided is invalid.",
                    rid,
                )
            }
            Some(_) if *expiration <= now => {
                return error(
                    403,
                    "SecurityTokenExpired",
                    "The security token you provided has expired.",
                    rid,
                )
            }
            Some(_) => {}
        }
    } else if req.header("x-oss-security-token").is_some() {
        return error(
            403,
            "InvalidSecurityToken",
            "A long-term AccessKey has no security token.",
            rid,
        );
    }
    let owner = entry.owner().account_id().to_string();
    match record.operation.as_str() {
        "ListBuckets" => list_buckets(st, params, &owner, rid),
        "ListObjects" => {
            let bucket = record.bucket.clone().unwrap_or_default();
            list_objects(st, &bucket, params, &owner, rid)
        }
        _ => error(
            405,
            "MethodNotAllowed",
            "This emulator answers only ListBuckets and ListObjects.",
            rid,
        ),
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

const DATE: &str = "2026-01-01T00:00:00.000Z";

fn list_buckets(st: &State, params: &[(String, String)], owner: &str, rid: &str) -> Reply {
    let prefix = param(params, "prefix");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult>\n  <Owner><ID>{owner}</ID><DisplayName>{owner}</DisplayName></Owner>\n  <Buckets>\n"
    );
    for name in st.oss.buckets.keys().filter(|b| b.starts_with(prefix)) {
        xml.push_str(&format!(
            "    <Bucket><CreationDate>{DATE}</CreationDate><ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint><Location>oss-cn-hangzhou</Location><Name>{}</Name><Region>cn-hangzhou</Region><StorageClass>Standard</StorageClass></Bucket>\n",
            xml_escape(name)
        ));
    }
    xml.push_str("  </Buckets>\n</ListAllMyBucketsResult>\n");
    Reply {
        status: 200,
        body: xml,
        request_id: rid.to_string(),
    }
}

fn list_objects(
    st: &State,
    bucket: &str,
    params: &[(String, String)],
    owner: &str,
    rid: &str,
) -> Reply {
    let Some(objects) = st.oss.buckets.get(bucket) else {
        return error(
            404,
            "NoSuchBucket",
            "The specified bucket does not exist.",
            rid,
        );
    };
    let prefix = param(params, "prefix");
    let marker = param(params, "marker");
    let delimiter = param(params, "delimiter");
    let url = param(params, "encoding-type") == "url";
    let enc = |s: &str| {
        if url {
            query_escape(s)
        } else {
            xml_escape(s)
        }
    };
    let max_keys: usize = param(params, "max-keys").parse().unwrap_or(100);
    let mut keys: Vec<&String> = objects
        .iter()
        .filter(|k| k.starts_with(prefix) && k.as_str() > marker)
        .collect();
    keys.sort();
    let mut contents = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    for k in keys {
        if !delimiter.is_empty() {
            if let Some(i) = k[prefix.len()..].find(delimiter) {
                let p = k[..prefix.len() + i + delimiter.len()].to_string();
                if !prefixes.contains(&p) {
                    prefixes.push(p);
                }
                continue;
            }
        }
        contents.push(k);
    }
    let truncated = contents.len() + prefixes.len() > max_keys;
    contents.truncate(max_keys);
    let next_marker = match (truncated, contents.last()) {
        (true, Some(k)) => format!("  <NextMarker>{}</NextMarker>\n", enc(k)),
        _ => String::new(),
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>\n  <Name>{}</Name>\n  <Prefix>{}</Prefix>\n  <Marker>{}</Marker>\n  <MaxKeys>{max_keys}</MaxKeys>\n  <Delimiter>{}</Delimiter>\n{}  <IsTruncated>{truncated}</IsTruncated>\n{next_marker}",
        xml_escape(bucket),
        enc(prefix),
        enc(marker),
        enc(delimiter),
        if url { "  <EncodingType>url</EncodingType>\n" } else { "" },
    );
    for k in &contents {
        xml.push_str(&format!(
            "  <Contents><Key>{}</Key><LastModified>{DATE}</LastModified><ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Type>Normal</Type><Size>{}</Size><StorageClass>Standard</StorageClass><Owner><ID>{owner}</ID><DisplayName>{owner}</DisplayName></Owner></Contents>\n",
            enc(k),
            k.len()
        ));
    }
    for p in &prefixes {
        xml.push_str(&format!(
            "  <CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>\n",
            enc(p)
        ));
    }
    xml.push_str("</ListBucketResult>\n");
    Reply {
        status: 200,
        body: xml,
        request_id: rid.to_string(),
    }
}
