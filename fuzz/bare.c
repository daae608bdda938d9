// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-bare [--hyp] [--check] FILE|DIR...: the kernel work of each input
 * and nothing else. The kernel port alone (--hyp: the hyp port alone) runs
 * the program the differential
 * executor runs (the same decoding, the same ops with the same arguments,
 * the same ops skipped as caller-precondition violations, the same faults
 * armed, re-creates, and a device write's HTTU dirtying of a leaf), with
 * no model, no comparison, no trace, no digest: alloc_io_pgtable_ops, the
 * ops, free_io_pgtable_ops and the env resets the executor does.
 * bench/ratio.sh measures `iopt-replay` against it on the same inputs.
 *
 * It runs every op of a program: give it inputs the executor runs clean
 * (a divergence ends the executor's program early). Directories are read
 * in name order, not recursively. IOPT_FORMAT as for iopt-replay.
 *
 * --check: also predict every op with the reference model, and say each
 * op whose caller-precondition verdict differs from the one iopt-bare acts
 * on (fuzz/ops.h), exit status 1 if any: the test that the two harnesses
 * skip the same ops (tests/bare-test.sh). IOPT_BARE_PLANT=no-skips makes
 * iopt-bare skip nothing, for that test to show the check fails.
 *
 * --hyp: run the hyp port instead. The differential executor runs both
 * ports, and they do not cost the same (at EL2 a kmalloc takes a page
 * from the pool, and every page is flushed to PoC when it goes back):
 * bench/ratio.sh runs both, so that the checks' cost is what the executor
 * takes beyond the two ports.
 *
 * Exit status: 0, 1 (--check: a difference), 2 usage error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <iopt/version.h>
#include "classify.h"
#include "contract.h"
#include "plant.h"
#include "run.h"

static const struct iopt_port *port = &iopt_kernel_port;

static struct {
	bool check;
	bool plant_no_skips;	/* IOPT_BARE_PLANT=no-skips: for the test */
	struct iopt_run_opts opts;
	const struct iopt_contract *contract;
	unsigned long inputs, ops, skipped, mismatches;
} bare;

/* What the program runs on, and where it stands. */
struct bare_run {
	struct iopt_prog prog;
	struct iopt_model_cfg cfg;
	struct iopt_model_geom geom;
	struct iopt_drv_state st;
	bool live;
	struct iopt_model *model;	/* --check only */
	const char *path;
};

static void no_flush_all(void *ctx)
{
}

static void no_flush_walk(void *ctx, uint64_t iova, uint64_t size,
			  uint64_t granule)
{
}

static void no_add_page(void *ctx, bool gather, uint64_t iova,
			uint64_t granule)
{
}

static const struct iopt_drv_hooks no_hooks = {
	.flush_all = no_flush_all,
	.flush_walk = no_flush_walk,
	.add_page = no_add_page,
};

static void no_record(void *ctx, uint64_t iova, uint64_t len)
{
}

/* Reset the env, then alloc_io_pgtable_ops, as the executor's create(). */
static void bare_create(struct bare_run *b)
{
	const struct iopt_model_cfg *c = &b->prog.cfg;
	struct iopt_drv_cfg cfg = {
		.fmt = c->fmt, .pgsize_bitmap = c->pgsize_bitmap,
		.ias = c->ias, .oas = c->oas, .quirks = c->quirks,
		.coherent_walk = c->coherent_walk,
		.custom_alloc = b->prog.alloc_mode == IOPT_ALLOC_CUSTOM,
	};

	iopt_env_reset(port->env);
	memset(&port->env->knobs, 0, sizeof(port->env->knobs));
	b->live = port->drv->create(&cfg, &no_hooks, &b->st);
	if (bare.check) {
		iopt_model_free(b->model);
		b->model = iopt_model_new(&b->cfg);
	}
}

static void bare_destroy(struct bare_run *b)
{
	if (b->live)
		port->drv->destroy();
	b->live = false;
}

static const void *cpu_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	return port->drv->lookup(pa, base, size, false);
}

/*
 * A device write under HTTU (HD, coherent walk): the walker clears AP[2]
 * of the DBM leaf that translates the IOVA, as fuzz/hw.c does.
 */
static void bare_dirty(struct bare_run *b, uint64_t iova)
{
	struct iopt_dec_cfg dec = {
		.fmt = b->cfg.fmt, .granule_shift = b->geom.granule_shift,
		.ias = b->geom.ias, .oas = b->geom.oas,
		.start_level = b->geom.start_level,
		.pgd_entries = b->geom.pgd_entries, .ttbr = b->st.ttbr,
		.ttbr1 = b->cfg.quirks & IOPT_Q_ARM_TTBR1,
	};
	struct iopt_dec_mem mem = { .lookup = cpu_lookup };
	uint64_t base, size, pte;
	struct iopt_leaf l;
	uint8_t *host;

	if (iopt_dec_translate(&dec, &mem, iova, dec.start_level, dec.ttbr,
			       NULL, NULL, &l) != IOPT_DEC_HIT)
		return;
	host = (uint8_t *)port->drv->lookup(l.entry_pa, &base, &size, false);
	if (!host)
		return;
	memcpy(&pte, host + (l.entry_pa - base), 8);
	if ((pte & IOPT_PTE_DBM) && (pte & IOPT_PTE_AP_RDONLY)) {
		pte &= ~IOPT_PTE_AP_RDONLY;
		memcpy(host + (l.entry_pa - base), &pte, 8);
	}
}

/* --check: the model's verdict on the op, against ours (why). */
static void check_op(struct bare_run *b, unsigned int i,
		     const struct iopt_op *op, const struct op_args *a,
		     const char *why)
{
	struct iopt_model_pred p;
	struct iopt_model_walk w;

	switch (op->kind) {
	case IOPT_OP_MAP:
		iopt_model_map(b->model, a->iova, a->pa, a->pgsize, a->count,
			       a->prot, 0, &p);
		break;
	case IOPT_OP_UNMAP:
		iopt_model_unmap(b->model, a->iova, a->pgsize, a->count, &p);
		break;
	case IOPT_OP_DIRTY:
		iopt_model_read_and_clear_dirty(b->model, a->iova,
			a->pgsize * a->count,
			op->flags & IOPT_OPF_NO_CLEAR ? IOPT_DIRTY_NO_CLEAR : 0,
			no_record, NULL, &p);
		break;
	case IOPT_OP_WALK:
		iopt_model_pgtable_walk(b->model, a->iova, &w, &p);
		break;
	default:
		return;
	}
	if (p.violation == !!why)
		return;
	bare.mismatches++;
	printf("iopt-bare: %s: op #%u %s iova 0x%llx pa 0x%llx pgsize 0x%zx count %zu: the model says %s, iopt-bare %s\n",
	       b->path, i, iopt_op_name(op->kind), (unsigned long long)a->iova,
	       (unsigned long long)a->pa, a->pgsize, a->count,
	       p.violation ? p.why : "no violation", why ? why : "no violation");
}

/* One op, as the executor's run_op() has the kernel side do it. */
static void bare_op(struct bare_run *b, unsigned int i, const struct iopt_op *op)
{
	struct op_args a;
	const char *why;
	size_t mapped = 0;

	switch (op->kind) {
	case IOPT_OP_RECREATE:
		bare_destroy(b);
		bare_create(b);
		return;
	case IOPT_OP_FAULT:
		iopt_op_arm_fault(port, op->flags, op->count,
				  b->cfg.coherent_walk);
		if (b->model)
			iopt_model_fail_alloc(b->model, op->count);
		return;
	default:
		break;
	}
	iopt_op_args(&b->geom, b->cfg.quirks, op, &a);
	if (op->kind == IOPT_OP_ACCESS) {
		if ((op->flags & IOPT_OPF_WRITE) && b->cfg.coherent_walk &&
		    (b->cfg.quirks & IOPT_Q_ARM_HD)) {
			bare_dirty(b, a.iova);
			if (b->model)
				iopt_model_set_dirty(b->model, a.iova);
		}
		return;
	}
	why = bare.plant_no_skips ? NULL :
	      iopt_op_precondition(&b->cfg, &b->geom, op, &a);
	if (b->model)
		check_op(b, i, op, &a, why);
	if (why) {
		bare.skipped++;
		return;
	}
	bare.ops++;
	iopt_op_call(port->drv, op, &a, &mapped, no_record, NULL);
}

static void bare_input(const uint8_t *data, size_t n, const char *path)
{
	static struct bare_run b;

	b.path = path;
	run_decode(data, n, &bare.opts, &b.prog);
	bare.inputs++;
	if (port->init())
		abort();
	b.cfg = b.prog.cfg;
	b.cfg.contract = bare.contract;
	iopt_model_geometry(&b.cfg, &b.geom);
	if (!b.geom.degenerate || b.geom.rejected)	/* as the executor */
		bare_create(&b);
	/* the executor runs ops only on a table the model has too */
	if (b.live && !b.geom.rejected && !b.geom.degenerate) {
		for (unsigned int i = 0; i < b.prog.nops && b.live; i++)
			bare_op(&b, i, &b.prog.ops[i]);
	}
	bare_destroy(&b);
	iopt_env_reset(port->env);
	iopt_model_free(b.model);
	b.model = NULL;
}

static int bare_file(const char *path)
{
	static uint8_t buf[IOPT_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "iopt-bare: cannot read '%s': %s\n", path,
			strerror(errno));
		return 2;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	bare_input(buf, n, path);
	return 0;
}

static int not_hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* A directory's regular files in name order (as iopt-replay reads them). */
static int bare_dir(const char *dir)
{
	struct dirent **de;
	int n = scandir(dir, &de, not_hidden, alphasort), rc = 0;

	if (n < 0) {
		fprintf(stderr, "iopt-bare: cannot open '%s': %s\n", dir,
			strerror(errno));
		return 2;
	}
	for (int i = 0; i < n; i++) {
		char *path;
		struct stat st;

		if (asprintf(&path, "%s/%s", dir, de[i]->d_name) < 0)
			abort();
		if (!stat(path, &st) && S_ISREG(st.st_mode) && bare_file(path))
			rc = 2;
		free(path);
		free(de[i]);
	}
	free(de);
	return rc;
}

int main(int argc, char **argv)
{
	int first = 1, rc = 0;
	struct stat st;

	if (iopt_version_arg(argc, argv))
		return 0;
	if (iopt_opts_from_env(&bare.opts, "iopt-bare"))
		return 2;
	if (getenv("IOPT_PLANT")) {
		fprintf(stderr, "iopt-bare: no planted bugs here (IOPT_PLANT is set)\n");
		return 2;
	}
	if (getenv("IOPT_BARE_PLANT")) {
		if (strcmp(getenv("IOPT_BARE_PLANT"), "no-skips")) {
			fprintf(stderr, "iopt-bare: IOPT_BARE_PLANT is 'no-skips' or unset\n");
			return 2;
		}
		bare.plant_no_skips = true;
	}
	if (first < argc && !strcmp(argv[first], "--hyp")) {
		port = &iopt_hyp_port;
		first++;
	}
	if (first < argc && !strcmp(argv[first], "--check")) {
		bare.check = true;
		first++;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: iopt-bare [--hyp] [--check] FILE|DIR...\n");
		return 2;
	}
	bare.contract = iopt_contract_by_name(port->tree->contract);
	if (!bare.contract)
		abort();
	for (int i = first; i < argc && rc < 2; i++) {
		if (stat(argv[i], &st)) {
			fprintf(stderr, "iopt-bare: no such file or directory: '%s'\n",
				argv[i]);
			return 2;
		}
		rc = S_ISDIR(st.st_mode) ? bare_dir(argv[i]) : bare_file(argv[i]);
	}
	if (rc)
		return rc;
	printf("iopt-bare: %lu inputs, %lu ops run on the %s port, %lu skipped as precondition violations%s\n",
	       bare.inputs, bare.ops, port->name, bare.skipped,
	       bare.check ? (bare.mismatches ? ", the model disagrees" :
			     ", the model agrees on each") : "");
	return bare.mismatches ? 1 : 0;
}
