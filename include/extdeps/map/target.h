/* target.h - what a target (registry.h's struct reg_target) needs beyond the
 * registry: the backend that solves it and its release's entry. Ecosystems
 * inherit both: Ubuntu is solved by the backend serving Debian unless one
 * serves Ubuntu itself. */
#ifndef EXTDEPS_MAP_TARGET_H
#define EXTDEPS_MAP_TARGET_H

#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"

/* The backend serving T's ecosystem or the nearest one it inherits from;
 * NULL when none does (the ecosystem can be mapped, not solved). */
const struct eco_ops *target_backend(const struct registry *reg, const struct reg_target *t);

/* The release entry of T (looked up in its ecosystem, then in those it
 * inherits from), for the codename; NULL when T names no release or the
 * registry lists none. Borrowed from REG. */
const struct reg_release *target_release(const struct registry *reg, const struct reg_target *t);

#endif
