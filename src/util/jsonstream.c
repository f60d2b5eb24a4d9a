/* jsonstream.c - JSON metadata files streamed through yajl (jsonstream.h). */
#include "extdeps/util/jsonstream.h"
#include "extdeps/util/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <yajl/yajl_parse.h>

#define CHUNK 65536
#define DEFAULT_MAX ((uint64_t)1 << 30)

/* The line jsonstream_fail() leaves in a diagnostic: "locate me". */
#define LINE_UNSET (-1)

struct stream {
	const char *path;
	const struct jsonstream_opts *o;
	yajl_handle h;
	uint64_t fed, max;
	/* where the next byte fed lies; columns in UTF-8 characters */
	uint64_t line, col;
	const char *read_error; /* what a read error on the stream means */
	struct ed_diag *d;
};

int jsonstream_fail(struct ed_diag *d, const char *fmt, ...)
{
	va_list ap;

	d->status = ED_EXIT_ENV;
	d->file[0] = '\0';
	d->line = LINE_UNSET;
	d->col = 0;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return 0;
}

/* Move the position over the N bytes at P. */
static void advance(struct stream *s, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		s->line++;
		s->col = 1;
		p = nl + 1;
	}
	for (; p < end; p++)
		s->col += (*p & 0xc0) != 0x80;
}

static int clamp(uint64_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* yajl's reason for the error, on one line, without "parse error: ". */
static void yajl_reason(yajl_handle h, char *out, size_t size)
{
	unsigned char *e = yajl_get_error(h, 0, NULL, 0);
	const char *m = (const char *)e;
	size_t len;

	if (m && !strncmp(m, "parse error: ", 13))
		m += 13;
	snprintf(out, size, "%.*s", m ? (int)strcspn(m, "\n") : 0, m ? m : "");
	len = strlen(out);
	while (len && isspace((unsigned char)out[len - 1]))
		out[--len] = '\0';
	if (!len)
		snprintf(out, size, "parse error");
	if (e)
		yajl_free_error(h, e);
}

/* yajl stopped at the current position: an error of its own, or a
 * callback's (whose diagnostic is kept, located when it asked). */
static int stopped(struct stream *s, yajl_status st)
{
	struct ed_diag *d = s->d;
	char reason[256];

	if (st == yajl_status_client_canceled) {
		if (d->status && d->line == LINE_UNSET) {
			snprintf(d->file, sizeof d->file, "%s", s->path);
			d->line = clamp(s->line);
			d->col = clamp(s->col);
		}
		return d->status ? (int)d->status : ED_EXIT_ENV;
	}
	yajl_reason(s->h, reason, sizeof reason);
	return ed_diag_set(d, ED_EXIT_ENV, s->path, clamp(s->line), clamp(s->col), "invalid %s: %s",
			   s->o->what ? s->o->what : "JSON", reason);
}

static int feed(struct stream *s, const unsigned char *buf, size_t len)
{
	yajl_status st;

	if (s->fed + len > s->max) {
		if (s->o->what)
			return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
					   "%s larger than %llu bytes", s->o->what,
					   (unsigned long long)s->max);
		return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
				   "more than %llu bytes of JSON; refusing an oversized file",
				   (unsigned long long)s->max);
	}
	s->fed += len;
	st = yajl_parse(s->h, buf, len);
	if (st != yajl_status_ok) {
		advance(s, buf, yajl_get_bytes_consumed(s->h));
		return stopped(s, st);
	}
	advance(s, buf, len);
	return 0;
}

static int finish(struct stream *s)
{
	yajl_status st = yajl_complete_parse(s->h);

	if (st == yajl_status_ok)
		return 0;
	/* a document that ends early is invalid W, where it ends */
	if (st == yajl_status_client_canceled || s->o->what)
		return stopped(s, st);
	if (!s->fed)
		return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0, "empty file, expected JSON");
	return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
			   "truncated JSON: the document ends after %llu bytes",
			   (unsigned long long)s->fed);
}

static int read_plain(struct stream *s, FILE *f, unsigned char *in)
{
	size_t n;
	int rc;

	while ((n = fread(in, 1, CHUNK, f)) > 0)
		if ((rc = feed(s, in, n)))
			return rc;
	return 0;
}

static int read_brotli(struct stream *s, FILE *f, unsigned char *in, unsigned char *out)
{
	BrotliDecoderState *br = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	BrotliDecoderResult r = BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT;
	size_t avail_in = 0;
	const uint8_t *next_in = in;
	int rc = 0;

	if (!br)
		return ed_diag_oom(s->d);
	while (!rc && r != BROTLI_DECODER_RESULT_SUCCESS) {
		size_t avail_out = CHUNK;
		uint8_t *next_out = out;

		if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
			avail_in = fread(in, 1, CHUNK, f);
			next_in = in;
			if (!avail_in) {
				/* a read error is reported by the caller */
				rc = ferror(f) ? 0
					       : ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
							     "truncated brotli data");
				break;
			}
		}
		r = BrotliDecoderDecompressStream(br, &avail_in, &next_in, &avail_out, &next_out,
						  NULL);
		if (r == BROTLI_DECODER_RESULT_ERROR) {
			rc = ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0, "corrupt brotli data: %s",
					 BrotliDecoderErrorString(BrotliDecoderGetErrorCode(br)));
			break;
		}
		if (next_out > out)
			rc = feed(s, out, (size_t)(next_out - out));
	}
	BrotliDecoderDestroyInstance(br);
	return rc;
}

static int parse(FILE *f, struct stream *s, const yajl_callbacks *callbacks, void *ctx)
{
	bool brotli = s->o->codec == JSONSTREAM_BROTLI;
	unsigned char *in = malloc(CHUNK), *out = brotli ? malloc(CHUNK) : NULL;
	int rc;

	s->h = yajl_alloc(callbacks, NULL, ctx);
	if (!in || (brotli && !out) || !s->h) {
		rc = ed_diag_oom(s->d);
		goto out;
	}
	rc = brotli ? read_brotli(s, f, in, out) : read_plain(s, f, in);
	if (!rc && ferror(f))
		rc = ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0, "%s", s->read_error);
	if (!rc)
		rc = finish(s);
out:
	if (s->h)
		yajl_free(s->h);
	free(in);
	free(out);
	return rc;
}

static const struct jsonstream_opts defaults;

static struct stream stream_init(const char *path, const struct jsonstream_opts *opts,
				 const char *read_error, struct ed_diag *d)
{
	const struct jsonstream_opts *o = opts ? opts : &defaults;

	return (struct stream){ .path = path, .o = o, .max = o->max_bytes ? o->max_bytes : DEFAULT_MAX,
				.line = 1, .col = 1, .read_error = read_error, .d = d };
}

int jsonstream_parse_stream(FILE *f, const char *path, const struct jsonstream_opts *opts,
			    const yajl_callbacks *callbacks, void *ctx, struct ed_diag *d)
{
	struct stream s = stream_init(path, opts,
				      "cannot read: corrupt or truncated compressed data", d);

	return parse(f, &s, callbacks, ctx);
}

int jsonstream_parse_file(const char *path, const struct jsonstream_opts *opts,
			  const yajl_callbacks *callbacks, void *ctx, struct ed_diag *d)
{
	struct stream s = stream_init(path, opts, "read error", d);
	FILE *f = util_fopen_regular(path);
	int rc;

	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s",
				   util_open_strerror(errno));
	rc = parse(f, &s, callbacks, ctx);
	fclose(f);
	return rc;
}

/* --- the first bytes of a download --- */

/* Up to 12 bytes of BUF for a message: printable ASCII as it is, the rest
 * as \xNN. */
static void describe(const unsigned char *buf, size_t len, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len && i < 12 && used + 5 < size; i++) {
		int n = buf[i] >= ' ' && buf[i] < 127 && buf[i] != '\\' && buf[i] != '\''
				? snprintf(out + used, size - used, "%c", buf[i])
				: snprintf(out + used, size - used, "\\x%02x", buf[i]);

		used += (size_t)n;
	}
	if (len > 12 && used + 4 < size)
		snprintf(out + used, size - used, "...");
}

int jsonstream_head_plain(const unsigned char *buf, size_t len, struct ed_diag *d)
{
	char what[64];
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return 0;
	if (i == len)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "not JSON: no document in its first %zu bytes", len);
	describe(buf + i, len - i, what, sizeof what);
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "not JSON: it begins with '%s'", what);
}

int jsonstream_head_brotli(const unsigned char *buf, size_t len, struct ed_diag *d)
{
	BrotliDecoderState *br = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	BrotliDecoderResult r;
	unsigned char text[4096];
	size_t avail_in = len, avail_out = sizeof text;
	const uint8_t *next_in = buf;
	uint8_t *next_out = text;
	int rc = 0;

	if (!br)
		return ed_diag_oom(d);
	r = BrotliDecoderDecompressStream(br, &avail_in, &next_in, &avail_out, &next_out, NULL);
	if (r == BROTLI_DECODER_RESULT_ERROR)
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "not brotli data: %s",
				 BrotliDecoderErrorString(BrotliDecoderGetErrorCode(br)));
	else if (next_out > text)
		rc = jsonstream_head_plain(text, (size_t)(next_out - text), d);
	BrotliDecoderDestroyInstance(br);
	return rc;
}
