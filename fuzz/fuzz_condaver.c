/* libFuzzer target: conda versions and match specs, as repodata.json carries
 * them. The input is "A\nB": both are compared with conda's algorithm, which
 * must be antisymmetric and agree with the order of their encodings under
 * libsolv's rpm rules (what the solver uses); A is also parsed as a match spec
 * and as a version expression, and B matched against it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>

#include "extdeps/eco/condaver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static Pool *pool;
	char *a = strndup((const char *)data, size), *b;
	char ea[CONDAVER_ENC_MAX], eb[CONDAVER_ENC_MAX];
	struct ed_parse_err e;
	struct condaspec spec;
	struct condaver_expr *x;

	if (!a)
		return 0;
	if (!pool) {
		pool = pool_create();
		pool_setdisttype(pool, DISTTYPE_RPM);
	}
	b = strchr(a, '\n');
	if (b)
		*b++ = '\0';
	else
		b = a;
	{
		int ab = condaver_cmp(a, b), ba = condaver_cmp(b, a);

		if (sign(ab) != -sign(ba))
			abort();
		if (condaver_valid(a) && condaver_valid(b) && condaver_encode(a, ea, sizeof ea) &&
		    condaver_encode(b, eb, sizeof eb) &&
		    sign(pool_evrcmp_str(pool, ea, eb, EVRCMP_COMPARE)) != sign(ab))
			abort();
	}
	if (!condaspec_parse(a, &spec, &e))
		condaspec_fini(&spec);
	if ((x = condaver_expr_parse(a, &e))) {
		condaver_expr_match(x, b);
		condaver_expr_free(x);
	}
	free(a);
	return 0;
}
