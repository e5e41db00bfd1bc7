//! `fargate-prod`: the smaller path without Kubernetes, a Fargate service behind an
//! HTTPS load balancer with its database, secrets, alarms and budget.

use terrane_aws::acm::{AcmCertificate, AcmCertificateValidation};
use terrane_aws::constructs::{
    AwsAccount, FargateService, KmsKey, RdsPostgres, Secret, SecretHandle, Vpc, VpcHandle,
};
use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Lifecycle, Meta, Output, Stack, Target, Variable};

use super::Environment;

/// Settings of `fargate-prod`.
#[derive(Debug, Clone)]
pub struct FargateEnv {
    /// Environment name.
    pub name: &'static str,
    /// AWS account.
    pub account_id: &'static str,
    /// Region.
    pub region: &'static str,
    /// VPC CIDR.
    pub cidr: &'static str,
    /// Public domain of the API.
    pub domain: &'static str,
    /// Container image.
    pub image: &'static str,
    /// Monthly budget in USD.
    pub budget_usd: u64,
    /// Where alarms and budget alerts go.
    pub alert_email: &'static str,
    /// S3 bucket of the Terraform state.
    pub state_bucket: &'static str,
}

/// `fargate-prod`.
pub fn fargate_prod() -> FargateEnv {
    FargateEnv {
        name: "fgprod",
        account_id: "123456789012",
        region: "us-east-1",
        cidr: "10.30.0.0/16",
        domain: "api.example.com",
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.42.0",
        budget_usd: 4_000,
        alert_email: "platform-oncall@example.com",
        state_bucket: "acme-terraform-state",
    }
}

impl FargateEnv {
    fn environment<'a>(&'a self, target: &'a str) -> Environment<'a> {
        Environment {
            target,
            name: self.name,
            account_id: self.account_id,
            region: self.region,
            state_bucket: self.state_bucket,
            alert_email: self.alert_email,
            budget_usd: self.budget_usd,
        }
    }
}

/// Builds `fargate-prod`: network, app (database, secrets, service behind the load
/// balancer) and observability (alarms, budget).
pub fn build_fargate(t: &mut Target, env: &FargateEnv) {
    let target = t.name().to_string();
    let e = env.environment(&target);
    let (network, vpc) = e.network(Vpc::new(env.name, env.cidr, env.region));
    let (app, watched) = app_stack(&e, env, &vpc);
    let observability = e.observability(watched.db_identifier, Some(watched.alb_arn_suffix));
    t.add_stack(network);
    t.add_stack(app);
    t.add_stack(observability);
}

/// What the observability stack watches in the app stack.
struct Watched {
    db_identifier: Expr<String>,
    alb_arn_suffix: Expr<String>,
}

/// The `app` stack: certificate, secrets, database and the service behind its load balancer.
fn app_stack(e: &Environment<'_>, env: &FargateEnv, vpc: &VpcHandle) -> (Stack, Watched) {
    let n = env.name;
    let mut app = e.stack("app");
    let key = KmsKey::new(&format!("{n}-app"), &AwsAccount::current(&mut app)).add_to(&mut app);
    let cert = app.add_with(
        "api",
        AcmCertificate::new()
            .domain_name(env.domain)
            .validation_method("DNS")
            .key_algorithm("EC_prime256v1"),
        Meta::new().lifecycle(Lifecycle::new().create_before_destroy()),
    );
    // Waits until the DNS validation records (managed with the domain) are in place.
    let validated = app.add("api", AcmCertificateValidation::new(cert.arn()));
    let signing = signing_secret(&mut app, env, key.arn());
    // The database's credentials are generated and rotated by RDS in Secrets Manager;
    // the tasks read them from there and are the only clients let in.
    let db = RdsPostgres::new(
        &format!("{n}-api"),
        vpc.id(),
        vpc.database_subnet_ids(),
        key.arn(),
    )
    .instance_class("db.r6g.large")
    .add_to(&mut app);
    let service = FargateService::new("api", env.image)
        .network(
            vpc.id(),
            vpc.cidr(),
            vpc.private_subnet_ids(),
            vpc.public_subnet_ids(),
        )
        .certificate(validated.certificate_arn())
        .kms_key(key.arn())
        .region(env.region)
        .scaling(2, 2, 10)
        .env("APP_ENV", "production")
        .env("DATABASE_HOST", db.address())
        .secret("SIGNING_KEY", signing.arn())
        .secret("DATABASE_CREDENTIALS", db.master_secret_arn())
        .add_to(&mut app);
    db.allow_from(&mut app, "api", service.security_group_id());
    app.output(
        "url",
        Output::new(tmpl!("https://{}", env.domain)).description("Public URL"),
    );
    app.output(
        "alb_dns_name",
        Output::new(service.dns_name()).description("Point the domain's alias record here"),
    );
    app.output(
        "db_secret_arn",
        Output::new(db.master_secret_arn()).description("Database credentials secret"),
    );
    let watched = Watched {
        db_identifier: db.identifier(),
        alb_arn_suffix: service.alb_arn_suffix(),
    };
    (app, watched)
}

/// The API's token signing key: its first value supplied at apply, rotated every 30
/// days by a rotation function deployed outside terrane.
fn signing_secret(app: &mut Stack, env: &FargateEnv, key_arn: Expr<String>) -> SecretHandle {
    let n = env.name;
    let rotation_lambda = app.variable(
        "rotation_lambda_arn",
        Variable::<String>::new().description(
            "Secrets Manager rotation function (deployed from the AWS Serverless Application Repository)",
        ),
    );
    app.set_variable(
        "rotation_lambda_arn",
        format!(
            "arn:aws:lambda:{}:{}:function:{n}-secrets-rotation",
            env.region, env.account_id
        )
        .as_str(),
    );
    let signing_key = app.variable(
        "api_signing_key",
        Variable::<String>::new()
            .description("Initial API token signing key; rotated every 30 days afterwards")
            .sensitive()
            .supplied_at_apply(),
    );
    Secret::new(&format!("{n}/api/signing-key"), key_arn)
        .description("API token signing key")
        .value(signing_key)
        .rotate_with(rotation_lambda, 30)
        .add_to(app)
}
