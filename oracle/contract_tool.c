// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-contract: configure's use of the contract table (contract.c), built
 * and run by cmake/IoptContract.cmake, so that the table has one source.
 *
 *   iopt-contract VERSION CODE NAME [KEY=0|1|?|- ...]
 *   iopt-contract --list
 *
 * (--list: every generation, then the proposals a patch may declare.)
 * Chooses the generation: NAME if not empty (IOPT_CONTRACT, or the option
 * the environment's IOPT_CONTRACT_OPTION names), else the one
 * for CODE (IOPT_KVER of VERSION). Prints its name on the first line, its
 * behaviours on the second (KEY=0|1 ...), then one "iopt: ..." line saying
 * how it was chosen, then one "iopt: notice:"
 * line per text probe (KEY=1: the tree's text has the construct, 0: it has
 * not, ?: the function that would have it is not there, -: the probe does
 * not apply) that disagrees with it or cannot tell. An unknown
 * name, a tree older than every generation or a bad argument: one line
 * "iopt: ..." on stderr, exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"

static const char *known(void)
{
	static char buf[256];
	size_t i, n = 0;

	for (i = 0; iopt_contracts[i] && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "",
			      iopt_contracts[i]->name);
	for (i = 0; iopt_contract_proposals[i] && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, " %s",
			      iopt_contract_proposals[i]->name);
	return buf;
}

static const struct iopt_contract_fact *fact_by_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < iopt_contract_nfacts; i++)
		if (strlen(iopt_contract_facts[i].key) == len &&
		    !strncmp(iopt_contract_facts[i].key, key, len))
			return &iopt_contract_facts[i];
	return NULL;
}

/* One KEY=VALUE: its fact and value ('0', '1', '?', '-'), or NULL if malformed. */
static const struct iopt_contract_fact *parse_probe(const char *arg, char *value)
{
	const char *eq = strchr(arg, '=');
	const struct iopt_contract_fact *f = eq ? fact_by_key(arg, eq - arg) : NULL;

	if (!f || !eq[1] || eq[2] || !strchr("01-?", eq[1]))
		return NULL;
	*value = eq[1];
	return f;
}

/* A notice if the text (value) and the contract disagree, or if the probe cannot tell. */
static void cross_check(const struct iopt_contract_fact *f, char value, const char *version,
			const struct iopt_contract *c, const char *why)
{
	bool text = value == '1';

	if (value == '-' || (value != '?' && text == iopt_contract_fact(c, f)))
		return;
	if (value == '?')
		printf("iopt: notice: %s's text lacks the function the %s probe looks in (%s): not cross-checked\n",
		       version, f->key, f->probe);
	else
		printf("iopt: notice: %s's text %s %s but contract %s%s %s: the oracle keeps contract %s, so the %s will be reported\n",
		       version, text ? "has" : "lacks", f->probe, c->name, why,
		       text ? f->no : f->yes, c->name,
		       *why ? "difference" : "patch's behaviour change");
}

static void list_one(const struct iopt_contract *c, const char *what)
{
	printf("%s (%s %u.%u):\n", c->name, what, c->first >> 16, (c->first >> 8) & 0xff);
	iopt_contract_print(c, stdout);
}

int main(int argc, char **argv)
{
	const struct iopt_contract *c, *own;
	const char *option = getenv("IOPT_CONTRACT_OPTION");
	char *end, value, why[64];
	unsigned int code;
	int i;

	if (!option || !*option)
		option = "IOPT_CONTRACT";	/* the option that named the contract */

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; iopt_contracts[i]; i++)
			list_one(iopt_contracts[i], "from");
		for (i = 0; iopt_contract_proposals[i]; i++)
			list_one(iopt_contract_proposals[i], "a proposal, on");
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "iopt: usage: iopt-contract VERSION CODE NAME [KEY=0|1|?|- ...]\n");
		return 1;
	}
	code = strtoul(argv[2], &end, 0);
	if (*end || end == argv[2]) {
		fprintf(stderr, "iopt: iopt-contract: '%s' is not a version code\n", argv[2]);
		return 1;
	}
	for (i = 4; i < argc; i++) {
		if (!parse_probe(argv[i], &value)) {
			fprintf(stderr, "iopt: iopt-contract: bad probe '%s'\n", argv[i]);
			return 1;
		}
	}
	own = iopt_contract_for_version(code);
	c = *argv[3] ? iopt_contract_by_name(argv[3]) : own;
	if (!c && *argv[3]) {
		fprintf(stderr, "iopt: %s=%s: no such contract generation (known: %s)\n",
			option, argv[3], known());
		return 1;
	}
	if (!c) {
		fprintf(stderr, "iopt: %s: older than every contract generation (the oldest is %s): not supported\n",
			argv[1], iopt_contracts[0]->name);
		return 1;
	}
	printf("%s\n", c->name);
	for (i = 0; i < (int)iopt_contract_nfacts; i++)
		printf("%s%s=%d", i ? " " : "", iopt_contract_facts[i].key,
		       iopt_contract_fact(c, &iopt_contract_facts[i]));
	printf("\n");
	if (*argv[3])
		printf("iopt: contract %s, chosen by %s (%s's own is %s)\n", c->name, option,
		       argv[1], own ? own->name : "none");
	else
		printf("iopt: contract %s, chosen by the tree's version %s\n", c->name, argv[1]);
	snprintf(why, sizeof(why), " (%s)", option);
	for (i = 4; i < argc; i++)
		cross_check(parse_probe(argv[i], &value), value, argv[1], c,
			    *argv[3] ? why : "");
	return 0;
}
