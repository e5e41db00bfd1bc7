//! `aws/eks-version`: the calendar, its dates, and each verdict's exact message.

use super::{aws_stack, cluster, one_target, report, vpc};
use crate::checks::eks_versions::{verdict, SupportType};
use crate::checks::{Clock, Date, EksVersionSupport, EKS_VERSIONS};
use crate::eks::{
    EksClusterUpgradePolicy, EksNodeGroup, EksNodeGroupArgs, EksNodeGroupScalingConfig,
    EksNodeGroupScalingConfigArgs,
};
use terrane_core::App;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// One target with one cluster on `version`, checked on `today`.
fn app(version: &'static str, today: &str) -> App {
    let mut app = one_target(move |t| {
        let mut s = aws_stack("cluster", "us-east-1");
        s.add(
            "main",
            cluster(
                "dev",
                version,
                vpc().public_access_cidrs(["203.0.113.0/24"]),
            ),
        );
        t.add_stack(s);
    });
    app.rule(EksVersionSupport::new().clock(Clock::Fixed(day(today))));
    app
}

#[test]
fn a_version_past_extended_support_is_an_error_from_00_00_utc_of_its_end_day() {
    assert_eq!(
        report(&app("1.31", "2026-11-26"), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: version: Kubernetes 1.31 reached the end of EKS extended support on 2026-11-26: EKS creates no cluster on it and upgrades existing ones; use 1.35 or 1.36 (source: https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc)"]
    );
    // The day before, it is still in (paid) extended support.
    assert!(report(&app("1.31", "2026-11-25"), "dev")[0].starts_with("warning:"));
}

#[test]
fn a_version_in_extended_support_warns_that_it_costs_more() {
    assert_eq!(
        report(&app("1.32", "2026-11-29"), "dev"),
        ["warning: [dev/cluster] aws_eks_cluster.main: version: Kubernetes 1.32 left EKS standard support on 2026-03-23; extended support, billed at a higher price per cluster hour, ends on 2027-03-23; upgrade to 1.35 or 1.36 (source: https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc)"]
    );
}

#[test]
fn a_version_within_90_days_of_leaving_standard_support_warns_with_the_date() {
    assert_eq!(
        report(&app("1.34", "2026-11-29"), "dev"),
        ["warning: [dev/cluster] aws_eks_cluster.main: version: Kubernetes 1.34 leaves EKS standard support on 2026-12-02 (in 3 days); after that extended support costs extra per cluster hour until 2027-12-02; plan the upgrade to a newer version (source: https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc)"]
    );
    // 91 days before: nothing yet; 90 days before: the warning.
    assert_eq!(
        report(&app("1.35", "2026-12-26"), "dev"),
        Vec::<String>::new()
    );
    assert!(report(&app("1.35", "2026-12-27"), "dev")[0].contains("(in 90 days)"));
}

#[test]
fn a_version_in_standard_support_passes() {
    assert_eq!(
        report(&app("1.35", "2026-11-29"), "dev"),
        Vec::<String>::new()
    );
    assert_eq!(
        report(&app("1.36", "2026-11-29"), "dev"),
        Vec::<String>::new()
    );
}

#[test]
fn a_version_not_on_the_calendar_is_an_error_naming_the_known_ones() {
    assert_eq!(
        report(&app("1.37", "2026-11-29"), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: version: Kubernetes 1.37 is not on the EKS version calendar terrane knows (1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36); use a version in standard support"]
    );
}

#[test]
fn the_calendar_is_the_fact_table_with_valid_dates_and_sources() {
    let facts = include_str!("../../../../../docs/facts/eks-versions.toml");
    for v in EKS_VERSIONS {
        let standard = day(v.end_of_standard_support);
        let extended = day(v.end_of_extended_support);
        assert!(standard < extended, "{}", v.minor);
        assert!(v.source.starts_with("https://"), "{}", v.minor);
        let row = format!("minor = \"{}\"", v.minor);
        let at = facts
            .find(&row)
            .unwrap_or_else(|| panic!("{} not in the facts", v.minor));
        let block = &facts[at..facts[at..].find("\n\n").map_or(facts.len(), |e| at + e)];
        for (key, value) in [
            ("end_of_standard_support", v.end_of_standard_support),
            ("end_of_extended_support", v.end_of_extended_support),
            ("source", v.source),
        ] {
            assert!(
                block.contains(&format!("\n{key} = \"{value}\"")),
                "{} {key} differs from docs/facts/eks-versions.toml",
                v.minor
            );
        }
    }
    assert_eq!(facts.matches("[[version]]").count(), EKS_VERSIONS.len());
}

#[test]
fn the_verdict_reads_only_the_calendar() {
    let extended = SupportType::Extended;
    assert!(verdict("1.28", extended, day("2026-01-01"))
        .unwrap()
        .is_error());
    assert!(verdict("1.33", extended, day("2026-01-01")).is_none());
}

#[test]
fn standard_support_only_makes_leaving_it_an_error_and_node_groups_are_checked() {
    let mut app = one_target(|t| {
        let mut s = aws_stack("cluster", "us-east-1");
        s.add(
            "main",
            cluster("dev", "1.33", vpc().public_access_cidrs(["203.0.113.0/24"]))
                .upgrade_policy(EksClusterUpgradePolicy::new().support_type("STANDARD")),
        );
        s.add(
            "gpu",
            EksNodeGroup::new(EksNodeGroupArgs {
                cluster_name: "dev".into(),
                node_role_arn: "arn".into(),
                subnet_ids: ["subnet-a".to_string()].into(),
                scaling_config: EksNodeGroupScalingConfig::new(EksNodeGroupScalingConfigArgs {
                    desired_size: 1.into(),
                    max_size: 2.into(),
                    min_size: 1.into(),
                }),
            })
            .version("1.29"),
        );
        t.add_stack(s);
    });
    app.rule(EksVersionSupport::new().clock(Clock::Fixed(day("2026-11-29"))));
    assert_eq!(
        report(&app, "dev"),
        [
            "error: [dev/cluster] aws_eks_cluster.main: version: Kubernetes 1.33 left EKS standard support on 2026-07-29 and upgrade_policy.support_type is STANDARD, so EKS upgrades the cluster to the next version on its own; use 1.35 or 1.36 (source: https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc)",
            "error: [dev/cluster] aws_eks_node_group.gpu: version: Kubernetes 1.29 reached the end of EKS extended support on 2026-03-23: EKS creates no cluster on it and upgrades existing ones; use 1.35 or 1.36 (source: https://github.com/awsdocs/amazon-eks-user-guide/blob/013856044148d6eeed4723027a45aa2180536bcb/latest/ug/versioning/kubernetes-versions.adoc)",
        ]
    );
}
