/* target.h - the target every answer is about, decided in one place
 * (target_decide): the distribution family and release (from --distro or
 * os-release), the architecture, the C library, the Python that will build,
 * and the marker environment all of it implies; and what a target (registry.h's
 * struct reg_target) needs beyond the registry: the backend that solves it
 * and its release's entry. Ecosystems inherit both: Ubuntu is solved by the
 * backend serving Debian unless one serves Ubuntu itself. */
#ifndef EXTDEPS_MAP_TARGET_H
#define EXTDEPS_MAP_TARGET_H

#include <stdbool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/read/marker.h"
#include "extdeps/util/osrelease.h"

/* The backend serving T's ecosystem or the nearest one it inherits from;
 * NULL when none does (the ecosystem can be mapped, not solved). */
const struct eco_ops *target_backend(const struct registry *reg, const struct reg_target *t);

/* The release entry of T (looked up in its ecosystem, then in those it
 * inherits from), for the codename; NULL when T names no release or the
 * registry lists none. Borrowed from REG. */
const struct reg_release *target_release(const struct registry *reg, const struct reg_target *t);

/* --- the target model --- */

/* One value of the model and where it came from, in words ("--distro",
 * "os-release VERSION_ID=8.10", "python3 on PATH (/usr/bin/python3)"). */
struct target_fact {
	char value[64]; /* "" when unknown */
	char from[512];
};

/* What decides the target: the options (NULL when not given) and where
 * this machine's files are. */
struct target_in {
	const char *distro;      /* --distro ID[:RELEASE]; NULL: this machine */
	const char *arch;        /* --arch, any scheme's spelling */
	const char *platform;    /* --platform (conda subdir, Homebrew bottle tag) */
	const char *python;      /* --python: X.Y, or an interpreter's path or command */
	const char *mirror;      /* --mirror: the repositories are then not this machine's */
	const char *root;        /* where os-release is read; NULL: "/" */
	const char *search_path; /* where python3 is looked for; NULL: $PATH */
	const char *machine;     /* this machine's platform_machine and sys_platform */
	const char *sys_platform;/* (the marker environment's); NULL: uname's */
};

struct target_model {
	struct reg_target target;  /* valid when HAS_TARGET */
	bool has_target;           /* the registry maps the target */
	bool host;                 /* the target is this machine */
	const struct eco_ops *backend; /* the backend solving it, or NULL */
	char family_name[64];      /* "Debian", "the RHEL family"; "" when unknown */
	struct target_fact family; /* the ecosystem: "debian", "el" */
	struct target_fact release;/* "12"; "" for ecosystems without releases */
	struct target_fact arch;   /* uname's spelling (PEP 508's platform_machine) */
	struct target_fact libc;   /* "glibc", "musl", "libSystem"; "" when unknown */
	struct target_fact python; /* X.Y */
	char python_full[32];      /* X.Y.Z (X.Y.0 when only X.Y is known) */
	/* The Python is an interpreter of this machine outside /usr (pyenv's, a
	 * toolcache's, /opt/python's) building for the system: its headers come
	 * with it, so the target's Python headers need not be of its version. */
	bool python_own;
	struct target_fact sys_platform; /* PEP 508's: "linux", "darwin", "win32" */
	char warning[512];         /* a release read as the nearest known one, or "" */
};

/* The family (an ecosystem id: "debian", "el", "alpine") of the system OS
 * describes: its ID, else the first word of ID_LIKE that names one, else
 * its ID as it is; "" when OS names none. Copied into OUT. */
void target_os_family(const struct os_release *os, char *out, size_t size);

/* The family an ID ("almalinux", "rocky", "debian") belongs to, or NULL
 * when it is no operating system's ID extdeps knows (an ecosystem such as
 * conda-forge is its own). Static. */
const char *target_family_of_id(const char *id);

/* Decide the target from IN into M, with REG (NULL: no registry, only the
 * Python, the architecture and the markers are decided). Every fact is
 * filled even when the target cannot be decided. A release newer than
 * those the registry knows (Ubuntu 26.04, Fedora 43, Debian testing or
 * sid, Fedora rawhide) is read as the nearest known one, saying so in
 * M->warning. Returns 0, or with D filled: ED_EXIT_INPUT for an unknown
 * --distro or release or a --python that is no Python, ED_EXIT_ENV when
 * this machine is no target the registry maps (M->family says what it is). */
int target_decide(const struct registry *reg, const struct target_in *in,
		  struct target_model *m, struct ed_diag *d);

/* Set the variables of ENV that M decides: python_version,
 * python_full_version, implementation_version; platform_machine when an
 * option named the architecture; sys_platform, platform_system and os_name
 * (and platform_release and _version emptied) when the target's operating
 * system is not ENV's. ENV then points into M, which must outlive it. */
void target_apply_markers(const struct target_model *m, struct marker_env *env);

#endif
