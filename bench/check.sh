#!/bin/bash
# Compare `extdeps check` on a 10-dependency project with what CI scripts do
# today: a loop of `dpkg-query` calls, one per package (and, for reference,
# one `dpkg-query` call naming all ten); then a check of ten DepURLs of the
# compiled-in registry this machine satisfies (a real project's check, with
# no overlay to load); then `show`, `map` and `mappings validate` (the
# compiled-in set), and a bare start.
#
#   bench/check.sh [EXTDEPS] [RUNS] [BASELINE]
#                  (default build-test/extdeps, 50 runs, no baseline)
#
# Each figure is the median of RUNS runs, in ms, each run timed on its own
# ($EPOCHREALTIME: no process started to read the clock). With BASELINE,
# another extdeps binary (an older build), its runs alternate with
# EXTDEPS's, so that a busy machine slows both alike.
#
# The ten packages are taken from this machine's dpkg database (installed
# ones, so every check is satisfied), mapped by a generated overlay, so the
# figures compare the same question answered two ways. Needs dpkg-query.
set -eu
cd "$(dirname "$0")/.."
extdeps=${1:-build-test/extdeps}
runs=${2:-50}
baseline=${3:-}

command -v dpkg-query >/dev/null || { echo "bench/check.sh: needs dpkg-query" >&2; exit 77; }
[ -x "$extdeps" ] || { echo "bench/check.sh: no $extdeps; build first (./scripts/test)" >&2; exit 77; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "bench/check.sh: no $baseline" >&2; exit 2; }

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

# time_cmd CMD...: its wall time in microseconds into $dt
time_cmd() {
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null
	dt=$((${EPOCHREALTIME/./} - t0))
}
median() {
	sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}
# row NAME CMD...: the median of CMD; "{}" in CMD stands for the extdeps
# binary, timed with the baseline's runs alternating when there is one
row() {
	local name=$1 i a=() b=()
	shift
	for ((i = 0; i < runs; i++)); do
		time_cmd "${@//\{\}/$extdeps}"
		a+=("$dt")
		if [ -n "$baseline" ] && [[ " $* " == *" {} "* ]]; then
			time_cmd "${@//\{\}/$baseline}"
			b+=("$dt")
		fi
	done
	printf '  %-30s %8s' "$name:" "$(printf '%s\n' "${a[@]}" | median)"
	[ ${#b[@]} -eq 0 ] || printf ' %10s' "$(printf '%s\n' "${b[@]}" | median)"
	echo
}
dpkg_loop() {
	for p in $pkgs; do
		# shellcheck disable=SC2016
		dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' "$p"
	done
}

echo "10 dependencies ($(echo $pkgs | tr '\n' ' ')), median of $runs runs, ms:"
[ -z "$baseline" ] || printf '  %-30s %8s %10s\n' "" "extdeps" "baseline"
row "extdeps check" {} check -q --mappings="$tmp/mappings" "$tmp/METADATA"
row "dpkg-query loop (10 calls)" dpkg_loop
# shellcheck disable=SC2086,SC2016
row "dpkg-query (1 call, 10 pkgs)" dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' $pkgs
# The same question of a real project: ten DepURLs of the compiled-in
# registry (no overlay to load and check), among common build dependencies,
# that this machine satisfies.
{
	echo "Metadata-Version: 2.5"
	echo "Name: bench-real"
	echo "Version: 1.0"
} > "$tmp/REAL"
n=0
for u in dep:virtual/compiler/c dep:virtual/compiler/cxx dep:generic/pkg-config dep:generic/make \
	dep:generic/zlib dep:generic/sqlite dep:generic/curl dep:generic/libyaml dep:generic/lz4 \
	dep:generic/cmocka dep:generic/git dep:generic/bzip2 dep:generic/xz dep:generic/zstd \
	dep:generic/openssl dep:generic/libffi dep:generic/expat dep:generic/libxml2; do
	[ "$n" -lt 10 ] || break
	printf 'Metadata-Version: 2.5\nName: one\nVersion: 1\nRequires-External-Dep: %s\n' "$u" > "$tmp/ONE"
	if "$extdeps" check -q "$tmp/ONE" >/dev/null 2>&1; then
		echo "Requires-External-Dep: $u" >> "$tmp/REAL"
		n=$((n + 1))
	fi
done
if [ "$n" -eq 10 ]; then
	echo "10 DepURLs of the compiled-in registry this machine satisfies:"
	row "extdeps check" {} check -q "$tmp/REAL"
fi
echo "other commands on the same project:"
row "extdeps show" {} show --mappings="$tmp/mappings" "$tmp/METADATA"
row "extdeps map" {} map --mappings="$tmp/mappings" "$tmp/METADATA"
row "extdeps mappings validate" {} mappings validate -q
echo "for reference: starting a process costs this machine"
row "extdeps --version" {} --version
row "/bin/true" /bin/true
