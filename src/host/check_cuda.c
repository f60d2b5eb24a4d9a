/* check_cuda.c - `check` of the CUDA family: the toolkit, its libraries and
 * tools, cuDNN, NCCL, TensorRT ... from every installation cuda_find.h finds,
 * and the driver, which bounds what the machine can run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/probe.h"
#include "check_int.h"

#define TOOLKIT_ID "dep:generic/cuda"
#define DRIVER_ID "dep:generic/cuda-driver"

bool check_cuda_applies(const char *id)
{
	return !strcmp(id, TOOLKIT_ID) || !strcmp(id, DRIVER_ID) || cuda_component_of(id) >= 0;
}

/* What only the driver answers: the driver, and the toolkit at run time
 * (a program needs the driver to run, not nvcc). */
static bool driver_answers(const char *id, enum ed_stage stage)
{
	return !strcmp(id, DRIVER_ID) || (!strcmp(id, TOOLKIT_ID) && stage == ED_STAGE_RUN);
}

bool check_cuda_packages_first(const char *id, enum ed_stage stage)
{
	return !driver_answers(id, stage);
}

const char *check_cuda_fix_id(const char *id, enum ed_stage stage)
{
	return driver_answers(id, stage) ? DRIVER_ID : id;
}

static const struct cuda_installs *installs(struct check_host *h)
{
	if (!h->installs_done) {
		struct cuda_find_opts o = { .root = h->root, .search_path = h->search_path };
		/* out of memory: nothing found, as cuda_find leaves it */
		cuda_find(&o, &h->installs);
		h->installs_done = true;
	}
	return &h->installs;
}

static const struct cuda_driver *driver(struct check_host *h)
{
	if (!h->driver_done) {
		cuda_driver_detect(&h->driver);
		h->driver_done = true;
	}
	return &h->driver;
}

void check_cuda_fini(struct check_host *h)
{
	cuda_installs_fini(&h->installs);
}

/* A driver runs every CUDA release up to its own: only the lower bounds of
 * a constraint apply to it. 1 meets, 0 not, 2 no constraint. */
static int driver_verdict(const char *version, const struct pep440_spec *spec)
{
	int verdict = 1;

	if (!spec || !spec->count)
		return 2;
	for (size_t i = 0; i < spec->count; i++) {
		const struct pep440_clause *c = &spec->clauses[i];
		int cmp = pep440_cmp(version, c->version);
		if (((c->op == PEP440_GE || c->op == PEP440_EQ) && cmp < 0) ||
		    (c->op == PEP440_GT && cmp <= 0))
			verdict = 0;
	}
	return verdict;
}

static void try_driver(struct check_host *h, const struct pep440_spec *spec, struct attempt *a)
{
	const struct cuda_driver *drv;
	struct check_evidence ev;

	if (h->no_gpu) {
		a->not_checked = true;
		return;
	}
	drv = driver(h);
	if (!drv->present) {
		check_tried(a, "%s", drv->why);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = CHECK_BY_CUDA_DRIVER;
	ev.about = "driver";
	snprintf(ev.what, sizeof ev.what, "libcuda");
	snprintf(ev.path, sizeof ev.path, "%s",
		 drv->overridden ? "$EXTDEPS_CUDA_DRIVER_VERSION" : drv->library);
	snprintf(ev.version, sizeof ev.version, "%s", drv->version_str);
	ev.verdict = driver_verdict(drv->version_str, spec);
	check_offer(a, &ev);
}

/* 1 VERSION meets SPEC, 0 not, -1 not comparable ("" or a soname's "13"
 * against a constraint: the major alone is compared when the constraint's
 * bounds are whole majors), 2 no constraint. */
static int version_verdict(const char *version, const struct pep440_spec *spec)
{
	if (!spec || !spec->count)
		return 2;
	if (!*version)
		return -1;
	return probe_spec_check(spec, version, PROBE_CMP_PEP440);
}

static bool meets(const char *version, void *spec)
{
	return version_verdict(version, spec) >= 1;
}

/* The evidence of an installation IN for what it was looked at as. */
static void install_evidence(struct check_evidence *ev, const struct cuda_install *in,
			     const char *what, const char *path, const char *version)
{
	snprintf(ev->what, sizeof ev->what, "%s", what);
	snprintf(ev->path, sizeof ev->path, "%s", path);
	snprintf(ev->version, sizeof ev->version, "%s", version);
	ev->place = cuda_place_id(in->place);
	snprintf(ev->location, sizeof ev->location, "%s", in->root);
}

/* The toolkit for building: an installation whose own version meets SPEC
 * (nvcc's, version.json's). */
static void try_toolkit(struct check_host *h, const struct pep440_spec *spec, struct attempt *a)
{
	const struct cuda_installs *in = installs(h);
	bool any = false;

	for (size_t i = 0; i < in->n && a->rank < 3; i++) {
		const struct cuda_install *t = &in->v[i];
		struct check_evidence ev;

		if (!t->comp[CUDA_NVCC].present && !t->comp[CUDA_CUDART].present)
			continue;
		any = true;
		memset(&ev, 0, sizeof ev);
		ev.method = CHECK_BY_CUDA_TOOLKIT;
		ev.about = "toolkit";
		install_evidence(&ev, t, "toolkit",
				 t->comp[CUDA_NVCC].present ? t->comp[CUDA_NVCC].path : t->root,
				 t->version);
		ev.verdict = version_verdict(t->version, spec);
		check_offer(a, &ev);
	}
	if (!any)
		check_tried(a, "no CUDA toolkit (no nvcc or runtime in $CUDA_HOME, $CUDA_PATH, "
			       "/usr/local/cuda*, a conda prefix, NVIDIA's wheels or on PATH)");
}

/* Component C: the first installation whose C meets SPEC, else the first
 * that has it. */
static void try_component(struct check_host *h, enum cuda_component c,
			  const struct pep440_spec *spec, struct attempt *a)
{
	const struct cuda_install *in = cuda_installs_best(installs(h), c, meets, (void *)spec);
	struct check_evidence ev;

	if (!in) {
		check_tried(a, "no %s in any CUDA installation", cuda_component_name(c));
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = CHECK_BY_CUDA_LIBRARY;
	install_evidence(&ev, in, cuda_component_name(c), in->comp[c].path, in->comp[c].version);
	ev.verdict = version_verdict(in->comp[c].version, spec);
	check_offer(a, &ev);
}

/* This machine's driver runs CUDA up to an older release than the toolkit
 * A's evidence found: what is built here does not run here. */
static void note_old_driver(struct check_host *h, struct attempt *a)
{
	const char *v = a->best.version;
	const struct cuda_driver *drv;
	char major_minor[32];
	size_t n;

	if (h->no_gpu || a->best.method != CHECK_BY_CUDA_TOOLKIT || !*v)
		return;
	drv = driver(h);
	if (!drv->present)
		return;
	/* the driver speaks of X.Y: 12.4.131 is CUDA 12.4 */
	n = strcspn(v, ".");
	if (v[n] == '.')
		n += 1 + strcspn(v + n + 1, ".");
	snprintf(major_minor, sizeof major_minor, "%.*s", (int)n, v);
	if (pep440_cmp(drv->version_str, major_minor) < 0)
		snprintf(a->best.note, sizeof a->best.note,
			 "this machine's driver runs CUDA up to %s, older than the toolkit",
			 drv->version_str);
}

void check_cuda_try(struct check_host *h, const char *id, enum ed_stage stage,
		    const struct pep440_spec *spec, struct attempt *a)
{
	int c = cuda_component_of(id);

	if (driver_answers(id, stage))
		try_driver(h, spec, a);
	else if (!strcmp(id, TOOLKIT_ID))
		try_toolkit(h, spec, a);
	else if (c >= 0)
		try_component(h, (enum cuda_component)c, spec, a);
	note_old_driver(h, a);
}
