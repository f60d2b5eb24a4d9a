#include "extdeps/render/out.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool want_color(enum out_color_mode mode, bool tty)
{
	const char *nc = getenv("NO_COLOR");

	if (mode == OUT_COLOR_NEVER)
		return false;
	/* NO_COLOR wins over everything but an explicit --color=always */
	if (mode == OUT_COLOR_ALWAYS)
		return true;
	if (nc && *nc)
		return false;
	return tty;
}

static bool is_tty(FILE *f)
{
	int fd = f ? fileno(f) : -1;

	return fd >= 0 && isatty(fd);
}

void out_init(struct out *out, FILE *outf, FILE *errf, enum out_color_mode mode)
{
	memset(out, 0, sizeof *out);
	out->out = outf;
	out->err = errf;
	out->tty = is_tty(outf);
	out->tty_err = is_tty(errf);
	out_set_color(out, mode);
}

void out_set_color(struct out *out, enum out_color_mode mode)
{
	out->color = want_color(mode, out->tty);
	out->color_err = want_color(mode, out->tty_err);
}

/* --- escaping streams --- */

struct esc {
	FILE *to;
	size_t *written;        /* counts the bytes written, or NULL */
	const bool *color;      /* whether colour is on for this stream now */
	unsigned char pend[32]; /* an escape sequence or a UTF-8 lead byte, undecided */
	size_t npend;
	bool failed;
};

static void put_raw(struct esc *e, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, e->to) != n)
		e->failed = true;
}

static void put_escaped(struct esc *e, unsigned c, bool c1)
{
	char buf[8];

	snprintf(buf, sizeof buf, c1 ? "\\u%04x" : "\\x%02x", c);
	put_raw(e, buf, strlen(buf));
}

static const char *const sgr[] = {
	[OUT_BOLD] = "\033[1m",
	[OUT_RED] = "\033[31m",
	[OUT_GREEN] = "\033[32m",
	[OUT_YELLOW] = "\033[33m",
	[OUT_DIM] = "\033[2m",
};
static const char sgr_reset[] = "\033[0m";

/* Whether the sequence pending in E is one out_on() or out_off() gives,
 * while colour is on: only those pass, so that metadata can neither hide
 * text (conceal, black on black) nor colour a script's comment. */
static bool own_sgr(const struct esc *e)
{
	if (!*e->color)
		return false;
	if (e->npend == sizeof sgr_reset - 1 && !memcmp(e->pend, sgr_reset, e->npend))
		return true;
	for (size_t i = 0; i < sizeof sgr / sizeof *sgr; i++)
		if (strlen(sgr[i]) == e->npend && !memcmp(e->pend, sgr[i], e->npend))
			return true;
	return false;
}

/* Whether byte C may continue the SGR sequence in E->pend. */
static bool sgr_byte(const struct esc *e, unsigned char c)
{
	return e->npend == 1 ? c == '[' : (c >= '0' && c <= '9') || c == ';' || c == 'm';
}

/* Give up on what is pending: ESC escaped, the rest as it is. */
static void drop_pending(struct esc *e)
{
	if (!e->npend)
		return;
	if (e->pend[0] == 0x1b) {
		put_escaped(e, 0x1b, false);
		put_raw(e, e->pend + 1, e->npend - 1);
	} else {
		put_raw(e, e->pend, e->npend);
	}
	e->npend = 0;
}

static void esc_byte(struct esc *e, unsigned char c)
{
	if (e->npend && e->pend[0] == 0x1b) {
		if (sgr_byte(e, c) && e->npend < sizeof e->pend) {
			e->pend[e->npend++] = c;
			if (c == 'm') { /* a whole colour sequence */
				if (own_sgr(e)) {
					put_raw(e, e->pend, e->npend);
					e->npend = 0;
				} else {
					drop_pending(e);
				}
			}
			return;
		}
		drop_pending(e);
	} else if (e->npend) { /* after 0xc2: a C1 control is U+0080..U+009F */
		e->npend = 0;
		if (c >= 0x80 && c <= 0x9f) {
			put_escaped(e, c, true);
			return;
		}
		put_raw(e, "\xc2", 1);
	}
	if (c == 0x1b || c == 0xc2) {
		e->pend[e->npend++] = c;
	} else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
		put_escaped(e, c, false);
	} else {
		put_raw(e, &c, 1);
	}
}

static ssize_t esc_write(void *cookie, const char *buf, size_t size)
{
	struct esc *e = cookie;

	if (e->written)
		*e->written += size;
	for (size_t i = 0; i < size; i++)
		esc_byte(e, (unsigned char)buf[i]);
	/* through to the stream below at once: a child the front end runs
	 * (install) writes there too, after a flush */
	if (fflush(e->to))
		e->failed = true;
	return e->failed ? -1 : (ssize_t)size;
}

static int esc_close(void *cookie)
{
	struct esc *e = cookie;
	bool failed;

	drop_pending(e);
	failed = e->failed || fflush(e->to) != 0;
	free(e);
	return failed ? -1 : 0;
}

static FILE *escaping(FILE *to, int mode, size_t *written, const bool *color)
{
	struct esc *e = calloc(1, sizeof *e);
	FILE *f;

	if (!e)
		return NULL;
	e->to = to;
	e->written = written;
	e->color = color;
	f = fopencookie(e, "w", (cookie_io_functions_t){ .write = esc_write, .close = esc_close });
	if (!f) {
		free(e);
		return NULL;
	}
	setvbuf(f, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	return f;
}

bool out_escape(struct out *out)
{
	FILE *o, *e;

	if (out->escaping)
		return true;
	o = escaping(out->out, out->tty ? _IOLBF : _IOFBF, &out->written, &out->color);
	e = escaping(out->err, _IOLBF, NULL, &out->color_err);
	if (!o || !e) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		return false;
	}
	out->below = out->out;
	out->below_err = out->err;
	out->out = o;
	out->err = e;
	out->escaping = true;
	return true;
}

int out_close(struct out *out)
{
	int rc = 0;

	if (!out->escaping)
		return 0;
	if (fclose(out->out))
		rc = -1;
	fclose(out->err);
	out->out = out->below;
	out->err = out->below_err;
	out->escaping = false;
	return rc;
}

int out_color_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return OUT_COLOR_AUTO;
	if (!strcmp(s, "always"))
		return OUT_COLOR_ALWAYS;
	if (!strcmp(s, "never"))
		return OUT_COLOR_NEVER;
	return -1;
}

bool out_wrote(struct out *out)
{
	fflush(out->out);
	return out->written > 0;
}

void out_diag(const struct out *out, const struct ed_diag *d)
{
	if (out->errors)
		ed_diags_add(out->errors, d);
	ed_diag_print(d, out->err);
}

void out_diags(const struct out *out, const struct ed_diags *l)
{
	for (size_t i = 0; i < l->n; i++)
		out_diag(out, &l->v[i]);
	if (!l->more)
		return;
	if (out->errors)
		out->errors->more += l->more;
	fprintf(out->err, "extdeps: error: %zu more error%s not shown\n", l->more,
		l->more == 1 ? "" : "s");
}

__attribute__((format(printf, 3, 0)))
static void vmessage(const struct out *out, const char *level, const char *fmt, va_list ap)
{
	fprintf(out->err, "extdeps: %s: ", level);
	vfprintf(out->err, fmt, ap);
	fputc('\n', out->err);
}

void out_warn(const struct out *out, const char *fmt, ...)
{
	va_list ap;

	if (out->verbosity < 0)
		return;
	va_start(ap, fmt);
	vmessage(out, "warning", fmt, ap);
	va_end(ap);
}

void out_error(const struct out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (out->errors) {
		struct ed_diag d;
		va_list copy;

		ed_diag_clear(&d);
		va_copy(copy, ap);
		vsnprintf(d.msg, sizeof d.msg, fmt, copy);
		va_end(copy);
		ed_diags_add(out->errors, &d);
	}
	vmessage(out, "error", fmt, ap);
	va_end(ap);
}

const char *out_on(const struct out *out, enum out_paint paint)
{
	return out->color ? sgr[paint] : "";
}

const char *out_off(const struct out *out)
{
	return out->color ? sgr_reset : "";
}
