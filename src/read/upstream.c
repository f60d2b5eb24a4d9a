/* upstream.c - the upstream version inside a distribution's package
 * version, which PEP 440 can compare.
 *
 * The schemes read: Debian (epoch:upstream-revision, with +really, +dfsg,
 * +ds, +repack, ~dfsg and snapshot markers), RPM (epoch:version-release,
 * '~' before and '^' after a release), Homebrew (version_revision), nix
 * (2.4pre20211006). Each rule below names the convention it follows. */
#include "extdeps/read/upstream.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* Whether S starts with one of WORDS followed by a non-letter. */
static bool starts_with_word(const char *s, const char *const *words)
{
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (!strncasecmp(s, words[i], n) && !isalpha((unsigned char)s[n]))
			return true;
	}
	return false;
}

/* A snapshot of a VCS or a date: "git20240503", "20201109". */
static bool is_snapshot(const char *s)
{
	static const char *const vcs[] = { "git", "svn", "bzr", "hg", "cvs", "snapshot", "nightly",
					   "dev", NULL };
	size_t digits = strspn(s, "0123456789");

	return starts_with_word(s, vcs) || digits >= 8;
}

/* A pre-release tag ("rc2", "beta", "b1") as PEP 440 writes it, into OUT;
 * false when S is none. */
static bool pre_release(const char *s, char *out, size_t size)
{
	static const char *const tags[] = { "alpha", "beta", "preview", "pre", "rc", "a", "b", "c",
					    NULL };

	for (size_t i = 0; tags[i]; i++) {
		size_t n = strlen(tags[i]);
		if (strncasecmp(s, tags[i], n) || isalpha((unsigned char)s[n]))
			continue;
		snprintf(out, size, "%s%.*s", tags[i], (int)strspn(s + n, "0123456789"), s + n);
		if (!isdigit((unsigned char)s[n]))
			snprintf(out + strlen(out), size - strlen(out), "0");
		return true;
	}
	return false;
}

/* The version without epoch, revision (Debian's and RPM's after the last
 * '-', Homebrew's after a final '_N') and what "+really" replaces, into BUF. */
static void strip_packaging(const char *pkgver, char *buf, size_t size)
{
	const char *start = pkgver, *colon = strchr(pkgver, ':'), *really;
	char *cut;

	if (colon && colon > pkgver && strspn(pkgver, "0123456789") == (size_t)(colon - pkgver))
		start = colon + 1;
	/* Debian's X+reallyY: the package holds Y, versioned above X */
	if ((really = strstr(start, "+really")))
		start = really + 7;
	snprintf(buf, size, "%s", start);
	if ((cut = strrchr(buf, '-')))
		*cut = '\0';
	if ((cut = strrchr(buf, '_')) && cut[1] && strspn(cut + 1, "0123456789") == strlen(cut + 1))
		*cut = '\0';
}

bool upstream_version(const char *pkgver, char *out, size_t size)
{
	char buf[UPSTREAM_VERSION_MAX], suffix[32] = "", *cut;
	size_t base;

	out[0] = '\0';
	if (!pkgver)
		return false;
	strip_packaging(pkgver, buf, sizeof buf);
	/* the release, then modifiers after '~' (sorts before it), '+' and
	 * RPM's '^' (after it) */
	base = strcspn(buf, "~+^");
	for (char *m = buf + base; *m;) {
		char kind = *m++;
		size_t len = strcspn(m, "~+^");
		char tag[24];

		if (!*suffix) {
			if (kind == '~' && pre_release(m, tag, sizeof tag))
				snprintf(suffix, sizeof suffix, "%s", tag);
			else if (kind == '~' && is_snapshot(m))
				snprintf(suffix, sizeof suffix, ".dev0");
			else if ((kind == '+' && is_snapshot(m)) || kind == '^')
				snprintf(suffix, sizeof suffix, ".post0");
		}
		/* anything else is packaging: +dfsg, +ds, ~dfsg, +repack,
		 * ~cuda11.7, +b1 ... */
		m += len;
	}
	buf[base] = '\0';
	if ((size_t)snprintf(out, size, "%s%s", buf, suffix) < size && pep440_valid(out))
		return true;
	/* nix's 2.4pre20211006_73c4b9f: the commit after '_' */
	if ((cut = strchr(buf, '_'))) {
		*cut = '\0';
		if ((size_t)snprintf(out, size, "%s%s", buf, suffix) < size && pep440_valid(out))
			return true;
	}
	/* "1.2.13.dfsg": the leading numbers, with the modifier */
	if (numeric_prefix(buf, out, size) == 0)
		return false;
	if (strlen(out) + strlen(suffix) < size)
		strcat(out, suffix);
	return true;
}
