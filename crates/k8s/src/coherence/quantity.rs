//! Kubernetes quantities (`500m`, `1.5`, `512Mi`, `2G`) as numbers, for sums of
//! requests against quotas and capacities.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// The quantity's value in base units (cores, bytes, devices); `None` when it
/// does not parse.
pub(crate) fn value(q: &Quantity) -> Option<f64> {
    parse(&q.0)
}

/// Parses `<number><suffix>`: binary (`Ki`..`Ei`), decimal (`n`, `u`, `m`, `k`,
/// `M`..`E`) or an exponent (`1e3`).
pub(crate) fn parse(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e if e.starts_with(['e', 'E']) => 10f64.powi(e[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * factor)
}

/// CPU cores for messages: `20`, `2.5`, `0.25`.
pub(crate) fn cores(v: f64) -> String {
    trim(format!("{:.3}", v))
}

/// Bytes for messages, in the largest binary unit that keeps one decimal: `40Gi`, `1.5Gi`, `512Mi`.
pub(crate) fn bytes(v: f64) -> String {
    let units = [
        ("Ei", 6),
        ("Pi", 5),
        ("Ti", 4),
        ("Gi", 3),
        ("Mi", 2),
        ("Ki", 1),
    ];
    for (unit, power) in units {
        let scaled = v / 1024f64.powi(power);
        if scaled >= 1.0 {
            return format!("{}{unit}", trim(format!("{scaled:.2}")));
        }
    }
    trim(format!("{v:.0}"))
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Property tests of the quantity parser (run with many cases by `.ci/fuzz.sh`).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::parse;

    const SUFFIXES: [(&str, f64); 16] = [
        ("", 1.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
    ];

    proptest! {
        /// Any text: an answer or `None`, never a panic.
        #[test]
        fn any_text_parses_or_is_refused(s in any::<String>()) {
            let _ = parse(&s);
        }

        /// Text shaped like a quantity (digits, dots, signs, suffix letters) too.
        #[test]
        fn quantity_shaped_text_parses_or_is_refused(s in "[-+0-9.]{0,6}[numkMGTPEie]{0,3}[-+0-9]{0,3}") {
            let _ = parse(&s);
        }

        /// A well-formed quantity reads as its number times its suffix's factor.
        #[test]
        fn well_formed_quantities_read_exactly(n in 0u32..1_000_000, frac in 0u32..1000, i in 0usize..16) {
            let (suffix, factor) = SUFFIXES[i];
            let text = format!("{n}.{frac:03}{suffix}");
            let expected = format!("{n}.{frac:03}").parse::<f64>().unwrap_or(f64::NAN) * factor;
            let got = parse(&text);
            prop_assert!(got.is_some(), "{text} refused");
            let got = got.unwrap_or(f64::NAN);
            prop_assert!((got - expected).abs() <= expected.abs() * 1e-12, "{text}: {got} != {expected}");
        }

        /// A decimal exponent is the power of ten it names.
        #[test]
        fn exponents_read_as_powers_of_ten(n in 0u32..10_000, e in -20i32..20) {
            let text = format!("{n}e{e}");
            let got = parse(&text).unwrap_or(f64::NAN);
            let expected = f64::from(n) * 10f64.powi(e);
            prop_assert!((got - expected).abs() <= expected.abs() * 1e-12, "{text}: {got}");
        }
    }
}
