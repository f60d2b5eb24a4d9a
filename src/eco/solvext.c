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
#include <zstd.h>
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

/* --- zstd, read here --- */

/* libsolv's zstd reader never ends on a stream cut inside a frame (five
 * bytes of a frame header keep it reading forever): zstd streams are
 * decompressed here, and a cut one is a read error. */
struct zst_file {
	int fd;
	bool eof, open; /* OPEN: inside a frame (an empty file is cut too) */
	ZSTD_DCtx *dctx;
	ZSTD_inBuffer in;
	unsigned char buf[1 << 16];
};

static ssize_t zst_read(void *cookie, char *out, size_t size)
{
	struct zst_file *z = cookie;
	ZSTD_outBuffer ob = { out, size, 0 };

	for (;;) {
		size_t had = ob.pos, in_had, r;

		if (z->in.pos == z->in.size && !z->eof) {
			ssize_t n = read(z->fd, z->buf, sizeof z->buf);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			z->eof = n == 0;
			z->in = (ZSTD_inBuffer){ z->buf, (size_t)n, 0 };
		}
		in_had = z->in.pos;
		r = ZSTD_decompressStream(z->dctx, &ob, &z->in);
		if (ZSTD_isError(r)) {
			errno = EIO;
			return -1;
		}
		/* 0 when the last frame read ended (a call without input
		 * would ask for the next frame's header) */
		if (ob.pos != had || z->in.pos != in_had)
			z->open = r != 0;
		if (ob.pos == ob.size)
			return (ssize_t)ob.pos;
		if (z->eof && z->in.pos == z->in.size && ob.pos == had) {
			/* nothing more comes: a frame left open was cut */
			if (!ob.pos && z->open) {
				errno = EIO;
				return -1;
			}
			return (ssize_t)ob.pos;
		}
	}
}

static int zst_close(void *cookie)
{
	struct zst_file *z = cookie;
	int rc = close(z->fd);

	ZSTD_freeDCtx(z->dctx);
	free(z);
	return rc;
}

static FILE *zst_fdopen(int fd)
{
	struct zst_file *z = calloc(1, sizeof *z);
	FILE *f;

	if (!z || !(z->dctx = ZSTD_createDCtx())) {
		free(z);
		errno = ENOMEM;
		return NULL;
	}
	z->fd = fd;
	z->open = true;
	f = fopencookie(z, "r", (cookie_io_functions_t){ .read = zst_read, .close = zst_close });
	if (!f) {
		ZSTD_freeDCtx(z->dctx);
		free(z);
		errno = ENOMEM;
	}
	return f;
}

static bool zst_name(const char *as)
{
	size_t n = strlen(as);

	return (n > 4 && !strcmp(as + n - 4, ".zst")) || (n > 5 && !strcmp(as + n - 5, ".zstd"));
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
	if (!(f = zst_name(as) ? zst_fdopen(fd) : ext.xfopen_fd(as, fd, mode))) {
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
