#include "extdeps/host/probe.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpkgconf/libpkgconf.h>

#include "extdeps/util/util.h"

extern char **environ;

/* --- pkg-config --- */

struct probe_pc {
	pkgconf_client_t *client;
	/* libpkgconf's default personality is a process-wide singleton: its
	 * deinit would free what the next pkgconf_cross_personality_default()
	 * hands out again, so it is never freed here */
	pkgconf_cross_personality_t *personality;
};

/* libpkgconf reports parse problems of .pc files here; a broken .pc file
 * makes its module "not found", which is what the check then says. */
static bool pc_quiet(const char *msg, const pkgconf_client_t *client, const void *data)
{
	(void)msg;
	(void)client;
	(void)data;
	return true;
}

struct probe_pc *probe_pc_new(void)
{
	struct probe_pc *pc = calloc(1, sizeof *pc);

	if (!pc)
		return NULL;
	pc->personality = pkgconf_cross_personality_default();
	pc->client = pkgconf_client_new(pc_quiet, NULL, pc->personality);
	if (!pc->client) {
		probe_pc_free(pc);
		return NULL;
	}
	/* PKG_CONFIG_PATH, then PKG_CONFIG_LIBDIR or the built-in directories */
	pkgconf_client_dir_list_build(pc->client, pc->personality);
	return pc;
}

void probe_pc_free(struct probe_pc *pc)
{
	if (!pc)
		return;
	if (pc->client)
		pkgconf_client_free(pc->client);
	free(pc);
}

bool probe_pc_find(struct probe_pc *pc, const char *module, struct probe_hit *hit)
{
	pkgconf_pkg_t *pkg;

	memset(hit, 0, sizeof *hit);
	if (!pc || !module || !*module)
		return false;
	if (!(pkg = pkgconf_pkg_find(pc->client, module)))
		return false;
	snprintf(hit->path, sizeof hit->path, "%s", pkg->filename ? pkg->filename : "");
	snprintf(hit->version, sizeof hit->version, "%s", pkg->version ? pkg->version : "");
	pkgconf_pkg_unref(pc->client, pkg);
	return true;
}

/* --- executables --- */

/* the probes' name for util_which (util.h) */
bool probe_which(const char *name, const char *search_path, char *out, size_t size)
{
	return util_which(name, search_path, out, size);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

int probe_exec_version(const char *path, const char *arg, int timeout_ms, char *version,
		       size_t size, struct ed_diag *d)
{
	char out[65536];
	int rc;

	version[0] = '\0';
	if ((rc = probe_exec_output(path, arg, timeout_ms, out, sizeof out, d)))
		return rc;
	if (!probe_version_token(out, version, size))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "'%s %s' printed no version", path,
				   arg ? arg : "");
	return 0;
}

int probe_exec_output(const char *path, const char *arg, int timeout_ms, char *out, size_t size,
		      struct ed_diag *d)
{
	char *argv[3] = { (char *)path, (char *)arg, NULL };
	size_t len = 0;
	int pipefd[2], status = 0, rc = 0;
	posix_spawn_file_actions_t fa;
	struct timespec start;
	bool killed = false;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot run '%s': %s", path,
				   strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot run '%s': %s", path,
				   strerror(rc));
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { pipefd[0], POLLIN, 0 };
		long left = timeout_ms - elapsed_ms(&start);
		ssize_t n;
		char sink[4096];
		bool keep = len + 1 < size;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		/* keep reading past SIZE so a chatty tool never blocks on a full pipe */
		n = keep ? read(pipefd[0], out + len, size - 1 - len) : read(pipefd[0], sink, sizeof sink);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (keep)
			len += (size_t)n;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out[len] = '\0';
	if (killed)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "'%s %s' did not finish within %d ms",
				   path, arg ? arg : "", timeout_ms);
	return 0;
}

bool probe_version_token(const char *text, char *out, size_t size)
{
	for (const char *p = text; *p; p++) {
		const char *q = p;
		size_t dots = 0, n;

		if (!isdigit((unsigned char)*p) || (p > text && isalnum((unsigned char)p[-1])))
			continue;
		while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))) {
			dots += *q == '.';
			q++;
		}
		if (!dots) {
			p = q - 1;
			continue;
		}
		/* a pre-release tag glued to the numbers: "2.0b1", "3.0rc2" */
		if (isalpha((unsigned char)*q)) {
			const char *r = q;
			while (isalpha((unsigned char)*r))
				r++;
			if (isdigit((unsigned char)*r)) {
				while (isdigit((unsigned char)*r))
					r++;
				q = r;
			}
		}
		n = (size_t)(q - p);
		if (n >= size)
			n = size - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* --- files --- */

bool probe_file(const char *pattern, struct probe_hit *hit)
{
	glob_t g;
	bool found = false;

	memset(hit, 0, sizeof *hit);
	if (!pattern || !*pattern)
		return false;
	if (!glob(pattern, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g) && g.gl_pathc) {
		snprintf(hit->path, sizeof hit->path, "%s", g.gl_pathv[0]);
		found = !access(hit->path, F_OK);
	}
	globfree(&g);
	return found;
}

/* --- versions --- */

/* pkg-config's comparison of "VERSION OP OTHER", wildcard "==1.2.*" as a
 * prefix of whole components. */
static bool pc_clause(const char *version, const struct pep440_clause *c)
{
	int cmp;

	if (c->wildcard) {
		size_t n = strlen(c->version);
		return !strncmp(version, c->version, n) && (version[n] == '\0' || version[n] == '.');
	}
	cmp = pkgconf_compare_version(version, c->version);
	switch (c->op) {
	case PEP440_EQ: return cmp == 0;
	case PEP440_NE: return cmp != 0;
	case PEP440_LT: return cmp < 0;
	case PEP440_LE: return cmp <= 0;
	case PEP440_GT: return cmp > 0;
	case PEP440_GE: return cmp >= 0;
	}
	return false;
}

int probe_spec_check(const struct pep440_spec *spec, const char *version, enum probe_cmp how)
{
	if (!spec || !spec->count)
		return 1;
	if (!version || !*version || !isdigit((unsigned char)version[0]))
		return -1;
	if (how == PROBE_CMP_PEP440) {
		if (!pep440_valid(version))
			return -1;
		return pep440_spec_contains(spec, version) ? 1 : 0;
	}
	for (size_t i = 0; i < spec->count; i++)
		if (!pc_clause(version, &spec->clauses[i]))
			return 0;
	return 1;
}
