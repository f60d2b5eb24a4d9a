#!/bin/sh
# Compare `extdeps check` on a 10-dependency project with what CI scripts do
# today: a loop of `dpkg-query` calls, one per package (and, for reference,
# one `dpkg-query` call naming all ten); then time `show`, `map` and
# `mappings validate` (the compiled-in set), and a bare start.
#
#   bench/check.sh [EXTDEPS] [RUNS]     (default build-test/extdeps, 50 runs)
#
# The ten packages are taken from this machine's dpkg database (installed
# ones, so every check is satisfied), mapped by a generated overlay, so the
# figures compare the same question answered two ways. Needs dpkg-query.
set -eu
cd "$(dirname "$0")/.."
extdeps=${1:-build-test/extdeps}
runs=${2:-50}

command -v dpkg-query >/dev/null || { echo "bench/check.sh: needs dpkg-query" >&2; exit 77; }
[ -x "$extdeps" ] || { echo "bench/check.sh: no $extdeps; build first (./scripts/test)" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

. /etc/os-release
pkgs=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' |
	grep -E '^[a-z0-9][a-z0-9.+-]+$' | head -n 10)
[ "$(echo "$pkgs" | wc -l)" -eq 10 ] || { echo "bench/check.sh: fewer than 10 packages" >&2; exit 77; }

mkdir "$tmp/mappings"
{
	echo "schema: 1"
	echo "dependencies:"
	for p in $pkgs; do
		printf '  dep:generic/bench-%s:\n    description: bench %s\n' "$p" "$p"
	done
} > "$tmp/mappings/registry.yaml"
{
	echo "schema: 1"
	echo "ecosystem: $ID"
	echo "name: $ID"
	echo "releases:"
	printf '  "%s": null\n' "${VERSION_ID:-1}"
	echo "package_manager:"
	echo "  name: apt-get"
	echo "  install: [apt-get, install]"
	echo "  needs_root: true"
	echo "mappings:"
	for p in $pkgs; do
		printf '  dep:generic/bench-%s:\n    specs: [%s]\n' "$p" "$p"
	done
} > "$tmp/mappings/$ID.yaml"
{
	echo "Metadata-Version: 2.5"
	echo "Name: bench"
	echo "Version: 1.0"
	for p in $pkgs; do
		echo "Requires-External-Dep: dep:generic/bench-$p"
	done
} > "$tmp/METADATA"

"$extdeps" check -q --mappings="$tmp/mappings" "$tmp/METADATA" >/dev/null || {
	echo "bench/check.sh: extdeps check did not pass:" >&2
	"$extdeps" check --mappings="$tmp/mappings" "$tmp/METADATA" >&2
	exit 1
}

now() { date +%s%N; }
# time NAME CMD...: ms per run of CMD over $runs runs
time_runs() {
	name=$1
	shift
	t0=$(now)
	i=0; while [ $i -lt "$runs" ]; do
		"$@" >/dev/null
		i=$((i + 1))
	done
	t1=$(now)
	printf '  %-30s %s\n' "$name:" "$(echo "$t0 $t1 $runs" | awk '{ printf "%.2f", ($2 - $1) / 1e6 / $3 }')"
}
dpkg_loop() {
	for p in $pkgs; do
		# shellcheck disable=SC2016
		dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' "$p"
	done
}

echo "10 dependencies ($(echo $pkgs | tr '\n' ' ')), $runs runs, ms per run:"
time_runs "extdeps check" "$extdeps" check -q --mappings="$tmp/mappings" "$tmp/METADATA"
time_runs "dpkg-query loop (10 calls)" dpkg_loop
# shellcheck disable=SC2086,SC2016
time_runs "dpkg-query (1 call, 10 pkgs)" dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' $pkgs
echo "other commands on the same project:"
time_runs "extdeps show" "$extdeps" show --mappings="$tmp/mappings" "$tmp/METADATA"
time_runs "extdeps map" "$extdeps" map --mappings="$tmp/mappings" "$tmp/METADATA"
time_runs "extdeps mappings validate" "$extdeps" mappings validate -q
echo "for reference: starting a process costs this machine"
time_runs "extdeps --version" "$extdeps" --version
time_runs "/bin/true" /bin/true
