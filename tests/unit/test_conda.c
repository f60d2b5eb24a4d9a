/* Unit tests of the conda backend (src/eco/conda.c): a fixture channel in
 * the real repodata.json format (linux-64 and noarch, "packages" and
 * "packages.conda"), loaded through eco_find("conda") and solved with
 * libsolv directly; a fixture prefix as the installed set; conda's virtual
 * packages with CONDA_OVERRIDE_*; corrupt metadata. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/solvable.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/conda_match.h"
#include "extdeps/eco/conda_repodata.h"
#include "extdeps/eco/conda_virtual.h"
#include "extdeps/eco/eco.h"

#define CHANNEL FIXTURES "/conda/channel"

static const char *const fixture_channel[] = { CHANNEL };

/* A pool with the fixture channel loaded for linux-64, and the installed
 * repo (virtual packages only) the load creates. */
static Pool *load(const char *cache_dir, struct eco_load_stats *st)
{
	const struct eco_ops *eco = eco_find("conda");
	struct eco_opts o = {
		.platform = "linux-64",
		.channels = fixture_channel,
		.nchannels = 1,
		.offline = true,
		.no_cache = cache_dir == NULL,
		.cache_dir = cache_dir,
	};
	struct ed_diag d;
	Pool *pool = pool_create();

	ed_diag_clear(&d);
	assert_non_null(eco);
	if (eco->pool_setup(pool, &o, &d) || eco->load_available(pool, &o, st, &d))
		fail_msg("load: %s", d.msg);
	pool_createwhatprovides(pool);
	return pool;
}

struct chosen {
	char line[64][128]; /* "name version build", sorted as installed */
	int n;
	int problems;
};

static void solve(Pool *pool, const char *const *specs, size_t n, struct chosen *out)
{
	Queue job;
	Solver *solv;

	memset(out, 0, sizeof *out);
	queue_init(&job);
	for (size_t i = 0; i < n; i++) {
		struct ed_parse_err e = { 0 };
		Id dep = conda_dep_from_spec(pool, specs[i], &e);

		if (!dep)
			fail_msg("'%s': %s", specs[i], e.msg);
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
	}
	solv = solver_create(pool);
	out->problems = solver_solve(solv, &job);
	if (!out->problems) {
		Transaction *tr = solver_create_transaction(solv);

		for (int i = 0; i < tr->steps.count && out->n < 64; i++) {
			Id p = tr->steps.elements[i];
			Solvable *s = pool->solvables + p;

			if (s->repo == pool->installed)
				continue;
			snprintf(out->line[out->n++], sizeof out->line[0], "%s %s %s",
				 pool_id2str(pool, s->name), pool_id2str(pool, pool->solvables[p].evr),
				 solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR));
		}
		transaction_free(tr);
	}
	solver_free(solv);
	queue_free(&job);
}

static bool chose(const struct chosen *c, const char *line)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->line[i], line))
			return true;
	return false;
}

static void expect(const struct chosen *c, const char *line)
{
	if (!chose(c, line)) {
		for (int i = 0; i < c->n; i++)
			fprintf(stderr, "  chosen: %s\n", c->line[i]);
		fail_msg("expected '%s' (problems %d)", line, c->problems);
	}
}

static size_t count_name(Pool *pool, const char *name, Id *last)
{
	Id id = pool_str2id(pool, name, 0), p;
	Solvable *s;
	size_t n = 0;

	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (s->name == id && s->repo != pool->installed) {
			n++;
			if (last)
				*last = p;
		}
	}
	return n;
}

static int setup(void **state)
{
	(void)state;
	setenv("CONDA_OVERRIDE_GLIBC", "2.36", 1);
	setenv("CONDA_OVERRIDE_CUDA", "", 1);
	unsetenv("CONDA_PREFIX");
	return 0;
}

static void test_registered(void **state)
{
	const struct eco_ops *eco = eco_for_ecosystem("conda-forge");

	(void)state;
	assert_non_null(eco);
	assert_string_equal(eco->name, "conda");
	assert_ptr_equal(eco, eco_find("conda"));
	assert_false(eco->install_needs_root(NULL));
	assert_non_null(eco->dep);
	/* the EVR is the version as conda writes it: no translation back */
	assert_null(eco->solvable_version);
	assert_non_null(eco->update);
}

static void test_load_counts(void **state)
{
	struct eco_load_stats st;
	Pool *pool = load(NULL, &st);
	Id p = 0;

	(void)state;
	assert_int_equal(st.repos, 2);
	assert_int_equal(st.missing, 0);
	/* 23 records in linux-64 (one listed in both formats, two invalid),
	 * 3 in noarch */
	assert_int_equal(st.solvables, 20 + 3);
	assert_int_equal(count_name(pool, "zlib", NULL), 2);
	assert_int_equal(count_name(pool, "invalid-version", NULL), 0);
	assert_int_equal(count_name(pool, "invalid-dep", NULL), 0);
	/* the record listed as .tar.bz2 and .conda: one package, the .conda size */
	FOR_POOL_SOLVABLES(p)
	{
		Solvable *s = pool->solvables + p;

		if (s->repo != pool->installed && !strcmp(pool_id2str(pool, s->name), "zlib") &&
		    !strcmp(pool_id2str(pool, pool->solvables[p].evr), "1.3.1"))
			assert_int_equal(solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0), 60000);
	}
	pool_free(pool);
}

static void test_solve_numpy(void **state)
{
	static const char *const specs[] = { "numpy" };
	Pool *pool = load(NULL, NULL);
	struct chosen c;

	(void)state;
	solve(pool, specs, 1, &c);
	assert_int_equal(c.problems, 0);
	/* the highest build number, newest python, the cpython build (pypy's has a higher build number
	 * but track_features), openblas before the featured mkl */
	expect(&c, "numpy 1.26.4 py312h_1");
	expect(&c, "python 3.12.2 hcd_0_cpython");
	expect(&c, "python_abi 3.12 4_cp312");
	expect(&c, "libblas 3.9.0 20_openblas");
	expect(&c, "zlib 1.3.1 h2_1");
	expect(&c, "libgcc-ng 13.2.0 h77_7");
	assert_int_equal(c.n, 6);
	pool_free(pool);
}

static void test_solve_builds_and_versions(void **state)
{
	static const struct {
		const char *spec, *want;
	} cases[] = {
		{ "libblas * *mkl", "libblas 3.9.0 20_mkl" },
		{ "python 3.11.*", "python 3.11.8 hab_0_cpython" },
		{ "python * *pypy", "python 3.12.2 hpy_5_pypy" },
		{ "numpy * py311*", "python 3.11.8 hab_0_cpython" },
		{ "tool", "tool 1.1.0.post1 0" },
		{ "tool <1.1", "tool 1.1rc1 0" },
		{ "tool ==1.1.0", "tool 1.1 0" },
		{ "tool 1.0.*", "tool 1.0 0" },
		{ "tool >1.0,<1.1.0.post1", "tool 1.1 0" },
		{ "tool=1.1", "tool 1.1.0.post1 0" },
		{ "zlib 1.2.*", "zlib 1.2.13 h1_0" },
		{ "pip", "setuptools 69.5.1 pyhd8ed1ab_0" },
	};
	Pool *pool = load(NULL, NULL);

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct chosen c;

		solve(pool, &cases[i].spec, 1, &c);
		if (c.problems)
			fail_msg("'%s': %d problems", cases[i].spec, c.problems);
		expect(&c, cases[i].want);
	}
	pool_free(pool);
}

static void test_constrains(void **state)
{
	static const char *const pin[] = { "pinner", "zlib" };
	static const char *const both[] = { "pinner", "zlib >=1.3" };
	Pool *pool = load(NULL, NULL);
	struct chosen c;

	(void)state;
	solve(pool, pin, 2, &c);
	assert_int_equal(c.problems, 0);
	expect(&c, "zlib 1.2.13 h1_0");
	solve(pool, both, 2, &c);
	assert_true(c.problems > 0);
	pool_free(pool);
}

static void test_unsatisfiable(void **state)
{
	static const char *const bad[] = { "bad" };
	static const char *const glibc[] = { "needs-glibc" };
	static const char *const missing[] = { "no-such-package" };
	Pool *pool = load(NULL, NULL);
	struct chosen c;

	(void)state;
	solve(pool, bad, 1, &c);
	assert_true(c.problems > 0);
	/* __glibc 2.36 (the override) is below the 99 asked for */
	solve(pool, glibc, 1, &c);
	assert_true(c.problems > 0);
	solve(pool, missing, 1, &c);
	assert_true(c.problems > 0);
	pool_free(pool);
}

static void test_cuda_override(void **state)
{
	static const char *const spec[] = { "pytorch-cuda" };
	static const struct {
		const char *value;
		bool ok;
	} cases[] = { { "12.4", true }, { "12", true }, { "11.8", false }, { "", false } };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct chosen c;
		Pool *pool;

		setenv("CONDA_OVERRIDE_CUDA", cases[i].value, 1);
		pool = load(NULL, NULL);
		solve(pool, spec, 1, &c);
		if ((c.problems == 0) != cases[i].ok)
			fail_msg("CONDA_OVERRIDE_CUDA='%s': %d problems", cases[i].value, c.problems);
		if (cases[i].ok)
			expect(&c, "pytorch-cuda 12.1 hcuda_0");
		pool_free(pool);
	}
	setenv("CONDA_OVERRIDE_CUDA", "", 1);
}

static void test_virtual_packages(void **state)
{
	Pool *pool = pool_create();
	Repo *repo = repo_create(pool, "v");
	const char *host = conda_host_subdir();
	Solvable *s;
	Id p;
	bool glibc = false, unix_ = false, cuda = false;

	(void)state;
	pool_setdisttype(pool, DISTTYPE_RPM);
	setenv("CONDA_OVERRIDE_CUDA", "12.2", 1);
	/* another platform: only the OS packages and the overrides */
	assert_true(conda_add_virtual(repo, "osx-arm64", NULL) >= 2);
	repo_internalize(repo);
	FOR_REPO_SOLVABLES(repo, p, s)
	{
		const char *n = pool_id2str(pool, s->name);

		unix_ |= !strcmp(n, "__unix");
		glibc |= !strcmp(n, "__glibc");
		if (!strcmp(n, "__cuda")) {
			cuda = true;
			assert_string_equal(pool_id2str(pool, pool->solvables[p].evr), "12.2");
		}
	}
	assert_true(unix_);
	assert_true(cuda);
	assert_false(glibc);
	if (host && !strncmp(host, "linux-", 6)) {
		Repo *h = repo_create(pool, "host");
		bool archspec = false, linux_ = false;

		conda_add_virtual(h, host, NULL);
		repo_internalize(h);
		FOR_REPO_SOLVABLES(h, p, s)
		{
			archspec |= !strcmp(pool_id2str(pool, s->name), "__archspec");
			linux_ |= !strcmp(pool_id2str(pool, s->name), "__linux");
		}
		assert_true(archspec);
		assert_true(linux_);
	}
	setenv("CONDA_OVERRIDE_CUDA", "", 1);
	pool_free(pool);
}

static void test_installed_prefix(void **state)
{
	const struct eco_ops *eco = eco_find("conda");
	static const char *const spec[] = { "zlib 1.2.*" };
	struct eco_opts o = { .platform = "linux-64", .root = "/" };
	struct ed_diag d;
	struct chosen c;
	Pool *pool = load(NULL, NULL);
	Repo *inst = NULL;
	size_t zlib = 0;
	Solvable *s;
	Id p;

	(void)state;
	setenv("CONDA_PREFIX", FIXTURES "/conda/prefix", 1);
	ed_diag_clear(&d);
	if (eco->load_installed(pool, &o, &inst, &d))
		fail_msg("%s", d.msg);
	unsetenv("CONDA_PREFIX");
	assert_non_null(inst);
	assert_ptr_equal(inst, pool->installed);
	FOR_REPO_SOLVABLES(inst, p, s)
	if (!strcmp(pool_id2str(pool, s->name), "zlib")) {
		zlib++;
		assert_string_equal(pool_id2str(pool, pool->solvables[p].evr), "1.2.13");
	}
	assert_int_equal(zlib, 1);
	pool_createwhatprovides(pool);
	/* already installed: nothing to do */
	solve(pool, spec, 1, &c);
	assert_int_equal(c.problems, 0);
	assert_int_equal(c.n, 0);
	pool_free(pool);
}

static void test_bad_json(void **state)
{
	static const struct {
		const char *file;
		int line;
	} cases[] = {
		{ "corrupt.json", 3 },
		{ "truncated.json", 0 },
		{ "array.json", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512];
		struct ed_diag d;
		Pool *pool = pool_create();
		Repo *repo;

		snprintf(path, sizeof path, "%s/conda/bad/%s", FIXTURES, cases[i].file);
		ed_diag_clear(&d);
		pool_setdisttype(pool, DISTTYPE_RPM);
		repo = conda_load_repodata(pool, path, "bad", 0, NULL, &d);
		assert_null(repo);
		assert_int_equal(pool->nrepos, 1); /* nothing left */
		assert_int_equal(d.status, ED_EXIT_ENV);
		assert_string_equal(d.file, path);
		if (cases[i].line)
			assert_int_equal(d.line, cases[i].line);
		else
			assert_true(d.line > 1);
		assert_true(d.col > 0);
		assert_non_null(strstr(d.msg, "invalid repository metadata"));
		pool_free(pool);
	}
}

static void test_oversized(void **state)
{
	struct ed_diag d;
	Pool *pool = pool_create();

	(void)state;
	ed_diag_clear(&d);
	pool_setdisttype(pool, DISTTYPE_RPM);
	assert_null(conda_load_repodata(pool, CHANNEL "/linux-64/repodata.json", "big", 4096, NULL,
					&d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "larger than 4096 bytes"));
	ed_diag_clear(&d);
	assert_null(conda_load_repodata(pool, FIXTURES "/conda/none.json", "x", 0, NULL, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	pool_free(pool);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void test_cache_roundtrip(void **state)
{
	char tmp[] = "/tmp/extdeps-conda-XXXXXX";
	struct eco_load_stats st;
	Pool *pool;
	Id p = 0;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	pool = load(tmp, &st);
	assert_int_equal(st.cache_writes, 2);
	assert_int_equal(st.cache_hits, 0);
	pool_free(pool);
	pool = load(tmp, &st);
	assert_int_equal(st.cache_hits, 2);
	assert_int_equal(st.solvables, 23);
	/* what the cache kept: versions as written, builds, build provides */
	assert_int_equal(count_name(pool, "tool", &p), 4);
	{
		static const char *const specs[] = { "numpy" };
		struct chosen c;

		solve(pool, specs, 1, &c);
		assert_int_equal(c.problems, 0);
		expect(&c, "python 3.12.2 hcd_0_cpython");
		expect(&c, "python_abi 3.12 4_cp312");
	}
	pool_free(pool);
	nftw(tmp, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_missing_metadata(void **state)
{
	const struct eco_ops *eco = eco_find("conda");
	static const char *const remote[] = { "conda-forge" };
	static const char *const bad_name[] = { "--evil" };
	char tmp[] = "/tmp/extdeps-conda-XXXXXX";
	struct eco_opts o = { .platform = "linux-64", .offline = true, .no_cache = true };
	struct ed_diag d;
	Pool *pool = pool_create();

	(void)state;
	assert_non_null(mkdtemp(tmp));
	o.cache_dir = tmp;
	o.channels = remote;
	o.nchannels = 1;
	ed_diag_clear(&d);
	assert_int_equal(eco->pool_setup(pool, &o, &d), 0);
	assert_int_equal(eco->load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "extdeps update"));
	o.channels = bad_name;
	assert_int_equal(eco->load_available(pool, &o, NULL, &d), ED_EXIT_INPUT);
	o.platform = "beos-64";
	assert_int_equal(eco->pool_setup(pool, &o, &d), ED_EXIT_INPUT);
	pool_free(pool);
	nftw(tmp, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_dep_and_version(void **state)
{
	const struct eco_ops *eco = eco_find("conda");
	Pool *pool = load(NULL, NULL);
	Queue q;
	Id p, pp, dep;
	int n = 0;

	(void)state;
	queue_init(&q);
	dep = eco->dep(pool, "tool", REL_LT, "1.1");
	FOR_PROVIDES(p, pp, dep)
	{
		n++;
		assert_true(!strcmp(pool_id2str(pool, pool->solvables[p].evr), "1.0") ||
			    !strcmp(pool_id2str(pool, pool->solvables[p].evr), "1.1rc1"));
	}
	assert_int_equal(n, 2);
	/* conda's equality: 1.1 == 1.1.0 */
	n = 0;
	dep = eco->dep(pool, "tool", REL_EQ, "1.1.0");
	FOR_PROVIDES(p, pp, dep)
	n++;
	assert_int_equal(n, 1);
	assert_int_equal(eco->dep(pool, "tool", 0, NULL), pool_str2id(pool, "tool", 0));
	queue_free(&q);
	pool_free(pool);
}

static void test_install_argv(void **state)
{
	const struct eco_ops *eco = eco_find("conda");
	static const char *const ok[] = { "numpy >=1.20,<2", "python 3.12.* *_cpython" };
	static const char *const bad[] = { "-rf", "numpy; rm", "numpy $(x)", "", "numpy[version=1]" };
	char tmp[] = "/tmp/extdeps-conda-XXXXXX", tool[512];
	char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	struct ed_diag d;
	char **argv;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(tool, sizeof tool, "%s/micromamba", tmp);
	f = fopen(tool, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	chmod(tool, 0755);
	setenv("PATH", tmp, 1);
	ed_diag_clear(&d);
	argv = eco->install_argv(NULL, ok, 2, ECO_INSTALL_YES | ECO_INSTALL_SIMULATE, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "micromamba");
	assert_string_equal(argv[1], "install");
	assert_string_equal(argv[2], "-y");
	assert_string_equal(argv[3], "--override-channels");
	assert_string_equal(argv[4], "-c");
	assert_string_equal(argv[5], "conda-forge");
	assert_string_equal(argv[6], "--dry-run");
	assert_string_equal(argv[7], "numpy >=1.20,<2");
	assert_string_equal(argv[8], "python 3.12.* *_cpython");
	assert_null(argv[9]);
	eco_argv_free(argv);
	/* the plan's channels, in order; names under --mirror become URLs */
	{
		static const char *const chans[] = { "bioconda", "/srv/chan",
						     "https://example.org/ch" };
		struct eco_opts o = { .channels = chans, .nchannels = 3 };
		static const char *const want[] = { "micromamba", "install", "--override-channels",
						    "-c", "bioconda", "-c", "/srv/chan", "-c",
						    "https://example.org/ch", "numpy >=1.20,<2" };

		for (int run = 0; run < 2; run++) {
			argv = eco->install_argv(&o, ok, 1, 0, &d);
			assert_non_null(argv);
			for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
				assert_string_equal(argv[i], run && i == 4 ? "http://127.0.0.1:9/m/bioconda"
									   : want[i]);
			assert_null(argv[sizeof want / sizeof want[0]]);
			eco_argv_free(argv);
			o.mirror = "http://127.0.0.1:9/m";
		}
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ed_diag_clear(&d);
		assert_null(eco->install_argv(NULL, &bad[i], 1, 0, &d));
		assert_int_equal(d.status, ED_EXIT_INPUT);
	}
	assert_null(eco->install_argv(NULL, ok, 0, 0, &d));
	if (old_path)
		setenv("PATH", old_path, 1);
	free(old_path);
	remove(tool);
	rmdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_load_counts),
		cmocka_unit_test(test_solve_numpy),
		cmocka_unit_test(test_solve_builds_and_versions),
		cmocka_unit_test(test_constrains),
		cmocka_unit_test(test_unsatisfiable),
		cmocka_unit_test(test_cuda_override),
		cmocka_unit_test(test_virtual_packages),
		cmocka_unit_test(test_installed_prefix),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_cache_roundtrip),
		cmocka_unit_test(test_missing_metadata),
		cmocka_unit_test(test_dep_and_version),
		cmocka_unit_test(test_install_argv),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
