//! The HTTP plumbing below the handlers: security headers and CSRF, sign-in sessions, the
//! sign-in and sign-out forms, and the sign-in throttle.

pub mod errors;
pub mod security;
pub mod sessions;
pub mod signin;
pub mod state;
pub mod throttle;
