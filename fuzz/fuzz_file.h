/* fuzz_file.h - for libFuzzer targets whose reader takes a file: the input
 * written to one temporary file, made once per process and rewritten for
 * each input. */
#ifndef EXTDEPS_FUZZ_FILE_H
#define EXTDEPS_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* DATA (SIZE bytes) as the file whose path is returned; aborts when it
 * cannot be written, which is the machine's fault, not the input's. */
static inline const char *fuzz_to_file(const uint8_t *data, size_t size)
{
	static char path[64];
	FILE *f;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof path, "/tmp/extdeps-fuzz-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
	}
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	return path;
}

#endif
