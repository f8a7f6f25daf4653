//! Calendar dates for mail headers, computed from virtual time.
//!
//! Engines have no clock: a lab's wall-clock base (`MailStore::epoch_unix`,
//! the Unix time at `SimTime::ZERO`) plus virtual time gives the date written
//! in `Received:` and `Date:` headers (RFC 5322 §3.3) and IMAP INTERNALDATE.

use crate::SimTime;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub const fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The default lab wall clock at `SimTime::ZERO`: Monday 5 January 2026, 08:00 UTC.
pub const DEFAULT_EPOCH_UNIX: i64 = days_from_civil(2026, 1, 5) * 86_400 + 8 * 3600;

/// The earliest instant a date parses to: 1 Jan 1900 00:00:00 UTC.
pub const MIN_UNIX: i64 = days_from_civil(1900, 1, 1) * 86_400;
/// The latest instant a date parses to: 31 Dec 9999 23:59:59 UTC.
pub const MAX_UNIX: i64 = days_from_civil(10_000, 1, 1) * 86_400 - 1;

/// Unix seconds at virtual time `now` for a lab whose clock started at `epoch_unix`.
pub fn unix_at(epoch_unix: i64, now: SimTime) -> i64 {
    epoch_unix.saturating_add((now.as_micros() / 1_000_000) as i64)
}

fn split(unix: i64) -> (i64, u32, u32, i64, i64, i64, usize) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = days.rem_euclid(7) as usize;
    (y, m, d, secs / 3600, secs / 60 % 60, secs % 60, wd)
}

/// RFC 5322 §3.3 date-time in UTC: `Mon, 5 Jan 2026 08:00:00 +0000`.
pub fn rfc5322(unix: i64) -> String {
    let (y, m, d, hh, mm, ss, wd) = split(unix);
    format!(
        "{}, {} {} {} {:02}:{:02}:{:02} +0000",
        DAYS[wd],
        d,
        MONTHS[(m - 1) as usize],
        y,
        hh,
        mm,
        ss
    )
}

/// IMAP date-time (RFC 3501 §9 `date-time`): `05-Jan-2026 08:00:00 +0000`.
pub fn imap_internal_date(unix: i64) -> String {
    let (y, m, d, hh, mm, ss, _) = split(unix);
    format!(
        "{:02}-{}-{:04} {:02}:{:02}:{:02} +0000",
        d,
        MONTHS[(m - 1) as usize],
        y,
        hh,
        mm,
        ss
    )
}

/// Wall-clock time of day `HH:MM` (what notes such as "queued for retry at 08:15" show).
pub fn clock_hhmm(unix: i64) -> String {
    let (_, _, _, hh, mm, _, _) = split(unix);
    format!("{hh:02}:{mm:02}")
}

fn month(s: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(s))
        .map(|i| i as u32 + 1)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<i64> {
    let (y, m, d) = (y.parse::<i64>().ok()?, month(m)?, d.parse::<u32>().ok()?);
    let ok = (1900..=9999).contains(&y) && (1..=31).contains(&d);
    ok.then(|| days_from_civil(y, m, d) * 86_400)
}

fn hms_zone(time: &str, zone: &str) -> Option<i64> {
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi) = (t.next()??, t.next()??);
    let sec = t.next().flatten().unwrap_or(0);
    if !(0..=23).contains(&h) || !(0..=59).contains(&mi) || !(0..=60).contains(&sec) {
        return None;
    }
    let b = zone.as_bytes();
    let off = if b.len() == 5
        && (b[0] == b'+' || b[0] == b'-')
        && b[1..].iter().all(u8::is_ascii_digit)
    {
        let v: i64 = zone[1..3].parse::<i64>().ok()? * 3600 + zone[3..5].parse::<i64>().ok()? * 60;
        if b[0] == b'-' { -v } else { v }
    } else {
        // RFC 5322 §4.3 obsolete zones: UT/GMT/Z are +0000, others taken as +0000.
        0
    };
    Some(h * 3600 + mi * 60 + sec - off)
}

/// Parses an IMAP `date` (RFC 3501 §9, SEARCH SINCE/BEFORE/ON): `5-Jan-2026`;
/// returns Unix seconds at 00:00 UTC that day.
pub fn parse_imap_date(s: &str) -> Option<i64> {
    let s = s.trim().trim_matches('"');
    let mut p = s.split('-');
    let (d, m, y) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() {
        return None;
    }
    ymd(y, m, d.trim())
}

/// Parses an IMAP `date-time` (APPEND): `05-Jan-2026 08:00:00 +0700` → Unix seconds.
pub fn parse_imap_date_time(s: &str) -> Option<i64> {
    let s = s.trim().trim_matches('"').trim();
    let mut p = s.split_whitespace();
    let (date, time, zone) = (p.next()?, p.next()?, p.next()?);
    printable(parse_imap_date(date)? + hms_zone(time, zone)?)
}

/// Parses an RFC 5322 §3.3 `date-time` (`Mon, 5 Jan 2026 08:00:00 +0000`,
/// day name and seconds optional) → Unix seconds.
pub fn parse_rfc5322(s: &str) -> Option<i64> {
    let s = s.split_once(',').map_or(s, |(_, rest)| rest);
    let mut p = s.split_whitespace();
    let (d, m, y, time) = (p.next()?, p.next()?, p.next()?, p.next()?);
    let zone = p.next().unwrap_or("+0000");
    printable(ymd(y, m, d)? + hms_zone(time, zone)?)
}

/// An instant whose printed date parses again (years 1900 to 9999 in UTC):
/// a zone offset must not carry a date out of them.
fn printable(unix: i64) -> Option<i64> {
    (MIN_UNIX..=MAX_UNIX).contains(&unix).then_some(unix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates() {
        let e = DEFAULT_EPOCH_UNIX;
        assert_eq!(parse_imap_date("5-Jan-2026"), Some(e - 8 * 3600));
        assert_eq!(parse_imap_date("\"05-jan-2026\""), Some(e - 8 * 3600));
        assert_eq!(parse_imap_date("5-Foo-2026"), None);
        assert_eq!(parse_imap_date("5-Jan"), None);
        assert_eq!(parse_imap_date_time("05-Jan-2026 15:00:00 +0700"), Some(e));
        assert_eq!(parse_rfc5322("Mon, 5 Jan 2026 08:00:00 +0000"), Some(e));
        assert_eq!(parse_rfc5322("5 Jan 2026 03:00 -0500"), Some(e));
        assert_eq!(parse_rfc5322(&rfc5322(e + 59)), Some(e + 59));
        assert_eq!(parse_rfc5322("garbage"), None);
        assert_eq!(parse_rfc5322("Mon, 5 Jan 2026 25:00:00 +0000"), None);
    }

    /// Found while writing the round-trip property: a zone offset carried
    /// a date across the years the parser reads (1900–9999), so the printed
    /// form of what it returned did not parse. And a time of day with a
    /// minus sign was read as a negative hour.
    #[test]
    fn a_date_that_parses_stays_within_the_years_it_prints() {
        for text in [
            "1 Jan 1900 00:00:00 +0100",
            "31 Dec 9999 23:30:00 -0100",
            "5 Jan 2026 -1:00 +0000",
            "5 Jan 2026 08:-5 +0000",
        ] {
            assert_eq!(parse_rfc5322(text), None, "{text}");
        }
        assert_eq!(parse_imap_date_time("01-Jan-1900 00:00:00 +0100"), None);
        assert_eq!(parse_rfc5322("1 Jan 1900 00:00:00 +0000"), Some(MIN_UNIX));
        assert_eq!(parse_rfc5322("1 Jan 1900 01:00:00 +0100"), Some(MIN_UNIX));
        assert_eq!(parse_rfc5322("31 Dec 9999 23:59:59 +0000"), Some(MAX_UNIX));
        assert_eq!(parse_rfc5322(&rfc5322(MAX_UNIX)), Some(MAX_UNIX));
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert_eq!(rfc5322(0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(
            rfc5322(DEFAULT_EPOCH_UNIX),
            "Mon, 5 Jan 2026 08:00:00 +0000"
        );
        assert_eq!(
            imap_internal_date(DEFAULT_EPOCH_UNIX + 61),
            "05-Jan-2026 08:01:01 +0000"
        );
        let t = unix_at(DEFAULT_EPOCH_UNIX, SimTime::from_secs(15 * 60));
        assert_eq!(clock_hhmm(t), "08:15");
    }
}
