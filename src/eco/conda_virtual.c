/* conda_virtual.c - conda's subdirs and virtual packages (conda_virtual.h). */
#include "extdeps/eco/conda_virtual.h"

#include <ctype.h>
#include <gnu/libc-version.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/repodata.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/conda_match.h"
#include "conda_int.h"

const char *conda_host_subdir(void)
{
	return arch_host(ARCH_CONDA);
}

/* A virtual package as mamba gives libsolv one: an installed solvable of
 * the version, with a build string and build number 0. */
static void add_virtual(Repo *repo, const char *name, const char *version, const char *build)
{
	Pool *pool = repo->pool;
	Repodata *data = repo_last_repodata(repo);
	Solvable *s;
	Id p;

	if (!conda_version_valid(version))
		return;
	if (!data)
		data = repo_add_repodata(repo, 0);
	p = repo_add_solvable(repo);
	s = pool->solvables + p;
	s->name = pool_str2id(pool, name, 1);
	s->evr = pool_str2id(pool, version, 1);
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	repodata_set_poolstr(data, p, SOLVABLE_BUILDFLAVOR, build);
	repodata_set_str(data, p, SOLVABLE_BUILDVERSION, "0");
}

/* The numeric start of a kernel release ("6.1.0-18-amd64" -> "6.1.0"). */
static void kernel_version(const char *release, char *out, size_t size)
{
	size_t n = 0;

	while (release[n] && (isdigit((unsigned char)release[n]) || release[n] == '.'))
		n++;
	while (n && release[n - 1] == '.')
		n--;
	snprintf(out, size, "%.*s", (int)n, n ? release : "0");
}

/* conda's override: set and empty removes the package; unset: HOST_VALUE. */
static void add_overridable(Repo *repo, const char *name, const char *env,
			    const char *host_value, const char *build, size_t *count)
{
	const char *v = getenv(env);

	if (v)
		host_value = *v ? v : NULL;
	if (host_value && conda_version_valid(host_value)) {
		add_virtual(repo, name, host_value, build);
		(*count)++;
	}
}

size_t conda_add_virtual(Repo *repo, const char *subdir, const char *cuda_driver)
{
	const char *host = conda_host_subdir();
	bool is_host = host && subdir && !strcmp(host, subdir);
	bool linux_ = subdir && !strncmp(subdir, "linux-", 6);
	bool osx = subdir && !strncmp(subdir, "osx-", 4);
	bool win = subdir && !strncmp(subdir, "win-", 4);
	char kernel[64] = "", glibc[64] = "";
	struct utsname u;
	size_t count = 0;
	bool have_uname = uname(&u) == 0;

	if (linux_ || osx) {
		add_virtual(repo, "__unix", "0", "0");
		count++;
	}
	if (win) {
		add_virtual(repo, "__win", "0", "0");
		count++;
	}
	if (linux_) {
		if (is_host && have_uname)
			kernel_version(u.release, kernel, sizeof kernel);
		add_overridable(repo, "__linux", "CONDA_OVERRIDE_LINUX", *kernel ? kernel : NULL,
				"0", &count);
		if (is_host)
			snprintf(glibc, sizeof glibc, "%s", gnu_get_libc_version());
		add_overridable(repo, "__glibc", "CONDA_OVERRIDE_GLIBC", *glibc ? glibc : NULL, "0",
				&count);
	}
	if (osx)
		add_overridable(repo, "__osx", "CONDA_OVERRIDE_OSX", NULL, "0", &count);
	/* the driver decides which CUDA builds can run */
	add_overridable(repo, "__cuda", "CONDA_OVERRIDE_CUDA", cuda_driver, "0", &count);
	if (is_host && have_uname) {
		const char *arch = getenv("CONDA_OVERRIDE_ARCHSPEC");

		if (!arch || *arch) {
			add_virtual(repo, "__archspec", "1", arch ? arch : u.machine);
			count++;
		}
	}
	return count;
}
