#include "extdeps/util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ed_diag_clear(struct ed_diag *d)
{
	if (d)
		memset(d, 0, sizeof *d);
}

int ed_diag_set(struct ed_diag *d, enum ed_exit status, const char *file, int line,
		int col, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return status;
	d->status = status;
	snprintf(d->file, sizeof d->file, "%s", file ? file : "");
	d->line = line;
	d->col = col;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return status;
}

void ed_diags_add(struct ed_diags *l, const struct ed_diag *d)
{
	if (!l->v)
		l->v = malloc(ED_DIAGS_MAX * sizeof *l->v);
	if (!l->v || l->n == ED_DIAGS_MAX) {
		l->more++;
		return;
	}
	l->v[l->n++] = *d;
}

bool ed_diags_has(const struct ed_diags *l, const struct ed_diag *d)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].status == d->status && l->v[i].line == d->line &&
		    l->v[i].col == d->col && !strcmp(l->v[i].file, d->file) &&
		    !strcmp(l->v[i].msg, d->msg))
			return true;
	return false;
}

size_t ed_diags_count(const struct ed_diags *l)
{
	return l->n + l->more;
}

void ed_diags_fini(struct ed_diags *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

int ed_diag_oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

void ed_diag_print(const struct ed_diag *d, FILE *err)
{
	fputs("extdeps: error: ", err);
	if (d->file[0]) {
		fputs(d->file, err);
		if (d->line > 0) {
			fprintf(err, ":%d", d->line);
			if (d->col > 0)
				fprintf(err, ":%d", d->col);
		}
		fputs(": ", err);
	}
	fprintf(err, "%s\n", d->msg);
}

int ed_parse_err_set(struct ed_parse_err *e, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->offset = offset;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void ed_text_linecol(const char *text, size_t len, size_t offset, int *line, int *col)
{
	int l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			/* count characters, not UTF-8 continuation bytes */
			c++;
		}
	}
	*line = l;
	*col = c;
}
