#!/bin/sh
# Builds the Linux test guest (see README.md): Debian's kernel and
# busybox-static, fetched with apt-get download into OUT/debs (kept: a
# second build downloads nothing), unpacked into a scratch folder that is
# removed again, and an initramfs holding busybox, the few kernel modules
# the tests need, our two programs (vdagent, kms) and init.
#
#   build.sh OUT VDAGENT KMS
#
# writes OUT/vmlinuz and OUT/initrd.img (atomically: a failed build leaves
# the previous pair).
set -eu
mkdir -p "$1"
out=$(cd "$1" && pwd) vdagent=$2 kms=$3
here=$(cd "$(dirname "$0")" && pwd)
debs=$out/debs
scratch=$out/scratch
mkdir -p "$debs"
rm -rf "$scratch"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT

# The kernel: the package linux-image-amd64 points at (its version moves
# with Debian's point releases; the cache keeps whatever was fetched).
fetch() {
	ls "$debs"/"$1"_*.deb >/dev/null 2>&1 && return 0
	(cd "$debs" && apt-get download "$1" >/dev/null 2>&1) || {
		echo "build.sh: apt-get download $1 failed (is Debian's archive reachable? apt-get update?)" >&2
		exit 1
	}
}
if ! ls "$debs"/linux-image-*-amd64_*.deb >/dev/null 2>&1; then
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
	[ -n "$kpkg" ] || { echo "build.sh: apt-cache knows no linux-image-amd64" >&2; exit 1; }
	fetch "$kpkg"
fi
fetch busybox-static

# Only the files needed come out of the kernel package (it unpacks to
# 400 MB): vmlinuz, and the module tree's drivers we pick from.
kdeb=$(ls "$debs"/linux-image-*-amd64_*.deb | head -n 1)
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$scratch" \
	--wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/virtio/*' \
	'./lib/modules/*/kernel/drivers/char/virtio_console.ko' \
	'./lib/modules/*/kernel/drivers/gpu/drm/*'
dpkg-deb -x "$debs"/busybox-static_*.deb "$scratch/bb"
bb=$scratch/bb/bin/busybox
mods=$(ls -d "$scratch"/lib/modules/*)

# Load order: each module after what its .modinfo "depends=" names
# (no depmod/modinfo on the host; objcopy reads the section).
module_file() {
	find "$mods/kernel" \( -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" \) | head -n 1
}
module_deps() {
	objcopy -O binary --only-section=.modinfo "$(module_file "$1")" /dev/stdout |
		tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
seen=" " order=""
add_module() {
	case "$seen" in *" $1 "*) return 0 ;; esac
	seen="$seen$1 "
	for d in $(module_deps "$1"); do add_module "$d"; done
	order="$order $1"
}
for m in virtio_pci virtio_console virtio_gpu; do add_module "$m"; done

root=$scratch/root
mkdir -p "$root/bin" "$root/modules" "$root/proc" "$root/sys" "$root/dev" \
	"$root/run" "$root/tmp"
cp "$bb" "$root/bin/busybox"
for m in $order; do
	cp "$(module_file "$m")" "$root/modules/$m.ko"
	echo "$m" >>"$root/modules/order"
done
cp "$vdagent" "$root/bin/vdagent"
cp "$kms" "$root/bin/kms"
cp "$here/init" "$root/init"
chmod 755 "$root/init" "$root/bin/"*
(cd "$root" && find . | sed 's|^\./||' | grep -v '^\.$' |
	"$bb" cpio -o -H newc 2>/dev/null) >"$out/initrd.img.tmp"
cp "$scratch"/boot/vmlinuz-* "$out/vmlinuz.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
echo "linux guest: $out/vmlinuz $out/initrd.img (modules:$order)"
