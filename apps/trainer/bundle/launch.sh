#!/bin/sh
# The launcher of the portable bundle: `inv` and `inv-bench` are this same script, and each runs
# lib/<its own name>.mjs on the bundle's Node (node/node, unpacked from node/node.xz on first use), else on
# $INV_NODE, else on the `node` on PATH. Needs only a POSIX shell and xz or python3 (for the first unpacking).
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
name=$(basename -- "$0")

# FILE from FILE.xz, once; a partial file never takes FILE's name, so an interrupted unpacking redoes itself.
unpack() {
  [ -e "$1" ] || [ ! -e "$1.xz" ] && return 0
  partial="$1.partial.$$"
  if ! : 2>/dev/null >"$partial"; then
    echo "$name: cannot write $partial: the bundle unpacks itself on first use; copy it to a writable folder" >&2
    exit 1
  fi
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1.xz" >"$partial"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1.xz" "$partial"
  else
    rm -f "$partial"
    echo "$name: cannot unpack $1.xz: neither xz nor python3 is on PATH" >&2
    exit 1
  fi
  chmod 755 "$partial"
  mv -f "$partial" "$1"
}

unpack "$here/node/node"
if [ -n "${INV_NODE:-}" ]; then
  node=$INV_NODE
elif [ -x "$here/node/node" ]; then
  node=$here/node/node
elif command -v node >/dev/null 2>&1; then
  node=node
else
  echo "$name: no Node: this bundle was built without one (--no-node) and none is on PATH; install Node >= 20.19 or set INV_NODE" >&2
  exit 1
fi
if ! "$node" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "$name: $node is Node $("$node" --version), this bundle needs >= 20.19" >&2
  exit 1
fi

# Dawn (WebGPU) and, where the system has none, the Vulkan loader it opens.
unpack "$here/lib/node_modules/webgpu/dist/linux-x64/dawn.node"
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libvulkan\.so\.1 '; then
  unpack "$here/lib/vulkan/libvulkan.so.1"
  LD_LIBRARY_PATH="$here/lib/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi
exec "$node" "$here/lib/$name.mjs" "$@"
