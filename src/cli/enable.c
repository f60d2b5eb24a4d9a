/* enable.c - --enable-repo: the registry's repositories besides a target's
 * own archive that a load adds (cli.h's cli_enable_repos), and whether this
 * machine's package manager has them. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

static void enabled_fini(struct cli_enabled *e)
{
	free(e->v);
	util_strv_free(e->strings, e->nstrings);
	memset(e, 0, sizeof *e);
}

/* A copy of S kept in E (NULL for NULL); *FAILED when out of memory. */
static const char *keep(struct cli_enabled *e, const char *s, bool *failed)
{
	if (!s)
		return NULL;
	if (!util_strv_push(&e->strings, &e->nstrings, s)) {
		*failed = true;
		return NULL;
	}
	return e->strings[e->nstrings - 1];
}

/* TEMPLATE filled for T, kept in E (NULL for NULL). */
static const char *keep_expanded(struct cli_enabled *e, const char *template_,
				 const struct reg_target *t, bool *failed)
{
	char *s = template_ ? registry_expand(template_, t) : NULL;
	const char *kept;

	if (template_ && !s)
		*failed = true;
	kept = keep(e, s, failed);
	free(s);
	return kept;
}

/* R's enable commands filled for T, on one line ("a b; c d"), kept in E. */
static const char *keep_enable(struct cli_enabled *e, const struct reg_repository *r,
			       const struct reg_target *t, bool *failed)
{
	struct strbuf b = STRBUF_INIT;
	const char *line;

	for (size_t c = 0; c < r->nenable; c++)
		for (size_t w = 0; r->enable[c][w]; w++) {
			char *s = registry_expand(r->enable[c][w], t);

			strbuf_addstr(&b, c && !w ? "; " : w ? " " : "");
			strbuf_addstr(&b, s ? s : r->enable[c][w]);
			free(s);
		}
	if (b.oom)
		*failed = true;
	line = keep(e, strbuf_str(&b), failed);
	strbuf_release(&b);
	return line;
}

/* "a, b, c": the repository ids of T's ecosystem and of those it inherits
 * from, or "none", into B. */
static void known_ids(const struct registry *reg, const struct reg_target *t, struct strbuf *b)
{
	const struct reg_ecosystem *e = t->eco;

	for (int depth = 0; e && depth < 8; depth++) {
		for (size_t i = 0; i < e->nrepositories; i++) {
			const char *id = e->repositories[i].id;

			/* a parent's repository of an id the child redefines */
			if (registry_find_repository(reg, t, id) != &e->repositories[i])
				continue;
			strbuf_addstr(b, b->len ? ", " : "");
			strbuf_addstr(b, id);
		}
		e = e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL;
	}
	if (!b->len)
		strbuf_addstr(b, "none");
}

static int unknown_id(struct ctx *ctx, const struct reg_target *t, const char *id, size_t len)
{
	struct strbuf b = STRBUF_INIT;

	known_ids(ctx->reg, t, &b);
	out_error(&ctx->out, "--enable-repo: '%.*s' is not a repository of %s (known: %s)",
		  (int)len, id, t->eco->id, strbuf_str(&b));
	strbuf_release(&b);
	return ED_EXIT_INPUT;
}

/* The repository VALUE ("ID" or "ID=URL") names, checked against ECO,
 * into *OUT with its strings kept in E. */
static int decide_one(struct ctx *ctx, const struct reg_target *t, const struct eco_ops *eco,
		      const char *value, struct cli_enabled *e, struct eco_repo *out)
{
	size_t idlen = strcspn(value, "=");
	const char *url = value[idlen] ? value + idlen + 1 : NULL;
	const struct reg_repository *r = NULL;
	char id[128];
	bool failed = false;

	if (idlen < sizeof id) {
		snprintf(id, sizeof id, "%.*s", (int)idlen, value);
		r = registry_find_repository(ctx->reg, t, id);
	}
	if (!r)
		return unknown_id(ctx, t, value, idlen);
	if (!(eco->repo_kinds & (r->component ? ECO_REPO_COMPONENT : ECO_REPO_URL))) {
		out_error(&ctx->out, "--enable-repo=%s: the %s backend adds no %s", r->id, eco->name,
			  r->component ? "components of the archive" : "repositories of other vendors");
		return ED_EXIT_INPUT;
	}
	if (r->component && url) {
		out_error(&ctx->out, "--enable-repo=%s: a component of the archive takes no URL "
				     "(--mirror names the archive's)",
			  r->id);
		return ED_EXIT_INPUT;
	}
	if (url && !*url) {
		out_error(&ctx->out, "--enable-repo=%s=: the URL is empty", r->id);
		return ED_EXIT_INPUT;
	}
	*out = (struct eco_repo){ .id = r->id, .name = r->name, .component = r->component };
	out->home_url = keep_expanded(e, r->url, t, &failed);
	out->url = url ? keep(e, url, &failed) : out->home_url;
	out->suite = keep_expanded(e, r->suite, t, &failed);
	out->keyring = keep_expanded(e, r->keyring, t, &failed);
	out->enable = keep_enable(e, r, t, &failed);
	if (failed) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	return 0;
}

int cli_enable_repos(struct ctx *ctx, const struct reg_target *t, const struct eco_ops *eco)
{
	struct cli_enabled *e = &ctx->enabled;
	int rc;

	enabled_fini(e);
	if (!ctx->nenable_repos)
		return 0;
	if (!eco->repo_kinds) {
		out_error(&ctx->out, "--enable-repo: the %s backend (%s) loads no repositories "
				     "besides the target's",
			  eco->name, t->eco->id);
		return ED_EXIT_INPUT;
	}
	if (!(e->v = calloc(ctx->nenable_repos, sizeof *e->v))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	for (size_t i = 0; i < ctx->nenable_repos; i++) {
		struct eco_repo r;
		size_t k = 0;

		if ((rc = decide_one(ctx, t, eco, ctx->enable_repos[i], e, &r))) {
			enabled_fini(e);
			return rc;
		}
		/* the same id again: the later one replaces it */
		while (k < e->n && strcmp(e->v[k].id, r.id))
			k++;
		e->v[k] = r;
		if (k == e->n)
			e->n++;
	}
	return 0;
}

int cli_enabled_on_host(struct ctx *ctx, const struct eco_ops *eco, const struct eco_repo *r)
{
	if (eco->has_repo && eco->has_repo(&(struct eco_opts){ 0 }, r))
		return 0;
	out_error(&ctx->out, "%s is not among the repositories this machine's %s is configured "
			     "with; to install from it, enable it first, as root: %s",
		  r->name ? r->name : r->id, eco->name,
		  r->enable && *r->enable ? r->enable : "(no commands known)");
	return ED_EXIT_ENV;
}

void cli_enabled_free(struct ctx *ctx)
{
	enabled_fini(&ctx->enabled);
}
