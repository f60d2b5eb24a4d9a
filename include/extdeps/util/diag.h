/* diag.h - diagnostics returned as values, and the exit-status enum.
 *
 * Core modules never print: on failure they fill a struct ed_diag and return
 * an error status. The front end prints it once, as
 *   extdeps: error: FILE:LINE:COL: MESSAGE
 * (FILE, LINE and COL only where known).
 */
#ifndef EXTDEPS_DIAG_H
#define EXTDEPS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses of every command (DESIGN.md, "Command line"). */
enum ed_exit {
	ED_EXIT_OK = 0,      /* success, everything satisfied */
	ED_EXIT_UNMET = 1,   /* unmet or unsatisfiable dependencies */
	ED_EXIT_INPUT = 2,   /* bad usage or bad input */
	ED_EXIT_ENV = 3,     /* environment failure: network, metadata, permission */
};

#define ED_DIAG_FILE_MAX 1024
#define ED_DIAG_MSG_MAX 1024

struct ed_diag {
	char file[ED_DIAG_FILE_MAX]; /* "" when the error is not about a file */
	int line;                    /* 1-based; 0 when unknown */
	int col;                     /* 1-based, in characters; 0 when unknown */
	enum ed_exit status;         /* which exit status the error maps to */
	char msg[ED_DIAG_MSG_MAX];
};

/* A position inside a string being parsed; filled by parsers of embedded
 * syntaxes (DepURLs, markers, versions) that do not know the file. */
struct ed_parse_err {
	size_t offset; /* byte offset of the problem in the parsed text */
	char msg[256];
};

/* The errors of one input, as a compiler reports them: the first
 * ED_DIAGS_MAX kept in order, the others only counted. Zero-initialise;
 * free with ed_diags_fini. */
#define ED_DIAGS_MAX 20

struct ed_diags {
	struct ed_diag *v; /* malloc'd on the first error; N of them */
	size_t n;
	size_t more;       /* errors past the limit (or out of memory), counted only */
};

/* Add a copy of D to L; past the limit, or out of memory, it is only
 * counted. */
void ed_diags_add(struct ed_diags *l, const struct ed_diag *d);

/* Whether L keeps an error the same as D (status, place and message). */
bool ed_diags_has(const struct ed_diags *l, const struct ed_diag *d);

/* How many errors L has seen, kept or not. */
size_t ed_diags_count(const struct ed_diags *l);

void ed_diags_fini(struct ed_diags *l);

/* Clear D (status ED_EXIT_OK, empty fields). D may be NULL. */
void ed_diag_clear(struct ed_diag *d);

/* Fill D with a located error. FILE may be NULL. Returns STATUS so callers can
 * write `return ed_diag_set(...)`. D may be NULL (the error is then dropped). */
int ed_diag_set(struct ed_diag *d, enum ed_exit status, const char *file, int line,
		int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The one out-of-memory path: D says "out of memory"; returns ED_EXIT_ENV. */
int ed_diag_oom(struct ed_diag *d);

/* Print D to ERR in the format given above. */
void ed_diag_print(const struct ed_diag *d, FILE *err);

/* printf into a fixed ed_parse_err; returns -1 for `return ed_parse_err_set(...)`. */
int ed_parse_err_set(struct ed_parse_err *e, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Line and column (1-based, columns counted in UTF-8 characters) of byte
 * OFFSET in TEXT of length LEN. */
void ed_text_linecol(const char *text, size_t len, size_t offset, int *line, int *col);

#endif
