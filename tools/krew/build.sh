#!/usr/bin/env bash
# Builds krew (the kubectl plugin manager) from its Go module into a cache keyed by version, only
# when missing, so KrewInstallIT can run `kubectl krew install --manifest --archive` offline on the
# manifest and archive the build made. Prints the directory that holds kubectl-krew.
#
#   $1                the krew version (kubectl-plugin/pom.xml's krew.version)
#   PHALA_K8S_CACHE   cache root (default ~/.cache/phala-operator/k8s, shared with tools/k8s)
#   GO                the Go command (default: go on the PATH)
set -euo pipefail

version="$1"
cache="${PHALA_K8S_CACHE:-$HOME/.cache/phala-operator/k8s}"
dir="$cache/krew-v$version"

if [ -x "$dir/kubectl-krew" ]; then
  echo "krew: $dir/kubectl-krew"
  exit 0
fi

go_cmd="${GO:-go}"
if ! command -v "$go_cmd" >/dev/null 2>&1; then
  echo "tools/krew/build.sh: Go is not installed, and krew is missing from $dir" >&2
  exit 1
fi

mkdir -p "$cache"
exec 9>"$cache/.krew.lock"
flock 9
if [ ! -x "$dir/kubectl-krew" ]; then
  tmp="$(mktemp -d "$cache/.krew-build.XXXXXX")"
  GOBIN="$tmp" "$go_cmd" install "sigs.k8s.io/krew/cmd/krew@v$version"
  mv "$tmp/krew" "$tmp/kubectl-krew"
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
echo "krew: $dir/kubectl-krew"
