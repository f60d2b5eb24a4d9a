/* Unit tests of util/tempclean.c: a registered temporary is removed when a
 * signal ends the process, a forgotten one stays, and a signal the process
 * ignores is left alone. Each case runs in a child, which the signal ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extdeps/util/tempclean.h"

struct fx {
	char dir[64], kept[96], gone[96];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/extdeps-tempclean-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->kept, sizeof fx->kept, "%s/kept.Ab12Cd", fx->dir);
	snprintf(fx->gone, sizeof fx->gone, "%s/gone.Ab12Cd", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unlink(fx->kept);
	unlink(fx->gone);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		_exit(100);
	fclose(f);
}

/* Run BODY in a child; its wait status. */
static int in_child(void (*body)(struct fx *fx), struct fx *fx)
{
	int status = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		body(fx);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void killed(struct fx *fx)
{
	touch(fx->kept);
	touch(fx->gone);
	tempclean_add(fx->kept);
	tempclean_add(fx->gone);
	tempclean_forget(fx->kept);
	if (tempclean_count() != 1)
		_exit(101);
	raise(SIGTERM);
	_exit(102); /* not reached */
}

static void test_signal_removes_registered(void **state)
{
	struct fx *fx = *state;
	int status = in_child(killed, fx);

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_int_not_equal(access(fx->gone, F_OK), 0);
	assert_int_equal(access(fx->kept, F_OK), 0);
}

static void ignoring(struct fx *fx)
{
	signal(SIGINT, SIG_IGN);
	touch(fx->gone);
	tempclean_add(fx->gone);
	raise(SIGINT);
	tempclean_forget(fx->gone);
}

static void test_ignored_signal_left_alone(void **state)
{
	struct fx *fx = *state;
	int status = in_child(ignoring, fx);

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(fx->gone, F_OK), 0);
}

static void forked(struct fx *fx)
{
	int status = 0;
	pid_t pid;

	touch(fx->kept);
	tempclean_add(fx->kept);
	/* a child the signal ends removes its own files, not its parent's */
	if ((pid = fork()) == 0) {
		touch(fx->gone);
		tempclean_add(fx->gone);
		raise(SIGTERM);
		_exit(102);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		_exit(103);
	tempclean_forget(fx->kept);
}

static void test_child_keeps_parents_files(void **state)
{
	struct fx *fx = *state;
	int status = in_child(forked, fx);

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(fx->kept, F_OK), 0);
	assert_int_not_equal(access(fx->gone, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signal_removes_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_signal_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_keeps_parents_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
