#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# probe-tree.sh SRC OUT
#
# Take the io-pgtable files out of a kernel tree (a directory, such as a
# git work tree; DIR@REV, the files of git revision REV of the repository
# DIR; or a Debian linux-source-*.tar.xz), copy only them into OUT/ktree,
# and probe their text for the generation features that the shims and the
# oracle depend on.
# Writes OUT/generated/iopt_tree_config.h and OUT/generated/tree.cmake.
# On any problem: one line "iopt: ..." on stderr, exit 1.
#
# IOPT_KCONFIG (environment): "SYM=y,SYM=n,...", the value of a Kconfig
# symbol the tree's files test that iopt-fuzz does not set by itself
# (below, "Kconfig symbols"); without it such a symbol takes its default
# in the tree's drivers/iommu/Kconfig.
set -uo pipefail

die() { echo "iopt: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: probe-tree.sh SRC OUT"
src=$1
out=$2
kt=$out/ktree
gen=$out/generated

required=(
	Makefile
	drivers/iommu/io-pgtable-arm.c
	drivers/iommu/io-pgtable-arm.h
	drivers/iommu/io-pgtable.c
	include/linux/io-pgtable.h
)
optional=(
	drivers/iommu/iommu-pages.h
	drivers/iommu/iommu-pages.c
	drivers/iommu/io-pgtable-arm-selftests.c
	drivers/iommu/io-pgtable-arm-kernel.c
	drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c
	drivers/iommu/Kconfig
)

# DIR@REV: a git revision (REV may hold '@' itself, as in HEAD@{1}).
git_dir="" git_rev=""
if [ ! -e "$src" ] && [[ "$src" == *@* ]]; then
	git_dir=${src%@*}
	[ -d "$git_dir" ] || git_dir=${src%%@*}
	git_rev=${src#"$git_dir"@}
	[ -d "$git_dir" ] || die "kernel tree '$git_dir' (of '$src') does not exist"
	git -C "$git_dir" rev-parse --git-dir >/dev/null 2>&1 ||
		die "'$git_dir' is not a git repository, so '$src' names no revision"
	commit=$(git -C "$git_dir" rev-parse --verify -q "$git_rev^{commit}") ||
		die "'$git_rev' is not a revision of the git repository '$git_dir'"
	# Paths of the tree, which may be a subdirectory of the repository.
	prefix=$(git -C "$git_dir" rev-parse --show-prefix)
	src="$(realpath "$git_dir")@$git_rev"
else
	[ -e "$src" ] || die "kernel tree '$src' does not exist"
	src=$(realpath "$src")
fi
mkdir -p "$kt" "$gen" || die "cannot create '$out'"

# What the stamp of an extraction records: a new list extracts again.
files_wanted="${required[*]} ${optional[*]}"

copy_in() {	# copy_in FROM_DIR: copy the files we need, keep mtimes if same
	local from=$1 f
	for f in "${required[@]}" "${optional[@]}"; do
		[ -f "$from/$f" ] || { rm -f "$kt/$f"; continue; }
		mkdir -p "$kt/$(dirname "$f")"
		cmp -s "$from/$f" "$kt/$f" || cp "$from/$f" "$kt/$f"
	done
}

if [ -n "$git_dir" ]; then
	stamp="$src $commit $files_wanted"
	if [ "$(cat "$kt/.source" 2>/dev/null)" != "$stamp" ]; then
		git -C "$git_dir" cat-file -e "$commit:${prefix}drivers/iommu/io-pgtable-arm.c" 2>/dev/null ||
			die "'$src' (commit $commit) is not a kernel source tree: drivers/iommu/io-pgtable-arm.c is missing"
		tmp=$(mktemp -d "$out/extract.XXXXXX") || die "cannot create a temporary directory in '$out'"
		for f in "${required[@]}" "${optional[@]}"; do
			git -C "$git_dir" cat-file -e "$commit:$prefix$f" 2>/dev/null || continue
			mkdir -p "$tmp/$(dirname "$f")"
			git -C "$git_dir" cat-file blob "$commit:$prefix$f" > "$tmp/$f" ||
				{ rm -rf "$tmp"; die "'$src': cannot read $f at commit $commit"; }
		done
		copy_in "$tmp"
		rm -rf "$tmp"
		echo "$stamp" > "$kt/.source"
	fi
	src="$src ($commit)"
elif [ -d "$src" ]; then
	rm -f "$kt/.source"
	[ -f "$src/drivers/iommu/io-pgtable-arm.c" ] ||
		die "'$src' is not a kernel source tree: drivers/iommu/io-pgtable-arm.c is missing"
	copy_in "$src"
elif [[ "$src" == *.tar.xz ]]; then
	stamp="$src $(stat -c '%s %Y' "$src") $files_wanted"
	if [ "$(cat "$kt/.source" 2>/dev/null)" != "$stamp" ]; then
		tmp=$(mktemp -d "$out/extract.XXXXXX") || die "cannot create a temporary directory in '$out'"
		pats=()
		for f in "${required[@]}" "${optional[@]}"; do pats+=("*/$f"); done
		# Patterns that match nothing (the optional files) make tar
		# complain; what matters is whether the required files came out.
		tar -xJf "$src" -C "$tmp" --wildcards --no-wildcards-match-slash \
			"${pats[@]}" 2>/dev/null
		top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
		[ -n "$top" ] && [ -f "$top/drivers/iommu/io-pgtable-arm.c" ] || {
			rm -rf "$tmp"
			die "'$src' is not a kernel source tarball: drivers/iommu/io-pgtable-arm.c is not in it"
		}
		copy_in "$top"
		rm -rf "$tmp"
		echo "$stamp" > "$kt/.source"
	fi
else
	die "'$src' is neither a kernel source directory nor a linux-source-*.tar.xz"
fi

for f in "${required[@]}"; do
	[ -f "$kt/$f" ] || die "'$src' is not a kernel source tree: $f is missing"
done

# Kernel version from the top-level Makefile.
mkvar() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\\(.*\\)/\\1/p" "$kt/Makefile" | head -n 1; }
v=$(mkvar VERSION); p=$(mkvar PATCHLEVEL); s=$(mkvar SUBLEVEL); e=$(mkvar EXTRAVERSION)
[ -n "$v" ] && [ -n "$p" ] || die "'$src': no VERSION/PATCHLEVEL in its Makefile"
version="$v.$p.${s:-0}$e"
vcode=$(( (v << 16) + (p << 8) + (${s:-0} > 255 ? 255 : ${s:-0}) ))

arm=$kt/drivers/iommu/io-pgtable-arm.c
hdr=$kt/include/linux/io-pgtable.h
kglue=$kt/drivers/iommu/io-pgtable-arm-kernel.c
has() { grep -q -E -- "$2" "$1" && echo 1 || echo 0; }

# The pKVM series, in whichever form the tree carries it: the split (the
# kernel-only code in io-pgtable-arm-kernel.c, the EL2 glue in
# pkvm/io-pgtable-arm-hyp.c) or the later form (the EL2 half of
# iommu-pages.h, kvm_alloc_io_pgtable_ops() in io-pgtable-arm.c); what
# its EL2 entry builds and checks (cmake/probe-pkvm.sh).
. "$(dirname "$0")/probe-pkvm.sh"
pkvm_probe "$kt" "$version"

# The kernel-side code: io-pgtable-arm.c, plus its split-out glue if any.
ksrc=("$arm")
[ "$pkvm_split" = 1 ] && ksrc+=("$kglue")
hasany() { local pat=$1; shift; grep -q -E -- "$pat" "$@" && echo 1 || echo 0; }

# How the kernel side allocates its tables: the shim must offer that API.
alloc_api=0
[ "$(hasany 'alloc_pages_node\(' "${ksrc[@]}")" = 1 ] && alloc_api=1
[ "$(hasany 'iommu_alloc_pages_node\(' "${ksrc[@]}")" = 1 ] && alloc_api=2
[ "$(hasany 'iommu_alloc_pages_node_sz\(' "${ksrc[@]}")" = 1 ] && alloc_api=3
[ "$alloc_api" != 0 ] || {
	[ "$pkvm_split" = 1 ] &&
		die "$version: io-pgtable-arm-kernel.c allocates tables with none of alloc_pages_node, iommu_alloc_pages_node, iommu_alloc_pages_node_sz: this generation is not supported yet"
	[ "$(has "$arm" '__arm_lpae_alloc_pages\(size_t size, gfp_t gfp,')" = 1 ] &&
		die "$version: io-pgtable-arm.c allocates tables with none of alloc_pages_node, iommu_alloc_pages_node, iommu_alloc_pages_node_sz: this generation is not supported yet"
	die "$version: io-pgtable-arm.c calls no known table allocator and the tree has no io-pgtable-arm-kernel.c: this generation is not supported yet"
}

# iommu-pages: the kernel side includes the tree's iommu-pages.h; from
# 6.16 (iommu_alloc_pages_node_sz) the functions are in iommu-pages.c,
# which the kernel port compiles.
pages_h=$kt/drivers/iommu/iommu-pages.h
has_iommu_pages=$(hasany '#include "iommu-pages.h"' "${ksrc[@]}")
[ "$has_iommu_pages" = 0 ] || [ -f "$pages_h" ] ||
	die "$version: the kernel side includes \"iommu-pages.h\" but the tree has no drivers/iommu/iommu-pages.h"
pages_c=0
if [ "$alloc_api" = 3 ]; then
	[ -f "$kt/drivers/iommu/iommu-pages.c" ] ||
		die "$version: io-pgtable allocates with iommu_alloc_pages_node_sz() but the tree has no drivers/iommu/iommu-pages.c"
	pages_c=1
fi
pages_incoherent=0
[ "$has_iommu_pages" = 1 ] && pages_incoherent=$(has "$pages_h" 'iommu_pages_start_incoherent\(')
# The behaviours of the oracle's contract, as the text has them: each probe
# looks for one construct in the function that has it, not anywhere in the
# file (1 found, 0 not, ? the function is not there, - does not apply).
# They decide nothing: configure compares them with the contract chosen by
# version (cmake/IoptContract.cmake) and prints a notice for each
# disagreement (docs/contracts.md).
# body REGEX FILE...: the bodies of the functions whose name matches REGEX
# (kernel style: the name in column 0 or after the return type, the braces
# of the body alone in column 0; a prototype ends in ");").
body() {
	local fn=$1; shift
	awk -v fn="$fn" '
		!inb && $0 ~ "^([A-Za-z_].*[^A-Za-z0-9_])?(" fn ")\\(" { cand = 1 }
		cand && !inb && /\);[[:space:]]*$/ { cand = 0; next }
		cand && /^\{/ { inb = 1 }
		inb { print }
		inb && /^\}/ { inb = 0; cand = 0 }
	' "$@"
}
# inbody PATTERN REGEX FILE...: 1 if a body has PATTERN, 0 if not, ? if no body
inbody() {
	local b
	b=$(body "$2" "${@:3}")
	[ -n "$b" ] || { echo "?"; return; }
	grep -q -E -- "$1" <<< "$b" && echo 1 || echo 0
}
min64='max(_t)?\(([a-z_ ]+, *)?size, *64\)'
t_split=$(inbody 'return arm_lpae_split_blk_unmap\(' __arm_lpae_unmap "$arm")
t_enoent=$(inbody 'return -ENOENT' __arm_lpae_unmap "$arm")
t_min64=$(inbody "$min64" __arm_lpae_alloc_pages "${ksrc[@]}")
t_free64=$(inbody "$min64" __arm_lpae_free_pages "${ksrc[@]}")
t_concat=$(inbody 'arm_lpae_concat_mandatory\(' arm_64_lpae_alloc_pgtable_s2 "$arm")
t_hd=$(inbody 'IO_PGTABLE_QUIRK_ARM_HD' arm_64_lpae_alloc_pgtable_s1 "$arm")
t_s2fwb=$(inbody 'IO_PGTABLE_QUIRK_ARM_S2FWB' arm_64_lpae_alloc_pgtable_s2 "$arm")
t_nowarn=$(inbody 'IO_PGTABLE_QUIRK_NO_WARN' arm_64_lpae_alloc_pgtable_s1 "$arm")
[ "$t_nowarn" = 1 ] &&
	t_nowarn=$(inbody 'IO_PGTABLE_QUIRK_NO_WARN' arm_64_lpae_alloc_pgtable_s2 "$arm")
t_dmawarn=-	# (no iommu-pages.c: does not apply)
[ -f "$kt/drivers/iommu/iommu-pages.c" ] &&
	t_dmawarn=$(inbody 'WARN_ON\(dma != virt_to_phys\(' iommu_pages_start_incoherent "$kt/drivers/iommu/iommu-pages.c")
t_wholemap=-	# (no iommu-pages.c: does not apply)
[ -f "$kt/drivers/iommu/iommu-pages.c" ] &&
	t_wholemap=$(inbody 'dma_map_single\([^;]*ioptdesc_mem_size' iommu_pages_start_incoherent "$kt/drivers/iommu/iommu-pages.c")
t_dirty=$(has "$arm" '\.read_and_clear_dirty[[:space:]]*=')
t_walk=$(has "$arm" '\.pgtable_walk[[:space:]]*=')
t_cont=$(has "$arm" 'ARM_LPAE_PTE_CONT')
t_dirty_warn=-
[ "$t_dirty" = 1 ] &&
	t_dirty_warn=$(inbody 'WARN_ON\(!iopte_table\(' 'io_pgtable_visit(_dirty)?' "$arm")

selftest=0	# 0 none, 1 in-file initcall, 2 KUnit file
[ "$(hasany 'CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST' "${ksrc[@]}")" = 1 ] && selftest=1
[ -f "$kt/drivers/iommu/io-pgtable-arm-selftests.c" ] && selftest=2

# The kernel files compiled (all but the Makefile and Kconfig), each with
# its SHA-256; and one name for them all, the SHA-256 of that list (and of
# the Kconfig choices below, where there are any): a point release that
# leaves them as they were keeps it (tests/digests is keyed by it).
compiled=()
for f in "${required[@]}" "${optional[@]}"; do
	[ -f "$kt/$f" ] && [ "$f" != Makefile ] && [ "$f" != drivers/iommu/Kconfig ] &&
		compiled+=("$f")
done
file_sums=$(for f in "${compiled[@]}"; do
	echo "$(sha256sum "$kt/$f" | cut -d' ' -f1)  $f"
done)

# Kconfig symbols. kbuild sets each CONFIG_ symbol from the .config;
# iopt-fuzz builds one configuration, and this is the one place that says
# which: the symbols the files of the supported trees test, each with its
# value here and why. (LPAE and its selftest are -D flags of every kernel
# file: cmake/IoptPort.cmake.)
kconfig_known="
IOMMU_IO_PGTABLE_LPAE=y		the format under test
IOMMU_IO_PGTABLE_LPAE_SELFTEST=y	the tree's own selftests run in each port
IOMMU_IO_PGTABLE_ARMV7S=n	another format, not compiled
IOMMU_IO_PGTABLE_DART=n		another format, not compiled
AMD_IOMMU=n			another format, not compiled
X86=n				the emulated machine is arm64
MEMCG=n				iommu-pages' memcg accounting is not emulated
SMP=n				one CPU (6.1 to 7.3 name it only in comments)
"
# Any other symbol the compiled files test (a patch that adds one, as a
# Kconfig option of a new feature does): IOPT_KCONFIG's value, else its
# default in the tree's drivers/iommu/Kconfig (a bool's unconditional
# "default y" or "def_bool y" is y, anything else n), said in a notice.
kconfig_default() {	# kconfig_default SYM: y or n, and why
	local k=$kt/drivers/iommu/Kconfig block
	[ -f "$k" ] || { echo "n (the tree has no drivers/iommu/Kconfig)"; return; }
	block=$(awk -v sym="$1" '
		/^(menu)?config[[:space:]]/ { inb = ($2 == sym); next }
		/^[^[:space:]#]/ { inb = 0 }
		inb { print }' "$k")
	[ -n "$block" ] || { echo "n (not in drivers/iommu/Kconfig)"; return; }
	if grep -q -E '^[[:space:]]+(default|def_bool)[[:space:]]+y[[:space:]]*$' <<<"$block" &&
		grep -q -E '^[[:space:]]+(bool|def_bool)' <<<"$block"; then
		echo "y (its default in drivers/iommu/Kconfig)"
	else
		echo "n (its default in drivers/iommu/Kconfig is not an unconditional y)"
	fi
}
for kv in ${IOPT_KCONFIG:+${IOPT_KCONFIG//,/ }}; do
	[[ "$kv" =~ ^[A-Z0-9_]+=[yn]$ ]] || die "IOPT_KCONFIG: '$kv' is not SYM=y or SYM=n"
done
# (a symbol no file of this tree tests may be the other tree's, in a
# review build: cmake/IoptKconfig.cmake checks that one of them does)
kconfig_new=()		# SYM=y|n why
for sym in $(cd "$kt" && cat "${compiled[@]}" | grep -o -E 'CONFIG_[A-Z0-9_]+' | sort -u); do
	sym=${sym#CONFIG_}
	grep -q -E "^$sym=" <<<"$kconfig_known" && continue
	val=""
	for kv in ${IOPT_KCONFIG:+${IOPT_KCONFIG//,/ }}; do
		[ "${kv%%=*}" = "$sym" ] && val=${kv#*=}
	done
	if [ -n "$val" ]; then
		why="(IOPT_KCONFIG)"
	else
		why=$(kconfig_default "$sym"); val=${why%% *}; why=${why#* }
	fi
	kconfig_new+=("$sym=$val $why")
done
files_id=$({ printf '%s\n' "$file_sums"
	[ ${#kconfig_new[@]} -eq 0 ] || printf '%s\n' "${kconfig_new[@]%% *}"; } |
	sha256sum | cut -c1-16)

{
	echo "/* Generated by cmake/probe-tree.sh from $src: do not edit. */"
	echo "#ifndef IOPT_TREE_CONFIG_H"
	echo "#define IOPT_TREE_CONFIG_H"
	echo
	echo "#define IOPT_TREE_SOURCE \"$src\""
	echo "#define IOPT_TREE_VERSION \"$version\""
	echo "#define IOPT_TREE_VERSION_CODE $vcode"
	echo
	echo "/* Table allocator API of the kernel side (io-pgtable-arm.c, or io-pgtable-arm-kernel.c when split): 1 alloc_pages_node, 2 iommu_alloc_pages_node, 3 iommu_alloc_pages_node_sz */"
	echo "#define IOPT_TREE_ALLOC_API $alloc_api"
	echo "/* Selftests: 0 none, 1 in-file subsys_initcall, 2 KUnit io-pgtable-arm-selftests.c */"
	echo "#define IOPT_TREE_SELFTEST $selftest"
	echo "/* pKVM series split: io-pgtable-arm-kernel.c; its EL2 glue pkvm/io-pgtable-arm-hyp.c */"
	echo "#define IOPT_TREE_PKVM_SPLIT $pkvm_split"
	echo "#define IOPT_TREE_PKVM_HYP_GLUE $pkvm_hyp_glue"
	echo "/* pKVM series, later form: the EL2 half of iommu-pages.h, the entry in io-pgtable-arm.c */"
	echo "#define IOPT_TREE_PKVM_PAGES_EL2 $pkvm_pages_el2"
	echo "/* The tree's EL2 entry kvm_alloc_io_pgtable_ops(): the formats it builds, whether it checks the table it gets, whether its table allocator calls cfg->alloc */"
	echo "#define IOPT_TREE_PKVM_EL2_ENTRY $pkvm_el2_entry"
	echo "#define IOPT_TREE_PKVM_EL2_FMTS ($pkvm_el2_fmts)"
	echo "#define IOPT_TREE_PKVM_EL2_CHECKED $pkvm_el2_checked"
	echo "#define IOPT_TREE_PKVM_EL2_CFG_ALLOC $pkvm_el2_cfg_alloc"
	echo "/* iommu-pages: the tree's iommu-pages.h is included; iommu-pages.c is compiled (kernel port); it has the incoherent API (7.2+) */"
	echo "#define IOPT_TREE_HAS_IOMMU_PAGES $has_iommu_pages"
	echo "#define IOPT_TREE_IOMMU_PAGES_C $pages_c"
	echo "#define IOPT_TREE_PAGES_INCOHERENT $pages_incoherent"
	echo "#define IOPT_TREE_HAS_KMALLOC_OBJ $(hasany 'kmalloc_obj\(' "${ksrc[@]}")"
	echo "#define IOPT_TREE_HAS_CFG_ALLOC $(has "$hdr" '\(\*alloc\)\(void \*cookie')"
	echo "/* max(size, 64) in __arm_lpae_alloc_pages, as the text has it (the oracle's contract: iopt_contract_config.h) */"
	echo "#define IOPT_TREE_PGD_MIN_64 $([ "$t_min64" = 1 ] && echo 1 || echo 0)"
	echo "#define IOPT_TREE_HAS_LEGACY_MAP $(has "$hdr" 'int \(\*map\)\(struct io_pgtable_ops')"
	echo "#define IOPT_TREE_HAS_DIRTY $(has "$hdr" 'read_and_clear_dirty')"
	echo "#define IOPT_TREE_HAS_PGTABLE_WALK $(has "$hdr" 'pgtable_walk')"
	echo "/* API: the quirk macros the tree's io-pgtable.h names (what the oracle expects of them is the contract's) */"
	echo "#define IOPT_TREE_HAS_QUIRK_HD $(has "$hdr" 'define IO_PGTABLE_QUIRK_ARM_HD')"
	echo "#define IOPT_TREE_HAS_QUIRK_S2FWB $(has "$hdr" 'define IO_PGTABLE_QUIRK_ARM_S2FWB')"
	echo "#define IOPT_TREE_HAS_QUIRK_NO_WARN $(has "$hdr" 'define IO_PGTABLE_QUIRK_NO_WARN')"
	echo "#define IOPT_TREE_SELFTEST_RUNNING $(has "$arm" 'selftest_running')"
	echo "#define IOPT_TREE_MAPPED_OPTIONAL $(has "$arm" 'if \(!ret && mapped\)')"
	echo "#define IOPT_TREE_ADD_PAGE_NULL_GATHER $(has "$arm" '} else if \(!iommu_iotlb_gather_queued\(gather\)\) \{')"
	echo
	echo "/* Kconfig symbols the files test beyond the ones probe-tree.sh names */"
	for kv in "${kconfig_new[@]}"; do
		sym=${kv%%=*}; val=${kv#*=}; why=${val#* }; val=${val%% *}
		if [ "$val" = y ]; then
			echo "#define CONFIG_$sym 1	/* $why */"
		else
			echo "/* CONFIG_$sym is not set: $why */"
		fi
	done
	echo
	echo "/* The kernel files compiled into this build, with their SHA-256. */"
	echo "#define IOPT_TREE_FILES \\"
	while read -r sum f; do
		echo "	{ \"$f\", \"$sum\" }, \\"
	done <<<"$file_sums"
	echo
	echo "#endif /* IOPT_TREE_CONFIG_H */"
} > "$gen/iopt_tree_config.h.new"
cmp -s "$gen/iopt_tree_config.h.new" "$gen/iopt_tree_config.h" &&
	rm -f "$gen/iopt_tree_config.h.new" ||
	mv "$gen/iopt_tree_config.h.new" "$gen/iopt_tree_config.h"

{
	echo "set(IOPT_TREE_VERSION \"$version\")"
	echo "set(IOPT_TREE_FILES_ID $files_id)"
	echo "set(IOPT_TREE_SELFTEST $selftest)"
	echo "set(IOPT_TREE_PKVM_SPLIT $pkvm_split)"
	echo "set(IOPT_TREE_PKVM_HYP_GLUE $pkvm_hyp_glue)"
	echo "set(IOPT_TREE_PKVM_PAGES_EL2 $pkvm_pages_el2)"
	echo "set(IOPT_TREE_PKVM_EL2_ENTRY $pkvm_el2_entry)"
	echo "set(IOPT_TREE_PKVM_EL2_CHECKED $pkvm_el2_checked)"
	echo "set(IOPT_TREE_IOMMU_PAGES_C $pages_c)"
	echo "set(IOPT_TREE_HAS_CFG_ALLOC $(has "$hdr" '\(\*alloc\)\(void \*cookie'))"
	echo "set(IOPT_TREE_VERSION_CODE $vcode)"
	echo "# Kconfig symbols the files test beyond the ones probe-tree.sh names: SYM=y|n why"
	printf 'set(IOPT_TREE_KCONFIG'
	for kv in "${kconfig_new[@]}"; do printf ' "%s"' "$kv"; done
	echo ')'
	echo "set(IOPT_TREE_PGD_MIN_64 $([ "$t_min64" = 1 ] && echo 1 || echo 0))"
	echo "# The text probes, as cmake/IoptContract.cmake hands them to iopt-contract"
	echo "set(IOPT_TEXT_PROBES split=$t_split enoent=$t_enoent pgd_min_64=$t_min64 pgd_free_min_64=$t_free64 dma_translate_warns=$t_dmawarn dma_map_whole_alloc=$t_wholemap concat_mandatory=$t_concat quirk_hd=$t_hd quirk_s2fwb=$t_s2fwb quirk_no_warn=$t_nowarn dirty=$t_dirty dirty_hole_warns=$t_dirty_warn pgtable_walk=$t_walk cont_hint=$t_cont)"
} > "$gen/tree.cmake"
echo "iopt: kernel tree $version from $src"
