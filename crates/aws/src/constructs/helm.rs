//! `HelmReleases`: charts installed on an EKS cluster as helm releases, values
//! rendered to YAML by terraform's `yamlencode`, the helm provider configured for the cluster.

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{func, Expr, Meta, Stack, Value};

use super::eks::EksClusterHandle;
use super::helm_charts::HelmChart;
use crate::helm::{
    HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec, Release, ReleaseRef,
};

/// Declared [`HelmReleases`]: one `helm_release` per chart.
#[derive(Debug, Clone)]
pub struct HelmReleasesHandle {
    releases: Vec<ReleaseRef>,
}

impl HelmReleasesHandle {
    /// The releases, in the order their charts were added.
    pub fn releases(&self) -> &[ReleaseRef] {
        &self.releases
    }
}

/// The platform services of a cluster as helm releases.
///
/// Defaults: the helm provider authenticates with `aws eks get-token` against the
/// given cluster; each release goes to its own namespace (created), is atomic (rolled
/// back on failure), waits for readiness (unless the chart says not to) and keeps 5 revisions; a chart that names
/// releases it must follow ([`HelmChart::after`]) depends on them.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{HelmChart, HelmReleases};
/// # use terrane_aws::constructs::EksCluster;
/// # use terrane_core::{Expr, Stack};
/// # let mut c = Stack::new("cluster");
/// # let eks = EksCluster::new("prod", vec![Expr::<String>::raw("var.a").into()], Expr::<String>::raw("var.k")).add_to(&mut c);
/// let mut platform = Stack::new("platform");
/// HelmReleases::new(&eks)
///     .chart(HelmChart::cert_manager())
///     .chart(HelmChart::ingress_nginx(3))
///     .add_to(&mut platform);
/// ```
#[derive(Debug, Clone)]
pub struct HelmReleases {
    endpoint: Expr<String>,
    ca: Expr<String>,
    cluster_name: Expr<String>,
    charts: Vec<HelmChart>,
}

impl HelmReleases {
    /// Releases on `cluster`.
    pub fn new(cluster: &EksClusterHandle) -> Self {
        HelmReleases {
            endpoint: cluster.endpoint(),
            ca: cluster.certificate_authority_data(),
            cluster_name: cluster.name(),
            charts: Vec::new(),
        }
    }
    /// Adds a chart.
    pub fn chart(mut self, c: HelmChart) -> Self {
        self.charts.push(c);
        self
    }
}

impl Construct for HelmReleases {
    type Handle = HelmReleasesHandle;

    /// Declares the helm provider and the releases.
    fn add_to(self, stack: &mut Stack) -> HelmReleasesHandle {
        let ca: Expr<String> = func::call_fn("base64decode", vec![self.ca.node().clone()]);
        stack.provider(
            HelmProvider::new().kubernetes(Value::Lit(
                HelmProviderKubernetes::new()
                    .host(self.endpoint.clone())
                    .cluster_ca_certificate(ca)
                    .exec(Value::Lit(
                        HelmProviderKubernetesExec::new(
                            "client.authentication.k8s.io/v1beta1",
                            "aws",
                        )
                        .args(vec![
                            Value::from("eks"),
                            Value::from("get-token"),
                            Value::from("--cluster-name"),
                            Value::from(self.cluster_name.clone()),
                        ]),
                    )),
            )),
        );
        let mut declared: Vec<(String, ReleaseRef)> = Vec::new();
        for c in self.charts {
            let values: Expr<String> =
                func::call_fn("yamlencode", vec![c.values().clone().into_node()]);
            let mut meta = Meta::new();
            for after in c.after_releases() {
                match declared.iter().find(|(name, _)| name == after) {
                    Some((_, r)) => meta = meta.depends_on(r),
                    None => {
                        stack.report(
                            &address("helm_release", c.release()),
                            "depends_on",
                            format!(
                                "release `{}` must be installed after `{after}`, which is not added before it",
                                c.release()
                            ),
                        );
                    }
                }
            }
            let release = stack.add_with(
                &block_name(c.release()),
                Release::new(c.chart(), c.release())
                    .repository(c.repository())
                    .version(c.version())
                    .namespace(c.namespace())
                    .create_namespace(true)
                    .atomic(c.waits())
                    .wait(c.waits())
                    .max_history(5)
                    .timeout(900)
                    .values(vec![values]),
                meta,
            );
            declared.push((c.release().to_string(), release));
        }
        let releases = declared.into_iter().map(|(_, r)| r).collect();
        HelmReleasesHandle { releases }
    }
}
