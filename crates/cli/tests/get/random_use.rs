//! Copied into the crate `terrane get random` writes (by .ci/get.sh) and run there:
//! a typed `random_password` synthesizes, and the provider's blocks are checked
//! against the crate's embedded schema with no `App::schemas` call.

use terrane_core::{App, GenericResource, Stack};
use terrane_random::password::Password;

fn app(bad_argument: bool) -> App {
    let mut app = App::new();
    app.target("dev", "", move |t| {
        let mut s = Stack::new("db");
        let p = s.add("admin", Password::new(24).special(false).min_numeric(2));
        // an untyped block of the same provider: checked against the embedded schema too
        let key = if bad_argument { "byte_lenght" } else { "byte_length" };
        s.add("echo", GenericResource::new("random_id").arg(key, 8).arg("prefix", p.result()));
        t.add_stack(s);
    });
    app
}

#[test]
fn a_typed_password_synthesizes() {
    let out = app(false).synth("dev").unwrap();
    let main = &out.files["db/main.tf.json"];
    assert!(main.contains("\"random_password\""), "{main}");
    assert!(main.contains("\"length\": 24"), "{main}");
    assert!(main.contains("hashicorp/random"), "{main}");
}

#[test]
fn the_schema_check_is_on_with_no_call() {
    let e = app(true).synth("dev").unwrap_err().to_string();
    assert!(e.contains("unknown argument `byte_lenght` (did you mean `byte_length`?)"), "{e}");
}
