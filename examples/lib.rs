//! Small runnable terrane programs (see `examples/README.md` for the index).
//!
//! Each program is a cargo example of this package and a whole terrane CLI: run one with
//! `cargo run -p terrane-examples --example typed_aws -- synth --out /tmp/out`. `cargo test
//! --workspace` builds them all; `.ci/examples.sh` runs each and checks its output with
//! real terraform (`validate --terraform`) or kubectl.
//!
//! This library only holds what every example shares.

use terrane_aws::AwsProvider;

/// The region every AWS example deploys to.
pub const REGION: &str = "eu-west-1";

/// The provider configuration of the AWS examples: the typed `AwsProvider`, with the tags
/// every resource gets.
pub fn aws_provider(environment: &str) -> AwsProvider {
    AwsProvider::new().region(REGION).default_tags(
        terrane_aws::AwsProviderDefaultTags::new()
            .tags([("environment", environment), ("managed-by", "terrane")]),
    )
}
