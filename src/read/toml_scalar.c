/* toml_scalar.c - TOML's bare scalars: integers (decimal, 0x, 0o, 0b),
 * floats (with inf and nan) and the four kinds of date-time, read from one
 * token of the characters these can contain.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/util.h"
#include "toml_int.h"

/* Fractional-second digits kept; the spec lets us truncate extra precision. */
#define FRAC_MAX ((int)sizeof(((struct toml_datetime *)0)->frac) - 1)

static bool token_char(int c)
{
	return is_bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

/* Digits of BASE with single underscores between them, from TOK[*I]; the
 * value goes to *OUT (saturated flag in *OVER). */
static bool scan_digits(const char *tok, size_t len, size_t *i, int base, uint64_t limit,
			uint64_t *out, bool *over)
{
	uint64_t v = 0;
	size_t start = *i;
	bool prev_digit = false;

	for (; *i < len; (*i)++) {
		int c = (unsigned char)tok[*i], d;
		if (c == '_') {
			if (!prev_digit || *i + 1 >= len ||
			    util_hex_value((unsigned char)tok[*i + 1]) < 0 ||
			    util_hex_value((unsigned char)tok[*i + 1]) >= base)
				return false;
			prev_digit = false;
			continue;
		}
		d = util_hex_value(c);
		if (d < 0 || d >= base)
			break;
		if (v > (limit - (uint64_t)d) / (uint64_t)base)
			*over = true;
		else
			v = v * (uint64_t)base + (uint64_t)d;
		prev_digit = true;
	}
	*out = v;
	return *i > start;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* N decimal digits at TOK[I]; -1 when not all digits. */
static int fixed_digits(const char *tok, size_t len, size_t i, int n)
{
	int v = 0;
	if (len < i + (size_t)n)
		return -1;
	for (int k = 0; k < n; k++) {
		if (!is_digit((unsigned char)tok[i + (size_t)k]))
			return -1;
		v = v * 10 + tok[i + (size_t)k] - '0';
	}
	return v;
}

/* HH:MM:SS[.frac] at TOK[*I]. */
static const char *scan_time(const char *tok, size_t len, size_t *i, struct toml_datetime *dt)
{
	int h = fixed_digits(tok, len, *i, 2), m, s;

	if (h < 0 || len < *i + 3 || tok[*i + 2] != ':')
		return "expected a time as HH:MM:SS";
	m = fixed_digits(tok, len, *i + 3, 2);
	if (m < 0 || len < *i + 6 || tok[*i + 5] != ':')
		return "expected a time as HH:MM:SS (seconds are required)";
	s = fixed_digits(tok, len, *i + 6, 2);
	if (s < 0)
		return "expected a time as HH:MM:SS (seconds are required)";
	if (h > 23)
		return "hour out of range (00-23)";
	if (m > 59)
		return "minute out of range (00-59)";
	/* 60 is a leap second, as RFC 3339 allows */
	if (s > 60)
		return "second out of range (00-60)";
	dt->hour = h;
	dt->minute = m;
	dt->second = s;
	*i += 8;
	if (*i < len && tok[*i] == '.') {
		size_t start = ++*i;
		while (*i < len && is_digit((unsigned char)tok[*i])) {
			if (*i - start < (size_t)FRAC_MAX)
				dt->frac[*i - start] = tok[*i];
			(*i)++;
		}
		if (*i == start)
			return "expected digits after '.' in a time";
	}
	return NULL;
}

/* YYYY-MM-DD at the start of TOK. */
static const char *scan_date(const char *tok, size_t len, struct toml_datetime *dt)
{
	int y = fixed_digits(tok, len, 0, 4);
	int mo = len >= 7 && tok[4] == '-' ? fixed_digits(tok, len, 5, 2) : -1;
	int d = len >= 10 && mo >= 0 && tok[7] == '-' ? fixed_digits(tok, len, 8, 2) : -1;

	if (y < 0 || mo < 0 || d < 0)
		return "expected a date as YYYY-MM-DD";
	if (mo < 1 || mo > 12)
		return "month out of range (01-12)";
	if (d < 1 || d > days_in_month(y, mo))
		return "day out of range for the month";
	dt->year = y;
	dt->month = mo;
	dt->day = d;
	return NULL;
}

/* The UTC offset, if any, at TOK[*I] after a date and time: Z, +HH:MM or
 * -HH:MM, which make V an offset date-time. */
static const char *scan_offset(const char *tok, size_t len, size_t *i, struct toml_value *v)
{
	size_t k = *i;

	if (k < len && (tok[k] == 'Z' || tok[k] == 'z')) {
		v->type = TOML_DATETIME;
		v->u.dt.offset_z = true;
		*i = k + 1;
	} else if (k < len && (tok[k] == '+' || tok[k] == '-')) {
		int oh = fixed_digits(tok, len, k + 1, 2);
		int om = len > k + 3 && tok[k + 3] == ':' ? fixed_digits(tok, len, k + 4, 2) : -1;
		if (oh < 0 || om < 0)
			return "expected a UTC offset as +HH:MM or -HH:MM";
		if (oh > 23 || om > 59)
			return "UTC offset out of range";
		v->u.dt.offset_minutes = (oh * 60 + om) * (tok[k] == '-' ? -1 : 1);
		v->type = TOML_DATETIME;
		*i = k + 6;
	}
	return NULL;
}

/* The date-time token TOK (LEN bytes) into V: NULL, or what is wrong. */
static const char *scan_datetime(const char *tok, size_t len, struct toml_value *v)
{
	const char *err;
	size_t i = 0;

	if (len >= 3 && tok[2] == ':') {
		v->type = TOML_TIME_LOCAL;
		err = scan_time(tok, len, &i, &v->u.dt);
	} else {
		if ((err = scan_date(tok, len, &v->u.dt)))
			return err;
		v->type = TOML_DATE_LOCAL;
		i = 10;
		if (i == len)
			return NULL;
		if (tok[i] != 'T' && tok[i] != 't' && tok[i] != ' ')
			return "expected 'T' or a space between date and time";
		i++;
		v->type = TOML_DATETIME_LOCAL;
		if (!(err = scan_time(tok, len, &i, &v->u.dt)))
			err = scan_offset(tok, len, &i, v);
	}
	if (!err && i != len)
		err = "unexpected characters after the date-time";
	return err;
}

static int parse_datetime(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			  struct toml_value *v)
{
	const char *err;
	char shown[96];

	memset(&v->u.dt, 0, sizeof v->u.dt);
	if (!(err = scan_datetime(tok, len, v)))
		return 0;
	return tp_fail_at(p, at.line, at.col, "invalid date-time '%s': %s",
			  tp_quote_text(shown, sizeof shown, tok, len), err);
}

/* Float text with underscores gone, to strtod in the C locale's format. */
static int convert_float(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			 double *out)
{
	char *buf = tp_arena_alloc(p->doc, len + 8);
	const char *dp = localeconv()->decimal_point;
	size_t o = 0, dplen = dp && *dp ? strlen(dp) : 1;
	char shown[96];

	if (!buf || dplen > 4)
		return tp_fail_oom(p);
	for (size_t i = 0; i < len; i++) {
		if (tok[i] == '_')
			continue;
		/* strtod follows LC_NUMERIC: write its decimal point */
		if (tok[i] == '.') {
			memcpy(buf + o, dp && *dp ? dp : ".", dplen);
			o += dplen;
			continue;
		}
		buf[o++] = tok[i];
	}
	buf[o] = '\0';
	errno = 0;
	char *end;
	double d = strtod(buf, &end);
	if (*end)
		return tp_fail_at(p, at.line, at.col, "invalid float '%s'",
				  tp_quote_text(shown, sizeof shown, tok, len));
	if (errno == ERANGE && (d > 1 || d < -1))
		return tp_fail_at(p, at.line, at.col, "float '%s' is out of range",
				  tp_quote_text(shown, sizeof shown, tok, len));
	*out = d;
	return 0;
}

/* A number token being read: its text, where it starts, and the text as
 * messages quote it. */
struct number {
	const char *tok;
	size_t len;
	struct toml_pos at;
	char shown[96];
};

/* 0x, 0o and 0b integers, whose prefix is at TOK[I]: I is 1 when a sign,
 * which they may not have, came first. */
static int parse_prefixed_int(struct parser *p, const struct number *num, size_t i,
			      struct toml_value *v)
{
	const char *tok = num->tok;
	int base = tok[i + 1] == 'x' ? 16 : tok[i + 1] == 'o' ? 8 : 2;
	const char *name = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
	bool over = false;
	uint64_t mag;

	if (i > 0)
		return tp_fail_at(p, num->at.line, num->at.col,
				  "%s integer '%s' cannot have a sign", name, num->shown);
	i += 2;
	if (!scan_digits(tok, num->len, &i, base, INT64_MAX, &mag, &over) || i != num->len)
		return tp_fail_at(p, num->at.line, num->at.col, "invalid %s integer '%s'", name,
				  num->shown);
	if (over)
		return tp_fail_at(p, num->at.line, num->at.col,
				  "integer '%s' is out of range (64-bit)", num->shown);
	v->type = TOML_INTEGER;
	v->u.integer = (int64_t)mag;
	return 0;
}

/* The digits of a fraction or an exponent at TOK[*I]: NULL, or what is
 * wrong with them (MISSING when there are none). */
static const char *scan_float_digits(const char *tok, size_t len, size_t *i, const char *missing)
{
	uint64_t ignored;
	bool over = false;

	if (*i >= len || !is_digit((unsigned char)tok[*i]))
		return missing;
	if (!scan_digits(tok, len, i, 10, UINT64_MAX, &ignored, &over))
		return "'_' must be between digits";
	return NULL;
}

/* A decimal integer or float whose digits start at TOK[I], after the sign
 * (NEG for '-'). */
static int parse_decimal(struct parser *p, const struct number *num, size_t i, bool neg,
			 struct toml_value *v)
{
	const char *tok = num->tok, *err = NULL;
	size_t len = num->len, int_start = i;
	uint64_t mag, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	bool over = false;

	if (i >= len || !is_digit((unsigned char)tok[i]))
		return tp_fail_at(p, num->at.line, num->at.col,
				  tok[i < len ? i : 0] == '.'
				       ? "invalid float '%s': expected a digit before '.'"
				       : "invalid number '%s'",
			       num->shown);
	if (!scan_digits(tok, len, &i, 10, limit, &mag, &over))
		return tp_fail_at(p, num->at.line, num->at.col,
				  "invalid number '%s': '_' must be between digits", num->shown);
	if (tok[int_start] == '0' && i - int_start > 1)
		return tp_fail_at(p, num->at.line, num->at.col,
				  "leading zeros are not allowed in '%s'", num->shown);
	if (i == len) {
		if (over)
			return tp_fail_at(p, num->at.line, num->at.col,
					  "integer '%s' is out of range (64-bit)", num->shown);
		v->type = TOML_INTEGER;
		v->u.integer = neg ? (int64_t)(0 - mag) : (int64_t)mag;
		if (neg && mag == (uint64_t)INT64_MAX + 1)
			v->u.integer = INT64_MIN;
		return 0;
	}
	if (tok[i] == '.') {
		i++;
		err = scan_float_digits(tok, len, &i, "expected a digit after '.'");
	}
	if (!err && i < len && (tok[i] == 'e' || tok[i] == 'E')) {
		i++;
		if (i < len && (tok[i] == '+' || tok[i] == '-'))
			i++;
		/* exponents may have leading zeros */
		err = scan_float_digits(tok, len, &i, "expected a digit in the exponent");
	}
	if (err)
		return tp_fail_at(p, num->at.line, num->at.col, "invalid float '%s': %s",
				  num->shown, err);
	if (i != len)
		return tp_fail_at(p, num->at.line, num->at.col,
				  tok[i] == '_' ? "invalid number '%s': '_' must be between digits"
					     : "invalid number '%s'",
			       num->shown);
	v->type = TOML_FLOAT;
	return convert_float(p, tok, len, num->at, &v->u.fp);
}

static int parse_number(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			struct toml_value *v)
{
	struct number num = { tok, len, at, "" };
	size_t i = 0;
	bool neg = false;

	tp_quote_text(num.shown, sizeof num.shown, tok, len);
	if (tok[0] == '+' || tok[0] == '-') {
		neg = tok[0] == '-';
		i = 1;
	}
	if (len - i == 3 && (!memcmp(tok + i, "inf", 3) || !memcmp(tok + i, "nan", 3))) {
		v->type = TOML_FLOAT;
		v->u.fp = tok[i] == 'i' ? (double)INFINITY : (double)NAN;
		if (neg)
			v->u.fp = -v->u.fp;
		return 0;
	}
	if (i + 1 < len && tok[i] == '0' && strchr("xob", tok[i + 1]))
		return parse_prefixed_int(p, &num, i, v);
	return parse_decimal(p, &num, i, neg, v);
}

/* The token runs over the characters a number or a date-time can contain
 * (and a space between date and time). */
int tp_parse_scalar_token(struct parser *p, struct toml_value *v)
{
	size_t start = p->pos;

	while (token_char(peek(p)))
		advance(p);
	/* "1979-05-27 07:32:00": a space may separate date and time */
	if (p->pos - start == 10 && p->s[start + 4] == '-' && peek(p) == ' ' &&
	    is_digit(peek_at(p, 1)) && is_digit(peek_at(p, 2)) && peek_at(p, 3) == ':') {
		advance(p);
		while (token_char(peek(p)))
			advance(p);
	}
	const char *tok = (const char *)p->s + start;
	size_t len = p->pos - start;
	bool date_like = (len >= 5 && tok[4] == '-' && is_digit((unsigned char)tok[0])) ||
			 (len >= 3 && tok[2] == ':' && is_digit((unsigned char)tok[0]));
	if (date_like)
		return parse_datetime(p, tok, len, v->pos, v);
	return parse_number(p, tok, len, v->pos, v);
}
