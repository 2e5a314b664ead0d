#!/usr/bin/env bash
# Builds kube-apiserver, kubectl, etcd and helm from the Go modules beside this script into a cache
# keyed by version, building only what is missing. Prints the directories it provides.
#
#   PHALA_K8S_CACHE   cache root (default ~/.cache/phala-operator/k8s)
#   GO                the Go command (default: go on the PATH)
#
# Layout (kube-api-test reads <kube dir>/k8s/<version>-<os>-<arch>/{etcd,kube-apiserver,kubectl}):
#   $PHALA_K8S_CACHE/kube-v<kube>-etcd-v<etcd>/k8s/<kube>-linux-amd64/{kube-apiserver,kubectl,etcd}
#   $PHALA_K8S_CACHE/helm-v<helm>/helm
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prop() { sed -n "s/^$1=//p" "$here/versions.properties"; }
kube_version="$(prop kube.version)"
etcd_version="$(prop etcd.version)"
helm_version="$(prop helm.version)"

case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "build.sh: unsupported machine architecture $(uname -m)" >&2; exit 1 ;;
esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"

cache="${PHALA_K8S_CACHE:-$HOME/.cache/phala-operator/k8s}"
kube_dir="$cache/kube-v$kube_version-etcd-v$etcd_version"
kube_bin="$kube_dir/k8s/$kube_version-$os-$arch"
helm_dir="$cache/helm-v$helm_version"

present() { [ -x "$kube_bin/kube-apiserver" ] && [ -x "$kube_bin/kubectl" ] && [ -x "$kube_bin/etcd" ] && [ -x "$helm_dir/helm" ]; }

report() {
  echo "kube-apiserver, kubectl, etcd: $kube_bin"
  echo "helm: $helm_dir/helm"
}

if present; then
  report
  exit 0
fi

go_cmd="${GO:-go}"
if ! command -v "$go_cmd" >/dev/null 2>&1; then
  cat >&2 <<MSG
build.sh: Go is not installed, and the Kubernetes test binaries are missing from
  $kube_bin
Install Go 1.24 or newer (https://go.dev/dl/), or set PHALA_K8S_CACHE to a directory that already
holds them, then run this again.
MSG
  exit 1
fi

mkdir -p "$cache"
# One build at a time per cache; a second caller waits, then finds the binaries present.
exec 9>"$cache/.build.lock"
flock 9
rm -rf "$cache"/.tmp.* # left by a build that was interrupted; nobody else builds while we hold the lock
if present; then
  report
  exit 0
fi

build_into() { # <final dir> <label> <command...>: builds into a temp dir, then renames it into place
  local final="$1" label="$2"
  shift 2
  if [ -d "$final" ] && [ -n "$(ls -A "$final" 2>/dev/null)" ] && "$@" --check "$final"; then
    return 0
  fi
  local tmp start=$SECONDS
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  chmod 755 "$tmp"
  echo "build.sh: building $label, once for this version" >&2
  if ! "$@" "$tmp"; then
    rm -rf "$tmp"
    echo "build.sh: building $label failed; see the Go output above" >&2
    return 1
  fi
  rm -rf "$final"
  mkdir -p "$(dirname "$final")"
  mv -T "$tmp" "$final"
  echo "build.sh: built $label in $((SECONDS - start)) s" >&2
}

kube_ldflags() {
  local minor="${kube_version#*.}"
  minor="${minor%%.*}"
  local x=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x+=" -X $pkg.gitVersion=v$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    x+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "-s -w$x"
}

build_kube() { # [--check <dir>] | <out dir>
  if [ "$1" = --check ]; then
    [ -x "$2/k8s/$kube_version-$os-$arch/kube-apiserver" ] && [ -x "$2/k8s/$kube_version-$os-$arch/etcd" ]
    return
  fi
  local out="$1/k8s/$kube_version-$os-$arch"
  mkdir -p "$out"
  (cd "$here/kube" && "$go_cmd" build -trimpath -ldflags "$(kube_ldflags)" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  (cd "$here/etcd" && "$go_cmd" build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
}

build_helm() { # [--check <dir>] | <out dir>
  if [ "$1" = --check ]; then
    [ -x "$2/helm" ]
    return
  fi
  local minor="${kube_version#*.}"
  minor="${minor%%.*}"
  (cd "$here/helm" && "$go_cmd" build -trimpath -o "$1/helm" -ldflags "-s -w \
    -X helm.sh/helm/v3/internal/version.version=v$helm_version \
    -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" helm.sh/helm/v3/cmd/helm)
}

# The Go build cache grows to about 3 GB for these builds and is useless once the binaries exist.
export GOCACHE="$cache/.go-build-cache"
build_into "$kube_dir" "kube-apiserver v$kube_version, kubectl and etcd v$etcd_version (about 4 minutes on 2 cores)" build_kube
build_into "$helm_dir" "helm v$helm_version (about 1 minute)" build_helm
rm -rf "$GOCACHE"
report
