/* fetch.h - downloading repository metadata with libcurl.
 *
 * Every backend's update() goes through here, so that all of them get the
 * same behaviour: conditional requests (the ETag and Last-Modified of the
 * cached copy, kept beside it in DEST.meta), connect and stall timeouts,
 * retries with backoff on transient failures, an optional checksum and size
 * limit, atomic replacement (util/lockfile.h's atomicfile: a temporary file
 * in DEST's directory, fsync, rename) so that the previous good copy stays
 * when a download fails, is truncated or does not verify, and a progress
 * bar on a terminal.
 *
 * Ownership: a struct fetch holds one curl handle (connections are reused
 * across calls); free it with fetch_free. Strings are borrowed for the
 * duration of a call.
 *
 * Errors: 0, or ED_EXIT_ENV with D naming the URL and what went wrong (HTTP
 * status, timeout, size or checksum mismatch). Nothing at DEST changes then.
 */
#ifndef EXTDEPS_FETCH_H
#define EXTDEPS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extdeps/util/diag.h"

struct fetch;

struct fetch_opts {
	long connect_timeout_s; /* 0: 15 */
	long stall_timeout_s;   /* abort when under 1 byte/s for this long; 0: 30 */
	int retries;            /* further tries after a transient failure; <0: 0, 0: 2 */
	bool progress;          /* draw a progress bar on stderr (callers pass
				 * "stderr is a terminal and not CI") */
};

/* A new fetcher, or NULL with D filled (ED_EXIT_ENV) when libcurl cannot be
 * loaded or initialised. O may be NULL. libcurl is loaded at run time, on
 * the first call (EXTDEPS_LIBCURL names another file). */
struct fetch *fetch_new(const struct fetch_opts *o, struct ed_diag *d);
void fetch_free(struct fetch *f);

/* What the downloaded file must be; every field optional. */
struct fetch_expect {
	const char *sha256;  /* lower-case hex: the content must hash to it */
	uint64_t size;       /* exact size in bytes; 0: unknown */
	uint64_t max_size;   /* refuse more than this; 0: 1 GiB */
	/* Called on the complete download (PATH: a temporary file beside
	 * DEST) after the checks above and before it replaces DEST, for
	 * metadata no checksum is published for: non-zero refuses it, with D
	 * filled, and DEST stays. NULL: no check. */
	int (*check)(const char *path, void *ud, struct ed_diag *d);
	void *check_ud;
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

/* Download URL to DEST (a path; its directory must exist). When DEST exists,
 * the request is conditional. With EXP->sha256 set and DEST already hashing to
 * it, nothing is requested (FETCH_NOT_MODIFIED). R may be NULL; on failure
 * R->http_status is the error status the server answered (404), else 0. */
int fetch_file(struct fetch *f, const char *url, const char *dest,
	       const struct fetch_expect *exp, struct fetch_result *r, struct ed_diag *d);

/* The sha256 of the file at PATH as lower-case hex into HEX[65]; false when
 * it cannot be read. */
bool fetch_sha256_file(const char *path, char hex[65]);

#endif
