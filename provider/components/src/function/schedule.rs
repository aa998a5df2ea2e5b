//! EventBridge Scheduler's recurring expressions, checked at preview:
//! `rate(value unit)` and six-field `cron(...)`.
//!
//! Sources: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
//! (the two forms; CreateSchedule's `ScheduleExpression` is at most 256
//! characters), https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
//! ("If the value is equal to 1, then the unit must be singular") and
//! https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
//! (fields, ranges, wildcards, and `?` in exactly one of the day fields).

/// The longest expression Scheduler takes.
pub const MAX_LENGTH: usize = 256;

/// Why `expression` is not a rate or cron expression, if it is not.
pub fn problem(expression: &str) -> Option<String> {
    if expression.len() > MAX_LENGTH {
        return Some(format!("it is longer than {MAX_LENGTH} characters"));
    }
    if let Some(body) = inner(expression, "rate(") {
        return rate(body).err();
    }
    if let Some(body) = inner(expression, "cron(") {
        return cron(body).err();
    }
    Some("it is neither `rate(value unit)` nor `cron(minutes hours day-of-month month day-of-week year)`".into())
}

fn inner<'a>(expression: &'a str, opening: &str) -> Option<&'a str> {
    expression.strip_prefix(opening)?.strip_suffix(')')
}

/// `value unit`: a positive whole number, and a unit singular for 1 only.
fn rate(body: &str) -> Result<(), String> {
    let parts: Vec<&str> = body.split(' ').collect();
    let [value, unit] = parts.as_slice() else {
        return Err("a rate is `rate(value unit)`, one space between".into());
    };
    let n: u64 = value
        .parse()
        .ok()
        .filter(|n| *n > 0 && value.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| format!("the rate's value {value:?} is not a whole number above 0"))?;
    let singular = ["minute", "hour", "day"];
    let plural = ["minutes", "hours", "days"];
    let ok = if n == 1 {
        singular.contains(unit)
    } else {
        plural.contains(unit)
    };
    if !ok {
        return Err(if n == 1 {
            format!("with the value 1 the unit is minute, hour or day, not {unit:?}")
        } else {
            format!("with the value {n} the unit is minutes, hours or days, not {unit:?}")
        });
    }
    Ok(())
}

/// One cron field: its name, range, names accepted for values, and whether
/// it is one of the two day fields, which alone take `?` (and, see
/// [`special`], the `L`, `W` and `#` forms).
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    day: bool,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 6] = [
    Field {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        day: false,
    },
    Field {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        day: false,
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        day: true,
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        day: false,
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: DAYS,
        day: true,
    },
    Field {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
        day: false,
    },
];

/// Six fields, each valid, and exactly one of the day fields `?`.
fn cron(body: &str) -> Result<(), String> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(format!(
            "cron takes exactly 6 fields (minutes hours day-of-month month day-of-week year), got {}",
            fields.len()
        ));
    }
    for (text, field) in fields.iter().zip(FIELDS.iter()) {
        cron_field(text, field)?;
    }
    if (fields[2] == "?") == (fields[4] == "?") {
        return Err(
            "exactly one of day-of-month and day-of-week must be `?` (the other holds the days)"
                .into(),
        );
    }
    Ok(())
}

fn cron_field(text: &str, field: &Field) -> Result<(), String> {
    let bad = |why: &str| Err(format!("the {} field {text:?} {why}", field.name));
    if text == "?" {
        return if field.day {
            Ok(())
        } else {
            bad("cannot be `?` (only day-of-month or day-of-week can)")
        };
    }
    for item in text.split(',') {
        if item.is_empty() {
            return bad("has an empty list item");
        }
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        if let Some(s) = step
            && !s.parse::<u32>().is_ok_and(|n| n >= 1 && n <= field.max)
        {
            return bad(&format!(
                "has the step {s:?}, not a whole number from 1 to {}",
                field.max
            ));
        }
        if range == "*" {
            continue;
        }
        if special(range, field) {
            if step.is_some() {
                return bad("has a step after L, W or #");
            }
            continue;
        }
        let (from, to) = match range.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (range, None),
        };
        for v in [Some(from), to].into_iter().flatten() {
            if value(v, field).is_none() {
                return bad(&format!(
                    "has {v:?}, not a value from {} to {}{}",
                    field.min,
                    field.max,
                    if field.names.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " or {}-{}",
                            field.names[0],
                            field.names[field.names.len() - 1]
                        )
                    }
                ));
            }
        }
    }
    Ok(())
}

/// A number in the field's range, or a name (`JAN`, `MON`).
fn value(text: &str, field: &Field) -> Option<u32> {
    if let Some(i) = field
        .names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(text))
    {
        return u32::try_from(i).ok().map(|i| i + field.min);
    }
    text.parse::<u32>()
        .ok()
        .filter(|n| (field.min..=field.max).contains(n) && text.chars().all(|c| c.is_ascii_digit()))
}

/// The day fields' `L`, `W` and `#` forms: `L`, `15W`, `LW` (day of month);
/// `L`, `5L`, `FRI#3` (day of week).
fn special(text: &str, field: &Field) -> bool {
    match field.name {
        "day-of-month" => {
            text == "L"
                || text == "LW"
                || text
                    .strip_suffix('W')
                    .is_some_and(|d| value(d, field).is_some())
        }
        "day-of-week" => {
            text == "L"
                || text
                    .strip_suffix('L')
                    .is_some_and(|d| value(d, field).is_some())
                || text.split_once('#').is_some_and(|(d, n)| {
                    value(d, field).is_some()
                        && n.parse::<u32>().is_ok_and(|n| (1..=5).contains(&n))
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn documented_examples_pass() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(7 days)",
            "cron(0 10 * * ? *)",
            "cron(15 12 * * ? *)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(0 12 L * ? 2030)",
            "cron(0 12 15W * ? *)",
            "cron(0 12 ? JAN,JUL 6L *)",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }
}
