//! `login` against the STS and sign-in emulators.
