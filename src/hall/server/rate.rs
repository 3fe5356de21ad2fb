//! Requests per address per minute, for what strangers may ask without a certificate (the
//! ticket status page, enrolment). An IPv6 address counts with its whole /64; the table of
//! addresses is bounded, and its upkeep costs the same on every request.

use super::connections::Origin;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Addresses remembered at most.
const ADDRESSES: usize = 10_000;

/// A token bucket per address: `per_minute` requests, refilled evenly over the minute.
pub(super) struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<Origin, (f64, Instant)>>,
}

impl RateLimiter {
    pub(super) fn per_minute(n: u32) -> Self {
        Self {
            per_minute: f64::from(n),
            buckets: Mutex::default(),
        }
    }

    /// Takes a token for `addr`; false when it has none left.
    pub(super) fn allow(&self, addr: IpAddr) -> bool {
        let mut buckets = super::lock(&self.buckets);
        let now = Instant::now();
        if buckets.len() >= ADDRESSES {
            // Addresses not heard from for a minute have their tokens back anyway. If most are
            // recent (many addresses at once), forget them all rather than scan again on the
            // next request.
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs() < 60);
            if buckets.len() >= ADDRESSES / 2 {
                buckets.clear();
            }
        }
        let full = self.per_minute;
        let (tokens, at) = buckets.entry(Origin::of(addr)).or_insert((full, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * full / 60.0).min(full);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    #[cfg(test)]
    fn remembered(&self) -> usize {
        super::lock(&self.buckets).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_no_more() {
        let limiter = RateLimiter::per_minute(30);
        let addr: IpAddr = "192.0.2.7".parse().unwrap();
        let allowed = (0..40).filter(|_| limiter.allow(addr)).count();
        assert_eq!(allowed, 30);
        assert!(
            limiter.allow("192.0.2.8".parse().unwrap()),
            "another address is not affected"
        );
    }

    #[test]
    fn many_addresses_cannot_grow_the_limiter_past_its_bound() {
        let limiter = RateLimiter::per_minute(30);
        for i in 0..(3 * ADDRESSES as u32) {
            assert!(limiter.allow(IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i))));
            assert!(limiter.remembered() <= ADDRESSES);
        }
    }

    #[test]
    fn a_phone_cannot_escape_its_limit_by_changing_the_end_of_its_ipv6_address() {
        let limiter = RateLimiter::per_minute(30);
        let allowed = (0..40u16)
            .filter(|i| {
                limiter.allow(IpAddr::V6(std::net::Ipv6Addr::new(
                    0x2001, 0xdb8, 1, 2, 0, 0, 0, *i,
                )))
            })
            .count();
        assert_eq!(allowed, 30);
    }
}
