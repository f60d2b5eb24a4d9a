/* backends.c - the table of ecosystem backends: adding one is a line here
 * (and its src/eco/NAME.c and mapping file). */
#include "extdeps/eco/backends.h"

#include <string.h>

#include "extdeps/eco/apk.h"
#include "extdeps/eco/apt.h"
#include "extdeps/eco/brew.h"
#include "extdeps/eco/conda.h"
#include "extdeps/eco/dnf.h"
#include "extdeps/eco/nix.h"
#include "extdeps/eco/pacman.h"
#include "extdeps/eco/pypi.h"
#include "extdeps/eco/zypper.h"

/* Sorted by name; one line per backend (src/eco/<name>.c). */
const struct eco_ops *const eco_backends[] = {
	&eco_apk,
	&eco_apt,
	&eco_brew,
	&eco_conda,
	&eco_dnf,
	&eco_nix,
	&eco_pacman,
	&eco_pypi,
	&eco_zypper,
	NULL,
};

const char *const eco_pm_commands[] = {
	"apt", "dnf", "yum", "zypper", "pacman", "apk", "conda", "mamba", "micromamba", "pixi",
	"brew", "nix", NULL,
};

const struct eco_ops *eco_find(const char *name)
{
	for (const struct eco_ops *const *e = eco_backends; name && *e; e++)
		if (!strcmp((*e)->name, name))
			return *e;
	return NULL;
}

const struct eco_ops *eco_for_shell_format(const char *format)
{
	for (const struct eco_ops *const *e = eco_backends; format && *e; e++)
		if ((*e)->shell_format && !strcmp((*e)->shell_format, format))
			return *e;
	return NULL;
}

const struct eco_ops *eco_for_ecosystem(const char *ecosystem)
{
	for (const struct eco_ops *const *b = eco_backends; ecosystem && *b; b++)
		/* a database-only backend (eco.h) solves nothing for its ecosystem */
		for (const char *const *e = (*b)->load_available ? (*b)->ecosystems : NULL; e && *e;
		     e++)
			if (!strcmp(*e, ecosystem))
				return *b;
	return NULL;
}
