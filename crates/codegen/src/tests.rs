use crate::model::{camel, doc_lines, ident};

#[test]
fn names() {
    assert_eq!(camel("cloud_run_v2_service"), "CloudRunV2Service");
    assert_eq!(camel("db_instance"), "DbInstance");
    assert_eq!(ident("type", &[]), "type_");
    assert_eq!(ident("self", &[]), "self_");
    assert_eq!(ident("match", &[]), "match_");
    assert_eq!(ident("address", &["address"]), "address_attr");
    assert_eq!(ident("cidr_block", &["address"]), "cidr_block");
}

#[test]
fn descriptions_become_inert_docs() {
    // fences never become doctests, tabs become spaces, list continuations are indented
    let d = doc_lines("Intro.\n\n```\nfoo()\n```\n* item one\ncontinued\n\tTabbed\n\n\n\nEnd.\n");
    assert_eq!(
        d,
        vec![
            "Intro.", "", "```text", "foo()", "```", "* item one", "  continued", "  Tabbed", "", "End."
        ]
    );
    assert_eq!(doc_lines("```\nunclosed"), vec!["```text", "unclosed", "```"]);
}

#[test]
fn brackets_and_urls_stay_text() {
    assert_eq!(
        doc_lines("projects/[PROJECT_ID] see https://cloud.google.com/run. and [docs](https://x.y/z) `[a]`"),
        vec!["projects/\\[PROJECT_ID\\] see <https://cloud.google.com/run>. and [docs](https://x.y/z) `[a]`"]
    );
}
