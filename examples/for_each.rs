//! `for_each` on typed resources: one S3 bucket per entry of a map variable, each
//! versioned and encrypted with a customer-managed key (`Meta::count` works the same way).
//!
//! Inside a `for_each` block, `each_key()` and `each_value::<T>()` are typed expressions
//! for `each.key` and `each.value`; `count_index()` is `count.index`.
//!
//! ```sh
//! cargo run -p terrane-examples --example for_each -- synth --out /tmp/each
//! ```

use terrane_aws::kms::KmsKey;
use terrane_aws::s3::{
    S3Bucket, S3BucketServerSideEncryptionConfiguration,
    S3BucketServerSideEncryptionConfigurationRule,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,
    S3BucketVersioning, S3BucketVersioningVersioningConfiguration,
};
use terrane_core::prelude::*;
use terrane_examples::aws_provider;

fn main() -> std::process::ExitCode {
    let mut app = App::new();
    app.target("dev", "buckets from a map", |t| {
        let mut s = Stack::new("storage");
        s.provider(aws_provider("dev"));
        let buckets: Expr<Map<String>> = s.variable(
            "buckets",
            Variable::new()
                .description("bucket purpose -> bucket name")
                .default([
                    ("exports", "acme-dev-exports"),
                    ("uploads", "acme-dev-uploads"),
                ]),
        );
        let key = s.add(
            "buckets",
            KmsKey::new()
                .description("dev buckets")
                .enable_key_rotation(true)
                .deletion_window_in_days(30),
        );
        let each = Meta::new().for_each(buckets);
        // `bucket` is the whole block; `bucket.key(each_key())` is the instance of the
        // same key, which is what a resource of the same for_each refers to.
        let bucket = s.add_with(
            "each",
            S3Bucket::new()
                .bucket(each_value::<String>())
                .tags([("purpose", each_key())]),
            each.clone(),
        );
        s.add_with(
            "each",
            S3BucketVersioning::new(
                bucket.key(each_key()).id(),
                S3BucketVersioningVersioningConfiguration::new("Enabled"),
            ),
            each.clone(),
        );
        s.add_with(
            "each",
            S3BucketServerSideEncryptionConfiguration::new(
                bucket.key(each_key()).id(),
                S3BucketServerSideEncryptionConfigurationRule::new().apply_server_side_encryption_by_default(
                    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault::new("aws:kms")
                        .kms_master_key_id(key.arn()),
                ),
            ),
            each,
        );
        t.add_stack(s);
    });
    terrane_cli::run(app)
}
