//! What the phone needs to keep working offline and to lose nothing (docs/offline.md):
//!
//! - every page a signed-in person is sent names them by an opaque key
//!   (`x-reengage-person`), so the service worker (public/sw.js) keeps each person's pages
//!   apart and drops another person's at once on a shared phone;
//! - `POST /session/alive` keeps a session from its idle end ("Stay signed in");
//! - a signed-out request for a page goes to `/signin?next=<that page>`, and signing in
//!   returns there: only a page's path travels, never a query or anything typed.

use axum::{
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use crate::web::sessions::AuthSession;

/// The header that names the signed-in person on every page they are sent.
pub const PERSON_HEADER: &str = "x-reengage-person";

/// The longest page path `next` carries.
const MAX_NEXT_CHARS: usize = 120;

/// The opaque key of staff member `staff_id` the phone files their pages under: it says who
/// a page belongs to, not who the person is.
pub fn person_key(staff_id: i64) -> String {
    let digest = Sha256::digest(format!("reengage person {staff_id}").as_bytes());
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `path` is a page of the app that signing in may return to: an absolute path of
/// letters, digits, `-`, `_` and `/`, not the sign-in pages, the API or the built assets
/// (never another site: no `//`, no scheme, no query).
pub fn is_return_page(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= MAX_NEXT_CHARS
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'))
        && !["/signin", "/signout", "/api/", "/pkg/", "/session/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// Whether `path` is a page only a signed-in person is shown: Today, the missed-activity
/// form, an episode and its forms, the branch's pages, the e-mail and calendar settings.
pub fn is_signed_in_page(path: &str) -> bool {
    is_return_page(path)
        && (matches!(
            path,
            "/today"
                | "/missed"
                | "/branch"
                | "/branch/efforts"
                | "/account/email"
                | "/account/calendar"
        ) || path.starts_with("/episodes/"))
}

/// Where signing in leads: the page `next` names when it is one to return to, else Today.
pub fn after_sign_in(next: Option<&str>) -> &str {
    next.filter(|path| is_return_page(path) && *path != "/")
        .unwrap_or("/today")
}

/// Around the pages: names the signed-in person on each page sent to them, and sends a
/// signed-out request for a page to sign in with the page to come back to.
pub async fn pages(auth: AuthSession, request: Request, next: Next) -> Response {
    let person = auth.user.as_ref().map(|user| person_key(user.staff.id));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // A page only a signed-in person sees: to sign in at once, before any rendering (the page
    // itself would say the same with a client-side redirect, which needs JavaScript when the
    // render has already begun).
    if person.is_none() && method == Method::GET && is_signed_in_page(&path) {
        return match HeaderValue::from_str(&format!("/signin?next={path}")) {
            Ok(to) => (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
            Err(_) => (StatusCode::FOUND, [(header::LOCATION, "/signin")]).into_response(),
        };
    }
    let mut response = next.run(request).await;
    let to_sign_in = response.status().is_redirection()
        && response
            .headers()
            .get(header::LOCATION)
            .is_some_and(|to| to == "/signin");
    if to_sign_in && (method == Method::GET || method == Method::POST) && is_return_page(&path) {
        let to = format!("/signin?next={path}");
        if let Ok(to) = HeaderValue::from_str(&to) {
            response.headers_mut().insert(header::LOCATION, to);
        }
    }
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|kind| kind.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if let Some(person) = person.filter(|_| html)
        && let Ok(person) = HeaderValue::from_str(&person)
    {
        response.headers_mut().insert(PERSON_HEADER, person);
    }
    response
}

/// `POST /session/alive`: "Stay signed in" — the request itself moves the session's idle end
/// on. 204 while signed in, 401 once the session has ended.
pub async fn alive(auth: AuthSession) -> Response {
    if auth.user.is_some() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            "Your session has ended: sign in again.",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_of_the_app_is_returned_to() {
        for page in [
            "/today",
            "/episodes/12",
            "/episodes/12/attempt",
            "/missed",
            "/branch",
        ] {
            assert!(is_return_page(page), "{page}");
            assert_eq!(after_sign_in(Some(page)), page);
        }
        for other in [
            "//evil.example/today",
            "https://evil.example/",
            "/\\evil.example",
            "/today?x=1",
            "/signin",
            "/signout",
            "/api/v1/episodes",
            "/pkg/reengage.js",
            "/episodes/1#x",
            "today",
            "",
        ] {
            assert!(!is_return_page(other), "{other:?}");
            assert_eq!(after_sign_in(Some(other)), "/today", "{other:?}");
        }
        assert_eq!(after_sign_in(Some("/")), "/today");
        assert_eq!(after_sign_in(None), "/today");
        assert!(!is_return_page(&format!("/{}", "a".repeat(MAX_NEXT_CHARS))));
    }

    #[test]
    fn the_signed_in_pages_are_known_by_their_path() {
        for page in [
            "/today",
            "/missed",
            "/branch",
            "/branch/efforts",
            "/episodes/3",
            "/episodes/3/staffing",
        ] {
            assert!(is_signed_in_page(page), "{page}");
        }
        for public in [
            "/",
            "/signin",
            "/signin/code",
            "/notice",
            "/account/password",
            "/episodes/3?x",
        ] {
            assert!(!is_signed_in_page(public), "{public}");
        }
    }

    #[test]
    fn a_person_key_is_stable_opaque_and_distinct() {
        assert_eq!(person_key(7), person_key(7));
        assert_ne!(person_key(7), person_key(8));
        assert_eq!(person_key(7).len(), 16);
        assert!(person_key(7).bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
