/* fetch.c - downloading repository metadata with libcurl. */
#include "extdeps/net/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include <solv/chksum.h>
#include <solv/knownid.h>

#include "extdeps/util/dynlib.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/util.h"
#include "config.h"

#define DEFAULT_CONNECT_S 15
#define DEFAULT_STALL_S 30
#define DEFAULT_TIMEOUT_S 600
#define DEFAULT_MIN_RATE 1024
#define DEFAULT_RETRIES 2
#define DEFAULT_MAX_SIZE ((uint64_t)1 << 30)
#define META_MAX 1024

struct fetch {
	CURL *curl;
	struct fetch_opts o;
	double deadline_ms; /* util_now_ms() when every download must be over */
};

/* libcurl is loaded when a first download needs it: linked, it and the
 * TLS, Kerberos and LDAP libraries it brings cost every run, `extdeps
 * check` included, some 11 ms of start-up. Built against libcurl's headers;
 * its ABI has kept the soname's major 4 since 2006. */
#ifdef __APPLE__
#define LIBCURL_SONAME "libcurl.4.dylib"
#else
#define LIBCURL_SONAME "libcurl.so.4"
#endif

static struct curl_fns {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *c);
	void (*easy_reset)(CURL *c);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	CURLcode (*easy_perform)(CURL *c);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} curl;

#define CURL_FN(f) { "curl_" #f, offsetof(struct curl_fns, f) }
static const struct dynlib_fn curl_fn_names[] = {
	CURL_FN(global_init), CURL_FN(easy_init), CURL_FN(easy_cleanup),
	CURL_FN(easy_reset), CURL_FN(easy_setopt), CURL_FN(easy_getinfo),
	CURL_FN(easy_perform), CURL_FN(easy_strerror), CURL_FN(slist_append),
	CURL_FN(slist_free_all),
};

/* Load libcurl once (EXTDEPS_LIBCURL names another file, for tests) and
 * run curl_global_init, which is not thread-safe before 7.84: extdeps is
 * one thread. */
static bool curl_load(struct ed_diag *d)
{
	static bool ready;
	const char *name = getenv("EXTDEPS_LIBCURL");
	char why[ED_DIAG_MSG_MAX];

	if (ready)
		return true;
	if (!dynlib_load(name && *name ? name : LIBCURL_SONAME, "libcurl", curl_fn_names,
			 sizeof curl_fn_names / sizeof *curl_fn_names, &curl, why, sizeof why)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "%s", why);
		return false;
	}
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot initialise libcurl");
		return false;
	}
	ready = true;
	return true;
}

/* EXTDEPS_FETCH_TIMEOUT=N: connect and stall timeouts of N seconds, so that
 * tests of a stalled server finish quickly. */
static long env_timeout(void)
{
	const char *s = getenv("EXTDEPS_FETCH_TIMEOUT");
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 3600)
		return 0;
	return v;
}

struct fetch *fetch_new(const struct fetch_opts *o, struct ed_diag *d)
{
	struct fetch *f;
	long t = env_timeout();

	if (!curl_load(d))
		return NULL;
	if (!(f = calloc(1, sizeof *f))) {
		ed_diag_oom(d);
		return NULL;
	}
	if (o)
		f->o = *o;
	if (f->o.connect_timeout_s <= 0)
		f->o.connect_timeout_s = DEFAULT_CONNECT_S;
	if (f->o.stall_timeout_s <= 0)
		f->o.stall_timeout_s = DEFAULT_STALL_S;
	if (t) {
		f->o.connect_timeout_s = t;
		f->o.stall_timeout_s = t;
	}
	if (f->o.timeout_s <= 0)
		f->o.timeout_s = DEFAULT_TIMEOUT_S;
	if (f->o.min_rate == 0)
		f->o.min_rate = DEFAULT_MIN_RATE;
	f->deadline_ms = util_now_ms() + 1000.0 * (double)f->o.timeout_s;
	if (f->o.retries < 0)
		f->o.retries = 0;
	else if (f->o.retries == 0)
		f->o.retries = DEFAULT_RETRIES;
	if (!(f->curl = curl.easy_init())) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot initialise libcurl");
		free(f);
		return NULL;
	}
	return f;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	curl.easy_cleanup(f->curl);
	free(f);
}

/* --- hashing --- */

static void to_hex(const unsigned char *sum, int len, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < len; i++) {
		hex[2 * i] = digits[sum[i] >> 4];
		hex[2 * i + 1] = digits[sum[i] & 15];
	}
	hex[2 * len] = '\0';
}

static bool chksum_hex(Chksum *h, char hex[65])
{
	int len = 0;
	const unsigned char *sum = solv_chksum_get(h, &len);

	if (!sum || len != 32)
		return false;
	to_hex(sum, len, hex);
	return true;
}

bool fetch_sha256_file(const char *path, char hex[65])
{
	unsigned char buf[1 << 15];
	Chksum *h;
	ssize_t got;
	bool ok;
	int fd = util_open_regular(path);

	if (fd < 0)
		return false;
	h = solv_chksum_create(REPOKEY_TYPE_SHA256);
	if (!h) {
		close(fd);
		return false;
	}
	while ((got = read(fd, buf, sizeof buf)) > 0)
		solv_chksum_add(h, buf, (int)got);
	ok = got == 0 && chksum_hex(h, hex);
	solv_chksum_free(h, NULL);
	close(fd);
	return ok;
}

/* --- DEST.meta: the validators of the cached copy --- */

struct meta {
	char etag[META_MAX];
	char modified[META_MAX];
	char url[META_MAX];
	char sha256[65]; /* what the copy hashed to when it was put in place */
};

static bool meta_path(const char *dest, char *out, size_t size)
{
	int n = snprintf(out, size, "%s.meta", dest);

	return n > 0 && (size_t)n < size;
}

/* The meta file is "key: value" lines; a value never holds a newline (the
 * header parser strips them). Anything unreadable is an empty meta, which
 * only costs a full download. */
static void meta_read(const char *dest, struct meta *m)
{
	char path[PATH_MAX], line[META_MAX + 32];
	FILE *fp;

	memset(m, 0, sizeof *m);
	if (!meta_path(dest, path, sizeof path) || !(fp = util_fopen_regular(path)))
		return;
	while (fgets(line, sizeof line, fp)) {
		char *nl = strchr(line, '\n');
		char *target = NULL;
		const char *val = NULL;

		if (nl)
			*nl = '\0';
		if (!strncmp(line, "etag: ", 6))
			target = m->etag, val = line + 6;
		else if (!strncmp(line, "last-modified: ", 15))
			target = m->modified, val = line + 15;
		else if (!strncmp(line, "url: ", 5))
			target = m->url, val = line + 5;
		else if (!strncmp(line, "sha256: ", 8) && strlen(line + 8) == 64)
			memcpy(m->sha256, line + 8, 65);
		if (target && strlen(val) < META_MAX)
			memcpy(target, val, strlen(val) + 1);
	}
	fclose(fp);
}

/* A meta that cannot be written only costs a full download next time:
 * false then, and the caller removes the stale one. */
static bool meta_write(const char *dest, const struct meta *m)
{
	struct atomicfile af = ATOMICFILE_INIT;
	char path[PATH_MAX];
	FILE *fp;

	if (!meta_path(dest, path, sizeof path))
		return false;
	if (atomicfile_open(&af, path, NULL))
		return false;
	if (!(fp = atomicfile_fdopen(&af, NULL))) {
		atomicfile_abort(&af);
		return false;
	}
	fprintf(fp, "url: %s\n", m->url);
	if (m->sha256[0])
		fprintf(fp, "sha256: %s\n", m->sha256);
	if (m->etag[0])
		fprintf(fp, "etag: %s\n", m->etag);
	if (m->modified[0])
		fprintf(fp, "last-modified: %s\n", m->modified);
	return atomicfile_commit(&af, NULL) == 0;
}

/* --- one transfer --- */

struct xfer {
	CURL *curl;
	struct fetch *f;
	const struct fetch_expect *exp;
	struct atomicfile af; /* the temporary the body goes to */
	struct ed_diag *d;    /* filled when writing it fails */
	Chksum *h;
	uint64_t bytes, max_size;
	bool too_big, write_failed, too_slow;
	/* the body's first bytes, for EXP->head */
	unsigned char head[FETCH_HEAD_LEN];
	size_t head_len;
	bool head_checked, head_failed;
	struct ed_diag head_why;
	long status;
	double started_ms;   /* when this attempt began */
	struct meta got; /* validators from the response headers */
	/* progress */
	bool progress;
	const char *name;
	curl_off_t last_drawn;
	time_t last_time;
	bool drawn;
};

/* Run EXP->head on what X has of the body's first bytes, once; false when
 * it refuses them (X->head_why says why). */
static bool head_passes(struct xfer *x)
{
	if (!x->exp->head || x->head_checked)
		return !x->head_failed;
	x->head_checked = true;
	ed_diag_clear(&x->head_why);
	x->head_failed = x->exp->head(x->head, x->head_len, &x->head_why) != 0;
	return !x->head_failed;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct xfer *x = userdata;
	size_t n = size * nmemb;

	/* The body of an error response is not the file: dropped, so that it
	 * cannot trip the size limit and hide the status. */
	curl.easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status >= 300)
		return n;
	if (x->bytes + n > x->max_size) {
		x->too_big = true;
		return 0;
	}
	if (x->exp->head && !x->head_checked) {
		size_t take = n < FETCH_HEAD_LEN - x->head_len ? n : FETCH_HEAD_LEN - x->head_len;

		memcpy(x->head + x->head_len, ptr, take);
		x->head_len += take;
		if (x->head_len == FETCH_HEAD_LEN && !head_passes(x))
			return 0;
	}
	if (atomicfile_write(&x->af, ptr, n, x->d)) {
		x->write_failed = true;
		return 0;
	}
	solv_chksum_add(x->h, ptr, (int)n);
	x->bytes += n;
	return n;
}

/* Copy header value VAL (LEN bytes, CRLF stripped) into OUT. */
static void header_value(const char *val, size_t len, char *out)
{
	while (len && (*val == ' ' || *val == '\t'))
		val++, len--;
	while (len && (val[len - 1] == '\r' || val[len - 1] == '\n' || val[len - 1] == ' '))
		len--;
	if (len >= META_MAX)
		len = 0; /* an absurd validator is ignored, not cut */
	memcpy(out, val, len);
	out[len] = '\0';
	/* the meta file is lines: a validator never holds a control character */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)out[i] < ' ' || out[i] == 127)
			out[0] = '\0';
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct xfer *x = userdata;
	size_t n = size * nitems;

	/* Each response (after a redirect, too) starts with a status line:
	 * validators of an earlier response are not this file's. */
	if (n >= 5 && !strncmp(buf, "HTTP/", 5)) {
		x->got.etag[0] = '\0';
		x->got.modified[0] = '\0';
	} else if (n > 5 && !strncasecmp(buf, "etag:", 5)) {
		header_value(buf + 5, n - 5, x->got.etag);
	} else if (n > 14 && !strncasecmp(buf, "last-modified:", 14)) {
		header_value(buf + 14, n - 14, x->got.modified);
	}
	return n;
}

/* A transfer slower on average than the minimum rate, once it has run for
 * the stall time: a mirror dripping a few bytes a second never trips
 * curl's stall check, and would hold the cache's lock for hours. */
static bool too_slow(struct xfer *x, curl_off_t dlnow)
{
	double elapsed_s = (util_now_ms() - x->started_ms) / 1000.0;

	/* nothing at all is curl's stall timeout, retried as a hiccup */
	return x->f->o.min_rate > 0 && dlnow > 0 && elapsed_s >= (double)x->f->o.stall_timeout_s &&
	       (double)dlnow < (double)x->f->o.min_rate * elapsed_s;
}


/* NAME for the progress line into OUT (SIZE bytes): a label comes from
 * metadata, and no control character of it (C0, DEL, C1 in UTF-8) may
 * reach the terminal. */
static void terminal_label(const char *name, char *out, size_t size)
{
	size_t j = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p && j + 1 < size; p++) {
		bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;

		out[j++] = c1 || *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
		p += c1;
	}
	out[j] = '\0';
}
static int on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = clientp;
	time_t now = time(NULL);
	char have[32], all[32], shown[49];

	if (too_slow(x, dlnow)) {
		x->too_slow = true;
		return 1; /* aborts the transfer */
	}
	if (!x->progress || dlnow == x->last_drawn || (x->drawn && now == x->last_time &&
						       dlnow != dltotal))
		return 0;
	x->last_drawn = dlnow;
	x->last_time = now;
	x->drawn = true;
	util_human_bytes((double)dlnow, have, sizeof have);
	terminal_label(x->name, shown, sizeof shown);
	if (dltotal > 0) {
		int width = 30, fill = (int)(dlnow * width / dltotal);

		if (fill > width)
			fill = width;
		util_human_bytes((double)dltotal, all, sizeof all);
		fprintf(stderr, "\r%-48.48s [%.*s%*s] %s / %s\033[K", shown, fill,
			"##############################", width - fill, "", have, all);
	} else {
		fprintf(stderr, "\r%-48.48s %s\033[K", shown, have);
	}
	return 0;
}

/* Whether a failure is worth another try: the network or the server, not
 * the request. */
static bool transient(CURLcode rc, long status)
{
	switch (rc) {
	case CURLE_OK:
		return status >= 500 || status == 408 || status == 429;
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static const char *base_name(const char *url)
{
	const char *q = strrchr(url, '/');

	return q && q[1] ? q + 1 : url;
}

/* Milliseconds left before F's deadline; at least 1 while any is left. */
static long time_left_ms(const struct fetch *f)
{
	double left = f->deadline_ms - util_now_ms();

	return left <= 0 ? 0 : left < 1 ? 1 : (long)left;
}

/* One attempt: download URL into X's temporary. Returns the curl
 * code; X holds the status, size and validators. */
static CURLcode attempt(struct fetch *f, const char *url, const struct meta *cached,
			struct xfer *x, char *errbuf)
{
	struct curl_slist *hdrs = NULL;
	char line[META_MAX + 32];
	CURL *c = f->curl;
	CURLcode rc;

	curl.easy_reset(c);
	curl.easy_setopt(c, CURLOPT_URL, url);
	curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f->o.connect_timeout_s);
	curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, f->o.stall_timeout_s);
	/* the whole command's downloads share one deadline */
	curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, time_left_ms(f));
	curl.easy_setopt(c, CURLOPT_USERAGENT, "extdeps/" EXTDEPS_VERSION);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl.easy_setopt(c, CURLOPT_HEADERDATA, x);
	/* Metadata files are compressed already; a transfer encoding would
	 * only change what the checksum sees if the server got it wrong. */
	curl.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, NULL);
	/* the callback also checks the minimum rate: always on */
	curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl.easy_setopt(c, CURLOPT_XFERINFODATA, x);
	curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_size);
	/* Only the transfer protocols a mirror uses; never file:// through a
	 * redirect. */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,file");
	curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl.easy_setopt(c, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FILE));
	curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (cached && !strcmp(cached->url, url)) {
		if (cached->etag[0]) {
			snprintf(line, sizeof line, "If-None-Match: %s", cached->etag);
			hdrs = curl.slist_append(hdrs, line);
		}
		if (cached->modified[0]) {
			snprintf(line, sizeof line, "If-Modified-Since: %s", cached->modified);
			hdrs = curl.slist_append(hdrs, line);
		}
		curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	}
	errbuf[0] = '\0';
	x->started_ms = util_now_ms();
	rc = curl.easy_perform(c);
	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x->status);
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl.slist_free_all(hdrs);
	if (x->progress && x->drawn)
		fprintf(stderr, "\r\033[K");
	return rc;
}

static int fail(struct ed_diag *d, const char *url, const char *what)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot download '%s': %s", url, what);
}

/* Sleep before try ATTEMPT_NO + 2, within F's deadline. */
static void backoff(const struct fetch *f, int attempt_no)
{
	/* 0.5 s, 1 s, 2 s ...: enough for a mirror's hiccup, short enough for
	 * a command line. */
	struct timespec ts;
	long ms = 500L << (attempt_no < 4 ? attempt_no : 4), left = time_left_ms(f);

	if (ms > left)
		ms = left;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Reset FD (the temporary file) for another attempt. */
static bool rewind_tmp(int fd)
{
	return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0;
}

static void set_result(struct fetch_result *r, enum fetch_outcome out, long status,
		       uint64_t bytes)
{
	if (!r)
		return;
	r->outcome = out;
	r->http_status = status;
	r->bytes = bytes;
}

/* Whether the cached copy (ST: DEST's stat) already has EXP's published
 * checksum, so that no request is needed. */
static bool dest_current(const char *dest, const struct stat *st, const struct fetch_expect *exp)
{
	char hex[65];

	return exp->sha256 && (!exp->size || (uint64_t)st->st_size == exp->size) &&
	       fetch_sha256_file(dest, hex) && !strcmp(hex, exp->sha256);
}

/* Whether DEST still hashes to what its meta says it was put in place as:
 * only such a copy may be revalidated by a conditional request (a 304 for
 * a damaged copy would keep it for ever). */
static bool dest_intact(const char *dest, const struct meta *m)
{
	char hex[65];

	return m->sha256[0] && fetch_sha256_file(dest, hex) && !strcmp(hex, m->sha256);
}

void fetch_forget(const char *dest)
{
	char path[PATH_MAX];

	if (meta_path(dest, path, sizeof path))
		unlink(path);
}

enum fetch_cached fetch_cached_check(const char *dest)
{
	struct meta m;
	struct stat st;

	if (stat(dest, &st) != 0 || !S_ISREG(st.st_mode))
		return FETCH_CACHED_DAMAGED;
	meta_read(dest, &m);
	if (!m.sha256[0])
		return FETCH_CACHED_UNRECORDED;
	return dest_intact(dest, &m) ? FETCH_CACHED_OK : FETCH_CACHED_DAMAGED;
}

static void xfer_init(struct xfer *x, struct fetch *f, const char *url,
		      const struct fetch_expect *exp, struct ed_diag *d)
{
	memset(x, 0, sizeof *x);
	x->af = (struct atomicfile)ATOMICFILE_INIT;
	x->curl = f->curl;
	x->f = f;
	x->exp = exp;
	x->d = d;
	x->max_size = exp->max_size ? exp->max_size : DEFAULT_MAX_SIZE;
	if (exp->size && exp->size < x->max_size)
		x->max_size = exp->size;
	x->progress = f->o.progress;
	x->name = exp->label ? exp->label : base_name(url);
}

/* Try URL up to 1 + retries times, backing off in between, until a try
 * succeeds or fails for good; *RC is the last try's curl code and X its
 * outcome. Non-zero, with D filled, when the temporary cannot be written
 * or reset for another try. A transfer too slow on average, or out of
 * time, is not tried again. */
static int transfer(struct fetch *f, const char *url, const struct meta *validators,
		    struct xfer *x, char *errbuf, CURLcode *rc, struct ed_diag *d)
{
	*rc = CURLE_OK;
	for (int i = 0; i <= f->o.retries; i++) {
		if (i > 0) {
			backoff(f, i - 1);
			if (!rewind_tmp(x->af.fd))
				return ed_diag_set(d, ED_EXIT_ENV, x->af.tmp, 0, 0,
						   "cannot rewrite '%s': %s", x->af.tmp,
						   strerror(errno));
		}
		solv_chksum_free(x->h, NULL);
		x->h = solv_chksum_create(REPOKEY_TYPE_SHA256);
		x->bytes = 0;
		x->status = 0;
		x->too_big = x->write_failed = x->too_slow = x->drawn = false;
		x->head_len = 0;
		x->head_checked = x->head_failed = false;
		x->last_drawn = -1;
		if (!x->h)
			return ed_diag_oom(d);
		if (!time_left_ms(f)) {
			*rc = CURLE_OPERATION_TIMEDOUT;
			break;
		}
		*rc = attempt(f, url, validators, x, errbuf);
		if (x->write_failed)
			return ED_EXIT_ENV; /* D filled by on_body */
		if (x->too_big || x->too_slow || x->head_failed || *rc == CURLE_FILESIZE_EXCEEDED ||
		    !time_left_ms(f))
			break;
		if (*rc == CURLE_OK && x->status < 400)
			break;
		if (!transient(*rc, x->status))
			break;
	}
	return 0;
}

/* D for a download of URL that WHY refuses: the cached copy is kept. */
static int refused(struct ed_diag *d, const char *url, const struct ed_diag *why)
{
	/* a located error keeps its line and column, in the URL, not in the
	 * temporary file it was found in */
	if (why->line > 0)
		return ed_diag_set(d, ED_EXIT_ENV, url, why->line, why->col,
				   "%s (not used: the cached copy is kept)", why->msg);
	/* a message naming the URL already says which */
	if (strstr(why->msg, url))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "%s (not used: the cached copy is kept)",
				   why->msg);
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			   "'%s' is not usable, the cached copy is kept: %s", url, why->msg);
}

/* What the last try came to: 0 when a whole body arrived with a success
 * status, or when the server answered 304 for the cached copy (then
 * *NOT_MODIFIED); else ED_EXIT_ENV with D saying why. */
static int transfer_outcome(const struct fetch *f, const struct xfer *x, CURLcode rc,
			    const char *errbuf, const char *url, bool have_dest, bool *not_modified,
			    struct fetch_result *r, struct ed_diag *d)
{
	char why[CURL_ERROR_SIZE + 128];

	*not_modified = false;
	if (x->head_failed)
		return refused(d, url, &x->head_why);
	if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(why, sizeof why, "larger than %llu bytes",
			 (unsigned long long)x->max_size);
		return fail(d, url, why);
	}
	if (x->too_slow) {
		snprintf(why, sizeof why,
			 "too slow: %llu bytes in %.0f s, under the minimum of %ld bytes/s",
			 (unsigned long long)x->bytes, (util_now_ms() - x->started_ms) / 1000.0,
			 f->o.min_rate);
		return fail(d, url, why);
	}
	if (rc != CURLE_OK && !time_left_ms(f)) {
		snprintf(why, sizeof why, "timed out: the downloads took longer than %ld s",
			 f->o.timeout_s);
		return fail(d, url, why);
	}
	if (rc != CURLE_OK) {
		snprintf(why, sizeof why, "%s%s%s", rc == CURLE_OPERATION_TIMEDOUT ? "timed out: " : "",
			 errbuf[0] ? errbuf : curl.easy_strerror(rc),
			 rc == CURLE_PARTIAL_FILE ? " (truncated)" : "");
		return fail(d, url, why);
	}
	if (x->status == 304 && have_dest) {
		*not_modified = true;
		return 0;
	}
	/* file:// and ftp:// report no HTTP status; 0 is success there. */
	if (x->status != 0 && (x->status < 200 || x->status >= 300)) {
		if (r)
			r->http_status = x->status;
		snprintf(why, sizeof why, "HTTP status %ld", x->status);
		return fail(d, url, why);
	}
	return 0;
}

/* Whether the body in X's temporary is what EXP asks for; its sha256 into
 * X's meta. */
static int verify(struct xfer *x, const char *url, const struct fetch_expect *exp,
		  struct ed_diag *d)
{
	char hex[65] = "", why[CURL_ERROR_SIZE + 64];
	struct ed_diag why_d;

	if (!head_passes(x))
		return refused(d, url, &x->head_why);
	if (exp->size && x->bytes != exp->size) {
		snprintf(why, sizeof why, "size mismatch: got %llu bytes, expected %llu",
			 (unsigned long long)x->bytes, (unsigned long long)exp->size);
		return fail(d, url, why);
	}
	if (!chksum_hex(x->h, hex))
		return ed_diag_oom(d);
	if (exp->sha256 && strcmp(hex, exp->sha256) != 0) {
		snprintf(why, sizeof why, "checksum mismatch: sha256 %s, expected %s", hex,
			 exp->sha256);
		return fail(d, url, why);
	}
	memcpy(x->got.sha256, hex, sizeof x->got.sha256);
	if (!exp->check)
		return 0;
	ed_diag_clear(&why_d);
	if (!exp->check(x->af.tmp, exp->check_ud, &why_d))
		return 0;
	return refused(d, url, &why_d);
}

/* Put the verified download in DEST's place, its validators and checksum
 * beside it. */
static int commit(struct xfer *x, const char *url, const char *dest, struct ed_diag *d)
{
	char mp[PATH_MAX];
	int rc;

	/* The meta goes first: a copy in place must never be revalidated by
	 * the previous copy's validators, and a meta naming a newer copy only
	 * makes the next request unconditional. */
	snprintf(x->got.url, META_MAX, "%s", url);
	if (meta_path(dest, mp, sizeof mp))
		unlink(mp);
	if ((rc = atomicfile_commit(&x->af, d)))
		return rc;
	if (!meta_write(dest, &x->got) && meta_path(dest, mp, sizeof mp))
		unlink(mp);
	return 0;
}

/* Whether the cached copy DEST, which the server says is current, still
 * passes EXP's check (EXP->check_cached). */
static bool cached_passes(const char *dest, const struct fetch_expect *exp)
{
	struct ed_diag ignored;

	return !exp->check || !exp->check_cached || exp->check(dest, exp->check_ud, &ignored) == 0;
}

/* One download of URL to DEST; VALIDATE: a request conditional on the
 * cached copy, which must be intact. */
static int fetch_once(struct fetch *f, const char *url, const char *dest,
		      const struct fetch_expect *exp, bool validate, bool *not_modified,
		      struct fetch_result *r, struct ed_diag *d)
{
	char errbuf[CURL_ERROR_SIZE];
	struct meta cached;
	struct xfer x;
	struct stat st;
	bool have_dest;
	CURLcode rc;
	int ret;

	have_dest = stat(dest, &st) == 0 && S_ISREG(st.st_mode);
	memset(&cached, 0, sizeof cached);
	/* Validators only for a copy worth keeping: one that failed its
	 * checksum must not be revalidated by a 304, nor one that no longer
	 * hashes to what was put in place. */
	if (validate && have_dest && !exp->sha256) {
		meta_read(dest, &cached);
		validate = dest_intact(dest, &cached);
	} else {
		validate = false;
	}
	xfer_init(&x, f, url, exp, d);
	if ((ret = atomicfile_open(&x.af, dest, d)))
		return ret;
	if ((ret = transfer(f, url, validate ? &cached : NULL, &x, errbuf, &rc, d)) ||
	    (ret = transfer_outcome(f, &x, rc, errbuf, url, validate, not_modified, r, d)))
		goto out;
	if (*not_modified) {
		set_result(r, FETCH_NOT_MODIFIED, x.status, x.bytes);
		goto out;
	}
	if ((ret = verify(&x, url, exp, d)) || (ret = commit(&x, url, dest, d)))
		goto out;
	set_result(r, FETCH_DOWNLOADED, x.status, x.bytes);
out:
	atomicfile_abort(&x.af);
	solv_chksum_free(x.h, NULL);
	return ret;
}

int fetch_file(struct fetch *f, const char *url, const char *dest,
	       const struct fetch_expect *exp, struct fetch_result *r, struct ed_diag *d)
{
	static const struct fetch_expect none = { 0 };
	struct fetch_result own;
	struct stat st;
	bool not_modified = false;
	int ret;

	if (!exp)
		exp = &none;
	if (!r)
		r = &own;
	set_result(r, FETCH_DOWNLOADED, 0, 0);
	if (stat(dest, &st) == 0 && S_ISREG(st.st_mode) && dest_current(dest, &st, exp)) {
		set_result(r, FETCH_NOT_MODIFIED, 0, 0);
		ret = 0;
		goto out;
	}
	ret = fetch_once(f, url, dest, exp, true, &not_modified, r, d);
	/* A cached copy the server calls current that fails the check now is
	 * fetched again, unconditionally. */
	if (!ret && not_modified && !cached_passes(dest, exp))
		ret = fetch_once(f, url, dest, exp, false, &not_modified, r, d);
out:
	if (!ret && f->o.done)
		f->o.done(exp->label ? exp->label : base_name(url), r, f->o.done_ud);
	return ret;
}
