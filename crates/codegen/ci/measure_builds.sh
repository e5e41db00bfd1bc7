#!/usr/bin/env bash
# build-time figures for BENCHMARKS.md (issue 16)
set -u
cd "$(dirname "$0")/../../.."
export CARGO_TARGET_DIR=/tmp/tb CARGO_INCREMENTAL=0
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; local rc=$?; local e=$(date +%s.%N); printf "%-90s %6.1f s rc=%d load=%s\n" "$*" "$(echo "$e - $s" | bc)" $rc "$(cut -d' ' -f1 /proc/loadavg)"; }
t cargo build -p terrane-core
for f in sqs dynamodb lambda wafv2 cloudfront ""; do t cargo build -p terrane-aws --no-default-features --features "$f"; done
t cargo build -p terrane-aws --no-default-features --features ec2,vpc,iam,rds,route53,cloudwatch,elb,api_gateway,s3,connect
t cargo build -p terrane-aws
t cargo build -p terrane-aws --features full
for f in dns kms container redis ""; do t cargo build -p terrane-gcp --no-default-features --features "$f"; done
t cargo build -p terrane-gcp --no-default-features --features compute,iap,dataplex,bigquery,storage,dataproc,scc,gke,apigee,kms
t cargo build -p terrane-gcp
t cargo build -p terrane-gcp --features full
