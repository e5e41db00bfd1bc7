//! Copied into the crate `terrane get datadog` writes (by hand; see BENCHMARKS.md) and
//! run there: a typed `datadog_monitor` synthesizes, and the provider's blocks are
//! checked against the crate's embedded schema with no `App::schemas` call.

use terrane_core::{App, GenericResource, Stack};
use terrane_datadog::monitor::{Monitor, MonitorArgs};

fn app(bad_argument: bool) -> App {
    let mut app = App::new();
    app.target("dev", "", move |t| {
        let mut s = Stack::new("alerts");
        let m = s.add(
            "cpu",
            Monitor::new(MonitorArgs {
                name: "cpu high".into(),
                type_: "metric alert".into(),
                query: "avg(last_5m):avg:system.cpu.user{*} > 90".into(),
                message: "cpu high @ops".into(),
            })
            .priority("2"),
        );
        let key = if bad_argument { "monitor_idd" } else { "monitor_id" };
        s.add(
            "quiet",
            GenericResource::new("datadog_downtime_schedule")
                .arg("scope", "env:dev")
                .arg(
                    "monitor_identifier",
                    terrane_core::Tree::object([(key, m.id().into())]),
                ),
        );
        t.add_stack(s);
    });
    app
}

#[test]
fn a_typed_monitor_synthesizes() {
    let out = app(false).synth("dev");
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let main = &out.files["alerts/main.tf.json"];
    assert!(main.contains("\"datadog_monitor\""), "{main}");
    assert!(main.contains("datadog/datadog"), "{main}");
}

#[test]
fn the_schema_check_is_on_with_no_call() {
    let e = app(true).synth("dev").unwrap_err().to_string();
    assert!(e.contains("unknown argument `monitor_idd`"), "{e}");
}
