/* workspace.c - the project files under a directory. */
#include "extdeps/read/workspace.h"

#include <errno.h>
#include <fts.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* DIR/NAME exists. */
static bool holds(const char *dir, const char *name)
{
	struct strbuf b = STRBUF_INIT;
	char *path;
	bool yes;

	strbuf_addf(&b, "%s/%s", dir, name);
	if (!(path = strbuf_detach(&b)))
		return false;
	yes = !access(path, F_OK);
	free(path);
	return yes;
}

/* Directories whose files are no project's own: hidden ones, build output,
 * virtual environments (their site-packages hold every installed wheel's
 * METADATA). */
static bool skipped_dir(const FTSENT *e)
{
	static const char *const names[] = { "build", "dist", "__pycache__", "node_modules" };
	const char *name = e->fts_name;

	if (e->fts_level == FTS_ROOTLEVEL)
		return false;
	if (name[0] == '.' || has_suffix(name, ".egg-info") || holds(e->fts_path, "pyvenv.cfg"))
		return true;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* The directory part of PATH holds a pyproject.toml. */
static bool beside_pyproject(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? util_strndup(path, (size_t)(slash - path)) : NULL;
	bool yes = holds(dir ? dir : ".", "pyproject.toml");

	free(dir);
	return yes;
}

static bool project_file(const FTSENT *e)
{
	const FTSENT *parent = e->fts_parent;

	if (!strcmp(e->fts_name, "pyproject.toml"))
		return true;
	if (!strcmp(e->fts_name, "METADATA"))
		return parent && has_suffix(parent->fts_name, ".dist-info");
	return !strcmp(e->fts_name, "PKG-INFO") && !beside_pyproject(e->fts_path);
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int workspace_find(const char *dir, char ***paths, size_t *n, struct ed_diag *d)
{
	size_t len = strlen(dir), first = *n;
	char *root = NULL, *argv[2];
	struct stat st;
	FTSENT *e;
	FTS *fts;
	int rc = 0;

	if (stat(dir, &st))
		return ed_diag_set(d, ED_EXIT_INPUT, dir, 0, 0, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ed_diag_set(d, ED_EXIT_INPUT, dir, 0, 0, "not a directory (--recursive takes one)");
	/* "ws/" as "ws", so that paths read "ws/a/pyproject.toml" */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (!(root = util_strndup(dir, len)))
		return ed_diag_oom(d);
	argv[0] = root;
	argv[1] = NULL;
	if (!(fts = fts_open(argv, FTS_PHYSICAL | FTS_NOCHDIR, by_name))) {
		rc = ed_diag_set(d, ED_EXIT_INPUT, dir, 0, 0, "%s", strerror(errno));
		goto out;
	}
	while (!rc && (e = fts_read(fts))) {
		switch (e->fts_info) {
		case FTS_D:
			if (skipped_dir(e))
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_DNR:
		case FTS_ERR:
			rc = ed_diag_set(d, ED_EXIT_INPUT, e->fts_path, 0, 0, "cannot read: %s",
					 strerror(e->fts_errno));
			break;
		case FTS_F:
			if (project_file(e) && !util_strv_push(paths, n, e->fts_path))
				rc = ed_diag_oom(d);
			break;
		}
	}
	if (!rc && errno && !e)
		rc = ed_diag_set(d, ED_EXIT_INPUT, dir, 0, 0, "%s", strerror(errno));
	fts_close(fts);
	if (!rc && *n == first)
		rc = ed_diag_set(d, ED_EXIT_INPUT, dir, 0, 0,
				 "no pyproject.toml, METADATA or PKG-INFO found under this directory");
	if (!rc)
		qsort(*paths + first, *n - first, sizeof **paths, by_path);
out:
	free(root);
	return rc;
}
