/* show_report.c - the declared external dependencies after selection, as
 * text and JSON. */
#include "extdeps/render/show_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"

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
		report_json_source(&j, p->path, dep->line, dep->col);
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

void show_report_text(const struct out *o, const struct project *p, const enum select_skip *verdict)
{
	FILE *f = o->out;
	size_t counts[SELECT_MARKER + 1] = { 0 }, shown = 0;
	bool *done = calloc(p->ndeps ? p->ndeps : 1, sizeof *done);

	for (size_t i = 0; i < p->ndeps; i++)
		counts[verdict[i]]++;
	if (!p->has_external || !done) {
		fprintf(f, "%s declares no external dependencies (no [external] table)\n", p->path);
		free(done);
		return;
	}
	/* declaration order within a heading; headings in order of first use */
	for (size_t i = 0; i < p->ndeps; i++) {
		char head[256];
		if (verdict[i] != SELECT_IN || done[i])
			continue;
		heading(&p->deps[i], head, sizeof head);
		fprintf(f, "%s%s%s:\n", out_on(o, OUT_BOLD), head, out_off(o));
		for (size_t k = i; k < p->ndeps; k++) {
			const struct project_dep *dep = &p->deps[k];
			char other[256];
			if (verdict[k] != SELECT_IN)
				continue;
			heading(dep, other, sizeof other);
			if (strcmp(other, head))
				continue;
			done[k] = true;
			fprintf(f, "  %s", dep->url->id);
			if (dep->url->version)
				fprintf(f, " %s", dep->url->version);
			if (dep->marker_text)
				fprintf(f, "  %s; %s%s", out_on(o, OUT_DIM), dep->marker_text,
					out_off(o));
			if (o->verbosity > 0)
				fprintf(f, "  (%s:%d:%d)", p->path, dep->line, dep->col);
			fputc('\n', f);
			shown++;
		}
	}
	free(done);
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
