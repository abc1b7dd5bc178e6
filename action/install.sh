#!/usr/bin/env bash
# Installs dsd for the GitHub Action into "$1/bin": the release binary of the
# Action's own tag for this runner, checked against its SHA-256; else (a branch
# or commit as the Action's ref, a platform with no binary, a failed download)
# `cargo install` from the Action's checkout. Says which it did.
#
# Environment: DSD_REF (github.action_ref), DSD_REPO (github.action_repository),
# DSD_SOURCE (github.action_path), RUNNER_OS and RUNNER_ARCH (set by the runner).
set -euo pipefail
root="${1:?usage: install.sh ROOT}"
mkdir -p "$root/bin"

target=""
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
esac

from_source() {
  echo "dsd: building from source ($1)"
  cargo install --locked --path "${DSD_SOURCE:?}" --root "$root"
}

ref="${DSD_REF:-}"
if [[ -z "$target" ]]; then
  from_source "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
  exit 0
fi
if [[ ! "$ref" =~ ^v[0-9] ]]; then
  from_source "the Action's ref \`${ref:-none}\` is not a release tag"
  exit 0
fi

ext=tar.gz
[[ "$target" == *windows* ]] && ext=zip
name="dsd-$target"
url="https://github.com/${DSD_REPO:?}/releases/download/$ref/$name.$ext"
tmp="$(mktemp -d)"
if ! curl -fsSL --retry 3 -o "$tmp/$name.$ext" "$url" \
  || ! curl -fsSL --retry 3 -o "$tmp/$name.$ext.sha256" "$url.sha256"; then
  from_source "could not download $url"
  exit 0
fi
(
  cd "$tmp"
  if command -v sha256sum >/dev/null; then
    sha256sum -c "$name.$ext.sha256"
  else
    shasum -a 256 -c "$name.$ext.sha256"
  fi
) || { echo "dsd: $name.$ext does not match its published SHA-256" >&2; exit 1; }
if [[ "$ext" == zip ]]; then
  (cd "$tmp" && unzip -q "$name.zip")
  cp "$tmp/$name/dsd.exe" "$root/bin/"
else
  tar -C "$tmp" -xzf "$tmp/$name.tar.gz"
  cp "$tmp/$name/dsd" "$root/bin/"
fi
echo "dsd: installed the $ref release binary for $target"
