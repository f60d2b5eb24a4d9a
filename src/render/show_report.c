/* show_report.c - the declared external dependencies after selection, as
 * text and JSON. */
#include "extdeps/render/show_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"
#include "extdeps/util/strindex.h"

void show_report_json(const struct out *o, const struct project *p, const enum select_skip *verdict)
{
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, SHOW_SCHEMA_VERSION);
	report_json_project(&j, p);
	json_key(&j, "dependencies");
	json_array_begin(&j);
	for (size_t i = 0; i < p->ndeps; i++) {
		const struct project_dep *dep = &p->deps[i];
		if (verdict[i] != SELECT_IN)
			continue;
		json_object_begin(&j);
		report_json_dep(&j, dep);
		json_key(&j, "marker");
		json_string(&j, dep->marker_text);
		json_key(&j, "specifier");
		json_string(&j, dep->text);
		report_json_source(&j, dep->file, dep->line, dep->col);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

/* The heading a dependency is listed under: its stage, or its extra, or its
 * group, in the words of the [external] key it came from. */
static void heading(const struct project_dep *dep, char *buf, size_t size)
{
	static const char *const req[] = { "build-requires", "host-requires", "dependencies" };
	static const char *const opt[] = { "optional-build-requires", "optional-host-requires",
					   "optional-dependencies" };

	if (dep->group)
		snprintf(buf, size, "dependency-groups.%s", dep->group);
	else if (dep->extra)
		snprintf(buf, size, "%s.%s", opt[dep->stage], dep->extra);
	else
		snprintf(buf, size, "%s", req[dep->stage]);
}

/* The selected dependencies of P in the order the text lists them: by
 * heading, headings in order of first use, declaration order within one.
 * Into *ORDER (malloc'd, *N entries) with each one's heading number in
 * *GROUP (malloc'd, per dependency); HEADS (malloc'd, per dependency) holds
 * the headings. False when out of memory. Linear in the dependencies: a
 * project may hold a hundred thousand extras. */
static bool listing_order(const struct project *p, const enum select_skip *verdict,
			  char ***heads_out, size_t **order_out, size_t *n_out)
{
	struct strindex ix = STRINDEX_INIT;
	size_t nd = p->ndeps ? p->ndeps : 1, nheads = 0, n = 0;
	char **heads = calloc(nd, sizeof *heads);
	size_t *group = calloc(nd, sizeof *group), *count = calloc(nd + 1, sizeof *count);
	size_t *order = calloc(nd, sizeof *order);
	bool ok = heads && group && count && order;

	for (size_t i = 0; ok && i < p->ndeps; i++) {
		char head[256];
		size_t g;

		if (verdict[i] != SELECT_IN)
			continue;
		heading(&p->deps[i], head, sizeof head);
		if (!(heads[i] = strdup(head)) ||
		    (!strindex_get(&ix, heads[i], &g) && !strindex_put(&ix, heads[i], g = nheads++))) {
			ok = false;
			break;
		}
		group[i] = g;
		count[g + 1]++;
		n++;
	}
	/* counting sort by heading number, stable */
	for (size_t g = 0; ok && g < nheads; g++)
		count[g + 1] += count[g];
	for (size_t i = 0; ok && i < p->ndeps; i++)
		if (verdict[i] == SELECT_IN)
			order[count[group[i]]++] = i;
	strindex_fini(&ix);
	free(group);
	free(count);
	if (!ok) {
		for (size_t i = 0; heads && i < p->ndeps; i++)
			free(heads[i]);
		free(heads);
		free(order);
		return false;
	}
	*heads_out = heads;
	*order_out = order;
	*n_out = n;
	return true;
}

void show_report_text(const struct out *o, const struct project *p, const enum select_skip *verdict)
{
	FILE *f = o->out;
	size_t counts[SELECT_UNRESOLVED + 1] = { 0 }, shown = 0;
	char **heads = NULL;
	size_t *order = NULL, n = 0;

	for (size_t i = 0; i < p->ndeps; i++)
		counts[verdict[i]]++;
	if (!p->has_external || !listing_order(p, verdict, &heads, &order, &n)) {
		fprintf(f, "%s declares no external dependencies (no [external] table)\n", p->path);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		const struct project_dep *dep = &p->deps[order[k]];

		if (!k || strcmp(heads[order[k]], heads[order[k - 1]]))
			fprintf(f, "%s%s%s:\n", out_on(o, OUT_BOLD), heads[order[k]], out_off(o));
		fprintf(f, "  %s", dep->url->id);
		if (dep->url->version)
			fprintf(f, " %s", dep->url->version);
		if (dep->marker_text)
			fprintf(f, "  %s; %s%s", out_on(o, OUT_DIM), dep->marker_text, out_off(o));
		if (o->verbosity > 0)
			fprintf(f, "  (%s:%d:%d)", dep->file, dep->line, dep->col);
		fputc('\n', f);
		shown++;
	}
	for (size_t i = 0; i < p->ndeps; i++)
		free(heads[i]);
	free(heads);
	free(order);
	if (!shown)
		fprintf(f, "no external dependencies selected\n");
	if (o->verbosity >= 0 && (counts[SELECT_EXTRA] || counts[SELECT_GROUP] ||
					 counts[SELECT_MARKER] || counts[SELECT_STAGE])) {
		const char *sep = "";
		fputs("not selected:", f);
		if (counts[SELECT_STAGE]) {
			fprintf(f, " %zu by --stage", counts[SELECT_STAGE]);
			sep = ",";
		}
		if (counts[SELECT_EXTRA]) {
			fprintf(f, "%s %zu in extras (--extra, --all-extras)", sep, counts[SELECT_EXTRA]);
			sep = ",";
		}
		if (counts[SELECT_GROUP]) {
			fprintf(f, "%s %zu in dependency groups (--group)", sep, counts[SELECT_GROUP]);
			sep = ",";
		}
		if (counts[SELECT_MARKER])
			fprintf(f, "%s %zu whose markers are false here", sep, counts[SELECT_MARKER]);
		fputc('\n', f);
	}
}
