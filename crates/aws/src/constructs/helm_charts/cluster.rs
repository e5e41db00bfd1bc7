//! The cluster-services charts: ingress (ingress-nginx behind the ALB of an `alb`
//! Ingress the AWS Load Balancer Controller provisions), certificates, secrets, resource metrics, pod and
//! node autoscaling, public DNS records, and the NVIDIA device plugin.

use terrane_core::{Tree, Value};

use super::{gpu_toleration, irsa_service_account, list, obj, require_node_label, HelmChart};

impl HelmChart {
    /// ingress-nginx 4.15.1 (IngressClass `nginx`), `replicas` controllers behind a
    /// ClusterIP Service, reached from the internet through an Application Load
    /// Balancer (an Ingress of class `alb`, which the AWS Load Balancer Controller
    /// turns into an ALB that a WAF web ACL can guard; `terrane_k8s::AlbEdge`),
    /// trusting its X-Forwarded-* headers: installed after the controller.
    pub fn ingress_nginx(replicas: u32) -> Self {
        let values = obj([(
            "controller",
            obj([
                ("replicaCount", Tree::from(replicas)),
                // Reached through the ALB of an `alb` Ingress (WAF attaches to ALBs,
                // not NLBs), which sets X-Forwarded-Proto: trust it, or the HTTPS
                // redirects of the Ingresses loop.
                ("service", obj([("type", Tree::from("ClusterIP"))])),
                (
                    "config",
                    obj([
                        ("use-forwarded-headers", Tree::from("true")),
                        ("compute-full-forwarded-for", Tree::from("true")),
                    ]),
                ),
                ("metrics", obj([("enabled", Tree::from(true))])),
            ]),
        )]);
        Self::new(
            "ingress-nginx",
            "https://kubernetes.github.io/ingress-nginx",
            "ingress-nginx",
            "4.15.1",
            "ingress-nginx",
            values,
        )
        .after("aws-load-balancer-controller")
    }

    /// cert-manager v1.21.1 with its CRDs (`crds.enabled`; the ClusterIssuer is a
    /// manifest of the target).
    pub fn cert_manager() -> Self {
        let values = obj([("crds", obj([("enabled", Tree::from(true))]))]);
        Self::new(
            "cert-manager",
            "https://charts.jetstack.io",
            "cert-manager",
            "v1.21.1",
            "cert-manager",
            values,
        )
    }

    /// external-secrets 2.9.0 (serves `external-secrets.io/v1`), reading Secrets
    /// Manager through an IRSA role; its CRDs are installed by default.
    pub fn external_secrets(role_arn: impl Into<Value<String>>) -> Self {
        let values = obj([(
            "serviceAccount",
            irsa_service_account("external-secrets", role_arn.into()),
        )]);
        Self::new(
            "external-secrets",
            "https://charts.external-secrets.io",
            "external-secrets",
            "2.9.0",
            "external-secrets",
            values,
        )
    }

    /// The AWS Load Balancer Controller 3.5.0 for `cluster_name` in `vpc_id`, two
    /// replicas, acting through an IRSA role (its published IAM policy).
    pub fn aws_load_balancer_controller(
        cluster_name: impl Into<Value<String>>,
        region: &str,
        vpc_id: impl Into<Value<String>>,
        role_arn: impl Into<Value<String>>,
    ) -> Self {
        let values = obj([
            ("clusterName", Tree::from(cluster_name.into())),
            ("region", Tree::from(region)),
            ("vpcId", Tree::from(vpc_id.into())),
            ("replicaCount", Tree::from(2)),
            (
                "serviceAccount",
                irsa_service_account("aws-load-balancer-controller", role_arn.into()),
            ),
        ]);
        Self::new(
            "aws-load-balancer-controller",
            "https://aws.github.io/eks-charts",
            "aws-load-balancer-controller",
            "3.5.0",
            "kube-system",
            values,
        )
    }

    /// metrics-server 3.13.1 (`v1beta1.metrics.k8s.io`, what resource-metric HPAs
    /// read), two replicas.
    pub fn metrics_server() -> Self {
        Self::new(
            "metrics-server",
            "https://kubernetes-sigs.github.io/metrics-server/",
            "metrics-server",
            "3.13.1",
            "kube-system",
            obj([("replicas", Tree::from(2))]),
        )
    }

    /// The Vertical Pod Autoscaler 0.11.0 (kubernetes/autoscaler chart): recommender,
    /// updater and admission controller, and the `autoscaling.k8s.io/v1` CRDs.
    pub fn vertical_pod_autoscaler() -> Self {
        Self::new(
            "vertical-pod-autoscaler",
            "https://kubernetes.github.io/autoscaler",
            "vertical-pod-autoscaler",
            "0.11.0",
            "kube-system",
            obj([]),
        )
    }

    /// The NVIDIA device plugin 0.20.0 on the GPU nodes only: node affinity
    /// `accelerator: nvidia` (replacing the chart's NFD-label affinity, which EKS nodes
    /// never match) and a toleration of the `nvidia.com/gpu` taint.
    pub fn nvidia_device_plugin() -> Self {
        let values = obj([
            ("affinity", require_node_label("accelerator", "nvidia")),
            ("tolerations", list([gpu_toleration()])),
        ]);
        Self::new(
            "nvidia-device-plugin",
            "https://nvidia.github.io/k8s-device-plugin",
            "nvidia-device-plugin",
            "0.20.0",
            "kube-system",
            values,
        )
    }

    /// cluster-autoscaler 9.59.0 (1.35.0, the cluster's minor) discovering the node
    /// groups tagged for `cluster_name`, through an IRSA role; balances similar groups
    /// and picks the expansion that wastes least.
    pub fn cluster_autoscaler(
        cluster_name: impl Into<Value<String>>,
        region: &str,
        role_arn: impl Into<Value<String>>,
    ) -> Self {
        let values = obj([
            (
                "autoDiscovery",
                obj([("clusterName", Tree::from(cluster_name.into()))]),
            ),
            ("awsRegion", Tree::from(region)),
            (
                "rbac",
                obj([(
                    "serviceAccount",
                    irsa_service_account("cluster-autoscaler", role_arn.into()),
                )]),
            ),
            (
                "extraArgs",
                obj([
                    ("balance-similar-node-groups", Tree::from(true)),
                    ("expander", Tree::from("least-waste")),
                    ("skip-nodes-with-system-pods", Tree::from(false)),
                ]),
            ),
        ]);
        Self::new(
            "cluster-autoscaler",
            "https://kubernetes.github.io/autoscaler",
            "cluster-autoscaler",
            "9.59.0",
            "kube-system",
            values,
        )
    }

    /// external-dns 1.21.1 (0.21.0) keeping the Route 53 records of the hosts of the
    /// Ingresses of class `alb` (the public ALB; the ingress-nginx Ingresses behind it
    /// report a ClusterIP and must not become records) in hosted zone `zone_id`, names
    /// under `domain` only, through an IRSA role; its ServiceMonitor is selected by the
    /// `kube-prometheus-stack` release, which it is installed after (the CRD).
    ///
    /// `policy: sync`: a host removed from the Ingress loses its record (upsert-only
    /// would leave it pointing at an ALB that may be gone); the TXT registry with
    /// `owner_id` (one per target) limits changes and deletions to the records this
    /// cluster created, so two clusters writing in one zone, or records made by hand
    /// or by Terraform (ACM validation), are never touched.
    pub fn external_dns(
        domain: &str,
        zone_id: impl Into<Value<String>>,
        owner_id: &str,
        role_arn: impl Into<Value<String>>,
    ) -> Self {
        let values = obj([
            ("provider", obj([("name", Tree::from("aws"))])),
            ("sources", list([Tree::from("ingress")])),
            ("policy", Tree::from("sync")),
            ("registry", Tree::from("txt")),
            ("txtOwnerId", Tree::from(owner_id)),
            ("domainFilters", list([Tree::from(domain)])),
            (
                "extraArgs",
                obj([
                    ("ingress-class", list([Tree::from("alb")])),
                    ("zone-id-filter", list([Tree::from(zone_id.into())])),
                    ("aws-zone-type", Tree::from("public")),
                ]),
            ),
            (
                "serviceAccount",
                irsa_service_account("external-dns", role_arn.into()),
            ),
            // Scraped by the kube-prometheus-stack release (its selector label).
            (
                "serviceMonitor",
                obj([
                    ("enabled", Tree::from(true)),
                    (
                        "additionalLabels",
                        obj([("release", Tree::from("kube-prometheus-stack"))]),
                    ),
                ]),
            ),
        ]);
        Self::new(
            "external-dns",
            "https://kubernetes-sigs.github.io/external-dns/",
            "external-dns",
            "1.21.1",
            "external-dns",
            values,
        )
        .after("aws-load-balancer-controller")
        .after("kube-prometheus-stack")
    }
}
