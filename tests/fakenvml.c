/* fakenvml.c - a stand-in for the NVIDIA driver's NVML (libnvidia-ml),
 * loaded by extdeps through $EXTDEPS_LIBNVML so tests never depend on the
 * real driver. It answers the few calls extdeps makes:
 *   FAKENVML_INIT      nvmlInit_v2's result (default 0; 9 is "driver not loaded")
 *   FAKENVML_RELEASE   nvmlSystemGetDriverVersion's answer (default 550.54.14)
 *   FAKENVML_CUDA      nvmlSystemGetCudaDriverVersion_v2's answer (default 12040)
 *   FAKENVML_GPUS      how many devices (default 1)
 * Device I is "Fake NVML GPU I" with compute capability 8.0 (device 0) or
 * 9.0; a handle is the device's index plus one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct fake_device *nvmlDevice_t;

int nvmlInit_v2(void);
int nvmlShutdown(void);
int nvmlDeviceGetCount_v2(unsigned int *count);
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device);
int nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length);
int nvmlDeviceGetCudaComputeCapability(nvmlDevice_t device, int *major, int *minor);
int nvmlSystemGetDriverVersion(char *version, unsigned int length);
int nvmlSystemGetCudaDriverVersion_v2(int *version);

enum {
	NVML_SUCCESS = 0,
	NVML_ERROR_UNINITIALIZED = 1,
	NVML_ERROR_INVALID_ARGUMENT = 2,
	NVML_ERROR_INSUFFICIENT_SIZE = 7,
};

static int initialised;

static int env_int(const char *name, int fallback)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : fallback;
}

/* The index a handle stands for, or -1 when it is none. */
static int index_of(nvmlDevice_t device)
{
	intptr_t i = (intptr_t)device - 1;
	return i >= 0 && i < env_int("FAKENVML_GPUS", 1) ? (int)i : -1;
}

int nvmlInit_v2(void)
{
	int rc = env_int("FAKENVML_INIT", 0);

	initialised = !rc;
	return rc;
}

int nvmlShutdown(void)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	initialised = 0;
	return NVML_SUCCESS;
}

int nvmlDeviceGetCount_v2(unsigned int *count)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	*count = (unsigned int)env_int("FAKENVML_GPUS", 1);
	return NVML_SUCCESS;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	if (index >= (unsigned int)env_int("FAKENVML_GPUS", 1))
		return NVML_ERROR_INVALID_ARGUMENT;
	*device = (nvmlDevice_t)(intptr_t)(index + 1);
	return NVML_SUCCESS;
}

int nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
	int i = index_of(device);

	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	if (i < 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	snprintf(name, length, "Fake NVML GPU %d", i);
	return NVML_SUCCESS;
}

int nvmlDeviceGetCudaComputeCapability(nvmlDevice_t device, int *major, int *minor)
{
	int i = index_of(device);

	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	if (i < 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	*major = i ? 9 : 8;
	*minor = 0;
	return NVML_SUCCESS;
}

int nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
	const char *v = getenv("FAKENVML_RELEASE");
	int n;

	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	n = snprintf(version, length, "%s", v ? v : "550.54.14");
	return n < 0 || (unsigned int)n >= length ? NVML_ERROR_INSUFFICIENT_SIZE : NVML_SUCCESS;
}

int nvmlSystemGetCudaDriverVersion_v2(int *version)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	*version = env_int("FAKENVML_CUDA", 12040);
	return NVML_SUCCESS;
}
