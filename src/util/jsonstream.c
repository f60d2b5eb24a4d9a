/* jsonstream.c - JSON metadata files streamed through yajl (jsonstream.h). */
#include "extdeps/util/jsonstream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <yajl/yajl_parse.h>

#define CHUNK 65536

struct stream {
	const char *path;
	yajl_handle h;
	uint64_t fed, max;
	struct ed_diag *d;
};

/* The yajl error for the bytes just fed, on one line. */
static int json_error(struct stream *s, const unsigned char *buf, size_t len)
{
	unsigned char *msg = yajl_get_error(s->h, 0, buf, len);
	char *nl;

	if (msg && (nl = strchr((char *)msg, '\n')))
		*nl = '\0';
	ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0, "invalid JSON near byte %llu: %s",
		    (unsigned long long)(s->fed - len + (buf ? yajl_get_bytes_consumed(s->h) : 0)),
		    msg ? (char *)msg : "parse error");
	if (msg)
		yajl_free_error(s->h, msg);
	return ED_EXIT_ENV;
}

static int feed(struct stream *s, const unsigned char *buf, size_t len)
{
	yajl_status st;

	if (s->fed + len > s->max)
		return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
				   "more than %llu bytes of JSON; refusing an oversized file",
				   (unsigned long long)s->max);
	s->fed += len;
	st = yajl_parse(s->h, buf, len);
	if (st == yajl_status_client_canceled)
		return s->d->status ? (int)s->d->status : ED_EXIT_ENV;
	if (st != yajl_status_ok)
		return json_error(s, buf, len);
	return 0;
}

static int finish(struct stream *s)
{
	yajl_status st = yajl_complete_parse(s->h);

	if (st == yajl_status_client_canceled)
		return s->d->status ? (int)s->d->status : ED_EXIT_ENV;
	if (st != yajl_status_ok) {
		if (!s->fed)
			return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0, "empty file, expected JSON");
		return ed_diag_set(s->d, ED_EXIT_ENV, s->path, 0, 0,
				   "truncated JSON: the document ends after %llu bytes",
				   (unsigned long long)s->fed);
	}
	return 0;
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
		return ed_diag_set(s->d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	while (!rc && r != BROTLI_DECODER_RESULT_SUCCESS) {
		size_t avail_out = CHUNK;
		uint8_t *next_out = out;

		if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
			avail_in = fread(in, 1, CHUNK, f);
			next_in = in;
			if (!avail_in) {
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

int jsonstream_parse_file(const char *path, enum jsonstream_codec codec,
			  const yajl_callbacks *callbacks, void *ctx, uint64_t max_bytes,
			  struct ed_diag *d)
{
	struct stream s = { .path = path, .max = max_bytes ? max_bytes : (uint64_t)1 << 30, .d = d };
	unsigned char *in = NULL, *out = NULL;
	FILE *f = fopen(path, "re");
	int rc;

	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", strerror(errno));
	in = malloc(CHUNK);
	out = malloc(CHUNK);
	s.h = yajl_alloc(callbacks, NULL, ctx);
	if (!in || !out || !s.h) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		goto out;
	}
	rc = codec == JSONSTREAM_BROTLI ? read_brotli(&s, f, in, out) : read_plain(&s, f, in);
	if (!rc && ferror(f))
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "read error");
	if (!rc)
		rc = finish(&s);
out:
	if (s.h)
		yajl_free(s.h);
	free(in);
	free(out);
	fclose(f);
	return rc;
}
