/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Classifying inputs without ever crashing the classifier: each input
 * runs in a child process, through this process's executor or through a
 * fuzz target, with a time limit. Verdicts and signatures:
 *
 *   clean       "-"
 *   divergence  "iopt: <check>/<op>/<format>"
 *   known       "known:<id>" (a known upstream bug: not a report)
 *   crash       the crash type and top frame, e.g.
 *               "asan: heap-buffer-overflow in __arm_lpae_map",
 *               "ubsan: undefined-behavior at io-pgtable-arm.c:345",
 *               "lsan: leak, allocated in ...", "iopt[hyp]: fatal:
 *               outside-arena in ...", "signal: SIGSEGV in ...", "timeout"
 *   unreadable  "-" (no such file, or not readable)
 */
#ifndef IOPT_FUZZ_CLASSIFY_H
#define IOPT_FUZZ_CLASSIFY_H

#include <stdbool.h>

#include "exec.h"
#include "verdict.h"

enum iopt_class {
	IOPT_CLASS_CLEAN,
	IOPT_CLASS_DIVERGENCE,
	IOPT_CLASS_KNOWN,
	IOPT_CLASS_CRASH,
	IOPT_CLASS_UNREADABLE,
};

#define IOPT_CLASS_SIG_MAX	256
#define IOPT_MAX_INPUT		(1 << 20)	/* bytes of an input read */

struct iopt_classifier {
	/* NULL: run in a child of this process; else a libFuzzer target */
	const char *fuzzer;
	const struct iopt_run_opts *opts;	/* for this process's executor */
	unsigned int timeout;			/* seconds per input */
};

const char *iopt_class_name(enum iopt_class c);
/* The verdict named name (as iopt_class_name gives it), or -1. */
int iopt_class_parse(const char *name);
/* A report: a divergence or a crash. */
bool iopt_class_is_report(enum iopt_class c);

/*
 * Run argv (stdin /dev/null) to its end: its exit status, and its stdout
 * and stderr (up to 4 MiB) in *out, to free. 0, or -1 if it could not.
 */
int iopt_capture(char *const argv[], char **out, int *status);

/* Remove a directory and the files (not directories) in it. */
void iopt_remove_flat_dir(const char *path);

enum iopt_class iopt_classify(const struct iopt_classifier *c,
			      const char *path, char sig[IOPT_CLASS_SIG_MAX]);

#endif /* IOPT_FUZZ_CLASSIFY_H */
