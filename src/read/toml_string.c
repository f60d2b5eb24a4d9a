/* toml_string.c - TOML strings: basic and literal, on one line or several,
 * decoded into the parser's scratch buffer and then copied to the arena.
 */
#include <string.h>

#include "extdeps/util/util.h"
#include "toml_int.h"

static int scratch_put(struct parser *p, const void *data, size_t n)
{
	strbuf_add(&p->scratch, data, n);
	return p->scratch.oom ? tp_fail_oom(p) : 0;
}

static int scratch_utf8(struct parser *p, unsigned long cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return scratch_put(p, b, n);
}

/* An escape sequence at the backslash under the cursor (not the
 * line-ending backslash of multi-line strings, handled by the caller). */
static int parse_escape(struct parser *p)
{
	struct toml_pos at = here(p);
	int c = peek_at(p, 1);
	char buf[16];
	unsigned long cp = 0;
	int digits;

	switch (c) {
	case 'b': cp = '\b'; break;
	case 't': cp = '\t'; break;
	case 'n': cp = '\n'; break;
	case 'f': cp = '\f'; break;
	case 'r': cp = '\r'; break;
	case '"': cp = '"'; break;
	case '\\': cp = '\\'; break;
	case 'u':
	case 'U':
		digits = c == 'u' ? 4 : 8;
		for (int i = 0; i < digits; i++) {
			int d = util_hex_value(peek_at(p, 2 + (size_t)i));
			if (d < 0)
				return tp_fail_at(p, at.line, at.col,
						  "expected %d hexadecimal digits after '\\%c'",
						  digits, c);
			cp = cp << 4 | (unsigned long)d;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return tp_fail_at(p, at.line, at.col,
					  "escape '\\%c%.*s' is not a Unicode scalar value",
					  c, digits, (const char *)p->s + p->pos + 2);
		advance_n(p, 2 + (size_t)digits);
		return scratch_utf8(p, cp);
	default:
		if (c < 0)
			return tp_fail_at(p, at.line, at.col, "unterminated string");
		if (c == '\n' || c == '\r')
			return tp_fail_at(p, at.line, at.col,
					  "invalid escape: '\\' at the end of a line is allowed "
					  "only in multi-line basic strings");
		if (c == '\t')
			return tp_fail_at(p, at.line, at.col,
					  "invalid escape '\\<tab>' in string");
		size_t n = 1;
		while (n < 4 && (peek_at(p, 1 + n) & 0xC0) == 0x80)
			n++;
		memcpy(buf, p->s + p->pos + 1, n);
		buf[n] = '\0';
		return tp_fail_at(p, at.line, at.col, "invalid escape '\\%s' in string", buf);
	}
	advance_n(p, 2);
	return scratch_utf8(p, cp);
}

/* Copy one UTF-8 character (already validated) to the scratch buffer. */
static int copy_char(struct parser *p)
{
	size_t n = 1;
	while (p->pos + n < p->len && (p->s[p->pos + n] & 0xC0) == 0x80)
		n++;
	if (scratch_put(p, p->s + p->pos, n) < 0)
		return -1;
	advance_n(p, n);
	return 0;
}

/* In a multi-line basic string, a backslash that ends a line (trailing
 * whitespace allowed) trims the newline and the whitespace after it: true
 * when the backslash under the cursor was one and has been skipped. */
static bool skip_line_ending_backslash(struct parser *p)
{
	size_t k = 1;

	while (peek_at(p, k) == ' ' || peek_at(p, k) == '\t')
		k++;
	int nc = peek_at(p, k);
	if (nc != '\n' && !(nc == '\r' && peek_at(p, k + 1) == '\n'))
		return false;
	advance_n(p, k);
	while (peek(p) == ' ' || peek(p) == '\t' || at_newline(p)) {
		if (at_newline(p))
			skip_newline(p);
		else
			advance(p);
	}
	return true;
}

/* The closing quotes Q of a multi-line string at the cursor: up to two
 * quotes may sit just before the closing three and belong to the string. */
static int close_multiline(struct parser *p, int q)
{
	size_t run = 3;

	while (peek_at(p, run) == q)
		run++;
	if (run > 5) {
		advance_n(p, 5);
		return tp_fail(p, "too many quotes at the end of a multi-line string");
	}
	if (scratch_put(p, p->s + p->pos, run - 3) < 0)
		return -1;
	advance_n(p, run);
	return 0;
}

/* The body of a multi-line string quoted with Q, opened at START, after
 * the opening quotes and up to the closing ones. */
static int scan_multiline(struct parser *p, int q, struct toml_pos start)
{
	bool literal = q == '\'';

	/* a newline right after the opening delimiter is trimmed */
	if (at_newline(p))
		skip_newline(p);
	for (;;) {
		if (at_end(p))
			return tp_fail_at(p, start.line, start.col,
					  "unterminated multi-line string");
		int c = peek(p), rc;
		if (c == q && peek_at(p, 1) == q && peek_at(p, 2) == q)
			return close_multiline(p, q);
		if (at_newline(p)) {
			/* CRLF is kept as LF */
			skip_newline(p);
			rc = scratch_put(p, "\n", 1);
		} else if (!literal && c == '\\') {
			rc = skip_line_ending_backslash(p) ? 0 : parse_escape(p);
		} else {
			rc = copy_char(p);
		}
		if (rc < 0)
			return -1;
	}
}

/* The body of a one-line string quoted with Q, opened at START, after the
 * opening quote and up to the closing one. */
static int scan_one_line(struct parser *p, int q, struct toml_pos start)
{
	bool literal = q == '\'';

	for (;;) {
		if (at_end(p) || at_newline(p))
			return tp_fail_at(p, start.line, start.col, "unterminated string");
		int c = peek(p);
		if (c == q) {
			advance(p);
			return 0;
		}
		if ((!literal && c == '\\' ? parse_escape(p) : copy_char(p)) < 0)
			return -1;
	}
}

int tp_parse_string(struct parser *p, bool allow_multi, const char **out, size_t *outlen)
{
	struct toml_pos start = here(p);
	int q = peek(p), rc;

	strbuf_reset(&p->scratch);
	if (peek_at(p, 1) == q && peek_at(p, 2) == q) {
		if (!allow_multi)
			return tp_fail(p, "a multi-line string cannot be a key");
		advance_n(p, 3);
		rc = scan_multiline(p, q, start);
	} else {
		advance(p);
		rc = scan_one_line(p, q, start);
	}
	if (rc < 0)
		return -1;
	char *s = tp_arena_strdup(p->doc, strbuf_str(&p->scratch), p->scratch.len);
	if (!s)
		return tp_fail_oom(p);
	*out = s;
	*outlen = p->scratch.len;
	return 0;
}
