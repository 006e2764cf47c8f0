#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for inv: pnpm, the workspace's packages, and for the WebGPU tests a
# Vulkan driver (SwiftShader from Debian's chromium package, which also gives the browser tests their
# browser) and the Vulkan loader. Safe to run again: each step is skipped when already done.
#   --bench   also install PyTorch (Debian python3-torch), the peer the benchmarks compare against
set -euo pipefail
cd "$(dirname "$0")/../.."

PNPM_VERSION=12.21.0
apt_packages=()
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || apt_packages+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' || apt_packages+=(libvulkan1)
if [ "${1:-}" = "--bench" ] && ! python3 -c 'import torch' 2>/dev/null && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt_packages+=(python3-torch)
fi

if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${apt_packages[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "setup: warning: cannot install ${apt_packages[*]} (needs root and apt-get); WebGPU tests will be skipped" >&2
  fi
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g --silent "pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile
