//! The HTTP plumbing below the handlers: security headers and CSRF, sign-in sessions, the
//! sign-in and sign-out forms, the sign-in throttle, and refused forms answered in place.

pub mod assets;
pub mod client;
pub mod errors;
pub mod in_place;
pub mod listener;
pub mod metrics;
pub mod observe;
pub mod offline;
pub mod second_factor;
pub mod security;
pub mod sessions;
pub mod shown_once;
pub mod signin;
pub mod signing;
pub mod sso;
pub mod state;
pub mod throttle;
