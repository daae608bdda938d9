// SPDX-License-Identifier: GPL-2.0-only
/*
 * Classifying an input in a child process (classify.h): the child's
 * stdout and stderr go to a memory file, its verdict (when it lives to
 * give one) to a pipe; a child that dies is classified by what the
 * sanitizers, the runtime or libFuzzer printed, and how it died.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "classify.h"

#define MAX_OUTPUT	(4 << 20)

static const char *const class_names[] = {
	[IOPT_CLASS_CLEAN] = "clean",
	[IOPT_CLASS_DIVERGENCE] = "divergence",
	[IOPT_CLASS_KNOWN] = "known",
	[IOPT_CLASS_CRASH] = "crash",
	[IOPT_CLASS_UNREADABLE] = "unreadable",
};

const char *iopt_class_name(enum iopt_class c)
{
	return class_names[c];
}

int iopt_class_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (!strcmp(name, class_names[i]))
			return i;
	return -1;
}

bool iopt_class_is_report(enum iopt_class c)
{
	return c == IOPT_CLASS_DIVERGENCE || c == IOPT_CLASS_CRASH;
}

/* ---- The crash key: crash type and top frame, from the output --------- */

/* Frames of the sanitizers, libc, libFuzzer and ours, never the culprit. */
static bool skip_frame(const char *fn, size_t n)
{
	static const char *const prefix[] = {
		"__sanitizer_", "__asan", "__ubsan", "__lsan", "__interceptor_",
		"fuzzer::", "__GI_", "__libc_", "__pthread_kill", "pthread_kill",
		"operator", "__restore_rt",
	};
	static const char *const whole[] = {
		"abort", "raise", "gsignal", "iopt_fatal", "malloc", "calloc",
		"realloc", "free", "aligned_alloc", "posix_memalign",
		"child_signal",
	};

	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(fn, prefix[i], strlen(prefix[i])))
			return true;
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (strlen(whole[i]) == n && !strncmp(fn, whole[i], n))
			return true;
	return false;
}

/* The first "#N 0x... in FN" frame from 'from' on that is not skipped. */
static void top_frame(const char *from, char *fn, size_t size)
{
	for (const char *l = from; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *p = l, *f;
		size_t n;

		while (*p == ' ')
			p++;
		if (*p != '#' || !(f = strstr(p, " in ")) || memchr(p, '\n', f - p))
			continue;
		f += 4;
		n = strcspn(f, " \n");
		if (n && !skip_frame(f, n)) {
			snprintf(fn, size, "%.*s", (int)n, f);
			return;
		}
	}
	snprintf(fn, size, "?");
}

/* The rest of the first line starting with prefix, or NULL. */
static const char *line_after(const char *out, const char *prefix, size_t *len)
{
	size_t n = strlen(prefix);

	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (!strncmp(l, prefix, n)) {
			*len = strcspn(l + n, "\n");
			return l + n;
		}
	}
	return NULL;
}

static void sanitizer_key(const char *out, const char *s, size_t n,
			  char *sig, size_t size)
{
	char line[512], fn[128], *rest, *type, *in, *loc;
	const char *tool;

	snprintf(line, sizeof(line), "%.*s", (int)n, s);
	rest = strstr(line, ": ");
	if (!rest) {
		snprintf(sig, size, "%s", line);
		return;
	}
	*rest = 0;
	rest += 2;
	tool = line;
	if (!strcmp(tool, "libFuzzer")) {
		if (!strcmp(rest, "deadly signal")) {
			top_frame(out, fn, sizeof(fn));
			snprintf(sig, size, "libFuzzer: deadly signal in %s", fn);
		} else {
			snprintf(sig, size, "libFuzzer: %s", rest);
		}
		return;
	}
	if (strstr(rest, " leaked in ")) {
		const char *leak = strstr(out, "Direct leak of");

		top_frame(leak ? leak : strstr(out, "Indirect leak of"), fn,
			  sizeof(fn));
		snprintf(sig, size, "lsan: leak, allocated in %s", fn);
		return;
	}
	if (!strcmp(tool, "AddressSanitizer"))
		tool = "asan";
	else if (!strcmp(tool, "UndefinedBehaviorSanitizer"))
		tool = "ubsan";
	else if (!strcmp(tool, "LeakSanitizer"))
		tool = "lsan";
	type = rest;
	rest += strcspn(rest, " ");
	if (*rest)
		*rest++ = 0;
	in = strstr(rest, " in ");
	if (in && in[4]) {
		in[4 + strcspn(in + 4, " ")] = 0;
		snprintf(sig, size, "%s: %s in %s", tool, type, in + 4);
		return;
	}
	/* UBSan names no function: its file:line instead. */
	loc = rest;
	loc[strcspn(loc, " ")] = 0;
	if (strrchr(loc, '/'))
		loc = strrchr(loc, '/') + 1;
	if (strchr(loc, ':') && strchr(loc, ':') != strrchr(loc, ':'))
		*strrchr(loc, ':') = 0;	/* file:line:column -> file:line */
	snprintf(sig, size, "%s: %s at %s", tool, type, *loc ? loc : "?");
}

static void crash_key(const char *out, int status, char *sig, size_t size)
{
	const char *s, *l;
	char fn[128];
	size_t n;

	/* The runtime's fatal detections: "iopt[<env>]: fatal: <kind>: ..." */
	for (l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *f = strstr(l, "]: fatal: ");
		size_t nl = strcspn(l, "\n");

		if (!strncmp(l, "iopt[", 5) && f && f < l + nl) {
			n = f + 10 - l + strcspn(f + 10, ":\n");
			top_frame(out, fn, sizeof(fn));
			snprintf(sig, size, "%.*s in %s", (int)n, l, fn);
			return;
		}
	}
	s = line_after(out, "SUMMARY: ", &n);
	if (s) {
		sanitizer_key(out, s, n, sig, size);
		return;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		snprintf(sig, size, "timeout");
	} else if (WIFSIGNALED(status)) {
		top_frame(out, fn, sizeof(fn));
		snprintf(sig, size, "signal: SIG%s in %s",
			 sigabbrev_np(WTERMSIG(status)) ?: "?", fn);
	} else {
		snprintf(sig, size, "exit: status %d", WEXITSTATUS(status));
	}
}

/* ---- The child ---------------------------------------------------------- */

void __sanitizer_print_stack_trace(void) __attribute__((weak));
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static void child_signal(int sig)
{
	if (__sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void child_in_process(const struct iopt_classifier *c,
			     const uint8_t *data, size_t size, int result)
{
	static const int deadly[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
	struct iopt_run_opts o = *c->opts;
	char sig[IOPT_SIG_MAX], line[IOPT_SIG_MAX + 16];
	enum iopt_verdict v;
	int n;

	for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		signal(deadly[i], child_signal);
	alarm(c->timeout);
	o.out = stderr;
	v = iopt_judge(data, size, &o, sig);
	fflush(stderr);
	if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
		_exit(1);
	n = snprintf(line, sizeof(line), "%d\t%s", v, sig);
	_exit(write(result, line, n) == n ? 0 : 1);
}

/*
 * fork(); the child reads /dev/null and writes its output into mem, in a
 * process group of its own: a terminal's ^C is for whoever started us,
 * and must not pass for the input's crash.
 */
static pid_t fork_into(int mem)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(null, 0);
		dup2(mem, 1);
		dup2(mem, 2);
	}
	return pid;
}

static char *read_all(int fd, size_t max, size_t *len)
{
	char *buf = malloc(max + 1);
	ssize_t r;

	*len = 0;
	if (!buf)
		return NULL;
	while (*len < max && (r = read(fd, buf + *len, max - *len)) > 0)
		*len += r;
	buf[*len] = 0;
	return buf;
}

int iopt_capture(char *const argv[], char **out, int *status)
{
	int mem = memfd_create("iopt-capture", MFD_CLOEXEC);
	size_t len;
	pid_t pid;

	*out = NULL;
	if (mem < 0)
		return -1;
	pid = fork_into(mem);
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	if (pid > 0 && !lseek(mem, 0, SEEK_SET))
		*out = read_all(mem, MAX_OUTPUT, &len);
	close(mem);
	return *out ? 0 : -1;
}

void iopt_remove_flat_dir(const char *scratch)
{
	DIR *d = opendir(scratch);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(scratch);
}

/* Through a libFuzzer target: what it printed, and its exit status. */
static enum iopt_class judge_output(const char *out, int status, char *sig)
{
	const char *last = NULL;
	size_t n = 0;

	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		size_t nl = strcspn(l, "\n"), slashes = 0;

		if (strncmp(l, "iopt: ", 6) || memchr(l + 6, ' ', nl - 6))
			continue;
		for (size_t i = 6; i < nl; i++)
			slashes += l[i] == '/';
		if (slashes == 2 || !strncmp(l + 6, "known:", 6)) {
			last = l + 6;
			n = nl - 6;
		}
	}
	if (last && !strncmp(last, "known:", 6) && WIFEXITED(status) &&
	    !WEXITSTATUS(status)) {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "%.*s", (int)n, last);
		return IOPT_CLASS_KNOWN;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		strcpy(sig, "-");
		return IOPT_CLASS_CLEAN;
	}
	if (last && strncmp(last, "known:", 6)) {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "iopt: %.*s", (int)n, last);
		return IOPT_CLASS_DIVERGENCE;
	}
	crash_key(out, status, sig, IOPT_CLASS_SIG_MAX);
	return IOPT_CLASS_CRASH;
}

/* In a child of this process: its verdict through a pipe, or how it died. */
static enum iopt_class classify_here(const struct iopt_classifier *c,
				     const uint8_t *data, size_t size, char *sig)
{
	int fds[2] = { -1, -1 }, mem = memfd_create("iopt-classify", MFD_CLOEXEC);
	enum iopt_class verdict = IOPT_CLASS_CRASH;
	char line[IOPT_SIG_MAX + 16], *out = NULL;
	size_t len = 0, out_len;
	int status = 0;
	ssize_t r;
	pid_t pid;

	if (mem < 0 || pipe2(fds, O_CLOEXEC)) {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "classifier: %s", strerror(errno));
		goto out;
	}
	pid = fork_into(mem);
	if (pid == 0)
		child_in_process(c, data, size, fds[1]);
	close(fds[1]);
	fds[1] = -1;
	if (pid < 0) {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "classifier: fork: %s", strerror(errno));
		goto out;
	}
	while (len < sizeof(line) - 1 &&
	       (r = read(fds[0], line + len, sizeof(line) - 1 - len)) > 0)
		len += r;
	line[len] = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (len && WIFEXITED(status) && !WEXITSTATUS(status)) {
		char *tab = strchr(line, '\t');
		int v = atoi(line);

		snprintf(sig, IOPT_CLASS_SIG_MAX, "%s", tab ? tab + 1 : "?");
		verdict = v == IOPT_KNOWN ? IOPT_CLASS_KNOWN :
			  v == IOPT_DIVERGENCE ? IOPT_CLASS_DIVERGENCE :
			  IOPT_CLASS_CLEAN;
	} else if (!lseek(mem, 0, SEEK_SET) &&
		   (out = read_all(mem, MAX_OUTPUT, &out_len))) {
		crash_key(out, status, sig, IOPT_CLASS_SIG_MAX);
	} else {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "classifier: out of memory");
	}
out:
	free(out);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (mem >= 0)
		close(mem);
	return verdict;
}

/* Through a libFuzzer target, its copies of the input kept in scratch. */
static enum iopt_class classify_through(const struct iopt_classifier *c,
					const char *path, char *sig)
{
	const char *tmp = getenv("TMPDIR");
	char scratch[4096], timeout[32], *prefix = NULL, *out = NULL;
	enum iopt_class verdict = IOPT_CLASS_CRASH;
	int status = 0;

	snprintf(scratch, sizeof(scratch), "%s/iopt-classify.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	snprintf(timeout, sizeof(timeout), "-timeout=%u", c->timeout);
	if (!mkdtemp(scratch) ||
	    asprintf(&prefix, "-artifact_prefix=%s/", scratch) < 0) {
		snprintf(sig, IOPT_CLASS_SIG_MAX, "classifier: %s", strerror(errno));
		return verdict;
	}
	{
		char *argv[] = { (char *)c->fuzzer, timeout, prefix, (char *)path, NULL };

		if (iopt_capture(argv, &out, &status))
			snprintf(sig, IOPT_CLASS_SIG_MAX, "classifier: cannot run '%s'",
				 c->fuzzer);
		else
			verdict = judge_output(out, status, sig);
	}
	free(out);
	free(prefix);
	iopt_remove_flat_dir(scratch);
	return verdict;
}

enum iopt_class iopt_classify(const struct iopt_classifier *c,
			      const char *path, char sig[IOPT_CLASS_SIG_MAX])
{
	static uint8_t *buf;
	size_t n = 0;
	FILE *f;

	strcpy(sig, "-");
	if (!buf && !(buf = malloc(IOPT_MAX_INPUT)))
		return IOPT_CLASS_UNREADABLE;
	f = fopen(path, "rb");
	if (!f)
		return IOPT_CLASS_UNREADABLE;
	n = fread(buf, 1, IOPT_MAX_INPUT, f);
	if (ferror(f)) {
		fclose(f);
		return IOPT_CLASS_UNREADABLE;
	}
	fclose(f);
	return c->fuzzer ? classify_through(c, path, sig) :
	       classify_here(c, buf, n, sig);
}
