//! The release's built files, served as a CDN would: `/pkg/…` from the site folder with the
//! brotli or gzip copy the build made beside each file (`cargo leptos build --release
//! --precompress`) when the browser takes it, never compressed again per request; a file whose
//! name carries its content's hash (`hash-files`) cached for a year as immutable, any other
//! revalidated. And the service worker (`/sw.js`), told the hashed names of the release, so it
//! keeps the files the pages really load.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;

/// A year: how long a browser keeps a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A file whose name does not change with its content: kept, but asked about each time.
pub const REVALIDATE: &str = "no-cache";

/// The release's hashed file names (`hash.txt`, written by cargo-leptos beside the server's
/// binary): the hash of the JS glue, the wasm and the CSS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hashes {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl Hashes {
    /// The hashes a `hash.txt` holds (`js: …`, `wasm: …`, `css: …` lines); `None` when one of
    /// the three is missing.
    pub fn parse(text: &str) -> Option<Self> {
        let find = |kind: &str| {
            text.lines().find_map(|line| {
                let (name, hash) = line.split_once(':')?;
                (name.trim() == kind && is_hash(hash.trim())).then(|| hash.trim().to_owned())
            })
        };
        Some(Hashes {
            js: find("js")?,
            wasm: find("wasm")?,
            css: find("css")?,
        })
    }

    /// The release's hashes, when the server was built with hashed names: the hash file
    /// Leptos reads (beside the running binary), else `None`.
    pub fn of_release(options: &LeptosOptions) -> Option<Self> {
        let file = hash_file(options)?;
        Self::parse(&std::fs::read_to_string(file).ok()?)
    }
}

/// Where Leptos looks for the hash file: `options.hash_file` beside the running binary.
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let file = exe.parent()?.join(options.hash_file.as_ref());
    file.is_file().then_some(file)
}

/// Whether `text` is a cargo-leptos content hash: an MD5 in unpadded base64url, 22 characters.
fn is_hash(text: &str) -> bool {
    text.len() == 22
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the file `name` carries its content's hash (`reengage.<hash>.wasm`), so that a
/// new release gives it a new name and a browser may keep it for good.
pub fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '.');
    let (_extension, hash, stem) = (parts.next(), parts.next(), parts.next());
    stem.is_some_and(|stem| !stem.is_empty()) && hash.is_some_and(is_hash)
}

/// `/pkg/…`: the site's `pkg` folder, each file as built or as its `.br` or `.gz` copy, with
/// its cache lifetime. It sits outside the pages' layers (sessions, on-the-fly compression):
/// a built file is the same for everyone.
pub fn pkg(options: &LeptosOptions) -> Router {
    let folder = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(folder)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// The cache lifetime of a built file (a year when its name is hashed, else revalidated) and
/// the headers every answer of the folder carries.
async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(is_hashed);
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let lifetime = if hashed { IMMUTABLE } else { REVALIDATE };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The service worker's text, read once: the site's `sw.js` with the release's hashed names
/// in place of the plain ones, and its asset cache named after the wasm's hash, so a new
/// release gets a new cache and the old one is let go.
#[derive(Debug, Clone)]
pub struct ServiceWorker(pub Option<Arc<str>>);

impl ServiceWorker {
    /// Reads `sw.js` from the site folder; `None` inside when there is none (a test's site).
    pub fn load(options: &LeptosOptions) -> Self {
        let file = Path::new(options.site_root.as_ref()).join("sw.js");
        let text = std::fs::read_to_string(file).ok();
        let hashes = Hashes::of_release(options);
        ServiceWorker(text.map(|text| {
            let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
            Arc::from(with_hashes(&text, &pkg, hashes.as_ref()))
        }))
    }
}

/// `text` (the service worker) with `{pkg}.css`, `.js` and `.wasm` named by `hashes`, and
/// its asset cache `reengage-assets-v1` named after the wasm's hash; as it is without hashes.
pub fn with_hashes(text: &str, pkg: &str, hashes: Option<&Hashes>) -> String {
    let Some(hashes) = hashes else {
        return text.to_owned();
    };
    text.replace(
        &format!("{pkg}.css'"),
        &format!("{pkg}.{}.css'", hashes.css),
    )
    .replace(
        &format!("{pkg}.css\""),
        &format!("{pkg}.{}.css\"", hashes.css),
    )
    .replace(&format!("{pkg}.js'"), &format!("{pkg}.{}.js'", hashes.js))
    .replace(
        &format!("{pkg}.wasm'"),
        &format!("{pkg}.{}.wasm'", hashes.wasm),
    )
    .replace(
        "'reengage-assets-v1'",
        &format!("'reengage-assets-{}'", hashes.wasm),
    )
}

/// `GET /sw.js`: the service worker of this release; like every answer outside `/pkg` it is
/// not stored (`security::headers`), so a browser checks it for a new release on each visit.
pub async fn service_worker(State(worker): State<ServiceWorker>) -> Response {
    match worker.0 {
        Some(text) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            text.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "AbCdEfGhIjKlMnOpQrSt-_";

    #[test]
    fn a_name_is_hashed_when_it_carries_a_content_hash() {
        assert!(is_hashed(&format!("reengage.{HASH}.wasm")));
        assert!(is_hashed(&format!("reengage.{HASH}.js")));
        for plain in [
            "reengage.wasm",
            "reengage.js",
            &format!("{HASH}.wasm"),
            &format!("reengage.{}.css", &HASH[1..]),
            "reengage.AbCdEfGhIjKlMnOpQrSt!_.css",
            "",
        ] {
            assert!(!is_hashed(plain), "{plain:?}");
        }
    }

    #[test]
    fn the_hash_file_gives_the_three_hashes_or_none() {
        let text = format!(
            "js: {HASH}\nwasm: {}\ncss: {}\n",
            "w".repeat(22),
            "c".repeat(22)
        );
        assert_eq!(
            Hashes::parse(&text),
            Some(Hashes {
                js: HASH.to_owned(),
                wasm: "w".repeat(22),
                css: "c".repeat(22),
            })
        );
        assert_eq!(Hashes::parse(&format!("js: {HASH}\nwasm: {HASH}\n")), None);
        assert_eq!(Hashes::parse("js: short\nwasm: x\ncss: y\n"), None);
    }

    #[test]
    fn the_service_worker_keeps_the_release_s_hashed_files_in_a_cache_of_its_own() {
        let text = "const ASSETS = 'reengage-assets-v1';\nconst SHELL = [\n  '/pkg/reengage.css',\n  '/pkg/reengage.js',\n  '/pkg/reengage.wasm',\n];\nhtml('<link rel=\"stylesheet\" href=\"/pkg/reengage.css\">');\n";
        let hashes = Hashes {
            js: "j".repeat(22),
            wasm: "w".repeat(22),
            css: "c".repeat(22),
        };
        let named = with_hashes(text, "/pkg/reengage", Some(&hashes));
        let (j, w, c) = ("j".repeat(22), "w".repeat(22), "c".repeat(22));
        assert!(named.contains(&format!("'reengage-assets-{w}'")), "{named}");
        assert!(
            named.contains(&format!("'/pkg/reengage.{c}.css'")),
            "{named}"
        );
        assert!(
            named.contains(&format!("'/pkg/reengage.{j}.js'")),
            "{named}"
        );
        assert!(
            named.contains(&format!("'/pkg/reengage.{w}.wasm'")),
            "{named}"
        );
        assert!(
            named.contains(&format!("href=\"/pkg/reengage.{c}.css\"")),
            "{named}"
        );
        assert!(!named.contains("reengage.css"), "{named}");
        assert_eq!(with_hashes(text, "/pkg/reengage", None), text);
    }
}
