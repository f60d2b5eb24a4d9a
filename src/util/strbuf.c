/* strbuf.c - a growing NUL-terminated string. */
#include "extdeps/util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/util.h"

/* Room for LEN more bytes and the NUL; false (and OOM set) when none. */
static bool reserve(struct strbuf *sb, size_t len)
{
	if (sb->oom)
		return false;
	if (len > SIZE_MAX / 2 - sb->len || !ALLOC_GROW(sb->buf, sb->len + len + 1, sb->alloc)) {
		sb->oom = true;
		return false;
	}
	return true;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!reserve(sb, len))
		return;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_add_sh_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s; s++)
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	strbuf_addch(sb, '\'');
}

void strbuf_add_sh_word(struct strbuf *sb, const char *s)
{
	if (util_sh_plain(s))
		strbuf_addstr(sb, s);
	else
		strbuf_add_sh_quoted(sb, s);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || !reserve(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->oom = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = sb->oom ? NULL : sb->buf ? sb->buf : calloc(1, 1);

	if (sb->oom)
		free(sb->buf);
	memset(sb, 0, sizeof *sb);
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof *sb);
}
