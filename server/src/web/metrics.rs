//! The counts `GET /metrics` writes (`web::observe`): requests by method, route pattern and
//! status, their latency histograms, the database pools and writer queue, the morning digest.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::db::Db;

/// The latency histogram's bucket bounds, in seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Debug, Default)]
struct RouteCounts {
    by_status: BTreeMap<u16, u64>,
    /// Requests at or under each of [`BUCKETS`] (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

/// The morning digest's figures, as its sender last reported them.
#[derive(Debug, Default)]
pub struct DigestCounts {
    pub sent: AtomicU64,
    pub failed: AtomicU64,
    /// Digests whose send failed in the sender's last pass, waiting for a later tick.
    pub waiting: AtomicU64,
}

/// The process's counts since it started, for `GET /metrics`.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    routes: Mutex<BTreeMap<(String, Arc<str>), RouteCounts>>,
    pub digests: DigestCounts,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            routes: Mutex::default(),
            digests: DigestCounts::default(),
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &str, route: &Arc<str>, status: u16, took: Duration) {
        let seconds = took.as_secs_f64();
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let counts = routes
            .entry((method.to_owned(), route.clone()))
            .or_default();
        *counts.by_status.entry(status).or_default() += 1;
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            counts.buckets[bucket] += 1;
        }
        counts.count += 1;
        counts.seconds += seconds;
    }

    /// Everything in Prometheus's text exposition format (version 0.0.4).
    pub fn render(&self, db: &Db) -> String {
        let mut out = String::new();
        {
            let routes = self
                .routes
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            out.push_str("# HELP reengage_http_requests_total Requests answered, by method, route pattern and status.\n");
            out.push_str("# TYPE reengage_http_requests_total counter\n");
            for ((method, route), counts) in routes.iter() {
                for (status, n) in &counts.by_status {
                    let _ = writeln!(
                        out,
                        "reengage_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                        label(method),
                        label(route)
                    );
                }
            }
            out.push_str("# HELP reengage_http_request_duration_seconds Time to answer, by method and route pattern.\n");
            out.push_str("# TYPE reengage_http_request_duration_seconds histogram\n");
            for ((method, route), counts) in routes.iter() {
                let (method, route) = (label(method), label(route));
                let mut below = 0;
                for (bound, n) in BUCKETS.iter().zip(counts.buckets) {
                    below += n;
                    let _ = writeln!(
                        out,
                        "reengage_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"{bound}\"}} {below}"
                    );
                }
                let _ = writeln!(
                    out,
                    "reengage_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"+Inf\"}} {}\n\
                     reengage_http_request_duration_seconds_sum{{method=\"{method}\",route=\"{route}\"}} {}\n\
                     reengage_http_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\"}} {}",
                    counts.count, counts.seconds, counts.count
                );
            }
        }
        out.push_str(
            "# HELP reengage_db_pool_connections Database connections by pool and state.\n",
        );
        out.push_str("# TYPE reengage_db_pool_connections gauge\n");
        for (name, pool) in [("read", &db.pool), ("write", &db.writer)] {
            let open = pool.size();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(open);
            let _ = writeln!(
                out,
                "reengage_db_pool_connections{{pool=\"{name}\",state=\"idle\"}} {idle}\n\
                 reengage_db_pool_connections{{pool=\"{name}\",state=\"in_use\"}} {}",
                open - idle
            );
        }
        out.push_str("# HELP reengage_db_pool_max_connections Each pool's most connections.\n");
        out.push_str("# TYPE reengage_db_pool_max_connections gauge\n");
        for (name, pool) in [("read", &db.pool), ("write", &db.writer)] {
            let _ = writeln!(
                out,
                "reengage_db_pool_max_connections{{pool=\"{name}\"}} {}",
                pool.options().get_max_connections()
            );
        }
        out.push_str("# HELP reengage_db_writers_waiting Write transactions waiting for the database's writer (SQLite has one).\n");
        out.push_str("# TYPE reengage_db_writers_waiting gauge\n");
        let _ = writeln!(out, "reengage_db_writers_waiting {}", db.writers_waiting());
        let digests = &self.digests;
        let _ = write!(
            out,
            "# HELP reengage_digests_sent_total Morning digests the SMTP server accepted.\n\
             # TYPE reengage_digests_sent_total counter\n\
             reengage_digests_sent_total {}\n\
             # HELP reengage_digests_failed_total Morning digest sends that failed (each retried later that day).\n\
             # TYPE reengage_digests_failed_total counter\n\
             reengage_digests_failed_total {}\n\
             # HELP reengage_digests_waiting Morning digests whose last send failed, waiting for the next tick.\n\
             # TYPE reengage_digests_waiting gauge\n\
             reengage_digests_waiting {}\n\
             # HELP reengage_uptime_seconds Seconds since this server started.\n\
             # TYPE reengage_uptime_seconds gauge\n\
             reengage_uptime_seconds {}\n",
            digests.sent.load(Ordering::Relaxed),
            digests.failed.load(Ordering::Relaxed),
            digests.waiting.load(Ordering::Relaxed),
            self.started.elapsed().as_secs()
        );
        out
    }
}

/// A label value as the text format writes it: backslash, quote and line feed escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_labels_are_escaped() {
        let metrics = Metrics::default();
        let route: Arc<str> = "/episodes/{id}".into();
        metrics.record("GET", &route, 200, Duration::from_millis(2));
        metrics.record("GET", &route, 200, Duration::from_millis(40));
        metrics.record("GET", &route, 404, Duration::from_secs(60));
        let routes = metrics.routes.lock().unwrap();
        let counts = &routes[&("GET".to_owned(), route.clone())];
        assert_eq!(counts.count, 3);
        assert_eq!(counts.by_status[&200], 2);
        assert_eq!(counts.by_status[&404], 1);
        // 2 ms in the 2.5 ms bucket, 40 ms in the 50 ms bucket, a minute above them all.
        assert_eq!(counts.buckets.iter().sum::<u64>(), 2);
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
