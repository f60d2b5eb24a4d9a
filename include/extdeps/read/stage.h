/* stage.h - the three PEP 725 stages a dependency belongs to. */
#ifndef EXTDEPS_STAGE_H
#define EXTDEPS_STAGE_H

enum ed_stage {
	ED_STAGE_BUILD, /* build-requires: tools run on the build machine */
	ED_STAGE_HOST,  /* host-requires: what the build links against */
	ED_STAGE_RUN,   /* dependencies: needed at run time */
	ED_STAGE_COUNT,
};

/* "build", "host", "run". */
const char *ed_stage_name(enum ed_stage stage);

/* Parse "build"|"host"|"run"; returns -1 when NAME is none of them. */
int ed_stage_parse(const char *name);

#endif
