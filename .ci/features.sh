#!/usr/bin/env bash
# Every service feature of the provider crates builds alone: checks terrane-aws and
# terrane-gcp with no default features and one service (or none) for a sample of services,
# and each AWS construct with exactly the features it is gated by.
# Usage: .ci/features.sh   (fails on the first combination that does not compile or warns)
set -euo pipefail
cd "$(dirname "$0")/.."

check() {
    local crate=$1 features=$2 log
    echo "== cargo check -p $crate --no-default-features --features '$features'"
    # A warning here is a gate that is too wide or too narrow (dead code, unused import).
    if ! log=$(cargo check -p "$crate" --no-default-features --features "$features" --message-format short 2>&1); then
        echo "$log"
        return 1
    fi
    if grep -q "warning: \`$crate\` (lib) generated" <<<"$log"; then
        echo "$log"
        echo "warnings with features '$features' of $crate" >&2
        return 1
    fi
}

failed=()
# the issue 16 sample (wafv2, cloudfront, lambda, rds proxy, sqs, dynamodb), then the
# reference stacks' own, then none
for f in wafv2 cloudfront lambda rds sqs dynamodb vpc eks s3 kms helm ""; do
    check terrane-aws "$f" || failed+=("terrane-aws[$f]")
done
# Each construct with exactly the features its gate names (crates/aws/src/constructs/mod.rs):
# a gate missing a feature the construct uses fails here.
for f in "cloudwatch,iam,vpc" "cloudwatch,eks,iam" "cloudwatch,eks,helm,iam" "backup,iam,rds,vpc" \
    "elasticache,iam,vpc" "iam,s3" "cloudwatch,meta,sns" "kms,meta" "meta" "budgets" \
    "appautoscaling,cloudwatch,ecs,elb,iam,vpc"; do
    check terrane-aws "$f" || failed+=("terrane-aws[$f]")
done
# dns, kms, ssl policy (compute), container cluster, redis; then the reference stacks' own
for f in dns kms compute container redis sql cloud_run monitoring ""; do
    check terrane-gcp "$f" || failed+=("terrane-gcp[$f]")
done
# every service at once (1,526 + 608 aws types, 1,096 + 373 google)
check terrane-aws full || failed+=("terrane-aws[full]")
check terrane-gcp full || failed+=("terrane-gcp[full]")

if ((${#failed[@]})); then
    echo "features that do not build alone: ${failed[*]}" >&2
    exit 1
fi
echo "every sampled feature builds alone"
