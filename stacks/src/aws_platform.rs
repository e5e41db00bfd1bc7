//! The AWS platform: `eks-staging` (network and data stacks for now).

use terrane_core::{
    func, App, GenericResource, Lifecycle, Meta, Output, RequiredProvider, Stack, Target, Tree,
};

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

/// Settings that differ between environments.
#[derive(Debug, Clone)]
pub struct AwsEnv {
    /// Environment name.
    pub name: &'static str,
    /// Region.
    pub region: &'static str,
    /// VPC CIDR.
    pub cidr: &'static str,
    /// Number of availability zones.
    pub azs: usize,
}

/// Builds the stacks of one environment.
pub fn build(t: &mut Target, env: &AwsEnv) {
    let mut network = Stack::new("network");
    network.provider(
        terrane_core::Provider::new(aws())
            .arg("region", env.region)
            .arg(
                "default_tags",
                Tree::object([(
                    "tags",
                    Tree::object([
                        ("environment", Tree::from(env.name)),
                        ("managed-by", Tree::from("terrane")),
                    ]),
                )]),
            ),
    );
    let azs = network.data(
        "available",
        terrane_core::GenericDataSource::new("aws_availability_zones")
            .provider(aws())
            .arg("state", "available"),
    );
    let vpc = network.add(
        "main",
        GenericResource::new("aws_vpc")
            .provider(aws())
            .arg("cidr_block", env.cidr)
            .arg("enable_dns_hostnames", true)
            .arg("enable_dns_support", true)
            .arg(
                "tags",
                Tree::object([("Name", Tree::from(format!("{}-vpc", env.name)))]),
            ),
    );
    let zones = azs.attr::<terrane_core::List<String>>("names");
    let mut private = Vec::new();
    for i in 0..env.azs {
        private.push(
            network.add(
                &format!("private_{i}"),
                GenericResource::new("aws_subnet")
                    .provider(aws())
                    .arg("vpc_id", vpc.id())
                    .arg("availability_zone", zones.at(i))
                    .arg("cidr_block", func::cidrsubnet(env.cidr, 4, i))
                    .arg(
                        "tags",
                        Tree::object([
                            ("Name", Tree::from(format!("{}-private-{i}", env.name))),
                            ("kubernetes.io/role/internal-elb", Tree::from("1")),
                        ]),
                    ),
            ),
        );
    }

    let mut data = Stack::new("data");
    data.provider(terrane_core::Provider::new(aws()).arg("region", env.region));
    let key = data.add_with(
        "data",
        GenericResource::new("aws_kms_key")
            .provider(aws())
            .arg("description", format!("{} data encryption", env.name))
            .arg("enable_key_rotation", true)
            .arg("deletion_window_in_days", 30),
        Meta::new().lifecycle(Lifecycle::new().prevent_destroy()),
    );
    data.add(
        "data",
        GenericResource::new("aws_kms_alias")
            .provider(aws())
            .arg("name", format!("alias/{}-data", env.name))
            .arg("target_key_id", key.attr::<String>("key_id")),
    );
    let db_sg = data.add(
        "db",
        GenericResource::new("aws_security_group")
            .provider(aws())
            .arg("name", format!("{}-db", env.name))
            .arg(
                "description",
                "PostgreSQL, reachable from inside the VPC only",
            )
            .arg("vpc_id", vpc.id()),
    );
    data.add(
        "db_from_vpc",
        GenericResource::new("aws_vpc_security_group_ingress_rule")
            .provider(aws())
            .arg("security_group_id", db_sg.id())
            .arg("description", "PostgreSQL from the VPC")
            .arg("ip_protocol", "tcp")
            .arg("from_port", 5432)
            .arg("to_port", 5432)
            .arg("cidr_ipv4", vpc.attr::<String>("cidr_block")),
    );
    data.add(
        "db",
        GenericResource::new("aws_db_subnet_group")
            .provider(aws())
            .arg("name", format!("{}-db", env.name))
            .arg(
                "subnet_ids",
                Tree::list(private.iter().map(|s| Tree::from(s.id()))),
            ),
    );
    data.output(
        "kms_key_arn",
        Output::new(key.attr::<String>("arn")).description("Data encryption key"),
    );
    t.add_stack(network);
    t.add_stack(data);
}

/// Registers the AWS targets.
pub fn register(app: &mut App) {
    app.target(
        "eks-staging",
        "AWS staging: network and data stacks (grows into EKS)",
        |t| {
            build(
                t,
                &AwsEnv {
                    name: "staging",
                    region: "us-east-1",
                    cidr: "10.20.0.0/16",
                    azs: 2,
                },
            )
        },
    );
}
