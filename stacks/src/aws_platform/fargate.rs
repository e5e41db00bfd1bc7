//! `fargate-prod` and `fargate-staging`: the smaller path without Kubernetes, a Fargate
//! service behind CloudFront and an internal HTTPS load balancer (reached through a
//! CloudFront VPC origin) with its database, secrets, alarms and budget; one program,
//! two settings.

use terrane_aws::constructs::{
    AliasRecord, AwsAccount, Cdn, CdnFallback, CdnHandle, DnsCertificate, DnsCertificateHandle,
    FargateCapacity, FargateService, FargateServiceHandle, HostedZone, KmsKey, KmsKeyHandle,
    NatGateways, RdsPostgres, RdsPostgresHandle, Registry, RegistryHandle, Secret, SecretHandle,
    Vpc, VpcHandle, WafScope, WebAcl, CLOUDFRONT_ZONE_ID,
};
use terrane_aws::secretsmanager::EphemeralSecretsmanagerRandomPassword;
use terrane_aws::vpc::DataEc2ManagedPrefixList;
use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Output, ProviderRef, Stack, Target, Value, Variable};

use super::{provider, Environment};

/// Settings of a Fargate environment (`fargate-prod`, `fargate-staging`).
#[derive(Debug, Clone)]
pub struct FargateEnv {
    /// Environment name, the prefix of every name (several environments share the
    /// account).
    pub name: &'static str,
    /// The application's `APP_ENV` (`production`, `staging`).
    pub app_env: &'static str,
    /// AWS account.
    pub account_id: &'static str,
    /// Region.
    pub region: &'static str,
    /// VPC CIDR.
    pub cidr: &'static str,
    /// NAT gateways of the VPC.
    pub nat: NatGateways,
    /// Public domain of the API.
    pub domain: &'static str,
    /// The image tag deployed from the environment's ECR repository.
    pub image_tag: &'static str,
    /// Requests one client IP may send in 5 minutes before WAF blocks it.
    pub rate_limit: u32,
    /// Countries CloudFront refuses to serve (ISO 3166-1 alpha-2).
    pub blocked_countries: &'static [&'static str],
    /// How tasks are spread over regular Fargate and Fargate Spot.
    pub capacity: FargateCapacity,
    /// Tasks: `(min, desired, max)` of the CPU-target autoscaling.
    pub tasks: (u32, u32, u32),
    /// RDS instance class of the database.
    pub db_class: &'static str,
    /// Database connections above which an alarm fires (below the class's
    /// `max_connections`).
    pub db_connections_alarm: u32,
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
        app_env: "production",
        account_id: "123456789012",
        region: "us-east-1",
        cidr: "10.30.0.0/16",
        nat: NatGateways::PerAz,
        domain: "api.example.com",
        image_tag: "1.42.0",
        rate_limit: 2000,
        // the US embargoed countries (OFAC comprehensive sanctions)
        blocked_countries: &["CU", "IR", "KP", "SY"],
        // two tasks always on regular Fargate (the reference keeps at least two
        // running); tasks added by autoscaling half on Spot
        capacity: FargateCapacity {
            on_demand_base: 2,
            on_demand_weight: 1,
            spot_weight: 1,
        },
        tasks: (2, 2, 10),
        db_class: "db.r6g.large",
        db_connections_alarm: 400,
        // about $670 a month at rest in us-east-1: the Multi-AZ db.r6g.large with its
        // storage and backups ~$370, three NAT gateways ~$130 with data, two tasks
        // ~$36, the load balancer ~$25, two web ACLs ~$40, the NAT gateways' public
        // IPv4 addresses ~$11 (the load balancer is internal, it has none),
        // logs ~$30, CloudFront and keys ~$25; ten tasks under load add ~$100. The
        // reference's $75-185 is for a single small database and no NAT per zone.
        budget_usd: 1_000,
        alert_email: "platform-oncall@example.com",
        state_bucket: "acme-terraform-state",
    }
}

/// `fargate-staging`: the same program with smaller values, where each release is
/// deployed before production (reference 003: "deploy to staging first"). Same
/// account and region as `fargate-prod`, every name prefixed `fgstaging`; its own
/// domain, VPC range and state.
pub fn fargate_staging() -> FargateEnv {
    FargateEnv {
        name: "fgstaging",
        app_env: "staging",
        cidr: "10.31.0.0/16",
        // one shared NAT gateway: a zone outage may cut staging off, which it can afford
        nat: NatGateways::Single,
        // not api.staging.example.com: eks-staging's API answers there
        domain: "api-staging.example.com",
        rate_limit: 1000,
        // one task on regular Fargate, every further one on Spot
        capacity: FargateCapacity {
            on_demand_base: 1,
            on_demand_weight: 0,
            spot_weight: 1,
        },
        tasks: (1, 1, 3),
        db_class: "db.t4g.small",
        // max_connections of 2 GiB is about 170
        db_connections_alarm: 120,
        // about $210 a month at rest (a Multi-AZ db.t4g.small with its storage ~$70,
        // one NAT gateway ~$35, two web ACLs ~$35, the load balancer ~$22, one task
        // ~$18, public IPv4 addresses, logs and keys ~$30), with room for load tests
        budget_usd: 250,
        alert_email: "platform-staging@example.com",
        ..fargate_prod()
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
    let (network, vpc) = e.network(Vpc::new(env.name, env.cidr, env.region).nat_gateways(env.nat));
    let (app, watched) = app_stack(&e, env, &vpc);
    let observability = e.observability_with(
        watched.db_identifier,
        Some(watched.alb_arn_suffix),
        |alarms| {
            alarms
                .ecs_service(watched.cluster_name, watched.service_name)
                .db_connections_above(env.db_connections_alarm)
        },
    );
    t.add_stack(network);
    t.add_stack(app);
    t.add_stack(observability);
}

/// What the observability stack watches in the app stack.
struct Watched {
    db_identifier: Expr<String>,
    alb_arn_suffix: Expr<String>,
    cluster_name: Expr<String>,
    service_name: Expr<String>,
}

/// The `app` stack: image repository, certificate and DNS, secrets, database, the
/// service behind its load balancer and the WAF in front of it.
fn app_stack(e: &Environment<'_>, env: &FargateEnv, vpc: &VpcHandle) -> (Stack, Watched) {
    let n = env.name;
    let mut app = e.stack("app");
    // CloudWatch Logs delivers CloudFront's access logs into a bucket under this key,
    // and CloudFront reads the static assets' fallback copy encrypted with it
    let key = KmsKey::new(&format!("{n}-app"), &AwsAccount::current(&mut app))
        .allow_service("delivery.logs.amazonaws.com")
        .allow_service("cloudfront.amazonaws.com")
        .add_to(&mut app);
    let registry = Registry::new(&format!("{n}/shop/api"), key.arn()).add_to(&mut app);
    let image_tag = app.variable(
        "image_tag",
        Variable::<String>::new().description("Tag of the API image in the ECR repository"),
    );
    app.set_variable("image_tag", env.image_tag);
    let zone_id = app.variable(
        "hosted_zone_id",
        Variable::<String>::new()
            .description("Route 53 hosted zone of the domain (managed with the apex domain)")
            .supplied_at_apply(),
    );
    // The public name is CloudFront's; the load balancer answers CloudFront under its
    // own name, origin.<domain>, which CloudFront sends as Host and SNI through the VPC
    // origin (TLS end to end). One certificate covers both: CloudFront's must be in
    // us-east-1, which is this environment's region too.
    let us_east_1 = provider(&mut app, n, env.account_id, "us-east-1", Some("us-east-1"));
    let origin = format!("origin.{}", env.domain);
    let cert = DnsCertificate::new(env.domain, HostedZone::Given(zone_id.into()))
        .alternative_name(&origin)
        .provider(&us_east_1)
        .add_to(&mut app);
    let signing = signing_secret(&mut app, env, key.arn());
    // The database's credentials are generated and rotated by RDS in Secrets Manager;
    // the tasks read them from there and are the only clients let in.
    let db = RdsPostgres::new(
        &format!("{n}-api"),
        vpc.id(),
        vpc.database_subnet_ids(),
        key.arn(),
    )
    .instance_class(env.db_class)
    .add_to(&mut app);
    let cloudfront = app.data(
        "cloudfront_origin_facing",
        DataEc2ManagedPrefixList::new().name("com.amazonaws.global.cloudfront.origin-facing"),
    );
    let service = FargateService::new(
        &format!("{n}-api"),
        tmpl!("{}:{}", registry.url(), image_tag),
    )
    .network(
        vpc.id(),
        vpc.cidr(),
        vpc.private_subnet_ids(),
        vpc.public_subnet_ids(),
    )
    .certificate(cert.arn())
    // internal, in the private subnets: only CloudFront's VPC origin reaches it
    .internal_behind_vpc_origin(cloudfront.id())
    .kms_key(key.arn())
    .region(env.region)
    .scaling(env.tasks.0, env.tasks.1, env.tasks.2)
    .spot(env.capacity)
    .env("APP_ENV", env.app_env)
    .env("DATABASE_HOST", db.address())
    .secret("SIGNING_KEY", signing.arn())
    .secret("DATABASE_CREDENTIALS", db.master_secret_arn())
    .add_to(&mut app);
    db.allow_from(&mut app, "api", service.security_group_id());
    edge(&mut app, env, (&key, &us_east_1), &cert, &service);
    outputs(&mut app, env, &registry, &db);
    let watched = Watched {
        db_identifier: db.identifier(),
        alb_arn_suffix: service.alb_arn_suffix(),
        cluster_name: service.cluster_name(),
        service_name: service.service_name(),
    };
    (app, watched)
}

/// The edge: CloudFront (and its ACL) in front of the internal load balancer through a
/// VPC origin, the public name's records, the load balancer's own name and its ACL.
fn edge(
    app: &mut Stack,
    env: &FargateEnv,
    (key, us_east_1): (&KmsKeyHandle, &ProviderRef),
    cert: &DnsCertificateHandle,
    service: &FargateServiceHandle,
) {
    let n = env.name;
    let origin = format!("origin.{}", env.domain);
    // A second pass at the load balancer, whose requests all come from CloudFront: the
    // managed rules on what CloudFront forwards (if the edge ACL is ever loosened or
    // set to count, these still block), no per-IP limit (it would count CloudFront's
    // addresses; the edge ACL limits the viewers) and no IP lists.
    WebAcl::new(&format!("{n}-api"), key.arn())
        .without_rate_limit()
        .associate(service.alb_arn())
        .add_to(app);
    // The origin name resolves to the internal load balancer (private addresses): what
    // the certificate and CloudFront's Host name, and what clients inside the VPC use.
    AliasRecord::new(
        &origin,
        cert.zone_id(),
        service.dns_name(),
        service.alb_zone_id(),
    )
    .add_to(app);
    let cdn = cdn(
        app,
        env,
        (key, us_east_1),
        (&origin, service.alb_arn()),
        cert.arn(),
    );
    if let Some(bucket) = cdn.fallback_bucket() {
        app.output(
            "static_bucket",
            Output::new(bucket).description(
                "Copy the build's .next/static/ here (under _next/static/) before each deploy",
            ),
        );
    }
    for record in [
        AliasRecord::new(
            env.domain,
            cert.zone_id(),
            cdn.domain_name(),
            CLOUDFRONT_ZONE_ID,
        ),
        AliasRecord::new(
            env.domain,
            cert.zone_id(),
            cdn.domain_name(),
            CLOUDFRONT_ZONE_ID,
        )
        .ipv6(),
    ] {
        record.add_to(app);
    }
}

/// The app stack's outputs.
fn outputs(app: &mut Stack, env: &FargateEnv, registry: &RegistryHandle, db: &RdsPostgresHandle) {
    app.output(
        "url",
        Output::new(tmpl!("https://{}", env.domain)).description("Public URL"),
    );
    app.output(
        "repository_url",
        Output::new(registry.url()).description("Push the API image here"),
    );
    app.output(
        "db_secret_arn",
        Output::new(db.master_secret_arn()).description("Database credentials secret"),
    );
}

/// CloudFront in front of the internal load balancer `alb_arn` (through a VPC origin,
/// under the name `origin`), with its web ACL in us-east-1: rate limit and managed rules
/// at the edge; the API serves browsers, so requests from anonymising proxies and Tor
/// are blocked too.
fn cdn(
    app: &mut Stack,
    env: &FargateEnv,
    (key, us_east_1): (&KmsKeyHandle, &ProviderRef),
    (origin, alb_arn): (&str, Expr<String>),
    certificate_arn: Expr<String>,
) -> CdnHandle {
    let n = env.name;
    let acl = WebAcl::new(&format!("{n}-cdn"), key.arn())
        .scope(WafScope::CloudFront)
        .rate_limit(env.rate_limit)
        .managed_rule_group("AWSManagedRulesAnonymousIpList")
        .provider(us_east_1)
        .add_to(app);
    Cdn::new(
        &format!("{n}-api"),
        env.domain,
        Value::from(origin),
        certificate_arn,
        acl.arn(),
        (key.arn(), &format!("acme-{n}-cdn-logs")),
        us_east_1,
    )
    .geo_block(env.blocked_countries.iter().copied())
    .vpc_origin(alb_arn)
    // The app's content-hashed build assets (Next.js), cached at the edge; the deploy
    // pipeline copies them to this bucket too, so pages keep their scripts and styles
    // while the tasks answer 5xx.
    .fallback(CdnFallback::new(
        "/_next/static/*",
        &format!("acme-{n}-static-fallback"),
    ))
    .add_to(app)
}

/// The API's token signing key: generated by Secrets Manager at apply (an ephemeral
/// value) and written to the secret write-only, so neither the plan nor the state
/// holds it. The service reads it from Secrets Manager. Rotation: bump
/// `SIGNING_KEY_VERSION` and apply; a new key is generated and becomes the current
/// version (the application must accept the previous key, `AWSPREVIOUS`, for the
/// lifetime of the tokens it signed). The database credentials, the secret that
/// matters most, are rotated by RDS itself.
fn signing_secret(app: &mut Stack, env: &FargateEnv, key_arn: Expr<String>) -> SecretHandle {
    /// Bump to rotate the signing key (see above).
    const SIGNING_KEY_VERSION: u32 = 1;
    let n = env.name;
    let generated = app.ephemeral(
        "api_signing_key",
        EphemeralSecretsmanagerRandomPassword::new()
            .password_length(64)
            .exclude_punctuation(true),
    );
    Secret::new(&format!("{n}/platform/api-signing-key"), key_arn)
        .description("API token signing key")
        .value_write_only(
            generated.attr::<String>("random_password"),
            SIGNING_KEY_VERSION,
        )
        .add_to(app)
}
