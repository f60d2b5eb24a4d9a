/* apt_verify.h - whether an InRelease downloaded from a mirror is signed by
 * its distribution (or, for another vendor's repository, by that vendor),
 * checked with gpgv(1).
 *
 * The keyring: $EXTDEPS_KEYRING=FILE when set, none at all (no check) for
 * $EXTDEPS_KEYRING=none, else the one the keyring package installs under
 * ROOT (from eco_root), when it exists: the repository's own keyring, or
 * the distribution's ROOT/usr/share/keyrings/DISTRO-archive-keyring.gpg.
 */
#ifndef EXTDEPS_ECO_APT_VERIFY_H
#define EXTDEPS_ECO_APT_VERIFY_H

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

/* Check the InRelease at PATH, downloaded from URL (which messages name),
 * with KEYRING (a path under the root: another vendor's repository's;
 * NULL: the keyring of O's distribution; "": none known). Without a
 * keyring it is accepted and counted in ST->unverified; when that is for
 * want of the keyring rather than asked for, ST->no_keyring is set and
 * ST->keyring names the file looked for. ST must not be NULL. ED_EXIT_ENV
 * when the file is not clear-signed, gpgv cannot run, or the signature does
 * not verify (gpgv's messages end D's). */
int apt_verify_inrelease(const struct eco_opts *o, const char *keyring, const char *path,
			 const char *url, struct eco_update_stats *st, struct ed_diag *d);

#endif
