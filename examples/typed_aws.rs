//! Typed resources and the typed provider: a VPC with two private subnets, a security
//! group that admits PostgreSQL from inside the VPC, and an encrypted PostgreSQL
//! instance whose password RDS keeps in Secrets Manager (never in Terraform state).
//!
//! Finding a type: Terraform's `aws_db_instance` is `terrane_aws::rds::DbInstance`
//! (crate by provider, module by service, struct in CamelCase without the provider
//! prefix, cargo feature = module name). Required arguments are constructor arguments;
//! every optional one is a setter; `Stack::add` returns a handle whose getters are the
//! resource's attributes as typed expressions (`vpc.id()` is an `Expr<String>`).
//!
//! ```sh
//! cargo run -p terrane-examples --example typed_aws -- synth --out /tmp/typed
//! ```

use terrane_aws::rds::{DbInstance, DbSubnetGroup};
use terrane_aws::vpc::{SecurityGroup, Subnet, Vpc, VpcSecurityGroupIngressRule};
use terrane_core::prelude::*;
use terrane_examples::{aws_provider, REGION};

fn main() -> std::process::ExitCode {
    let mut app = App::new();
    app.target("dev", "a development database", |t| {
        let mut s = Stack::new("database");
        s.provider(aws_provider("dev"));

        let vpc = s.add(
            "main",
            Vpc::new()
                .cidr_block("10.20.0.0/16")
                .enable_dns_hostnames(true)
                .enable_dns_support(true),
        );
        let subnets: Vec<_> = [("a", "10.20.1.0/24"), ("b", "10.20.2.0/24")]
            .into_iter()
            .map(|(zone, cidr)| {
                s.add(
                    &format!("private_{zone}"),
                    Subnet::new(vpc.id())
                        .cidr_block(cidr)
                        .availability_zone(format!("{REGION}{zone}")),
                )
            })
            .collect();

        let db_access = s.add(
            "postgres",
            SecurityGroup::new()
                .name("dev-postgres")
                .description("PostgreSQL from inside the VPC")
                .vpc_id(vpc.id()),
        );
        s.add(
            "postgres_from_vpc",
            VpcSecurityGroupIngressRule::new("tcp", db_access.id())
                .cidr_ipv4(vpc.cidr_block())
                .from_port(5432)
                .to_port(5432),
        );

        let group = s.add(
            "postgres",
            DbSubnetGroup::new(subnets.iter().map(|x| x.id()).collect::<Vec<_>>())
                .name("dev-postgres"),
        );
        let db = s.add(
            "postgres",
            DbInstance::new("db.t4g.micro")
                .identifier("dev-postgres")
                .engine("postgres")
                .engine_version("16.4")
                .allocated_storage(20)
                .storage_encrypted(true)
                .username("app")
                .manage_master_user_password(true)
                .db_subnet_group_name(group.name())
                .vpc_security_group_ids([db_access.id()])
                .skip_final_snapshot(true),
        );
        s.output("database_endpoint", Output::new(db.endpoint()));
        t.add_stack(s);
    });
    terrane_cli::run(app)
}
