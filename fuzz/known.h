/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known upstream bugs: a small registry, one entry per bug, each with the
 * versions it affects and a precise predicate on what the executor
 * observed when a check failed. A divergence that matches is reported as
 * "known:<id>" (the program ends there; fuzzing goes on); one that only
 * resembles a known bug is an ordinary report. Nothing is filtered: the
 * bug is still run into, seen and counted (docs/design.md, "Known
 * upstream bugs").
 */
#ifndef IOPT_FUZZ_KNOWN_H
#define IOPT_FUZZ_KNOWN_H

#include <stdbool.h>

struct run;
struct side;

struct known_bug {
	const char *id;
	const char *what;		/* one line */
	unsigned int from, until;	/* affected versions: [from, until), until 0: unfixed */
	const char *versions;		/* the same, for people */
	const char *fix;		/* the fix, or NULL when there is none */
	/* Does the failed check (on side s; NULL: between sides) show this bug? */
	bool (*match)(const struct run *r, const struct side *s,
		      const char *check);
};

/* The known bug this failed check shows, or NULL. */
const struct known_bug *known_match(const struct run *r, const struct side *s,
				    const char *check);

/* The known bug a signature "known:<id>" names, or NULL. */
const struct known_bug *known_of_signature(const char *sig);

/* Every entry, for listings (iopt-replay --known). */
extern const struct known_bug known_bugs[];
extern const unsigned int nr_known_bugs;

#endif /* IOPT_FUZZ_KNOWN_H */
