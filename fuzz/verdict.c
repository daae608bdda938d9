// SPDX-License-Identifier: GPL-2.0-only
/* The verdict on one input and its signature (verdict.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define MAX_PLANT_KNOWN	8

/* IOPT_KNOWN_PLANT's signature beginnings, and their ids. */
static struct {
	char prefix[64];	/* "<check>[/<op>[/<format>]]" */
	char id[80];		/* "known:plant-<the same, '/' as '-'>" */
} plant_known[MAX_PLANT_KNOWN];
static int nr_plant_known;

static int bad_known(const char *who, const char *k)
{
	fprintf(stderr, "%s: IOPT_KNOWN_PLANT '%s': expected <check>[/<op>[/<format>]] separated by ',' (at most %d), as in 'iopt: <check>/<op>/<format>'\n",
		who, k, MAX_PLANT_KNOWN);
	return -1;
}

int iopt_verdict_init(const char *who)
{
	const char *k = getenv("IOPT_KNOWN_PLANT"), *plant = getenv("IOPT_PLANT");

	if (!k || !*k)
		return 0;
	if (!plant || !*plant) {
		fprintf(stderr, "%s: IOPT_KNOWN_PLANT '%s' is for planted bugs only, and IOPT_PLANT is not set\n",
			who, k);
		return -1;
	}
	for (const char *p = k; ; p++) {
		size_t n = strcspn(p, ",");
		char *pre = plant_known[nr_plant_known].prefix;

		if (nr_plant_known == MAX_PLANT_KNOWN || !n ||
		    n >= sizeof(plant_known[0].prefix))
			return bad_known(who, k);
		memcpy(pre, p, n);
		pre[n] = 0;
		if (strpbrk(pre, " \t\n") || pre[0] == '/' || pre[n - 1] == '/' ||
		    strstr(pre, "//"))
			return bad_known(who, k);
		snprintf(plant_known[nr_plant_known].id, sizeof(plant_known[0].id),
			 "known:plant-%s", pre);
		for (char *c = plant_known[nr_plant_known].id; *c; c++)
			*c = *c == '/' ? '-' : *c;
		nr_plant_known++;
		p += n;
		if (!*p)
			return 0;
	}
}

/* The id of the IOPT_KNOWN_PLANT entry "iopt: <check>/<op>/<format>" begins with. */
static const char *plant_known_id(const char *sig)
{
	for (int i = 0; i < nr_plant_known; i++) {
		size_t n = strlen(plant_known[i].prefix);

		if (!strncmp(sig, "iopt: ", 6) &&
		    !strncmp(sig + 6, plant_known[i].prefix, n) &&
		    (sig[6 + n] == '/' || !sig[6 + n]))
			return plant_known[i].id;
	}
	return NULL;
}

enum iopt_verdict iopt_judge(const uint8_t *data, size_t size,
			     const struct iopt_run_opts *opts,
			     char sig[IOPT_SIG_MAX])
{
	enum iopt_verdict v = iopt_judge_run(data, size, opts);
	const char *s = iopt_run_stats()->last_signature;

	switch (v) {
	case IOPT_CLEAN:
		strcpy(sig, "-");
		break;
	case IOPT_SHARED:
		v = IOPT_KNOWN;
		/* fall through */
	case IOPT_KNOWN:
		if (!strncmp(s, "iopt: ", 6))
			s += 6;
		if (!strncmp(s, "known:", 6))
			s += 6;
		snprintf(sig, IOPT_SIG_MAX, "known:%s", s);
		break;
	default:
		if (plant_known_id(s)) {
			snprintf(sig, IOPT_SIG_MAX, "%s", plant_known_id(s));
			return IOPT_KNOWN;
		}
		snprintf(sig, IOPT_SIG_MAX, "%s", s);
		v = IOPT_DIVERGENCE;
	}
	return v;
}
