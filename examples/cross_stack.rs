//! A cross-stack reference: the `data` stack uses the `network` stack's VPC id. terrane
//! turns the reference into an output of `network` and a `terraform_remote_state` read in
//! `data`, orders the stacks (manifest.json), and refuses a cycle between stacks.
//!
//! Output names: when the producer already outputs the value (`vpc_cidr` below), the
//! consumer reads that output, so the name is the program's. Otherwise terrane adds an
//! output named after the reference, every character that is not a letter, digit or `_`
//! turned into `_` (`aws_vpc.main.id` becomes `aws_vpc_main_id`), with `_2`, `_3`... only
//! when the stack already has that name. To plan the consumer offline before the producer
//! is applied, `terrane validate --terraform` gives it placeholder producer outputs.
//!
//! ```sh
//! cargo run -p terrane-examples --example cross_stack -- synth --out /tmp/cross
//! cat /tmp/cross/dev/manifest.json
//! ```

use terrane_aws::vpc::{SecurityGroup, Vpc};
use terrane_core::prelude::*;
use terrane_examples::aws_provider;

fn main() -> std::process::ExitCode {
    let mut app = App::new();
    app.target("dev", "network and data in two stacks", |t| {
        let mut network = Stack::new("network");
        network.provider(aws_provider("dev"));
        let vpc = network.add("main", Vpc::new().cidr_block("10.30.0.0/16"));
        network.output("vpc_cidr", Output::new(vpc.cidr_block()));

        let mut data = Stack::new("data");
        data.provider(aws_provider("dev"));
        data.add(
            "db",
            SecurityGroup::new()
                .name("dev-db")
                .vpc_id(vpc.id()) // cross-stack: an output of network, a remote-state read here
                .description(tmpl!("database access in {}", vpc.cidr_block())),
        );
        t.add_stack(network);
        t.add_stack(data);
    });
    terrane_cli::run(app)
}
