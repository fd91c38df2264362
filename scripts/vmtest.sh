#!/usr/bin/env bash
# Run a command where /dev/kvm exists, on a host that has none: boots Debian's kernel in
# qemu-system-x86_64 with software emulation (TCG, -cpu max, which emulates AMD SVM with nested
# paging), loads kvm-amd there, and runs the command in this host's own root file system
# (9p, read-only) with the repository shared read-write at the same path, /tmp, /run and /root
# on tmpfs. The kvm backend then creates real KVM guests and tears them down through the real
# kernel code; the CPU that runs it is emulated, so its times are not those of any hardware
# (meta.json says: cpu "QEMU TCG CPU", hypervisor yes; pvbench report warns).
#   scripts/vmtest.sh [--mem SIZE] [--smp N] [--tcg-thread multi|single] [--timeout S]
#                     [--] COMMAND [ARG...]
# --tcg-thread single: every emulated CPU on one host thread, taking turns (no parallelism;
# QEMU 7.2's multi-threaded TCG has hung the VM with two CPUs running KVM guests).
# Exits with COMMAND's exit code; 2 for bad use; 4 when the VM cannot give /dev/kvm (reported
# as a skip by callers); 124 on timeout. Debian hosts (x86_64); installs qemu-system-x86,
# busybox-static, cpio and kmod, and fetches linux-image-amd64 into build-vmtest/.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd -P)
OUT=$REPO/build-vmtest
MEM=8G SMP=2 TIMEOUT=3600 TCGTHREAD=multi

usage() {
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--mem) MEM=${2:?--mem SIZE}; shift 2 ;;
	--smp) SMP=${2:?--smp N}; shift 2 ;;
	--timeout) TIMEOUT=${2:?--timeout SECONDS}; shift 2 ;;
	--tcg-thread) TCGTHREAD=${2:?--tcg-thread multi|single}; shift 2 ;;
	--) shift; break ;;
	-h | --help) usage ;;
	-*) echo "vmtest: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage
[ "$(uname -m)" = x86_64 ] || { echo "vmtest: x86_64 hosts only (TCG emulates SVM for x86)" >&2; exit 4; }
command -v apt-get >/dev/null || { echo "vmtest: needs a Debian host (fetches Debian's kernel)" >&2; exit 4; }

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
need=()
for p in qemu-system-x86 busybox-static cpio kmod; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- kernel: Debian's current linux-image-amd64, unpacked (cached in build-vmtest/) --------
mkdir -p "$OUT"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$pkg" ] || { $SUDO apt-get update -qq; pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
[ -n "$pkg" ] || { echo "vmtest: apt knows no linux-image-amd64" >&2; exit 4; }
KVER=${pkg#linux-image-}
KDIR=$OUT/kernel-$KVER
if [ ! -f "$KDIR/boot/vmlinuz-$KVER" ]; then
	rm -rf "$KDIR" "$OUT"/linux-image-*.deb
	(cd "$OUT" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "vmtest: apt-get download $pkg failed" >&2; exit 4; }
	mkdir -p "$KDIR.tmp"
	dpkg-deb -x "$OUT"/"$pkg"_*.deb "$KDIR.tmp"
	depmod -b "$KDIR.tmp" "$KVER"
	rm -f "$OUT"/"$pkg"_*.deb
	mv "$KDIR.tmp" "$KDIR"
fi
MODS=$KDIR/lib/modules/$KVER

# --- initramfs: busybox, the modules for 9p and KVM, and /init ------------------------------
STATE=$(mktemp -d "$OUT/run.XXXXXX")
trap 'rm -rf "$STATE"' EXIT
INITRD=$STATE/initrd
mkdir -p "$INITRD"/{bin,mods,proc,sys,dev,host}
cp /bin/busybox "$INITRD/bin/busybox"
: >"$INITRD/mods.order"
for m in virtio_pci 9pnet_virtio 9p kvm-amd; do
	line=$(grep -E "/$m\.ko(\.xz)?:" "$MODS/modules.dep") || { echo "vmtest: no module $m in $KVER" >&2; exit 4; }
	list=""
	for d in ${line#*:}; do list="$d $list"; done # modules.dep lists nearest first
	for d in $list ${line%%:*}; do
		b=$(basename "$d")
		grep -qx "$b" "$INITRD/mods.order" || { cp "$MODS/$d" "$INITRD/mods/"; echo "$b" >>"$INITRD/mods.order"; }
	done
done
cat >"$INITRD/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
hostname vmtest-tcg # the host column of pvbench's rows
for m in $(cat /mods.order); do insmod /mods/$m >/dev/null 2>&1 || echo "vmtest: insmod $m failed"; done
o=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $o,ro hostroot /host || { echo "vmtest: 9p root failed"; poweroff -f; }
mount -t proc proc /host/proc; mount -t sysfs sys /host/sys; mount -t devtmpfs dev /host/dev
mount -t devpts devpts /host/dev/pts 2>/dev/null
for d in tmp run root var/tmp; do mount -t tmpfs tmpfs /host/$d; done
mount -t tracefs tracefs /host/sys/kernel/tracing 2>/dev/null
mkdir -p /host/run/vmtest
mount -t 9p -o $o vmtest /host/run/vmtest
repo=$(cat /host/run/vmtest/repo)
mkdir -p "/host$repo" 2>/dev/null
mount -t 9p -o $o,cache=mmap repo "/host$repo" || echo "vmtest: 9p $repo failed"
if [ -c /dev/kvm ]; then
	chroot /host /bin/bash /run/vmtest/cmd.sh; echo $? >/host/run/vmtest/rc
else
	echo "vmtest: no /dev/kvm in the VM (kvm-amd did not load)"; echo 4 >/host/run/vmtest/rc
fi
sync; poweroff -f
EOF
chmod +x "$INITRD/init"
(cd "$INITRD" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$STATE/initrd.gz"

# --- the command: this shell's directory and PATH, its words quoted as given ---------------
echo "$REPO" >"$STATE/repo"
{
	echo "export PATH='$PATH' HOME=/root PVB_VMTEST=tcg"
	printf 'cd %q || exit 2\n' "$(pwd -P)"
	printf '%q ' exec "$@"
	echo
} >"$STATE/cmd.sh"

rc=0
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread="$TCGTHREAD" -cpu max -smp "$SMP" -m "$MEM" \
	-nodefaults -no-user-config -display none -no-reboot \
	-chardev stdio,id=con,signal=off -serial chardev:con \
	-kernel "$KDIR/boot/vmlinuz-$KVER" -initrd "$STATE/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$REPO",mount_tag=repo,security_model=none,multidevs=remap \
	-virtfs local,path="$STATE",mount_tag=vmtest,security_model=none,multidevs=remap </dev/null || rc=$?
[ "$rc" = 124 ] && { echo "vmtest: timed out after $TIMEOUT s" >&2; exit 124; }
[ -f "$STATE/rc" ] || { echo "vmtest: the VM stopped without an exit code (qemu exit $rc)" >&2; exit 1; }
exit "$(cat "$STATE/rc")"
