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

/* The loader for the file named BASE. */
static int dispatch(struct reg_ld *ld, const char *base)
{
	size_t len = strlen(base);
	char stem[256];

	if (!strcmp(base, "registry.yaml"))
		return reg_load_registry_yaml(ld);
	if (!strcmp(base, "registry.json"))
		return reg_load_pep804_registry(ld);
	if (ends_with(base, ".mapping.json") && len > 13 && len - 13 < sizeof stem) {
		/* ECOSYSTEM+RELEASE.mapping.json holds that release's overrides */
		char *plus;
		snprintf(stem, sizeof stem, "%.*s", (int)(len - 13), base);
		plus = strchr(stem, '+');
		if (plus)
			*plus++ = '\0';
		return reg_load_pep804_mapping(ld, stem, plus);
	}
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

/* registry.* first (definitions before what refers to them), then by name. */
static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	bool rx = !strncmp(x, "registry.", 9), ry = !strncmp(y, "registry.", 9);

	if (rx != ry)
		return rx ? -1 : 1;
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
