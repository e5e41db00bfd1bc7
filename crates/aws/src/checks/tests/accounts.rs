//! `aws/literal-account-id`: account ids written into ARNs, image URIs and policies.

use super::{aws_stack, one_target, report, Manifest};
use crate::checks::accounts::find;
use crate::checks::LiteralAccountIds;
use crate::kms::KmsKey;
use crate::meta::DataCallerIdentity;
use crate::sns::SnsTopic;
use terrane_core::{tmpl, Target};

#[test]
fn literal_ids_in_policies_arns_and_image_uris_are_warned_about() {
    let mut app = one_target(|t: &mut Target| {
        let mut s = aws_stack("observability", "us-east-1");
        s.add(
            "alarms",
            KmsKey::new().policy(
                r#"{"Statement":[{"Principal":{"AWS":"arn:aws:iam::123456789012:root"}}]}"#,
            ),
        );
        s.add(
            "topic",
            SnsTopic::new()
                .policy(r#"{"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}"#),
        );
        t.add_stack(s);
        t.add_files(Manifest(
            "spec:\n  containers:\n  - image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.0\n",
        ));
    });
    app.rule(LiteralAccountIds);
    assert_eq!(
        report(&app, "dev"),
        [
            "warning: [dev/observability] aws_kms_key.alarms: policy: account id 123456789012 is written literally in an ARN; read it from data.aws_caller_identity (account_id) so the stack works in any account",
            "warning: [dev/observability] aws_sns_topic.topic: policy: account id 123456789012 is written literally in a policy document; read it from data.aws_caller_identity (account_id) so the stack works in any account",
            "warning: [dev/k8s/base] app.yaml: line 3: account id 123456789012 is written literally in an image URI; read it from data.aws_caller_identity (account_id) so the stack works in any account",
        ]
    );
}

#[test]
fn ids_from_the_caller_identity_pass() {
    let mut app = one_target(|t: &mut Target| {
        let mut s = aws_stack("observability", "us-east-1");
        let me = s.data("current", DataCallerIdentity::new());
        s.add(
            "alarms",
            KmsKey::new().policy(tmpl!("arn:aws:iam::{}:root", me.account_id())),
        );
        t.add_stack(s);
    });
    app.rule(LiteralAccountIds);
    assert_eq!(report(&app, "dev"), Vec::<String>::new());
}

#[test]
fn only_twelve_digit_runs_in_account_positions_count() {
    assert_eq!(
        find("arn:aws:iam::123456789012:root").unwrap().context,
        "in an ARN"
    );
    assert_eq!(find("123456789012").unwrap().context, "as a value");
    assert!(find("arn:aws:iam::1234567890123:root").is_none());
    assert!(find("build 123456789012 done").is_none());
    assert!(find("arn:aws:s3:::bucket-123456789012").is_none());
    assert_eq!(
        find("x 999999999999.dkr.ecr.eu-west-1.amazonaws.com/a")
            .unwrap()
            .id,
        "999999999999"
    );
}
