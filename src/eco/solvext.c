/* solvext.c - see solvext.h. */
#include "extdeps/eco/solvext.h"

#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <solv/pool.h>
#if EXTDEPS_SOLVEXT_LINKED
#include <solv/repo_arch.h>
#include <solv/repo_apk.h>
#include <solv/repo_deb.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmdb.h>
#include <solv/repo_rpmmd.h>
#include <solv/solv_xfopen.h>
#endif

#include "extdeps/util/dynlib.h"
#include "extdeps/util/util.h"

static struct solvext_fns {
	FILE *(*xfopen_fd)(const char *fn, int fd, const char *mode);
	int (*add_debpackages)(Repo *repo, FILE *fp, int flags);
	int (*add_rpmmd)(Repo *repo, FILE *fp, const char *language, int flags);
	int (*add_repomdxml)(Repo *repo, FILE *fp, int flags);
	int (*add_rpmdb)(Repo *repo, Repo *ref, int flags);
	int (*add_rpmdb_reffp)(Repo *repo, FILE *reffp, int flags);
	int (*add_arch_repo)(Repo *repo, FILE *fp, int flags);
	int (*add_arch_local)(Repo *repo, const char *dir, int flags);
	int (*add_apk_repo)(Repo *repo, FILE *fp, int flags);
} ext;

static const struct dynlib_fn ext_names[] = {
	{ "solv_xfopen_fd", offsetof(struct solvext_fns, xfopen_fd) },
	{ "repo_add_debpackages", offsetof(struct solvext_fns, add_debpackages) },
	{ "repo_add_rpmmd", offsetof(struct solvext_fns, add_rpmmd) },
	{ "repo_add_repomdxml", offsetof(struct solvext_fns, add_repomdxml) },
	{ "repo_add_rpmdb", offsetof(struct solvext_fns, add_rpmdb) },
	{ "repo_add_rpmdb_reffp", offsetof(struct solvext_fns, add_rpmdb_reffp) },
	{ "repo_add_arch_repo", offsetof(struct solvext_fns, add_arch_repo) },
	{ "repo_add_arch_local", offsetof(struct solvext_fns, add_arch_local) },
	{ "repo_add_apk_repo", offsetof(struct solvext_fns, add_apk_repo) },
};

static char why[512];

#if EXTDEPS_SOLVEXT_LINKED
/* libsolv built from source (meson.build): libsolvext is linked in. */
static bool load(void)
{
	static const struct solvext_fns linked = {
		.xfopen_fd = solv_xfopen_fd,
		.add_debpackages = repo_add_debpackages,
		.add_rpmmd = repo_add_rpmmd,
		.add_repomdxml = repo_add_repomdxml,
		.add_rpmdb = repo_add_rpmdb,
		.add_rpmdb_reffp = repo_add_rpmdb_reffp,
		.add_arch_repo = repo_add_arch_repo,
		.add_arch_local = repo_add_arch_local,
		.add_apk_repo = repo_add_apk_repo,
	};

	(void)ext_names;
	ext = linked;
	return true;
}
#else
/* Load libsolvext once; false, with WHY, when it cannot be. */
static bool load(void)
{
	static bool tried, loaded;
	const char *name = getenv("EXTDEPS_LIBSOLVEXT");

	if (!tried) {
		tried = true;
		loaded = dynlib_load(name && *name ? name : "libsolvext.so.1", "libsolvext",
				     ext_names, sizeof ext_names / sizeof *ext_names, &ext, why,
				     sizeof why);
	}
	return loaded;
}
#endif

const char *solvext_strerror(int err)
{
	return err == ELIBACC && why[0] ? why : util_open_strerror(err);
}

FILE *solvext_xfopen(const char *path, const char *mode)
{
	return solvext_xfopen_as(path, path, mode);
}

FILE *solvext_xfopen_as(const char *path, const char *as, const char *mode)
{
	FILE *f;
	int fd, err;

	if (!load()) {
		errno = ELIBACC;
		return NULL;
	}
	/* read-only: a FIFO or a device is refused, never waited on */
	if (*mode != 'r' || (fd = util_open_regular(path)) < 0) {
		if (*mode != 'r')
			errno = EINVAL;
		return NULL;
	}
	if (!(f = ext.xfopen_fd(as, fd, mode))) {
		err = errno;
		close(fd); /* EBADF when libsolv closed it already */
		errno = err;
	}
	return f;
}

#define LOADED_OR_FAIL(repo)                                                                       \
	do {                                                                                       \
		if (!load())                                                                       \
			return pool_error((repo)->pool, -1, "%s", why);                           \
	} while (0)

int solvext_repo_add_debpackages(Repo *repo, FILE *fp, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_debpackages(repo, fp, flags);
}

int solvext_repo_add_rpmmd(Repo *repo, FILE *fp, const char *language, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_rpmmd(repo, fp, language, flags);
}

int solvext_repo_add_repomdxml(Repo *repo, FILE *fp, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_repomdxml(repo, fp, flags);
}

int solvext_repo_add_rpmdb(Repo *repo, Repo *ref, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_rpmdb(repo, ref, flags);
}

int solvext_repo_add_rpmdb_reffp(Repo *repo, FILE *reffp, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_rpmdb_reffp(repo, reffp, flags);
}

int solvext_repo_add_arch_repo(Repo *repo, FILE *fp, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_arch_repo(repo, fp, flags);
}

int solvext_repo_add_arch_local(Repo *repo, const char *dir, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_arch_local(repo, dir, flags);
}

int solvext_repo_add_apk_repo(Repo *repo, FILE *fp, int flags)
{
	LOADED_OR_FAIL(repo);
	return ext.add_apk_repo(repo, fp, flags);
}
