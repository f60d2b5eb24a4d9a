/* toml.h - a complete TOML 1.0 reader that keeps line:column for every key and
 * value.
 *
 * The whole tree lives in one arena owned by struct toml_doc and is freed at
 * once by toml_doc_free(). Every pointer reachable from a document (strings,
 * tables, arrays) stays valid until then; copy what must outlive it.
 * Strings are stored decoded (escapes resolved), NUL-terminated, with their
 * byte length (TOML strings may contain U+0000 through \u0000).
 */
#ifndef EXTDEPS_TOML_H
#define EXTDEPS_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extdeps/util/diag.h"

enum toml_type {
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,     /* 1979-05-27 */
	TOML_TIME_LOCAL,     /* 07:32:00 */
	TOML_ARRAY,
	TOML_TABLE,
};

struct toml_pos {
	int line; /* 1-based */
	int col;  /* 1-based, in characters */
};

struct toml_table;
struct toml_array;

/* A date/time as written, split into fields. Fields absent for the type are 0.
 * `frac` keeps the fractional-second digits as written (may be ""), so no
 * precision is lost; `offset_minutes` is the UTC offset (0 for "Z"). */
struct toml_datetime {
	int year, month, day;
	int hour, minute, second;
	char frac[16];
	int offset_minutes;
	bool offset_z; /* written as Z/z rather than +00:00 */
};

struct toml_value {
	enum toml_type type;
	struct toml_pos pos; /* where the value starts */
	union {
		struct {
			const char *ptr; /* decoded, NUL-terminated */
			size_t len;
		} str;
		int64_t integer;
		double fp;
		bool boolean;
		struct toml_datetime dt;
		struct toml_array *array;
		struct toml_table *table;
	} u;
};

/* One key/value pair of a table, in document order. */
struct toml_keyval {
	const char *key; /* decoded, NUL-terminated */
	size_t keylen;
	struct toml_pos keypos; /* where the key (its last dotted part) was written */
	struct toml_value value;
};

struct toml_table {
	struct toml_keyval *items;
	size_t count;
	/* private to the parser: how the table came to exist, used for the
	 * redefinition rules */
	unsigned flags;
	size_t cap;
};

struct toml_array {
	struct toml_value *items;
	size_t count;
	unsigned flags; /* private */
	size_t cap;
};

struct toml_doc;

/* Parse TEXT (LEN bytes, need not be NUL-terminated) as a TOML 1.0 document.
 * FILENAME is used only in diagnostics. Returns NULL on error with DIAG
 * filled: file, line, col and what was expected, status ED_EXIT_INPUT; or
 * status ED_EXIT_ENV when out of memory. Limits, each an input error where
 * it is passed: arrays and inline tables nest at most 128 deep; a document
 * holds at most 2,000,000 values (keys and array items). */
struct toml_doc *toml_parse(const char *text, size_t len, const char *filename,
			    struct ed_diag *diag);

/* The same, reporting every error of the text into ALL (as well as the
 * first into DIAG): after an error in a statement, reading goes on at the
 * next line that starts one (a [header] in the first column, or a bare key
 * and '='), as a compiler goes on. Bad bytes (the check of the whole text),
 * running out of memory and the value limit still stop it. ALL may be NULL:
 * toml_parse. */
struct toml_doc *toml_parse_all(const char *text, size_t len, const char *filename,
				struct ed_diag *diag, struct ed_diags *all);

/* Free DOC and every value in it. DOC may be NULL. */
void toml_doc_free(struct toml_doc *doc);

/* The root table of DOC. */
const struct toml_table *toml_doc_root(const struct toml_doc *doc);

/* The value of KEY in TABLE, or NULL when absent. */
const struct toml_value *toml_table_get(const struct toml_table *table, const char *key);

/* The keyval of KEY in TABLE (for its key position), or NULL when absent. */
const struct toml_keyval *toml_table_find(const struct toml_table *table, const char *key);

/* A lower-case English name of TYPE for messages: "string", "integer", ... */
const char *toml_type_name(enum toml_type type);

#endif
