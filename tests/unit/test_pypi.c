/* test_pypi.c - the wheels of a site-packages read as the "pypi" database
 * (eco/pypi.c), where the Python that will build keeps them (util/pysite.c),
 * and the backend's place: a database, never a solver. Fixtures:
 * tests/fixtures/pypi (venv: what check finds; odd-site: every way a
 * dist-info can be incomplete or wrong). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/pypi.h"
#include "extdeps/util/pysite.h"

#define PYPI FIXTURES "/pypi"
#define VENV_SITE PYPI "/venv/lib/python3.12/site-packages"
#define ODD_SITE PYPI "/odd-site"

/* DB has NAME at VERSION, once (NULL: not at all). */
static void expect(const struct installed *db, const char *name, const char *version)
{
	size_t n;
	const struct installed_pkg *p = installed_find(db, name, &n);

	if (!version) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_int_equal(n, 1);
	assert_string_equal(p->version, version);
	assert_null(p->arch);
	assert_null(p->provider);
}

static char *norm(const char *name)
{
	static char buf[64];

	pypi_normalize(name, strlen(name), buf, sizeof buf);
	return buf;
}

static void test_normalize(void **state)
{
	char small[6];

	(void)state;
	assert_string_equal(norm("nvidia-cudnn-cu12"), "nvidia-cudnn-cu12");
	assert_string_equal(norm("nvidia_cudnn_cu12"), "nvidia-cudnn-cu12");
	assert_string_equal(norm("Foo.Bar"), "foo-bar");
	assert_string_equal(norm("A-_.-b"), "a-b");
	assert_string_equal(norm("CMake"), "cmake");
	assert_string_equal(norm(""), "");
	/* cut to fit, always a string */
	assert_int_equal(pypi_normalize("abcdefgh", 8, small, sizeof small), 5);
	assert_string_equal(small, "abcde");
	assert_int_equal(pypi_normalize("abc", 2, small, sizeof small), 2);
	assert_string_equal(small, "ab");
}

/* A venv's wheels: METADATA's Name normalised, and its Version. */
static void test_site(void **state)
{
	const char *dirs[] = { VENV_SITE };
	struct ed_diag d = { 0 };
	struct installed *db = pypi_open_site(dirs, 1, &d);

	(void)state;
	assert_non_null(db);
	assert_string_equal(installed_kind_name(installed_kind(db)), "pypi");
	assert_string_equal(installed_source(db), VENV_SITE);
	assert_int_equal(installed_count(db), 3);
	expect(db, "nvidia-cudnn-cu12", "9.1.0.70");
	expect(db, "nvidia-nccl-cu12", "2.21.5");
	expect(db, "cmake", "3.30.0");
	/* names are looked up normalised, as the mappings write them */
	expect(db, "nvidia_cudnn_cu12", NULL);
	installed_free(db);
}

/* What is incomplete is read as far as it goes; what is wrong is skipped,
 * never an error; an earlier directory shadows a later one. */
static void test_odd(void **state)
{
	const char *dirs[] = { VENV_SITE, PYPI "/nonexistent", ODD_SITE };
	struct ed_diag d = { 0 };
	struct installed *db = pypi_open_site(dirs, 3, &d);

	(void)state;
	assert_non_null(db);
	assert_int_equal(d.status, 0);
	assert_string_equal(installed_source(db),
			    VENV_SITE ":" PYPI "/nonexistent:" ODD_SITE);
	/* Name: Foo.Bar */
	expect(db, "foo-bar", "1.0");
	/* no METADATA: the directory's name and version */
	expect(db, "nometa", "2.0");
	/* METADATA without Name: the directory's name, METADATA's version */
	expect(db, "noname", "3.1");
	/* CRLF lines; field names in any case, values trimmed */
	expect(db, "crlf", "0.5");
	expect(db, "lower-case", "2");
	/* no Version among the headers (one after the blank line is body) */
	expect(db, "noversion", NULL);
	/* METADATA a directory, a dist-info a file, an egg-info */
	expect(db, "metadir", NULL);
	expect(db, "notadir", NULL);
	expect(db, "egg", NULL);
	/* the venv's cmake 3.30.0 shadows odd-site's CMake 3.20.0 */
	expect(db, "cmake", "3.30.0");
	assert_int_equal(installed_count(db), 8);
	installed_free(db);

	/* nothing readable at all: an empty database */
	db = pypi_open_site((const char *[]){ PYPI "/nonexistent" }, 1, &d);
	assert_non_null(db);
	assert_int_equal(installed_count(db), 0);
	installed_free(db);
}

/* Where the wheels are looked for: $VIRTUAL_ENV under the root, python3's
 * prefix (a venv's by its pyvenv.cfg, else the real one's), the user's;
 * each directory once. */
static void test_pysite(void **state)
{
	char real[PATH_MAX];
	struct pysite s;

	(void)state;
	unsetenv("HOME");
	setenv("VIRTUAL_ENV", "/venv", 1);
	assert_true(pysite_find(PYPI, "/nonexistent", &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.dirs[0], VENV_SITE);
	pysite_fini(&s);
	assert_null(s.dirs);
	assert_int_equal(s.n, 0);
	pysite_fini(NULL);

	/* the same venv named twice, by $VIRTUAL_ENV and by python3 on the search path */
	setenv("VIRTUAL_ENV", FIXTURES "/cuda/venv", 1);
	assert_true(pysite_find("/", FIXTURES "/cuda/venv/bin:" FIXTURES "/cuda/python/bin", &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.dirs[0], FIXTURES "/cuda/venv/lib/python3.12/site-packages");
	pysite_fini(&s);

	/* outside a venv, the interpreter's real prefix; then the user's,
	 * $HOME read under the root */
	unsetenv("VIRTUAL_ENV");
	setenv("HOME", "/home", 1);
	assert_true(pysite_find(PYPI, FIXTURES "/cuda/python/bin", &s));
	assert_int_equal(s.n, 2);
	assert_non_null(realpath(FIXTURES "/cuda/python/lib/python3.12/site-packages", real));
	assert_string_equal(s.dirs[0], real);
	assert_string_equal(s.dirs[1], PYPI "/home/.local/lib/python3.12/site-packages");
	pysite_fini(&s);
	unsetenv("HOME");

	/* none */
	assert_true(pysite_find(PYPI, "/nonexistent", &s));
	assert_int_equal(s.n, 0);
	pysite_fini(&s);
}

/* --- pyenv --- */

static char pyenv_tmp[64];

/* A file under the temporary tree (parents made), executable or not. */
static void put(const char *rel, const char *text, bool exec)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", pyenv_tmp, rel);
	for (char *p = path + strlen(pyenv_tmp) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, exec ? 0755 : 0644), 0);
}

static void link_to(const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", pyenv_tmp, rel);
	assert_int_equal(symlink(target, path), 0);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A stand-in interpreter X.Y.Z: DIR/bin/python3 linking to pythonX.Y. */
static void stand_in(const char *dir, const char *xyz)
{
	char file[256], rel[512];

	snprintf(file, sizeof file, "python%.*s", (int)strcspn(xyz + 2, ".") + 2, xyz);
	snprintf(rel, sizeof rel, "%s/bin/%s", dir, file);
	put(rel, "", true);
	snprintf(rel, sizeof rel, "%s/bin/python3", dir);
	link_to(rel, file);
}

/* A new temporary tree (NAME in its name) entered at proj/sub, the
 * directory left into CWD; the search path MANAGER/shims:sys/bin into
 * SEARCH, sys/bin holding a python3 of version SYSTEM. */
static void enter_tree(const char *name, const char *manager, const char *system,
		       char search[512], char cwd[PATH_MAX])
{
	char proj[PATH_MAX];

	snprintf(pyenv_tmp, sizeof pyenv_tmp, "/tmp/extdeps-%s-XXXXXX", name);
	assert_non_null(mkdtemp(pyenv_tmp));
	stand_in("sys", system);
	put("proj/sub/keep", "", false);
	snprintf(search, 512, "%s/%s/shims:%s/sys/bin", pyenv_tmp, manager, pyenv_tmp);
	snprintf(proj, sizeof proj, "%s/proj/sub", pyenv_tmp);
	assert_non_null(getcwd(cwd, PATH_MAX));
	assert_int_equal(chdir(proj), 0);
}

/* The version of python3 on SEARCH, through pyenv's shim; the interpreter
 * it names, relative to the temporary tree, into WHERE. */
static const char *pyenv_version(const char *search, char *where)
{
	static char version[16];
	char path[PATH_MAX];

	if (!pysite_python_version("python3", search, version, sizeof version, path, sizeof path))
		return NULL;
	assert_memory_equal(path, pyenv_tmp, strlen(pyenv_tmp));
	strcpy(where, path + strlen(pyenv_tmp) + 1);
	return version;
}

/* python3 on SEARCH is Python XY, the interpreter REL of the tree. */
static void expect_python(const char *search, const char *xy, const char *rel)
{
	char where[PATH_MAX];

	assert_string_equal(pyenv_version(search, where), xy);
	assert_string_equal(where, rel);
}

/* python3 on PATH as pyenv's shim is the interpreter pyenv selects:
 * $PYENV_VERSION (its first installed version, "system" the next python3
 * on PATH), else the nearest .python-version, else ROOT/version; a version
 * leading out of ROOT/versions is refused. The site-packages are that
 * interpreter's. */
static void test_pyenv(void **state)
{
	char search[512], cwd[PATH_MAX], where[PATH_MAX], real[PATH_MAX];
	struct pysite s;

	(void)state;
	enter_tree("pyenv", "pyenv", "3.10", search, cwd);
	put("pyenv/shims/python3", "#!/bin/sh\nexec pyenv exec \"$0\" \"$@\"\n", true);
	stand_in("pyenv/versions/3.11.7", "3.11.7");
	stand_in("pyenv/versions/3.13.1", "3.13.1");
	put("pyenv/versions/3.13.1/lib/python3.13/site-packages/x.dist-info/METADATA", "", false);
	put("pyenv/versions/3.13.1/include/python3.13/patchlevel.h",
	    "#define PY_MINOR_VERSION        13\n"
	    "#define PY_VERSION_HEX 0x030d01f0\n"
	    "/* Version as a string */\n"
	    "#define PY_VERSION              \"3.13.1\"\n",
	    false);
	put("pyenv/version", "3.13.1\n", false);
	unsetenv("PYENV_VERSION");
	unsetenv("VIRTUAL_ENV");
	unsetenv("HOME");

	/* the global version file; the micro number from the headers */
	expect_python(search, "3.13.1", "pyenv/versions/3.13.1/bin/python3");
	assert_true(pysite_find("/", search, &s));
	assert_int_equal(s.n, 1);
	snprintf(where, sizeof where, "%s/pyenv/versions/3.13.1/lib/python3.13/site-packages",
		 pyenv_tmp);
	assert_non_null(realpath(where, real));
	assert_string_equal(s.dirs[0], real);
	pysite_fini(&s);
	/* a .python-version above the working directory: comments, blank lines
	 * and a version not installed are passed over */
	put("proj/.python-version", "# pinned\n\n  9.9.9\n3.11.7 3.13.1\n", false);
	expect_python(search, "3.11", "pyenv/versions/3.11.7/bin/python3");
	/* $PYENV_VERSION before both; "system" is python3 past the shims */
	setenv("PYENV_VERSION", "missing:system", 1);
	expect_python(search, "3.10", "sys/bin/python3");
	setenv("PYENV_VERSION", "../../sys", 1);
	assert_null(pyenv_version(search, where));
	setenv("PYENV_VERSION", "missing", 1);
	assert_null(pyenv_version(search, where));
	unsetenv("PYENV_VERSION");

	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(nftw(pyenv_tmp, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* python3 on PATH as asdf's shim is the interpreter asdf selects:
 * $ASDF_PYTHON_VERSION (its first installed version, "system" the next
 * python3 on PATH), else the "python" line of the nearest .tool-versions;
 * with neither, asdf runs nothing and the version is unknown. */
static void test_asdf(void **state)
{
	char search[512], cwd[PATH_MAX], where[PATH_MAX];

	(void)state;
	enter_tree("asdf", "asdf", "3.11", search, cwd);
	put("asdf/shims/python3", "#!/usr/bin/env bash\nexec asdf exec \"python3\" \"$@\"\n", true);
	stand_in("asdf/installs/python/3.12.4", "3.12.4");
	stand_in("asdf/installs/python/3.10.14", "3.10.14");
	put("asdf/installs/nodejs/22.1.0/bin/node", "", true);
	unsetenv("ASDF_PYTHON_VERSION");
	unsetenv("PYENV_VERSION");
	snprintf(where, sizeof where, "%s/home", pyenv_tmp);
	setenv("HOME", where, 1);

	/* nothing selects a version */
	assert_null(pyenv_version(search, where));
	/* the global .tool-versions, in $HOME */
	put("home/.tool-versions", "python system\n", false);
	expect_python(search, "3.11", "sys/bin/python3");
	/* the python line of .tool-versions: its first installed version */
	put("proj/.tool-versions", "nodejs 22.1.0\npython 3.9.0 3.10.14 3.12.4 # pinned\n", false);
	expect_python(search, "3.10", "asdf/installs/python/3.10.14/bin/python3");
	/* a nearer .tool-versions without python is passed over */
	put("proj/sub/.tool-versions", "nodejs 22.1.0\n", false);
	assert_string_equal(pyenv_version(search, where), "3.10");
	/* the variable before the files; "system" is python3 past the shims */
	setenv("ASDF_PYTHON_VERSION", "3.12.4", 1);
	expect_python(search, "3.12", "asdf/installs/python/3.12.4/bin/python3");
	setenv("ASDF_PYTHON_VERSION", "system", 1);
	expect_python(search, "3.11", "sys/bin/python3");
	setenv("ASDF_PYTHON_VERSION", "../nodejs/22.1.0", 1);
	assert_null(pyenv_version(search, where));
	unsetenv("ASDF_PYTHON_VERSION");
	unsetenv("HOME");

	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(nftw(pyenv_tmp, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* A Python outside /usr with PREFIX/include/pythonX.Y/Python.h has its own
 * headers; one without them, or of the system's /usr, has not. */
static void test_own_headers(void **state)
{
	(void)state;
	assert_true(pysite_own_headers(FIXTURES "/python-own/bin/python3", "3.12"));
	assert_false(pysite_own_headers(FIXTURES "/python-own/bin/python3", "3.11"));
	assert_false(pysite_own_headers(FIXTURES "/target/bin/python3", "3.11"));
	/* Debian 12 with python3-dev installed has /usr/include/python3.11/Python.h */
	assert_false(pysite_own_headers("/usr/bin/python3", "3.11"));
	assert_false(pysite_own_headers(FIXTURES "/nonexistent/bin/python3", "3.12"));
}

/* The backend: check's database where a site-packages is, and no solver. */
static void test_backend(void **state)
{
	struct eco_opts o = { .root = PYPI };
	struct ed_diag d = { 0 };
	struct installed *db = NULL;

	(void)state;
	assert_ptr_equal(eco_find("pypi"), &eco_pypi);
	assert_null(eco_for_ecosystem("pypi"));
	assert_null(eco_pypi.load_available);
	assert_null(eco_pypi.install_argv);
	assert_int_equal(eco_pypi.scope, ECO_USER);
	assert_string_equal(eco_pypi.ecosystems[0], "pypi");

	unsetenv("HOME");
	setenv("PATH", "/nonexistent", 1);
	setenv("VIRTUAL_ENV", "/venv", 1);
	assert_true(eco_pypi.has_db(&o));
	assert_int_equal(eco_pypi.open_db(&o, &db, &d), 0);
	assert_non_null(db);
	assert_string_equal(installed_source(db), VENV_SITE);
	expect(db, "cmake", "3.30.0");
	installed_free(db);

	/* no site-packages: no database, and no error */
	unsetenv("VIRTUAL_ENV");
	assert_false(eco_pypi.has_db(&o));
	assert_int_equal(eco_pypi.open_db(&o, &db, &d), 0);
	assert_null(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_site),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_pysite),
		cmocka_unit_test(test_pyenv),
		cmocka_unit_test(test_asdf),
		cmocka_unit_test(test_own_headers),
		cmocka_unit_test(test_backend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
