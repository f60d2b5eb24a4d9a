/* tempclean.c - temporary files removed when a signal ends the process. */
#include "extdeps/util/tempclean.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/* What the handler reads: a slot is filled (pid, then path) and emptied
 * (path first) so that it never sees half of one. */
static struct slot {
	const char *volatile path;
	volatile pid_t pid;
} slots[TEMPCLEAN_MAX];

static const int caught[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM };

static void on_signal(int sig)
{
	int saved = errno;
	pid_t self = getpid();

	for (size_t i = 0; i < TEMPCLEAN_MAX; i++) {
		const char *path = slots[i].path;

		if (path && slots[i].pid == self)
			unlink(path);
	}
	errno = saved;
	/* SA_RESETHAND made the disposition the default again */
	raise(sig);
}

static void install(void)
{
	static bool installed;
	struct sigaction sa, old;

	if (installed)
		return;
	installed = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
		if (sigaction(caught[i], NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
		    old.sa_handler == SIG_DFL)
			sigaction(caught[i], &sa, NULL);
}

void tempclean_add(const char *path)
{
	install();
	for (size_t i = 0; i < TEMPCLEAN_MAX; i++)
		if (!slots[i].path) {
			slots[i].pid = getpid();
			slots[i].path = path;
			return;
		}
}

void tempclean_forget(const char *path)
{
	pid_t self = getpid();

	for (size_t i = 0; i < TEMPCLEAN_MAX; i++)
		if (slots[i].path == path && slots[i].pid == self) {
			slots[i].path = NULL;
			return;
		}
}

int tempclean_mkostemp(char *tmpl, int flags)
{
	sigset_t fatal, old;
	int fd, err;

	/* a signal between the file's creation and its registration would
	 * leave it behind */
	sigemptyset(&fatal);
	for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
		sigaddset(&fatal, caught[i]);
	sigprocmask(SIG_BLOCK, &fatal, &old);
	fd = mkostemp(tmpl, flags);
	err = errno;
	if (fd >= 0)
		tempclean_add(tmpl);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return fd;
}

int tempclean_count(void)
{
	int n = 0;

	for (size_t i = 0; i < TEMPCLEAN_MAX; i++)
		n += slots[i].path != NULL;
	return n;
}
