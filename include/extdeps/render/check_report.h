/* check_report.h - a check of this machine (host/check.h) in each of
 * `extdeps check`'s formats, written to O->out (colour and verbosity as O
 * says). The report and the project are borrowed. */
#ifndef EXTDEPS_RENDER_CHECK_REPORT_H
#define EXTDEPS_RENDER_CHECK_REPORT_H

#include "extdeps/host/check.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"

#define CHECK_SCHEMA_VERSION 1

/* One line per dependency, what was looked at, the install command. */
void check_report_text(const struct out *o, const struct project *p, const struct check_report *r);

/* --format=json (schema CHECK_SCHEMA_VERSION, documented in extdeps-check(1)). */
void check_report_json(const struct out *o, const struct project *p, const struct check_report *r);

struct json;

/* The object check_report_json writes, into J. */
void check_report_json_write(struct json *j, const struct project *p, const struct check_report *r);

/* N projects PS checked into RS as one JSON document: schema_version,
 * satisfied and summary of them all, "projects": one object each as
 * check_report_json writes it. */
void check_report_json_several(const struct out *o, struct project *const *ps,
			       const struct check_report *rs, size_t n);

/* --format=ndjson: check_report_json's object on one line, flushed (a
 * project's line is out as soon as it is checked). */
void check_report_ndjson(const struct out *o, const struct project *p, const struct check_report *r);

/* --format=github: ::error and ::warning workflow commands on the
 * pyproject.toml lines, a summary and a ::notice with the command. */
void check_report_github(const struct out *o, const struct project *p, const struct check_report *r);

/* --format=junit: one test case per dependency. */
void check_report_junit(const struct out *o, const struct project *p, const struct check_report *r);

/* The same for N projects: a test suite each in one document. */
void check_report_junit_several(const struct out *o, struct project *const *ps,
				const struct check_report *rs, size_t n);

/* The errors that stopped the check (a broken project file, a bad
 * DepURL...), in the CI formats: one ::error workflow command each, on its
 * file, line and column where known; or one failing JUnit test case each,
 * in a test suite named "input". */
void check_report_errors_github(const struct out *o, const struct ed_diags *errs);
void check_report_errors_junit(const struct out *o, const struct ed_diags *errs);

#endif
