/* stage.c - the names of the PEP 725 stages. */
#include "extdeps/read/stage.h"

#include <string.h>

static const char *const stage_names[ED_STAGE_COUNT] = { "build", "host", "run" };

const char *ed_stage_name(enum ed_stage stage)
{
	return (unsigned)stage < ED_STAGE_COUNT ? stage_names[stage] : "?";
}

int ed_stage_parse(const char *name)
{
	for (int i = 0; i < ED_STAGE_COUNT; i++)
		if (!strcmp(name, stage_names[i]))
			return i;
	return -1;
}
