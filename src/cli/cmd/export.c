/* export.c - `extdeps export`: dependency lists for distribution packagers,
 * one document per PROJECT, in the format of their recipes. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/render/export.h"
#include "extdeps/util/json.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"

enum export_opt { EXPORT_OPT_ALLOW_UNMAPPED = 1 };

static const struct opt opts[] = {
	{ EXPORT_OPT_ALLOW_UNMAPPED, "allow-unmapped", 0, OPT_FLAG, NULL,
	  "exit 0 even when a dependency has no package (it stays a comment)", NULL },
	OPT_TABLE_END,
};

struct export_args {
	bool allow_unmapped;
};

static int handle_opt(void *args, int id, const char *value, struct ed_diag *d)
{
	struct export_args *a = args;

	if (id == EXPORT_OPT_ALLOW_UNMAPPED)
		a->allow_unmapped = true;
	return 0;
}

/* Room for the documents of one project: one per format, and for a format
 * of several image families (cibuildwheel) one per family. */
#define MAX_DOCS (2 * EXPORT_FORMAT_COUNT)

/* The targets of format F, appended to TARGETS and FORMATS (*N of them):
 * --distro when it is one of F's ecosystems, else each ecosystem listing F
 * at its default release. */
static int format_targets(struct ctx *ctx, enum export_format f, struct reg_target *targets,
			  enum export_format *formats, size_t *n)
{
	const struct reg_ecosystem *eco;
	struct ed_diag d;
	size_t k = 0;
	int rc;

	ed_diag_clear(&d);
	if (ctx->distro && !registry_parse_target(ctx->reg, ctx->distro, &targets[*n], &d) &&
	    export_format_fits(f, ctx->reg, targets[*n].eco)) {
		formats[(*n)++] = f;
		return 0;
	}
	ed_diag_clear(&d);
	for (; (eco = export_format_ecosystem(f, ctx->reg, k)) && *n < MAX_DOCS; k++) {
		if ((rc = registry_parse_target(ctx->reg, eco->id, &targets[*n], &d))) {
			out_diag(&ctx->out, &d);
			return rc;
		}
		formats[(*n)++] = f;
	}
	if (!k) {
		out_error(&ctx->out, "no mapping file lists --format=%s in its export_formats",
			  export_format_name(f));
		return ED_EXIT_INPUT;
	}
	return 0;
}

/* Whether some ecosystem of REG inherits from ECO. */
static bool has_children(const struct registry *reg, const struct reg_ecosystem *eco)
{
	for (size_t i = 0; i < registry_necosystems(reg); i++) {
		const struct reg_ecosystem *e = registry_ecosystem_at(reg, i);
		if (e->inherits && !strcmp(e->inherits, eco->id))
			return true;
	}
	return false;
}

/* The targets of a text format: --distro, which must be one of its
 * ecosystems, or the format's own. */
static int text_targets(struct ctx *ctx, enum export_format f, struct reg_target *targets,
			enum export_format *formats, size_t *n)
{
	struct reg_target *t = &targets[*n];
	int rc;

	if (!ctx->distro)
		return format_targets(ctx, f, targets, formats, n);
	if ((rc = cli_target(ctx, ctx->distro, t)))
		return rc;
	formats[(*n)++] = f;
	if (!export_format_fits(f, ctx->reg, t->eco)) {
		const struct reg_ecosystem *own;
		struct strbuf owners = STRBUF_INIT;
		size_t k = 0;

		/* "fedora or a distribution inheriting from it", "alpine or el" */
		for (; (own = export_format_ecosystem(f, ctx->reg, k)); k++)
			strbuf_addf(&owners, "%s%s%s", k ? " or " : "", own->id,
				    has_children(ctx->reg, own) ? " or a distribution inheriting from it"
								 : "");
		out_error(&ctx->out, "'--distro=%s' is not a target of --format=%s (%s %s)",
			  ctx->distro, export_format_name(f), k ? strbuf_str(&owners) : "no ecosystem",
			  k > 1 ? "are" : "is");
		strbuf_release(&owners);
		return ED_EXIT_INPUT;
	}
	return 0;
}

/* One project: its documents written, problems counted into *NPROBLEMS. */
static int export_project(struct ctx *ctx, struct json *j, const char *path, int fmt,
			  const struct reg_target *targets, const enum export_format *formats,
			  size_t ntargets, size_t *nwritten, size_t *nproblems)
{
	struct mapset ms[MAX_DOCS];
	struct export_doc docs[MAX_DOCS];
	struct project *p = NULL;
	enum select_skip *verdict = NULL;
	struct ed_diag d;
	size_t nms = 0, ndocs = 0;
	int rc;

	ed_diag_clear(&d);
	if ((rc = cli_load_project(ctx, path, &p, &verdict)))
		return rc;
	for (size_t i = 0; i < ntargets; i++) {
		enum export_format f = formats[i];
		/* formats of the same target share one mapping */
		size_t same = 0;
		while (same < nms && (ms[same].target.eco != targets[i].eco ||
				      ms[same].target.release != targets[i].release))
			same++;
		if (same == nms) {
			if ((rc = mapset_build(&ms[nms], ctx->reg, &targets[i], p, verdict, NULL, &d)))
				goto out;
			nms++;
		}
		if ((rc = export_doc_build(&docs[ndocs], f, &ms[same], &d)))
			goto out;
		*nproblems += docs[ndocs].nproblems;
		ndocs++;
	}
	if (fmt < 0) {
		export_json_write(j, docs, ndocs);
		++*nwritten;
	} else {
		for (size_t i = 0; i < ndocs; i++) {
			if (*nwritten)
				fputc('\n', ctx->out.out);
			export_doc_write(&docs[i], ctx->out.out);
			++*nwritten;
			if (docs[i].nproblems && ctx->out.verbosity >= 0)
				out_warn(&ctx->out, "'%s': %zu %s no package in %s (see the comments)",
					 p->path, docs[i].nproblems,
					 docs[i].nproblems == 1 ? "dependency has" : "dependencies have",
					 targets[i].eco->id);
		}
	}
out:
	if (rc)
		out_diag(&ctx->out, &d);
	for (size_t i = 0; i < ndocs; i++)
		export_doc_fini(&docs[i]);
	for (size_t i = 0; i < nms; i++)
		mapset_fini(&ms[i]);
	free(verdict);
	project_free(p);
	return rc;
}

/* Several projects: as for the other commands, an extra or group asked for
 * need only be declared by one of them (a project that does not declare it
 * exports without it), but by one. Projects that cannot be read are left
 * to export_project to report. */
static int declared_somewhere(struct ctx *ctx, char *const *paths, size_t n)
{
	struct project **ps;
	size_t nps = 0;
	struct ed_diag d;
	int rc = 0;

	ctx->sel.undeclared_ok = true;
	if (!ctx->sel.nextras && !ctx->sel.ngroups)
		return 0;
	if (!(ps = calloc(n, sizeof *ps))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	for (size_t i = 0; i < n; i++) {
		ed_diag_clear(&d);
		if ((ps[nps] = project_load(paths[i], &d)))
			nps++;
	}
	ed_diag_clear(&d);
	if (nps && (rc = selection_declared(&ctx->sel, ps, nps, &d)))
		out_diag(&ctx->out, &d);
	for (size_t i = 0; i < nps; i++)
		project_free(ps[i]);
	free(ps);
	return rc;
}

static int run(struct ctx *ctx)
{
	const struct export_args *a = ctx->args;
	struct reg_target targets[MAX_DOCS];
	enum export_format formats[MAX_DOCS];
	int rc, worst = 0, fmt = export_format_parse(ctx->format); /* -1: json */
	const char *owners[MAX_DOCS];
	size_t ntargets = 0, nproblems = 0, nwritten = 0, npaths, nowners = 0;
	char **paths;
	struct json j;

	/* the mapping files say which formats are whose: of the compiled-in
	 * ones, only the format's ecosystem is needed when --distro says none */
	if (fmt >= 0 && !ctx->distro)
		nowners = registry_embedded_export_owners(ctx->format, owners, MAX_DOCS);
	if ((rc = cli_load_registry_list(ctx, owners, nowners)))
		return rc;
	if (fmt < 0) {
		struct reg_target given;
		if (ctx->distro && (rc = cli_target(ctx, ctx->distro, &given)))
			return rc;
		for (int f = 0; f < EXPORT_FORMAT_COUNT; f++)
			if ((rc = format_targets(ctx, (enum export_format)f, targets, formats, &ntargets)))
				return rc;
	} else if ((rc = text_targets(ctx, (enum export_format)fmt, targets, formats, &ntargets))) {
		return rc;
	}
	if ((rc = cli_project_paths(ctx, &paths, &npaths)) ||
	    (npaths > 1 && (rc = declared_somewhere(ctx, paths, npaths)))) {
		util_strv_free(paths, npaths);
		return rc;
	}
	/* several projects in JSON are one document: their objects in "projects" */
	json_init(&j, ctx->out.out);
	if (fmt < 0 && npaths > 1) {
		json_object_begin(&j);
		json_kv_int(&j, "schema_version", EXPORT_SCHEMA_VERSION);
		json_key(&j, "projects");
		json_array_begin(&j);
	}
	/* every project is tried: across a distribution one bad project
	 * should not hide the others; the worst status is returned */
	for (size_t i = 0; i < npaths; i++) {
		rc = export_project(ctx, &j, paths[i], fmt, targets, formats, ntargets, &nwritten,
				    &nproblems);
		if (rc > worst)
			worst = rc;
	}
	if (fmt < 0 && npaths > 1) {
		json_array_end(&j);
		json_object_end(&j);
	}
	if (fmt < 0 && (npaths > 1 || nwritten))
		json_end(&j);
	util_strv_free(paths, npaths);
	if (!worst && nproblems && !a->allow_unmapped)
		return ED_EXIT_UNMET;
	return worst;
}

static const char *const formats[] = { "debian-control", "rpm-spec", "conda-recipe", "conda-meta",
				       "nix", "homebrew", "arch", "cibuildwheel", "json", NULL };

/* The projects are loaded here, not by the set-up: each is tried even when
 * another fails, and the registry's scope depends on the format. */
const struct cmd cmd_export = {
	.name = "export",
	.run = run,
	.summary = "write the selected dependencies in a packaging format, one document per project",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.opts = opts,
	.opt = handle_opt,
	.args_size = sizeof(struct export_args),
	.formats = formats,
	.flags = CMD_SELECTION,
};
