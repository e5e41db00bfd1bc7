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
