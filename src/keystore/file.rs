//! The `file` backend: encrypted files for machines without a keystore.
//!
//! Layout of the directory (0700):
//!
//! - `vault.json`: plaintext header: format version, the Argon2id parameters and salt the key
//!   is derived with, and a verifier (a known value sealed with the key) that tells a wrong
//!   passphrase apart before anything is written.
//! - `<sha256(account) in hex>.item` (0600), one per item: the account in plaintext, a random
//!   24-byte nonce and the XChaCha20-Poly1305 ciphertext of the document, with
//!   `alicloud-vault/item/v1/ACCOUNT` as associated data so that a file renamed or edited to
//!   stand for another item fails authentication.
//!
//! Every file is written to a temporary file in the same directory, fsynced and renamed over the
//! old one, so a crash or a full disk leaves the old item or the new one, never half of either.
//! `list` and `delete` need no passphrase; `get` and `set` derive the key once per process.

use super::{BackendKind, ItemName, Keystore, KeystoreError};
use crate::atomic_file;
use crate::secret::Secret;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Overrides the directory of the file keystore.
pub const DIR_ENV: &str = crate::dirs::FILE_DIR_ENV;
/// The passphrase of the file keystore; when unset, it is asked for on the terminal.
pub const PASSPHRASE_ENV: &str = "ALICLOUD_VAULT_FILE_PASSPHRASE";
/// `test` makes a *new* vault use tiny Argon2 parameters. For tests only: it makes the
/// passphrase cheap to guess. Existing vaults always use the parameters in their header.
pub const KDF_ENV: &str = "ALICLOUD_VAULT_FILE_KDF";
/// The header file in the directory.
pub const HEADER_FILE: &str = "vault.json";
/// The extension of item files.
pub const ITEM_EXTENSION: &str = "item";

const FORMAT_VERSION: u32 = 1;
const KDF_ALGORITHM: &str = "argon2id";
const ARGON2_VERSION: u32 = 0x13;
const CIPHER: &str = "xchacha20poly1305";
const VERIFIER_PLAINTEXT: &[u8] = b"alicloud-vault file keystore verifier v1";
const VERIFIER_AAD: &[u8] = b"alicloud-vault/verifier/v1";
const ITEM_AAD_PREFIX: &str = "alicloud-vault/item/v1/";
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// What a new vault uses: 64 MiB, 3 passes, 1 lane.
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };

    /// Tiny parameters for tests (`ALICLOUD_VAULT_FILE_KDF=test`). Never for real secrets.
    pub const TEST: KdfParams = KdfParams {
        m_cost_kib: 1024,
        t_cost: 1,
        p_cost: 1,
    };

    /// [`KdfParams::TEST`] when `ALICLOUD_VAULT_FILE_KDF=test`, else [`KdfParams::DEFAULT`].
    pub fn from_env() -> KdfParams {
        match std::env::var(KDF_ENV).as_deref() {
            Ok("test") => KdfParams::TEST,
            _ => KdfParams::DEFAULT,
        }
    }

    /// The most memory a header may ask for: four times what a new vault uses. A header
    /// is not authenticated before the key is derived from it, so a tampered one must not make
    /// every command allocate gigabytes or spin for minutes.
    pub const MAX_M_COST_KIB: u32 = 256 * 1024;
    /// The most passes a header may ask for (a new vault uses 3).
    pub const MAX_T_COST: u32 = 10;
    /// The most lanes a header may ask for (a new vault uses 1).
    pub const MAX_P_COST: u32 = 8;

    /// Refuses parameters Argon2 rejects or beyond the bounds above.
    fn check(&self) -> Result<(), String> {
        let ok = (1..=Self::MAX_P_COST).contains(&self.p_cost)
            && (1..=Self::MAX_T_COST).contains(&self.t_cost)
            && self.m_cost_kib >= 8 * self.p_cost
            && self.m_cost_kib <= Self::MAX_M_COST_KIB;
        if ok {
            Ok(())
        } else {
            Err(format!(
                "Argon2 parameters out of range (m={} KiB, t={}, p={}; at most m={} KiB, t={}, p={})",
                self.m_cost_kib,
                self.t_cost,
                self.p_cost,
                Self::MAX_M_COST_KIB,
                Self::MAX_T_COST,
                Self::MAX_P_COST
            ))
        }
    }
}

/// Where the passphrase comes from.
#[derive(Clone)]
pub enum PassphraseSource {
    /// `ALICLOUD_VAULT_FILE_PASSPHRASE`, else a no-echo prompt on the terminal (twice when
    /// the vault is created).
    EnvironmentOrPrompt,
    /// A passphrase the caller already has.
    Fixed(Secret),
}

#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    kdf: KdfHeader,
    cipher: String,
    verifier: Sealed,
}

#[derive(Serialize, Deserialize)]
struct KdfHeader {
    algorithm: String,
    argon2_version: u32,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    nonce: String,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
struct ItemFile {
    version: u32,
    account: String,
    nonce: String,
    ciphertext: String,
}

/// The encrypted-files keystore. See the module documentation for the format.
pub struct FileKeystore {
    dir: PathBuf,
    passphrase: PassphraseSource,
    new_vault_kdf: KdfParams,
    /// The derived key, once known; zeroized when the keystore is dropped.
    key: Mutex<Option<Zeroizing<[u8; KEY_LEN]>>>,
    /// How many times a key was derived (tests check it is once per process).
    derivations: AtomicUsize,
}

impl FileKeystore {
    /// A keystore in `dir`. Nothing is read or created until the first call.
    pub fn new(
        dir: impl Into<PathBuf>,
        passphrase: PassphraseSource,
        new_vault_kdf: KdfParams,
    ) -> Self {
        FileKeystore {
            dir: dir.into(),
            passphrase,
            new_vault_kdf,
            key: Mutex::new(None),
            derivations: AtomicUsize::new(0),
        }
    }

    /// The keystore the environment describes: directory `ALICLOUD_VAULT_FILE_DIR`, else the
    /// platform data directory plus `keys`; passphrase from `ALICLOUD_VAULT_FILE_PASSPHRASE`
    /// or the terminal; Argon2 parameters for a new vault from `ALICLOUD_VAULT_FILE_KDF`.
    pub fn from_env() -> Result<Self, KeystoreError> {
        Ok(FileKeystore::new(
            default_dir()?,
            PassphraseSource::EnvironmentOrPrompt,
            KdfParams::from_env(),
        ))
    }

    /// The directory holding the vault.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn item_path(&self, account: &str) -> PathBuf {
        self.dir.join(format!(
            "{}.{ITEM_EXTENSION}",
            hex::encode(Sha256::digest(account.as_bytes()))
        ))
    }

    fn header_path(&self) -> PathBuf {
        self.dir.join(HEADER_FILE)
    }

    fn io_error(&self, what: &str, path: &Path, err: io::Error) -> KeystoreError {
        KeystoreError::Backend {
            backend: BackendKind::File,
            detail: format!(
                "could not {what} {}: {err}; check that the directory exists and is yours (set {DIR_ENV} to use another)",
                path.display()
            ),
        }
    }

    fn damaged_header(&self, detail: impl Into<String>) -> KeystoreError {
        KeystoreError::DamagedVault {
            dir: self.dir.clone(),
            file: HEADER_FILE,
            detail: detail.into(),
        }
    }

    fn corrupt(item: &str, detail: impl Into<String>) -> KeystoreError {
        KeystoreError::Corrupt {
            backend: BackendKind::File,
            item: item.to_string(),
            detail: detail.into(),
        }
    }

    /// The cipher under the vault key. With `create`, makes the vault when there is none;
    /// without, `Ok(None)` when there is none.
    fn cipher(&self, create: bool) -> Result<Option<XChaCha20Poly1305>, KeystoreError> {
        // A poisoned lock only means a thread panicked while deriving; the Option is whole.
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = cached.as_ref() {
            return Ok(Some(cipher_for(key)));
        }
        let mut passphrase: Option<Secret> = None;
        loop {
            if let Some(header) = self.read_header()? {
                // A passphrase typed at the prompt may be mistyped: ask again, three tries in all.
                let mut tries = 1;
                let key = loop {
                    let pass = match passphrase.take() {
                        Some(p) => p,
                        None => self.obtain_passphrase(false)?,
                    };
                    match self.unlock(&header, &pass) {
                        Err(KeystoreError::WrongPassphrase)
                            if self.prompts() && tries < PROMPT_TRIES =>
                        {
                            tries += 1;
                            crate::sayln!(
                                "Wrong passphrase; try again ({tries} of {PROMPT_TRIES})"
                            );
                        }
                        r => break r?,
                    }
                };
                let cipher = cipher_for(&key);
                *cached = Some(key);
                return Ok(Some(cipher));
            }
            if !create {
                return Ok(None);
            }
            let pass = match passphrase.take() {
                Some(p) => p,
                None => self.obtain_passphrase(true)?,
            };
            if let Some(key) = self.create_vault(&pass)? {
                let cipher = cipher_for(&key);
                *cached = Some(key);
                return Ok(Some(cipher));
            }
            // Another process created the vault first: check our passphrase against its header.
            passphrase = Some(pass);
        }
    }

    fn read_header(&self) -> Result<Option<Header>, KeystoreError> {
        let path = self.header_path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error("read", &path, e)),
        };
        let header: Header = serde_json::from_slice(&bytes).map_err(|e| {
            self.damaged_header(format!(
                "not a valid header at line {} column {}",
                e.line(),
                e.column()
            ))
        })?;
        if header.version > FORMAT_VERSION {
            return Err(self.damaged_header(format!(
                "written by a newer alicloud-vault (format version {}); upgrade alicloud-vault",
                header.version
            )));
        }
        if header.kdf.algorithm != KDF_ALGORITHM
            || header.kdf.argon2_version != ARGON2_VERSION
            || header.cipher != CIPHER
        {
            return Err(self.damaged_header(format!(
                "unknown algorithms {} v{} / {}",
                header.kdf.algorithm, header.kdf.argon2_version, header.cipher
            )));
        }
        Ok(Some(header))
    }

    /// Derives the key from the header's parameters and checks it against the verifier.
    fn unlock(
        &self,
        header: &Header,
        pass: &Secret,
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, KeystoreError> {
        let params = KdfParams {
            m_cost_kib: header.kdf.m_cost_kib,
            t_cost: header.kdf.t_cost,
            p_cost: header.kdf.p_cost,
        };
        params.check().map_err(|d| self.damaged_header(d))?;
        let salt = decode_b64(&header.kdf.salt)
            .filter(|s| (SALT_LEN..=64).contains(&s.len()))
            .ok_or_else(|| self.damaged_header("the salt is malformed"))?;
        let key = self.derive_key(pass, &salt, params)?;
        let plain = open_sealed(&cipher_for(&key), &header.verifier, VERIFIER_AAD)
            .map_err(|_| KeystoreError::WrongPassphrase)?;
        if plain.as_slice() != VERIFIER_PLAINTEXT {
            return Err(KeystoreError::WrongPassphrase);
        }
        Ok(key)
    }

    /// Makes a new vault: directory, salt, key, header. `Ok(None)` when another process
    /// created the header meanwhile (the header is never replaced).
    fn create_vault(
        &self,
        pass: &Secret,
    ) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, KeystoreError> {
        self.ensure_dir()?;
        let params = self.new_vault_kdf;
        params.check().map_err(|d| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: format!("cannot create the vault: {d}"),
        })?;
        let mut salt = [0u8; SALT_LEN];
        rand::rng().fill_bytes(&mut salt);
        let key = self.derive_key(pass, &salt, params)?;
        let verifier = seal(&cipher_for(&key), VERIFIER_PLAINTEXT, VERIFIER_AAD)?;
        let header = Header {
            version: FORMAT_VERSION,
            kdf: KdfHeader {
                algorithm: KDF_ALGORITHM.to_string(),
                argon2_version: ARGON2_VERSION,
                m_cost_kib: params.m_cost_kib,
                t_cost: params.t_cost,
                p_cost: params.p_cost,
                salt: BASE64.encode(salt),
            },
            cipher: CIPHER.to_string(),
            verifier,
        };
        let text = serde_json::to_vec_pretty(&header).map_err(|e| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: format!("could not encode the header: {e}"),
        })?;
        let path = self.header_path();
        match write_atomic(&path, &text, false) {
            Ok(true) => Ok(Some(key)),
            Ok(false) => Ok(None),
            Err(e) => Err(self.io_error("write", &path, e)),
        }
    }

    fn derive_key(
        &self,
        pass: &Secret,
        salt: &[u8],
        params: KdfParams,
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, KeystoreError> {
        let failed = |e: argon2::Error| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: format!("key derivation failed: {e}"),
        };
        let argon = argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(
                params.m_cost_kib,
                params.t_cost,
                params.p_cost,
                Some(KEY_LEN),
            )
            .map_err(failed)?,
        );
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(pass.expose().as_bytes(), salt, key.as_mut_slice())
            .map_err(failed)?;
        self.derivations.fetch_add(1, Ordering::Relaxed);
        Ok(key)
    }

    /// Whether the passphrase comes from the terminal prompt (so a retry can help).
    fn prompts(&self) -> bool {
        matches!(self.passphrase, PassphraseSource::EnvironmentOrPrompt)
            && std::env::var_os(PASSPHRASE_ENV).is_none()
    }

    fn obtain_passphrase(&self, new_vault: bool) -> Result<Secret, KeystoreError> {
        let pass = match &self.passphrase {
            PassphraseSource::Fixed(p) => p.clone(),
            PassphraseSource::EnvironmentOrPrompt => match std::env::var_os(PASSPHRASE_ENV) {
                Some(v) => Secret::from(v.into_string().map_err(|_| {
                    KeystoreError::PassphraseRejected(format!(
                        "{PASSPHRASE_ENV} is not valid UTF-8"
                    ))
                })?),
                None => prompt_passphrase(new_vault)?,
            },
        };
        if pass.is_empty() {
            return Err(KeystoreError::PassphraseRejected(
                "the passphrase is empty".to_string(),
            ));
        }
        Ok(pass)
    }

    /// Creates the directory (0700) if needed and tightens its mode if it is looser.
    fn ensure_dir(&self) -> Result<(), KeystoreError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|e| self.io_error("create", &self.dir, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta =
                fs::metadata(&self.dir).map_err(|e| self.io_error("inspect", &self.dir, e))?;
            if meta.permissions().mode() & 0o777 != 0o700 {
                fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700))
                    .map_err(|e| self.io_error("restrict the mode of", &self.dir, e))?;
            }
        }
        Ok(())
    }

    fn read_item_file(&self, account: &str) -> Result<Option<ItemFile>, KeystoreError> {
        let path = self.item_path(account);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error("read", &path, e)),
        };
        let file = parse_item_file(&bytes).map_err(|d| Self::corrupt(account, d))?;
        if file.account != account {
            return Err(Self::corrupt(account, "the file holds another item"));
        }
        Ok(Some(file))
    }
}

/// `ALICLOUD_VAULT_FILE_DIR`, else `<data dir>/alicloud-vault/keys`.
pub fn default_dir() -> Result<PathBuf, KeystoreError> {
    crate::dirs::file_keystore_dir().ok_or(KeystoreError::Unavailable {
        backend: BackendKind::File,
        detail: "no home directory to keep the files in".to_string(),
        hint: "Set ALICLOUD_VAULT_FILE_DIR to a directory for the encrypted files",
    })
}

/// How many times the prompt asks before it gives up (a mistyped passphrase, or a new one
/// typed differently the second time).
const PROMPT_TRIES: u32 = 3;

fn prompt_passphrase(new_vault: bool) -> Result<Secret, KeystoreError> {
    // The terminal's own error (ENXIO when there is none) says nothing more than this.
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Secret::from)
            .map_err(|_| {
                KeystoreError::PassphraseUnavailable(format!(
                    "{PASSPHRASE_ENV} is not set and there is no terminal to ask on"
                ))
            })
    };
    if !new_vault {
        return ask("Passphrase for the alicloud-vault file keystore: ");
    }
    let mut tries = 1;
    loop {
        let first = ask("New passphrase for the alicloud-vault file keystore: ")?;
        let problem = if first.is_empty() {
            "the passphrase is empty"
        } else if first != ask("Type the passphrase again: ")? {
            "the two passphrases differ"
        } else {
            return Ok(first);
        };
        if tries == PROMPT_TRIES {
            return Err(KeystoreError::PassphraseRejected(problem.to_string()));
        }
        tries += 1;
        let shown = match problem {
            "the passphrase is empty" => "The passphrase is empty",
            _ => "The two passphrases differ",
        };
        crate::sayln!("{shown}; try again ({tries} of {PROMPT_TRIES})");
    }
}

fn cipher_for(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(key))
}

fn seal(cipher: &XChaCha20Poly1305, plain: &[u8], aad: &[u8]) -> Result<Sealed, KeystoreError> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .map_err(|_| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: "encryption failed".to_string(),
        })?;
    Ok(Sealed {
        nonce: BASE64.encode(nonce),
        ciphertext: BASE64.encode(ciphertext),
    })
}

/// Decrypts; `Err(())` when the nonce is malformed or authentication fails.
fn open_sealed(
    cipher: &XChaCha20Poly1305,
    sealed: &Sealed,
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ()> {
    let nonce = decode_b64(&sealed.nonce)
        .filter(|n| n.len() == NONCE_LEN)
        .ok_or(())?;
    let ciphertext = decode_b64(&sealed.ciphertext).ok_or(())?;
    cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| ())
}

fn item_aad(account: &str) -> Vec<u8> {
    format!("{ITEM_AAD_PREFIX}{account}").into_bytes()
}

fn parse_item_file(bytes: &[u8]) -> Result<ItemFile, String> {
    let file: ItemFile = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "not a valid item file at line {} column {}",
            e.line(),
            e.column()
        )
    })?;
    if file.version > FORMAT_VERSION {
        return Err(format!(
            "written by a newer alicloud-vault (format version {}); upgrade alicloud-vault",
            file.version
        ));
    }
    Ok(file)
}

fn decode_b64(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

/// Writes `bytes` to `target` (mode 0600) through a temporary file in its folder; with
/// `replace == false` only if `target` does not exist yet. Returns whether `target` now holds
/// `bytes`. A leftover temporary file after a crash holds only ciphertext and is ignored.
fn write_atomic(target: &Path, bytes: &[u8], replace: bool) -> io::Result<bool> {
    let place = if replace {
        atomic_file::Place::Replace
    } else {
        atomic_file::Place::IfAbsent
    };
    atomic_file::write(target, bytes, 0o600, place)
}

impl Keystore for FileKeystore {
    fn kind(&self) -> BackendKind {
        BackendKind::File
    }

    fn lock(&self) {
        // Dropping the Zeroizing key wipes it.
        self.key.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        let account = item.account();
        let Some(file) = self.read_item_file(&account)? else {
            return Ok(None);
        };
        let Some(cipher) = self.cipher(false)? else {
            return Err(Self::corrupt(
                &account,
                format!("{HEADER_FILE} is missing from {}", self.dir.display()),
            ));
        };
        let sealed = Sealed {
            nonce: file.nonce,
            ciphertext: file.ciphertext,
        };
        let plain = open_sealed(&cipher, &sealed, &item_aad(&account)).map_err(|_| {
            Self::corrupt(
                &account,
                "authentication failed: the file was changed or belongs to another vault",
            )
        })?;
        let text = std::str::from_utf8(&plain)
            .map_err(|_| Self::corrupt(&account, "the document is not valid UTF-8"))?;
        Ok(Some(Secret::new(text)))
    }

    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError> {
        let account = item.account();
        let cipher = self.cipher(true)?.ok_or_else(|| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: "the vault could not be created".to_string(),
        })?;
        self.ensure_dir()?;
        let sealed = seal(&cipher, document.expose().as_bytes(), &item_aad(&account))?;
        let file = ItemFile {
            version: FORMAT_VERSION,
            account: account.clone(),
            nonce: sealed.nonce,
            ciphertext: sealed.ciphertext,
        };
        let text = serde_json::to_vec(&file).map_err(|e| KeystoreError::Backend {
            backend: BackendKind::File,
            detail: format!("could not encode {account}: {e}"),
        })?;
        let path = self.item_path(&account);
        write_atomic(&path, &text, true)
            .map(|_| ())
            .map_err(|e| self.io_error("write", &path, e))
    }

    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError> {
        let path = self.item_path(&item.account());
        match fs::remove_file(&path) {
            Ok(()) => {
                atomic_file::sync_dir(&self.dir)
                    .map_err(|e| self.io_error("sync", &self.dir, e))?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io_error("delete", &path, e)),
        }
    }

    /// Reads the account out of every item file; files that are not whole items of ours
    /// (temporary files, damaged files, strangers) are left out.
    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io_error("read", &self.dir, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| self.io_error("read", &self.dir, e))?;
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some(ITEM_EXTENSION) {
                continue;
            }
            let Ok(bytes) = fs::read(&path) else {
                continue;
            };
            let Ok(file) = parse_item_file(&bytes) else {
                continue;
            };
            if self.item_path(&file.account) != path {
                continue;
            }
            names.extend(ItemName::parse_account(&file.account));
        }
        names.sort();
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::test_support::{
        check_missing, check_overwrite, check_round_trip, in_child, run_child,
    };
    use crate::keystore::ItemKind;

    fn store(dir: &Path, pass: &str) -> FileKeystore {
        FileKeystore::new(
            dir.join("keys"),
            PassphraseSource::Fixed(Secret::new(pass)),
            KdfParams::TEST,
        )
    }

    fn key(name: &str) -> ItemName {
        ItemName::new(ItemKind::Key, name)
    }

    /// Every file under `dir` with its bytes, sorted by path.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            out.push((path, bytes));
        }
        out.sort();
        out
    }

    fn header_json(store: &FileKeystore) -> serde_json::Value {
        serde_json::from_slice(&fs::read(store.dir().join(HEADER_FILE)).unwrap()).unwrap()
    }

    #[test]
    fn round_trip_in_files() {
        let tmp = tempfile::tempdir().unwrap();
        check_round_trip(&store(tmp.path(), "pass one"));
    }

    #[test]
    fn overwrite_in_files() {
        let tmp = tempfile::tempdir().unwrap();
        check_overwrite(&store(tmp.path(), "pass one"));
    }

    #[test]
    fn missing_items_need_no_vault_and_create_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        check_missing(&s);
        assert_eq!(s.list().unwrap(), Vec::<ItemName>::new());
        assert!(!s.dir().exists());
    }

    #[test]
    fn wrong_passphrase_is_refused_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let right = store(tmp.path(), "right passphrase");
        right
            .set(&key("prod"), &Secret::new("prod document"))
            .unwrap();
        let before = snapshot(right.dir());

        let wrong = store(tmp.path(), "wrong passphrase");
        assert!(matches!(
            wrong.set(&key("prod"), &Secret::new("evil")),
            Err(KeystoreError::WrongPassphrase)
        ));
        assert!(matches!(
            wrong.set(&key("other"), &Secret::new("evil")),
            Err(KeystoreError::WrongPassphrase)
        ));
        assert!(matches!(
            wrong.get(&key("prod")),
            Err(KeystoreError::WrongPassphrase)
        ));
        assert_eq!(snapshot(right.dir()), before);
        assert_eq!(
            right.get(&key("prod")).unwrap().unwrap().expose(),
            "prod document"
        );
    }

    #[test]
    fn the_secret_is_in_no_file_and_no_temporary_file_is_left() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        let secret = "SECRET-zq8XkP3vL0wR7mN2-never-on-disk";
        s.set(
            &key("dev"),
            &Secret::new(format!(r#"{{"secret":"{secret}"}}"#)),
        )
        .unwrap();
        s.set(
            &key("dev"),
            &Secret::new(format!(r#"{{"secret":"{secret}2"}}"#)),
        )
        .unwrap();
        let files = snapshot(s.dir());
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&HEADER_FILE.to_string()));
        assert!(names.iter().all(|n| !n.starts_with(".tmp-")), "{names:?}");
        for (path, bytes) in files {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds the secret",
                path.display()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn directory_is_0700_and_files_are_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("dev"), &Secret::new("doc")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(s.dir()), 0o700);
        for (path, _) in snapshot(s.dir()) {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_looser_existing_directory_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        fs::create_dir_all(s.dir()).unwrap();
        fs::set_permissions(s.dir(), fs::Permissions::from_mode(0o755)).unwrap();
        s.set(&key("dev"), &Secret::new("doc")).unwrap();
        assert_eq!(
            fs::metadata(s.dir()).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[test]
    fn header_records_kdf_and_a_verifier_for_the_key() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("dev"), &Secret::new("doc")).unwrap();
        let h = header_json(&s);
        assert_eq!(h["version"], 1);
        assert_eq!(h["cipher"], "xchacha20poly1305");
        assert_eq!(h["kdf"]["algorithm"], "argon2id");
        assert_eq!(h["kdf"]["argon2_version"], 19);
        assert_eq!(h["kdf"]["m_cost_kib"], 1024);
        assert_eq!(h["kdf"]["t_cost"], 1);
        assert_eq!(h["kdf"]["p_cost"], 1);
        let salt = BASE64.decode(h["kdf"]["salt"].as_str().unwrap()).unwrap();
        assert_eq!(salt.len(), SALT_LEN);

        let verifier = Sealed {
            nonce: h["verifier"]["nonce"].as_str().unwrap().to_string(),
            ciphertext: h["verifier"]["ciphertext"].as_str().unwrap().to_string(),
        };
        let right = s
            .derive_key(&Secret::new("pass one"), &salt, KdfParams::TEST)
            .unwrap();
        assert_eq!(
            open_sealed(&cipher_for(&right), &verifier, VERIFIER_AAD)
                .unwrap()
                .as_slice(),
            VERIFIER_PLAINTEXT
        );
        let wrong = s
            .derive_key(&Secret::new("pass two"), &salt, KdfParams::TEST)
            .unwrap();
        assert!(open_sealed(&cipher_for(&wrong), &verifier, VERIFIER_AAD).is_err());
    }

    #[test]
    fn reading_uses_the_header_parameters_not_the_callers() {
        let tmp = tempfile::tempdir().unwrap();
        store(tmp.path(), "pass one")
            .set(&key("dev"), &Secret::new("doc"))
            .unwrap();
        let other_params = FileKeystore::new(
            tmp.path().join("keys"),
            PassphraseSource::Fixed(Secret::new("pass one")),
            KdfParams {
                m_cost_kib: 2048,
                t_cost: 2,
                p_cost: 2,
            },
        );
        assert_eq!(
            other_params.get(&key("dev")).unwrap().unwrap().expose(),
            "doc"
        );
    }

    #[test]
    fn the_key_is_derived_once_per_keystore() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("a"), &Secret::new("1")).unwrap();
        s.set(&key("b"), &Secret::new("2")).unwrap();
        assert_eq!(s.get(&key("a")).unwrap().unwrap().expose(), "1");
        assert_eq!(s.derivations.load(Ordering::Relaxed), 1);
        let again = store(tmp.path(), "pass one");
        assert_eq!(again.get(&key("b")).unwrap().unwrap().expose(), "2");
        assert_eq!(again.get(&key("a")).unwrap().unwrap().expose(), "1");
        assert_eq!(again.derivations.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_file_moved_to_another_item_fails_authentication() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("prod"), &Secret::new("prod doc")).unwrap();
        s.set(&key("dev"), &Secret::new("dev doc")).unwrap();
        // Rewrite prod's file to claim it is dev's and put it in dev's place.
        let mut file: ItemFile =
            serde_json::from_slice(&fs::read(s.item_path("key:prod")).unwrap()).unwrap();
        file.account = "key:dev".to_string();
        fs::write(s.item_path("key:dev"), serde_json::to_vec(&file).unwrap()).unwrap();
        match s.get(&key("dev")) {
            Err(KeystoreError::Corrupt { item, detail, .. }) => {
                assert_eq!(item, "key:dev");
                assert!(detail.contains("authentication failed"), "{detail}");
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        // A plain copy (account still prod) is caught before decryption.
        fs::copy(s.item_path("key:prod"), s.item_path("key:dev")).unwrap();
        assert!(matches!(
            s.get(&key("dev")),
            Err(KeystoreError::Corrupt { .. })
        ));
        assert_eq!(s.get(&key("prod")).unwrap().unwrap().expose(), "prod doc");
    }

    #[test]
    fn list_ignores_files_that_are_not_items() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("dev"), &Secret::new("doc")).unwrap();
        fs::write(s.dir().join("notes.txt"), "hello").unwrap();
        fs::write(s.dir().join(".tmp-1-00"), "partial").unwrap();
        fs::write(s.dir().join("0000.item"), "{not json").unwrap();
        assert_eq!(s.list().unwrap(), vec![key("dev")]);
    }

    #[test]
    fn an_empty_passphrase_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "");
        match s.set(&key("dev"), &Secret::new("doc")) {
            Err(KeystoreError::PassphraseRejected(reason)) => {
                assert_eq!(reason, "the passphrase is empty")
            }
            other => panic!("expected PassphraseRejected, got {other:?}"),
        }
        assert!(!s.dir().exists());
    }

    #[test]
    fn errors_never_show_the_document() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path(), "pass one");
        s.set(&key("dev"), &Secret::new("TOPSECRET-document"))
            .unwrap();
        let wrong = store(tmp.path(), "nope");
        let err = wrong.get(&key("dev")).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("TOPSECRET"));
    }

    #[test]
    fn passphrase_from_the_environment() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("env-keys");
        run_child(
            "keystore::file::tests::child_passphrase_from_the_environment",
            &[
                (DIR_ENV, Some(dir.to_str().unwrap())),
                (PASSPHRASE_ENV, Some("env passphrase")),
                (KDF_ENV, Some("test")),
            ],
            true,
        );
        // The vault the child made opens with the same passphrase here.
        let s = FileKeystore::new(
            &dir,
            PassphraseSource::Fixed(Secret::new("env passphrase")),
            KdfParams::TEST,
        );
        assert_eq!(s.get(&key("env")).unwrap().unwrap().expose(), "env doc");
        assert_eq!(header_json(&s)["kdf"]["m_cost_kib"], 1024);
    }

    #[test]
    #[ignore = "run by passphrase_from_the_environment in a child process"]
    fn child_passphrase_from_the_environment() {
        if !in_child("keystore::file::tests::child_passphrase_from_the_environment") {
            return;
        }
        let s = crate::keystore::open(Some(BackendKind::File)).unwrap();
        assert_eq!(s.kind(), BackendKind::File);
        s.set(&key("env"), &Secret::new("env doc")).unwrap();
    }

    #[test]
    fn no_passphrase_and_no_terminal_says_to_set_the_variable() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("keys");
        run_child(
            "keystore::file::tests::child_no_passphrase_and_no_terminal",
            &[
                (DIR_ENV, Some(dir.to_str().unwrap())),
                (PASSPHRASE_ENV, None),
                (KDF_ENV, Some("test")),
            ],
            true,
        );
        assert!(!dir.exists());
    }

    #[test]
    #[ignore = "run by no_passphrase_and_no_terminal_says_to_set_the_variable in a child process"]
    fn child_no_passphrase_and_no_terminal() {
        if !in_child("keystore::file::tests::child_no_passphrase_and_no_terminal") {
            return;
        }
        let s = FileKeystore::from_env().unwrap();
        let err = s.set(&key("dev"), &Secret::new("doc")).unwrap_err();
        assert!(
            matches!(err, KeystoreError::PassphraseUnavailable(_)),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("Set ALICLOUD_VAULT_FILE_PASSPHRASE"),
            "{message}"
        );
    }
}
