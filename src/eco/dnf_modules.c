/* dnf_modules.c - EL's module streams: which packages of an rpm-md
 * repository dnf hides because their stream is not enabled by default. */
#include "extdeps/eco/dnf_modules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <solv/knownid.h>
#include <solv/repodata.h>
#include <solv/util.h>

#include "extdeps/eco/solvext.h"
#include "extdeps/util/util.h"

/* The scalar under KEY of mapping node N of DOC, or NULL. */
static yaml_node_t *child(yaml_document_t *doc, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* One stream of a module (a modulemd document): its artifacts' NEVRAs. */
struct stream {
	char *module, *stream;
	char **rpms;
	size_t nrpms;
};

struct modules {
	struct stream *v;
	size_t n;
	char **defaults; /* "MODULE:STREAM" of each modulemd-defaults document */
	size_t ndefaults;
};

static void modules_fini(struct modules *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].module);
		free(m->v[i].stream);
		util_strv_free(m->v[i].rpms, m->v[i].nrpms);
	}
	free(m->v);
	util_strv_free(m->defaults, m->ndefaults);
}

/* Keep what document DOC says; false when out of memory. */
static bool take(yaml_document_t *doc, struct modules *m)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	const char *kind = scalar(child(doc, root, "document"));
	yaml_node_t *data = child(doc, root, "data");

	if (kind && !strcmp(kind, "modulemd-defaults")) {
		const char *mod = scalar(child(doc, data, "module"));
		const char *st = scalar(child(doc, data, "stream"));
		char buf[512];

		if (!mod || !st)
			return true; /* a module without a default stream */
		snprintf(buf, sizeof buf, "%s:%s", mod, st);
		return util_strv_push(&m->defaults, &m->ndefaults, buf);
	}
	if (kind && !strcmp(kind, "modulemd")) {
		const char *mod = scalar(child(doc, data, "name"));
		const char *st = scalar(child(doc, data, "stream"));
		yaml_node_t *rpms = child(doc, child(doc, data, "artifacts"), "rpms");
		struct stream *v, *s;

		if (!mod || !st || !rpms || rpms->type != YAML_SEQUENCE_NODE)
			return true;
		if (!(v = realloc(m->v, (m->n + 1) * sizeof *v)))
			return false;
		m->v = v;
		s = memset(&m->v[m->n++], 0, sizeof *s);
		if (!(s->module = util_strdup(mod)) || !(s->stream = util_strdup(st)))
			return false;
		for (yaml_node_item_t *i = rpms->data.sequence.items.start;
		     i < rpms->data.sequence.items.top; i++) {
			const char *nevra = scalar(yaml_document_get_node(doc, *i));

			if (nevra && !util_strv_push(&s->rpms, &s->nrpms, nevra))
				return false;
		}
	}
	return true;
}

/* Read every document of the modules.yaml at PATH into M. */
static int read_modules(const char *path, struct modules *m, struct ed_diag *d)
{
	FILE *fp = solvext_xfopen(path, "r");
	yaml_parser_t parser;
	int rc = 0;

	if (!fp)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s",
				   solvext_strerror(errno));
	if (!yaml_parser_initialize(&parser)) {
		fclose(fp);
		return ed_diag_oom(d);
	}
	yaml_parser_set_input_file(&parser, fp);
	for (;;) {
		yaml_document_t doc;
		bool ok;

		if (!yaml_parser_load(&parser, &doc)) {
			rc = ed_diag_set(d, ED_EXIT_ENV, path, (int)parser.problem_mark.line + 1,
					 (int)parser.problem_mark.column + 1, "corrupt modules data: %s",
					 parser.problem ? parser.problem : "read error");
			break;
		}
		if (!yaml_document_get_root_node(&doc)) {
			yaml_document_delete(&doc);
			break;
		}
		ok = take(&doc, m);
		yaml_document_delete(&doc);
		if (!ok) {
			rc = ed_diag_oom(d);
			break;
		}
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

static bool is_default(const struct modules *m, const struct stream *s)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s:%s", s->module, s->stream);
	for (size_t i = 0; i < m->ndefaults; i++)
		if (!strcmp(m->defaults[i], buf))
			return true;
	return false;
}

/* NEVRA ("nodejs-1:20.9.0-1.module_el8.9.0+3.x86_64") as name, EVR as rpm
 * writes it (the epoch only when not 0) and arch ids of POOL; false when it
 * is not one. */
static bool split_nevra(Pool *pool, const char *nevra, Id *name, Id *evr, Id *arch)
{
	const char *dot = strrchr(nevra, '.'), *rel, *ver, *colon;
	char buf[512];

	if (!dot || strlen(nevra) >= sizeof buf)
		return false;
	snprintf(buf, sizeof buf, "%.*s", (int)(dot - nevra), nevra);
	if (!(rel = strrchr(buf, '-')) || rel == buf)
		return false;
	*(char *)rel = '\0';
	if (!(ver = strrchr(buf, '-')) || ver == buf)
		return false;
	*(char *)ver = '\0';
	ver++;
	colon = strchr(ver, ':');
	*name = pool_str2id(pool, buf, 1);
	*arch = pool_str2id(pool, dot + 1, 1);
	if (colon && !(colon - ver == 1 && ver[0] == '0'))
		*evr = pool_str2id(pool, pool_tmpjoin(pool, ver, "-", rel + 1), 1);
	else
		*evr = pool_str2id(pool, pool_tmpjoin(pool, colon ? colon + 1 : ver, "-", rel + 1), 1);
	return true;
}

static int cmp_triple(const void *a, const void *b, void *dp)
{
	const Id *x = a, *y = b;

	(void)dp;
	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Whether the triple KEY is among the N sorted triples of V. */
static bool bsearch_r_triple(const Id *key, const Id *v, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_triple(key, v + 3 * mid, NULL);

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Remove from REPO the packages HIDDEN holds (by name, EVR and arch). */
static void remove_hidden(Repo *repo, Repo *hidden)
{
	Queue t, gone;
	Solvable *s;
	Id p;

	queue_init(&t);
	queue_init(&gone);
	FOR_REPO_SOLVABLES(hidden, p, s)
	{
		queue_push(&t, s->name);
		queue_push2(&t, s->evr, s->arch);
	}
	solv_sort(t.elements, (size_t)t.count / 3, 3 * sizeof(Id), cmp_triple, NULL);
	FOR_REPO_SOLVABLES(repo, p, s)
	{
		Id key[3] = { s->name, s->evr, s->arch };

		if (bsearch_r_triple(key, t.elements, (size_t)t.count / 3))
			queue_push(&gone, p);
	}
	for (int i = 0; i < gone.count; i++)
		repo_free_solvable(repo, gone.elements[i], 0);
	queue_free(&t);
	queue_free(&gone);
}

int dnf_modules_load(Pool *pool, Repo *repo, const char *path, const char *label, size_t *nhidden,
		     struct ed_diag *d)
{
	struct modules m = { 0 };
	Repo *hidden;
	Repodata *data;
	int rc;

	if (nhidden)
		*nhidden = 0;
	if ((rc = read_modules(path, &m, d)))
		goto out;
	hidden = repo_create(pool, label);
	/* libsolv leaves a disabled repository's packages out of every solve */
	hidden->disabled = 1;
	data = repo_add_repodata(hidden, 0);
	for (size_t i = 0; i < m.n; i++) {
		const struct stream *st = &m.v[i];
		const char *ms;

		if (is_default(&m, st))
			continue;
		ms = pool_tmpjoin(pool, st->module, ":", st->stream);
		for (size_t k = 0; k < st->nrpms; k++) {
			Id name, evr, arch, p;
			Solvable *s;

			if (!split_nevra(pool, st->rpms[k], &name, &evr, &arch) ||
			    arch == ARCH_SRC || arch == ARCH_NOSRC)
				continue;
			p = repo_add_solvable(hidden);
			s = pool->solvables + p;
			s->name = name;
			s->evr = evr;
			s->arch = arch;
			repodata_set_poolstr(data, p, SOLVABLE_DISTRIBUTION, ms);
		}
	}
	repo_internalize(hidden);
	if (nhidden)
		*nhidden = (size_t)hidden->nsolvables;
	/* dnf's modular filtering: a package of a stream not enabled is not
	 * offered, whichever version it has */
	if (repo && hidden->nsolvables)
		remove_hidden(repo, hidden);
out:
	modules_fini(&m);
	return rc;
}

const char *dnf_modules_why(Pool *pool, Id p)
{
	const char *ms = solvable_lookup_str(pool->solvables + p, SOLVABLE_DISTRIBUTION);

	if (!ms)
		return NULL;
	return pool_tmpjoin(pool, "only in the module stream ", ms,
			    pool_tmpjoin(pool, ", which is not enabled by default; to enable it, as "
					       "root: dnf module enable ",
					 ms, NULL));
}

/* rpmmd_extra.load: the hidden packages of the repository LABEL go to a
 * disabled repository beside it, and out of REPO when it was just parsed
 * (NULL: read from a .solv cache, which holds it filtered already). */
static int load_modules(Pool *pool, Repo *repo, const char *path, const char *label,
			struct ed_diag *d)
{
	char hidden[160];

	snprintf(hidden, sizeof hidden, "%s:modules", label);
	return dnf_modules_load(pool, repo, path, hidden, NULL, d);
}

const struct rpmmd_extra dnf_modules_data = { "modules", load_modules };
