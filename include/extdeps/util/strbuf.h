/* strbuf.h - a growing NUL-terminated string (after git's strbuf.h).
 *
 * A struct strbuf starts zeroed (STRBUF_INIT or "= { 0 }"). Appends after a
 * failed allocation are ignored and remembered in OOM, so a builder checks
 * once, at the end: strbuf_detach() returns NULL then. BUF is NULL until
 * something is appended; strbuf_str() is always a string.
 *
 * Ownership: the buffer is the strbuf's until strbuf_detach() hands it over
 * (free it) or strbuf_release() frees it.
 */
#ifndef EXTDEPS_UTIL_STRBUF_H
#define EXTDEPS_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, alloc;
	bool oom;
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* S as one POSIX shell word: single-quoted, ' written as '\''. */
void strbuf_add_sh_quoted(struct strbuf *sb, const char *s);

/* The same, quoted only when it must be, so that a printed command reads as
 * one would type it. */
void strbuf_add_sh_word(struct strbuf *sb, const char *s);

/* The string so far ("" when nothing was appended). Borrowed. */
const char *strbuf_str(const struct strbuf *sb);

/* Empty SB, keeping its memory (and forgetting a failed allocation). */
void strbuf_reset(struct strbuf *sb);

/* The built string (malloc'd, "" when nothing was appended), or NULL when an
 * allocation failed; SB is left empty either way. */
char *strbuf_detach(struct strbuf *sb);

/* Free SB's buffer; SB is left empty. */
void strbuf_release(struct strbuf *sb);

#endif
