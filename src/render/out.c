#include "extdeps/render/out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool want_color(enum out_color_mode mode, FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (mode == OUT_COLOR_NEVER)
		return false;
	/* NO_COLOR wins over everything but an explicit --color=always */
	if (mode == OUT_COLOR_ALWAYS)
		return true;
	if (nc && *nc)
		return false;
	return f && isatty(fileno(f));
}

void out_init(struct out *out, FILE *outf, FILE *errf, enum out_color_mode mode)
{
	memset(out, 0, sizeof *out);
	out->out = outf;
	out->err = errf;
	out->color = want_color(mode, outf);
	out->color_err = want_color(mode, errf);
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

void out_diag(const struct out *out, const struct ed_diag *d)
{
	ed_diag_print(d, out->err);
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
	vmessage(out, "error", fmt, ap);
	va_end(ap);
}

static const char *const sgr[] = {
	[OUT_BOLD] = "\033[1m",
	[OUT_RED] = "\033[31m",
	[OUT_GREEN] = "\033[32m",
	[OUT_YELLOW] = "\033[33m",
	[OUT_DIM] = "\033[2m",
};

const char *out_on(const struct out *out, enum out_paint paint)
{
	return out->color ? sgr[paint] : "";
}

const char *out_off(const struct out *out)
{
	return out->color ? "\033[0m" : "";
}
