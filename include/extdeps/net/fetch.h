/* fetch.h - downloading repository metadata with libcurl.
 *
 * Every backend's update() goes through here, so that all of them get the
 * same behaviour: conditional requests (the ETag and Last-Modified of the
 * cached copy, kept beside it in DEST.meta with the sha256 the copy had when
 * it was put in place: a copy that no longer hashes to it is fetched again
 * unconditionally), connect and stall timeouts, a deadline for all the
 * downloads of one fetcher and a minimum average rate, retries with backoff
 * on transient failures, an optional checksum, size limit and check of the
 * content, atomic replacement (util/lockfile.h's atomicfile: a temporary
 * file in DEST's directory, fsync, rename) so that the previous good copy
 * stays when a download fails, is truncated or does not verify, and a
 * progress bar on a terminal.
 *
 * Ownership: a struct fetch holds one curl handle (connections are reused
 * across calls); free it with fetch_free. Strings are borrowed for the
 * duration of a call.
 *
 * Errors: 0, or ED_EXIT_ENV with D naming the URL and what went wrong:
 *   "cannot download 'URL': HTTP status 404"
 *   "cannot download 'URL': timed out: ..."      (connect or stall timeout)
 *   "cannot download 'URL': timed out: the downloads took longer than N s"
 *   "cannot download 'URL': too slow: B bytes in S s, under the minimum of
 *    R bytes/s"
 *   "cannot download 'URL': larger than N bytes"
 *   "cannot download 'URL': size mismatch: ..." / "checksum mismatch: ..."
 *   "'URL' is not usable, the cached copy is kept: WHY" (fetch_expect.check,
 *    or fetch_expect.head as soon as the body's first bytes arrive)
 * Nothing at DEST changes then.
 */
#ifndef EXTDEPS_FETCH_H
#define EXTDEPS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extdeps/util/diag.h"

struct fetch;
struct fetch_result;

/* How much of a body fetch_expect.head sees. */
#define FETCH_HEAD_LEN 4096

struct fetch_opts {
	long connect_timeout_s; /* 0: 15 */
	long stall_timeout_s;   /* abort when under 1 byte/s for this long; 0: 30 */
	long timeout_s;         /* every download through this fetcher, retries and
				 * back-off included, ends by this many seconds after
				 * fetch_new; 0: 600 */
	long min_rate;          /* abort a transfer whose average rate is under this
				 * many bytes/s once it has run for the stall time
				 * (not retried); 0: 1024; <0: no minimum */
	int retries;            /* further tries after a transient failure; <0: 0, 0: 2 */
	bool progress;          /* draw a progress bar on stderr (callers pass
				 * "stderr is a terminal and not CI") */
	/* Called when fetch_file has a file, downloaded or current, with its
	 * label (fetch_expect.label) and outcome: where no bar is drawn (a CI
	 * log), a line per file says what a long update does. Or NULL. */
	void (*done)(const char *label, const struct fetch_result *r, void *ud);
	void *done_ud;
};

/* A new fetcher, or NULL with D filled (ED_EXIT_ENV) when libcurl cannot be
 * loaded or initialised. O may be NULL. libcurl is loaded at run time, on
 * the first call (EXTDEPS_LIBCURL names another file). */
struct fetch *fetch_new(const struct fetch_opts *o, struct ed_diag *d);
void fetch_free(struct fetch *f);

/* What the downloaded file must be; every field optional. */
struct fetch_expect {
	const char *label;   /* what progress calls the file ("bookworm/main/
			      * binary-amd64/Packages.xz"); NULL: the URL's last part */
	const char *sha256;  /* lower-case hex: the content must hash to it */
	uint64_t size;       /* exact size in bytes; 0: unknown */
	uint64_t max_size;   /* refuse more than this; 0: 1 GiB */
	/* Called on the complete download (PATH: a temporary file beside
	 * DEST) after the checks above and before it replaces DEST, for
	 * metadata no checksum is published for: non-zero refuses it, with D
	 * filled, and DEST stays. NULL: no check. */
	int (*check)(const char *path, void *ud, struct ed_diag *d);
	void *check_ud;
	/* Called once on the body's first FETCH_HEAD_LEN bytes (all of it
	 * when it is shorter) as soon as they arrive: non-zero, with D
	 * filled, refuses the download there and then (not retried), so that
	 * a body that is not the format at all (a gigabyte of zeros, an HTML
	 * page) is neither stored nor waited for. NULL: no check. */
	int (*head)(const unsigned char *buf, size_t len, struct ed_diag *d);
	/* Run CHECK on the cached copy too when the server says it is
	 * current (304): a copy that fails is fetched again, unconditionally.
	 * For checks that depend on more than the content (a signature and
	 * the keyring); cheap ones only. */
	bool check_cached;
};

enum fetch_outcome {
	FETCH_DOWNLOADED,   /* DEST replaced by a new, verified copy */
	FETCH_NOT_MODIFIED, /* the server said 304; DEST kept */
};

struct fetch_result {
	enum fetch_outcome outcome;
	long http_status;
	uint64_t bytes; /* received */
};

/* Download URL to DEST (a path; its directory must exist). When DEST exists
 * and still hashes to what it was put in place as, the request is
 * conditional; a damaged copy is fetched unconditionally. With EXP->sha256
 * set and DEST already hashing to it, nothing is requested
 * (FETCH_NOT_MODIFIED); otherwise such a file is always fetched whole. R may
 * be NULL; on failure R->http_status is the error status the server
 * answered (404), else 0. */
int fetch_file(struct fetch *f, const char *url, const char *dest,
	       const struct fetch_expect *exp, struct fetch_result *r, struct ed_diag *d);

/* The sha256 of the file at PATH as lower-case hex into HEX[65]; false when
 * it cannot be read or is not a regular file. */
bool fetch_sha256_file(const char *path, char hex[65]);

/* Forget DEST's validators (its meta): the next request for it is
 * unconditional. For a copy that verified but led to files that do not (an
 * unsigned InRelease whose indexes fail their checksums). */
void fetch_forget(const char *dest);

enum fetch_cached {
	FETCH_CACHED_OK,         /* hashes to what it was put in place as */
	FETCH_CACHED_DAMAGED,    /* absent, not a regular file, or changed since */
	FETCH_CACHED_UNRECORDED, /* no checksum recorded (a meta lost, or written
				  * before checksums were): only parsing can tell */
};

/* Whether DEST, a copy fetch_file put there, still is what it was then: for
 * a loader about to trust a cached file no published checksum covers (it
 * reads the whole file, so call it when a cache entry is rebuilt, not on
 * every load). */
enum fetch_cached fetch_cached_check(const char *dest);

#endif
