//! `aws/name-collisions`: names compared between targets by scope (global, account,
//! region), and inside one target.

use super::{aws_stack, report};
use crate::checks::NameCollisions;
use crate::ecr::EcrRepository;
use crate::iam::IamRole;
use crate::s3::S3Bucket;
use crate::secretsmanager::SecretsmanagerSecret;
use crate::AwsProvider;
use terrane_core::{App, Expr, Meta, Stack, Target};

/// What one environment's platform stack declares, by environment name.
fn platform(t: &mut Target, env: &str, account: Option<&str>, region: &str, ecr: &str) {
    let mut s = Stack::new("platform");
    let mut provider = AwsProvider::new().region(region);
    if let Some(account) = account {
        provider = provider.allowed_account_ids([account.to_string()]);
    }
    s.provider(provider);
    s.add("api", EcrRepository::new(ecr));
    s.add(
        "api_key",
        SecretsmanagerSecret::new().name(format!("{env}/platform/api")),
    );
    s.add("nodes", IamRole::new("{}").name("EKS-Nodes"));
    s.add(
        "assets",
        S3Bucket::new().bucket(format!("shop-{env}-assets")),
    );
    t.add_stack(s);
}

/// prod and staging in account 123456789012 / us-east-1 (prod by its provider,
/// staging by declaration), both naming their ECR repository `shop/api`, and
/// sandbox in another account with the same names.
fn targets() -> App {
    let mut app = App::new();
    app.target("prod", "p", |t| {
        platform(t, "prod", Some("123456789012"), "us-east-1", "shop/api")
    });
    app.target("staging", "s", |t| {
        platform(t, "staging", None, "us-east-1", "shop/api")
    });
    app.target("sandbox", "x", |t| {
        platform(t, "sandbox", Some("210987654321"), "us-east-1", "shop/api")
    });
    app
}

fn checked() -> App {
    let mut app = targets();
    app.rule(
        NameCollisions::new()
            .peers(targets)
            .account("staging", "123456789012"),
    );
    app
}

#[test]
fn targets_sharing_an_account_and_region_may_not_share_names() {
    assert_eq!(
        report(&checked(), "staging"),
        [
            "error: [staging/platform] aws_ecr_repository.api: name: ECR repository name \"shop/api\" is also declared by target prod (stack platform, aws_ecr_repository.api); both are in account 123456789012, region us-east-1, where ECR repository names are unique: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)",
            "error: [staging/platform] aws_iam_role.nodes: name: IAM role name \"EKS-Nodes\" is also declared by target prod (stack platform, aws_iam_role.nodes); both are in account 123456789012, where IAM role names are unique in every region: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)",
        ]
    );
    // prod sees the same collisions from its side.
    assert_eq!(report(&checked(), "prod").len(), 2);
}

#[test]
fn another_account_only_collides_on_global_names() {
    assert_eq!(report(&checked(), "sandbox"), Vec::<String>::new());
    let twins = || {
        let mut app = App::new();
        for (name, account) in [("a", "111111111111"), ("b", "222222222222")] {
            app.target(name, name, move |t| {
                platform(t, "same", Some(account), "eu-west-1", "x/api")
            });
        }
        app
    };
    let mut app = twins();
    app.rule(NameCollisions::new().peers(twins));
    assert_eq!(
        report(&app, "b"),
        ["error: [b/platform] aws_s3_bucket.assets: bucket: S3 bucket name \"shop-same-assets\" is also declared by target a (stack platform, aws_s3_bucket.assets); S3 bucket names are unique across all AWS accounts: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)"]
    );
}

#[test]
fn region_scoped_names_in_other_regions_and_iam_names_in_any_case() {
    let targets = || {
        let mut app = App::new();
        app.target("east", "e", |t| {
            platform(t, "east", Some("123456789012"), "us-east-1", "shop/api")
        });
        app.target("west", "w", |t| {
            let mut s = aws_stack("platform", "us-east-1");
            let west = s.provider(
                AwsProvider::new()
                    .alias("west")
                    .region("us-west-2")
                    .allowed_account_ids(["123456789012".to_string()]),
            );
            s.add_with(
                "api",
                EcrRepository::new("shop/api"),
                Meta::new().provider(&west),
            );
            s.add("nodes", IamRole::new("{}").name("eks-nodes"));
            t.add_stack(s);
        });
        app
    };
    let mut app = targets();
    app.rule(NameCollisions::new().peers(targets));
    assert_eq!(
        report(&app, "west"),
        ["error: [west/platform] aws_iam_role.nodes: name: IAM role name \"eks-nodes\" is also declared by target east (stack platform, aws_iam_role.nodes); both are in account 123456789012, where IAM role names are unique in every region: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)"]
    );
}

#[test]
fn two_blocks_of_one_target_collide_too_and_expressions_are_not_compared() {
    let mut app = App::new();
    app.target("dev", "d", |t| {
        let mut s = aws_stack("a", "us-east-1");
        s.add("one", SecretsmanagerSecret::new().name("dev/db"));
        let computed: Expr<String> = s.local("n", "dev/db");
        s.add("computed", SecretsmanagerSecret::new().name(computed));
        t.add_stack(s);
        let mut s = aws_stack("b", "us-east-1");
        s.add("two", SecretsmanagerSecret::new().name("dev/db"));
        t.add_stack(s);
    });
    app.rule(NameCollisions::new().account("dev", "123456789012"));
    let lines = report(&app, "dev");
    assert_eq!(
        lines,
        ["error: [dev/b] aws_secretsmanager_secret.two: name: Secrets Manager secret name \"dev/db\" is also declared by this target (stack a, aws_secretsmanager_secret.one); both are in account 123456789012, region us-east-1, where Secrets Manager secret names are unique: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)"]
    );
}

#[test]
fn a_target_of_unknown_account_is_warned_about() {
    let mut app = App::new();
    app.target("dev", "d", |t| {
        platform(t, "dev", None, "us-east-1", "dev/api")
    });
    app.rule(NameCollisions::new());
    assert_eq!(
        report(&app, "dev"),
        ["warning: [dev] the AWS account of this target is not known (no allowed_account_ids on its aws providers, none declared to the name-collision rule): its account and region names are not compared with other targets'"]
    );
}

/// Two targets of one account, each with a CloudFront origin access control named
/// `api-fallback` (CloudFront names are per account, whatever the region).
fn cdn_targets() -> App {
    let mut app = App::new();
    for (target, region) in [("prod", "us-east-1"), ("staging", "eu-west-1")] {
        app.target(target, "t", move |t| {
            let mut s = Stack::new("app");
            s.provider(
                AwsProvider::new()
                    .region(region)
                    .allowed_account_ids(["123456789012".to_string()]),
            );
            s.add(
                "fallback",
                crate::cloudfront::CloudfrontOriginAccessControl::new(
                    crate::cloudfront::CloudfrontOriginAccessControlArgs {
                        name: "api-fallback".into(),
                        origin_access_control_origin_type: "s3".into(),
                        signing_behavior: "always".into(),
                        signing_protocol: "sigv4".into(),
                    },
                ),
            );
            t.add_stack(s);
        });
    }
    app
}

#[test]
fn cloudfront_names_collide_across_regions_of_one_account() {
    let mut app = cdn_targets();
    app.rule(NameCollisions::new().peers(cdn_targets));
    let lines = report(&app, "staging");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("CloudFront origin access control name \"api-fallback\" is also declared by target prod"),
        "{}",
        lines[0]
    );
}
