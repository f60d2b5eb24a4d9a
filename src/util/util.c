#include "extdeps/util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_LIMIT (64u << 20)

int util_open_regular(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : UTIL_ENOTREG;
		close(fd);
		errno = err;
		return -1;
	}
	/* reads of a regular file never block; the flag only mattered for
	 * the open itself */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

FILE *util_fopen_regular(const char *path)
{
	int fd = util_open_regular(path), err;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "rb"))) {
		err = errno;
		close(fd);
		errno = err;
	}
	return f;
}

const char *util_open_strerror(int err)
{
	return err == UTIL_ENOTREG ? "not a regular file" : strerror(err);
}

/* Permissions and the machine's own failures are the environment's
 * (exit 3, extdeps(1)); a missing file or one of the wrong kind is what the
 * user named. */
static enum ed_exit read_status(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case ELOOP:
	case ENAMETOOLONG:
	case UTIL_ENOTREG:
		return ED_EXIT_INPUT;
	default:
		return ED_EXIT_ENV;
	}
}

char *util_read_file(const char *path, size_t *len, struct ed_diag *d)
{
	FILE *f = util_fopen_regular(path);
	char *buf = NULL;
	size_t cap = 0, used = 0;
	struct stat st;

	if (!f) {
		int err = errno;

		if (err == EISDIR)
			ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "cannot read '%s': is a directory",
				    path);
		else
			ed_diag_set(d, read_status(err), NULL, 0, 0, "cannot read '%s': %s", path,
				    util_open_strerror(err));
		errno = err;
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0)
		st.st_mode = 0;
	for (;;) {
		if (used + 1 >= cap) {
			/* a regular file's size first (one allocation, no copies),
			 * doubling after that: the file may grow, or be a pipe */
			size_t ncap = cap ? cap * 2 :
				      S_ISREG(st.st_mode) && st.st_size > 0 &&
						      (uint64_t)st.st_size < READ_LIMIT ?
					    (size_t)st.st_size + 2 :
					    8192;
			char *nb;
			if (ncap > READ_LIMIT + 1) {
				ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					    "cannot read '%s': larger than 64 MiB", path);
				goto fail;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
				goto fail;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + used, 1, cap - used - 1, f);
		used += got;
		if (got == 0) {
			if (ferror(f)) {
				ed_diag_set(d, read_status(errno), NULL, 0, 0, "cannot read '%s': %s",
					    path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	buf[used] = '\0';
	*len = used;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

char *util_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *util_strndup(const char *s, size_t n)
{
	char *r;

	if (!s)
		return NULL;
	r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

/* The edit distance of A and B when it is at most MAX, else MAX + 1: a
 * row whose every cell is past MAX cannot come back under it, and neither
 * can lengths further apart than MAX. */
static size_t edit_distance_within(const char *a, const char *b, size_t max)
{
	size_t la = strnlen(a, 255), lb = strnlen(b, 255);
	size_t row[256];

	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], least;
		least = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < least)
				least = best;
		}
		if (least > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

size_t util_edit_distance(const char *a, const char *b)
{
	return edit_distance_within(a, b, 255);
}

const char *util_nearest(const char *word, const char *const *candidates, size_t n)
{
	size_t limit = strlen(word) / 3, best_d = (size_t)-1;
	const char *best = NULL;

	if (limit < 2)
		limit = 2;
	/* only a distance within LIMIT and under the best so far matters:
	 * the others are cut short (registries hold thousands of names) */
	for (size_t i = 0; i < n; i++) {
		size_t bound = best_d <= limit ? best_d - 1 : limit;
		size_t dist = edit_distance_within(word, candidates[i], bound);
		if (dist <= bound) {
			best_d = dist;
			best = candidates[i];
			if (!dist)
				break;
		}
	}
	if (best_d <= limit)
		return best;
	/* a shortened name: the one candidate it begins as a whole part */
	best = NULL;
	for (size_t i = 0, len = strlen(word); len && i < n; i++)
		if (!strncmp(candidates[i], word, len) && candidates[i][len] &&
		    strchr("-_.:/", candidates[i][len])) {
			if (best)
				return NULL;
			best = candidates[i];
		}
	return best;
}

void util_human_bytes(double v, char *out, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	int u = 0;

	while (v >= 1024 && u < 3)
		v /= 1024, u++;
	snprintf(out, size, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

bool util_strv_push(char ***list, size_t *n, const char *s)
{
	char *copy;

	/* the capacity is the next power of two: growth amortised without a
	 * capacity field */
	if (!(*n & (*n - 1)) || *n < 4) {
		size_t cap = *n < 4 ? 4 : *n * 2;
		char **nl;
		if (cap > SIZE_MAX / sizeof *nl || !(nl = realloc(*list, cap * sizeof *nl)))
			return false;
		*list = nl;
	}
	if (!(copy = strdup(s)))
		return false;
	(*list)[(*n)++] = copy;
	return true;
}

void util_strv_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

bool util_join_root(const char *root, const char *abs, char *out, size_t size)
{
	size_t rl = strlen(root);
	int n;

	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	n = snprintf(out, size, "%.*s%s", (int)rl, root, abs);
	return n > 0 && (size_t)n < size;
}

bool util_strip_last(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

bool util_root_path(const char *root, const char *path, char *out, size_t size)
{
	int n;

	if (*path == '/')
		return util_join_root(root, path, out, size);
	n = snprintf(out, size, "%s", path);
	return n >= 0 && (size_t)n < size;
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return !access(path, X_OK) && !stat(path, &st) && S_ISREG(st.st_mode);
}

bool util_which(const char *name, const char *search_path, char *out, size_t size)
{
	const char *p;

	if (!name || !*name)
		return false;
	if (strchr(name, '/')) {
		if (!is_executable_file(name))
			return false;
		snprintf(out, size, "%s", name);
		return true;
	}
	if (!search_path)
		search_path = getenv("PATH");
	if (!search_path)
		search_path = "/usr/bin:/bin";
	for (p = search_path;; ) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		char buf[4096];
		/* an empty PATH element means the current directory (execvp) */
		int n = len ? snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, name)
			    : snprintf(buf, sizeof buf, "./%s", name);
		if (n > 0 && (size_t)n < sizeof buf && is_executable_file(buf)) {
			snprintf(out, size, "%s", buf);
			return true;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	return false;
}

int util_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool util_grow_(void **p, size_t need, size_t *cap, size_t elem)
{
	size_t n;
	void *np;

	if (need <= *cap)
		return true;
	n = *cap < 8 ? 8 : *cap + *cap / 2;
	if (n < need)
		n = need;
	if (n > SIZE_MAX / elem)
		return false;
	if (!(np = realloc(*p, n * elem)))
		return false;
	*p = np;
	*cap = n;
	return true;
}

double util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool util_sh_plain(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789+-.,_/:=@%") == strlen(s);
}
