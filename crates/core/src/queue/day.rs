use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The business day an instant belongs to: the local date in the hall's time zone, shifted so
/// the day starts at `rollover` (a hall that closes at 21:00 and rolls over at 03:00 keeps a
/// late visitor in the day they arrived).
pub fn business_day(now: DateTime<Utc>, tz: Tz, rollover: NaiveTime) -> NaiveDate {
    let local = now.with_timezone(&tz).naive_local();
    (local - rollover.signed_duration_since(NaiveTime::MIN)).date()
}

/// The first instant after `now` at which the business day changes.
pub fn next_rollover(now: DateTime<Utc>, tz: Tz, rollover: NaiveTime) -> DateTime<Utc> {
    let today = business_day(now, tz, rollover);
    let mut date = today + Duration::days(1);
    loop {
        // A rollover time that falls in a DST gap does not exist that day; use the next day's.
        // (Asia/Shanghai has no DST; other zones are accepted by configuration.)
        if let Some(at) = tz.from_local_datetime(&date.and_time(rollover)).earliest() {
            let at = at.with_timezone(&Utc);
            if at > now {
                return at;
            }
        }
        date += Duration::days(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    const SH: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn day_starts_at_the_rollover_time_in_the_hall_zone() {
        let three = NaiveTime::from_hms_opt(3, 0, 0).unwrap();
        let d = |s| business_day(utc(s), SH, three).to_string();
        // 02:59 Shanghai on the 27th is still the 26th's business day.
        assert_eq!(d("2026-11-26T18:59:00Z"), "2026-11-26");
        assert_eq!(d("2026-11-26T19:00:00Z"), "2026-11-27");
        assert_eq!(
            business_day(utc("2026-11-26T16:00:00Z"), SH, NaiveTime::MIN).to_string(),
            "2026-11-27"
        );
    }

    #[test]
    fn next_rollover_is_strictly_later() {
        let three = NaiveTime::from_hms_opt(3, 0, 0).unwrap();
        let now = utc("2026-11-26T19:00:00Z");
        assert_eq!(next_rollover(now, SH, three), utc("2026-11-27T19:00:00Z"));
        let before = utc("2026-11-26T18:00:00Z");
        assert_eq!(next_rollover(before, SH, three), utc("2026-11-26T19:00:00Z"));
    }
}
