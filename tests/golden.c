/* golden.c - runs one CLI golden test file against the extdeps binary.
 *
 *   golden EXTDEPS SRCDIR FILE.test
 *
 * A test file holds headers, then the expected outputs:
 *   Args: show --format=json examples/scipy-like
 *   Env: NAME=value            (repeatable)
 *   Needs: FEATURE             (optional: skipped, exit 77, unless the build
 *                              lists FEATURE in $EXTDEPS_GOLDEN_FEATURES)
 *   Stdin: text                (optional, one line)
 *   ExpectedExitCode: 0
 *   ExpectedStdout:
 *   ...lines...
 *   ExpectedStderr:
 *   ...lines...
 * Args are split on spaces; single quotes group, "@SRCDIR@" expands to the
 * source directory and "@BUILDDIR@" to $EXTDEPS_GOLDEN_BUILDDIR (the tests'
 * build directory, where helpers such as the fake libcuda are); Env: values
 * expand them too, and in the outputs both directories are written back as
 * "@BUILDDIR@" and "@SRCDIR@", and the libsolv the build uses
 * ($EXTDEPS_GOLDEN_LIBSOLV, as --version prints it) as "@LIBSOLV@". The command runs in SRCDIR with a clean environment
 * (PATH, NO_COLOR=1, HOME and XDG dirs in a fresh temporary directory).
 * PATH starts with tests/fixtures/target/bin, whose python3 is a stand-in
 * for Python 3.11 (Debian 12's), so that what depends on the Python that
 * will build does not depend on this machine's; a test sets PATH to test
 * another.
 * With EXTDEPS_GOLDEN_UPDATE=1 the file's expected sections are rewritten
 * from the actual run (for deliberate changes; review the diff).
 */
#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_S 60

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("golden");
			exit(99);
		}
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* TEXT with every FROM replaced by TO. malloc'd. */
static char *replace(const char *text, const char *from, const char *to)
{
	struct buf b = { 0 };
	const char *at;

	buf_add(&b, "", 0);
	while (*from && (at = strstr(text, from))) {
		buf_add(&b, text, (size_t)(at - text));
		buf_add(&b, to, strlen(to));
		text = at + strlen(from);
	}
	buf_add(&b, text, strlen(text));
	return b.p;
}

static const char *builddir(void)
{
	const char *dir = getenv("EXTDEPS_GOLDEN_BUILDDIR");
	return dir ? dir : "";
}

static char *expand(const char *arg, const char *srcdir)
{
	char *a = replace(arg, "@BUILDDIR@", builddir()), *b = replace(a, "@SRCDIR@", srcdir);

	free(a);
	return b;
}

/* Write the directories in B back as their @NAME@; the build directory
 * first, as it may lie inside the source directory. */
static void unexpand(struct buf *b, const char *srcdir)
{
	const char *solv = getenv("EXTDEPS_GOLDEN_LIBSOLV");
	char *x = replace(b->p, builddir(), "@BUILDDIR@"), *y = replace(x, srcdir, "@SRCDIR@");
	char *z = replace(y, solv ? solv : "", "@LIBSOLV@");

	free(x);
	free(y);
	free(b->p);
	b->p = z;
	b->len = strlen(z);
	b->cap = b->len + 1;
}

/* Split ARGS on spaces, single quotes grouping. */
static int split_args(const char *args, char **argv, int max, const char *srcdir)
{
	int n = 0;

	while (*args && n < max - 1) {
		struct buf word = { 0 };
		while (*args == ' ')
			args++;
		if (!*args)
			break;
		buf_add(&word, "", 0);
		while (*args && *args != ' ') {
			if (*args == '\'') {
				const char *end = strchr(args + 1, '\'');
				if (!end)
					end = args + strlen(args);
				buf_add(&word, args + 1, (size_t)(end - args - 1));
				args = *end ? end + 1 : end;
			} else {
				buf_add(&word, args++, 1);
			}
		}
		argv[n++] = expand(word.p, srcdir);
		free(word.p);
	}
	argv[n] = NULL;
	return n;
}

/* The runner keeps its buffers until exit; LeakSanitizer is for the program
 * under test (which inherits ASAN_OPTIONS), not for this harness. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static char tmpdir[] = "/tmp/extdeps-golden-XXXXXX";

static void cleanup(void)
{
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	const char *bin, *srcdir, *file;
	FILE *f;
	char line[8192];
	struct buf want_out = { 0 }, want_err = { 0 }, got_out = { 0 }, got_err = { 0 };
	struct buf header = { 0 }, stdin_text = { 0 };
	char *args = NULL, *cargv[256], *envp[64];
	int nenv = 0, want_rc = 0, section = 0, rc = 0, status;
	int pout[2], perr[2], pin[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	bool update = getenv("EXTDEPS_GOLDEN_UPDATE") && *getenv("EXTDEPS_GOLDEN_UPDATE") == '1';

	if (argc != 4) {
		fprintf(stderr, "usage: golden EXTDEPS SRCDIR FILE.test\n");
		return 99;
	}
	bin = argv[1];
	srcdir = argv[2];
	file = argv[3];
	if (!(f = fopen(file, "r"))) {
		perror(file);
		return 99;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	atexit(cleanup);
	buf_add(&want_out, "", 0);
	buf_add(&want_err, "", 0);
	buf_add(&header, "", 0);
	buf_add(&stdin_text, "", 0);
	{
		static char path_env[4096], home[512], cfg[512], cache[512], data[512];
		snprintf(path_env, sizeof path_env, "PATH=%s/tests/fixtures/target/bin:%s", srcdir,
			 getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
		snprintf(home, sizeof home, "HOME=%s", tmpdir);
		snprintf(cfg, sizeof cfg, "XDG_CONFIG_HOME=%s/config", tmpdir);
		snprintf(cache, sizeof cache, "XDG_CACHE_HOME=%s/cache", tmpdir);
		snprintf(data, sizeof data, "XDG_DATA_HOME=%s/data", tmpdir);
		envp[nenv++] = path_env;
		envp[nenv++] = home;
		envp[nenv++] = cfg;
		envp[nenv++] = cache;
		envp[nenv++] = data;
		envp[nenv++] = (char *)"NO_COLOR=1";
		envp[nenv++] = (char *)"LC_ALL=C";
	}
	while (fgets(line, sizeof line, f)) {
		if (!strcmp(line, "ExpectedStdout:\n")) {
			section = 1;
			buf_add(&header, line, strlen(line));
			continue;
		}
		if (!strcmp(line, "ExpectedStderr:\n")) {
			section = 2;
			continue;
		}
		if (section == 1) {
			buf_add(&want_out, line, strlen(line));
			continue;
		}
		if (section == 2) {
			buf_add(&want_err, line, strlen(line));
			continue;
		}
		buf_add(&header, line, strlen(line));
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Args:", 5))
			args = strdup(line + 5);
		else if (!strncmp(line, "Env:", 4) && nenv < 60) {
			/* a variable set again (PATH) replaces the default */
			char *e = expand(line + 4 + strspn(line + 4, " "), srcdir);
			size_t klen = strcspn(e, "=") + 1;
			int k;
			for (k = 0; k < nenv && strncmp(envp[k], e, klen); k++)
				;
			envp[k] = e;
			if (k == nenv)
				nenv++;
		}
		else if (!strncmp(line, "Needs:", 6)) {
			const char *have = getenv("EXTDEPS_GOLDEN_FEATURES");
			const char *need = line + 6 + strspn(line + 6, " ");
			if (!have || !strstr(have, need)) {
				printf("skipped: the build lacks '%s'\n", need);
				return 77;
			}
		} else if (!strncmp(line, "Stdin:", 6)) {
			buf_add(&stdin_text, line + 6 + strspn(line + 6, " "), strlen(line + 6 + strspn(line + 6, " ")));
			buf_add(&stdin_text, "\n", 1);
		} else if (!strncmp(line, "ExpectedExitCode:", 17))
			want_rc = atoi(line + 17);
	}
	fclose(f);
	envp[nenv] = NULL;
	if (!args) {
		fprintf(stderr, "%s: no Args: line\n", file);
		return 99;
	}
	cargv[0] = (char *)bin;
	split_args(args, cargv + 1, 250, srcdir);

	if (pipe(pout) || pipe(perr) || pipe(pin)) {
		perror("pipe");
		return 99;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawn_file_actions_addclose(&fa, pin[1]);
	posix_spawn_file_actions_addclose(&fa, pout[0]);
	posix_spawn_file_actions_addclose(&fa, perr[0]);
	if (chdir(srcdir)) {
		perror(srcdir);
		return 99;
	}
	if ((errno = posix_spawn(&pid, bin, &fa, NULL, cargv, envp))) {
		perror(bin);
		return 99;
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (write(pin[1], stdin_text.p, stdin_text.len) < 0)
		perror("write stdin");
	close(pin[1]);
	{
		struct pollfd fds[2] = { { pout[0], POLLIN, 0 }, { perr[0], POLLIN, 0 } };
		int open_fds = 2;
		time_t start = time(NULL);
		while (open_fds) {
			int r = poll(fds, 2, 1000);
			if (time(NULL) - start > TIMEOUT_S) {
				kill(pid, SIGKILL);
				fprintf(stderr, "%s: timed out after %d s\n", file, TIMEOUT_S);
				return 1;
			}
			if (r <= 0)
				continue;
			for (int i = 0; i < 2; i++) {
				char chunk[65536];
				ssize_t n;
				if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
					continue;
				n = read(fds[i].fd, chunk, sizeof chunk);
				if (n <= 0) {
					close(fds[i].fd);
					fds[i].fd = -1;
					open_fds--;
					continue;
				}
				buf_add(i ? &got_err : &got_out, chunk, (size_t)n);
			}
		}
	}
	waitpid(pid, &status, 0);
	buf_add(&got_out, "", 0);
	buf_add(&got_err, "", 0);
	unexpand(&got_out, srcdir);
	unexpand(&got_err, srcdir);
	if (!WIFEXITED(status)) {
		fprintf(stderr, "%s: extdeps died with signal %d\n%s", file, WTERMSIG(status), got_err.p);
		return 1;
	}
	if (update) {
		FILE *w = fopen(file, "w");
		char *p = header.p, *code = strstr(p, "ExpectedExitCode:");
		if (!w) {
			perror(file);
			return 99;
		}
		if (code) {
			char *eol = strchr(code, '\n');
			fwrite(p, 1, (size_t)(code - p), w);
			fprintf(w, "ExpectedExitCode: %d\n", WEXITSTATUS(status));
			p = eol ? eol + 1 : code + strlen(code);
		}
		fputs(p, w);
		if (!strstr(header.p, "ExpectedStdout:"))
			fputs("ExpectedStdout:\n", w);
		fputs(got_out.p, w);
		fputs("ExpectedStderr:\n", w);
		fputs(got_err.p, w);
		fclose(w);
		return 0;
	}
	if (WEXITSTATUS(status) != want_rc) {
		fprintf(stderr, "exit code: expected %d, got %d\n", want_rc, WEXITSTATUS(status));
		rc = 1;
	}
	if (strcmp(want_out.p, got_out.p)) {
		fprintf(stderr, "stdout differs\n--- expected\n%s--- actual\n%s---\n", want_out.p, got_out.p);
		rc = 1;
	}
	if (strcmp(want_err.p, got_err.p)) {
		fprintf(stderr, "stderr differs\n--- expected\n%s--- actual\n%s---\n", want_err.p, got_err.p);
		rc = 1;
	}
	return rc;
}
