#!/usr/bin/env bash
# Builds the offline dstack-verifier test double (this directory's Rust crate) with
# `cargo build --release --locked` into a cache keyed by the crate's version, the dcap-qvl version
# and a hash of its sources, only when missing. Prints the binary's path.
#
#   $1                          optional: a path to link to the binary (cloud-client links target/dstack-verifier-double)
#   PHALA_DSTACK_VERIFIER_CACHE cache root (default ~/.cache/phala-operator)
#   CARGO                       the cargo command (default: cargo on the PATH, else ~/.cargo/bin/cargo)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)"
dcap_version="$(sed -n 's/^dcap-qvl = { version = "=\([^"]*\)".*/\1/p' "$here/Cargo.toml")"
# Editing the Rust code without bumping the version must not reuse a stale binary.
sources="$(cd "$here" && cat Cargo.toml Cargo.lock src/*.rs | sha256sum | cut -c1-12)"
cache="${PHALA_DSTACK_VERIFIER_CACHE:-$HOME/.cache/phala-operator}"
dir="$cache/dstack-verifier-$version-dcap-qvl-$dcap_version-$sources"
binary="$dir/dstack-verifier-double"

finish() {
  if [ -n "${1:-}" ]; then
    mkdir -p "$(dirname "$1")"
    ln -sfn "$binary" "$1"
  fi
  echo "dstack-verifier-double: $binary"
}

if [ -x "$binary" ]; then
  finish "${1:-}"
  exit 0
fi

cargo_cmd="${CARGO:-cargo}"
if [ -z "${CARGO:-}" ] && ! command -v cargo >/dev/null 2>&1; then
  cargo_cmd="$HOME/.cargo/bin/cargo" # where rustup puts it, often not on the PATH of a build
fi
if ! command -v "$cargo_cmd" >/dev/null 2>&1; then
  echo "tools/dstack-verifier/build.sh: cargo is not installed (https://rustup.rs), and the binary is missing from $dir" >&2
  exit 1
fi

mkdir -p "$cache"
exec 9>"$cache/.dstack-verifier.lock"
flock 9
if [ ! -x "$binary" ]; then
  tmp="$(mktemp -d "$cache/.dstack-verifier-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "tools/dstack-verifier/build.sh: building once for this version (cargo build --release --locked)" >&2
  if ! CARGO_TARGET_DIR="$tmp/target" "$cargo_cmd" build --release --locked --manifest-path "$here/Cargo.toml" >&2; then
    echo "tools/dstack-verifier/build.sh: the build failed; see cargo's output above" >&2
    exit 1
  fi
  mkdir -p "$tmp/out"
  cp "$tmp/target/release/dstack-verifier-double" "$tmp/out/"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
fi
finish "${1:-}"
