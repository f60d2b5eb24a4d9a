/* .solv cache entries: a hit with the right cookie, a miss with another,
 * and a damaged entry (a flipped byte anywhere, a cut) a miss that is
 * removed; entries written later, by a child. */
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

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/net/repocache.h"

static char dir[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/extdeps-repocache-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A repository of N packages "pkgI-1.0". */
static Repo *fixture(Pool *pool, int n)
{
	Repo *repo = repo_create(pool, "fixture");
	char name[32];

	for (int i = 0; i < n; i++) {
		Solvable *s = pool_id2solvable(pool, repo_add_solvable(repo));

		snprintf(name, sizeof name, "pkg%d", i);
		s->name = pool_str2id(pool, name, 1);
		s->evr = pool_str2id(pool, "1.0", 1);
		s->arch = pool_str2id(pool, "noarch", 1);
	}
	repo_internalize(repo);
	return repo;
}

static void damage(const char *path, long at, bool cut)
{
	FILE *f = fopen(path, "r+b");
	int c;

	assert_non_null(f);
	if (cut) {
		assert_int_equal(ftruncate(fileno(f), at), 0);
	} else {
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		c = fgetc(f);
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		fputc(c ^ 0x01, f);
	}
	assert_int_equal(fclose(f), 0);
}

static void test_hit_miss_damage(void **state)
{
	unsigned char cookie[REPOCACHE_COOKIE_LEN], other[REPOCACHE_COOKIE_LEN];
	struct repocache *c = repocache_new(dir, "sub");
	Pool *pool = pool_create();
	char path[512];
	struct stat st;
	Repo *repo;

	(void)state;
	assert_non_null(c);
	memset(cookie, 1, sizeof cookie);
	memset(other, 2, sizeof other);
	repo = fixture(pool, 2000);
	assert_true(repocache_store(c, repo, "k", cookie));
	assert_true(repocache_entry_path(c, "k", path, sizeof path));
	assert_int_equal(stat(path, &st), 0);
	assert_null(repocache_load(c, pool, "again", "k", other));
	assert_int_equal(access(path, F_OK), 0); /* another cookie: kept */
	repo = repocache_load(c, pool, "again", "k", cookie);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 2000);
	/* a flipped byte at the start, in the middle, at the end; a cut */
	for (int k = 0; k < 4; k++) {
		long at = k == 0 ? 300 : k == 1 ? (long)st.st_size / 2 : (long)st.st_size - 1;

		assert_true(repocache_store(c, repo, "k", cookie));
		damage(path, k == 3 ? (long)st.st_size / 2 : at, k == 3);
		assert_null(repocache_load(c, pool, "damaged", "k", cookie));
		assert_int_equal(access(path, F_OK), -1);
	}
	pool_free(pool);
	repocache_free(c);
}

/* Entries queued with repocache_store_later are written by a child when the
 * cache is freed, while the pool goes on changing here; once the writers
 * are waited for, each entry is there and whole, with what the pool held
 * when the cache was freed. */
static void test_store_later(void **state)
{
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	struct repocache *c = repocache_new(dir, "later");
	Pool *pool = pool_create();
	char path[512];
	Repo *a, *b;

	(void)state;
	assert_non_null(c);
	memset(cookie, 3, sizeof cookie);
	a = fixture(pool, 3000);
	b = fixture(pool, 10);
	assert_true(repocache_store_later(c, a, "a", cookie, NULL, NULL));
	assert_true(repocache_store_later(c, b, "b", cookie, NULL, NULL));
	assert_true(repocache_entry_path(c, "a", path, sizeof path));
	assert_int_equal(access(path, F_OK), -1); /* not before the free */
	repocache_free(c);
	/* the parent's pool changes under the writer: not its copy */
	repo_free(b, 1);
	fixture(pool, 5);
	repocache_wait_writers();
	assert_int_equal(access(path, F_OK), 0);
	c = repocache_new(dir, "later");
	a = repocache_load(c, pool, "again", "a", cookie);
	assert_non_null(a);
	assert_int_equal(a->nsolvables, 3000);
	b = repocache_load(c, pool, "again", "b", cookie);
	assert_non_null(b);
	assert_int_equal(b->nsolvables, 10);
	repocache_wait_writers(); /* none: a no-op */
	pool_free(pool);
	repocache_free(c);
}

/* repocache_reload_fn for the test below: "grown" reads back one package
 * more than was first read, so that the entry shows which way it was
 * written; "gone" no longer matches its cookie. */
static Repo *reload(const char *source, const char *name,
		    const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	Pool *pool;

	(void)name;
	(void)cookie;
	if (strcmp(source, "grown"))
		return NULL;
	pool = pool_create();
	return fixture(pool, 11);
}

/* A repository that is a small part of its pool is read again for the
 * writer, where a reader is given; a large one is written from the pool, and
 * so is one whose source cannot be read again. */
static void test_store_later_reload(void **state)
{
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	struct repocache *c = repocache_new(dir, "reload");
	Pool *pool = pool_create();
	Repo *big, *small, *gone;

	(void)state;
	assert_non_null(c);
	memset(cookie, 4, sizeof cookie);
	big = fixture(pool, 3000);
	small = fixture(pool, 10);
	gone = fixture(pool, 10);
	assert_true(repocache_store_later(c, big, "big", cookie, reload, "grown"));
	assert_true(repocache_store_later(c, small, "small", cookie, reload, "grown"));
	assert_true(repocache_store_later(c, gone, "gone", cookie, reload, "gone"));
	repocache_free(c);
	repocache_wait_writers();
	c = repocache_new(dir, "reload");
	big = repocache_load(c, pool, "again", "big", cookie);
	small = repocache_load(c, pool, "again", "small", cookie);
	gone = repocache_load(c, pool, "again", "gone", cookie);
	assert_non_null(big);
	assert_non_null(small);
	assert_non_null(gone);
	assert_int_equal(big->nsolvables, 3000);
	assert_int_equal(small->nsolvables, 11);
	assert_int_equal(gone->nsolvables, 10);
	pool_free(pool);
	repocache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_miss_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_later_reload, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
