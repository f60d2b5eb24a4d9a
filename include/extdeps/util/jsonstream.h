/* jsonstream.h - large JSON metadata files (Homebrew's formula.json, the
 * nixpkgs channel's packages.json.br) streamed through yajl's callbacks, so
 * that a 200 MB document costs no more memory than what the callbacks keep.
 *
 * Errors: ED_EXIT_ENV with the file and what is wrong: unreadable, corrupt
 * or truncated compressed data, invalid or truncated JSON (with the byte
 * offset in the decompressed text), or more than MAX_BYTES of JSON. A
 * callback that stops the parse (returns 0) fills the diagnostic itself,
 * through its context; its status is returned.
 */
#ifndef EXTDEPS_JSONSTREAM_H
#define EXTDEPS_JSONSTREAM_H

#include <stdint.h>

#include <yajl/yajl_parse.h>

#include "extdeps/util/diag.h"

enum jsonstream_codec {
	JSONSTREAM_PLAIN,
	JSONSTREAM_BROTLI, /* RFC 7932, as channels.nixos.org serves packages.json.br */
};

/* Parse the file at PATH with CALLBACKS (CTX passed to them). D must not be
 * NULL; the callbacks report into the same D. MAX_BYTES: the most
 * (decompressed) JSON accepted; 0: 1 GiB. */
int jsonstream_parse_file(const char *path, enum jsonstream_codec codec,
			  const yajl_callbacks *callbacks, void *ctx, uint64_t max_bytes,
			  struct ed_diag *d);

#endif
