#include "extdeps/util/osrelease.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/util.h"

static void unquote(const char *v, size_t n, char *out, size_t size)
{
	size_t o = 0;
	char q = 0;

	if (n && (v[0] == '"' || v[0] == '\'')) {
		q = v[0];
		v++;
		n--;
		if (n && v[n - 1] == q)
			n--;
	}
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		/* os-release follows shell quoting: escapes only inside "" */
		if (q == '"' && v[i] == '\\' && i + 1 < n && strchr("\"\\$`", v[i + 1]))
			i++;
		out[o++] = v[i];
	}
	out[o] = '\0';
}

void os_release_parse(const char *text, struct os_release *os)
{
	static const struct {
		const char *key;
		size_t off, size;
	} fields[] = {
		{ "ID", offsetof(struct os_release, id), sizeof os->id },
		{ "ID_LIKE", offsetof(struct os_release, id_like), sizeof os->id_like },
		{ "VERSION_ID", offsetof(struct os_release, version_id), sizeof os->version_id },
		{ "VERSION_CODENAME", offsetof(struct os_release, codename), sizeof os->codename },
		{ "PRETTY_NAME", offsetof(struct os_release, pretty_name), sizeof os->pretty_name },
	};

	memset(os, 0, sizeof *os);
	while (*text) {
		const char *eol = strchr(text, '\n'), *eq;
		size_t len = eol ? (size_t)(eol - text) : strlen(text);

		eq = memchr(text, '=', len);
		if (eq && text[0] != '#') {
			size_t klen = (size_t)(eq - text), vlen = len - klen - 1;
			if (vlen && eq[vlen] == '\r')
				vlen--;
			for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
				if (strlen(fields[i].key) == klen && !strncmp(fields[i].key, text, klen))
					unquote(eq + 1, vlen, (char *)os + fields[i].off, fields[i].size);
		}
		text += len + (eol ? 1 : 0);
	}
}

int os_release_read(const char *root, struct os_release *os, struct ed_diag *d)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };

	for (size_t i = 0; i < 2; i++) {
		char path[4096];
		struct ed_diag ignored;
		size_t len;
		char *text;

		snprintf(path, sizeof path, "%s%s", root && strcmp(root, "/") ? root : "", paths[i]);
		if ((text = util_read_file(path, &len, &ignored))) {
			os_release_parse(text, os);
			free(text);
			return 0;
		}
	}
	memset(os, 0, sizeof *os);
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			   "cannot tell which system this is: no /etc/os-release; use --distro");
}
