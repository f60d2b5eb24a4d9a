/* toml2json - the TOML decoder test protocol (toml-lang/toml-test): TOML on
 * stdin; when valid, the tagged JSON encoding on stdout and exit 0; when
 * invalid, the message on stderr and exit 1.
 *
 * Tables are JSON objects, arrays JSON arrays, and every scalar is
 * {"type": "...", "value": "..."} with the value as a string. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/read/toml.h"
#include "extdeps/util/json.h"

static void put_tagged(FILE *f, const char *type, const char *value)
{
	fprintf(f, "{\"type\":\"%s\",\"value\":", type);
	json_write_string(f, value, strlen(value));
	fputc('}', f);
}

/* The shortest %g form that reads back as the same double. */
static void format_float(char *buf, size_t size, double d)
{
	if (isnan(d)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, size, "%sinf", d < 0 ? "-" : "");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* keep it a float to the eye: 1 -> 1.0 */
	if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 < size)
		strcat(buf, ".0");
}

static void put_datetime(FILE *f, const struct toml_value *v)
{
	const struct toml_datetime *dt = &v->u.dt;
	char buf[96];
	int n = 0;
	const char *type = v->type == TOML_DATETIME	  ? "datetime"
			   : v->type == TOML_DATETIME_LOCAL ? "datetime-local"
			   : v->type == TOML_DATE_LOCAL	  ? "date-local"
							  : "time-local";

	if (v->type != TOML_TIME_LOCAL)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%04d-%02d-%02d", dt->year, dt->month,
			      dt->day);
	if (v->type == TOML_DATETIME || v->type == TOML_DATETIME_LOCAL)
		buf[n++] = 'T';
	if (v->type != TOML_DATE_LOCAL) {
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%02d:%02d:%02d", dt->hour, dt->minute,
			      dt->second);
		if (dt->frac[0])
			n += snprintf(buf + n, sizeof buf - (size_t)n, ".%s", dt->frac);
	}
	if (v->type == TOML_DATETIME) {
		int off = dt->offset_minutes < 0 ? -dt->offset_minutes : dt->offset_minutes;
		if (dt->offset_z)
			snprintf(buf + n, sizeof buf - (size_t)n, "Z");
		else
			snprintf(buf + n, sizeof buf - (size_t)n, "%c%02d:%02d",
				 dt->offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
	} else {
		buf[n] = '\0';
	}
	put_tagged(f, type, buf);
}

static void put_value(FILE *f, const struct toml_value *v);

static void put_table(FILE *f, const struct toml_table *t)
{
	fputc('{', f);
	for (size_t i = 0; i < t->count; i++) {
		if (i)
			fputc(',', f);
		json_write_string(f, t->items[i].key, t->items[i].keylen);
		fputc(':', f);
		put_value(f, &t->items[i].value);
	}
	fputc('}', f);
}

static void put_value(FILE *f, const struct toml_value *v)
{
	char buf[64];

	switch (v->type) {
	case TOML_STRING:
		fputs("{\"type\":\"string\",\"value\":", f);
		json_write_string(f, v->u.str.ptr, v->u.str.len);
		fputc('}', f);
		break;
	case TOML_INTEGER:
		snprintf(buf, sizeof buf, "%lld", (long long)v->u.integer);
		put_tagged(f, "integer", buf);
		break;
	case TOML_FLOAT:
		format_float(buf, sizeof buf, v->u.fp);
		put_tagged(f, "float", buf);
		break;
	case TOML_BOOL:
		put_tagged(f, "bool", v->u.boolean ? "true" : "false");
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		put_datetime(f, v);
		break;
	case TOML_ARRAY:
		fputc('[', f);
		for (size_t i = 0; i < v->u.array->count; i++) {
			if (i)
				fputc(',', f);
			put_value(f, &v->u.array->items[i]);
		}
		fputc(']', f);
		break;
	case TOML_TABLE:
		put_table(f, v->u.table);
		break;
	}
}

int main(void)
{
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	struct ed_diag d;
	struct toml_doc *doc;
	int rc = 0;

	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			char *t = realloc(text, cap);
			if (!t) {
				fputs("toml2json: out of memory\n", stderr);
				free(text);
				return 2;
			}
			text = t;
		}
		got = fread(text + len, 1, cap - len, stdin);
		len += got;
	} while (got);
	if (ferror(stdin)) {
		perror("toml2json: stdin");
		free(text);
		return 2;
	}
	doc = toml_parse(text, len, "<stdin>", &d);
	if (!doc) {
		ed_diag_print(&d, stderr);
		free(text);
		return d.status == ED_EXIT_INPUT ? 1 : 2;
	}
	put_table(stdout, toml_doc_root(doc));
	fputc('\n', stdout);
	toml_doc_free(doc);
	free(text);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("toml2json: stdout");
		rc = 2;
	}
	return rc;
}
