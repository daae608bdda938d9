#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# probe-pkvm-test.sh SOURCE_DIR WORK_DIR: the pKVM probe
# (cmake/probe-pkvm.sh) on small trees written here, each holding only the
# construct under test (our own lines, no kernel text): which form of the
# series a tree carries, what its EL2 entry builds and checks, whether its
# EL2 table allocator calls cfg->alloc, and the one line for a form it
# cannot build. CI has no tree of the series; this is what runs there.
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: probe-pkvm-test.sh SOURCE_DIR WORK_DIR" >&2; exit 2; }
top=$1
work=$2/probe-pkvm
failed=0

# (the probe's die(): in $(probe) below, a subshell, it ends only that)
die() { echo "iopt: $*"; exit 1; }
. "$top/cmake/probe-pkvm.sh"

check() {	# check NAME GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		failed=1
	fi
}

# ---- the constructs, one by one ----------------------------------------

view_in='top
#ifndef __KVM_NVHE_HYPERVISOR__
kernel half
#else /* __KVM_NVHE_HYPERVISOR__ */
el2 half
#endif
#ifdef CONFIG_OTHER
other
#endif
#if defined(__KVM_NVHE_HYPERVISOR__)
el2 only
#endif'
check "view without the nVHE define" \
	"$(pkvm_view /dev/stdin 0 <<< "$view_in" | tr '\n' '|')" \
	"top|kernel half|#ifdef CONFIG_OTHER|other|#endif|"
check "view with the nVHE define" \
	"$(pkvm_view /dev/stdin 1 <<< "$view_in" | tr '\n' '|')" \
	"top|el2 half|#ifdef CONFIG_OTHER|other|#endif|el2 only|"

fn_in='int f(int a,
      int b);
static int g(void) { return 1; }
int
f(int a, int b)
{
	if (a) {
		return g();
	}
	return b;
}
int h(void)
{
}'
check "function body, not its prototype" \
	"$(pkvm_fn_body f <<< "$fn_in" | tr '\n' '|')" \
	"f(int a, int b)|{|	if (a) {|		return g();|	}|	return b;|}|"

entry() {	# entry LINES...: an entry whose body is LINES
	printf '%s\n' "struct io_pgtable_ops *kvm_alloc_io_pgtable_ops(enum io_pgtable_fmt fmt," \
		"		struct io_pgtable_cfg *cfg, void *cookie)" "{" \
		"	struct io_pgtable *t;" "" "$@" "	return &t->ops;" "}"
}
s2_only=$'\tif (fmt != ARM_64_LPAE_S2)\n\t\treturn NULL;'
get=$'\tt = arm_64_lpae_alloc_pgtable_s2(cfg, cookie);'
check "entry that uses the table unchecked" \
	"$(entry "$s2_only" "$get" $'\tt->fmt = fmt;' | pkvm_entry_checked)" 0
check "entry that checks the table" \
	"$(entry "$s2_only" "$get" $'\tif (!t)\n\t\treturn NULL;' $'\tt->fmt = fmt;' | pkvm_entry_checked)" 1
check "entry that checks it on one line" \
	"$(entry "$get" $'\tif (unlikely(!t)) return NULL;' | pkvm_entry_checked)" 1
check "entry that tests it but goes on" \
	"$(entry "$get" $'\tif (!t)\n\t\tpr_err("none");' $'\tt->fmt = fmt;' | pkvm_entry_checked)" 0
check "entry without arm_64_lpae_alloc_pgtable_s2()" \
	"$(entry $'\tt = other(cfg);' | pkvm_entry_checked)" none
check "entry's formats: one" \
	"$(entry "$s2_only" "$get" | pkvm_entry_fmts)" "IOPT_EL2_FMT(ARM_64_LPAE_S2)"
check "entry's formats: two" \
	"$(entry $'\tif (fmt != ARM_64_LPAE_S1 && fmt != ARM_64_LPAE_S2) return NULL;' "$get" | pkvm_entry_fmts)" \
	"IOPT_EL2_FMT(ARM_64_LPAE_S1) | IOPT_EL2_FMT(ARM_64_LPAE_S2)"
check "entry's formats: chosen another way" \
	"$(entry $'\tswitch (fmt) {\n\tdefault:\n\t\treturn NULL;\n\t}' "$get" | pkvm_entry_fmts)" ""

alloc() {	# alloc LINES...: an __arm_lpae_alloc_pages() whose body is LINES
	printf '%s\n' "static void *helper(struct io_pgtable_cfg *cfg)" "{" \
		"	return cfg->alloc(NULL, 64, 0);" "}" \
		"void *__arm_lpae_alloc_pages(size_t size, gfp_t gfp," \
		"			     struct io_pgtable_cfg *cfg, void *cookie)" "{" \
		"$@" "}"
}
check "allocator that calls cfg->alloc" \
	"$(alloc $'\tif (cfg->alloc)\n\t\treturn cfg->alloc(cookie, size, gfp);' $'\treturn pool(size);' | pkvm_calls_cfg_alloc)" 1
check "allocator that calls it through a helper" \
	"$(alloc $'\tif (cfg->alloc)\n\t\treturn helper(cfg);' $'\treturn pool(size);' | pkvm_calls_cfg_alloc)" 1
check "allocator that never calls it" \
	"$(alloc $'\treturn pool(get_order(size));' | pkvm_calls_cfg_alloc)" 0

# ---- whole trees ----------------------------------------------------------

rm -rf "$work"
d=$work/drivers/iommu
mkdir -p "$d/arm/arm-smmu-v3/pkvm" || exit 1
probe() {	# probe: the probe's answers, or its one line
	pkvm_probe "$work" "test" &&
	echo "split=$pkvm_split glue=$pkvm_hyp_glue pages=$pkvm_pages_el2 entry=$pkvm_el2_entry fmts=$pkvm_el2_fmts checked=$pkvm_el2_checked cfg_alloc=$pkvm_el2_cfg_alloc"
}

printf '%s\n' "int arm_lpae_map(void);" > "$d/io-pgtable-arm.c"
check "a stock tree" "$(probe)" \
	"split=0 glue=0 pages=0 entry=0 fmts=0 checked=0 cfg_alloc=0"

# The split: a kernel glue, and an EL2 glue holding the entry.
printf '%s\n' "void *__arm_lpae_alloc_pages(void);" > "$d/io-pgtable-arm-kernel.c"
{ entry "$s2_only" "$get" $'\tt->fmt = fmt;'; alloc $'\treturn pool(size);'; } |
	grep -v 'helper\|cfg->alloc' > "$d/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c"
check "the split, entry unchecked, tables from the pool" "$(probe)" \
	"split=1 glue=1 pages=0 entry=1 fmts=IOPT_EL2_FMT(ARM_64_LPAE_S2) checked=0 cfg_alloc=0"
{ entry "$s2_only" "$get" $'\tif (!t)\n\t\treturn NULL;'; } > "$d/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c"
check "the split, entry checked" "$(probe)" \
	"split=1 glue=1 pages=0 entry=1 fmts=IOPT_EL2_FMT(ARM_64_LPAE_S2) checked=1 cfg_alloc=0"
rm "$d/io-pgtable-arm-kernel.c"
check "an EL2 glue without the kernel glue" "$(probe)" \
	"iopt: test: drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c is not the form this harness builds (it needs io-pgtable-arm-kernel.c beside io-pgtable-arm.c and kvm_alloc_io_pgtable_ops() as the EL2 entry): not supported yet"
rm "$d/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c"

# The later form: the entry at the end of io-pgtable-arm.c, over the EL2
# half of iommu-pages.h.
{ alloc $'\tif (cfg->alloc)\n\t\treturn cfg->alloc(cookie, size, gfp);' $'\treturn iommu_alloc_pages_node_sz(0, gfp, size);'
  echo "#ifdef __KVM_NVHE_HYPERVISOR__"
  entry "$s2_only" "$get" $'\tif (!t)\n\t\treturn NULL;'
  echo "#endif"; } > "$d/io-pgtable-arm.c"
printf '%s\n' "#ifndef __KVM_NVHE_HYPERVISOR__" \
	"void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size);" "#else" \
	"static inline void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)" \
	"{" "	return pool(size);" "}" "#endif" > "$d/iommu-pages.h"
check "the later form" "$(probe)" \
	"split=0 glue=0 pages=1 entry=1 fmts=IOPT_EL2_FMT(ARM_64_LPAE_S2) checked=1 cfg_alloc=1"
printf '%s\n' "void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size);" > "$d/iommu-pages.h"
check "an EL2 entry in io-pgtable-arm.c, no EL2 half of iommu-pages.h" "$(probe)" \
	"iopt: test: io-pgtable-arm.c defines kvm_alloc_io_pgtable_ops() but the tree's drivers/iommu/iommu-pages.h has no __KVM_NVHE_HYPERVISOR__ branch to build it over: not supported yet"
printf '%s\n' "int arm_lpae_map(void);" > "$d/io-pgtable-arm.c"
printf '%s\n' "#ifdef __KVM_NVHE_HYPERVISOR__" \
	"static inline void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)" \
	"{" "	return pool(size);" "}" "#endif" > "$d/iommu-pages.h"
check "an EL2 half of iommu-pages.h, no EL2 entry" "$(probe)" \
	"iopt: test: drivers/iommu/iommu-pages.h has a __KVM_NVHE_HYPERVISOR__ branch but io-pgtable-arm.c defines no kvm_alloc_io_pgtable_ops() under it: this form of the pKVM series is not supported yet"

rm -rf "$work"
[ "$failed" = 0 ] && echo "probe-pkvm: ok"
exit "$failed"
