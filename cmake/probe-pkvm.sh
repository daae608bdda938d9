# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by cmake/probe-tree.sh: which form of the pKVM SMMUv3 series a
# tree carries, and what its EL2 side does (docs/design.md, "Split trees";
# docs/pkvm-series.md). Each answer is read from a construct of the code
# the EL2 build compiles, never from a version number:
#
#   - the view of a file the preprocessor keeps with __KVM_NVHE_HYPERVISOR__
#     defined (pkvm_view), and the body of a function defined in it
#     (pkvm_fn_body);
#   - the EL2 entry, kvm_alloc_io_pgtable_ops(), in the split's glue
#     (pkvm/io-pgtable-arm-hyp.c) or at the end of io-pgtable-arm.c (the
#     later form, whose environment is the EL2 half of iommu-pages.h);
#   - the formats that entry builds (its "if (fmt != X) return NULL;"),
#     whether it checks the table it gets before writing through it, and
#     whether the EL2 table allocator, __arm_lpae_alloc_pages(), calls
#     cfg->alloc (itself or through a helper it calls).
#
# pkvm_probe KT VERSION sets pkvm_split, pkvm_hyp_glue, pkvm_pages_el2,
# pkvm_el2_entry, pkvm_el2_fmts (a C expression over IOPT_EL2_FMT()),
# pkvm_el2_checked, pkvm_el2_cfg_alloc; on a form it cannot build it dies
# with one line (die() is probe-tree.sh's).

# pkvm_view FILE 0|1: FILE as the preprocessor keeps it with
# __KVM_NVHE_HYPERVISOR__ undefined (0) or defined (1). Conditionals on
# anything else keep both branches: the probe reads constructs, it does
# not compile.
pkvm_view() {
	awk -v el2="$2" '
	function related(s) {
		return s ~ /^#[ \t]*ifn?def[ \t]+__KVM_NVHE_HYPERVISOR__[ \t]*$/ ||
		       s ~ /^#[ \t]*if[ \t]+!?[ \t]*defined[ \t]*\(?[ \t]*__KVM_NVHE_HYPERVISOR__[ \t]*\)?[ \t]*$/
	}
	function live(	i) {
		for (i = 1; i <= n; i++)
			if (st[i] == 0)
				return 0
		return 1
	}
	{ line = $0; sub(/[ \t]*(\/\*.*)?$/, "", line) }
	line ~ /^#[ \t]*if/ {
		if (related(line)) {
			want = line ~ /ifndef|!/ ? !el2 : el2
			st[++n] = want ? 1 : 0
			next
		}
		st[++n] = -1
	}
	line ~ /^#[ \t]*else/ && n && st[n] >= 0 { st[n] = !st[n]; next }
	line ~ /^#[ \t]*elif/ && n && st[n] >= 0 { st[n] = st[n] ? 0 : -1 }
	line ~ /^#[ \t]*endif/ && n {
		if (st[n--] >= 0)
			next
	}
	live() { print }
	' "$1"
}

# pkvm_fn_body NAME: the definition of NAME in the view on stdin, from its
# first line (at column 0, as kernel style has it) to its closing brace.
pkvm_fn_body() {
	awk -v fn="$1" '
	!state && $0 ~ "^[A-Za-z_].*(^|[^A-Za-z0-9_])" fn "[ \t]*\\(" ||
	!state && $0 ~ "^" fn "[ \t]*\\(" { state = 1; buf = "" }
	state == 1 {
		buf = buf $0 "\n"
		if ($0 ~ /;[ \t]*$/ && $0 !~ /\{/) { state = 0; next }
		if ($0 ~ /\{/) { state = 2; depth = 0 } else next
	}
	state == 2 {
		if (buf != "") { printf "%s", buf; buf = "" } else print
		t = $0
		depth += gsub(/\{/, "", t)
		depth -= gsub(/\}/, "", t)
		if (depth <= 0) exit
	}'
}

# pkvm_entry_checked: 1 when the entry (body on stdin) checks what
# arm_64_lpae_alloc_pgtable_s2() returned ("if (!iop) return ...;", or
# goto)
# before any other use of it, 0 when it uses it unchecked, "none" when it
# does not take its table from there.
pkvm_entry_checked() {
	awk '
	!v && match($0, /[A-Za-z_][A-Za-z_0-9]*[ \t]*=[ \t]*arm_64_lpae_alloc_pgtable_s2[ \t]*\(/) {
		v = substr($0, RSTART, RLENGTH)
		sub(/[ \t]*=.*/, "", v)
		next
	}
	v && r == "" && wait_ret { r = $0 ~ /^[ \t]*(return|goto)[ \t;]/ ? 1 : 0; next }
	v && r == "" && $0 ~ "(^|[^A-Za-z0-9_])" v "([^A-Za-z0-9_]|$)" {
		if ($0 ~ "if[ \t]*\\([ \t]*(unlikely[ \t]*\\()?[ \t]*![ \t]*" v "[ \t]*\\)" ||
		    $0 ~ "if[ \t]*\\([ \t]*" v "[ \t]*==[ \t]*NULL[ \t]*\\)") {
			if ($0 ~ /\)[ \t]*(return|goto)[ \t;]/)
				r = 1
			else
				wait_ret = 1
		} else {
			r = 0
		}
	}
	END { print !v ? "none" : r == "" ? 0 : r }'
}

# pkvm_entry_fmts: the formats the entry (body on stdin) builds, from its
# "if (fmt != A && fmt != B) return NULL;", as IOPT_EL2_FMT(A) | ...;
# nothing when it selects them some other way.
pkvm_entry_fmts() {
	awk '
	cond != "" { if ($0 ~ /^[ \t]*return[ \t]+NULL[ \t]*;/) ok = 1; exit }
	match($0, /if[ \t]*\([ \t]*fmt[ \t]*!=[^()]*\)/) {
		cond = substr($0, RSTART, RLENGTH)
		gsub(/if[ \t]*\(|\)|[ \t]/, "", cond)
		# (only "fmt != NAME" terms, joined by &&)
		t = cond
		gsub(/fmt!=[A-Z0-9_]+/, "", t)
		if (t !~ /^(&&)*$/)
			exit
		if (substr($0, RSTART + RLENGTH) ~ /^[ \t]*return[ \t]+NULL[ \t]*;/) {
			ok = 1
			exit
		}
	}
	END {
		if (!ok)
			exit
		n = split(cond, f, /&&/)
		for (i = 1; i <= n; i++) {
			sub(/^fmt!=/, "", f[i])
			printf("%sIOPT_EL2_FMT(%s)", (i > 1 ? " | " : ""), f[i])
		}
	}'
}

# pkvm_calls_cfg_alloc: 1 when __arm_lpae_alloc_pages() of the view on
# stdin calls cfg->alloc, itself or in a function of the view it calls.
pkvm_calls_cfg_alloc() {
	local view body f

	view=$(cat)
	body=$(pkvm_fn_body __arm_lpae_alloc_pages <<< "$view" | tail -n +2)
	for f in "" $(grep -o -E '[A-Za-z_][A-Za-z_0-9]*[[:space:]]*\(' <<< "$body" |
		      tr -d ' \t(' | sort -u); do
		[ -z "$f" ] || body=$(pkvm_fn_body "$f" <<< "$view" | tail -n +2)
		grep -q -E 'cfg->alloc[[:space:]]*\(' <<< "$body" && { echo 1; return; }
	done
	echo 0
}

pkvm_probe() {
	local kt=$1 version=$2 d=$1/drivers/iommu
	local arm=$d/io-pgtable-arm.c pages_h=$d/iommu-pages.h
	local kglue=$d/io-pgtable-arm-kernel.c
	local hglue=$d/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c
	local arm_el2 hyp_el2="" entry_view="" entry_file entry checked

	pkvm_split=0 pkvm_hyp_glue=0 pkvm_pages_el2=0 pkvm_el2_entry=0
	pkvm_el2_fmts=0 pkvm_el2_checked=0 pkvm_el2_cfg_alloc=0

	# The split: the kernel-only code moved to io-pgtable-arm-kernel.c,
	# the EL2 side in its own glue.
	[ -f "$kglue" ] && pkvm_split=1
	arm_el2=$(pkvm_view "$arm" 1)
	if [ -f "$hglue" ]; then
		hyp_el2=$(pkvm_view "$hglue" 1)
		[ "$pkvm_split" = 1 ] && [ -n "$(pkvm_fn_body kvm_alloc_io_pgtable_ops <<< "$hyp_el2")" ] ||
			die "$version: drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c is not the form this harness builds (it needs io-pgtable-arm-kernel.c beside io-pgtable-arm.c and kvm_alloc_io_pgtable_ops() as the EL2 entry): not supported yet"
		pkvm_hyp_glue=1
		entry_view=$hyp_el2
		entry_file=drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c
	fi

	# The later form: the entry at the end of io-pgtable-arm.c, under
	# __KVM_NVHE_HYPERVISOR__, over the EL2 half of iommu-pages.h.
	entry=$(pkvm_fn_body kvm_alloc_io_pgtable_ops <<< "$arm_el2")
	if [ -n "$entry" ]; then
		[ -z "$(pkvm_view "$arm" 0 | pkvm_fn_body kvm_alloc_io_pgtable_ops)" ] ||
			die "$version: io-pgtable-arm.c defines kvm_alloc_io_pgtable_ops() outside __KVM_NVHE_HYPERVISOR__: not a form of the pKVM series this harness builds"
		[ "$pkvm_hyp_glue" = 0 ] ||
			die "$version: kvm_alloc_io_pgtable_ops() is defined both in io-pgtable-arm.c and in pkvm/io-pgtable-arm-hyp.c: not a form of the pKVM series this harness builds"
		entry_view=$arm_el2
		entry_file=drivers/iommu/io-pgtable-arm.c
	fi
	if [ -f "$pages_h" ] &&
	   [ "$(pkvm_view "$pages_h" 0)" != "$(pkvm_view "$pages_h" 1)" ]; then
		[ -n "$entry" ] ||
			die "$version: drivers/iommu/iommu-pages.h has a __KVM_NVHE_HYPERVISOR__ branch but io-pgtable-arm.c defines no kvm_alloc_io_pgtable_ops() under it: this form of the pKVM series is not supported yet"
		[ -n "$(pkvm_view "$pages_h" 1 | pkvm_fn_body iommu_alloc_pages_node_sz)" ] ||
			die "$version: the __KVM_NVHE_HYPERVISOR__ branch of drivers/iommu/iommu-pages.h defines no iommu_alloc_pages_node_sz(): this form of the pKVM series is not supported yet"
		pkvm_pages_el2=1
	fi
	[ -z "$entry" ] || [ "$pkvm_pages_el2" = 1 ] ||
		die "$version: io-pgtable-arm.c defines kvm_alloc_io_pgtable_ops() but the tree's drivers/iommu/iommu-pages.h has no __KVM_NVHE_HYPERVISOR__ branch to build it over: not supported yet"
	[ -n "$entry_view" ] || return 0
	pkvm_el2_entry=1

	# What the entry does.
	entry=$(pkvm_fn_body kvm_alloc_io_pgtable_ops <<< "$entry_view")
	pkvm_el2_fmts=$(pkvm_entry_fmts <<< "$entry")
	[ -n "$pkvm_el2_fmts" ] ||
		die "$version: kvm_alloc_io_pgtable_ops() in $entry_file does not choose its formats with 'if (fmt != ...) return NULL;': not a form this harness builds"
	checked=$(pkvm_entry_checked <<< "$entry")
	[ "$checked" != none ] ||
		die "$version: kvm_alloc_io_pgtable_ops() in $entry_file does not take its table from arm_64_lpae_alloc_pgtable_s2(): not a form this harness builds"
	pkvm_el2_checked=$checked

	# Whether the EL2 table allocator honours cfg->alloc: the glue's
	# __arm_lpae_alloc_pages(), or io-pgtable-arm.c's compiled at EL2.
	if [ "$pkvm_hyp_glue" = 1 ]; then
		pkvm_el2_cfg_alloc=$(pkvm_calls_cfg_alloc <<< "$hyp_el2")
	else
		pkvm_el2_cfg_alloc=$(pkvm_calls_cfg_alloc <<< "$arm_el2")
	fi
}
