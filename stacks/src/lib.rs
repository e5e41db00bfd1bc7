//! The reference infrastructure as stack programs: every target `terrane` can
//! synthesize. `app()` registers them; each target is built only when asked for.

use terrane_aws::checks::AwsRules;
use terrane_core::{App, Error, SchemaSet};

pub mod aws_platform;
pub mod gcp_platform;
pub mod k8s_platform;

/// The provider schemas of `schemas/`, for the offline schema check; each is parsed
/// when the check first meets a block of its provider, so `terrane list` parses none.
pub fn schemas() -> Result<SchemaSet, Error> {
    let mut set = terrane_aws::schema();
    set.extend(terrane_gcp::schema());
    Ok(set)
}

/// Every target of the project, registered (built only when synthesized).
pub fn targets() -> App {
    let mut app = App::new();
    gcp_platform::register(&mut app);
    aws_platform::register(&mut app);
    app
}

/// All targets of the project, with the provider schemas for the offline check and
/// the AWS coherence rules (EKS version calendar, deploy path, name collisions
/// between targets, literal account ids).
pub fn app() -> Result<App, Error> {
    let mut app = targets();
    app.schemas(schemas()?);
    terrane_aws::checks::register(&mut app, aws_rules());
    app.stateful(terrane_aws::stateful::table())
        .stateful(terrane_gcp::stateful::table())
        .stateful(terrane_k8s::stateful::table());
    Ok(app)
}

/// What the AWS rules know of the targets besides their blocks: the account of each
/// AWS target (their providers do not set `allowed_account_ids`), so names are
/// compared between targets that share one.
fn aws_rules() -> AwsRules {
    AwsRules::new(targets)
        .account("aws-state", aws_platform::aws_state().account_id)
        .account("eks-prod", aws_platform::eks_prod().account_id)
        .account("eks-staging", aws_platform::eks_staging().account_id)
        .account("fargate-prod", aws_platform::fargate_prod().account_id)
        .account(
            "fargate-staging",
            aws_platform::fargate_staging().account_id,
        )
}
