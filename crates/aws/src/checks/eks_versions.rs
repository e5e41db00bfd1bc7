//! Rule `aws/eks-version`: the Kubernetes `version` of an `aws_eks_cluster` (and of an
//! `aws_eks_node_group` that sets one) is one EKS supports today, from the dated
//! calendar below.
//!
//! The table is `docs/facts/eks-versions.toml` in Rust (a test keeps the two equal).
//! Support ends at 00:00 UTC of the listed day (AWS: "Billing for extended support
//! starts at the beginning of the day that the version reaches end of standard
//! support, in the UTC+0 timezone"), so on that day the version is already past it.
//!
//! | today | severity | why |
//! |---|---|---|
//! | on or after the end of extended support | error | EKS creates no new cluster on the version and upgrades existing ones |
//! | past the end of standard support, `upgrade_policy.support_type = "STANDARD"` | error | EKS upgrades the cluster on its own |
//! | in extended support | warning | it works, at the extended-support price per cluster hour |
//! | within 90 days of the end of standard support | warning | extended support, which costs extra, starts on that day |
//! | a version not in the table | error | unknown is never supported; the message names the known ones |

use terrane_core::checks::{Rule, TargetView};
use terrane_core::Diagnostic;

use super::body::{string, Value};
use super::date::{Clock, Date};

/// How many days before the end of standard support the rule starts warning.
pub const WARN_DAYS_BEFORE_STANDARD_END: i64 = 90;

/// One Kubernetes minor version on the EKS calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EksVersion {
    /// `1.35`
    pub minor: &'static str,
    /// First day without standard support (ISO, 00:00 UTC).
    pub end_of_standard_support: &'static str,
    /// First day without extended support: EKS refuses new clusters from then on.
    pub end_of_extended_support: &'static str,
    /// Where the dates were read.
    pub source: &'static str,
}

/// AWS's own calendar page, as read on 2026-11-29 (AsciiDoc source of the page).
const AWS_CALENDAR: &str = "https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc";
/// The earlier revision of the same page, which still lists 1.28.
const AWS_CALENDAR_OLDER: &str = "https://github.com/awsdocs/amazon-eks-user-guide/blob/8596db85c9ea47d3c692d8c7c0498f616187d44d/latest/ug/versioning/kubernetes-versions.adoc";

/// The EKS Kubernetes calendar (`docs/facts/eks-versions.toml`, gathered 2026-11-29).
/// 1.35 and 1.36 come from secondary sources consistent with AWS's 14 + 12 month
/// rule; confirm them on <https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html>
/// when refreshing.
pub const EKS_VERSIONS: &[EksVersion] = &[
    EksVersion {
        minor: "1.28",
        end_of_standard_support: "2024-11-26",
        end_of_extended_support: "2025-11-26",
        source: AWS_CALENDAR_OLDER,
    },
    EksVersion {
        minor: "1.29",
        end_of_standard_support: "2025-03-23",
        end_of_extended_support: "2026-03-23",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.30",
        end_of_standard_support: "2025-07-23",
        end_of_extended_support: "2026-07-23",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.31",
        end_of_standard_support: "2025-11-26",
        end_of_extended_support: "2026-11-26",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.32",
        end_of_standard_support: "2026-03-23",
        end_of_extended_support: "2027-03-23",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.33",
        end_of_standard_support: "2026-07-29",
        end_of_extended_support: "2027-07-29",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.34",
        end_of_standard_support: "2026-12-02",
        end_of_extended_support: "2027-12-02",
        source: AWS_CALENDAR,
    },
    EksVersion {
        minor: "1.35",
        end_of_standard_support: "2027-03-27",
        end_of_extended_support: "2028-03-27",
        source: "https://endoflife.date/amazon-eks",
    },
    EksVersion {
        minor: "1.36",
        end_of_standard_support: "2027-08-02",
        end_of_extended_support: "2028-08-02",
        source: "https://github.com/aws-samples/sample-apex-skills/blob/main/skills/eks-upgrade-check/references/version-validation.md",
    },
];

/// The calendar row of a minor version.
pub fn eks_version(minor: &str) -> Option<&'static EksVersion> {
    EKS_VERSIONS.iter().find(|v| v.minor == minor)
}

/// Rule `aws/eks-version` (see the module doc).
///
/// ```
/// use terrane_aws::checks::{Clock, Date, EksVersionSupport};
/// let rule = EksVersionSupport::new().clock(Clock::Fixed(Date::parse("2026-11-29").unwrap()));
/// # let _ = rule;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct EksVersionSupport {
    clock: Clock,
}

impl EksVersionSupport {
    /// The rule, reading today from the system clock.
    pub fn new() -> Self {
        Self::default()
    }
    /// The rule with another clock (a fixed day in tests).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

impl Rule for EksVersionSupport {
    fn name(&self) -> &str {
        "aws/eks-version"
    }

    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        let today = self.clock.today();
        for stack in target.stacks() {
            for block in stack.blocks().filter(|b| CHECKED.contains(&b.ty)) {
                let version = match string(block.body, "version") {
                    Value::Literal(v) => v,
                    // Unset: EKS picks its default (a supported version) at create,
                    // and a node group follows its cluster. An expression: known
                    // only at apply.
                    Value::Absent | Value::Expr(_) => continue,
                };
                let support = match string(block.body, "upgrade_policy.support_type") {
                    Value::Literal("STANDARD") => SupportType::Standard,
                    _ => SupportType::Extended,
                };
                if let Some(message) = verdict(version, support, today) {
                    out.push(
                        message
                            .target(target.name())
                            .stack(stack.name())
                            .address(block.address())
                            .field("version"),
                    );
                }
            }
        }
    }
}

/// The block types whose `version` is a Kubernetes minor version on the calendar.
const CHECKED: [&str; 2] = ["aws_eks_cluster", "aws_eks_node_group"];

/// A cluster's `upgrade_policy.support_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SupportType {
    /// `EXTENDED`, the default: the version runs until the end of extended support.
    Extended,
    /// `STANDARD`: EKS upgrades the cluster when standard support ends.
    Standard,
}

/// What is wrong with running `version` on `today`, if anything.
pub(crate) fn verdict(version: &str, support: SupportType, today: Date) -> Option<Diagnostic> {
    let Some(row) = eks_version(version) else {
        let known: Vec<&str> = EKS_VERSIONS.iter().map(|v| v.minor).collect();
        return Some(Diagnostic::new(format!(
            "Kubernetes {version} is not on the EKS version calendar terrane knows ({}); use a version in standard support",
            known.join(", ")
        )));
    };
    // The table is checked by the tests: every date parses.
    let standard_end = Date::parse(row.end_of_standard_support)?;
    let extended_end = Date::parse(row.end_of_extended_support)?;
    let current = in_standard_support(today);
    if today >= extended_end {
        return Some(Diagnostic::new(format!(
            "Kubernetes {version} reached the end of EKS extended support on {extended_end}: EKS creates no cluster on it and upgrades existing ones; use {current} (source: {})",
            row.source
        )));
    }
    if today >= standard_end && support == SupportType::Standard {
        return Some(Diagnostic::new(format!(
            "Kubernetes {version} left EKS standard support on {standard_end} and upgrade_policy.support_type is STANDARD, so EKS upgrades the cluster to the next version on its own; use {current} (source: {})",
            row.source
        )));
    }
    if today >= standard_end {
        return Some(Diagnostic::warning(format!(
            "Kubernetes {version} left EKS standard support on {standard_end}; extended support, billed at a higher price per cluster hour, ends on {extended_end}; upgrade to {current} (source: {})",
            row.source
        )));
    }
    let days_left = standard_end.days_since(today);
    if days_left <= WARN_DAYS_BEFORE_STANDARD_END {
        return Some(Diagnostic::warning(format!(
            "Kubernetes {version} leaves EKS standard support on {standard_end} (in {days_left} day{}); after that extended support costs extra per cluster hour until {extended_end}; plan the upgrade to a newer version (source: {})",
            if days_left == 1 { "" } else { "s" },
            row.source
        )));
    }
    None
}

/// The versions in standard support on `today` for more than the warning window,
/// as `1.35 or 1.36`.
fn in_standard_support(today: Date) -> String {
    let versions: Vec<&str> = EKS_VERSIONS
        .iter()
        .filter(|v| {
            Date::parse(v.end_of_standard_support)
                .is_some_and(|end| end.days_since(today) > WARN_DAYS_BEFORE_STANDARD_END)
        })
        .map(|v| v.minor)
        .collect();
    match versions.as_slice() {
        [] => "a version in standard support".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
