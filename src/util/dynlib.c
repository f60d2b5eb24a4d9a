/* dynlib.c - see dynlib.h. */
#include "extdeps/util/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

bool dynlib_load(const char *file, const char *label, const struct dynlib_fn *fns, size_t n,
		 void *table, char *why, size_t whysize)
{
	void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		const char *err = dlerror();

		snprintf(why, whysize, "cannot load %s: %s", label, err ? err : file);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		void *fn = dlsym(lib, fns[i].symbol);

		if (!fn) {
			snprintf(why, whysize, "cannot load %s: '%s' has no %s", label, file,
				 fns[i].symbol);
			dlclose(lib);
			return false;
		}
		/* a function pointer, stored without a cast from void * */
		memcpy((char *)table + fns[i].at, &fn, sizeof fn);
	}
	return true;
}
