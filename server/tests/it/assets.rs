//! The release's built files served as a CDN would (`web::assets`): the brotli or gzip copy
//! the build made, as it is, to a browser that takes it (brotli first), the file itself to
//! one that takes neither; a hashed name kept for a year as immutable, a plain one
//! revalidated; and the service worker from the site folder.

use std::sync::Arc;

use reengage_server::cli::config;
use reengage_server::store::db::Backend;
use reengage_server::web::state::AppState;
use reqwest::{StatusCode, header};

use crate::support::{fresh_db, serve};

/// A content hash as cargo-leptos writes one (22 characters of unpadded base64url).
const HASH: &str = "Xq3-vB_0aZ9yKcLmNoPqRs";

/// A site folder as `cargo leptos build --release --precompress` leaves one: each built
/// file with its `.br` and `.gz` copies (here told apart by their text), and the worker.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for name in [format!("reengage.{HASH}.wasm"), "reengage.js".to_owned()] {
        std::fs::write(pkg.join(&name), format!("raw {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("br {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gz {name}")).unwrap();
    }
    std::fs::write(
        dir.path().join("sw.js"),
        "const ASSETS = 'reengage-assets-v1';\n",
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn built_files_go_out_precompressed_and_hashed_ones_are_kept_for_a_year() {
    let site = site();
    let test = fresh_db(Backend::Sqlite).await;
    let mut options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    options.site_root = Arc::from(site.path().to_str().unwrap());
    let base = serve(AppState::new(options, test.db.clone())).await;
    let http = reqwest::Client::new();
    let get = |path: String, encoding: Option<&'static str>| {
        let mut request = http.get(format!("{base}{path}"));
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        request.send()
    };
    let wasm = format!("/pkg/reengage.{HASH}.wasm");
    let name = format!("reengage.{HASH}.wasm");
    // (what the browser takes, the copy it gets, the encoding named)
    for (accepts, copy, encoding) in [
        (Some("gzip, deflate, br, zstd"), "br", Some("br")),
        (Some("br"), "br", Some("br")),
        (Some("gzip"), "gz", Some("gzip")),
        (Some("gzip;q=1.0, br;q=0.5"), "gz", Some("gzip")),
        (None, "raw", None),
        (Some("identity"), "raw", None),
    ] {
        let response = get(wasm.clone(), accepts).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accepts:?}");
        let headers = response.headers().clone();
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accepts:?}"
        );
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{accepts:?}"
        );
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
        // As the build made it: not compressed again on the way.
        assert_eq!(
            response.text().await.unwrap(),
            format!("{copy} {name}"),
            "{accepts:?}"
        );
    }
    // A name without a hash may change its content: kept, but asked about each time.
    let response = get("/pkg/reengage.js".to_owned(), Some("br"))
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(response.text().await.unwrap(), "br reengage.js");
    // A file that is not there is not found, and not kept.
    let response = get("/pkg/reengage.missing.js".to_owned(), None)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().get(header::CACHE_CONTROL).is_none());
    // The service worker, from the site folder, never stored: checked on each visit.
    let response = get("/sw.js".to_owned(), None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(
        response.text().await.unwrap(),
        "const ASSETS = 'reengage-assets-v1';\n"
    );
}

/// `make bench` measures Today against the same server answering a page of the same size
/// from memory: `/bench/page` answers the given bytes as they are (through the pages' layers,
/// so compressed like a page), and exists only when a page is given.
#[tokio::test]
async fn the_bench_page_is_answered_from_memory_only_when_one_is_given() {
    let test = fresh_db(Backend::Sqlite).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let plain = serve(AppState::new(options.clone(), test.db.clone())).await;
    let http = reqwest::Client::new();
    let status = http
        .get(format!("{plain}/bench/page"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND, "no page given, no route");

    let page = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        "row ".repeat(5_000)
    );
    let mut state = AppState::new(options, test.db.clone());
    state.bench_page = Some(page.clone().into());
    let base = serve(state).await;
    let answer = http.get(format!("{base}/bench/page")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(answer.text().await.unwrap(), page);
    let gzipped = http
        .get(format!("{base}/bench/page"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        gzipped
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap()),
        Some("gzip"),
        "compressed as a page is"
    );
}
