//! The agent's control protocol decoder: any line decodes to a request or response, or to an
//! error; what decodes encodes again and decodes to the same thing.
#![no_main]

use alicloud_vault::agent::protocol::{Request, Response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = serde_json::from_slice::<Request>(data) {
        let line = serde_json::to_string(&req).expect("a decoded request encodes");
        let again: Request = serde_json::from_str(&line).expect("an encoded request decodes");
        assert_eq!(serde_json::to_string(&again).unwrap(), line);
    }
    if let Ok(resp) = serde_json::from_slice::<Response>(data) {
        let line = serde_json::to_string(&resp).expect("a decoded response encodes");
        let _: Response = serde_json::from_str(&line).expect("an encoded response decodes");
        if let Response::Credentials(wire) = resp {
            let _ = wire.into_issued();
        }
    }
});
