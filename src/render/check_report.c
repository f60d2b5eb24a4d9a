/* check_report.c - a check of this machine as text, JSON, GitHub workflow
 * commands and JUnit XML. */
#include "extdeps/render/check_report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"

/* "dep:generic/cmake@>=3.26": the DepURL as it is checked */
static void dep_label(const struct project_dep *dep, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", dep->url->id, dep->url->version ? "@" : "",
		 dep->url->version ? dep->url->version : "");
}

/* The project file as a path relative to the working directory, which is
 * what annotations and reports want ("./pyproject.toml" -> "pyproject.toml"). */
static const char *rel_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

static void print_argv(FILE *f, const struct check_report *r)
{
	for (size_t i = 0; i < r->nargv; i++)
		fprintf(f, "%s%s", i ? " " : "", r->argv[i]);
}

/* --- text --- */

/* "8 of 10 satisfied[, 1 not checked][, 1 unmet]" */
static void summary(FILE *f, const struct check_report *r)
{
	fprintf(f, "%zu of %zu satisfied", r->nsatisfied, r->count);
	if (r->nnot_checked)
		fprintf(f, ", %zu not checked", r->nnot_checked);
	if (r->nunmet)
		fprintf(f, ", %zu unmet", r->nunmet);
}

void check_report_text(const struct out *o, const struct project *p, const struct check_report *r)
{
	FILE *f = o->out;
	size_t width = 0;

	for (size_t i = 0; i < r->count; i++) {
		char label[512];
		dep_label(r->results[i].dep, label, sizeof label);
		if (strlen(label) > width)
			width = strlen(label);
	}
	if (o->verbosity > 0) {
		fprintf(f, "checking %s on this machine (%s%s%s)\n", p->path,
			r->ecosystem ? r->ecosystem : "no known target", r->release ? " " : "",
			r->release ? r->release : "");
		for (size_t i = 0; i < r->ndbs; i++)
			fprintf(f, "package database: %s %s (%zu entries, %s names)\n", r->dbs[i].kind,
				r->dbs[i].path, r->dbs[i].count, r->dbs[i].ecosystem);
	}
	for (size_t i = 0; i < r->count; i++) {
		const struct check_result *res = &r->results[i];
		bool ok = check_status_ok(res->status);
		char label[512];

		if (ok && o->verbosity < 0)
			continue;
		dep_label(res->dep, label, sizeof label);
		if (res->status == CHECK_NOT_CHECKED)
			fprintf(f, "%s–%s %-*s  ", out_on(o, OUT_YELLOW), out_off(o), (int)width, label);
		else
			fprintf(f, "%s%s%s %-*s  ", out_on(o, ok ? OUT_GREEN : OUT_RED),
				ok ? "✓" : "✗", out_off(o), (int)width, label);
		if (res->status == CHECK_MISSING)
			fprintf(f, "not found");
		else
			fprintf(f, "%s", res->message);
		if (o->verbosity > 0)
			fprintf(f, "  %s(%s:%d:%d, %s)%s", out_on(o, OUT_DIM), res->dep->file, res->dep->line,
				res->dep->col, ed_stage_name(res->dep->stage), out_off(o));
		fputc('\n', f);
		if (res->tried && (!ok || o->verbosity > 0))
			fprintf(f, "    %s%s: %s%s\n", out_on(o, OUT_DIM), ok ? "also looked at" : "looked at",
				res->tried, out_off(o));
		if (!ok && res->ninstall) {
			fputs("    install:", f);
			for (size_t k = 0; k < res->ninstall; k++)
				fprintf(f, " %s", res->install[k]);
			fputc('\n', f);
		} else if (!ok && res->install_note) {
			fprintf(f, "    %s\n", res->install_note);
		}
	}
	if (!r->count) {
		fprintf(f, "no external dependencies selected\n");
	} else {
		fputs(out_on(o, OUT_BOLD), f);
		summary(f, r);
		fprintf(f, "%s\n", out_off(o));
	}
	if (r->nargv) {
		fprintf(f, "to install%s: ", r->needs_root ? " (as root)" : "");
		print_argv(f, r);
		fputc('\n', f);
	}
}

/* --- json --- */

static void json_tried(struct json *j, const char *tried)
{
	const char *p = tried;

	json_array_begin(j);
	while (p && *p) {
		const char *sep = strstr(p, "; ");
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		json_string_len(j, p, n);
		p = sep ? sep + 2 : p + n;
	}
	json_array_end(j);
}

static const char *verdict_name(const struct check_result *res)
{
	if (res->status == CHECK_MISSING || res->status == CHECK_UNKNOWN)
		return NULL;
	switch (res->ev.verdict) {
	case 1: return "met";
	case 0: return "not-met";
	case -1: return "not-comparable";
	}
	return "no-constraint";
}

static void json_host(struct json *j, const struct check_report *r)
{
	json_key(j, "host");
	json_object_begin(j);
	json_kv_nonempty(j, "ecosystem", r->ecosystem);
	json_kv_nonempty(j, "release", r->release);
	report_json_databases(j, "databases", r->dbs, r->ndbs);
	json_object_end(j);
}

static void json_evidence(struct json *j, const struct check_result *res)
{
	const struct check_evidence *ev = &res->ev;

	json_key(j, "evidence");
	if (ev->method == CHECK_BY_NONE) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_nonempty(j, "what", ev->what);
	json_kv_nonempty(j, "path", ev->path);
	json_kv_nonempty(j, "version", ev->version);
	json_kv_nonempty(j, "compared_version", ev->compared);
	json_kv_nonempty(j, "database", ev->database);
	json_kv_nonempty(j, "provider", ev->provider);
	json_kv_nonempty(j, "constraint_about", ev->about);
	json_kv_nonempty(j, "version_check", verdict_name(res));
	json_key(j, "installation");
	if (ev->place) {
		json_object_begin(j);
		json_kv_string(j, "kind", ev->place);
		json_kv_string(j, "root", ev->location);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_kv_nonempty(j, "note", ev->note);
	json_object_end(j);
}

static void json_result(struct json *j, const struct project *p, const struct check_result *res)
{
	const struct project_dep *dep = res->dep;
	bool found = res->ev.method != CHECK_BY_NONE;

	json_object_begin(j);
	report_json_dep(j, dep);
	json_kv_nonempty(j, "specifier", dep->text);
	report_json_source(j, dep->file, dep->line, dep->col);
	json_kv_nonempty(j, "status", check_status_name(res->status));
	json_kv_bool(j, "satisfied", check_status_ok(res->status));
	json_kv_nonempty(j, "method", found ? check_method_name(res->ev.method) : NULL);
	json_evidence(j, res);
	json_kv_nonempty(j, "message", res->message);
	json_key(j, "tried");
	json_tried(j, res->tried);
	json_kv_strv(j, "install", (const char *const *)res->install, res->ninstall);
	json_kv_nonempty(j, "install_note", res->install_note);
	json_object_end(j);
}

static void json_summary(struct json *j, size_t total, size_t satisfied, size_t unmet,
			 size_t not_checked)
{
	json_kv_bool(j, "satisfied", !unmet);
	json_key(j, "summary");
	json_object_begin(j);
	json_kv_int(j, "total", (int64_t)total);
	json_kv_int(j, "satisfied", (int64_t)satisfied);
	json_kv_int(j, "unmet", (int64_t)unmet);
	json_kv_int(j, "not_checked", (int64_t)not_checked);
	json_object_end(j);
}

void check_report_json_write(struct json *j, const struct project *p, const struct check_report *r)
{
	json_object_begin(j);
	json_kv_int(j, "schema_version", CHECK_SCHEMA_VERSION);
	report_json_project(j, p);
	json_host(j, r);
	json_summary(j, r->count, r->nsatisfied, r->nunmet, r->nnot_checked);
	json_key(j, "dependencies");
	json_array_begin(j);
	for (size_t i = 0; i < r->count; i++)
		json_result(j, p, &r->results[i]);
	json_array_end(j);
	json_key(j, "install");
	if (r->nargv) {
		json_object_begin(j);
		json_kv_strv(j, "argv", (const char *const *)r->argv, r->nargv);
		json_kv_bool(j, "needs_root", r->needs_root);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_object_end(j);
}

void check_report_json(const struct out *o, const struct project *p, const struct check_report *r)
{
	struct json j;

	json_init(&j, o->out);
	check_report_json_write(&j, p, r);
	json_end(&j);
}

void check_report_json_several(const struct out *o, struct project *const *ps,
			       const struct check_report *rs, size_t n)
{
	size_t total = 0, satisfied = 0, unmet = 0, not_checked = 0;
	struct json j;

	for (size_t i = 0; i < n; i++) {
		total += rs[i].count;
		satisfied += rs[i].nsatisfied;
		unmet += rs[i].nunmet;
		not_checked += rs[i].nnot_checked;
	}
	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", CHECK_SCHEMA_VERSION);
	json_summary(&j, total, satisfied, unmet, not_checked);
	json_key(&j, "projects");
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++)
		check_report_json_write(&j, ps[i], &rs[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

void check_report_ndjson(const struct out *o, const struct project *p, const struct check_report *r)
{
	struct json j;

	json_init_compact(&j, o->out);
	check_report_json_write(&j, p, r);
	json_end(&j);
	fflush(o->out);
}

/* --- GitHub workflow commands --- */

/* Escape S for a workflow command: data escapes %, CR and LF; property
 * values also ':' and ','. */
static void gh_escape(FILE *f, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

/* S on a line of its own: a newline in it would start a workflow command. */
static void gh_plain(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void check_report_github(const struct out *o, const struct project *p, const struct check_report *r)
{
	FILE *f = o->out;

	for (size_t i = 0; i < r->count; i++) {
		const struct check_result *res = &r->results[i];
		char label[512], title[600];
		bool ok = check_status_ok(res->status);

		dep_label(res->dep, label, sizeof label);
		if (res->status == CHECK_SATISFIED) {
			fputs("✓ ", f);
			gh_plain(f, label);
			fputs("  ", f);
			gh_plain(f, res->message);
			fputc('\n', f);
			continue;
		}
		snprintf(title, sizeof title, "%s %s", label,
			 res->status == CHECK_NOT_CHECKED ? "not checked"
			 : ok ? "version not checked" : check_status_name(res->status));
		fprintf(f, "::%s file=", ok ? "warning" : "error");
		gh_escape(f, rel_path(res->dep->file), true);
		fprintf(f, ",line=%d,col=%d,title=", res->dep->line, res->dep->col);
		gh_escape(f, title, true);
		fputs("::", f);
		gh_escape(f, label, false);
		fputs(": ", f);
		gh_escape(f, res->status == CHECK_MISSING ? "not found" : res->message, false);
		if (res->tried && !ok) {
			fputs(" (looked at: ", f);
			gh_escape(f, res->tried, false);
			fputs(")", f);
		}
		if (res->ninstall) {
			fputs("; install:", f);
			for (size_t k = 0; k < res->ninstall; k++) {
				fputc(' ', f);
				gh_escape(f, res->install[k], false);
			}
		} else if (!ok && res->install_note) {
			fputs("; ", f);
			gh_escape(f, res->install_note, false);
		}
		fputc('\n', f);
	}
	summary(f, r);
	fputc('\n', f);
	if (r->nargv) {
		fprintf(f, "::notice title=extdeps check::to install%s: ", r->needs_root ? " (as root)" : "");
		print_argv(f, r);
		fputc('\n', f);
	}
}

void check_report_errors_github(const struct out *o, const struct ed_diags *errs)
{
	FILE *f = o->out;

	for (size_t i = 0; i < errs->n; i++) {
		const struct ed_diag *d = &errs->v[i];

		fputs("::error ", f);
		if (d->file[0]) {
			fputs("file=", f);
			gh_escape(f, rel_path(d->file), true);
			if (d->line > 0)
				fprintf(f, ",line=%d", d->line);
			if (d->col > 0)
				fprintf(f, ",col=%d", d->col);
			fputc(',', f);
		}
		fputs("title=extdeps check::", f);
		gh_escape(f, d->msg, false);
		fputc('\n', f);
	}
	if (errs->more)
		fprintf(f, "::error title=extdeps check::%zu more error%s not shown\n", errs->more,
			errs->more == 1 ? "" : "s");
}

/* --- JUnit XML --- */

static void junit_suite(FILE *f, const struct project *p, const struct check_report *r);

static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 allows no other control characters */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

void check_report_junit(const struct out *o, const struct project *p, const struct check_report *r)
{
	check_report_junit_several(o, (struct project *const *)&p, r, 1);
}

void check_report_junit_several(const struct out *o, struct project *const *ps,
				const struct check_report *rs, size_t n)
{
	FILE *f = o->out;
	size_t count = 0, unmet = 0;

	for (size_t i = 0; i < n; i++) {
		count += rs[i].count;
		unmet += rs[i].nunmet;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"extdeps check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		count, unmet);
	for (size_t i = 0; i < n; i++)
		junit_suite(f, ps[i], &rs[i]);
	fputs("</testsuites>\n", f);
}

/* One project's <testsuite>. */
static void junit_suite(FILE *f, const struct project *p, const struct check_report *r)
{
	const char *name = p->name ? p->name : rel_path(p->path);

	fputs("  <testsuite name=\"", f);
	xml_escape(f, name);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", r->count,
		r->nunmet, r->nnot_checked);
	for (size_t i = 0; i < r->count; i++) {
		const struct check_result *res = &r->results[i];
		char label[512];

		dep_label(res->dep, label, sizeof label);
		fputs("    <testcase name=\"", f);
		xml_escape(f, label);
		fprintf(f, "\" classname=\"extdeps.%s\" file=\"", ed_stage_name(res->dep->stage));
		xml_escape(f, rel_path(res->dep->file));
		fprintf(f, "\" line=\"%d\">\n", res->dep->line);
		if (res->status == CHECK_NOT_CHECKED) {
			fputs("      <skipped message=\"", f);
			xml_escape(f, res->message);
			fputs("\"/>\n", f);
		} else if (!check_status_ok(res->status)) {
			fprintf(f, "      <failure type=\"%s\" message=\"", check_status_name(res->status));
			xml_escape(f, res->status == CHECK_MISSING ? "not found" : res->message);
			fputs("\">", f);
			if (res->tried) {
				fputs("looked at: ", f);
				xml_escape(f, res->tried);
			}
			if (res->ninstall) {
				fputs("\ninstall:", f);
				for (size_t k = 0; k < res->ninstall; k++) {
					fputc(' ', f);
					xml_escape(f, res->install[k]);
				}
			} else if (res->install_note) {
				fputc('\n', f);
				xml_escape(f, res->install_note);
			}
			fputs("</failure>\n", f);
		} else {
			fputs("      <system-out>", f);
			xml_escape(f, res->message);
			fputs("</system-out>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

void check_report_errors_junit(const struct out *o, const struct ed_diags *errs)
{
	FILE *f = o->out;
	size_t n = errs->n + (errs->more ? 1 : 0);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"extdeps check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		n, n);
	fprintf(f, "  <testsuite name=\"input\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		   "skipped=\"0\">\n", n, n);
	for (size_t i = 0; i < errs->n; i++) {
		const struct ed_diag *d = &errs->v[i];
		char name[ED_DIAG_FILE_MAX + 32];

		if (d->file[0])
			snprintf(name, sizeof name, "%s:%d:%d", rel_path(d->file), d->line, d->col);
		else
			snprintf(name, sizeof name, "error %zu", i + 1);
		fputs("    <testcase name=\"", f);
		xml_escape(f, name);
		fputs("\" classname=\"extdeps.input\"", f);
		if (d->file[0]) {
			fputs(" file=\"", f);
			xml_escape(f, rel_path(d->file));
			fprintf(f, "\" line=\"%d\"", d->line);
		}
		fputs(">\n      <failure type=\"", f);
		fputs(d->status == ED_EXIT_ENV ? "environment" : "bad-input", f);
		fputs("\" message=\"", f);
		xml_escape(f, d->msg);
		fputs("\"/>\n    </testcase>\n", f);
	}
	if (errs->more)
		fprintf(f, "    <testcase name=\"more errors\" classname=\"extdeps.input\">\n"
			   "      <failure type=\"bad-input\" message=\"%zu more error%s not "
			   "shown\"/>\n    </testcase>\n", errs->more, errs->more == 1 ? "" : "s");
	fputs("  </testsuite>\n</testsuites>\n", f);
}
