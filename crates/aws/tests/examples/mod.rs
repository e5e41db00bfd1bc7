//! Hand-written uses of the generated AWS and Helm types: built as a stack program
//! would, synthesized with the offline schema check, and snapshotted.

use terrane_aws::eks::*;
use terrane_aws::helm::{HelmProvider, HelmProviderKubernetes, Release, ReleaseSet};
use terrane_aws::iam::DataIamPolicyDocument;
use terrane_aws::iam::*;
use terrane_aws::rds::*;
use terrane_aws::vpc::*;
use terrane_aws::AwsProvider;
use terrane_aws::AwsProviderDefaultTags;
use terrane_core::{func, App, Handle, Output, Stack};

fn app() -> App {
    let mut app = App::new();
    app.schemas(terrane_aws::schema());
    app.target("demo", "generated aws types", |t| {
        let mut s = Stack::new("platform");
        s.provider(
            AwsProvider::new()
                .region("eu-west-1")
                .default_tags(AwsProviderDefaultTags::new().tags([("managed-by", "terrane")])),
        );
        let vpc = s.add(
            "main",
            Vpc::new()
                .cidr_block("10.0.0.0/16")
                .enable_dns_hostnames(true),
        );
        let a = s.add(
            "a",
            Subnet::new(vpc.id())
                .cidr_block("10.0.1.0/24")
                .availability_zone("eu-west-1a"),
        );
        let b = s.add(
            "b",
            Subnet::new(vpc.id())
                .cidr_block("10.0.2.0/24")
                .availability_zone("eu-west-1b"),
        );
        let igw = s.add("main", InternetGateway::new().vpc_id(vpc.id()));
        s.add(
            "public",
            RouteTable::new(vpc.id()).route(vec![RouteTableRoute::new()
                .cidr_block("0.0.0.0/0")
                .gateway_id(igw.id())]),
        );
        s.add(
            "web",
            SecurityGroup::new()
                .name("web")
                .vpc_id(vpc.id())
                .ingress(vec![SecurityGroupIngress::new(SecurityGroupIngressArgs {
                    from_port: 443.into(),
                    to_port: 443.into(),
                    protocol: "tcp".into(),
                })
                .cidr_blocks(["10.0.0.0/16"])]),
        );
        let assume = s.data(
            "eks_assume",
            DataIamPolicyDocument::new().statement(
                DataIamPolicyDocumentStatement::new()
                    .actions(["sts:AssumeRole"])
                    .principals(DataIamPolicyDocumentStatementPrincipals::new(
                        ["eks.amazonaws.com"],
                        "Service",
                    )),
            ),
        );
        let role = s.add("eks", IamRole::new(assume.json()).name("eks-cluster"));
        let eks = s.add(
            "main",
            EksCluster::new(EksClusterArgs {
                name: "main".into(),
                role_arn: role.arn().into(),
                vpc_config: EksClusterVpcConfig::new([a.id(), b.id()])
                    .endpoint_public_access(false),
            })
            .version("1.31")
            .access_config(EksClusterAccessConfig::new().authentication_mode("API")),
        );
        let subnets = s.add("db", DbSubnetGroup::new([a.id(), b.id()]).name("db"));
        let db = s.add(
            "orders",
            DbInstance::new("db.t4g.micro")
                .engine("postgres")
                .engine_version("16")
                .allocated_storage(20)
                .storage_encrypted(true)
                .manage_master_user_password(true)
                .username("orders")
                .db_subnet_group_name(subnets.name())
                .skip_final_snapshot(false),
        );
        let auth = s.data("main", DataEksClusterAuth::new(eks.name()));
        let helm = s.provider(
            HelmProvider::new().kubernetes(
                HelmProviderKubernetes::new()
                    .host(eks.endpoint())
                    .cluster_ca_certificate(func::call_fn::<String>(
                        "base64decode",
                        vec![eks.certificate_authority().at(0).data().node().clone()],
                    ))
                    .token(auth.token()),
            ),
        );
        let _ = helm;
        s.add(
            "ingress",
            Release::new("ingress-nginx", "ingress")
                .repository("https://kubernetes.github.io/ingress-nginx")
                .namespace("ingress")
                .set(vec![ReleaseSet::new("controller.replicaCount").value("2")]),
        );
        s.output("db_endpoint", Output::new(db.endpoint()));
        s.output(
            "db_secret",
            Output::new(db.master_user_secret().at(0).secret_arn()),
        );
        s.output(
            "oidc_issuer",
            Output::new(eks.identity().at(0).oidc().at(0).issuer()),
        );
        t.add_stack(s);
    });
    app
}

#[test]
fn eks_rds_and_helm_pass_the_schema_check() {
    let out = match app().synth("demo") {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let json = out.file("platform/main.tf.json").unwrap_or_default();
    assert!(json.contains("${base64decode(aws_eks_cluster.main.certificate_authority[0].data)}"));
    assert!(json.contains("${aws_eks_cluster.main.identity[0].oidc[0].issuer}"));
    insta::assert_snapshot!("eks_rds_helm", json);
}

#[test]
fn sensitive_attributes_are_marked() {
    let mut s = Stack::new("x");
    let auth = s.data("main", DataEksClusterAuth::new("main"));
    match auth.token().node() {
        terrane_core::Node::Ref(r) => assert!(r.sensitive),
        other => panic!("not a reference: {other:?}"),
    }
    let db = s.add("db", DbInstance::new("db.t4g.micro"));
    // `address` is the database host name; the Terraform address stays on `Handle`.
    assert_eq!(db.address_attr().to_hcl(), "aws_db_instance.db.address");
    assert_eq!(Handle::address(&db), "aws_db_instance.db");
}
