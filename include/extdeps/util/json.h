/* json.h - a small streaming JSON writer for the stable machine outputs.
 *
 * Output is pretty-printed with two-space indentation and keys in the order
 * written, so golden files stay readable. Strings are escaped per RFC 8259
 * (control characters as \uXXXX; UTF-8 passed through).
 */
#ifndef EXTDEPS_UTIL_JSON_H
#define EXTDEPS_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no member written yet at this depth */
	bool after_key;
	bool compact;               /* one line: NDJSON (json_init_compact) */
};

void json_init(struct json *j, FILE *f);
/* The same writer without line breaks or indentation, for a document per
 * line (NDJSON); json_end ends the line. */
void json_init_compact(struct json *j, FILE *f);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* A key inside an object; the next call writes its value. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL writes null */
void json_string_len(struct json *j, const char *s, size_t len);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A key and its value in one call, for the flat parts of a report. */
void json_kv_string(struct json *j, const char *key, const char *s); /* NULL writes null */
void json_kv_nonempty(struct json *j, const char *key, const char *s); /* NULL and "": null */
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
/* An array of the N strings V. */
void json_kv_strv(struct json *j, const char *key, const char *const *v, size_t n);

/* Finish the document with a newline. */
void json_end(struct json *j);

/* Write S (LEN bytes) to F as a quoted JSON string. */
void json_write_string(FILE *f, const char *s, size_t len);

#endif
