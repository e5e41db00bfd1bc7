//! A module call: the community VPC module from the Terraform registry, its outputs used
//! by a typed resource. Module outputs are typed at the call site
//! (`vpc.output::<String>("vpc_id")`), since a module publishes no schema.
//!
//! ```sh
//! cargo run -p terrane-examples --example module_call -- synth --out /tmp/module
//! ```
//! (`terraform init` of the result downloads the module, so it needs the registry.)

use terrane_aws::vpc::SecurityGroup;
use terrane_core::prelude::*;
use terrane_examples::{aws_provider, REGION};

fn main() -> std::process::ExitCode {
    let mut app = App::new();
    app.target("dev", "a VPC from the registry module", |t| {
        let mut s = Stack::new("network");
        s.provider(aws_provider("dev"));
        let vpc = s.module(
            "vpc",
            Module::new("terraform-aws-modules/vpc/aws")
                .version("5.21.0")
                .input("name", "dev")
                .input("cidr", "10.40.0.0/16")
                .input(
                    "azs",
                    Tree::list([format!("{REGION}a"), format!("{REGION}b")].map(Tree::from)),
                )
                .input(
                    "private_subnets",
                    Tree::list(["10.40.1.0/24", "10.40.2.0/24"].map(Tree::from)),
                ),
        );
        s.add(
            "app",
            SecurityGroup::new()
                .name("dev-app")
                .description("application tier")
                .vpc_id(vpc.output::<String>("vpc_id")),
        );
        s.output(
            "private_subnets",
            Output::new(vpc.output::<List<String>>("private_subnets")),
        );
        t.add_stack(s);
    });
    terrane_cli::run(app)
}
