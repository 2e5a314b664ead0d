#!/usr/bin/env bash
# Sealing in one job: openssl speed (the ceiling), this operator's sealer before and after issue 18
# (SealRate, then JMH) and the official Node SDK's encryptEnvVars, on the same envs and machine.
# The machine may be shared: every section prints the load, and SealRate and the Node script also
# report seals per CPU-second, the unit openssl speed uses. Results: bench/results/sealing.md.
# Usage: bench/seal-compare.sh   (after ./mvnw -q -pl bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -pl bench -am package -DskipTests" >&2; exit 1; }
if [ ! -d bench/node/node_modules ]; then
  (cd bench/node && npm ci --no-audit --no-fund)
fi

section() { echo; echo "## $1 ($(date -u +%H:%M:%S) UTC, load:$(cut -d' ' -f1-3 /proc/loadavg))"; }

section machine
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
java -version 2>&1 | head -1
echo "node $(node --version), $(openssl version)"

section "openssl speed (ops per CPU-second)"
openssl speed -seconds 5 ecdhx25519 2>/dev/null | tail -2
openssl speed -seconds 5 -evp aes-256-gcm -bytes 2048 2>/dev/null | tail -2
openssl speed -seconds 5 -evp aes-256-gcm -bytes 1048576 2>/dev/null | tail -2

section "SealRate: now vs BaselineSealer, interleaved"
java -cp "$JAR" cloud.phala.operator.bench.SealRate 20 10 3

section "Node SDK @phala/cloud encryptEnvVars"
(cd bench/node && node seal-bench.mjs 6 10)

section "JMH SealBenchmark"
java -jar "$JAR" SealBenchmark 2>&1 | grep -E '^(Benchmark|SealBenchmark)'

section end
