//! The `secret-service` backend: the freedesktop Secret Service on the D-Bus session bus
//! (GNOME Keyring, KWallet, KeePassXC).
//!
//! Items go into the default (login) collection with the attributes `service=alicloud-vault`
//! and `username=ACCOUNT`; [`Keystore::list`] is a Secret Service search on `service`.
//!
//! Reads, the hot path of a warm `exec`, talk to the service directly with zbus over a
//! `plain` session: one search and one `GetSecret`, the session opened together with the first
//! search (both requests in flight at once), on a single-threaded runtime of their own that
//! runs only while a read waits (zbus's blocking API would start a multi-threaded runtime, and
//! every reply would cross threads: docs/performance.md). Writes, deletes, listings and reads
//! of locked items go through `zbus-secret-service-keyring-store` (opened on first use), which
//! also unlocks a locked collection with the desktop's prompt. Why `plain` is no weaker here:
//! docs/keystore.md.

use super::native::{is_service_gone, KeyringKeystore, Listing};
use super::{BackendKind, ItemName, Keystore, KeystoreError, SERVICE};
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

/// What to do when no Secret Service answers.
pub const UNAVAILABLE_HINT: &str = "Start a Secret Service in your session (GNOME Keyring, KWallet or KeePassXC) and check that DBUS_SESSION_BUS_ADDRESS is set, or choose another backend with --backend keyutils or --backend file (or ALICLOUD_VAULT_BACKEND)";

/// The well-known bus name of the Secret Service.
pub const BUS_NAME: &str = "org.freedesktop.secrets";

/// The Secret Service keystore.
///
/// Every call is a blocking D-Bus round trip (0.5-15 ms). **Never call it on an async runtime
/// worker thread**: reads run a runtime of their own, and the full store zbus's; both panic
/// with "Cannot start a runtime from within a runtime" there. Call it from a plain thread or from
/// `tokio::task::spawn_blocking`.
pub struct SecretServiceKeystore {
    /// The connection and `plain` session that reads use.
    reader: Mutex<Reader>,
    /// The keyring-core store for everything else, opened on first use.
    full: OnceLock<KeyringKeystore>,
}

/// The object and interfaces of the Secret Service API that reads use.
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_INTERFACE: &str = "org.freedesktop.Secret.Service";
const ITEM_INTERFACE: &str = "org.freedesktop.Secret.Item";

/// The reads' connection and the single-threaded runtime it lives on: zbus spawns its
/// connection's tasks on the runtime it is first used in, and they run only inside
/// [`Runtime::block_on`](tokio::runtime::Runtime::block_on), which is all a read needs.
struct Reader {
    /// Always `Some` until dropped (inside the runtime, where zbus's tasks live).
    connection: Option<zbus::Connection>,
    /// The `plain` session; opened by the first read, or by [`Reader::connect`] when asked to
    /// prove that the service answers.
    session: Option<OwnedObjectPath>,
    runtime: tokio::runtime::Runtime,
}

impl Reader {
    /// Connects to the session bus; with `probe`, also opens the session, which fails when
    /// nobody provides the Secret Service.
    fn connect(probe: bool) -> Result<Reader, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the D-Bus runtime: {e}"))?;
        let (connection, session) = runtime.block_on(async {
            let c = session_bus().await.map_err(|e| e.to_string())?;
            let session = match probe {
                true => Some(open_session(&c).await.map_err(|e| e.to_string())?),
                false => None,
            };
            Ok::<_, String>((c, session))
        })?;
        Ok(Reader {
            connection: Some(connection),
            session,
            runtime,
        })
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        let _inside = self.runtime.enter();
        self.connection.take();
    }
}

/// The session bus. zbus connects a Unix socket on a thread of tokio's blocking pool, so every
/// process would start an OS thread (a stack, a malloc arena) for a `connect(2)` that does not
/// block; for the usual `unix:path=` and `unix:abstract=` addresses the socket is connected
/// here instead and handed over. Any other address (or a failed connect, for zbus's own error
/// text) goes through zbus's own connect.
async fn session_bus() -> zbus::Result<zbus::Connection> {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixStream};
    use zbus::address::transport::{Transport, UnixSocket};
    let address = zbus::Address::session()?;
    let target = match address.transport() {
        Transport::Unix(unix) => match unix.path() {
            UnixSocket::File(path) => SocketAddr::from_pathname(path).ok(),
            UnixSocket::Abstract(name) => {
                use std::os::unix::ffi::OsStrExt;
                SocketAddr::from_abstract_name(name.as_bytes()).ok()
            }
            _ => None,
        },
        _ => None,
    };
    let stream = target
        .and_then(|addr| UnixStream::connect_addr(&addr).ok())
        .and_then(|s| s.set_nonblocking(true).ok().map(|()| s))
        .and_then(|s| tokio::net::UnixStream::from_std(s).ok());
    match stream {
        Some(stream) => zbus::connection::Builder::unix_stream(stream).build().await,
        None => zbus::Connection::session().await,
    }
}

async fn call<B>(
    c: &zbus::Connection,
    path: &str,
    interface: &str,
    method: &str,
    body: &B,
) -> zbus::Result<zbus::Message>
where
    B: serde::Serialize + zbus::zvariant::DynamicType,
{
    c.call_method(Some(BUS_NAME), path, Some(interface), method, body)
        .await
}

/// `OpenSession("plain", "")`: the session's object path.
async fn open_session(c: &zbus::Connection) -> zbus::Result<OwnedObjectPath> {
    let reply = call(
        c,
        SERVICE_PATH,
        SERVICE_INTERFACE,
        "OpenSession",
        &("plain", Value::from("")),
    )
    .await?;
    let (_output, path): (OwnedValue, OwnedObjectPath) = reply.body().deserialize()?;
    Ok(path)
}

/// `SearchItems(attributes)`: the unlocked and the locked items that match.
async fn search_items(
    c: &zbus::Connection,
    attributes: &HashMap<&str, &str>,
) -> zbus::Result<(Vec<OwnedObjectPath>, Vec<OwnedObjectPath>)> {
    let reply = call(
        c,
        SERVICE_PATH,
        SERVICE_INTERFACE,
        "SearchItems",
        attributes,
    )
    .await?;
    reply.body().deserialize()
}

/// `Item.GetSecret(session)`: the secret's value (plain: the session does not encrypt).
async fn get_secret(
    c: &zbus::Connection,
    item: &OwnedObjectPath,
    session: &OwnedObjectPath,
) -> zbus::Result<zeroize::Zeroizing<Vec<u8>>> {
    let reply = call(c, item.as_str(), ITEM_INTERFACE, "GetSecret", session).await?;
    let (_session, _parameters, value, _content_type): (OwnedObjectPath, Vec<u8>, Vec<u8>, String) =
        reply.body().deserialize()?;
    Ok(zeroize::Zeroizing::new(value))
}

/// What a read found without help from the full store.
enum Read {
    Found(Secret),
    Missing,
    /// Locked or ambiguous items: the full store handles (and reports) those.
    Delegate,
}

fn unavailable(detail: String) -> KeystoreError {
    KeystoreError::Unavailable {
        backend: BackendKind::SecretService,
        detail,
        hint: UNAVAILABLE_HINT,
    }
}

/// The same classes of error the keyring-core store reports for the same failures.
fn map_error(err: zbus::Error) -> KeystoreError {
    let backend = BackendKind::SecretService;
    let detail = err.to_string();
    if detail.contains("org.freedesktop.Secret.Error.IsLocked") {
        KeystoreError::Locked { backend, detail }
    } else if is_service_gone(&detail) {
        unavailable(detail)
    } else {
        KeystoreError::Backend { backend, detail }
    }
}

impl SecretServiceKeystore {
    /// Connects to the session bus and opens a session with the Secret Service (starting it
    /// if it is D-Bus activatable). Fails with [`KeystoreError::Unavailable`] when there is no
    /// session bus or nobody provides [`BUS_NAME`] on it.
    pub fn connect() -> Result<Self, KeystoreError> {
        Self::connect_with(true)
    }

    /// Connects to the session bus only: the session is opened by the first read, in the same
    /// round trip as its search. For a backend chosen by name; when nobody provides the
    /// service, the first read fails with [`KeystoreError::Unavailable`].
    pub fn connect_lazily() -> Result<Self, KeystoreError> {
        Self::connect_with(false)
    }

    fn connect_with(probe: bool) -> Result<Self, KeystoreError> {
        let reader = Reader::connect(probe).map_err(unavailable)?;
        Ok(SecretServiceKeystore {
            reader: Mutex::new(reader),
            full: OnceLock::new(),
        })
    }

    /// The cheap test `open(None)` makes before it tries this backend: a session bus address
    /// is set. (Whether the Secret Service answers is then found out by [`connect`], whose
    /// connection is kept, so the probe costs no extra round trip.)
    ///
    /// [`connect`]: SecretServiceKeystore::connect
    pub fn session_bus_configured() -> bool {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
    }

    fn full(&self) -> Result<&KeyringKeystore, KeystoreError> {
        if let Some(full) = self.full.get() {
            return Ok(full);
        }
        let store = zbus_secret_service_keyring_store::Store::new()
            .map_err(|e| unavailable(e.to_string()))?;
        Ok(self.full.get_or_init(|| {
            KeyringKeystore::new(
                BackendKind::SecretService,
                store,
                Listing::Search {
                    attribute: "service",
                },
                UNAVAILABLE_HINT,
            )
        }))
    }

    /// One search for the item's attributes, then `GetSecret` when exactly one unlocked item
    /// matches.
    fn read(&self, item: &ItemName) -> Result<Read, KeystoreError> {
        let account = item.account();
        let attributes = HashMap::from([("service", SERVICE), ("username", account.as_str())]);
        // A poisoned lock only means another thread panicked mid-call; the connection is fine.
        let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let reader = &mut *reader;
        let c = reader.connection.as_ref().expect("set until dropped");
        let session = &mut reader.session;
        reader.runtime.block_on(async {
            let (unlocked, locked) = match session {
                Some(_) => search_items(c, &attributes).await,
                None => {
                    let (opened, found) =
                        tokio::join!(open_session(c), search_items(c, &attributes));
                    *session = Some(opened.map_err(map_error)?);
                    found
                }
            }
            .map_err(map_error)?;
            let one = match (unlocked.as_slice(), locked.len()) {
                ([], 0) => return Ok(Read::Missing),
                ([one], 0) => one,
                _ => return Ok(Read::Delegate),
            };
            let session = session.as_ref().expect("opened above");
            let bytes = get_secret(c, one, session).await.map_err(map_error)?;
            match std::str::from_utf8(&bytes) {
                Ok(text) => Ok(Read::Found(Secret::new(text))),
                Err(_) => Err(KeystoreError::Corrupt {
                    backend: BackendKind::SecretService,
                    item: account.clone(),
                    detail: "the stored value is not valid UTF-8".to_string(),
                }),
            }
        })
    }
}

impl Keystore for SecretServiceKeystore {
    fn kind(&self) -> BackendKind {
        BackendKind::SecretService
    }

    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        match self.read(item)? {
            Read::Found(secret) => Ok(Some(secret)),
            Read::Missing => Ok(None),
            Read::Delegate => self.full()?.get(item),
        }
    }

    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError> {
        self.full()?.set(item, document)
    }

    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError> {
        self.full()?.delete(item)
    }

    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        self.full()?.list()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::test_support::{
        check_missing, check_overwrite, check_round_trip, in_child, require_dbus, run_child,
        unique, SECRET_SERVICE,
    };
    use crate::keystore::ItemKind;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn connect(test: &str) -> Option<SecretServiceKeystore> {
        if !require_dbus(test) {
            return None;
        }
        Some(SecretServiceKeystore::connect().expect("connect to the Secret Service"))
    }

    #[test]
    fn round_trip_in_gnome_keyring() {
        let _shared = SECRET_SERVICE.read().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = connect("round_trip_in_gnome_keyring") {
            check_round_trip(&store);
        }
    }

    #[test]
    fn overwrite_in_gnome_keyring() {
        let _shared = SECRET_SERVICE.read().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = connect("overwrite_in_gnome_keyring") {
            check_overwrite(&store);
        }
    }

    #[test]
    fn missing_item_in_gnome_keyring() {
        let _shared = SECRET_SERVICE.read().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = connect("missing_item_in_gnome_keyring") {
            check_missing(&store);
        }
    }

    #[test]
    fn items_are_filed_under_service_and_username() {
        let _shared = SECRET_SERVICE.read().unwrap_or_else(|p| p.into_inner());
        let Some(store) = connect("items_are_filed_under_service_and_username") else {
            return;
        };
        let name = ItemName::new(ItemKind::Key, unique("layout"));
        store.set(&name, &Secret::new("layout document")).unwrap();
        let out = Command::new("secret-tool")
            .args(["lookup", "service", "alicloud-vault", "username"])
            .arg(name.account())
            .output()
            .expect("run secret-tool (libsecret-tools)");
        store.delete(&name).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "layout document");
    }

    #[test]
    fn default_is_secret_service_when_it_answers() {
        let _shared = SECRET_SERVICE.read().unwrap_or_else(|p| p.into_inner());
        if require_dbus("default_is_secret_service_when_it_answers") {
            assert_eq!(crate::keystore::default_kind(), BackendKind::SecretService);
            let store = crate::keystore::open(None).unwrap();
            assert_eq!(store.kind(), BackendKind::SecretService);
        }
    }

    fn dbus(args: &[&str]) -> String {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
            ])
            .args(args)
            .output()
            .expect("run dbus-send");
        assert!(out.status.success(), "dbus-send {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn login_locked() -> bool {
        dbus(&[
            "/org/freedesktop/secrets/collection/login",
            "org.freedesktop.DBus.Properties.Get",
            "string:org.freedesktop.Secret.Collection",
            "string:Locked",
        ])
        .contains("boolean true")
    }

    /// Unlocks the login collection the only way that needs no prompter: a new daemon that
    /// replaces the old one and opens the keyring file with the password.
    fn unlock_login() {
        let password = std::env::var("ALICLOUD_VAULT_TEST_KEYRING_PASSWORD")
            .unwrap_or_else(|_| "ci-pass".to_string());
        let mut child = Command::new("gnome-keyring-daemon")
            .args(["--replace", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run gnome-keyring-daemon");
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(password.as_bytes())
                .expect("send the password");
        }
        child.wait().expect("wait for gnome-keyring-daemon");
        for _ in 0..100 {
            if !login_locked() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the login collection stays locked after gnome-keyring-daemon --replace --unlock");
    }

    #[test]
    fn locked_collection_gives_locked() {
        let _exclusive = SECRET_SERVICE.write().unwrap_or_else(|p| p.into_inner());
        let Some(store) = connect("locked_collection_gives_locked") else {
            return;
        };
        let name = ItemName::new(ItemKind::Key, unique("locked"));
        store.set(&name, &Secret::new("kept while locked")).unwrap();
        dbus(&[
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ]);
        assert!(login_locked());
        let got = store.get(&name);
        let set = store.set(
            &ItemName::new(ItemKind::Key, unique("locked-new")),
            &Secret::new("x"),
        );
        let listed = store.list();
        unlock_login();

        for (what, err) in [
            ("get", got.err()),
            ("set", set.err()),
            ("list", listed.err()),
        ] {
            match err {
                Some(KeystoreError::Locked { backend, detail }) => {
                    assert_eq!(backend, BackendKind::SecretService, "{what}");
                    assert!(!detail.contains("kept while locked"), "{what}");
                }
                other => panic!("{what} on a locked collection gave {other:?}"),
            }
        }
        let message = KeystoreError::Locked {
            backend: BackendKind::SecretService,
            detail: "d".into(),
        }
        .to_string();
        assert!(message.contains("Unlock it"), "{message}");

        // The daemon was replaced: a new connection finds the item again.
        let store = SecretServiceKeystore::connect().unwrap();
        assert_eq!(
            store
                .get(&name)
                .unwrap()
                .map(|s| s.expose().to_string())
                .as_deref(),
            Some("kept while locked")
        );
        assert!(store.delete(&name).unwrap());
    }

    #[test]
    fn without_a_session_bus_it_is_unavailable() {
        run_child(
            "keystore::secret_service::tests::child_without_a_session_bus",
            &[(
                "DBUS_SESSION_BUS_ADDRESS",
                Some("unix:path=/nonexistent/alicloud-vault-test/bus"),
            )],
            false,
        );
    }

    #[test]
    #[ignore = "run by without_a_session_bus_it_is_unavailable in a child process"]
    fn child_without_a_session_bus() {
        if !in_child("keystore::secret_service::tests::child_without_a_session_bus") {
            return;
        }
        let err = SecretServiceKeystore::connect()
            .err()
            .expect("connect must fail");
        let message = err.to_string();
        match err {
            KeystoreError::Unavailable { backend, hint, .. } => {
                assert_eq!(backend, BackendKind::SecretService);
                assert_eq!(hint, UNAVAILABLE_HINT);
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
        assert!(
            message.starts_with("the secret-service keystore is not reachable: "),
            "{message}"
        );
        assert!(
            message.contains("--backend keyutils or --backend file"),
            "{message}"
        );
        // open() with an explicit choice reports it; the default falls back to files.
        assert!(matches!(
            crate::keystore::open(Some(BackendKind::SecretService)).err(),
            Some(KeystoreError::Unavailable { .. })
        ));
        assert_eq!(crate::keystore::default_kind(), BackendKind::File);
    }

    #[test]
    fn without_a_bus_address_the_default_is_file() {
        run_child(
            "keystore::secret_service::tests::child_without_a_bus_address",
            &[("DBUS_SESSION_BUS_ADDRESS", None)],
            false,
        );
    }

    #[test]
    #[ignore = "run by without_a_bus_address_the_default_is_file in a child process"]
    fn child_without_a_bus_address() {
        if !in_child("keystore::secret_service::tests::child_without_a_bus_address") {
            return;
        }
        assert!(!SecretServiceKeystore::session_bus_configured());
        assert_eq!(crate::keystore::default_kind(), BackendKind::File);
        assert_eq!(
            crate::keystore::open(None).unwrap().kind(),
            BackendKind::File
        );
    }
}
