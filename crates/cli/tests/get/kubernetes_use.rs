//! Copied into the crate `terrane get kubernetes` writes (by .ci/get.sh) and run there:
//! a typed `kubernetes_namespace_v1` synthesizes, and the provider's blocks are checked
//! against the crate's embedded schema (core embeds no kubernetes schema) with no
//! `App::schemas` call.

use terrane_core::{App, GenericResource, Stack};
use terrane_kubernetes::namespace::{NamespaceV1, NamespaceV1Metadata};

fn app(bad_argument: bool) -> App {
    let mut app = App::new();
    app.target("dev", "", move |t| {
        let mut s = Stack::new("apps");
        let ns = s.add("web", NamespaceV1::new(NamespaceV1Metadata::new().name("web")));
        let key = if bad_argument { "namespce" } else { "namespace" };
        s.add(
            "cfg",
            GenericResource::new("kubernetes_config_map_v1")
                .arg("metadata", terrane_core::Tree::object([("name", "cfg".into()), (key, ns.id().into())])),
        );
        t.add_stack(s);
    });
    app
}

#[test]
fn a_typed_namespace_synthesizes() {
    let out = app(false).synth("dev").unwrap();
    let main = &out.files["apps/main.tf.json"];
    assert!(main.contains("\"kubernetes_namespace_v1\""), "{main}");
    assert!(main.contains("hashicorp/kubernetes"), "{main}");
}

#[test]
fn the_schema_check_is_on_with_no_call() {
    let e = app(true).synth("dev").unwrap_err().to_string();
    assert!(e.contains("unknown argument `namespce` (did you mean `namespace`?)"), "{e}");
}
