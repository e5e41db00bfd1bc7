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
