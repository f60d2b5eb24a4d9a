/* toml_error.c - the TOML reader's errors: the first one with its line and
 * column, text quoted in messages, and the check of the whole text that
 * rejects bad bytes before parsing begins.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "toml_int.h"

int tp_fail_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	char msg[ED_DIAG_MSG_MAX];
	va_list ap;

	struct ed_diag d;

	/* the first error is the one that explains the statement */
	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ed_diag_set(&d, ED_EXIT_INPUT, p->file, line, col, "%s", msg);
	if (p->nerrors++ == 0 && p->diag)
		*p->diag = d;
	if (p->all)
		ed_diags_add(p->all, &d);
	return -1;
}

int tp_fail_oom(struct parser *p)
{
	if (!p->failed) {
		p->failed = true;
		p->oom = true;
		p->nerrors++;
		ed_diag_oom(p->diag);
	}
	return -1;
}

const char *tp_quote_text(char *buf, size_t size, const char *text, size_t len)
{
	size_t o = 0;
	size_t limit = size - 8; /* room for an escape or "..." and the NUL */

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (o >= limit) {
			/* cut on a character boundary */
			while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
				o--;
			if (o > 0 && (unsigned char)buf[o - 1] >= 0xC0)
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7F) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

const char *tp_describe_here(const struct parser *p, char *buf, size_t size)
{
	if (p->pos >= p->len)
		return "end of file";
	unsigned char c = p->s[p->pos];
	if (c == '\n')
		return "end of line";
	if (c == '\r')
		return "end of line";
	if (c == '\t')
		return "a tab";
	if (c < 0x20 || c == 0x7F) {
		snprintf(buf, size, "control character U+%04X", c);
		return buf;
	}
	size_t n = 1;
	while (p->pos + n < p->len && n < 4 && (p->s[p->pos + n] & 0xC0) == 0x80)
		n++;
	buf[0] = '\'';
	memcpy(buf + 1, p->s + p->pos, n);
	buf[n + 1] = '\'';
	buf[n + 2] = '\0';
	return buf;
}

/* TOML 1.0 allows no control character but tab anywhere, not even in
 * comments, so one pass before parsing finds them all. */
int tp_check_text(struct parser *p)
{
	const unsigned char *s = p->s;
	size_t len = p->len, i = p->pos;
	int line = 1, col = 1;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			if (c == '\n') {
				line++;
				col = 1;
				i++;
				continue;
			}
			if (c == '\r' && !(i + 1 < len && s[i + 1] == '\n'))
				return tp_fail_at(p, line, col,
						  "carriage return not followed by a line feed");
			if (c == 0)
				return tp_fail_at(p, line, col, "NUL byte is not allowed");
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
				return tp_fail_at(p, line, col,
						  "control character U+%04X is not allowed "
						  "(write it as an escape in a basic string)",
						  c);
			i++;
			col++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return tp_fail_at(p, line, col, "invalid UTF-8 byte 0x%02X", c);
		}
		if (len - i < n)
			return tp_fail_at(p, line, col, "truncated UTF-8 sequence at end of file");
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return tp_fail_at(p, line, col, "invalid UTF-8 sequence");
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return tp_fail_at(p, line, col, "overlong or out-of-range UTF-8 sequence");
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return tp_fail_at(p, line, col,
					  "UTF-8 encoded surrogate U+%04X is not allowed", cp);
		i += n;
		col++;
	}
	return 0;
}
