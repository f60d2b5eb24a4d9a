/* fakecuda.c - a stand-in for the NVIDIA driver's libcuda, loaded by
 * extdeps through $EXTDEPS_LIBCUDA so tests never depend on the real
 * driver. It answers the few calls extdeps makes:
 *   FAKECUDA_VERSION   cuDriverGetVersion's answer (default 12040)
 *   FAKECUDA_GPUS      how many devices (default 2)
 *   FAKECUDA_INIT      cuInit's result (default 0; 100 is "no device")
 * Device I is "Fake GPU I" with compute capability 8.6 (device 0) or 9.0. */
#include <stdio.h>
#include <stdlib.h>

int cuInit(unsigned int flags);
int cuDriverGetVersion(int *version);
int cuDeviceGetCount(int *count);
int cuDeviceGet(int *device, int ordinal);
int cuDeviceGetName(char *name, int len, int device);
int cuDeviceGetAttribute(int *value, int attribute, int device);

static int env_int(const char *name, int fallback)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : fallback;
}

int cuInit(unsigned int flags)
{
	(void)flags;
	return env_int("FAKECUDA_INIT", 0);
}

int cuDriverGetVersion(int *version)
{
	*version = env_int("FAKECUDA_VERSION", 12040);
	return 0;
}

int cuDeviceGetCount(int *count)
{
	*count = env_int("FAKECUDA_GPUS", 2);
	return 0;
}

int cuDeviceGet(int *device, int ordinal)
{
	if (ordinal < 0 || ordinal >= env_int("FAKECUDA_GPUS", 2))
		return 101; /* CUDA_ERROR_INVALID_DEVICE */
	*device = ordinal;
	return 0;
}

int cuDeviceGetName(char *name, int len, int device)
{
	snprintf(name, (size_t)len, "Fake GPU %d", device);
	return 0;
}

int cuDeviceGetAttribute(int *value, int attribute, int device)
{
	if (attribute == 75) /* COMPUTE_CAPABILITY_MAJOR */
		*value = device ? 9 : 8;
	else if (attribute == 76)
		*value = device ? 0 : 6;
	else
		return 1; /* CUDA_ERROR_INVALID_VALUE */
	return 0;
}
