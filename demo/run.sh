#!/usr/bin/env bash
# The demo: builds what it needs, starts a real kube-apiserver + etcd, the Phala Cloud simulator and
# the operator, applies examples/payments/, waits for READY 3/3, rotates a Secret and shows the
# rollout. Ctrl-C stops everything. Flags: --once (exit after the rotation), --boot-time <ms>.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building (the first run also builds the Kubernetes binaries from Go modules: about 5 minutes)..."
./mvnw -q -pl demo -am package -DskipTests -Dspotless.check.skip=true
exec java -jar demo/target/phala-demo.jar "$@"
