/* SPDX-License-Identifier: GPL-2.0-only */
/* The `config` check: the configuration alloc_io_pgtable_ops wrote back. */
#ifndef IOPT_FUZZ_CONFIG_CHECK_H
#define IOPT_FUZZ_CONFIG_CHECK_H

#include <stdbool.h>

struct run;
struct side;

/*
 * After a create (alloc or recreate) the model accepted: each live side's
 * written-back registers against the model and the architecture's rules,
 * and its TTBR against the top table it built. false: reported.
 */
bool check_config(struct run *r);

/*
 * A failure the known-bug registry matches is kept (the first one) and
 * reported here, at the end of the program, unless the program failed
 * before; known bugs strict, it is reported at once.
 */
void config_report_deferred(struct run *r);

/* The architecture's rule side s's registers break (for known.c), or NULL. */
const char *config_rule(const struct run *r, const struct side *s);

#endif /* IOPT_FUZZ_CONFIG_CHECK_H */
