/* upstream.c - the upstream version inside a distribution's package
 * version, which PEP 440 can compare. */
#include "extdeps/read/upstream.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "extdeps/read/pep440.h"

/* Leading "N(.N)*" of S into OUT; its length. */
static size_t numeric_prefix(const char *s, char *out, size_t size)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]) || (s[n] == '.' && isdigit((unsigned char)s[n + 1])))
		n++;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

bool upstream_version(const char *pkgver, char *out, size_t size)
{
	char buf[UPSTREAM_VERSION_MAX];
	const char *start = pkgver, *colon;
	char *dash, *plus, *tilde;

	out[0] = '\0';
	if (!pkgver)
		return false;
	colon = strchr(pkgver, ':');
	if (colon && colon > pkgver && strspn(pkgver, "0123456789") == (size_t)(colon - pkgver))
		start = colon + 1;
	snprintf(buf, sizeof buf, "%s", start);
	if ((dash = strrchr(buf, '-')))
		*dash = '\0';
	if ((plus = strchr(buf, '+')))
		*plus = '\0';
	if ((tilde = strchr(buf, '~'))) {
		static const char *const tags[] = { "rc", "alpha", "beta", "a", "b", "pre", NULL };
		const char *rest = tilde + 1;
		bool pre = false;
		*tilde = '\0';
		for (size_t i = 0; tags[i]; i++) {
			size_t tl = strlen(tags[i]);
			if (!strncmp(rest, tags[i], tl) && isdigit((unsigned char)rest[tl])) {
				pre = true;
				break;
			}
		}
		/* 1.0~rc1 is a pre-release of 1.0 in Debian and in PEP 440 */
		if (pre) {
			memmove(tilde, rest, strlen(rest) + 1);
		} else if (strlen(buf) + 6 < sizeof buf) {
			/* any other ~ sorts before the release: a development snapshot */
			char tmp[UPSTREAM_VERSION_MAX];
			if (numeric_prefix(buf, tmp, sizeof tmp) == strlen(buf))
				snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ".dev0");
		}
	}
	if (pep440_valid(buf)) {
		snprintf(out, size, "%s", buf);
		return true;
	}
	return numeric_prefix(buf, out, size) > 0;
}
