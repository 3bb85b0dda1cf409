//! The HTTP side: a hyper 1 server that reads a request, applies an injected fault if one is
//! queued, and otherwise answers through the RPC gateway.

use super::rpc::{self, RpcRequest};
use super::signature::parse_form;
use super::state::{Fault, RecordedRequest, State};
use http_body_util::BodyExt as _;
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// A response body that can fail halfway (to emulate a dropped connection).
pub struct EmuBody {
    data: Option<Bytes>,
    fail: bool,
}

impl EmuBody {
    fn full(b: impl Into<Bytes>) -> Self {
        EmuBody {
            data: Some(b.into()),
            fail: false,
        }
    }
}

impl Body for EmuBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(d) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(d))));
        }
        if self.fail {
            self.fail = false;
            return Poll::Ready(Some(Err(std::io::Error::other(
                "connection dropped by fault injection",
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

fn json_response(status: u16, body: &serde_json::Value) -> Response<EmuBody> {
    let bytes = serde_json::to_vec(body).expect("JSON");
    Response::builder()
        .status(status)
        .header("Content-Type", "application/json;charset=utf-8")
        .header("Content-Length", bytes.len())
        .body(EmuBody::full(bytes))
        .expect("response")
}

/// `response` with a `Location` header when there is one.
fn redirecting(mut response: Response<EmuBody>, location: Option<String>) -> Response<EmuBody> {
    if let Some(location) = location {
        response.headers_mut().insert(
            "Location",
            hyper::header::HeaderValue::from_str(&location).expect("a header value"),
        );
    }
    response
}

/// Handles one HTTP request.
pub async fn handle(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<EmuBody>, Infallible> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .fold(Vec::new(), |mut all, (n, v)| {
            // The first value of each name, as OSS clients sign it.
            if !all.iter().any(|(m, _): &(String, String)| *m == n) {
                all.push((n, v));
            }
            all
        });
    let is_form = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };

    if super::oss::is_oss(&headers) {
        let oss_req = super::oss::HttpRequest {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
        };
        let reply = super::oss::handle(&mut state.lock().unwrap(), &oss_req);
        let bytes = reply.body.into_bytes();
        return Ok(Response::builder()
            .status(reply.status)
            .header("Content-Type", "application/xml")
            .header("Content-Length", bytes.len())
            .header("x-oss-request-id", reply.request_id)
            .header("Server", "AliyunOSS")
            .body(EmuBody::full(bytes))
            .expect("response"));
    }
    if path == "/federation" {
        let form = is_form.then(|| String::from_utf8_lossy(&body).into_owned());
        let reply = super::signin::handle(&mut state.lock().unwrap(), &query, form.as_deref());
        return Ok(redirecting(
            json_response(reply.status, &reply.body),
            reply.location,
        ));
    }
    let oauth = super::oauth::handle(
        &mut state.lock().unwrap(),
        &method,
        &path,
        &query,
        authorization.as_deref(),
        &body,
    );
    if let Some(reply) = oauth {
        return Ok(redirecting(
            json_response(reply.status, &reply.body),
            reply.location,
        ));
    }
    let sso = super::sso::handle(
        &mut state.lock().unwrap(),
        &method,
        &path,
        &query,
        authorization.as_deref(),
        &body,
    );
    if let Some((status, reply)) = sso {
        return Ok(json_response(status, &reply));
    }
    if path != "/" {
        // Non-RPC services (CloudSSO, sign-in) route by path here.
        return Ok(json_response(
            404,
            &serde_json::json!({"Code": "NotFound", "Message": format!("no route for {path}")}),
        ));
    }

    let mut params = BTreeMap::new();
    for (k, v) in parse_form(&query) {
        params.insert(k, v);
    }
    let mut form_names = Vec::new();
    if is_form {
        for (k, v) in parse_form(&String::from_utf8_lossy(&body)) {
            form_names.push(k.clone());
            params.insert(k, v);
        }
    }
    let rpc_req = RpcRequest { method, params };

    let mut record = RecordedRequest {
        method: rpc_req.method.clone(),
        version: rpc_req.get("Version").map(str::to_string),
        action: rpc_req.get("Action").map(str::to_string),
        access_key_id: rpc_req.get("AccessKeyId").map(str::to_string),
        role_arn: rpc_req.get("RoleArn").map(str::to_string),
        role_session_name: rpc_req.get("RoleSessionName").map(str::to_string),
        duration_seconds: rpc_req.get("DurationSeconds").map(str::to_string),
        external_id: rpc_req.get("ExternalId").map(str::to_string),
        policy: rpc_req.get("Policy").map(str::to_string),
        has_security_token: rpc_req.get("SecurityToken").is_some_and(|t| !t.is_empty()),
        form_param_names: form_names,
        fault: None,
        error_code: None,
    };

    let fault = {
        let mut st = state.lock().unwrap();
        *st.calls
            .entry(record.action.clone().unwrap_or_default())
            .or_default() += 1;
        st.faults.pop_front().or_else(|| st.random_fault())
    };
    record.fault = fault.as_ref().map(|f| f.name().to_string());

    let response = match fault {
        Some(Fault::Delay(d)) => {
            tokio::time::sleep(d).await;
            None
        }
        Some(Fault::Http5xx) => {
            let e = rpc::ErrorReply::new(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            );
            record.error_code = Some(e.code.clone());
            Some(json_response(
                503,
                &rpc::error_body(record.version.as_deref(), &e),
            ))
        }
        Some(Fault::Throttle) => {
            let e = rpc::ErrorReply::new(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            );
            record.error_code = Some(e.code.clone());
            Some(json_response(
                400,
                &rpc::error_body(record.version.as_deref(), &e),
            ))
        }
        Some(Fault::MalformedJson) => {
            record.error_code = Some("MalformedJson".into());
            let text = r#"{"RequestId":"6894B13B-6D71-4EF5-88FA-F32781734A7F","Credentials":{"AccessKeyId":"STS.trunc"#;
            Some(
                Response::builder()
                    .status(200)
                    .header("Content-Type", "application/json;charset=utf-8")
                    .body(EmuBody::full(text))
                    .expect("response"),
            )
        }
        Some(Fault::DropConnection) => {
            record.error_code = Some("DropConnection".into());
            let text = br#"{"RequestId":"6894B13B-6D71-4EF5-88FA-F32781734A7F","Credentials":{}}"#;
            Some(
                Response::builder()
                    .status(200)
                    .header("Content-Type", "application/json;charset=utf-8")
                    .header("Content-Length", text.len())
                    .body(EmuBody {
                        data: Some(Bytes::from_static(&text[..text.len() / 2])),
                        fail: true,
                    })
                    .expect("response"),
            )
        }
        Some(Fault::Json { status, body }) => {
            record.error_code = body
                .get("Code")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
            Some(json_response(status, &body))
        }
        Some(Fault::SignatureMismatch) => {
            let e = rpc::signature_mismatch(&rpc_req);
            record.error_code = Some(e.code.clone());
            Some(json_response(
                e.status,
                &rpc::error_body(record.version.as_deref(), &e),
            ))
        }
        Some(Fault::Pass) | None => None,
    };

    let response = match response {
        Some(r) => r,
        None => {
            let mut st = state.lock().unwrap();
            let (status, body, code) = rpc::dispatch(&mut st, &rpc_req);
            record.error_code = code;
            json_response(status, &body)
        }
    };
    state.lock().unwrap().requests.push(record);
    Ok(response)
}
