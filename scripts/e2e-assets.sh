#!/usr/bin/env bash
# Installs and builds what the launcher's end-to-end tests need (tests/launch_e2e.rs):
#   * qemu-system-x86 (qemu-system-x86_64 and, on Debian 12, /usr/lib/qemu/virtiofsd),
#     busybox-static and cpio, from Debian's packages, when missing (as root);
#   * a Debian kernel: the versioned linux-image-*-amd64 package that linux-image-amd64 depends on,
#     fetched with `apt-get download` and unpacked with `dpkg-deb -x`: target/e2e/vmlinuz and the few
#     modules the test initramfs loads (virtio PCI, virtio console, virtio-scsi, virtiofs);
#   * a busybox initramfs, target/e2e/initrd.img, whose /init is fixtures/launch/e2e-init.sh.
# The kernel is kept between runs (target/e2e/kernel-version); the initramfs is rebuilt every time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/e2e
mkdir -p "$out"

is_root() { [ "$(id -u)" = 0 ]; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Without root nothing can be installed: outside CI the end-to-end tests then skip themselves.
cannot() {
    echo "e2e-assets: $1" >&2
    if [ -n "${CI:-}" ]; then exit 1; fi
    echo "e2e-assets: the end-to-end tests will be skipped" >&2
    exit 0
}

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
installed busybox-static || missing+=(busybox-static)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
updated=0
if [ ${#missing[@]} -gt 0 ]; then
    is_root || cannot "missing ${missing[*]}; run as root or install them"
    echo "e2e-assets: installing ${missing[*]}" >&2
    apt-get update -q >/dev/null
    updated=1
    # qemu-system-x86 replaces a newer qemu-utils; nothing here needs qemu-img.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The device host of the virtiofs test: Debian 12 ships it in qemu-system-common
# (/usr/lib/qemu/virtiofsd); later releases package it separately.
if ! [ -x /usr/libexec/virtiofsd ] && ! [ -x /usr/lib/qemu/virtiofsd ] && ! command -v virtiofsd >/dev/null 2>&1 &&
    is_root && apt-cache policy virtiofsd 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends virtiofsd >/dev/null
fi

if [ ! -s "$out/vmlinuz" ] || [ ! -s "$out/kernel-version" ] || [ ! -d "$out/modules" ]; then
    if [ "$updated" = 0 ] && ! apt-cache depends linux-image-amd64 2>/dev/null | grep -q 'Depends: linux-image-[0-9]'; then
        is_root || cannot "the apt lists are empty; run as root"
        apt-get update -q >/dev/null
    fi
    pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$pkg" ] || { echo "e2e-assets: cannot resolve linux-image-amd64" >&2; exit 1; }
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    chmod 755 "$work"
    echo "e2e-assets: downloading $pkg" >&2
    (cd "$work" && apt-get download -q "$pkg" >/dev/null 2>&1)
    dpkg-deb -x "$work"/"$pkg"_*.deb "$work/root"
    version=${pkg#linux-image-}
    cp "$work/root/boot/vmlinuz-$version" "$out/vmlinuz"
    rm -rf "$out/modules"
    mkdir -p "$out/modules"
    kdir="$work/root/lib/modules/$version/kernel"
    for rel in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev \
        drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci drivers/char/virtio_console \
        drivers/scsi/scsi_common drivers/scsi/scsi_mod drivers/scsi/virtio_scsi fs/fuse/fuse fs/fuse/virtiofs; do
        # A module that is built in (or absent) in this kernel is simply not copied.
        if [ -f "$kdir/$rel.ko" ]; then
            cp "$kdir/$rel.ko" "$out/modules/"
            basename "$rel" >>"$out/modules/order"
        fi
    done
    echo "$version" >"$out/kernel-version"
    rm -rf "$work"
    trap - EXIT
fi

# The initramfs: static busybox, /init, the modules in load order. Uncompressed newc cpio.
root="$out/initramfs"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib/modules" "$root/dev" "$root/proc" "$root/sys" "$root/mnt"
cp /bin/busybox "$root/bin/busybox"
cp fixtures/launch/e2e-init.sh "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
cp "$out"/modules/* "$root/lib/modules/"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
rm -rf "$root"
echo "e2e-assets: kernel $(cat "$out/kernel-version"), $out/vmlinuz, $out/initrd.img ($(stat -c %s "$out/initrd.img") bytes)" >&2
