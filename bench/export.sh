#!/bin/sh
# Time `extdeps export` over a distribution's worth of projects in one run:
# N projects (default 120) made from the examples, each renamed and given a
# few more host dependencies from a list of common libraries, exported in
# every format; for comparison, one run per project (what a loop in a
# packaging script would do).
#
#   bench/export.sh [EXTDEPS] [N]     (default build-test/extdeps, 120)
set -eu
cd "$(dirname "$0")/.."
extdeps=${1:-build-test/extdeps}
n=${2:-120}

[ -x "$extdeps" ] || { echo "bench/export.sh: no $extdeps; build first (./scripts/test)" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

libs="zlib zstd lz4 libpng libjpeg-turbo libtiff hdf5 netcdf fftw gsl openssl curl libxml2 sqlite
proj geos boost eigen libffi ncurses readline icu pcre2 freetype harfbuzz cairo"
set -- $(ls -d examples/*/ | while read -r d; do [ -f "$d/pyproject.toml" ] && echo "$d"; done)
nex=$#
i=0
while [ "$i" -lt "$n" ]; do
	eval "src=\${$((i % nex + 1))}"
	dir="$tmp/p$i"
	mkdir "$dir"
	# shellcheck disable=SC2086
	extra=$(echo $libs | tr ' ' '\n' | awk -v s="$i" 'NR % 7 == s % 7 { printf "  \"dep:generic/%s\",\n", $0 }')
	awk -v name="project-$i" -v extra="$extra" '
		/^name = / { print "name = \"" name "\""; next }
		/^host-requires = \[/ { print; print extra; next }
		{ print }' "$src/pyproject.toml" > "$dir/pyproject.toml"
	i=$((i + 1))
done

ms() { date +%s%N | cut -c1-13; }
projects=$(i=0; while [ "$i" -lt "$n" ]; do echo "$tmp/p$i"; i=$((i + 1)); done)

echo "extdeps export over $n projects, one run each format:"
for fmt in debian-control rpm-spec conda-recipe conda-meta nix homebrew arch json; do
	t0=$(ms)
	# shellcheck disable=SC2086
	"$extdeps" export --format=$fmt --allow-unmapped -q $projects > "$tmp/out"
	t1=$(ms)
	printf '  %-15s %5d ms  (%d lines)\n' "$fmt" $((t1 - t0)) "$(wc -l < "$tmp/out")"
done

t0=$(ms)
for p in $projects; do
	"$extdeps" export --format=debian-control --allow-unmapped -q "$p" > /dev/null
done
t1=$(ms)
printf 'one run per project (debian-control): %d ms\n' $((t1 - t0))
