#!/usr/bin/env bash
# Property-based fuzzing (proptest, on the stable toolchain) of the JSON writer and
# its escaping, expression rendering, every text parser in core, the aws date
# parser, the Kubernetes quantity parser and the CLI's
# argument handling, for a fixed number of cases each. A finding fails the run and
# prints proptest's minimal failing input. Budget: about a minute on a loaded
# 2-core machine (timeout 5 minutes); set FUZZ_CASES to go further by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${FUZZ_CASES:-3000}"
echo "core properties: $cases cases each"
PROPTEST_CASES="$cases" timeout 300 cargo test -q -p terrane-core --lib properties
echo "aws date parser: $cases cases"
PROPTEST_CASES="$cases" timeout 300 cargo test -q -p terrane-aws --test tests properties
echo "k8s quantity parser: $cases cases"
PROPTEST_CASES="$cases" timeout 300 cargo test -q -p terrane-k8s --lib quantity::properties
echo "cli arguments: $(( cases / 3 )) cases"
PROPTEST_CASES="$(( cases / 3 ))" timeout 300 cargo test -q -p cli --test tests args
