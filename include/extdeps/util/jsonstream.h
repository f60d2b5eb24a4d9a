/* jsonstream.h - large JSON metadata files (conda's repodata.json, Homebrew's
 * formula.json, the nixpkgs channel's packages.json.br) streamed through
 * yajl's callbacks, so that a 200 MB document costs no more memory than what
 * the callbacks keep.
 *
 * Errors are ED_EXIT_ENV with the file's path. Positions (LINE:COL) are
 * those of the decompressed text, counted as it is fed: where yajl stopped,
 * just after the token it could not take. What the messages say depends on
 * struct jsonstream_opts's WHAT:
 *
 *   error                      WHAT NULL                      WHAT "W"
 *   invalid JSON (located)     invalid JSON: REASON           invalid W: REASON
 *   ends early                 truncated JSON: ... N bytes    invalid W: premature EOF
 *                              empty file, expected JSON        (located at the end)
 *   more than MAX_BYTES        more than N bytes of JSON; ... W larger than N bytes
 *
 * plus corrupt or truncated brotli data, and unreadable files (see each
 * function). REASON is yajl's ("lexical error: invalid char in json text.",
 * "invalid object key (must be a string)").
 *
 * A callback that stops the parse (returns 0) fills the diagnostic itself,
 * through its context, and its status is returned; jsonstream_fail() fills
 * it with the position where the parse stopped.
 */
#ifndef EXTDEPS_JSONSTREAM_H
#define EXTDEPS_JSONSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <yajl/yajl_parse.h>

#include "extdeps/util/diag.h"

enum jsonstream_codec {
	JSONSTREAM_PLAIN,
	JSONSTREAM_BROTLI, /* RFC 7932, as channels.nixos.org serves packages.json.br */
};

/* How a document is read and what messages call it. Zeroed: plain JSON of
 * at most 1 GiB, messages as in the table's first column. */
struct jsonstream_opts {
	enum jsonstream_codec codec;
	uint64_t max_bytes; /* the most (decompressed) JSON accepted; 0: 1 GiB */
	const char *what;   /* "repository metadata"; NULL: see above */
};

/* Parse the file at PATH with CALLBACKS (CTX passed to them). OPTS may be
 * NULL (zeroed). D must not be NULL; the callbacks report into the same D.
 * A file that cannot be opened: "cannot read: REASON"; a read error:
 * "read error". */
int jsonstream_parse_file(const char *path, const struct jsonstream_opts *opts,
			  const yajl_callbacks *callbacks, void *ctx, struct ed_diag *d);

/* The same for the open stream F, named PATH in messages, left open: for
 * streams that decompress as they are read (libsolv's solv_xfopen), whose
 * read errors mean "cannot read: corrupt or truncated compressed data". */
int jsonstream_parse_stream(FILE *f, const char *path, const struct jsonstream_opts *opts,
			    const yajl_callbacks *callbacks, void *ctx, struct ed_diag *d);

/* fetch_expect.head of a download in plain JSON, or brotli-compressed
 * JSON: whether BUF, the first LEN bytes of the body, can begin a document
 * (an object or an array after blanks), so that a body of zeros or an HTML
 * page is refused as it arrives. 0, or ED_EXIT_ENV with D saying what it
 * begins with: "not JSON: it begins with '\x00\x00...'", "not brotli
 * data: REASON". A brotli head that yields no text yet passes. */
int jsonstream_head_plain(const unsigned char *buf, size_t len, struct ed_diag *d);
int jsonstream_head_brotli(const unsigned char *buf, size_t len, struct ed_diag *d);

/* For a callback that stops the parse: fill D (the one given to
 * jsonstream_parse_*) with ED_EXIT_ENV and the message, to be located at
 * the file, line and column where the parse stopped. Returns 0, what a
 * callback returns to stop: `return jsonstream_fail(d, "...")`. */
int jsonstream_fail(struct ed_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
