#!/usr/bin/env bash
# Seal pvbench's s390x payload for IBM Secure Execution.
#
# NOTE: this needs the target machine's host-key document (and s390-tools); the result runs
# only on that IBM z15/z16 with Secure Execution.
#
# Two forms of result, both accepted by `pvbench reboot --backend pv`:
#   full image (default): `pvimg create` (s390-tools >= 2.36; `genprotimg` is the same tool
#       there) seals the raw payload as the "kernel" component of an SE image. The header's
#       start PSW is set (--x-psw) to the payload's entry inside that component, so the
#       Ultravisor starts the payload in place and the image's stage3b loader (which talks
#       to SCLP, which pvbench does not emulate) never runs. Finding that address takes a
#       first pvimg run; the image is then made again with it.
#   --sehdr-only: the raw payload stays as it is (loaded at guest address 0) and only an SE
#       header is made for it, with s390-tools' create-sehdr example (the tool kvm-unit-tests
#       calls GEN_SE_HEADER): one component at 0, tweak prefix --tweak, start PSW
#       PVB_S390_ENTRY in 64-bit mode.
# Older s390-tools (the C genprotimg, < 2.36) always start their images in stage3b: use
# --sehdr-only there, or --entry stage3b if your pvbench serves SCLP.
set -euo pipefail

NOTE="needs the target machine's host-key document (and s390-tools); the result runs only on that IBM z15/z16 with Secure Execution"
ENTRY_OFF=0x10000        # PVB_S390_ENTRY (workloads/s390x/guest_abi.h)
PREFIXES=0x60000         # PVB_S390_PREFIXES: the payload must end below it when run in place
PSW_MASK=0x0000000180000000  # 64-bit addressing, DAT and interrupts off (pvimg's default)
IMG_NAME=pvb-guest-s390x.se
HDR_NAME=pvb-guest-s390x.hdr
BIN_NAME=pvb-guest-s390x.bin

prog=$(basename "$0")

usage() {
	cat <<EOF
Usage: $prog --payload BIN --host-key HKD.crt [--host-key ...]
             (--cert IBM-SIGNING-KEY --cert INTERMEDIATE-CA [--crl CRL ...] | --no-verify)
             --out DIR [--sehdr-only [--gen-se-header TOOL] [--tweak HEX]]
             [--entry payload|stage3b] [--offline] [--root-ca FILE]
       $prog --inspect IMAGE

NOTE: $NOTE.

Seals pvbench's raw s390x payload (build-s390x/workloads/s390x/pvb-guest-s390x.bin: guest
memory from address 0, code at $ENTRY_OFF) for IBM Secure Execution.

  --payload BIN        the raw payload (a whole number of 4 KiB pages, loaded at 0)
  --host-key FILE      the host-key document of the machine that will run the guest
                       (several: the image runs on any of them)
  --cert FILE          certificates that verify the host-key documents: the IBM Z signing
                       key and the intermediate CA (pvimg/genprotimg --cert)
  --crl FILE           certificate revocation lists (pvimg/genprotimg --crl)
  --root-ca FILE       a root CA other than the system's
  --offline            do not download CRLs
  --no-verify          skip the host-key document verification (at your own risk)
  --out DIR            where to write the result
  --entry payload      (full image, default) the SE header starts the payload in place; the
                       image's stage3b loader never runs. Needs pvimg (s390-tools >= 2.36).
  --entry stage3b      (full image) the usual start: stage3b copies the payload to
                       $ENTRY_OFF and jumps there, after SCLP calls the host must serve
  --sehdr-only         make only an SE header for the raw payload at address 0 (with
                       create-sehdr; --gen-se-header TOOL or \$GEN_SE_HEADER names it)
  --tweak HEX          --sehdr-only: the component's tweak prefix (default 0x42, as
                       kvm-unit-tests); pvbench needs the same value in --se-tweak
  --inspect IMAGE      print an SE image's components (SeImgLnx metadata and IPL block,
                       s390-tools >= 2.36) and exit

Exit status: 0 sealed, 1 a tool failed, 2 missing tools or inputs (the message says what
to do).
EOF
}

die() { echo "$prog: $*" >&2; exit 2; }
fail() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

# Big-endian unsigned integer of N bytes at byte offset OFF of FILE, in decimal.
be_uint() {
	local file=$1 off=$2 n=$3 hex
	hex=$(od -An -v -tx1 -j "$off" -N "$n" "$file" | tr -d ' \n')
	[ ${#hex} -eq $((n * 2)) ] || return 1
	echo $((16#$hex))
}

# Sets IMG_NCOMP and IMG_COMP[i]="addr size tweak" (decimal) from an SE image made by
# s390-tools >= 2.36: SeImgLnx metadata at 0xc000 (magic, header offset at 8, IPL block
# offset at 20), the type-5 IPL block (pbt at 12, num_comp at 0x74, components of 24 bytes
# {tweak_pref, addr, size} from 0x88; QEMU include/hw/s390x/ipl/qipl.h).
read_image() {
	local img=$1 magic ipib pbt i base
	magic=$(od -An -v -c -j $((0xc000)) -N 8 "$img" 2>/dev/null | tr -d ' \n')
	[ "$magic" = "SeImgLnx" ] || { note "$img: no SeImgLnx metadata at 0xc000 (not an image of s390-tools >= 2.36)"; return 1; }
	IMG_HDR=$(be_uint "$img" $((0xc000 + 8)) 8) || return 1
	ipib=$(be_uint "$img" $((0xc000 + 20)) 8) || return 1
	pbt=$(be_uint "$img" $((ipib + 12)) 1) || { note "$img: IPL block offset $ipib is outside the file"; return 1; }
	[ "$pbt" -eq 5 ] || { note "$img: the IPL block at $ipib is of type $pbt, not 5 (PV)"; return 1; }
	IMG_NCOMP=$(be_uint "$img" $((ipib + 0x74)) 4) || return 1
	if [ "$IMG_NCOMP" -lt 1 ] || [ "$IMG_NCOMP" -gt 160 ]; then
		note "$img: $IMG_NCOMP components in the IPL block"
		return 1
	fi
	IMG_COMP=()
	for ((i = 0; i < IMG_NCOMP; i++)); do
		base=$((ipib + 0x88 + 24 * i))
		IMG_COMP[i]="$(be_uint "$img" $((base + 8)) 8) $(be_uint "$img" $((base + 16)) 8) $(be_uint "$img" "$base" 8)"
	done
}

# The lowest component is the kernel one: pvimg lays out kernel, ramdisk, parmfile, stage3b.
kernel_comp() {
	local c a s t best=''
	for c in "${IMG_COMP[@]}"; do
		read -r a s t <<<"$c"
		if [ -z "$best" ] || [ "$a" -lt "${best%% *}" ]; then best="$a $s"; fi
	done
	echo "$best"
}

inspect() {
	local img=$1 i a s t
	[ -r "$img" ] || die "--inspect: cannot read '$img'"
	read_image "$img" || exit 1
	printf 'SE header at 0x%x; %d components:\n' "$IMG_HDR" "$IMG_NCOMP"
	for ((i = 0; i < IMG_NCOMP; i++)); do
		read -r a s t <<<"${IMG_COMP[i]}"
		printf '  addr 0x%08x  size 0x%08x  tweak 0x%016x\n' "$a" "$s" "$t"
	done
	read -r a s <<<"$(kernel_comp)"
	printf 'payload entry if it is the kernel component: 0x%x\n' $((a + ENTRY_OFF))
}

payload='' out='' sehdr_only=0 gen='' tweak=0x42 entry=payload
hkds=() tool_args=()
[ $# -gt 0 ] || { usage >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--inspect) [ $# -ge 2 ] || die "--inspect needs an IMAGE"; inspect "$2"; exit 0 ;;
	--payload) payload=${2-}; shift ;;
	--host-key|--host-key-document|-k) hkds+=("${2-}"); shift ;;
	--cert|-C) [ -r "${2-}" ] || die "--cert: cannot read '${2-}'"; tool_args+=(--cert "$2"); shift ;;
	--crl) [ -r "${2-}" ] || die "--crl: cannot read '${2-}'"; tool_args+=(--crl "$2"); shift ;;
	--root-ca) [ -r "${2-}" ] || die "--root-ca: cannot read '${2-}'"; tool_args+=(--root-ca "$2"); shift ;;
	--offline) tool_args+=(--offline) ;;
	--no-verify) tool_args+=(--no-verify) ;;
	--out) out=${2-}; shift ;;
	--sehdr-only) sehdr_only=1 ;;
	--gen-se-header) gen=${2-}; shift ;;
	--tweak) tweak=${2-}; shift ;;
	--entry) entry=${2-}; shift ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
	shift
done

echo "$prog: NOTE: $NOTE." >&2

# Inputs first: they do not depend on the tools.
[ -n "$payload" ] || die "--payload BIN is required (build it: cmake for s390x, target pvb-guest-s390x)"
[ -r "$payload" ] || die "cannot read the payload '$payload' (build it: cmake --build build-s390x --target pvb-guest-s390x)"
size=$(stat -c %s "$payload")
if [ $((size % 4096)) -ne 0 ] || [ "$size" -le $((ENTRY_OFF + 0x438)) ]; then
	die "'$payload' ($size bytes) is not pvbench's raw payload: expected whole 4 KiB pages from guest address 0, code at $ENTRY_OFF"
fi
[ "$(od -An -c -j $((ENTRY_OFF + 8)) -N 6 "$payload" | tr -d ' \n')" = "S390EP" ] ||
	die "'$payload' has no S390EP mark at $ENTRY_OFF + 8: not pvbench's raw payload (pvb-guest-s390x.bin)"
[ ${#hkds[@]} -gt 0 ] || die "--host-key FILE is required: the host-key document of the IBM z15/z16 that will run the guest (from IBM Resource Link, or your system administrator)"
for h in "${hkds[@]}"; do
	[ -r "$h" ] || die "cannot read the host-key document '$h'"
done
[ -n "$out" ] || die "--out DIR is required"
case $entry in payload|stage3b) ;; *) die "--entry is payload or stage3b, not '$entry'" ;; esac
[[ $tweak =~ ^(0x)?[0-9a-fA-F]{1,16}$ ]] || die "--tweak takes up to 16 hex digits, not '$tweak'"
tweak=$(printf '0x%016x' $((16#${tweak#0x})))

if [ "$sehdr_only" -eq 1 ]; then
	# create-sehdr reads the host-key documents' public keys; it verifies nothing.
	[ -n "$gen" ] || gen=${GEN_SE_HEADER-}
	[ -n "$gen" ] || gen=$(command -v create-sehdr || true)
	if [ -z "$gen" ] || ! command -v "$gen" >/dev/null; then
		die "no SE header tool: build s390-tools' example (git clone s390-tools; cd rust/pvimg; cargo build --release --example create-sehdr) and pass it with --gen-se-header PATH or GEN_SE_HEADER=PATH, or drop --sehdr-only to make a full image with pvimg"
	fi
	for a in "${tool_args[@]}"; do
		case $a in --cert|--crl|--root-ca|--offline)
			note "create-sehdr does not verify host-key documents: verify them beforehand (e.g. pvimg create ... --cert ...); --cert/--crl ignored here"; break ;;
		esac
	done
	mkdir -p "$out" || die "cannot create '$out'"
	cp "$payload" "$out/$BIN_NAME.tmp" && mv "$out/$BIN_NAME.tmp" "$out/$BIN_NAME"
	args=()
	for h in "${hkds[@]}"; do args+=(-k "$h"); done
	rm -f "$out/$HDR_NAME"
	note "sealing: $gen ${args[*]} -c $out/$BIN_NAME,0x0,$tweak --psw-addr $ENTRY_OFF -o $out/$HDR_NAME"
	"$gen" "${args[@]}" -c "$out/$BIN_NAME,0x0,$tweak" --psw-addr "$ENTRY_OFF" \
		-o "$out/$HDR_NAME" || fail "$gen failed"
	[ -s "$out/$HDR_NAME" ] || fail "$gen wrote no header"
	[ "$(od -An -c -N 8 "$out/$HDR_NAME" | tr -d ' \n')" = "IBMSecEx" ] ||
		fail "$out/$HDR_NAME does not start with the SE header magic IBMSecEx"
	cat <<EOF
Sealed for: ${hkds[*]}
  payload   $out/$BIN_NAME (loaded at 0, one component, tweak prefix $tweak)
  SE header $out/$HDR_NAME (start PSW $PSW_MASK $ENTRY_OFF)
Run it on that machine with:
  pvbench reboot --backend pv --payload $out/$BIN_NAME --se-header $out/$HDR_NAME --se-tweak $tweak
EOF
	exit 0
fi

# Full image: pvimg (s390-tools >= 2.36), or genprotimg (the same tool there, the C one
# before: its --x-psw sets where stage3b jumps, not where the Ultravisor starts).
tool=() rust=0
if command -v pvimg >/dev/null; then
	tool=(pvimg create) rust=1
elif command -v genprotimg >/dev/null; then
	tool=(genprotimg)
	genprotimg --help 2>&1 | grep -q -- '--no-component-check' && rust=1
else
	die "neither pvimg nor genprotimg is installed: install s390-tools (Debian/Ubuntu: apt-get install s390-tools; RHEL/Fedora: dnf install s390utils-base; SLES: zypper install s390-tools) on an s390x machine, version 2.36 or later for pvimg, or use --sehdr-only with create-sehdr"
fi
if [ "$entry" = payload ] && [ "$rust" -eq 0 ]; then
	die "this genprotimg (s390-tools < 2.36) starts every image in its stage3b loader, which makes SCLP calls pvbench does not serve: install s390-tools >= 2.36 (pvimg), use --sehdr-only, or --entry stage3b if your host serves SCLP"
fi
have_verify=0
for a in "${tool_args[@]}"; do
	case $a in --cert|--no-verify) have_verify=1 ;; esac
done
[ "$have_verify" -eq 1 ] ||
	die "give the certificates that verify the host-key document (--cert IBM-Z-signing-key.crt --cert DigiCert-intermediate.crt, from IBM Resource Link) or --no-verify"

args=()
for h in "${hkds[@]}"; do args+=(--host-key-document "$h"); done
args+=("${tool_args[@]}" --image "$payload")

seal() { # seal OUTPUT [extra args]: one run of the tool
	local o=$1
	shift
	rm -f "$o"
	note "sealing: ${tool[*]} ${args[*]} $* --output $o"
	"${tool[@]}" "${args[@]}" "$@" --output "$o" >&2 || fail "${tool[*]} failed"
	[ -s "$o" ] || fail "${tool[*]} wrote no image"
}

mkdir -p "$out" || die "cannot create '$out'"
img=$out/$IMG_NAME
if [ "$entry" = stage3b ]; then
	seal "$img"
	start="stage3b (copies the payload to $ENTRY_OFF; the host must serve its SCLP calls)"
else
	# Pass 1 lays the image out; the kernel component's address is then known and the
	# same layout comes out of pass 2 (same inputs), now starting at the payload's entry.
	seal "$img.pass1"
	read_image "$img.pass1" || fail "cannot find the kernel component in $img.pass1"
	read -r kaddr ksize <<<"$(kernel_comp)"
	[ "$ksize" -ge "$size" ] || fail "the lowest component of $img.pass1 (0x$(printf %x "$ksize") bytes) is smaller than the payload: not the kernel component"
	[ $((kaddr + size)) -le $((PREFIXES)) ] ||
		fail "the payload would sit at 0x$(printf %x "$kaddr")-0x$(printf %x $((kaddr + size))), over the vCPU prefix areas from $PREFIXES: use --sehdr-only"
	psw=$(printf '0x%x' $((kaddr + ENTRY_OFF)))
	seal "$img" --x-psw "$psw"
	rm -f "$img.pass1"
	read_image "$img" || fail "cannot read back $img"
	read -r a _ <<<"$(kernel_comp)"
	[ "$a" -eq "$kaddr" ] || fail "the kernel component moved between the two passes (0x$(printf %x "$kaddr") -> 0x$(printf %x "$a")): report this with the pvimg version"
	start="payload in place: kernel component at 0x$(printf %x "$kaddr"), start PSW $PSW_MASK $psw"
fi

cat <<EOF
Sealed for: ${hkds[*]}
  SE image $img
  start    $start
Run it on that machine with:
  pvbench reboot --backend pv --se-image $img
EOF
