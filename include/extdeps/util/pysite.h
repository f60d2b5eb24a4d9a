/* pysite.h - the site-packages of the Python that will build: where its
 * wheels are installed, for the CUDA finder (NVIDIA's wheels) and for the
 * database of installed wheels (eco/pypi.c).
 *
 * The places, in this order (Python's own: a virtual environment's before
 * the base installation's, the user's last):
 *   - $VIRTUAL_ENV/lib/python3.N/site-packages;
 *   - those of python3 on the search path: its prefix's
 *     lib/python3.N/site-packages, lib/python3.N/dist-packages and
 *     lib/python3/dist-packages (Debian's), local/lib/python3.N/dist-packages;
 *     the prefix of a virtual environment is the directory above the
 *     interpreter's bin/ that holds pyvenv.cfg (its interpreter is a link
 *     into the base installation), else that of the interpreter's real file;
 *     a python3 that is a shim of pyenv's (ROOT/shims/python3, ROOT/versions
 *     beside it) stands for the version pyenv selects: $PYENV_VERSION, the
 *     nearest .python-version from the working directory up, ROOT/version,
 *     else the next python3 on the search path ("system"); one of asdf's
 *     (ROOT/shims/python3, ROOT/installs/python beside it) for the version
 *     asdf selects: $ASDF_PYTHON_VERSION, the "python" line of the nearest
 *     .tool-versions from the working directory up, else of
 *     $HOME/.tool-versions;
 *   - $HOME/.local/lib/python3.N/site-packages.
 * Where several python3.N match, the newest comes first. Paths from the
 * environment are read under ROOT when absolute (util_root_path), as the
 * package databases are; a directory reached twice (a link) is listed once,
 * at its first place; only directories that exist are listed.
 *
 * Ownership: a struct pysite owns its strings (pysite_fini).
 */
#ifndef EXTDEPS_UTIL_PYSITE_H
#define EXTDEPS_UTIL_PYSITE_H

#include <stdbool.h>
#include <stddef.h>

struct pysite {
	char **dirs; /* as they are read: "venv/lib/python3.12/site-packages" */
	size_t n;
};

/* Find the directories above into OUT, with ROOT (NULL: "/") and
 * SEARCH_PATH (where python3 is looked for; NULL: $PATH). Returns false
 * only when out of memory (OUT is then empty). */
bool pysite_find(const char *root, const char *search_path, struct pysite *out);

/* The version X.Y of the Python interpreter PYTHON (a path, or a command
 * looked up on SEARCH_PATH, NULL: $PATH; "python3" for the default one;
 * a shim of pyenv's or asdf's stands for the version it selects, as above),
 * found without running it: the name of the file it links to
 * ("python3.11"), else the version its virtual environment's pyvenv.cfg
 * names, else the newest lib/python3.N beside it; its micro number from
 * the pyvenv.cfg, else from its headers (include/python3.N/patchlevel.h),
 * where they are there. Fills VERSION (X.Y, or X.Y.Z where the micro
 * number is known) and PATH (where it was found) and returns true; false
 * when there is no such interpreter or its version cannot be told. */
bool pysite_python_version(const char *python, const char *search_path, char *version,
			   size_t version_size, char *path, size_t path_size);

/* Whether the interpreter at PATH, of Python X.Y, brings its own headers:
 * installed outside /usr (pyenv's, a toolcache's, /usr/local's), its real
 * file's PREFIX/include/pythonX.Y/Python.h is there. A Python of the
 * system's /usr has them from a package of the system, if at all. */
bool pysite_own_headers(const char *path, const char *xy);

/* Free what S holds and leave it empty. S may be NULL. */
void pysite_fini(struct pysite *s);

#endif
