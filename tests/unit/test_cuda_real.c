/* test_cuda_real.c - cuda_find against this machine's own /usr/local/cuda:
 * the version it reports is the one the toolkit's version.json says, or
 * else the one its nvcc prints, both read here without cuda_find's code.
 * Without /usr/local/cuda (or with neither file) there is nothing to
 * compare, and the test says it was skipped (exit 77), never that it
 * passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extdeps/host/cuda_find.h"

#define TOOLKIT "/usr/local/cuda"
#define SKIP 77

extern char **environ;

static char expected[64], expected_from[64];

/* The quoted string after "version" in the "cuda" object of version.json,
 * as NVIDIA writes it: { "cuda" : { "name" : "CUDA SDK", "version" : "12.4.1" }, ... } */
static bool version_json(char *out, size_t size)
{
	FILE *f = fopen(TOOLKIT "/version.json", "r");
	char text[65536], *p, *q;
	size_t n;

	if (!f)
		return false;
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	if (!(p = strstr(text, "\"cuda\"")) || !(p = strstr(p, "\"version\"")) ||
	    !(p = strchr(p + 9, '"')) || !(q = strchr(p + 1, '"')))
		return false;
	snprintf(out, size, "%.*s", (int)(q - p - 1), p + 1);
	return true;
}

/* The V token of `nvcc --version`: "Cuda compilation tools, release 13.0, V13.0.88". */
static bool nvcc_version(char *out, size_t size)
{
	static char nvcc[] = TOOLKIT "/bin/nvcc", arg[] = "--version";
	char *argv[] = { nvcc, arg, NULL };
	char text[8192], *p;
	posix_spawn_file_actions_t fa;
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (access(argv[0], X_OK) || pipe(fds))
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (len < sizeof text - 1 && (n = read(fds[0], text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	text[len] = '\0';
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return false;
	if (!(p = strstr(text, ", V")))
		return false;
	p += 3;
	snprintf(out, size, "%.*s", (int)strspn(p, "0123456789."), p);
	return true;
}

static void test_usr_local_cuda(void **state)
{
	struct cuda_find_opts o = { 0 };
	struct cuda_installs in;
	char want[PATH_MAX], got[PATH_MAX];
	const struct cuda_install *found = NULL;

	/* /usr/local/cuda as such, not as the environment names it */
	unsetenv("CUDACXX");
	unsetenv("CUDA_HOME");
	unsetenv("CUDA_PATH");
	assert_non_null(realpath(TOOLKIT, want));
	assert_true(cuda_find(&o, &in));
	for (size_t i = 0; i < in.n && !found; i++)
		if (realpath(in.v[i].root, got) && !strcmp(got, want))
			found = &in.v[i];
	if (!found)
		fail_msg("cuda_find does not list %s (%zu installations)", TOOLKIT, in.n);
	assert_string_equal(cuda_place_name(found->place), "/usr/local/cuda");
	printf("%s: %s from %s; %s says %s\n", TOOLKIT, found->version, found->version_from,
	       expected_from, expected);
	assert_string_equal(found->version, expected);
	cuda_installs_fini(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usr_local_cuda),
	};

	if (access(TOOLKIT, F_OK)) {
		printf("no %s on this machine: skipped\n", TOOLKIT);
		return SKIP;
	}
	if (version_json(expected, sizeof expected))
		snprintf(expected_from, sizeof expected_from, "version.json");
	else if (nvcc_version(expected, sizeof expected))
		snprintf(expected_from, sizeof expected_from, "nvcc --version");
	else {
		printf("%s has neither version.json nor a working bin/nvcc: skipped\n", TOOLKIT);
		return SKIP;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
