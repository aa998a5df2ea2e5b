//! Kubernetes resource quantities (`250m`, `0.5`, `512Mi`, `1G`): the
//! grammar of `k8s.io/apimachinery/pkg/api/resource.Quantity`, so that a
//! `cpu`, `cpuLimit` or `memory` the API server would refuse fails at
//! preview, with the spelling that was probably meant (`512MB` → `512M` or
//! `512Mi`). Cloud Run's sizes (`cloud_run/size.rs`) are a narrower,
//! Cloud-Run-only grammar; nothing of it fits here.
//!
//! ```text
//! quantity ::= signedNumber suffix
//! suffix   ::= binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (m "" k M G T P E)
//!            | ("e" | "E") signedNumber
//! number   ::= digits | digits "." digits | digits "." | "." digits
//! ```
//!
//! Start at [`cpu`] and [`memory`], the checks the inputs use.

use launchpad_core::{Input, InputError};

use super::errors;

/// Binary suffixes and their factors.
const BINARY: [(&str, f64); 6] = [
    ("Ki", 1024.0),
    ("Mi", 1_048_576.0),
    ("Gi", 1_073_741_824.0),
    ("Ti", 1_099_511_627_776.0),
    ("Pi", 1_125_899_906_842_624.0),
    ("Ei", 1_152_921_504_606_846_976.0),
];
/// Decimal suffixes and their factors (`""`, no suffix, is 1).
const DECIMAL: [(&str, f64); 8] = [
    ("m", 1e-3),
    ("", 1.0),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
];

/// Examples a CPU message shows.
const CPU_EXAMPLES: &str = "\"250m\", \"0.5\" or \"2\"";
/// Examples a memory message shows.
const MEMORY_EXAMPLES: &str = "\"256Mi\", \"1Gi\" or \"500M\"";

/// A quantity's value in base units (cores, bytes), or `None` when `text`
/// is not a quantity.
pub fn value(text: &str) -> Option<f64> {
    let (number, suffix) = split(text);
    let n = number_value(number)?;
    // `E` alone is exa; followed by a number it is an exponent.
    let named = BINARY
        .iter()
        .chain(DECIMAL.iter())
        .find(|(s, _)| *s == suffix)
        .map(|(_, f)| *f);
    let factor = match (named, suffix.strip_prefix(['e', 'E'])) {
        (Some(f), _) => f,
        (None, Some(exponent)) => 10f64.powi(signed_digits(exponent)?.parse().ok()?),
        (None, None) => return None,
    };
    Some(n * factor)
}

/// `cpu` or `cpuLimit`: a quantity above zero.
pub fn cpu(property: &str, q: Input<String>) -> Result<Input<String>, InputError> {
    let v = parse(property, &q, cpu_spelling, CPU_EXAMPLES)?;
    positive(property, &q, v)?;
    Ok(q)
}

/// `memory`: a quantity above zero, not in thousandths of a byte.
pub fn memory(property: &str, q: Input<String>) -> Result<Input<String>, InputError> {
    let v = parse(property, &q, memory_spelling, MEMORY_EXAMPLES)?;
    let (number, suffix) = split(&q);
    if suffix == "m" {
        let meant = if q.secret() {
            "Mi".to_string()
        } else {
            format!("{:?}", format!("{number}Mi"))
        };
        return Err(errors::memory_in_millibytes(property, q.shown(), meant));
    }
    positive(property, &q, v)?;
    Ok(q)
}

/// The quantity's value, or the refusal with the spelling `meant` suggests
/// (never for a secret: the suggestion would show it).
fn parse(
    property: &str,
    q: &Input<String>,
    meant: fn(&str, &str) -> Option<String>,
    examples: &str,
) -> Result<f64, InputError> {
    value(q).ok_or_else(|| {
        let (number, suffix) = split(q);
        let hint = meant(number, suffix)
            .filter(|_| !q.secret())
            .map(|meant| format!(" (did you mean {meant}?)"))
            .unwrap_or_default();
        errors::invalid_quantity(property, q.shown(), hint, examples)
    })
}

fn positive(property: &str, q: &Input<String>, v: f64) -> Result<(), InputError> {
    if v > 0.0 {
        Ok(())
    } else {
        Err(errors::quantity_not_positive(property, q.shown()))
    }
}

/// The number and what follows it.
fn split(text: &str) -> (&str, &str) {
    let start = usize::from(text.starts_with(['+', '-']));
    let end = text[start..]
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or(text.len(), |i| i + start);
    text.split_at(end)
}

/// The value of `[+-]digits[.digits]` (either side of `.` may be empty, not both).
fn number_value(number: &str) -> Option<f64> {
    let unsigned = number.strip_prefix(['+', '-']).unwrap_or(number);
    let (units, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (units.is_empty() && fraction.is_empty()) || !digits(units) || !digits(fraction) {
        return None;
    }
    number.parse().ok()
}

/// `[+-]digits`.
fn signed_digits(s: &str) -> Option<&str> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    (!unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// The quantities a memory size written with a unit Kubernetes does not
/// know probably meant: `512MB` → `"512M" or "512Mi"`.
fn memory_spelling(number: &str, suffix: &str) -> Option<String> {
    number_value(number)?;
    let unit = suffix.trim().to_ascii_lowercase();
    let unit = unit.trim_end_matches("ytes").trim_end_matches("yte");
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let (decimal, binary) = match unit {
        "k" => ("k", "Ki"),
        "m" => ("M", "Mi"),
        "g" => ("G", "Gi"),
        "t" => ("T", "Ti"),
        "p" => ("P", "Pi"),
        "e" => ("E", "Ei"),
        _ => return None,
    };
    Some(format!(
        "{:?} or {:?}",
        format!("{number}{decimal}"),
        format!("{number}{binary}")
    ))
}

/// The quantity a CPU written in cores or millicores probably meant:
/// `2cores` → `"2"`, `500mc` → `"500m"`.
fn cpu_spelling(number: &str, suffix: &str) -> Option<String> {
    number_value(number)?;
    let unit = suffix.trim().to_ascii_lowercase();
    let meant = match unit.as_str() {
        "core" | "cores" | "cpu" | "cpus" | "vcpu" | "vcpus" => number.to_string(),
        "mc" | "millicore" | "millicores" | "millicpu" | "mcpu" => format!("{number}m"),
        _ => return None,
    };
    Some(format!("{meant:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= b.abs() * 1e-12
    }

    #[test]
    fn the_grammar_reads_what_the_api_server_reads() {
        let cases: &[(&str, f64)] = &[
            ("250m", 0.25),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("1", 1.0),
            ("+2", 2.0),
            ("512Mi", 512.0 * 1_048_576.0),
            ("1Gi", 1_073_741_824.0),
            ("1G", 1e9),
            ("128974848", 128_974_848.0),
            ("129e6", 129e6),
            ("129E+6", 129e6),
            ("1.5k", 1500.0),
            ("1E", 1e18),
        ];
        for (text, expected) in cases {
            let got = value(text).unwrap_or_else(|| panic!("{text} is a quantity"));
            assert!(close(got, *expected), "{text}: {got} != {expected}");
        }
        for bad in [
            "", "512MB", "1GiB", "1K", "1g", "m", ".", "1.2.3", "1 Gi", "e3", "1e", "0.5cpu",
        ] {
            assert_eq!(value(bad), None, "{bad}");
        }
    }

    fn refused(
        check: fn(&str, Input<String>) -> Result<Input<String>, InputError>,
        v: &str,
    ) -> String {
        check("x", Input::plain(v.to_string()))
            .expect_err("refused")
            .message
    }

    #[test]
    fn a_wrong_unit_is_refused_with_the_spelling_meant() {
        let m = refused(memory, "512MB");
        assert!(m.contains("did you mean \"512M\" or \"512Mi\"?"), "{m}");
        let m = refused(memory, "2GiB");
        assert!(m.contains("\"2G\" or \"2Gi\""), "{m}");
        let m = refused(memory, "512m");
        assert!(
            m.contains("thousandths of a byte") && m.contains("\"512Mi\""),
            "{m}"
        );
        let m = refused(cpu, "2cores");
        assert!(m.contains("did you mean \"2\"?"), "{m}");
        let m = refused(cpu, "500mc");
        assert!(m.contains("did you mean \"500m\"?"), "{m}");
        let m = refused(cpu, "fast");
        assert!(!m.contains("did you mean"), "{m}");
        assert!(refused(cpu, "0").contains("more than zero"));
        assert!(refused(memory, "-1Gi").contains("more than zero"));
        let secret =
            launchpad_core::Value::Secret(Box::new(launchpad_core::Value::string("512MB")));
        let m = memory("x", Input::known(&secret).expect("a string"))
            .expect_err("refused")
            .message;
        assert!(m.contains("x=[secret]") && !m.contains("512"), "{m}");
        assert!(cpu("x", Input::plain("250m".into())).is_ok());
        assert!(memory("x", Input::plain("1Gi".into())).is_ok());
    }
}
