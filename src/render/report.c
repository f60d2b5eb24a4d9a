/* report.c - the JSON pieces every report shares. */
#include "extdeps/render/report.h"

void report_json_project(struct json *j, const struct project *p)
{
	json_key(j, "project");
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, p->name);
	json_key(j, "file");
	json_string(j, p->path);
	json_object_end(j);
}

void report_json_dep(struct json *j, const struct project_dep *dep)
{
	json_key(j, "depurl");
	json_string(j, dep->url->id);
	json_key(j, "version");
	json_string(j, dep->url->version);
	json_key(j, "stage");
	json_string(j, ed_stage_name(dep->stage));
	json_key(j, "extra");
	json_string(j, dep->extra);
	json_key(j, "group");
	json_string(j, dep->group);
}

void report_json_source(struct json *j, const char *file, int line, int col)
{
	json_key(j, "source");
	json_object_begin(j);
	json_key(j, "file");
	json_string(j, file);
	json_key(j, "line");
	json_int(j, line);
	json_key(j, "column");
	json_int(j, col);
	json_object_end(j);
}
