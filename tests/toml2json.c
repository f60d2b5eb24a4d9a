/* toml2json - the TOML decoder test protocol: TOML on stdin; when valid,
 * the tagged JSON encoding on stdout and exit 0; when invalid, the message
 * on stderr and exit 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/json.h"
#include "extdeps/toml.h"

static void put_value(const struct toml_value *v);

static void put_tagged(const char *type, const char *value)
{
	fputs("{\"type\":", stdout);
	json_write_string(stdout, type, strlen(type));
	fputs(",\"value\":", stdout);
	json_write_string(stdout, value, strlen(value));
	fputc('}', stdout);
}

static void put_table(const struct toml_table *t)
{
	fputc('{', stdout);
	for (size_t i = 0; i < t->count; i++) {
		if (i)
			fputc(',', stdout);
		json_write_string(stdout, t->items[i].key, t->items[i].keylen);
		fputc(':', stdout);
		put_value(&t->items[i].value);
	}
	fputc('}', stdout);
}

static void put_datetime(const struct toml_value *v)
{
	const struct toml_datetime *dt = &v->u.dt;
	char buf[96];
	size_t n = 0;
	static const char *const types[] = {
		[TOML_DATETIME] = "datetime",
		[TOML_DATETIME_LOCAL] = "datetime-local",
		[TOML_DATE_LOCAL] = "date-local",
		[TOML_TIME_LOCAL] = "time-local",
	};

	if (v->type != TOML_TIME_LOCAL)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%04d-%02d-%02d", dt->year, dt->month,
				      dt->day);
	if (v->type == TOML_DATETIME || v->type == TOML_DATETIME_LOCAL)
		buf[n++] = 'T';
	if (v->type != TOML_DATE_LOCAL) {
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%02d:%02d:%02d", dt->hour, dt->minute,
				      dt->second);
		if (dt->frac[0])
			n += (size_t)snprintf(buf + n, sizeof buf - n, ".%s", dt->frac);
	}
	if (v->type == TOML_DATETIME) {
		if (dt->offset_z)
			snprintf(buf + n, sizeof buf - n, "Z");
		else
			snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", dt->offset_minutes < 0 ? '-' : '+',
				 abs(dt->offset_minutes) / 60, abs(dt->offset_minutes) % 60);
	}
	buf[sizeof buf - 1] = '\0';
	put_tagged(types[v->type], buf);
}

static void put_value(const struct toml_value *v)
{
	char buf[64];

	switch (v->type) {
	case TOML_STRING:
		fputs("{\"type\":\"string\",\"value\":", stdout);
		json_write_string(stdout, v->u.str.ptr, v->u.str.len);
		fputc('}', stdout);
		break;
	case TOML_INTEGER:
		snprintf(buf, sizeof buf, "%lld", (long long)v->u.integer);
		put_tagged("integer", buf);
		break;
	case TOML_FLOAT:
		if (isnan(v->u.fp))
			snprintf(buf, sizeof buf, "nan");
		else if (isinf(v->u.fp))
			snprintf(buf, sizeof buf, "%sinf", v->u.fp < 0 ? "-" : "");
		else
			snprintf(buf, sizeof buf, "%.17g", v->u.fp);
		put_tagged("float", buf);
		break;
	case TOML_BOOL:
		put_tagged("bool", v->u.boolean ? "true" : "false");
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		put_datetime(v);
		break;
	case TOML_ARRAY:
		fputc('[', stdout);
		for (size_t i = 0; i < v->u.array->count; i++) {
			if (i)
				fputc(',', stdout);
			put_value(&v->u.array->items[i]);
		}
		fputc(']', stdout);
		break;
	case TOML_TABLE:
		put_table(v->u.table);
		break;
	}
}

int main(void)
{
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	struct ed_diag d;
	struct toml_doc *doc;

	do {
		if (len + 65536 > cap) {
			cap = (len + 65536) * 2;
			if (!(text = realloc(text, cap))) {
				perror("toml2json");
				return 2;
			}
		}
		got = fread(text + len, 1, cap - len, stdin);
		len += got;
	} while (got);
	ed_diag_clear(&d);
	doc = toml_parse(text, len, "<stdin>", &d);
	if (!doc) {
		ed_diag_print(&d, stderr);
		free(text);
		return 1;
	}
	put_table(toml_doc_root(doc));
	fputc('\n', stdout);
	toml_doc_free(doc);
	free(text);
	return 0;
}
