//! Cloud Run container sizes: the `cpu`, `memory` and `concurrency` of a
//! service's container, checked against Google's documented limits and the
//! way they constrain each other, so that a size Cloud Run would refuse
//! fails at preview with a message saying what to write instead.
//! [`CloudRunSize::new`] takes the values as the user wrote them and keeps
//! canonical strings (`"0.5"`, `"2Gi"`) for the child resource.
//!
//! Sources (Google Cloud documentation), quoted beside the rules below:
//! "Configure CPU limits for services" (run/docs/configuring/services/cpu),
//! "Configure memory limits for services" (run/docs/configuring/services/memory-limits),
//! "Maximum concurrent requests for services" (run/docs/about-concurrency).
//! The API's own refusals agree, e.g. "For 0.333 CPU, memory must be between
//! 128Mi and 512Mi inclusive" and "Invalid value specified for memory with
//! gen2 execution environment. For 1.0 CPU, memory must be between 512Mi and
//! 4Gi inclusive".

use launchpad_core::InputError;

use super::errors;

// CPU page: "The minimum vCPU setting is 0.08 vCPU"; "if you want to use
// less than 1 vCPU, you can select any value between 0.08 and 1, in
// increments of 0.001. Values greater than 1 must be integer values." (An
// older revision of the page said increments of 0.01; the API takes the
// finer steps — Cloud Run functions deploy services with 0.083 and 0.333.)
// Sizes are therefore counted in thousandths of a vCPU (millicpu).

/// The least cpu, in millicpu.
const MIN_MILLICPU: u32 = 80;
/// One vCPU, in millicpu.
const ONE_CPU: u32 = 1000;

// CPU page, "vCPU and memory table": 1, 2, 4, 6 and 8 vCPU are the whole
// sizes; "The maximum amount of vCPU you can configure is 8 vCPU."
/// Every whole cpu Cloud Run offers.
const WHOLE_CPUS: [u32; 5] = [1, 2, 4, 6, 8];

// Memory page: "The minimum memory setting varies ...: 128 MiB for first
// generation, 512 MiB for second generation"; "The maximum amount of memory
// you can configure is 32 gibibyte (32 Gi)." We hold every size to the
// second generation's minimum.
/// The least memory, in MiB.
const MIN_MEMORY_MIB: u32 = 512;
/// The most memory, in MiB.
const MAX_MEMORY_MIB: u32 = 32 * 1024;

/// Memory above `.0` MiB needs at least `.1` millicpu.
// Memory page, "Required minimum CPUs": "More than 4 GiB: 2; More than
// 8 GiB: 4; More than 16 GiB: 6; More than 24 GiB: 8". CPU page, for less
// than 1 vCPU: "A minimum of 0.5 vCPU is needed to set a memory limit
// greater than 512MiB. A minimum of 1 vCPU is needed to set a memory limit
// greater than 1GiB."
const CPU_FOR_MEMORY: [(u32, u32); 6] = [
    (512, 500),
    (1024, ONE_CPU),
    (4 * 1024, 2000),
    (8 * 1024, 4000),
    (16 * 1024, 6000),
    (24 * 1024, 8000),
];

/// A cpu of `.0` millicpu needs at least `.1` MiB of memory.
// CPU page, "vCPU and memory table": "4 vCPU: 2 to 16 GiB; 6 vCPU: 4 to
// 24 GiB; 8 vCPU: 4 to 32 GiB" (1 and 2 vCPU: "up to" 4 and 8 GiB).
const MEMORY_FOR_CPU: [(u32, u32); 3] = [(4000, 2 * 1024), (6000, 4 * 1024), (8000, 4 * 1024)];

// Concurrency page: "By default each Cloud Run instance can receive up to
// 80 requests at the same time; you can increase this to a maximum of
// 1000." CPU page, for less than 1 vCPU: "Maximum concurrency must be set
// to 1."
/// The most concurrent requests per instance.
const MAX_CONCURRENCY: u32 = 1000;

/// A valid Cloud Run container size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudRunSize {
    /// vCPUs, canonical: `"0.08"`, `"0.5"`, `"1"`, `"2"`.
    pub cpu: String,
    /// vCPUs in thousandths (`500` for `"0.5"`).
    pub millicpu: u32,
    /// Memory, canonical: `"768Mi"`, or whole GiB as `"2Gi"`.
    pub memory: String,
    /// Memory in MiB.
    pub memory_mib: u32,
    /// Most requests one instance serves at a time.
    pub concurrency: u32,
}

impl CloudRunSize {
    /// Validate as the user wrote them (numbers from the SDK are f64).
    ///
    /// `cpu` is a decimal (`"0.5"`, `".08"`, `"2"`) or millicpu (`"500m"`).
    /// `memory` is a whole number of `Mi` or `Gi`: Cloud Run's limits are in
    /// binary units, and its API reads `M`/`G` as decimal (10^6/10^9
    /// bytes, so `"4G"` is not `"4Gi"`), so those are refused with the
    /// binary spelling suggested. Errors name the property the user should
    /// change: a malformed or out-of-range value names itself; memory that
    /// does not fit the cpu names `memory` and says the cpu it needs;
    /// concurrency above 1 with less than one vCPU names `concurrency`.
    pub fn new(cpu: &str, memory: &str, concurrency: f64) -> Result<CloudRunSize, InputError> {
        // The user's own spelling, quoted, in every message.
        let (cpu_shown, memory_shown) = (format!("{cpu:?}"), format!("{memory:?}"));
        let millicpu = parse_cpu(cpu).map_err(|why| errors::invalid_cpu(&cpu_shown, why))?;
        let memory_mib =
            parse_memory(memory).map_err(|why| errors::invalid_memory(&memory_shown, why))?;
        let concurrency_n = whole(concurrency)
            .filter(|c| (1..=MAX_CONCURRENCY).contains(c))
            .ok_or_else(|| errors::invalid_concurrency(concurrency))?;

        // Memory is checked against cpu before concurrency, and its message
        // suggests a cpu that also serves the concurrency, so following any
        // one suggestion never leads into the other error.
        let (least, most) = (least_memory_for(millicpu), most_memory_for(millicpu));
        if memory_mib > most {
            let needed = least_cpu_for(memory_mib);
            let (suggested, for_concurrency) = if needed < ONE_CPU && concurrency_n > 1 {
                (ONE_CPU, format!(" (1 for concurrency={concurrency_n})"))
            } else {
                (needed, String::new())
            };
            let lower_to = if least == most {
                format!("{:?}", format_memory(most))
            } else {
                format!("{:?} or less", format_memory(most))
            };
            return Err(errors::memory_needs_more_cpu(
                &memory_shown,
                format_cpu(needed),
                &cpu_shown,
                describe_range(least, most),
                lower_to,
                format!("{:?}", format_cpu(suggested)),
                for_concurrency,
            ));
        }
        if memory_mib < least {
            // The largest whole cpu this memory fits; 2 takes 512Mi to 8Gi,
            // so there always is one.
            let smaller = WHOLE_CPUS
                .iter()
                .map(|c| c * ONE_CPU)
                .filter(|c| (least_memory_for(*c)..=most_memory_for(*c)).contains(&memory_mib))
                .max()
                .unwrap_or(2 * ONE_CPU);
            return Err(errors::memory_too_little_for_cpu(
                &memory_shown,
                &cpu_shown,
                describe_range(least, most),
                format!("{:?}", format_memory(least)),
                format!("{:?}", format_cpu(smaller)),
            ));
        }
        if millicpu < ONE_CPU && concurrency_n > 1 {
            return Err(errors::concurrency_needs_whole_cpu(concurrency, &cpu_shown));
        }
        Ok(CloudRunSize {
            cpu: format_cpu(millicpu),
            millicpu,
            memory: format_memory(memory_mib),
            memory_mib,
            concurrency: concurrency_n,
        })
    }

    /// Whether the cpu is less than one vCPU. Beyond concurrency 1 (checked
    /// by [`CloudRunSize::new`]), Cloud Run then also requires
    /// request-based billing (`cpuIdle: true`; otherwise "Total cpu < 1 is
    /// not supported with cpu always allocated") and "the first generation
    /// execution environment" (CPU page), so a service of this size must not
    /// ask for `EXECUTION_ENVIRONMENT_GEN2`.
    pub fn is_fractional(&self) -> bool {
        self.millicpu < ONE_CPU
    }
}

/// The least cpu (millicpu) that takes `memory_mib`.
fn least_cpu_for(memory_mib: u32) -> u32 {
    CPU_FOR_MEMORY
        .iter()
        .filter(|(above, _)| memory_mib > *above)
        .map(|(_, cpu)| *cpu)
        .max()
        .unwrap_or(MIN_MILLICPU)
}

/// The most memory (MiB) a cpu of `millicpu` takes.
fn most_memory_for(millicpu: u32) -> u32 {
    CPU_FOR_MEMORY
        .iter()
        .filter(|(_, cpu)| *cpu > millicpu)
        .map(|(above, _)| *above)
        .min()
        .unwrap_or(MAX_MEMORY_MIB)
}

/// The least memory (MiB) a cpu of `millicpu` takes.
fn least_memory_for(millicpu: u32) -> u32 {
    MEMORY_FOR_CPU
        .iter()
        .find(|(cpu, _)| *cpu == millicpu)
        .map_or(MIN_MEMORY_MIB, |(_, least)| *least)
}

/// `cpu` in millicpu, or why it is not a Cloud Run cpu (a phrase that
/// follows `cpu="…"`).
fn parse_cpu(cpu: &str) -> Result<u32, String> {
    const NOT_A_NUMBER: &str = "is not a number of vCPUs";
    let millicpu = if let Some(milli) = cpu.strip_suffix('m') {
        digits_value(milli).ok_or(NOT_A_NUMBER)?
    } else {
        let (units, fraction) = cpu.split_once('.').unwrap_or((cpu, ""));
        let dotted = cpu.contains('.');
        let units_ok = units.bytes().all(|b| b.is_ascii_digit()) && (dotted || !units.is_empty());
        let fraction_ok =
            fraction.bytes().all(|b| b.is_ascii_digit()) && (!dotted || !fraction.is_empty());
        if !units_ok || !fraction_ok || (units.is_empty() && fraction.is_empty()) {
            return Err(NOT_A_NUMBER.into());
        }
        let (thousandths, finer) = fraction.split_at(fraction.len().min(3));
        if finer.bytes().any(|b| b != b'0') {
            return Err("is finer than Cloud Run's steps of 0.001".into());
        }
        let thousandths = format!("{thousandths:0<3}");
        let units = if units.is_empty() {
            Some(0)
        } else {
            digits_value(units)
        };
        units
            .and_then(|u| u.checked_mul(u64::from(ONE_CPU)))
            .and_then(|u| u.checked_add(digits_value(&thousandths)?))
            .unwrap_or(u64::MAX)
    };
    let most = u64::from(WHOLE_CPUS[WHOLE_CPUS.len() - 1] * ONE_CPU);
    if millicpu < u64::from(MIN_MILLICPU) {
        Err("is below Cloud Run's minimum of 0.08".into())
    } else if millicpu > most {
        Err("is above Cloud Run's maximum of 8".into())
    } else if millicpu > u64::from(ONE_CPU) && millicpu % u64::from(ONE_CPU) != 0 {
        Err("is above 1 but not whole".into())
    } else if millicpu > u64::from(ONE_CPU)
        && !WHOLE_CPUS
            .iter()
            .any(|c| u64::from(c * ONE_CPU) == millicpu)
    {
        Err("is not a whole size Cloud Run offers".into())
    } else {
        // At most 8000 here.
        u32::try_from(millicpu).map_err(|_| "is above Cloud Run's maximum of 8".to_string())
    }
}

/// `memory` in MiB, or why it is not a Cloud Run memory size (a phrase that
/// follows `memory="…"`).
fn parse_memory(memory: &str) -> Result<u32, String> {
    let split = memory
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(memory.len());
    let (number, unit) = memory.split_at(split);
    let (units, fraction) = number.split_once('.').unwrap_or((number, ""));
    if units.is_empty()
        || units.contains('.')
        || fraction.contains('.')
        || (number.contains('.') && fraction.is_empty())
    {
        return Err("is not a memory size".into());
    }
    let mib_per_unit: u64 = match unit {
        "Mi" => 1,
        "Gi" => 1024,
        _ => {
            let guess = guess_binary(number, unit);
            let hint = guess
                .map(|g| format!(" (did you mean {g:?}?)"))
                .unwrap_or_default();
            return Err(match unit {
                "" => format!("has no unit; write Mi or Gi{hint}"),
                "M" | "G" => format!(
                    "is in decimal {}bytes; write binary units, Mi or Gi{hint}",
                    if unit == "G" { "giga" } else { "mega" }
                ),
                _ => format!("is not in Mi or Gi{hint}"),
            });
        }
    };
    if !fraction.is_empty() {
        let hint = exact_mib(units, fraction, mib_per_unit)
            .filter(|mib| (u64::from(MIN_MEMORY_MIB)..=u64::from(MAX_MEMORY_MIB)).contains(mib))
            .map(|mib| format!(" (did you mean {:?}?)", format!("{mib}Mi")))
            .unwrap_or_default();
        return Err(format!("is not a whole number of {unit}{hint}"));
    }
    let mib = digits_value(units)
        .and_then(|n| n.checked_mul(mib_per_unit))
        .unwrap_or(u64::MAX);
    if mib < u64::from(MIN_MEMORY_MIB) {
        Err("is below the minimum of 512Mi".into())
    } else {
        u32::try_from(mib)
            .ok()
            .filter(|mib| *mib <= MAX_MEMORY_MIB)
            .ok_or_else(|| "is above Cloud Run's maximum of 32Gi".into())
    }
}

/// The binary spelling of a size written with another unit, if it is a
/// valid size: `"2G"`/`"2GB"` → `"2Gi"`, `"512M"` → `"512Mi"`, and a bare
/// number as Gi when small, else as Mi.
fn guess_binary(number: &str, unit: &str) -> Option<String> {
    let unit = match unit.to_ascii_lowercase().as_str() {
        "g" | "gb" | "gi" | "gib" => "Gi",
        "m" | "mb" | "mi" | "mib" => "Mi",
        "" if digits_value(number).is_some_and(|n| n <= 32) => "Gi",
        "" => "Mi",
        _ => return None,
    };
    let guess = format!("{number}{unit}");
    parse_memory(&guess).is_ok().then_some(guess)
}

/// `units.fraction` × `mib_per_unit` as whole MiB, if it is whole.
fn exact_mib(units: &str, fraction: &str, mib_per_unit: u64) -> Option<u64> {
    let scale = 10u64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let scaled = digits_value(units)?
        .checked_mul(scale)?
        .checked_add(digits_value(fraction)?)?
        .checked_mul(mib_per_unit)?;
    scaled.is_multiple_of(scale).then_some(scaled / scale)
}

/// The value of a non-empty run of ASCII digits; `None` for anything else
/// or on overflow.
fn digits_value(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `value` as a u32 if it is a whole number in range.
fn whole(value: f64) -> Option<u32> {
    let in_range =
        value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value);
    // The checks above make the cast exact.
    in_range.then_some(value as u32)
}

/// `"0.08"`, `"0.5"`, `"1"`, `"8"`.
fn format_cpu(millicpu: u32) -> String {
    if millicpu.is_multiple_of(ONE_CPU) {
        (millicpu / ONE_CPU).to_string()
    } else {
        let decimal = format!("{}.{:03}", millicpu / ONE_CPU, millicpu % ONE_CPU);
        decimal.trim_end_matches('0').to_string()
    }
}

/// `"768Mi"`, or `"2Gi"` for whole GiB.
fn format_memory(mib: u32) -> String {
    if mib.is_multiple_of(1024) {
        format!("{}Gi", mib / 1024)
    } else {
        format!("{mib}Mi")
    }
}

/// `"512Mi to 4Gi"`, or `"only 512Mi"`.
fn describe_range(least: u32, most: u32) -> String {
    if least == most {
        format!("only {}", format_memory(least))
    } else {
        format!("{} to {}", format_memory(least), format_memory(most))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Cloud Run's documented sizes written out independently of the rules
    /// above, as the CPU page's "vCPU and memory table" plus its fractional
    /// rows (< 0.5 vCPU: at most 512MiB; < 1 vCPU: at most 1GiB and
    /// concurrency 1), with the second generation's 512 MiB floor. `cpu` is
    /// in ten-thousandths of a vCPU so that values between the 0.001 steps
    /// can be asked about.
    fn documented(cpu: u32, memory_mib: u32, concurrency: u32) -> bool {
        let gib = |n: u32| n * 1024;
        if !cpu.is_multiple_of(10) {
            return false;
        }
        let (least, most) = match cpu / 10 {
            80..=499 => (512, 512),
            500..=999 => (512, gib(1)),
            1000 => (512, gib(4)),
            2000 => (512, gib(8)),
            4000 => (gib(2), gib(16)),
            6000 => (gib(4), gib(24)),
            8000 => (gib(4), gib(32)),
            _ => return false,
        };
        (least..=most).contains(&memory_mib)
            && (1..=1000).contains(&concurrency)
            && (cpu >= 10_000 || concurrency == 1)
    }

    fn size(cpu: &str, memory: &str, concurrency: f64) -> CloudRunSize {
        CloudRunSize::new(cpu, memory, concurrency).unwrap_or_else(|e| {
            panic!(
                "cpu={cpu} memory={memory} concurrency={concurrency}: {}",
                e.message
            )
        })
    }

    #[test]
    fn good_sizes_come_out_canonical() {
        // (cpu, memory, concurrency) → (cpu, millicpu, memory, MiB)
        let cases: &[(&str, &str, f64, &str, u32, &str, u32)] = &[
            ("1", "512Mi", 80.0, "1", 1000, "512Mi", 512),
            ("1.0", "1024Mi", 80.0, "1", 1000, "1Gi", 1024),
            ("1.000", "4Gi", 1000.0, "1", 1000, "4Gi", 4096),
            ("0.08", "512Mi", 1.0, "0.08", 80, "512Mi", 512),
            (".08", "512Mi", 1.0, "0.08", 80, "512Mi", 512),
            ("0.080", "512Mi", 1.0, "0.08", 80, "512Mi", 512),
            ("80m", "512Mi", 1.0, "0.08", 80, "512Mi", 512),
            ("0.333", "512Mi", 1.0, "0.333", 333, "512Mi", 512),
            ("0.4990", "512Mi", 1.0, "0.499", 499, "512Mi", 512),
            ("0.5", "513Mi", 1.0, "0.5", 500, "513Mi", 513),
            ("500m", "1Gi", 1.0, "0.5", 500, "1Gi", 1024),
            ("0.999", "1Gi", 1.0, "0.999", 999, "1Gi", 1024),
            ("1000m", "4Gi", 80.0, "1", 1000, "4Gi", 4096),
            ("2", "4097Mi", 80.0, "2", 2000, "4097Mi", 4097),
            ("2", "8Gi", 1.0, "2", 2000, "8Gi", 8192),
            ("4", "2Gi", 80.0, "4", 4000, "2Gi", 2048),
            ("4", "16Gi", 80.0, "4", 4000, "16Gi", 16384),
            ("6", "4Gi", 250.0, "6", 6000, "4Gi", 4096),
            ("6", "24Gi", 80.0, "6", 6000, "24Gi", 24576),
            ("8", "4Gi", 80.0, "8", 8000, "4Gi", 4096),
            ("8", "24577Mi", 80.0, "8", 8000, "24577Mi", 24577),
            ("8.0", "32Gi", 80.0, "8", 8000, "32Gi", 32768),
            ("2", "0512Mi", 80.0, "2", 2000, "512Mi", 512),
        ];
        for (cpu, memory, concurrency, canonical_cpu, millicpu, canonical_memory, mib) in cases {
            let got = size(cpu, memory, *concurrency);
            assert_eq!(
                got,
                CloudRunSize {
                    cpu: canonical_cpu.to_string(),
                    millicpu: *millicpu,
                    memory: canonical_memory.to_string(),
                    memory_mib: *mib,
                    concurrency: *concurrency as u32,
                },
                "cpu={cpu} memory={memory}"
            );
            assert_eq!(got.is_fractional(), *millicpu < 1000);
            // The canonical strings are themselves valid and mean the same.
            assert_eq!(size(&got.cpu, &got.memory, *concurrency), got);
        }
    }

    #[test]
    fn bad_sizes_say_what_to_write() {
        let cpu_valid = "valid: 0.08 to 1 in steps of 0.001, or 1, 2, 4, 6, 8";
        let memory_valid = "valid: 512Mi to 32Gi, as a whole number of Mi or Gi";
        let concurrency_valid = "valid: a whole number from 1 to 1000";
        let cases: &[(&str, &str, f64, &str, String)] = &[
            // cpu on its own
            ("0.05", "512Mi", 1.0, "cpu", format!("cpu=\"0.05\" is below Cloud Run's minimum of 0.08; {cpu_valid}")),
            ("0", "512Mi", 1.0, "cpu", format!("cpu=\"0\" is below Cloud Run's minimum of 0.08; {cpu_valid}")),
            ("0.0805", "512Mi", 1.0, "cpu", format!("cpu=\"0.0805\" is finer than Cloud Run's steps of 0.001; {cpu_valid}")),
            ("1.5", "2Gi", 80.0, "cpu", format!("cpu=\"1.5\" is above 1 but not whole; {cpu_valid}")),
            ("3", "2Gi", 80.0, "cpu", format!("cpu=\"3\" is not a whole size Cloud Run offers; {cpu_valid}")),
            ("16", "32Gi", 80.0, "cpu", format!("cpu=\"16\" is above Cloud Run's maximum of 8; {cpu_valid}")),
            ("99999999999999999999999", "512Mi", 1.0, "cpu", format!("cpu=\"99999999999999999999999\" is above Cloud Run's maximum of 8; {cpu_valid}")),
            ("two", "512Mi", 1.0, "cpu", format!("cpu=\"two\" is not a number of vCPUs; {cpu_valid}")),
            ("", "512Mi", 1.0, "cpu", format!("cpu=\"\" is not a number of vCPUs; {cpu_valid}")),
            ("-1", "512Mi", 1.0, "cpu", format!("cpu=\"-1\" is not a number of vCPUs; {cpu_valid}")),
            ("1.", "512Mi", 1.0, "cpu", format!("cpu=\"1.\" is not a number of vCPUs; {cpu_valid}")),
            (".", "512Mi", 1.0, "cpu", format!("cpu=\".\" is not a number of vCPUs; {cpu_valid}")),
            (" 1", "512Mi", 1.0, "cpu", format!("cpu=\" 1\" is not a number of vCPUs; {cpu_valid}")),
            ("1e0", "512Mi", 1.0, "cpu", format!("cpu=\"1e0\" is not a number of vCPUs; {cpu_valid}")),
            ("0.5m", "512Mi", 1.0, "cpu", format!("cpu=\"0.5m\" is not a number of vCPUs; {cpu_valid}")),
            // memory on its own
            ("1", "256Mi", 80.0, "memory", format!("memory=\"256Mi\" is below the minimum of 512Mi; {memory_valid}")),
            ("1", "0Gi", 80.0, "memory", format!("memory=\"0Gi\" is below the minimum of 512Mi; {memory_valid}")),
            ("8", "33Gi", 80.0, "memory", format!("memory=\"33Gi\" is above Cloud Run's maximum of 32Gi; {memory_valid}")),
            ("8", "99999999999999999999Gi", 80.0, "memory", format!("memory=\"99999999999999999999Gi\" is above Cloud Run's maximum of 32Gi; {memory_valid}")),
            ("1", "2G", 80.0, "memory", format!("memory=\"2G\" is in decimal gigabytes; write binary units, Mi or Gi (did you mean \"2Gi\"?); {memory_valid}")),
            ("1", "512M", 80.0, "memory", format!("memory=\"512M\" is in decimal megabytes; write binary units, Mi or Gi (did you mean \"512Mi\"?); {memory_valid}")),
            ("8", "64G", 80.0, "memory", format!("memory=\"64G\" is in decimal gigabytes; write binary units, Mi or Gi; {memory_valid}")),
            ("1", "2GB", 80.0, "memory", format!("memory=\"2GB\" is not in Mi or Gi (did you mean \"2Gi\"?); {memory_valid}")),
            ("1", "2gi", 80.0, "memory", format!("memory=\"2gi\" is not in Mi or Gi (did you mean \"2Gi\"?); {memory_valid}")),
            ("1", "1Ti", 80.0, "memory", format!("memory=\"1Ti\" is not in Mi or Gi; {memory_valid}")),
            ("1", "512", 80.0, "memory", format!("memory=\"512\" has no unit; write Mi or Gi (did you mean \"512Mi\"?); {memory_valid}")),
            ("1", "2", 80.0, "memory", format!("memory=\"2\" has no unit; write Mi or Gi (did you mean \"2Gi\"?); {memory_valid}")),
            ("1", "1.5Gi", 80.0, "memory", format!("memory=\"1.5Gi\" is not a whole number of Gi (did you mean \"1536Mi\"?); {memory_valid}")),
            ("1", "1.1Gi", 80.0, "memory", format!("memory=\"1.1Gi\" is not a whole number of Gi; {memory_valid}")),
            ("1", "512.5Mi", 80.0, "memory", format!("memory=\"512.5Mi\" is not a whole number of Mi; {memory_valid}")),
            ("1", "Gi", 80.0, "memory", format!("memory=\"Gi\" is not a memory size; {memory_valid}")),
            ("1", "1.Gi", 80.0, "memory", format!("memory=\"1.Gi\" is not a memory size; {memory_valid}")),
            ("1", "", 80.0, "memory", format!("memory=\"\" is not a memory size; {memory_valid}")),
            // concurrency on its own
            ("1", "512Mi", 0.0, "concurrency", format!("concurrency=0 is not valid; {concurrency_valid}")),
            ("1", "512Mi", 1001.0, "concurrency", format!("concurrency=1001 is not valid; {concurrency_valid}")),
            ("1", "512Mi", 2.5, "concurrency", format!("concurrency=2.5 is not valid; {concurrency_valid}")),
            ("1", "512Mi", -80.0, "concurrency", format!("concurrency=-80 is not valid; {concurrency_valid}")),
            ("1", "512Mi", f64::NAN, "concurrency", format!("concurrency=NaN is not valid; {concurrency_valid}")),
            // memory too large for the cpu
            ("1", "8Gi", 80.0, "memory", "memory=\"8Gi\" needs cpu of at least 2 (cpu=\"1\" takes 512Mi to 4Gi); set memory=\"4Gi\" or less, or cpu=\"2\"".into()),
            ("1", "4097Mi", 80.0, "memory", "memory=\"4097Mi\" needs cpu of at least 2 (cpu=\"1\" takes 512Mi to 4Gi); set memory=\"4Gi\" or less, or cpu=\"2\"".into()),
            ("2", "9Gi", 80.0, "memory", "memory=\"9Gi\" needs cpu of at least 4 (cpu=\"2\" takes 512Mi to 8Gi); set memory=\"8Gi\" or less, or cpu=\"4\"".into()),
            ("4", "17Gi", 80.0, "memory", "memory=\"17Gi\" needs cpu of at least 6 (cpu=\"4\" takes 2Gi to 16Gi); set memory=\"16Gi\" or less, or cpu=\"6\"".into()),
            ("6", "25Gi", 80.0, "memory", "memory=\"25Gi\" needs cpu of at least 8 (cpu=\"6\" takes 4Gi to 24Gi); set memory=\"24Gi\" or less, or cpu=\"8\"".into()),
            ("0.5", "2Gi", 1.0, "memory", "memory=\"2Gi\" needs cpu of at least 1 (cpu=\"0.5\" takes 512Mi to 1Gi); set memory=\"1Gi\" or less, or cpu=\"1\"".into()),
            ("0.25", "1Gi", 1.0, "memory", "memory=\"1Gi\" needs cpu of at least 0.5 (cpu=\"0.25\" takes only 512Mi); set memory=\"512Mi\", or cpu=\"0.5\"".into()),
            ("0.25", "1Gi", 80.0, "memory", "memory=\"1Gi\" needs cpu of at least 0.5 (cpu=\"0.25\" takes only 512Mi); set memory=\"512Mi\", or cpu=\"1\" (1 for concurrency=80)".into()),
            ("0.5", "8Gi", 80.0, "memory", "memory=\"8Gi\" needs cpu of at least 2 (cpu=\"0.5\" takes 512Mi to 1Gi); set memory=\"1Gi\" or less, or cpu=\"2\"".into()),
            // memory too small for the cpu
            ("4", "1Gi", 80.0, "memory", "memory=\"1Gi\" is too little for cpu=\"4\" (cpu=\"4\" takes 2Gi to 16Gi); set memory=\"2Gi\" or more, or cpu=\"2\"".into()),
            ("6", "3Gi", 80.0, "memory", "memory=\"3Gi\" is too little for cpu=\"6\" (cpu=\"6\" takes 4Gi to 24Gi); set memory=\"4Gi\" or more, or cpu=\"4\"".into()),
            ("8", "512Mi", 80.0, "memory", "memory=\"512Mi\" is too little for cpu=\"8\" (cpu=\"8\" takes 4Gi to 32Gi); set memory=\"4Gi\" or more, or cpu=\"2\"".into()),
            ("8.0", "4095Mi", 80.0, "memory", "memory=\"4095Mi\" is too little for cpu=\"8.0\" (cpu=\"8.0\" takes 4Gi to 32Gi); set memory=\"4Gi\" or more, or cpu=\"4\"".into()),
            // less than one vCPU serves one request at a time
            ("0.5", "512Mi", 80.0, "concurrency", "concurrency=80 needs cpu of at least 1 (cpu=\"0.5\" serves one request at a time); set concurrency=1 or cpu=\"1\"".into()),
            ("999m", "1Gi", 2.0, "concurrency", "concurrency=2 needs cpu of at least 1 (cpu=\"999m\" serves one request at a time); set concurrency=1 or cpu=\"1\"".into()),
        ];
        for (cpu, memory, concurrency, property, message) in cases {
            let e = CloudRunSize::new(cpu, memory, *concurrency).expect_err("a bad size passed");
            assert_eq!(
                (e.property.as_str(), e.message.as_str()),
                (*property, message.as_str()),
                "cpu={cpu:?} memory={memory:?} concurrency={concurrency}"
            );
        }
    }

    #[test]
    fn every_suggestion_is_a_size_that_passes() {
        // Apply each suggested fix and check that it leads to a valid size.
        let cases: &[(&str, &str, f64)] = &[
            ("1", "8Gi", 80.0),
            ("0.25", "1Gi", 80.0),
            ("0.25", "1Gi", 1.0),
            ("0.5", "8Gi", 80.0),
            ("4", "1Gi", 80.0),
            ("6", "3Gi", 80.0),
            ("8", "512Mi", 80.0),
            ("0.5", "512Mi", 80.0),
        ];
        for (cpu, memory, concurrency) in cases {
            let e = CloudRunSize::new(cpu, memory, *concurrency).expect_err("a bad size passed");
            let quoted = |key: &str| -> String {
                let at =
                    e.message.rfind(&format!("{key}=\"")).expect("a suggestion") + key.len() + 2;
                e.message[at..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            };
            let suggested_cpu = quoted("cpu");
            assert!(
                CloudRunSize::new(&suggested_cpu, memory, *concurrency).is_ok(),
                "{}",
                e.message
            );
            if e.property == "memory" {
                let suggested_memory = quoted("memory");
                let fixed = CloudRunSize::new(cpu, &suggested_memory, *concurrency);
                // Lowering memory below 1 vCPU can still leave concurrency to fix.
                assert!(
                    fixed.is_ok() || fixed.is_err_and(|e| e.property == "concurrency"),
                    "{}",
                    e.message
                );
            } else {
                assert!(CloudRunSize::new(cpu, memory, 1.0).is_ok(), "{}", e.message);
            }
        }
    }

    /// A cpu string and its value in ten-thousandths of a vCPU (`None` when
    /// it is not a number at all), spelled the ways users write cpu.
    fn any_cpu() -> impl Strategy<Value = (String, Option<u32>)> {
        // Weighted towards the documented sizes and the edges between them,
        // where the memory caps change.
        let edges = vec![
            790, 800, 810, 4_990, 5_000, 5_010, 9_990, 10_000, 20_000, 30_000, 40_000, 60_000,
            80_000, 90_000,
        ];
        let value = prop_oneof![
            3 => proptest::sample::select(edges),
            1 => (0u32..=12).prop_map(|whole| whole * 10_000),
            1 => (0u32..=1_100).prop_map(|thousandths| thousandths * 10),
            1 => 0u32..=100_000,
        ];
        let spelled = (value, 0u8..4).prop_map(|(v, style)| {
            let (units, fraction) = (v / 10_000, v % 10_000);
            let text = match style {
                // Shortest decimal: "0.5", "2", "0.0805".
                0 if fraction == 0 => units.to_string(),
                0 => format!("{units}.{}", format!("{fraction:04}").trim_end_matches('0')),
                // Four decimals: "0.5000".
                1 => format!("{units}.{fraction:04}"),
                // Millicpu, when whole: "500m".
                2 if v % 10 == 0 => format!("{}m", v / 10),
                // Leading dot below 1: ".5".
                3 if units == 0 && fraction != 0 => {
                    format!(".{}", format!("{fraction:04}").trim_end_matches('0'))
                }
                _ => format!("{units}.{fraction:04}"),
            };
            (text, Some(v))
        });
        let garbage = proptest::sample::select(vec![
            "", "one", "-1", "1e0", "1.", " 1", "0,5", "2.0.0", "+1", "0x1",
        ])
        .prop_map(|s| (s.to_string(), None));
        prop_oneof![9 => spelled, 1 => garbage]
    }

    /// A memory string and its size in MiB (`None` when it is not written
    /// in whole Mi or Gi).
    fn any_memory() -> impl Strategy<Value = (String, Option<u32>)> {
        // Each documented limit, one MiB either side of it, and on it.
        let edges: Vec<u32> = [512, 1024, 2048, 4096, 8192, 16_384, 24_576, 32_768]
            .into_iter()
            .flat_map(|limit| [limit - 1, limit, limit + 1])
            .collect();
        prop_oneof![
            3 => proptest::sample::select(edges).prop_map(|n| (format!("{n}Mi"), Some(n))),
            1 => (0u32..=40).prop_map(|n| (format!("{n}Gi"), Some(n * 1024))),
            1 => (0u32..=320).prop_map(|n| (format!("{}Mi", n * 128), Some(n * 128))),
            1 => (0u32..=40_000).prop_map(|n| (format!("{n}Mi"), Some(n))),
            1 => (0u32..=40, proptest::sample::select(vec!["G", "M", "GB", "gi", "", "Ki"]))
                .prop_map(|(n, unit)| (format!("{n}{unit}"), None)),
            1 => (0u32..=40, 1u32..10).prop_map(|(n, tenth)| (format!("{n}.{tenth}Gi"), None)),
        ]
    }

    fn any_concurrency() -> impl Strategy<Value = f64> {
        prop_oneof![
            9 => (1u32..=1200).prop_map(f64::from),
            1 => -10.0f64..1300.0,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn a_size_passes_iff_google_documents_it(
            (cpu, cpu_value) in any_cpu(),
            (memory, memory_mib) in any_memory(),
            concurrency in any_concurrency(),
        ) {
            let concurrency_n = whole(concurrency);
            let expected = match (cpu_value, memory_mib, concurrency_n) {
                (Some(c), Some(m), Some(n)) if documented(c, m, n) => Some((c / 10, m, n)),
                _ => None,
            };
            match CloudRunSize::new(&cpu, &memory, concurrency) {
                Ok(size) => {
                    prop_assert_eq!(
                        Some((size.millicpu, size.memory_mib, size.concurrency)),
                        expected
                    );
                    prop_assert_eq!(CloudRunSize::new(&size.cpu, &size.memory, concurrency), Ok(size.clone()));
                }
                Err(e) => {
                    prop_assert_eq!(expected, None);
                    // Each value on its own, as the docs state it.
                    let cpu_ok = cpu_value.is_some_and(|c| {
                        c % 10 == 0 && ((800..=10_000).contains(&c) || [20_000, 40_000, 60_000, 80_000].contains(&c))
                    });
                    let memory_ok = memory_mib.is_some_and(|m| (512..=32 * 1024).contains(&m));
                    let concurrency_ok = concurrency_n.is_some_and(|n| (1..=1000).contains(&n));
                    let property = if !cpu_ok {
                        "cpu"
                    } else if !memory_ok {
                        "memory"
                    } else if !concurrency_ok {
                        "concurrency"
                    } else if cpu_value.zip(memory_mib).is_some_and(|(c, m)| !documented(c, m, 1)) {
                        "memory"
                    } else {
                        "concurrency"
                    };
                    prop_assert_eq!(e.property.as_str(), property, "{}", e.message);
                    prop_assert!(e.message.starts_with(&format!("{property}=")), "{}", e.message);
                }
            }
        }
    }
}
