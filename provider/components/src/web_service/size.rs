//! Fargate task sizes: the cpu/memory pairs ECS accepts, and errors that
//! say which pair to write instead. The table is AWS's ("Task CPU and
//! memory", Amazon ECS developer guide); a pair outside it fails at preview
//! rather than at `RegisterTaskDefinition`.

use launchpad_core::InputError;

use super::errors;

/// The memory sizes one cpu value accepts.
enum MemoryChoices {
    /// Exactly these, in MiB.
    List(&'static [u32]),
    /// `min..=max` MiB in steps of `step`.
    Range { min: u32, max: u32, step: u32 },
}

impl MemoryChoices {
    fn all(&self) -> Vec<u32> {
        match *self {
            MemoryChoices::List(values) => values.to_vec(),
            MemoryChoices::Range { min, max, step } => (min..=max).step_by(step as usize).collect(),
        }
    }

    fn describe(&self) -> String {
        match *self {
            MemoryChoices::List(values) => {
                let values: Vec<String> = values.iter().map(u32::to_string).collect();
                format!("{} MiB", values.join(", "))
            }
            MemoryChoices::Range { min, max, step } => {
                format!("{min} to {max} MiB in steps of {step}")
            }
        }
    }
}

/// cpu units → the memory (MiB) valid with it.
const SIZES: [(u32, MemoryChoices); 7] = [
    (256, MemoryChoices::List(&[512, 1024, 2048])),
    (
        512,
        MemoryChoices::Range {
            min: 1024,
            max: 4096,
            step: 1024,
        },
    ),
    (
        1024,
        MemoryChoices::Range {
            min: 2048,
            max: 8192,
            step: 1024,
        },
    ),
    (
        2048,
        MemoryChoices::Range {
            min: 4096,
            max: 16384,
            step: 1024,
        },
    ),
    (
        4096,
        MemoryChoices::Range {
            min: 8192,
            max: 30720,
            step: 1024,
        },
    ),
    (
        8192,
        MemoryChoices::Range {
            min: 16384,
            max: 61440,
            step: 4096,
        },
    ),
    (
        16384,
        MemoryChoices::Range {
            min: 32768,
            max: 122880,
            step: 8192,
        },
    ),
];

/// The least and most memory (MiB) any Fargate task has.
const MIN_MEMORY_MIB: u32 = 512;
const MAX_MEMORY_MIB: u32 = 122880;

/// A valid Fargate task size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FargateSize {
    /// CPU units (1024 = 1 vCPU).
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
}

impl FargateSize {
    /// Every valid cpu value.
    pub const CPUS: [u32; 7] = [256, 512, 1024, 2048, 4096, 8192, 16384];

    /// Validate a cpu/memory pair as the user wrote them (numbers from the
    /// SDK are f64). A bad cpu names `cpu`; a bad memory for a valid cpu
    /// names `memory` and says what would fit.
    pub fn new(cpu: f64, memory: f64) -> Result<FargateSize, InputError> {
        let Some((cpu_units, choices)) =
            whole(cpu).and_then(|c| SIZES.iter().find(|(units, _)| *units == c))
        else {
            let valid: Vec<String> = Self::CPUS.iter().map(u32::to_string).collect();
            return Err(errors::cpu_not_a_fargate_size(cpu, valid.join(", ")));
        };
        let valid = choices.all();
        match whole(memory) {
            Some(m) if valid.contains(&m) => Ok(FargateSize {
                cpu: *cpu_units,
                memory: m,
            }),
            _ => Err(memory_error(*cpu_units, choices, &valid, memory)),
        }
    }

    /// The memory sizes (MiB) valid with `cpu`, in order; empty for an invalid cpu.
    pub fn memory_choices(cpu: u32) -> Vec<u32> {
        SIZES
            .iter()
            .find(|(units, _)| *units == cpu)
            .map(|(_, choices)| choices.all())
            .unwrap_or_default()
    }
}

/// `value` as a u32 if it is a whole number in range.
fn whole(value: f64) -> Option<u32> {
    let in_range =
        value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value);
    // The checks above make the cast exact.
    in_range.then_some(value as u32)
}

/// `memory` is not valid with `cpu`: give the valid range, the nearest
/// valid values, and the cpu values that would take `memory` as it is.
fn memory_error(cpu: u32, choices: &MemoryChoices, valid: &[u32], memory: f64) -> InputError {
    let described = choices.describe();
    let nearest = nearest(valid, memory);
    let nearest = if nearest.is_empty() {
        String::new()
    } else {
        format!(" (nearest: {})", or_list(&nearest))
    };
    let fitting: Vec<u32> = whole(memory)
        .map(|m| {
            SIZES
                .iter()
                .filter(|(_, c)| c.all().contains(&m))
                .map(|(units, _)| *units)
                .collect()
        })
        .unwrap_or_default();
    if !fitting.is_empty() {
        errors::memory_does_not_fit_cpu(memory, cpu, described, nearest, or_list(&fitting))
    } else if memory > f64::from(MAX_MEMORY_MIB) {
        errors::memory_above_fargate(memory, cpu, described, nearest, MAX_MEMORY_MIB)
    } else if memory < f64::from(MIN_MEMORY_MIB) {
        errors::memory_below_fargate(memory, cpu, described, nearest, MIN_MEMORY_MIB)
    } else {
        errors::memory_not_valid_with_cpu(memory, cpu, described, nearest)
    }
}

/// The values in `valid` closest to `memory` (two on a tie); none for NaN
/// or an infinity.
fn nearest(valid: &[u32], memory: f64) -> Vec<u32> {
    if !memory.is_finite() {
        return Vec::new();
    }
    let distance = |v: u32| (f64::from(v) - memory).abs();
    let best = valid
        .iter()
        .map(|v| distance(*v))
        .fold(f64::INFINITY, f64::min);
    valid
        .iter()
        .copied()
        .filter(|v| distance(*v) == best)
        .collect()
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(values: &[u32]) -> String {
    let words: Vec<String> = values.iter().map(u32::to_string).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => words.join(""),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The table written out independently of [`SIZES`], straight from
    /// AWS's documentation, so the two can disagree.
    fn documented(cpu: u32, memory: u32) -> bool {
        let gib = |n: u32| n * 1024;
        let stepped = |min: u32, max: u32, step: u32| {
            (min..=max).contains(&memory) && (memory - min).is_multiple_of(step)
        };
        match cpu {
            256 => [512, gib(1), gib(2)].contains(&memory),
            512 => stepped(gib(1), gib(4), gib(1)),
            1024 => stepped(gib(2), gib(8), gib(1)),
            2048 => stepped(gib(4), gib(16), gib(1)),
            4096 => stepped(gib(8), gib(30), gib(1)),
            8192 => stepped(gib(16), gib(60), gib(4)),
            16384 => stepped(gib(32), gib(120), gib(8)),
            _ => false,
        }
    }

    fn every_pair() -> Vec<(u32, u32)> {
        FargateSize::CPUS
            .iter()
            .flat_map(|cpu| {
                FargateSize::memory_choices(*cpu)
                    .into_iter()
                    .map(move |memory| (*cpu, memory))
            })
            .collect()
    }

    #[test]
    fn the_table_has_every_documented_pair() {
        let pairs = every_pair();
        assert_eq!(pairs.len(), 3 + 4 + 7 + 13 + 23 + 12 + 12);
        for (cpu, memory) in pairs {
            assert!(documented(cpu, memory), "{cpu}/{memory}");
            assert_eq!(
                FargateSize::new(f64::from(cpu), f64::from(memory)),
                Ok(FargateSize { cpu, memory })
            );
        }
    }

    #[test]
    fn every_pair_on_the_512_grid_passes_iff_documented() {
        for cpu in FargateSize::CPUS.iter().chain(&[0, 128, 768, 3072, 32768]) {
            for memory in (0..=126_976).step_by(512) {
                assert_eq!(
                    FargateSize::new(f64::from(*cpu), f64::from(memory)).is_ok(),
                    documented(*cpu, memory),
                    "cpu={cpu} memory={memory}"
                );
            }
        }
    }

    #[test]
    fn memory_choices_are_in_order_and_empty_for_a_bad_cpu() {
        assert_eq!(FargateSize::memory_choices(256), vec![512, 1024, 2048]);
        assert_eq!(
            FargateSize::memory_choices(512),
            vec![1024, 2048, 3072, 4096]
        );
        let largest = FargateSize::memory_choices(16384);
        assert_eq!(
            (largest[0], largest[largest.len() - 1], largest.len()),
            (32768, 122880, 12)
        );
        assert!(FargateSize::memory_choices(300).is_empty());
        assert!(FargateSize::memory_choices(0).is_empty());
    }

    #[test]
    fn bad_pairs_say_what_would_fit() {
        let cpus = "valid: 256, 512, 1024, 2048, 4096, 8192, 16384 (1024 = 1 vCPU)";
        let cases: &[(f64, f64, &str, String)] = &[
            (300.0, 512.0, "cpu", format!("cpu=300 is not a Fargate size; {cpus}")),
            (512.5, 1024.0, "cpu", format!("cpu=512.5 is not a Fargate size; {cpus}")),
            (-256.0, 512.0, "cpu", format!("cpu=-256 is not a Fargate size; {cpus}")),
            (0.0, 0.0, "cpu", format!("cpu=0 is not a Fargate size; {cpus}")),
            (f64::NAN, 512.0, "cpu", format!("cpu=NaN is not a Fargate size; {cpus}")),
            (
                512.0,
                8192.0,
                "memory",
                "memory=8192 is not valid with cpu=512; valid: 1024 to 4096 MiB in steps of 1024 (nearest: 4096); for 8192 MiB use cpu=1024, 2048 or 4096".into(),
            ),
            (
                256.0,
                4096.0,
                "memory",
                "memory=4096 is not valid with cpu=256; valid: 512, 1024, 2048 MiB (nearest: 2048); for 4096 MiB use cpu=512, 1024 or 2048".into(),
            ),
            (
                256.0,
                1536.0,
                "memory",
                "memory=1536 is not valid with cpu=256; valid: 512, 1024, 2048 MiB (nearest: 1024 or 2048)".into(),
            ),
            (
                4096.0,
                2048.0,
                "memory",
                "memory=2048 is not valid with cpu=4096; valid: 8192 to 30720 MiB in steps of 1024 (nearest: 8192); for 2048 MiB use cpu=256, 512 or 1024".into(),
            ),
            (
                8192.0,
                20000.0,
                "memory",
                "memory=20000 is not valid with cpu=8192; valid: 16384 to 61440 MiB in steps of 4096 (nearest: 20480)".into(),
            ),
            (
                8192.0,
                65536.0,
                "memory",
                "memory=65536 is not valid with cpu=8192; valid: 16384 to 61440 MiB in steps of 4096 (nearest: 61440); for 65536 MiB use cpu=16384".into(),
            ),
            (
                16384.0,
                131072.0,
                "memory",
                "memory=131072 is not valid with cpu=16384; valid: 32768 to 122880 MiB in steps of 8192 (nearest: 122880); the most a Fargate task has is 122880 MiB, with cpu=16384".into(),
            ),
            (
                512.0,
                256.0,
                "memory",
                "memory=256 is not valid with cpu=512; valid: 1024 to 4096 MiB in steps of 1024 (nearest: 1024); the least a Fargate task has is 512 MiB, with cpu=256".into(),
            ),
            (
                1024.0,
                3000.5,
                "memory",
                "memory=3000.5 is not valid with cpu=1024; valid: 2048 to 8192 MiB in steps of 1024 (nearest: 3072)".into(),
            ),
            (
                1024.0,
                f64::NAN,
                "memory",
                "memory=NaN is not valid with cpu=1024; valid: 2048 to 8192 MiB in steps of 1024".into(),
            ),
            (
                1024.0,
                f64::INFINITY,
                "memory",
                "memory=inf is not valid with cpu=1024; valid: 2048 to 8192 MiB in steps of 1024; the most a Fargate task has is 122880 MiB, with cpu=16384".into(),
            ),
        ];
        for (cpu, memory, property, message) in cases {
            let e = FargateSize::new(*cpu, *memory).expect_err("a bad pair passed");
            assert_eq!(
                (e.property.as_str(), e.message.as_str()),
                (*property, message.as_str()),
                "cpu={cpu} memory={memory}"
            );
        }
    }

    /// Cpu values near and on the table, memory values near and on its grid.
    fn any_cpu() -> impl Strategy<Value = f64> {
        prop_oneof![
            proptest::sample::select(FargateSize::CPUS.to_vec()).prop_map(f64::from),
            (0u32..20_000).prop_map(f64::from),
            (-20_000.0f64..20_000.0),
        ]
    }

    fn any_memory() -> impl Strategy<Value = f64> {
        prop_oneof![
            (0u32..=260).prop_map(|n| f64::from(n * 512)),
            (0u32..140_000).prop_map(f64::from),
            (-1_000.0f64..140_000.0),
        ]
    }

    proptest! {
        #[test]
        fn every_table_pair_passes(pair in proptest::sample::select(every_pair())) {
            let (cpu, memory) = pair;
            prop_assert_eq!(
                FargateSize::new(f64::from(cpu), f64::from(memory)),
                Ok(FargateSize { cpu, memory })
            );
        }

        #[test]
        fn a_pair_passes_iff_aws_documents_it(cpu in any_cpu(), memory in any_memory()) {
            let expected = whole(cpu).zip(whole(memory)).filter(|(c, m)| documented(*c, *m));
            match FargateSize::new(cpu, memory) {
                Ok(size) => prop_assert_eq!(Some((size.cpu, size.memory)), expected),
                Err(e) => {
                    prop_assert_eq!(expected, None);
                    let property = if whole(cpu).is_some_and(|c| FargateSize::CPUS.contains(&c)) {
                        "memory"
                    } else {
                        "cpu"
                    };
                    prop_assert_eq!(e.property.as_str(), property);
                    prop_assert!(e.message.starts_with(&format!("{property}=")), "{}", e.message);
                }
            }
        }
    }
}
