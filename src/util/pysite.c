/* pysite.c - the site-packages of the Python that will build (pysite.h). */
#include "extdeps/util/pysite.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

struct finder {
	struct pysite *out;
	char **seen; /* real paths of the directories taken */
	size_t nseen;
	bool oom;
};

/* PATH (as it is read), unless it is no directory or was taken. */
static void take(struct finder *f, const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (f->oom || stat(path, &st) || !S_ISDIR(st.st_mode) || !realpath(path, real))
		return;
	for (size_t i = 0; i < f->nseen; i++)
		if (!strcmp(f->seen[i], real))
			return;
	if (!util_strv_push(&f->seen, &f->nseen, real) ||
	    !util_strv_push(&f->out->dirs, &f->out->n, path))
		f->oom = true;
}

/* Newest first: python3.12 before python3.9. */
static int newest_first(const void *a, const void *b)
{
	return strverscmp(*(char *const *)b, *(char *const *)a);
}

/* The directories matching PATTERN (a path as it is read), newest first. */
static void take_matches(struct finder *f, const char *pattern)
{
	glob_t g;

	if (glob(pattern, GLOB_ONLYDIR, NULL, &g))
		return;
	qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, newest_first);
	for (size_t i = 0; i < g.gl_pathc; i++)
		take(f, g.gl_pathv[i]);
	globfree(&g);
}

/* DIR/SUB, DIR named by the environment (under ROOT when absolute). */
static void take_env(struct finder *f, const char *root, const char *dir, const char *sub)
{
	char path[PATH_MAX], pat[PATH_MAX + 64];

	if (dir && *dir && util_root_path(root, dir, path, sizeof path) &&
	    (size_t)snprintf(pat, sizeof pat, "%s/%s", path, sub) < sizeof pat)
		take_matches(f, pat);
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* --- version managers: python3 on PATH may be a shim of pyenv's or asdf's,
 * a script that runs the version the manager selects; the interpreter is
 * that version's --- */

struct manager {
	const char *installs; /* ROOT/INSTALLS/VERSION/bin/python3 */
	const char *env;      /* the variable that selects a version */
	const char *file;     /* the file that does, in the working directory or above */
};

static const struct manager pyenv = { "versions", "PYENV_VERSION", ".python-version" };
static const struct manager asdf = { "installs/python", "ASDF_PYTHON_VERSION", ".tool-versions" };

/* Whether PATH is a shim of manager M's root (ROOT/shims/NAME, ROOT/INSTALLS
 * beside it); the root into ROOT. */
static bool is_shim(const struct manager *m, const char *path, char root[PATH_MAX])
{
	char installs[PATH_MAX + 32];
	struct stat st;
	size_t n;

	if ((size_t)snprintf(root, PATH_MAX, "%s", path) >= PATH_MAX || !util_strip_last(root))
		return false;
	n = strlen(root);
	if (n < 6 || strcmp(root + n - 6, "/shims") || !util_strip_last(root))
		return false;
	snprintf(installs, sizeof installs, "%s/%s", root, m->installs);
	return !stat(installs, &st) && S_ISDIR(st.st_mode);
}

/* CMD on SEARCH_PATH ($PATH when NULL) past ROOT's shims, into OUT: the
 * "system" version. */
static bool which_past_shims(const char *root, const char *cmd, const char *search_path,
			     char *out, size_t size)
{
	char shims[PATH_MAX], real_shims[PATH_MAX], real[PATH_MAX], *rest;
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	bool found;

	if (!search_path)
		search_path = getenv("PATH");
	if (!search_path || (size_t)snprintf(shims, sizeof shims, "%s/shims", root) >= sizeof shims ||
	    !realpath(shims, real_shims))
		return false;
	for (p = search_path;; p++) {
		size_t len = strcspn(p, ":");
		char dir[PATH_MAX];

		snprintf(dir, sizeof dir, "%.*s", (int)len, p);
		if (!(*dir && realpath(dir, real) && !strcmp(real, real_shims))) {
			if (sb.len)
				strbuf_addch(&sb, ':');
			strbuf_addstr(&sb, *dir ? dir : ".");
		}
		p += len;
		if (!*p)
			break;
	}
	rest = strbuf_detach(&sb);
	found = rest && *rest && util_which(cmd, rest, out, size);
	free(rest);
	return found;
}

/* Version V of manager M's ROOT as the interpreter CMD, into OUT. A version
 * that would lead out of ROOT/INSTALLS is refused, as pyenv does. */
static bool take_version(const struct manager *m, const char *root, const char *v,
			 const char *cmd, const char *search_path, char *out, size_t size)
{
	if (!*v || *v == '.' || strchr(v, '/'))
		return false;
	if (!strcmp(v, "system"))
		return which_past_shims(root, cmd, search_path, out, size);
	return (size_t)snprintf(out, size, "%s/%s/%s/bin/%s", root, m->installs, v, cmd) < size &&
	       is_file(out);
}

/* The first version of LIST that ROOT has CMD for: LIST as pyenv's
 * variable gives it (separated by ':'), or as a list of words: asdf's
 * variable, a line of .tool-versions past its tool, or a .python-version
 * (the first word of each line, '#' starting a comment). */
static bool first_version(const struct manager *m, const char *root, const char *list,
			  bool words, const char *cmd, const char *search_path, char *out,
			  size_t size)
{
	const char *p = list;

	while (*p) {
		size_t skip = words ? strspn(p, " \t\r") : 0;
		size_t len = words ? strcspn(p + skip, " \t\r\n") : strcspn(p, ":");
		size_t line = words && m == &pyenv ? strcspn(p, "\n") : skip + len;
		char v[256];

		if (len && len < sizeof v && p[skip] != '#') {
			snprintf(v, sizeof v, "%.*s", (int)len, p + skip);
			if (take_version(m, root, v, cmd, search_path, out, size))
				return true;
		}
		p += line;
		if (*p)
			p++;
	}
	return false;
}

/* The versions in the file at PATH (at most 4 KiB of it), into BUF. */
static bool read_version_file(const char *path, char *buf, size_t size)
{
	FILE *f = util_fopen_regular(path);
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return true;
}

/* The versions .tool-versions text BUF gives python, in place: the rest of
 * its "python" line; false when it names none. */
static bool tool_line(char *buf)
{
	for (char *line = buf; *line;) {
		char *end = line + strcspn(line, "\n");
		char *w = line + strspn(line, " \t");

		if (!strncmp(w, "python", 6) && strchr(" \t", w[6]) && w[6]) {
			*end = '\0';
			memmove(buf, w + 6, strlen(w + 6) + 1);
			buf[strcspn(buf, "#")] = '\0';
			return true;
		}
		line = *end ? end + 1 : end;
	}
	return false;
}

/* The interpreter the shim PATH of manager M's ROOT runs, into OUT, found
 * in the manager's order: its variable; the nearest version file in the
 * working directory or above; pyenv's ROOT/version, else the system's;
 * asdf's $HOME/.tool-versions, else none (the version is unknown). */
static bool resolve_shim(const struct manager *m, const char *root, const char *path,
			 const char *search_path, char *out, size_t size)
{
	const char *cmd = strrchr(path, '/') + 1, *env = getenv(m->env);
	char dir[PATH_MAX], file[PATH_MAX + 32], buf[4096];

	if (env && *env)
		return first_version(m, root, env, m == &asdf, cmd, search_path, out, size);
	if (getcwd(dir, sizeof dir))
		for (;;) {
			snprintf(file, sizeof file, "%s/%s", strcmp(dir, "/") ? dir : "", m->file);
			if (read_version_file(file, buf, sizeof buf) && (m == &pyenv || tool_line(buf)))
				return first_version(m, root, buf, true, cmd, search_path, out, size);
			if (!strcmp(dir, "/") || !util_strip_last(dir))
				break;
		}
	if (m == &asdf) {
		env = getenv("HOME");
		snprintf(file, sizeof file, "%s/%s", env ? env : "", m->file);
		return env && *env && read_version_file(file, buf, sizeof buf) && tool_line(buf) &&
		       first_version(m, root, buf, true, cmd, search_path, out, size);
	}
	snprintf(file, sizeof file, "%s/version", root);
	if (read_version_file(file, buf, sizeof buf) &&
	    first_version(m, root, buf, true, cmd, search_path, out, size))
		return true;
	return take_version(m, root, "system", cmd, search_path, out, size);
}

/* The interpreter PYTHON (a path, or a command on SEARCH_PATH) into PATH,
 * through pyenv's or asdf's shim where it is one. */
static bool find_python(const char *python, const char *search_path, char *path, size_t size)
{
	static const struct manager *const managers[] = { &pyenv, &asdf };
	char root[PATH_MAX], shim[PATH_MAX];

	if (strchr(python, '/'))
		snprintf(path, size, "%s", python);
	else if (!util_which(python, search_path, path, size))
		return false;
	for (size_t i = 0; i < sizeof managers / sizeof *managers; i++)
		if (is_shim(managers[i], path, root)) {
			snprintf(shim, sizeof shim, "%s", path);
			return resolve_shim(managers[i], root, shim, search_path, path, size);
		}
	return true;
}

/* The prefix of the interpreter PYTHON (PREFIX/bin/python3, a path as it
 * is read) into PREFIX, as Python finds its own (see pysite.h). */
static bool python_prefix(const char *python, char prefix[PATH_MAX])
{
	char cfg[PATH_MAX + 16];

	if ((size_t)snprintf(prefix, PATH_MAX, "%s", python) < PATH_MAX && util_strip_last(prefix) &&
	    util_strip_last(prefix) &&
	    (size_t)snprintf(cfg, sizeof cfg, "%s/pyvenv.cfg", prefix) < sizeof cfg && is_file(cfg))
		return true;
	return realpath(python, prefix) && util_strip_last(prefix) && util_strip_last(prefix);
}

bool pysite_find(const char *root, const char *search_path, struct pysite *out)
{
	static const char *const under_prefix[] = { "lib/python3*/site-packages",
						    "lib/python3*/dist-packages", "lib/python3/dist-packages",
						    "local/lib/python3*/dist-packages" };
	struct finder f = { out, NULL, 0, false };
	char python[PATH_MAX], prefix[PATH_MAX], pat[PATH_MAX + 64];

	memset(out, 0, sizeof *out);
	if (!root)
		root = "/";
	take_env(&f, root, getenv("VIRTUAL_ENV"), "lib/python3*/site-packages");
	if (find_python("python3", search_path, python, sizeof python) &&
	    python_prefix(python, prefix)) {
		for (size_t i = 0; i < sizeof under_prefix / sizeof under_prefix[0]; i++) {
			snprintf(pat, sizeof pat, "%s/%s", prefix, under_prefix[i]);
			take_matches(&f, pat);
		}
	}
	take_env(&f, root, getenv("HOME"), ".local/lib/python3*/site-packages");
	util_strv_free(f.seen, f.nseen);
	if (f.oom) {
		pysite_fini(out);
		return false;
	}
	return true;
}

/* "3.N" at the start of TEXT (followed by nothing or a dot) into OUT. */
static bool take_xy(const char *text, char *out, size_t size)
{
	size_t major = strspn(text, "0123456789"), minor;

	if (!major || text[major] != '.')
		return false;
	minor = strspn(text + major + 1, "0123456789");
	if (!minor || (text[major + 1 + minor] && text[major + 1 + minor] != '.') ||
	    major + 1 + minor >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(major + 1 + minor), text);
	return true;
}

/* The version a pyvenv.cfg gives ("version = 3.11.2", or version_info),
 * into OUT. */
static bool venv_version(const char *prefix, char *out, size_t size)
{
	char cfg[PATH_MAX + 16], line[256];
	bool found = false;
	FILE *f;

	if ((size_t)snprintf(cfg, sizeof cfg, "%s/pyvenv.cfg", prefix) >= sizeof cfg ||
	    !(f = util_fopen_regular(cfg)))
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		char *eq = strchr(line, '=');
		size_t klen = strcspn(line, " \t=");

		if (eq && (!strncmp(line, "version", klen) || !strncmp(line, "version_info", klen)) &&
		    (klen == 7 || klen == 12)) {
			eq += 1 + strspn(eq + 1, " \t");
			snprintf(out, size, "%.*s", (int)strcspn(eq, " \t\r\n"), eq);
			found = *out;
		}
	}
	fclose(f);
	return found;
}

/* The PY_VERSION of the headers of the Python X.Y at PREFIX
 * (include/pythonX.Y/patchlevel.h: "3.11.7"), into OUT. */
static bool header_version(const char *prefix, const char *xy, char *out, size_t size)
{
	char path[PATH_MAX + 64], line[256];
	bool found = false;
	FILE *f;

	if ((size_t)snprintf(path, sizeof path, "%s/include/python%s/patchlevel.h", prefix, xy) >=
		    sizeof path ||
	    !(f = util_fopen_regular(path)))
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		const char *q = line + strspn(line, " \t");

		if (strncmp(q, "#define", 7))
			continue;
		q += 7 + strspn(q + 7, " \t");
		if (strncmp(q, "PY_VERSION", 10) || !strchr(" \t", q[10]) || !(q = strchr(q, '"')))
			continue;
		snprintf(out, size, "%.*s", (int)strcspn(q + 1, "\"\n"), q + 1);
		found = true;
	}
	fclose(f);
	return found;
}

/* VERSION (X.Y, SIZE bytes) made X.Y.Z when TEXT is that version with a
 * micro number ("3.11.7", "3.13.0rc1"). */
static void add_micro(char *version, size_t size, const char *text)
{
	size_t n = strlen(version), z;

	if (strncmp(text, version, n) || text[n] != '.' ||
	    !(z = strspn(text + n + 1, "0123456789")) || n + 1 + z >= size)
		return;
	snprintf(version + n, size - n, ".%.*s", (int)z, text + n + 1);
}

/* The newest lib/python3.N at PREFIX as X.Y, into OUT. */
static bool lib_version(const char *prefix, char *out, size_t size)
{
	char pat[PATH_MAX + 32];
	bool found = false;
	glob_t g;

	snprintf(pat, sizeof pat, "%s/lib/python3.*", prefix);
	if (glob(pat, GLOB_ONLYDIR, NULL, &g))
		return false;
	qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, newest_first);
	for (size_t i = 0; i < g.gl_pathc && !found; i++)
		found = take_xy(strrchr(g.gl_pathv[i], '/') + 7, out, size);
	globfree(&g);
	return found;
}

bool pysite_own_headers(const char *path, const char *xy)
{
	char real[PATH_MAX], header[PATH_MAX + 64];

	/* PREFIX/bin/pythonX.Y */
	return realpath(path, real) && strncmp(real, "/usr/", 5) && strncmp(real, "/bin/", 5) &&
	       util_strip_last(real) && util_strip_last(real) &&
	       (size_t)snprintf(header, sizeof header, "%s/include/python%s/Python.h", real, xy) <
		       sizeof header &&
	       is_file(header);
}

bool pysite_python_version(const char *python, const char *search_path, char *version,
			   size_t version_size, char *path, size_t path_size)
{
	char real[PATH_MAX], prefix[PATH_MAX], text[64];
	const char *base;
	bool has_prefix, venv;

	if (!find_python(python, search_path, path, path_size))
		return false;
	if (!is_file(path) || !realpath(path, real))
		return false;
	base = strrchr(real, '/') + 1;
	has_prefix = python_prefix(path, prefix);
	venv = has_prefix && venv_version(prefix, text, sizeof text);
	if (!(!strncmp(base, "python", 6) && take_xy(base + 6, version, version_size)) &&
	    !(venv && take_xy(text, version, version_size)) &&
	    !(has_prefix && lib_version(prefix, version, version_size)))
		return false;
	/* the micro number, where it is written down */
	if (venv || (has_prefix && header_version(prefix, version, text, sizeof text)))
		add_micro(version, version_size, text);
	return true;
}

void pysite_fini(struct pysite *s)
{
	if (!s)
		return;
	util_strv_free(s->dirs, s->n);
	s->dirs = NULL;
	s->n = 0;
}
