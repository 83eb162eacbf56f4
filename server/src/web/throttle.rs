//! Sign-in throttling: slows password guessing without letting anyone lock a staff member out.
//!
//! Failed sign-ins are counted over a sliding window, three ways:
//! * per account and address — a few guesses, then that address waits;
//! * per address — one address guessing across many accounts waits;
//! * per account from anywhere — a spread-out attack on one account makes *new* addresses
//!   wait, but an address that signed into that account successfully before keeps its own
//!   allowance, so the person at their usual desk or phone can still sign in.
//!
//! The counts live in the server's memory: each instance counts its own requests.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::store::tally::network;

/// The window failures are counted over.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures per account from one address within the window.
pub const PER_ACCOUNT_AND_ADDRESS: usize = 5;
/// Failures from one address (all accounts) within the window.
pub const PER_ADDRESS: usize = 30;
/// Failures against one account (all addresses) within the window, after which only
/// addresses known for that account may try.
pub const PER_ACCOUNT: usize = 20;
/// How long an address stays known for an account after a successful sign-in.
pub const KNOWN_ADDRESS_DAYS: i64 = 30;
/// Above this many keys, old ones are swept.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
struct Counts {
    by_pair: HashMap<(String, IpAddr), VecDeque<DateTime<Utc>>>,
    by_address: HashMap<IpAddr, VecDeque<DateTime<Utc>>>,
    by_account: HashMap<String, VecDeque<DateTime<Utc>>>,
    known: HashMap<(String, IpAddr), DateTime<Utc>>,
}

/// Why a sign-in is not tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    AccountFromHere,
    Address,
    AccountUnderAttack,
}

/// Shared by every request of one server.
#[derive(Clone, Default)]
pub struct SignInThrottle(Arc<Mutex<Counts>>);

fn recent(queue: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> usize {
    let start = now - Duration::minutes(WINDOW_MINUTES);
    while queue.front().is_some_and(|at| *at <= start) {
        queue.pop_front();
    }
    queue.len()
}

fn count<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, VecDeque<DateTime<Utc>>>,
    key: &K,
    now: DateTime<Utc>,
) -> usize {
    map.get_mut(key).map_or(0, |queue| recent(queue, now))
}

impl SignInThrottle {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves one try of a password for `account` from `address` now, or says why it must
    /// wait. The check and the count are one step under one lock: a try is counted as a
    /// failure from the moment it is allowed, so any number of parallel guesses gets exactly
    /// the allowance and no more; [`Self::succeeded`] takes it back. An IPv6 address is
    /// counted by its /64.
    pub fn reserve(&self, account: &str, address: IpAddr, now: DateTime<Utc>) -> Result<(), Wait> {
        let address = network(address);
        let mut counts = self.counts();
        let pair = (account.to_owned(), address);
        if count(&mut counts.by_pair, &pair, now) >= PER_ACCOUNT_AND_ADDRESS {
            return Err(Wait::AccountFromHere);
        }
        if count(&mut counts.by_address, &address, now) >= PER_ADDRESS {
            return Err(Wait::Address);
        }
        let known = counts
            .known
            .get(&pair)
            .is_some_and(|at| now - *at < Duration::days(KNOWN_ADDRESS_DAYS));
        if !known && count(&mut counts.by_account, &pair.0, now) >= PER_ACCOUNT {
            return Err(Wait::AccountUnderAttack);
        }
        if counts.by_pair.len() > SWEEP_ABOVE {
            counts.by_pair.retain(|_, queue| recent(queue, now) > 0);
            counts.by_address.retain(|_, queue| recent(queue, now) > 0);
            counts.by_account.retain(|_, queue| recent(queue, now) > 0);
        }
        counts.by_pair.entry(pair).or_default().push_back(now);
        counts.by_address.entry(address).or_default().push_back(now);
        counts
            .by_account
            .entry(account.to_owned())
            .or_default()
            .push_back(now);
        Ok(())
    }

    /// A successful sign-in reserved at `now`: the pair's failures are forgiven, the
    /// reservation taken back, and the address is known.
    pub fn succeeded(&self, account: &str, address: IpAddr, now: DateTime<Utc>) {
        let address = network(address);
        let mut counts = self.counts();
        let pair = (account.to_owned(), address);
        counts.by_pair.remove(&pair);
        let take_back = |queue: Option<&mut VecDeque<DateTime<Utc>>>| {
            if let Some(queue) = queue
                && let Some(at) = queue.iter().rposition(|at| *at == now)
            {
                queue.remove(at);
            }
        };
        take_back(counts.by_address.get_mut(&address));
        take_back(counts.by_account.get_mut(account));
        if counts.known.len() > SWEEP_ABOVE {
            counts
                .known
                .retain(|_, at| now - *at < Duration::days(KNOWN_ADDRESS_DAYS));
        }
        counts.known.insert(pair, now);
    }
}

/// How many sign-ins may be in progress at once, for the whole server; one more is answered
/// 429 at once, before anything is read or written.
#[derive(Clone)]
pub struct SignInSlots(pub std::sync::Arc<tokio::sync::Semaphore>);

impl Default for SignInSlots {
    /// Four per core: enough to keep argon2 busy, few enough that a flood waits nowhere.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self(std::sync::Arc::new(tokio::sync::Semaphore::new(4 * cores)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T16:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(minute)
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn a_few_guesses_from_one_address_then_it_waits_until_the_window_passes() {
        let throttle = SignInThrottle::default();
        for _ in 0..PER_ACCOUNT_AND_ADDRESS {
            assert_eq!(throttle.reserve("a@x", ip(1), at(0)), Ok(()));
        }
        assert_eq!(
            throttle.reserve("a@x", ip(1), at(1)),
            Err(Wait::AccountFromHere)
        );
        // Another address is not slowed by these.
        assert_eq!(throttle.reserve("a@x", ip(2), at(1)), Ok(()));
        assert_eq!(
            throttle.reserve("a@x", ip(1), at(WINDOW_MINUTES + 1)),
            Ok(())
        );
    }

    #[test]
    fn one_address_guessing_many_accounts_waits() {
        let throttle = SignInThrottle::default();
        for n in 0..PER_ADDRESS {
            assert_eq!(
                throttle.reserve(&format!("user{n}@x"), ip(1), at(0)),
                Ok(())
            );
        }
        assert_eq!(throttle.reserve("new@x", ip(1), at(1)), Err(Wait::Address));
        assert_eq!(throttle.reserve("new@x", ip(2), at(1)), Ok(()));
    }

    #[test]
    fn an_attack_on_one_account_never_locks_out_its_known_address() {
        let throttle = SignInThrottle::default();
        throttle.succeeded("coach@x", ip(7), at(0));
        for n in 0..PER_ACCOUNT {
            assert_eq!(
                throttle.reserve("coach@x", ip(100 + n as u8), at(1)),
                Ok(())
            );
        }
        assert_eq!(
            throttle.reserve("coach@x", ip(200), at(2)),
            Err(Wait::AccountUnderAttack)
        );
        assert_eq!(throttle.reserve("coach@x", ip(7), at(2)), Ok(()));
    }

    #[test]
    fn success_forgives_the_failures_of_that_address() {
        let throttle = SignInThrottle::default();
        for _ in 0..PER_ACCOUNT_AND_ADDRESS - 1 {
            assert_eq!(throttle.reserve("a@x", ip(1), at(0)), Ok(()));
        }
        throttle.succeeded("a@x", ip(1), at(0));
        for _ in 0..PER_ACCOUNT_AND_ADDRESS - 1 {
            assert_eq!(throttle.reserve("a@x", ip(1), at(1)), Ok(()));
        }
        assert_eq!(throttle.reserve("a@x", ip(1), at(1)), Ok(()));
    }

    #[test]
    fn parallel_guesses_get_the_allowance_and_no_more() {
        let throttle = SignInThrottle::default();
        let allowed = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..64 {
                scope.spawn(|| {
                    for _ in 0..8 {
                        if throttle.reserve("a@x", ip(1), at(0)).is_ok() {
                            allowed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(allowed.into_inner(), PER_ACCOUNT_AND_ADDRESS);
    }

    #[test]
    fn an_ipv6_network_is_one_address_whatever_its_last_64_bits() {
        let throttle = SignInThrottle::default();
        for n in 0..PER_ADDRESS {
            let address: IpAddr = format!("2001:db8:0:1::{n:x}").parse().unwrap();
            assert_eq!(throttle.reserve(&format!("u{n}@x"), address, at(0)), Ok(()));
        }
        let same: IpAddr = "2001:db8:0:1:ffff::1".parse().unwrap();
        let other: IpAddr = "2001:db8:0:2::1".parse().unwrap();
        assert_eq!(throttle.reserve("new@x", same, at(1)), Err(Wait::Address));
        assert_eq!(throttle.reserve("new@x", other, at(1)), Ok(()));
    }
}
