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

/* The state of one parse. */
struct parse {
	const struct opt *const *tables;
	int argc;
	char **argv;
	int i;                 /* the argument being read */
	opt_handler handler;
	void *ud;
	struct ed_diag *d;
};

/* "--name", "--name=value" or "--name value" at argv[i]. */
static int parse_long(struct parse *ps, const char *name)
{
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const char *value = eq ? eq + 1 : NULL;
	const struct opt *o;

	if (len == 4 && !strncmp(name, "help", 4) && !find_long(ps->tables, "help", 4))
		return OPTS_HELP;
	if (!(o = find_long(ps->tables, name, len)))
		return ed_diag_set(ps->d, ED_EXIT_INPUT, NULL, 0, 0, "unknown option '--%.*s'",
				   (int)len, name);
	if (o->type == OPT_FLAG && value)
		return ed_diag_set(ps->d, ED_EXIT_INPUT, NULL, 0, 0, "option '--%s' takes no value",
				   o->name);
	if (o->type == OPT_VALUE && !value) {
		if (ps->i + 1 >= ps->argc)
			return ed_diag_set(ps->d, ED_EXIT_INPUT, NULL, 0, 0,
					   "option '--%s' needs a value", o->name);
		value = ps->argv[++ps->i];
	}
	return call(o, value, ps->handler, ps->ud, ps->d);
}

/* A cluster of short options at argv[i]: -qv, -ofile, -o file. */
static int parse_short(struct parse *ps, const char *cluster)
{
	int rc;

	for (const char *c = cluster; *c; c++) {
		const struct opt *o;
		const char *value;

		if (*c == 'h' && !find_short(ps->tables, 'h'))
			return OPTS_HELP;
		if (!(o = find_short(ps->tables, *c)))
			return ed_diag_set(ps->d, ED_EXIT_INPUT, NULL, 0, 0, "unknown option '-%c'", *c);
		if (o->type != OPT_VALUE) {
			if ((rc = call(o, NULL, ps->handler, ps->ud, ps->d)))
				return rc;
			continue;
		}
		if (!(value = c[1] ? c + 1 : NULL)) {
			if (ps->i + 1 >= ps->argc)
				return ed_diag_set(ps->d, ED_EXIT_INPUT, NULL, 0, 0,
						   "option '-%c' needs a value", *c);
			value = ps->argv[++ps->i];
		}
		return call(o, value, ps->handler, ps->ud, ps->d);
	}
	return 0;
}

int opts_parse(const struct opt *const *tables, int argc, char **argv, bool stop_at_positional,
	       opt_handler handler, void *ud, char ***pos, int *npos, struct ed_diag *d)
{
	struct parse ps = { tables, argc, argv, 0, handler, ud, d };
	char **positional = calloc((size_t)argc + 1, sizeof *positional);
	int n = 0, rc = 0;

	if (!positional)
		return ed_diag_oom(d);
	for (; ps.i < argc && !rc; ps.i++) {
		const char *a = argv[ps.i];

		if (!strcmp(a, "--")) {
			while (++ps.i < argc)
				positional[n++] = argv[ps.i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			/* with STOP_AT_POSITIONAL, everything from here on */
			do
				positional[n++] = argv[ps.i];
			while (stop_at_positional && ++ps.i < argc);
			continue;
		}
		rc = a[1] == '-' ? parse_long(&ps, a + 2) : parse_short(&ps, a + 1);
	}
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
