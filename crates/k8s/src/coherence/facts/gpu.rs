//! NVIDIA GPUs per EC2 instance type, for GPU capacity of node groups.
//!
//! Source: AWS Batch user guide, "Run GPU jobs", table of GPU-based instance
//! types (<https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html>); the
//! g6 sizes above 12xlarge from the EC2 G6 page
//! (<https://aws.amazon.com/ec2/instance-types/g6/>).

/// (instance type, NVIDIA GPUs).
const GPUS: &[(&str, u64)] = &[
    ("g4dn.xlarge", 1),
    ("g4dn.2xlarge", 1),
    ("g4dn.4xlarge", 1),
    ("g4dn.8xlarge", 1),
    ("g4dn.12xlarge", 4),
    ("g4dn.16xlarge", 1),
    ("g5.xlarge", 1),
    ("g5.2xlarge", 1),
    ("g5.4xlarge", 1),
    ("g5.8xlarge", 1),
    ("g5.16xlarge", 1),
    ("g5.12xlarge", 4),
    ("g5.24xlarge", 4),
    ("g5.48xlarge", 8),
    ("g5g.xlarge", 1),
    ("g5g.2xlarge", 1),
    ("g5g.4xlarge", 1),
    ("g5g.8xlarge", 1),
    ("g5g.16xlarge", 2),
    ("g5g.metal", 2),
    ("g6.xlarge", 1),
    ("g6.2xlarge", 1),
    ("g6.4xlarge", 1),
    ("g6.8xlarge", 1),
    ("g6.16xlarge", 1),
    ("g6.12xlarge", 4),
    ("g6.24xlarge", 4),
    ("g6.48xlarge", 8),
];

/// The NVIDIA GPUs of one instance of `instance_type`, if the table knows it.
pub(crate) fn gpus_per_instance(instance_type: &str) -> Option<u64> {
    GPUS.iter()
        .find(|(t, _)| *t == instance_type)
        .map(|(_, n)| *n)
}

/// True when `instance_type` belongs to an NVIDIA GPU family (`g4dn`, `g5`, `p4d`,
/// ...), known to the table or not (`g4ad` has AMD GPUs).
pub(crate) fn is_gpu_family(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or_default();
    (family.starts_with('g') && family != "g4ad") || family.starts_with('p')
}
