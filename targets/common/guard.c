// SPDX-License-Identifier: GPL-2.0-only
/*
 * Undefined behaviour in the kernel code, caught: in a UBSan build the
 * kernel files trap (SIGILL) instead of calling the UBSan runtime
 * (cmake/IoptPort.cmake), and a call run through iopt_guarded() comes back
 * with where it trapped, so that the harness reports it (with the op trace,
 * or as a known upstream bug) instead of dying.
 *
 * The handler is installed on the first guarded call, so after a fuzzing
 * engine's own, to which it passes any SIGILL that is not a guarded trap.
 * SA_NODEFER: the handler leaves by siglongjmp, which does not restore the
 * signal mask.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include <iopt/env.h>

/* The sanitizer runtime's symbolizer, when there is one. */
extern int __sanitizer_symbolize_pc(void *pc, const char *fmt, char *buf,
				    size_t n) __attribute__((weak));

static sigjmp_buf *volatile guard_jmp;
static void *volatile guard_pc;
static struct sigaction prev_ill;

static void on_sigill(int sig, siginfo_t *si, void *uc)
{
	if (guard_jmp) {
		guard_pc = si->si_addr;
		siglongjmp(*guard_jmp, 1);
	}
	if ((prev_ill.sa_flags & SA_SIGINFO) && prev_ill.sa_sigaction) {
		prev_ill.sa_sigaction(sig, si, uc);
	} else if (prev_ill.sa_handler != SIG_DFL &&
		   prev_ill.sa_handler != SIG_IGN) {
		prev_ill.sa_handler(sig);
	} else {
		signal(SIGILL, SIG_DFL);
		raise(SIGILL);
	}
}

static void guard_install(void)
{
	static bool done;
	struct sigaction sa = {
		.sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO | SA_NODEFER,
	};

	if (done)
		return;
	done = true;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, &prev_ill);
}

/*
 * A fatal detection in a guarded call (an address outside simulated memory,
 * a BUG_ON) leaves the call as a trap does, its detection recorded: the
 * harness reports it with the op trace. Returns only when not in one.
 */
void iopt_guard_leave(void)
{
	if (!guard_jmp)
		return;
	guard_pc = __builtin_return_address(0);
	siglongjmp(*guard_jmp, 1);
}

bool iopt_guarded(void (*fn)(void *arg), void *arg, char *where, size_t n)
{
	sigjmp_buf jmp, *volatile outer = guard_jmp;

	guard_install();
	if (sigsetjmp(jmp, 0)) {
		guard_jmp = outer;
		if (where) {
			where[0] = '\0';
			if (__sanitizer_symbolize_pc)
				__sanitizer_symbolize_pc(guard_pc, "%f %s:%l",
							 where, n);
			if (!where[0])
				snprintf(where, n, "pc %p", guard_pc);
		}
		return false;
	}
	guard_jmp = &jmp;
	fn(arg);
	guard_jmp = outer;
	return true;
}
