/* out.h - the one output object every command writes through.
 *
 * Commands print results to out->out and messages to out->err; tests point
 * both at memory. Colour is decided once, from --color, NO_COLOR and whether
 * the stream is a terminal.
 */
#ifndef EXTDEPS_OUT_H
#define EXTDEPS_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "extdeps/util/diag.h"

enum out_color_mode { OUT_COLOR_AUTO, OUT_COLOR_ALWAYS, OUT_COLOR_NEVER };

struct out {
	FILE *out;
	FILE *err;
	int verbosity; /* -1 quiet, 0 normal, 1+ verbose */
	bool color;    /* colour escapes on out->out */
	bool color_err;
	bool tty, tty_err;  /* whether OUT and ERR went to terminals (out_init) */
	bool escaping;      /* OUT and ERR are out_escape's streams */
	FILE *below, *below_err; /* then, the streams they write to */
	size_t written;     /* then, the bytes written to OUT */
	/* When set, every error out_diag, out_diags and out_error print is kept
	 * there too, for reports of the errors in the format asked for. */
	struct ed_diags *errors;
};

/* Set OUT to write to OUTF/ERRF, deciding colour from MODE, $NO_COLOR (any
 * non-empty value disables it) and isatty(). */
void out_init(struct out *out, FILE *outf, FILE *errf, enum out_color_mode mode);

/* Decide colour anew from MODE, for the streams out_init was given. */
void out_set_color(struct out *out, enum out_color_mode mode);

/* From now on write OUT's two streams through streams that escape control
 * characters (as \xNN; C1 controls as \u00NN): metadata and paths must
 * never drive the terminal, nor end a line of a shell script's comment
 * early. Newlines and tabs pass, and so do the sequences out_on() and
 * out_off() give while that stream's colour is on (a colour the data
 * holds is escaped: it could hide text). Written through to the streams on each flush; OUT->err is
 * line-buffered, OUT->out as the stream it wraps. False when out of
 * memory (the streams are then left as they were). */
bool out_escape(struct out *out);

/* Flush and close what out_escape made (the streams under them stay open);
 * non-zero when writing failed. Nothing else when OUT does not escape. */
int out_close(struct out *out);

/* Parse "auto"|"always"|"never"; -1 when none. */
int out_color_parse(const char *s);

/* Print an error diagnostic (see diag.h) to out->err. */
void out_diag(const struct out *out, const struct ed_diag *d);

/* Print every error of L, and how many more there were. */
void out_diags(const struct out *out, const struct ed_diags *l);

/* Whether anything was written to OUT's out stream (through out_escape's
 * stream; false when OUT does not escape). Flushes it. */
bool out_wrote(struct out *out);

/* Print "extdeps: warning: ..." / "extdeps: error: ..." to out->err. */
void out_warn(const struct out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_error(const struct out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* SGR colour names for out_paint(). */
enum out_paint { OUT_BOLD, OUT_RED, OUT_GREEN, OUT_YELLOW, OUT_DIM };

/* The escape sequence that starts PAINT, or "" when colour is off; and the
 * reset sequence. For use as printf arguments. */
const char *out_on(const struct out *out, enum out_paint paint);
const char *out_off(const struct out *out);

#endif
