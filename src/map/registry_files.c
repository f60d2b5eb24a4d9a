/* registry_files.c - loading mapping files from memory, files and
 * directories: each document goes, by its file name, to the loader of its
 * kind (registry_yaml.c or pep804.c). The compiled-in set is
 * registry_embedded.c's. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "regload.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

bool reg_mapping_json_name(const char *base, char *stem, size_t size, char **release)
{
	size_t len = strlen(base);
	char *plus;

	if (!ends_with(base, ".mapping.json") || len <= 13 || len - 13 >= size)
		return false;
	snprintf(stem, size, "%.*s", (int)(len - 13), base);
	/* ECOSYSTEM+RELEASE.mapping.json holds that release's overrides */
	plus = strchr(stem, '+');
	if (plus)
		*plus++ = '\0';
	if (release)
		*release = plus;
	return true;
}

/* The loader for the file named BASE. */
static int dispatch(struct reg_ld *ld, const char *base)
{
	size_t len = strlen(base);
	char stem[256], *release;

	if (!strcmp(base, "registry.yaml"))
		return reg_load_registry_yaml(ld);
	if (!strcmp(base, "registry.json"))
		return reg_load_pep804_registry(ld);
	if (reg_mapping_json_name(base, stem, sizeof stem, &release))
		return reg_load_pep804_mapping(ld, reg_pep804_owner(ld->reg, stem), release);
	if (ends_with(base, ".yaml") && len > 5 && len - 5 < sizeof stem) {
		snprintf(stem, sizeof stem, "%.*s", (int)(len - 5), base);
		return reg_load_eco_yaml(ld, stem);
	}
	return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, 0, 0,
			   "not a mapping file name: expected registry.yaml, ECOSYSTEM.yaml, registry.json or ECOSYSTEM.mapping.json");
}

int registry_load_buffer(struct registry *reg, const char *name, const char *text, size_t len,
			 struct ed_diag *d)
{
	struct reg_ld ld;
	int rc = reg_ld_open(&ld, reg, name, text, len, d);

	if (rc)
		return rc;
	rc = dispatch(&ld, base_name(name));
	reg_ld_close(&ld);
	return rc;
}

int registry_load_file(struct registry *reg, const char *path, struct ed_diag *d)
{
	size_t len;
	char *text = util_read_file(path, &len, d);
	int rc;

	if (!text)
		return d ? d->status : ED_EXIT_INPUT;
	rc = registry_load_buffer(reg, path, text, len, d);
	free(text);
	return rc;
}

static bool is_mapping_file(const char *name)
{
	return name[0] != '.' && (ends_with(name, ".yaml") || !strcmp(name, "registry.json") ||
				  ends_with(name, ".mapping.json"));
}

/* registry.* first (definitions before what refers to them), then the
 * ecosystem files, then PEP 804's mapping documents (so that one finds the
 * ecosystem whose pep804_id names it), each by name. */
static int file_rank(const char *name)
{
	return !strncmp(name, "registry.", 9) ? 0 : ends_with(name, ".mapping.json") ? 2 : 1;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = file_rank(x), ry = file_rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x, y);
}

int registry_load_dir(struct registry *reg, const char *dir, struct ed_diag *d)
{
	DIR *dh = opendir(dir);
	struct dirent *ent;
	struct strbuf path = STRBUF_INIT;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!dh)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "cannot open mapping directory '%s': %s",
				   dir, strerror(errno));
	while ((ent = readdir(dh)))
		if (is_mapping_file(ent->d_name) && !util_strv_push(&names, &n, ent->d_name)) {
			rc = ed_diag_oom(d);
			goto out;
		}
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n && !rc; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		rc = path.oom ? ed_diag_oom(d) : registry_load_file(reg, path.buf, d);
	}
out:
	strbuf_release(&path);
	closedir(dh);
	util_strv_free(names, n);
	return rc;
}
