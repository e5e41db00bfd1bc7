//! The terrane side of the same-stack benchmark against CDK for Terraform: the
//! 53-resource AWS stack of `shared/bench/cdktf/main.js`, written with terrane-aws types.
//!
//! [`app`] builds a target `prod` with one stack `prod` holding `n` copies of the body,
//! named as the CDK for Terraform program names them, with the schema check on.

mod body;

use terrane_aws::AwsProvider;
use terrane_core::{App, Stack};

pub use body::{add_body, Replica};

/// The benchmark app: target `prod`, stack `prod`, `n` copies of the body, the aws
/// provider with the fake credentials the CDK for Terraform program sets by default.
pub fn app(n: usize) -> App {
    let mut app = App::new();
    app.schemas(terrane_aws::schema());
    app.target("prod", "the cdktf benchmark stack", move |t| {
        let mut s = Stack::new("prod");
        s.provider(
            AwsProvider::new()
                .region("us-east-1")
                .access_key("test")
                .secret_key("test")
                .skip_credentials_validation(true)
                .skip_requesting_account_id(true)
                .skip_metadata_api_check("true"),
        );
        for i in 0..n {
            add_body(&mut s, &Replica::new(i, n));
        }
        t.add_stack(s);
    });
    app
}

#[cfg(test)]
mod tests {
    fn resources(n: usize) -> (usize, usize, serde_json::Value) {
        let out = match super::app(n).synth("prod") {
            Ok(o) => o,
            Err(e) => panic!("{e}"),
        };
        let text = out.file("prod/main.tf.json").unwrap_or_default();
        let json: serde_json::Value = match serde_json::from_str(text) {
            Ok(j) => j,
            Err(e) => panic!("{e}"),
        };
        let count = |k: &str| {
            json[k]
                .as_object()
                .map(|o| {
                    o.values()
                        .filter_map(|v| v.as_object())
                        .map(|m| m.len())
                        .sum()
                })
                .unwrap_or(0)
        };
        (
            count("resource"),
            json["output"].as_object().map_or(0, |o| o.len()),
            json,
        )
    }

    #[test]
    fn one_copy_is_the_53_resources_and_3_outputs_of_the_cdktf_stack_and_passes_the_check() {
        let (res, outputs, json) = resources(1);
        assert_eq!((res, outputs), (53, 3));
        assert!(json["resource"]["aws_eks_node_group"]["ng_spot"].is_object());
        assert_eq!(
            json["resource"]["aws_vpc"]["vpc"]["cidr_block"],
            "10.0.0.0/16"
        );
    }

    #[test]
    fn copies_are_suffixed_as_in_the_cdktf_program() {
        let (res, outputs, json) = resources(2);
        assert_eq!((res, outputs), (106, 6));
        let vpc = &json["resource"]["aws_vpc"]["vpc_1"];
        assert_eq!(vpc["cidr_block"], "10.1.0.0/16");
        assert_eq!(vpc["tags"]["Name"], "prod-vpc-1");
    }
}
