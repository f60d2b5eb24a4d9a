/* libFuzzer target: an external dependency specifier, "DEPURL ; MARKER".
 * The part before the first ';' goes to the DepURL parser, the rest to the
 * marker parser; both sides also go through the PEP 440 functions, so one
 * corpus exercises pep440.c, depurl.c and marker.c. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/read/depurl.h"
#include "extdeps/read/marker.h"
#include "extdeps/read/pep440.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_versions(const char *text, size_t len)
{
	struct ed_parse_err err;
	struct pep440_spec *spec = pep440_spec_parse(text, len, &err);
	char *s = strndup(text, len), *comma, *norm;

	if (!s) {
		pep440_spec_free(spec);
		return;
	}
	if (spec) {
		char *str = pep440_spec_str(spec);
		if (str) {
			/* the normalised text parses to the same thing */
			struct pep440_spec *again = pep440_spec_parse(str, strlen(str), &err);
			if (!again)
				abort();
			char *str2 = pep440_spec_str(again);
			if (!str2 || strcmp(str, str2))
				abort();
			free(str2);
			pep440_spec_free(again);
		}
		free(str);
		pep440_spec_contains(spec, s);
		pep440_spec_contains(spec, "1.0");
	}
	/* compare the two halves around the first ',' as versions */
	comma = strchr(s, ',');
	if (comma) {
		*comma = '\0';
		int ab = pep440_cmp(s, comma + 1), ba = pep440_cmp(comma + 1, s);
		if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
			abort();
		pep440_op_eval(s, "~=", comma + 1);
		pep440_op_eval(s, "==", comma + 1);
		pep440_op_eval(s, "<", comma + 1);
	}
	if ((norm = pep440_normalize(s))) {
		if (!pep440_valid(norm) || pep440_cmp(norm, s) != 0)
			abort();
		free(norm);
	}
	pep440_spec_free(spec);
	free(s);
}

static void check_depurl(const char *text, size_t len)
{
	struct ed_parse_err err;
	struct depurl *d = depurl_parse(text, len, &err);

	if (!d)
		return;
	char *s = depurl_str(d);
	if (s) {
		/* the round trip: the printed text reads back as the same
		 * DepURL, and prints the same */
		struct depurl *d2 = depurl_parse(s, strlen(s), &err);
		if (!d2 || !depurl_same(d, d2))
			abort();
		char *s2 = depurl_str(d2);
		if (!s2 || strcmp(s, s2) || strcmp(d->id, d2->id))
			abort();
		free(s2);
		depurl_free(d2);
	}
	free(s);
	depurl_free(d);
}

static void check_marker(const char *text, size_t len)
{
	static const char *const extras[] = { "docs", "Foo_Bar" };
	struct ed_parse_err err;
	struct marker_env env = { { 0 } };
	struct marker *m = marker_parse(text, len, &err);
	char *s, *rest = NULL, *extra;

	if (!m)
		return;
	env.values[MARKER_SYS_PLATFORM] = "linux";
	env.values[MARKER_PYTHON_VERSION] = "3.12";
	env.values[MARKER_PYTHON_FULL_VERSION] = "3.12.1";
	env.values[MARKER_PLATFORM_RELEASE] = "6.1.0-13-amd64";
	bool r = marker_eval(m, &env, extras, 2);
	marker_eval(m, &env, NULL, 0);
	if ((s = marker_str(m))) {
		/* printing keeps the meaning and is stable */
		struct marker *m2 = marker_parse(s, strlen(s), &err);
		if (!m2)
			abort();
		char *s2 = marker_str(m2);
		if (!s2 || strcmp(s, s2) || marker_eval(m2, &env, extras, 2) != r)
			abort();
		free(s2);
		marker_free(m2);
	}
	free(s);
	if ((extra = marker_split_extra(m, &rest))) {
		if (rest) {
			struct marker *m3 = marker_parse(rest, strlen(rest), &err);
			if (!m3)
				abort();
			marker_free(m3);
		}
	}
	free(extra);
	free(rest);
	marker_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *semi = memchr(text, ';', size);
	size_t left = semi ? (size_t)(semi - text) : size;

	check_depurl(text, left);
	check_versions(text, left);
	if (semi) {
		check_marker(semi + 1, size - left - 1);
		check_versions(semi + 1, size - left - 1);
	}
	return 0;
}
