//! 期间计算 — the one legal date-arithmetic module (§7.6 of the domain rules). Every legal
//! deadline and every "满N年" test in the rule engine goes through here, never inline.
//!
//! Sources: 《民法典》第二百零一条 (按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算),
//! 第二百零二条 (按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的
//! 最后一日), 第二百零三条 (期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日)
//! [RECALLED — to confirm against the official text].

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The date `n` years after `anchor` (`n` may be negative): the same month and day, or the last
/// day of that month when it has no such day (29 Feb → 28 Feb in a common year; 《民法典》第二百零二条).
/// `None` only outside jiff's range (years −9999…9999).
pub fn add_years(anchor: Date, n: i32) -> Option<Date> {
    add_months(anchor, n.checked_mul(12)?)
}

/// The date `n` months after `anchor`: the corresponding day of the final month, or its last day
/// when there is none (31 Jan + 1 month → 28/29 Feb; 《民法典》第二百零二条).
pub fn add_months(anchor: Date, n: i32) -> Option<Date> {
    let total = i32::from(anchor.year()) * 12 + i32::from(anchor.month()) - 1 + n;
    let year = i16::try_from(total.div_euclid(12)).ok()?;
    let month = i8::try_from(total.rem_euclid(12) + 1).ok()?;
    let first = Date::new(year, month, 1).ok()?;
    let day = anchor.day().min(first.days_in_month());
    Date::new(year, month, day).ok()
}

/// "满N年": true when `t` is on or after the N-th anniversary of `anchor` (§7.6:
/// `reached(t) = t ≥ add_years(anchor, N)`). On the anniversary itself the N years are full.
/// A date out of range counts as not reached.
pub fn reached(t: Date, anchor: Date, n_years: i32) -> bool {
    add_years(anchor, n_years).is_some_and(|due| t >= due)
}

/// Whole years elapsed from `anchor` to `t` by the anniversary rule (0 when `t` precedes
/// the first anniversary or `anchor`).
pub fn whole_years(anchor: Date, t: Date) -> i32 {
    if t < anchor {
        return 0;
    }
    let mut n = i32::from(t.year()) - i32::from(anchor.year());
    while n > 0 && !reached(t, anchor, n) {
        n -= 1;
    }
    n.max(0)
}

/// The unit of a legal period (期间单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// 日 (calendar days).
    Days,
    /// 工作日 (working days by a [`HolidayCalendar`]).
    WorkingDays,
    /// 月.
    Months,
    /// 年.
    Years,
}

/// The last day of a period of `n` units starting on `start`, the start day not counted
/// (《民法典》第二百零一条): "30日内" from 1 March ends on 31 March; one month from 31 January ends
/// on the last day of February; one year from 29 Feb 2020 ends on 28 Feb 2021. Working days
/// need a calendar: use [`HolidayCalendar::period_end`]; here they count as calendar days.
pub fn period_end(start: Date, n: i32, unit: PeriodUnit) -> Option<Date> {
    match unit {
        PeriodUnit::Days | PeriodUnit::WorkingDays => {
            start.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
        }
        PeriodUnit::Months => add_months(start, n),
        PeriodUnit::Years => add_years(start, n),
    }
}

/// A computed legal deadline (法定期限), stored with its anchor so it can be audited (§7.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// What starts the clock, e.g. `investigation_notice_served` (调查通知书送达).
    pub anchor_event: String,
    /// The day of that event (not counted).
    pub anchor_date: Date,
    /// Length of the period.
    pub period: i32,
    /// Unit of the period.
    pub unit: PeriodUnit,
    /// The last day of the period.
    pub due: Date,
    /// The rule that sets the period, e.g. 《闲置土地处置办法》第五条.
    pub rule_ref: String,
}

impl Deadline {
    /// Computes a deadline; working days and the holiday extension use `calendar` when given.
    /// `None` when the date falls outside the supported range.
    pub fn compute(
        anchor_event: &str,
        anchor_date: Date,
        period: i32,
        unit: PeriodUnit,
        rule_ref: &str,
        calendar: Option<&HolidayCalendar>,
    ) -> Option<Self> {
        let due = match calendar {
            Some(c) => c.period_end(anchor_date, period, unit)?,
            None => period_end(anchor_date, period, unit)?,
        };
        Some(Self {
            anchor_event: anchor_event.to_owned(),
            anchor_date,
            period,
            unit,
            due,
            rule_ref: rule_ref.to_owned(),
        })
    }

    /// True when `t` is after the last day of the period.
    pub fn is_overdue(&self, t: Date) -> bool {
        t > self.due
    }
}

/// A working-day calendar (工作日历) given as data: statutory holidays and the weekend days
/// turned into working days (调休上班), as published yearly by the 国务院办公厅. No dates are
/// built in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    /// Days off (法定节假日 and the weekdays moved into them).
    pub holidays: BTreeSet<Date>,
    /// Weekend days that are working days (调休上班日).
    pub makeup_workdays: BTreeSet<Date>,
}

impl HolidayCalendar {
    /// Builds a calendar from lists of days.
    pub fn new(
        holidays: impl IntoIterator<Item = Date>,
        makeup_workdays: impl IntoIterator<Item = Date>,
    ) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
            makeup_workdays: makeup_workdays.into_iter().collect(),
        }
    }

    /// True on a working day: a make-up day, or a weekday that is not a holiday.
    pub fn is_working_day(&self, d: Date) -> bool {
        if self.makeup_workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        )
    }

    /// The first working day on or after `d`.
    pub fn next_working_day(&self, d: Date) -> Option<Date> {
        let mut x = d;
        for _ in 0..400 {
            if self.is_working_day(x) {
                return Some(x);
            }
            x = x.tomorrow().ok()?;
        }
        None
    }

    /// The last day of a period with the calendar applied: working days are counted one by
    /// one after `start`; for other units, a last day that is not a working day moves to the
    /// next working day (《民法典》第二百零三条).
    pub fn period_end(&self, start: Date, n: i32, unit: PeriodUnit) -> Option<Date> {
        match unit {
            PeriodUnit::WorkingDays => {
                let mut d = start;
                let mut left = n;
                while left > 0 {
                    d = d.tomorrow().ok()?;
                    if self.is_working_day(d) {
                        left -= 1;
                    }
                }
                Some(d)
            }
            _ => self.next_working_day(period_end(start, n, unit)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn feb_29_month_end_rule() {
        assert_eq!(add_years(date(2020, 2, 29), 1), Some(date(2021, 2, 28)));
        assert_eq!(add_years(date(2020, 2, 29), 4), Some(date(2024, 2, 29)));
        assert_eq!(add_years(date(2020, 2, 29), -1), Some(date(2019, 2, 28)));
        assert_eq!(add_months(date(2021, 1, 31), 1), Some(date(2021, 2, 28)));
        assert_eq!(add_months(date(2020, 1, 31), 1), Some(date(2020, 2, 29)));
        assert_eq!(add_months(date(2020, 12, 15), 2), Some(date(2021, 2, 15)));
        assert_eq!(add_months(date(2020, 3, 31), -1), Some(date(2020, 2, 29)));
    }

    #[test]
    fn reached_on_the_anniversary() {
        let a = date(2020, 3, 1);
        assert!(
            !reached(date(2021, 2, 28), a, 1),
            "the day before: not 满一年"
        );
        assert!(reached(date(2021, 3, 1), a, 1), "the anniversary: 满一年");
        let leap = date(2020, 2, 29);
        assert!(!reached(date(2021, 2, 27), leap, 1));
        assert!(reached(date(2021, 2, 28), leap, 1), "month-end rule");
        assert_eq!(whole_years(a, date(2022, 2, 28)), 1);
        assert_eq!(whole_years(a, date(2022, 3, 1)), 2);
        assert_eq!(whole_years(a, date(2019, 3, 1)), 0);
    }

    #[test]
    fn start_day_not_counted() {
        assert_eq!(
            period_end(date(2021, 3, 1), 30, PeriodUnit::Days),
            Some(date(2021, 3, 31))
        );
        assert_eq!(
            period_end(date(2021, 1, 31), 1, PeriodUnit::Months),
            Some(date(2021, 2, 28))
        );
        assert_eq!(
            period_end(date(2020, 2, 29), 1, PeriodUnit::Years),
            Some(date(2021, 2, 28))
        );
    }

    fn national_day_2021() -> HolidayCalendar {
        // Test fixture: 2021 国庆 1–7 Oct off; Sun 26 Sep and Sat 9 Oct worked.
        HolidayCalendar::new(
            (1..=7).map(|d| date(2021, 10, d)),
            [date(2021, 9, 26), date(2021, 10, 9)],
        )
    }

    #[test]
    fn holiday_extension_and_working_days() {
        let cal = national_day_2021();
        // 30 days from 2 Sep ends 2 Oct, a holiday → 8 Oct (Friday, first working day).
        assert_eq!(
            cal.period_end(date(2021, 9, 2), 30, PeriodUnit::Days),
            Some(date(2021, 10, 8))
        );
        // 5 working days after Thu 30 Sep: 8 (Fri), 9 (Sat, make-up), 11, 12, 13 Oct.
        assert_eq!(
            cal.period_end(date(2021, 9, 30), 5, PeriodUnit::WorkingDays),
            Some(date(2021, 10, 13))
        );
        assert!(cal.is_working_day(date(2021, 9, 26)));
        assert!(!cal.is_working_day(date(2021, 9, 25)));
        let dl = Deadline::compute(
            "investigation_notice_served",
            date(2021, 9, 2),
            30,
            PeriodUnit::Days,
            "《闲置土地处置办法》第五条",
            Some(&cal),
        )
        .unwrap();
        assert_eq!(dl.due, date(2021, 10, 8));
        assert!(!dl.is_overdue(date(2021, 10, 8)));
        assert!(dl.is_overdue(date(2021, 10, 9)));
    }

    proptest! {
        #[test]
        fn anniversary_is_the_threshold(days in 0i32..20_000, n in 1i32..5) {
            let a = date(1990, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            let due = add_years(a, n).unwrap();
            prop_assert!(reached(due, a, n));
            prop_assert!(!reached(due.yesterday().unwrap(), a, n));
            prop_assert_eq!(whole_years(a, due), n);
            prop_assert_eq!(due.year() - a.year(), n as i16);
        }
    }
}
