//! The current UTC time as a TOML datetime (second precision), without a date-time crate.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now() -> toml::value::Datetime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    from_unix(secs)
}

pub fn from_unix(secs: u64) -> toml::value::Datetime {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let text = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    );
    text.parse().expect("a formatted RFC 3339 time parses")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The instant a TOML datetime names, in nanoseconds since the epoch, to order times
/// written with different offsets; None for a local date or time, which names no instant.
pub fn instant(t: &toml::value::Datetime) -> Option<i128> {
    use toml::value::Offset;
    let (date, time, offset) = (t.date?, t.time?, t.offset?);
    let days = days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    let offset_minutes = match offset {
        Offset::Z => 0,
        Offset::Custom { minutes } => i64::from(minutes),
    };
    let secs = days * 86_400
        + i64::from(time.hour) * 3600
        + i64::from(time.minute) * 60
        + i64::from(time.second.unwrap_or(0))
        - offset_minutes * 60;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(time.nanosecond.unwrap_or(0)))
}

/// A proleptic Gregorian date to days since 1970-01-01 (Howard Hinnant's algorithm, the
/// inverse of `civil_from_days`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    #[test]
    fn instants_order_times_across_offsets() {
        let at = |s: &str| super::instant(&s.parse().unwrap());
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            at("2026-11-30T00:00:00Z"),
            Some(1_795_996_800 * 1_000_000_000)
        );
        assert_eq!(at("2026-11-30T01:00:00+01:00"), at("2026-11-30T00:00:00Z"));
        assert!(at("2024-02-29T23:59:59Z") < at("2024-03-01T00:00:00Z"));
        assert_eq!(at("2026-11-30"), None);
        for secs in [0, 951_782_400, 1_709_251_199, 4_102_444_800] {
            assert_eq!(
                at(&super::from_unix(secs).to_string()),
                Some(i128::from(secs) * 1_000_000_000)
            );
        }
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(super::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            super::from_unix(1_795_996_800).to_string(),
            "2026-11-30T00:00:00Z"
        );
    }
}
