//! Audit entries that a flood could multiply — failed and throttled sign-ins, refused
//! requests — counted in memory and written as one entry per key and window, so a flood of
//! bad requests costs a counter, not a durable write each: it can neither slow the writes of
//! the people working nor fill the append-only log for good.
//!
//! Each entry written says how many there were, the first and last instant, and a few
//! examples of what was tried. `store::audit::flush_tally` writes the window's counts in one
//! transaction: the server flushes every [`WINDOW_SECONDS`] and when it stops.
//! A server killed between flushes loses at most one window of counts (a log line is still
//! written for each at the time).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// How often the counts are written, at most.
pub const WINDOW_SECONDS: u64 = 60;
/// Keys counted at most in one window; beyond, counts go to one key per action with the
/// actor "(many)", so memory stays bounded whatever a flood sends.
pub const MAX_KEYS: usize = 10_000;
/// Examples kept per key.
pub const MAX_EXAMPLES: usize = 10;
/// Accounts counted apart per address in one window; beyond, that address's further
/// accounts are counted together under "(many)": one address inventing e-mails adds at most
/// this many entries (and one) a window.
pub const ACCOUNTS_PER_ADDRESS: usize = 20;

/// What is counted together: one entry per key and window.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub action: &'static str,
    pub actor: String,
    pub role: String,
    /// The client's network (an IPv4 address, an IPv6 /64), when it is what is counted.
    pub address: Option<String>,
}

/// How often a key was counted in the window, when first and last, and a few examples.
#[derive(Debug)]
pub struct Counted {
    pub count: u64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub examples: Vec<Value>,
}

#[derive(Debug, Default)]
struct Window {
    counts: HashMap<Key, Counted>,
    /// Keys counted per address, for [`ACCOUNTS_PER_ADDRESS`].
    per_address: HashMap<(&'static str, String), usize>,
}

/// The counts of the current window.
#[derive(Debug, Default)]
pub struct Tally(Mutex<Window>);

impl Tally {
    /// Counts one occurrence of `key` at `now`, with `example` (what was tried) kept among the
    /// first few.
    pub fn count(&self, mut key: Key, example: Option<Value>, now: DateTime<Utc>) {
        let mut window = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let Window {
            counts,
            per_address,
        } = &mut *window;
        if !counts.contains_key(&key) {
            if counts.len() >= MAX_KEYS {
                key = Key {
                    action: key.action,
                    actor: "(many)".into(),
                    role: "-".into(),
                    address: None,
                };
            } else if let Some(address) = &key.address {
                let seen = per_address
                    .entry((key.action, address.clone()))
                    .or_default();
                if *seen >= ACCOUNTS_PER_ADDRESS {
                    key.actor = "(many)".into();
                } else {
                    *seen += 1;
                }
            }
        }
        let counted = counts.entry(key).or_insert(Counted {
            count: 0,
            first: now,
            last: now,
            examples: Vec::new(),
        });
        counted.count += 1;
        counted.last = counted.last.max(now);
        if let Some(example) = example
            && counted.examples.len() < MAX_EXAMPLES
            && !counted.examples.contains(&example)
        {
            counted.examples.push(example);
        }
    }

    /// How many keys are waiting to be written.
    pub fn pending(&self) -> usize {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .counts
            .len()
    }

    /// The window's counts, taken: the counting starts afresh.
    pub fn take(&self) -> Vec<(Key, Counted)> {
        let mut window = self.0.lock().unwrap_or_else(|e| e.into_inner());
        window.per_address.clear();
        window.counts.drain().collect()
    }

    /// Puts counts taken back (they could not be written): merged with what came meanwhile.
    pub fn restore(&self, taken: Vec<(Key, Counted)>) {
        let mut window = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (key, counted) in taken {
            let into = window.counts.entry(key).or_insert(Counted {
                count: 0,
                first: counted.first,
                last: counted.last,
                examples: Vec::new(),
            });
            into.count += counted.count;
            into.first = into.first.min(counted.first);
            into.last = into.last.max(counted.last);
            for example in counted.examples {
                if into.examples.len() < MAX_EXAMPLES && !into.examples.contains(&example) {
                    into.examples.push(example);
                }
            }
        }
    }
}

/// The network an address is counted under: an IPv4 address itself, an IPv6 address's /64
/// (one subscriber's whole allocation), an IPv4-mapped IPv6 address as the IPv4 one.
pub fn network(address: std::net::IpAddr) -> std::net::IpAddr {
    use std::net::{IpAddr, Ipv6Addr};
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(
                u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(actor: &str) -> Key {
        Key {
            action: "signin.failed",
            actor: actor.into(),
            role: "-".into(),
            address: Some("10.0.0.1".into()),
        }
    }

    #[test]
    fn a_flood_is_one_key_with_its_count_and_a_few_examples() {
        let tally = Tally::default();
        let now = Utc::now();
        for n in 0..1000 {
            tally.count(key("a@x"), Some(json!(n % 50)), now);
        }
        let window = tally.0.lock().unwrap();
        assert_eq!(window.counts.len(), 1);
        let counted = &window.counts[&key("a@x")];
        assert_eq!(counted.count, 1000);
        assert_eq!(counted.examples.len(), MAX_EXAMPLES);
    }

    #[test]
    fn one_address_inventing_accounts_adds_a_bounded_number_of_keys() {
        let tally = Tally::default();
        let now = Utc::now();
        for n in 0..5000 {
            tally.count(key(&format!("user{n}@x")), None, now);
        }
        assert_eq!(tally.pending(), ACCOUNTS_PER_ADDRESS + 1);
        let window = tally.0.lock().unwrap();
        let many = window
            .counts
            .iter()
            .find(|(k, _)| k.actor == "(many)")
            .map(|(_, c)| c.count);
        assert_eq!(many, Some(5000 - ACCOUNTS_PER_ADDRESS as u64));
    }

    #[test]
    fn keys_stay_bounded_however_many_addresses_a_flood_comes_from() {
        let tally = Tally::default();
        let now = Utc::now();
        for n in 0..MAX_KEYS + 500 {
            let mut key = key(&format!("user{n}@x"));
            key.address = Some(format!("10.{}.{}.{}", n >> 16, (n >> 8) & 255, n & 255));
            tally.count(key, None, now);
        }
        assert_eq!(tally.pending(), MAX_KEYS + 1);
    }

    #[test]
    fn ipv6_is_counted_by_its_64_and_mapped_ipv4_as_ipv4() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let c: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(c));
        assert_eq!(network(a).to_string(), "2001:db8:1:2::");
        let mapped: std::net::IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(network(mapped).to_string(), "10.1.2.3");
    }
}
