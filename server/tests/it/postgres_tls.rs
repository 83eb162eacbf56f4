//! PostgreSQL over TLS (docs/operating.md): with `sslmode=verify-full` the server's
//! certificate must chain to the root named by `sslrootcert` and carry the host's name, and
//! the connection is encrypted. This machine's PostgreSQL serves Debian's self-signed
//! `localhost` certificate, which is its own root.

use reengage_server::store::db::{self, Backend};

use crate::support::{backends, fresh_db, postgres_admin};

const LOCAL_CERTIFICATE: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";

#[tokio::test]
async fn a_postgres_connection_can_require_a_verified_certificate() {
    for backend in backends().await {
        if backend != Backend::Postgres {
            continue;
        }
        let test = fresh_db(backend).await;
        let name = test.url.rsplit('/').next().unwrap().to_owned();
        let at = |host: &str, root: &str| {
            let admin = postgres_admin().replace("127.0.0.1", host);
            format!("{admin}/{name}?sslmode=verify-full&sslrootcert={root}")
        };
        assert!(
            std::path::Path::new(LOCAL_CERTIFICATE).exists(),
            "PostgreSQL here serves {LOCAL_CERTIFICATE} (Debian's ssl-cert package)"
        );

        let verified = db::open(&at("localhost", LOCAL_CERTIFICATE))
            .await
            .expect("a connection verified against the server's own root");
        let encrypted: bool =
            sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .fetch_one(&verified.pool)
                .await
                .unwrap();
        assert!(encrypted, "the connection is not encrypted");
        verified.close().await;

        // The certificate names `localhost`, not the address: verify-full refuses it there.
        let wrong_name = db::open(&at("127.0.0.1", LOCAL_CERTIFICATE)).await;
        assert!(
            wrong_name.is_err(),
            "a certificate for another name was accepted"
        );
        // Roots that did not sign it (the public ones) are refused too.
        let wrong_root = db::open(&at("localhost", "/etc/ssl/certs/ca-certificates.crt")).await;
        assert!(
            wrong_root.is_err(),
            "a certificate no given root signed was accepted"
        );
        let message = wrong_root.err().unwrap().to_string();
        assert!(!message.contains("password"), "{message}");
    }
}
