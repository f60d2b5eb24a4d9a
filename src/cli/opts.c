#include "opts.h"

#include <stdlib.h>
#include <string.h>

static const struct opt *find_long(const struct opt *const *tables, const char *name, size_t len)
{
	for (; *tables; tables++)
		for (const struct opt *o = *tables; o->type != OPT_END; o++)
			if (strlen(o->name) == len && !strncmp(o->name, name, len))
				return o;
	return NULL;
}

static const struct opt *find_short(const struct opt *const *tables, char c)
{
	for (; *tables; tables++)
		for (const struct opt *o = *tables; o->type != OPT_END; o++)
			if (o->short_name && o->short_name == c)
				return o;
	return NULL;
}

static int check_choice(const struct opt *o, const char *value, struct ed_diag *d)
{
	char list[512] = "";
	size_t used = 0;

	if (!o->choices)
		return 0;
	for (const char *const *c = o->choices; *c; c++) {
		if (!strcmp(*c, value))
			return 0;
		used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0,
					 "%s'%s'", c == o->choices ? "" : ", ", *c);
		if (used >= sizeof list)
			used = sizeof list - 1;
	}
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
			   "invalid value '%s' for --%s; expected one of %s", value, o->name, list);
}

static int call(const struct opt *o, const char *value, opt_handler handler, void *ud,
		struct ed_diag *d)
{
	int rc = check_choice(o, value ? value : "", d);

	if (value && rc)
		return rc;
	return handler(ud, o->id, value, d);
}

int opts_parse(const struct opt *const *tables, int argc, char **argv, bool stop_at_positional,
	       opt_handler handler, void *ud, char ***pos, int *npos, struct ed_diag *d)
{
	char **positional = calloc((size_t)argc + 1, sizeof *positional);
	int n = 0, rc = 0;

	if (!positional)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;

		if (!strcmp(a, "--")) {
			while (++i < argc)
				positional[n++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (stop_at_positional) {
				while (i < argc)
					positional[n++] = argv[i++];
				break;
			}
			positional[n++] = argv[i];
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *value = eq ? eq + 1 : NULL;

			if (len == 4 && !strncmp(name, "help", 4) && !find_long(tables, "help", 4)) {
				rc = OPTS_HELP;
				goto out;
			}
			o = find_long(tables, name, len);
			if (!o) {
				rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
						 "unknown option '--%.*s'", (int)len, name);
				goto out;
			}
			if (o->type == OPT_FLAG && value) {
				rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
						 "option '--%s' takes no value", o->name);
				goto out;
			}
			if (o->type == OPT_VALUE && !value) {
				if (i + 1 >= argc) {
					rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
							 "option '--%s' needs a value", o->name);
					goto out;
				}
				value = argv[++i];
			}
			if ((rc = call(o, value, handler, ud, d)))
				goto out;
			continue;
		}
		/* a cluster of short options: -qv, -ofile */
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'h' && !find_short(tables, 'h')) {
				rc = OPTS_HELP;
				goto out;
			}
			o = find_short(tables, *c);
			if (!o) {
				rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "unknown option '-%c'", *c);
				goto out;
			}
			if (o->type == OPT_VALUE) {
				const char *value = c[1] ? c + 1 : NULL;
				if (!value) {
					if (i + 1 >= argc) {
						rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
								 "option '-%c' needs a value", *c);
						goto out;
					}
					value = argv[++i];
				}
				if ((rc = call(o, value, handler, ud, d)))
					goto out;
				break;
			}
			if ((rc = call(o, NULL, handler, ud, d)))
				goto out;
		}
	}
out:
	if (rc) {
		free(positional);
		positional = NULL;
		n = 0;
	}
	*pos = positional;
	*npos = n;
	return rc;
}

void opts_print_help(FILE *f, const struct opt *const *tables)
{
	for (; *tables; tables++) {
		for (const struct opt *o = *tables; o->type != OPT_END; o++) {
			char left[64];
			if (o->short_name)
				snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
					 o->arg ? "=" : "", o->arg ? o->arg : "");
			else
				snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? "=" : "",
					 o->arg ? o->arg : "");
			fprintf(f, "  %-28s %s\n", left, o->help);
		}
	}
}
