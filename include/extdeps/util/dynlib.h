/* dynlib.h - a shared library loaded at run time into a table of functions.
 *
 * For libraries that only some commands need (libcurl, libsolvext): linked,
 * they and what they bring would be started by every run. */
#ifndef EXTDEPS_DYNLIB_H
#define EXTDEPS_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

/* One function: its symbol, and where its pointer goes in the table
 * (offsetof the member). */
struct dynlib_fn {
	const char *symbol;
	size_t at;
};

/* dlopen FILE and store each of FNS[0..N) into TABLE. False, with the
 * reason in WHY ("cannot load LABEL: ..."), when the file cannot be loaded
 * or lacks a function; nothing stays loaded then. */
bool dynlib_load(const char *file, const char *label, const struct dynlib_fn *fns, size_t n,
		 void *table, char *why, size_t whysize);

#endif
