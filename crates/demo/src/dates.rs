//! Days as plain integers (days since 1970-01-01) so timelines are simple arithmetic; converted to
//! `jiff` dates only when ops are emitted.

use jiff::civil::Date;

/// A calendar day as days since 1970-01-01.
pub(crate) type Day = i32;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) const fn day(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number.
pub(crate) fn ymd(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// The `jiff` date of a day number. Day numbers come from `day` and small offsets within the
/// years 2000–2100, so the date always exists.
pub(crate) fn to_date(z: Day) -> Date {
    let (y, m, d) = ymd(z);
    jiff::civil::date(y as i16, m as i8, d as i8)
}

/// The same day `n` years later; 29 February falls back to 28 February (month-end rule).
pub(crate) fn add_years(z: Day, n: i32) -> Day {
    let (y, m, d) = ymd(z);
    let d = if m == 2 && d == 29 { 28 } else { d };
    day(y + n, m, d)
}

/// The year of a day number.
pub(crate) fn year_of(z: Day) -> i32 {
    ymd(z).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(2021, 2, 1), 18_659);
        for z in day(2013, 12, 1)..day(2027, 1, 31) {
            let (y, m, d) = ymd(z);
            assert_eq!(day(y, m, d), z);
            let j = to_date(z);
            assert_eq!(
                (j.year() as i32, j.month() as u32, j.day() as u32),
                (y, m, d)
            );
        }
        assert_eq!(ymd(add_years(day(2020, 2, 29), 1)), (2021, 2, 28));
        assert_eq!(year_of(day(2025, 12, 31)), 2025);
    }
}
