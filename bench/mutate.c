// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-mutate: the mutants of one C file, found by parsing its text (for
 * bench/mutation.sh; docs/mutation.md).
 *
 *   iopt-mutate --list FILE                  every site, one TSV line each
 *   iopt-mutate --sample N --seed S FILE     N of them, chosen by S
 *   iopt-mutate --apply ID FILE OUT          FILE with mutant ID, into OUT
 *   iopt-mutate --check FILE                 sites for every operator, none in tests
 *   iopt-mutate --self-test                  the parser on a text of its own
 *
 * A small tokenizer (comments, strings, character constants and
 * preprocessor lines are skipped) finds the function bodies; a body under
 * an "#if ... SELFTEST" or of an __init function is not code under test.
 * In each body the operators find their sites:
 *
 *   cmp    a comparison negated, or its boundary moved (< to <= ...)
 *   bound  +1 or -1 on a bound (the right side of <, <=, >, >=), an
 *          index ([i]), a pointer step (+=, -=) or a number added or
 *          subtracted (lvl + 1)
 *   stmt   an expression statement dropped (a call, an assignment)
 *   warn   the condition of WARN_ON(), WARN() ... made false
 *   logic  && and || swapped
 *   args   two neighbouring arguments of a call swapped
 *   mask   one flag dropped from an OR of flags
 *
 * A mutant replaces one byte range with a text that keeps the line count,
 * so every other line keeps its number. Its key names it without the
 * file's text: function, operator, a hash of the line, which equal line in
 * the function, which site of the operator on it, and the variant.
 *
 * The TSV columns: id, op, line, func, key, variant, the line with the
 * change marked ~old => new~ (tabs and runs of blanks made one space).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { T_IDENT, T_NUM, T_STR, T_CHR, T_PUNCT };

struct tok {
	enum tok_kind kind;
	int start, end;		/* byte range in the text */
	int line;
	int match;		/* the other bracket of ( [ {, or -1 */
};

enum op { OP_CMP, OP_BOUND, OP_STMT, OP_WARN, OP_LOGIC, OP_ARGS, OP_MASK, OP_COUNT };

static const char *const op_names[OP_COUNT] = {
	"cmp", "bound", "stmt", "warn", "logic", "args", "mask",
};

struct site {
	enum op op;
	int start, end;		/* replaced range */
	char *repl;		/* its replacement */
	int line;
	int func;		/* index into funcs */
	char variant[24];
	char key[160];
};

struct func {
	char name[80];
	int open, close;	/* token indices of the body's braces */
};

static const char *text;
static int text_len;
static struct tok *toks;
static int ntoks, cap_toks;
static int *pdepth;		/* per token: the ( and [ around it */
static struct func *funcs;
static int nfuncs;
static struct site *sites;
static int nsites, cap_sites;
/* byte ranges excluded: #if ... SELFTEST ... #endif */
static int excl[64][2];
static int nexcl;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "iopt-mutate: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- tokenizer ---- */

static int line_of(int off)
{
	int line = 1;

	for (int i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static void add_tok(enum tok_kind k, int start, int end, int line)
{
	if (ntoks == cap_toks) {
		cap_toks = cap_toks ? 2 * cap_toks : 4096;
		toks = xrealloc(toks, cap_toks * sizeof(*toks));
	}
	toks[ntoks++] = (struct tok){ k, start, end, line, -1 };
}

static const char *const puncts[] = {
	"<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
	"&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "##",
};

/* A preprocessor directive: note a SELFTEST conditional; returns its end. */
static int directive(int i, int *depth, int *excl_depth)
{
	int s = i, e;
	char buf[256];
	size_t n;

	while (i < text_len && text[i] != '\n') {
		if (text[i] == '\\' && i + 1 < text_len && text[i + 1] == '\n')
			i++;
		else if (text[i] == '/' && i + 1 < text_len && text[i + 1] == '*') {
			char *c = strstr(text + i + 2, "*/");

			i = c ? (int)(c - text) + 1 : text_len - 1;
		}
		i++;
	}
	e = i;
	n = (size_t)(e - s) < sizeof(buf) - 1 ? (size_t)(e - s) : sizeof(buf) - 1;
	memcpy(buf, text + s, n);
	buf[n] = 0;
	if (!strncmp(buf + strspn(buf, "# \t"), "if", 2)) {
		(*depth)++;
		if (strstr(buf, "SELFTEST") && *excl_depth < 0) {
			*excl_depth = *depth;
			if (nexcl == 64)
				die("too many excluded regions");
			excl[nexcl][0] = s;
			excl[nexcl][1] = text_len;
		}
	} else if (!strncmp(buf + strspn(buf, "# \t"), "endif", 5)) {
		if (*depth == *excl_depth) {
			excl[nexcl++][1] = e;
			*excl_depth = -1;
		}
		(*depth)--;
	}
	return e;
}

static void tokenize(void)
{
	int i = 0, line = 1, depth = 0, excl_depth = -1;
	bool bol = true;	/* only blanks since the line began */

	while (i < text_len) {
		char c = text[i];
		int s = i;

		if (c == '\n') {
			line++;
			bol = true;
			i++;
			continue;
		}
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if (c == '#' && bol) {
			i = directive(i, &depth, &excl_depth);
			line = line_of(i);
			continue;
		}
		bol = false;
		if (c == '/' && text[i + 1] == '/') {
			while (i < text_len && text[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && text[i + 1] == '*') {
			char *e = strstr(text + i + 2, "*/");

			i = e ? (int)(e - text) + 2 : text_len;
			line = line_of(i);
			continue;
		}
		if (c == '"' || c == '\'') {
			for (i++; i < text_len && text[i] != c; i++)
				if (text[i] == '\\')
					i++;
			i++;
			add_tok(c == '"' ? T_STR : T_CHR, s, i, line);
			continue;
		}
		if (isalpha((unsigned char)c) || c == '_') {
			while (i < text_len && (isalnum((unsigned char)text[i]) || text[i] == '_'))
				i++;
			add_tok(T_IDENT, s, i, line);
			continue;
		}
		if (isdigit((unsigned char)c)) {
			while (i < text_len && (isalnum((unsigned char)text[i]) || text[i] == '.'))
				i++;
			add_tok(T_NUM, s, i, line);
			continue;
		}
		for (size_t p = 0; p < sizeof(puncts) / sizeof(puncts[0]); p++) {
			size_t n = strlen(puncts[p]);

			if (!strncmp(text + i, puncts[p], n)) {
				i += n;
				break;
			}
		}
		if (i == s)
			i++;
		add_tok(T_PUNCT, s, i, line);
	}
	if (excl_depth >= 0)
		nexcl++;
}

static bool is(int t, const char *s)
{
	size_t n;

	if (t < 0 || t >= ntoks)
		return false;
	n = toks[t].end - toks[t].start;
	return strlen(s) == n && !strncmp(text + toks[t].start, s, n);
}

static bool is_any(int t, const char *const *set)
{
	for (; *set; set++)
		if (is(t, *set))
			return true;
	return false;
}

static void match_brackets(void)
{
	int stack[1024], sp = 0, pd = 0;

	pdepth = xrealloc(NULL, (ntoks + 1) * sizeof(int));
	for (int t = 0; t < ntoks; t++) {
		pd -= is(t, ")") || is(t, "]");
		pdepth[t] = pd;
		pd += is(t, "(") || is(t, "[");
		if (is(t, "(") || is(t, "[") || is(t, "{")) {
			if (sp == 1024)
				die("brackets nested too deep");
			stack[sp++] = t;
		} else if (is(t, ")") || is(t, "]") || is(t, "}")) {
			if (!sp)
				die("unbalanced '%.*s' at line %d", 1, text + toks[t].start,
				    toks[t].line);
			toks[t].match = stack[--sp];
			toks[stack[sp]].match = t;
		}
	}
	if (sp)
		die("unbalanced bracket at line %d", toks[stack[sp - 1]].line);
}

static bool excluded(int off)
{
	for (int i = 0; i < nexcl; i++)
		if (off >= excl[i][0] && off < excl[i][1])
			return true;
	return false;
}

/* Function definitions at file scope: "name ( ... ) {", not __init. */
static void find_funcs(void)
{
	int decl_start = 0;

	for (int t = 0; t < ntoks; t++) {
		if (is(t, ";")) {
			decl_start = t + 1;
			continue;
		}
		if (!is(t, "{"))
			continue;
		if (t > 0 && is(t - 1, ")") && toks[toks[t - 1].match].match >= 0) {
			int name = toks[t - 1].match - 1;
			bool init = false;

			for (int k = decl_start; k < name; k++)
				init |= is(k, "__init");
			if (name >= 0 && toks[name].kind == T_IDENT && !init &&
			    !excluded(toks[t].start)) {
				struct func *f;

				funcs = xrealloc(funcs, (nfuncs + 1) * sizeof(*funcs));
				f = &funcs[nfuncs++];
				snprintf(f->name, sizeof(f->name), "%.*s",
					 toks[name].end - toks[name].start,
					 text + toks[name].start);
				f->open = t;
				f->close = toks[t].match;
			}
		}
		t = toks[t].match;	/* skip the body or initializer */
		decl_start = t + 1;
	}
}

/* ---- sites ---- */

static int cur_func;

static void add_site(enum op op, int start, int end, const char *repl, const char *variant)
{
	struct site *s;

	if (nsites == cap_sites) {
		cap_sites = cap_sites ? 2 * cap_sites : 1024;
		sites = xrealloc(sites, cap_sites * sizeof(*sites));
	}
	s = &sites[nsites++];
	memset(s, 0, sizeof(*s));
	s->op = op;
	s->start = start;
	s->end = end;
	s->func = cur_func;
	s->line = line_of(start);
	snprintf(s->variant, sizeof(s->variant), "%s", variant);
	/* keep the line count: the newlines of the range stay */
	{
		size_t n = strlen(repl), k = 0;
		char *r = xrealloc(NULL, n + (end - start) + 1);

		memcpy(r, repl, n);
		k = n;
		for (int i = start; i < end; i++)
			if (text[i] == '\n')
				r[k++] = '\n';
		r[k] = 0;
		s->repl = r;
	}
}

/* The replacement with the original bytes in between, e.g. "(" X ") + 1". */
static char *wrap(int start, int end, const char *pre, const char *post)
{
	size_t n = strlen(pre) + (end - start) + strlen(post);
	char *r = xrealloc(NULL, n + 1);

	snprintf(r, n + 1, "%s%.*s%s", pre, end - start, text + start, post);
	return r;
}

static const char *const keywords[] = {	/* never a call, nor an operand */
	"if", "else", "for", "while", "do", "switch", "return", "break", "continue", "goto",
	"case", "default", "sizeof", "typeof", "__typeof__", "struct", "union", "enum",
	"static", "const", "volatile", "unsigned", "signed", "int", "long", "short", "char",
	"void", "bool", "_Bool", "register", "extern", "inline", "__builtin_offsetof",
	"offsetof", "container_of", "typedef", NULL,
};

static bool ends_operand(int t)
{
	if (t < 0)
		return false;
	return (toks[t].kind == T_IDENT && !is_any(t, keywords)) || toks[t].kind == T_NUM || toks[t].kind == T_STR ||
	       toks[t].kind == T_CHR || is(t, ")") || is(t, "]") || is(t, "++") || is(t, "--");
}

static const char *const expr_stops[] = {
	")", "]", "}", ";", ",", "?", ":", "&&", "||", "|", "^", "==", "!=", "<", "<=",
	">", ">=", "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", NULL,
};

/*
 * The last token of the operand that begins at t, for the given stop set;
 * a binary & stops it too when the set is expr_stops (below a comparison).
 */
static int operand_end(int t, int limit, const char *const *stops)
{
	int last = -1;

	while (t < limit) {
		bool bin_and = stops == expr_stops && is(t, "&") && last >= 0 &&
			       ends_operand(last);

		if (last >= 0 && (is_any(t, stops) || bin_and))
			break;
		if (is(t, "(") || is(t, "[") || is(t, "{")) {
			last = toks[t].match;	/* a group is part of the operand */
			t = last + 1;
			continue;
		}
		if (is(t, ")") || is(t, "]") || is(t, "}"))
			break;	/* an unmatched closer: the enclosing group ends */
		last = t++;
	}
	return last;
}

static void sites_cmp(int t)
{
	static const char *const ops[][3] = {
		{ "==", "!=", NULL }, { "!=", "==", NULL }, { "<", "<=", ">=" },
		{ "<=", "<", ">" }, { ">", ">=", "<=" }, { ">=", ">", "<" },
	};

	for (size_t i = 0; i < 6; i++) {
		if (!is(t, ops[i][0]))
			continue;
		for (int v = 1; v < 3 && ops[i][v]; v++) {
			char var[24];

			snprintf(var, sizeof(var), "%s%s", v == 1 && i > 1 ? "edge" : "neg",
				 ops[i][v]);
			add_site(OP_CMP, toks[t].start, toks[t].end, ops[i][v], var);
		}
	}
}

static void bound_of(int first, int last, const char *what)
{
	static const char *const delta[] = { "+1", "-1" };

	if (last < first)
		return;
	for (int d = 0; d < 2; d++) {
		char var[24], post[8], *r;

		snprintf(var, sizeof(var), "%s%s", what, delta[d]);
		snprintf(post, sizeof(post), ") %c 1", delta[d][0]);
		r = wrap(toks[first].start, toks[last].end, "(", post);
		add_site(OP_BOUND, toks[first].start, toks[last].end, r, var);
		free(r);
	}
}

static void sites_bound(int t, int limit)
{
	if (is(t, "<") || is(t, "<=") || is(t, ">") || is(t, ">=")) {
		bound_of(t + 1, operand_end(t + 1, limit, expr_stops), "rhs");
	} else if (is(t, "+=") || is(t, "-=")) {
		bound_of(t + 1, operand_end(t + 1, limit, expr_stops), "step");
	} else if (is(t, "[") && t > 0 && ends_operand(t - 1) && !is(t - 1, "++") &&
		   !is(t - 1, "--") && toks[t].match > t + 1) {
		bound_of(t + 1, toks[t].match - 1, "idx");
	} else if (toks[t].kind == T_NUM &&
		   (((is(t - 1, "+") || is(t - 1, "-")) && ends_operand(t - 2)) ||
		    is(t + 1, "+") || is(t + 1, "-"))) {
		bound_of(t, t, "lit");	/* a level, a shift: lvl + 1, 48 - 12 */
	}
}

/* An expression statement starting at t: a call, an assignment, ++/--. */
static bool expr_statement(int t)
{
	static const char *const follow[] = {
		"(", "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=",
		"->", ".", "[", "++", "--", NULL,
	};

	if (is(t, "*") || is(t, "++") || is(t, "--"))
		return true;
	return toks[t].kind == T_IDENT && !is_any(t, keywords) && is_any(t + 1, follow);
}

/* The ":" at t ends a label: "case ...:", "default:" or "name:". */
static bool label_colon(int t)
{
	int k = t - 1;

	if (is(k, "default") || (toks[k].kind == T_IDENT &&
				 (is(k - 1, ";") || is(k - 1, "{") || is(k - 1, "}"))))
		return true;
	for (; k > 0 && !is(k, ";") && !is(k, "{") && !is(k, "}") && !is(k, "?"); k--)
		if (is(k, "case"))
			return true;
	return false;
}

static void sites_stmt(int t, int limit)
{
	int prev = t - 1, end = t;
	bool start;

	if (pdepth[t])
		return;		/* inside ( ) or [ ]: for (...; ...; ...) */
	start = is(prev, ";") || is(prev, "{") || is(prev, "}") || is(prev, "else") ||
		(is(prev, ":") && label_colon(prev)) ||
		(is(prev, ")") && (is(toks[prev].match - 1, "if") ||
				   is(toks[prev].match - 1, "while") ||
				   is(toks[prev].match - 1, "for")));
	if (!start || !expr_statement(t))
		return;
	while (end < limit && !is(end, ";") && !is(end, "}")) {
		if (is(end, "(") || is(end, "[") || is(end, "{"))
			end = toks[end].match;
		end++;
	}
	if (end >= limit || !is(end, ";"))
		return;
	add_site(OP_STMT, toks[t].start, toks[end].end, ";", "drop");
}

static bool is_warn(int t)
{
	static const char *const warns[] = { "WARN_ON", "WARN_ON_ONCE", "WARN", "WARN_ONCE", NULL };

	return is_any(t, warns) && is(t + 1, "(");
}

static void sites_warn(int t)
{
	int last;

	if (!is_warn(t))
		return;
	last = operand_end(t + 2, toks[t + 1].match, (const char *const[]){ ",", NULL });
	if (last < t + 2 || (last == t + 2 && toks[last].kind == T_NUM))
		return;
	add_site(OP_WARN, toks[t + 2].start, toks[last].end, "0", "false");
}

static void sites_logic(int t)
{
	if (is(t, "&&"))
		add_site(OP_LOGIC, toks[t].start, toks[t].end, "||", "or");
	else if (is(t, "||"))
		add_site(OP_LOGIC, toks[t].start, toks[t].end, "&&", "and");
}

static bool normalized_equal(int a0, int a1, int b0, int b1)
{
	if (a1 - a0 != b1 - b0)
		return false;
	for (int i = 0; i <= a1 - a0; i++)
		if (toks[a0 + i].end - toks[a0 + i].start != toks[b0 + i].end - toks[b0 + i].start ||
		    strncmp(text + toks[a0 + i].start, text + toks[b0 + i].start,
			    toks[a0 + i].end - toks[a0 + i].start))
			return false;
	return true;
}

static void sites_args(int t)
{
	static const char *const skip[] = {	/* types, formats, messages */
		"WARN", "WARN_ONCE", "printk", "pr_err", "pr_warn", "pr_info", "pr_debug",
		"dev_err", "dev_warn", "dev_info", "dev_dbg", "__builtin_expect", NULL,
	};
	int args[32][2], n = 0, open = t + 1, close, a;
	size_t len;

	if (toks[t].kind != T_IDENT || !is(open, "(") || is_any(t, keywords) || is_any(t, skip))
		return;
	close = toks[open].match;
	for (a = open + 1; a < close && n < 32; ) {
		int last = operand_end(a, close, (const char *const[]){ ",", NULL });

		if (last < a)
			return;
		args[n][0] = a;
		args[n][1] = last;
		n++;
		a = last + 2;
	}
	len = toks[t].end - toks[t].start;
	for (int i = 0; i + 1 < n; i++) {
		int s0 = toks[args[i][0]].start, e0 = toks[args[i][1]].end;
		int s1 = toks[args[i + 1][0]].start, e1 = toks[args[i + 1][1]].end;
		size_t m = (e1 - s0) + 1;
		char *r, var[24];

		/* a type first: min_t(), max_t(), clamp_t() */
		if (i == 0 && len > 2 && !strncmp(text + toks[t].end - 2, "_t", 2))
			continue;
		if (normalized_equal(args[i][0], args[i][1], args[i + 1][0], args[i + 1][1]))
			continue;
		r = xrealloc(NULL, m);
		snprintf(r, m, "%.*s%.*s%.*s", e1 - s1, text + s1, s1 - e0, text + e0,
			 e0 - s0, text + s0);
		snprintf(var, sizeof(var), "swap%d-%d", i + 1, i + 2);
		add_site(OP_ARGS, s0, e1, r, var);
		free(r);
	}
}

/* A flag: its first token (past "(" and "~") an upper-case name or a number. */
static bool flag_like(int first, int last)
{
	while (first < last && (is(first, "(") || is(first, "~")))
		first++;
	return toks[first].kind == T_NUM ||
	       (toks[first].kind == T_IDENT && isupper((unsigned char)text[toks[first].start]));
}

/* what binds less than a binary | */
static const char *const or_left_stops[] = {
	"(", "[", "{", ",", ";", "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=",
	">>=", "return", "?", ":", "||", "&&", "|", NULL,
};
static const char *const or_right_stops[] = {
	")", "]", "}", ";", ",", "?", ":", "&&", "||", "|", "=", NULL,
};

static void sites_mask(int t, int body_open, int limit)
{
	int l = t - 1, first, r_last;
	char var[24];

	if (!is(t, "|"))
		return;
	/* the left operand: back to a token of lower precedence */
	while (l > body_open) {
		if (is(l, ")") || is(l, "]") || is(l, "}")) {
			l = toks[l].match - 1;
			continue;
		}
		if (is_any(l, or_left_stops))
			break;
		l--;
	}
	first = l + 1;
	r_last = operand_end(t + 1, limit, or_right_stops);
	if (first >= t || r_last < t + 1)
		return;
	if (!is(l, "|") && flag_like(first, t - 1)) {
		snprintf(var, sizeof(var), "drop-left");
		add_site(OP_MASK, toks[first].start, toks[t + 1].start, "", var);
	}
	if (flag_like(t + 1, r_last)) {
		snprintf(var, sizeof(var), "drop-right");
		add_site(OP_MASK, toks[t - 1].end, toks[r_last].end, "", var);
	}
}

/* ---- keys ---- */

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i]))
			continue;	/* blanks do not count */
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
}

static void line_range(int line, int *s, int *e)
{
	int l = 1, i = 0;

	while (i < text_len && l < line)
		l += text[i++] == '\n';
	*s = i;
	while (i < text_len && text[i] != '\n')
		i++;
	*e = i;
}

static void make_keys(void)
{
	for (int i = 0; i < nsites; i++) {
		struct site *s = &sites[i];
		struct func *f = &funcs[s->func];
		int ls, le, occ = 0, ord = 0;
		uint32_t h;

		line_range(s->line, &ls, &le);
		h = fnv1a(text + ls, le - ls);
		/* the same line text earlier in the function */
		for (int l = toks[f->open].line; l < s->line; l++) {
			int a, b;

			line_range(l, &a, &b);
			occ += fnv1a(text + a, b - a) == h;
		}
		/* earlier sites of this operator on this line, by position */
		for (int j = 0; j < nsites; j++)
			ord += sites[j].op == s->op && sites[j].line == s->line &&
			       sites[j].start < s->start &&
			       (j == 0 || sites[j - 1].start != sites[j].start ||
				sites[j - 1].op != sites[j].op);
		snprintf(s->key, sizeof(s->key), "%s:%s:%08x:%d:%d:%s", f->name, op_names[s->op],
			 h, occ, ord, s->variant);
	}
}

static void find_sites(void)
{
	for (int f = 0; f < nfuncs; f++) {
		int open = funcs[f].open, close = funcs[f].close;

		cur_func = f;
		for (int t = open + 1; t < close; t++) {
			sites_cmp(t);
			sites_bound(t, close);
			sites_stmt(t, close);
			sites_warn(t);
			sites_logic(t);
			sites_args(t);
			sites_mask(t, open, close);
		}
	}
	make_keys();
}

/* ---- output ---- */

static void put_clean(FILE *out, const char *s, size_t n)
{
	bool blank = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\t' || c == ' ' || c == '\n' || c == '\r') {
			blank = true;
			continue;
		}
		if (blank)
			fputc(' ', out);
		blank = false;
		fputc(c, out);
	}
	if (blank)
		fputc(' ', out);
}

/* The site's first line, the change marked ~old => new~. */
static void print_shown(FILE *out, const struct site *s)
{
	int ls, le, lead, oe = s->end;
	const char *nl = memchr(text + s->start, '\n', s->end - s->start);

	line_range(s->line, &ls, &le);
	lead = ls;
	while (lead < le && (text[lead] == ' ' || text[lead] == '\t'))
		lead++;
	put_clean(out, text + lead, s->start - lead);
	fputc('~', out);
	if (nl)
		oe = nl - text;
	put_clean(out, text + s->start, oe - s->start);
	if (nl)
		fputs(" ...", out);
	fputs(" => ", out);
	put_clean(out, s->repl, strcspn(s->repl, "\n"));
	fputc('~', out);
	if (s->end <= le)
		put_clean(out, text + s->end, le - s->end);
}

static void print_site(FILE *out, int i)
{
	const struct site *s = &sites[i];

	fprintf(out, "%d\t%s\t%d\t%s\t%s\t%s\t", i, op_names[s->op], s->line,
		funcs[s->func].name, s->key, s->variant);
	print_shown(out, s);
	fputc('\n', out);
}

static uint64_t rng;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL) % n;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* N sites: each operator's shuffled in turn (round robin), then in file order. */
static void sample(int n, uint64_t seed)
{
	int *by_op[OP_COUNT], cnt[OP_COUNT] = { 0 }, next[OP_COUNT] = { 0 }, *pick, np = 0;
	bool more = true;

	rng = seed ? seed : 1;
	for (int o = 0; o < OP_COUNT; o++) {
		by_op[o] = xrealloc(NULL, (nsites + 1) * sizeof(int));
		for (int i = 0; i < nsites; i++)
			if (sites[i].op == (enum op)o)
				by_op[o][cnt[o]++] = i;
		for (int i = cnt[o] - 1; i > 0; i--) {
			int j = rnd(i + 1), x = by_op[o][i];

			by_op[o][i] = by_op[o][j];
			by_op[o][j] = x;
		}
	}
	pick = xrealloc(NULL, (nsites + 1) * sizeof(int));
	while (np < n && more) {
		more = false;
		for (int o = 0; o < OP_COUNT && np < n; o++) {
			if (next[o] < cnt[o]) {
				pick[np++] = by_op[o][next[o]++];
				more = true;
			}
		}
	}
	qsort(pick, np, sizeof(int), cmp_int);
	for (int i = 0; i < np; i++)
		print_site(stdout, pick[i]);
	for (int o = 0; o < OP_COUNT; o++)
		free(by_op[o]);
	free(pick);
}

static void apply(int id, const char *out_path)
{
	const struct site *s;
	FILE *out;

	if (id < 0 || id >= nsites)
		die("no mutant %d (the file has %d)", id, nsites);
	s = &sites[id];
	out = fopen(out_path, "w");
	if (!out)
		die("%s: %s", out_path, strerror(errno));
	fwrite(text, 1, s->start, out);
	fputs(s->repl, out);
	fwrite(text + s->end, 1, text_len - s->end, out);
	if (fclose(out))
		die("%s: %s", out_path, strerror(errno));
}

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n = -1;
	char *buf;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		die("%s: cannot read", path);
	buf = xrealloc(NULL, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		die("%s: cannot read", path);
	buf[n] = 0;
	fclose(f);
	if (memchr(buf, 0, n))
		die("%s: not a C source file", path);
	text = buf;
	text_len = n;
}

static void parse(void)
{
	tokenize();
	match_brackets();
	find_funcs();
	if (!nfuncs)
		die("no function definitions found");
	find_sites();
}

/* ---- self-test: a text of our own, what each operator must find ---- */

static const char self_text[] =
	"/* a comment: if (a == b) */\n"
	"#define FLAG_A 1\n"
	"#if IS_ENABLED(CONFIG_SELFTEST)\n"
	"static int in_selftest(int a) { return a == 1; }\n"
	"#endif\n"
	"static const char *s = \"x == y\";\n"
	"static int __init init_only(int a) { return a < 2; }\n"
	"static int f(int *p, int n, int x)\n"
	"{\n"
	"\tint i;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\tp[i] = FLAG_A | FLAG_B | x;\n"
	"\tif (WARN_ON(n > 4 && x))\n"
	"\t\treturn -1;\n"
	"\tg(p, n + 1);\n"
	"\treturn 0;\n"
	"}\n";

static int count_op(enum op op)
{
	int n = 0;

	for (int i = 0; i < nsites; i++)
		n += sites[i].op == op;
	return n;
}

static int self_test(void)
{
	/* cmp: < (2), > (2); bound: i < n (2), p[i] (2), n > 4 (2);
	 * lit: n + 1 (2), not return -1; stmt: i = 0 is not a statement
	 * start; p[i] = ..., g(); warn: 1; logic: 1; args: g(p, n + 1);
	 * mask: FLAG_A, FLAG_B (x is no flag) */
	static const int want[OP_COUNT] = { 4, 8, 2, 1, 1, 1, 2 };
	int fail = 0;

	text = self_text;
	text_len = strlen(self_text);
	parse();
	if (nfuncs != 1 || strcmp(funcs[0].name, "f")) {
		fprintf(stderr, "self-test: %d functions, the first '%s'\n", nfuncs,
			nfuncs ? funcs[0].name : "");
		fail++;
	}
	for (int o = 0; o < OP_COUNT; o++) {
		if (count_op(o) != want[o]) {
			fprintf(stderr, "self-test: %s: %d sites, want %d\n", op_names[o],
				count_op(o), want[o]);
			fail++;
		}
	}
	for (int i = 0; i < nsites; i++)
		print_site(stdout, i);
	printf("self-test: %s\n", fail ? "FAIL" : "PASS");
	return fail ? 1 : 0;
}

/* A tree's file: every operator finds sites, no function of its tests has any. */
static int check(void)
{
	int fail = 0;

	printf("%d functions, %d sites:", nfuncs, nsites);
	for (int o = 0; o < OP_COUNT; o++) {
		printf(" %s %d", op_names[o], count_op(o));
		fail += !count_op(o);
	}
	printf("\n");
	for (int f = 0; f < nfuncs; f++) {
		if (strstr(funcs[f].name, "selftest") || strstr(funcs[f].name, "_test")) {
			printf("a test function is under mutation: %s\n", funcs[f].name);
			fail++;
		}
	}
	printf("check: %s\n", fail ? "FAIL" : "PASS");
	return fail ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: iopt-mutate --list FILE | --sample N --seed S FILE | --apply ID FILE OUT | --check FILE | --self-test\n");
	exit(2);
}

static long number(const char *s, const char *what)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 0);
	if (errno || !*s || *e || v < 0)
		die("%s: '%s' is not a number", what, s);
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--self-test"))
		return self_test();
	if (argc == 3 && !strcmp(argv[1], "--check")) {
		load(argv[2]);
		parse();
		return check();
	}
	if (argc == 3 && !strcmp(argv[1], "--list")) {
		load(argv[2]);
		parse();
		for (int i = 0; i < nsites; i++)
			print_site(stdout, i);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "--sample") && !strcmp(argv[3], "--seed")) {
		long n = number(argv[2], "--sample"), seed = number(argv[4], "--seed");

		load(argv[5]);
		parse();
		sample(n, seed);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "--apply")) {
		long id = number(argv[2], "--apply");

		load(argv[3]);
		parse();
		apply(id, argv[4]);
		return 0;
	}
	usage();
	return 2;
}
