/* apt_verify.c - an InRelease checked with gpgv against its distribution's
 * keyring. */
#include "extdeps/eco/apt_verify.h"
#include "extdeps/util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Where the keyring package puts the keyring, under ROOT: KEYRING, else
 * the distribution's. */
static int default_keyring(const char *root, const char *keyring, const char *distro,
			   char *out, size_t size)
{
	if (keyring)
		return snprintf(out, size, "%s%s%s", root, *keyring == '/' ? "" : "/", keyring);
	return snprintf(out, size, "%s/usr/share/keyrings/%s-archive-keyring.gpg", root, distro);
}

/* The keyring to check InRelease with, into OUT; "" when none is to be
 * used: EXTDEPS_KEYRING=none, or no keyring (KEYRING, else the
 * distribution's) under the root (a keyring package of this machine).
 * Returns false in that last case: a check wanted and not possible. */
static bool keyring_path(const struct eco_opts *o, const char *keyring, char *out, size_t size)
{
	const char *env = getenv("EXTDEPS_KEYRING"), *root = eco_root(o);
	int n;

	out[0] = '\0';
	if (env && *env) {
		if (strcmp(env, "none") != 0)
			snprintf(out, size, "%s", env);
		return true;
	}
	if (keyring && !*keyring)
		return false;
	n = default_keyring(strcmp(root, "/") ? root : "", keyring, o->distro, out, size);
	if (n < 0 || (size_t)n >= size || access(out, R_OK) != 0) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* gpgv --keyring KEYRING FILE, spawned with an argv; its messages are read
 * back for the error. */
static int gpgv_verify(const char *keyring, const char *file, const char *url,
		       struct ed_diag *d)
{
	char a0[] = "gpgv", a1[] = "--quiet", a2[] = "--keyring", a4[] = "--";
	char *argv[] = { a0, a1, a2, (char *)keyring, a4, (char *)file, NULL };
	posix_spawn_file_actions_t fa;
	char msg[512] = "";
	size_t mlen = 0;
	int pipefd[2], status = 0, err;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot run gpgv: %s",
				   strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	err = posix_spawnp(&pid, "gpgv", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "cannot run gpgv to verify '%s': %s (install gpgv, or set "
				   "EXTDEPS_KEYRING=none to skip the check)",
				   url, strerror(err));
	}
	for (;;) {
		char buf[512];
		ssize_t got = read(pipefd[0], buf, sizeof buf);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got && mlen + 1 < sizeof msg; i++)
			msg[mlen++] = buf[i] == '\n' ? ' ' : buf[i];
	}
	msg[mlen] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	while (mlen > 0 && msg[mlen - 1] == ' ')
		msg[--mlen] = '\0';
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			   "'%s' failed signature verification with keyring '%s'%s%s", url,
			   keyring, mlen ? ": " : "", msg);
}

static bool is_clearsigned(const char *path)
{
	char head[40] = "";
	FILE *fp = util_fopen_regular(path);

	if (!fp)
		return false;
	if (!fgets(head, sizeof head, fp))
		head[0] = '\0';
	fclose(fp);
	return !strncmp(head, "-----BEGIN PGP SIGNED MESSAGE-----", 34);
}

int apt_verify_inrelease(const struct eco_opts *o, const char *keyring, const char *path,
			 const char *url, struct eco_update_stats *st, struct ed_diag *d)
{
	char use[PATH_MAX];

	if (!keyring_path(o, keyring, use, sizeof use)) {
		st->no_keyring = true;
		default_keyring("", keyring, o->distro, st->keyring, sizeof st->keyring);
	}
	if (!use[0]) {
		st->unverified++;
		return 0;
	}
	if (!is_clearsigned(path))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "'%s' is not signed (set EXTDEPS_KEYRING=none to accept "
				   "unsigned metadata)",
				   url);
	return gpgv_verify(use, path, url, d);
}
