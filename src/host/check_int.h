/* check_int.h - what the files of `check` share (check.c: databases and
 * probes; check_cuda.c: CUDA toolkits, libraries and the driver). */
#ifndef EXTDEPS_HOST_CHECK_INT_H
#define EXTDEPS_HOST_CHECK_INT_H

#include <stdbool.h>

#include "extdeps/host/check.h"
#include "extdeps/host/cuda.h"
#include "extdeps/host/cuda_find.h"
#include "extdeps/util/strbuf.h"

#define MAX_DBS 8
#define VERSION_TIMEOUT_MS 5000

struct check_db {
	struct installed *db;
	struct reg_target target;
};

struct check_host {
	const struct registry *reg;
	char *root;              /* or NULL for "/" */
	char *search_path;       /* or NULL for $PATH */
	bool has_target;         /* the host's own target (install commands) */
	struct reg_target target;
	struct check_db dbs[MAX_DBS];
	struct check_db_info infos[MAX_DBS];
	size_t ndbs;
	struct probe_pc *pc;     /* made on first use */
	bool pc_failed;
	bool no_gpu;             /* the driver is not checked (check_host_no_gpu) */
	/* CUDA, found on first use */
	bool driver_done, installs_done;
	struct cuda_driver driver;
	struct cuda_installs installs;
};

/* Where a candidate stands: the best evidence so far by rank. */
struct attempt {
	struct check_evidence best;
	/* 0 nothing, 1 unverified, 2 too old, 3 satisfied: a version actually
	 * compared says more than one that could not be */
	int rank;
	struct strbuf tried;
	bool not_checked; /* the evidence would come from the driver, and --no-gpu */
};

/* Keep EV when it ranks above A's best; true once satisfied. */
bool check_offer(struct attempt *a, const struct check_evidence *ev);

/* Append an item to A's "; "-separated list of what was looked at. */
void check_tried(struct attempt *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- CUDA (check_cuda.c) --- */

/* Whether ID (a canonical DepURL) is answered by CUDA's probes: the toolkit,
 * one of its libraries or tools, or the driver. */
bool check_cuda_applies(const char *id);

/* Whether ID at STAGE is looked for in the package databases first: not
 * what only the driver answers (the driver itself, the toolkit at run time). */
bool check_cuda_packages_first(const char *id, enum ed_stage stage);

/* Look for ID at STAGE, meeting SPEC (may be NULL), in this machine's CUDA
 * installations or its driver, offering what is found to A. */
void check_cuda_try(struct check_host *h, const char *id, enum ed_stage stage,
		    const struct pep440_spec *spec, struct attempt *a);

/* The DepURL whose packages fix an unmet ID at STAGE: the driver's when the
 * driver answers it, else ID. */
const char *check_cuda_fix_id(const char *id, enum ed_stage stage);

void check_cuda_fini(struct check_host *h);

#endif
