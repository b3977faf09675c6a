// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "pci_bdf.h"

static bool hex_run(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

bool pci_bdf_valid(const char *s)
{
	/* ssss:bb:dd.f, device 0x00-0x1f, function 0-7 */
	if (strlen(s) != PCI_BDF_LEN - 1)
		return false;
	if (!hex_run(s, 4) || s[4] != ':' || !hex_run(s + 5, 2) ||
	    s[7] != ':' || !hex_run(s + 8, 2) || s[10] != '.' ||
	    s[11] < '0' || s[11] > '7')
		return false;
	return strtoul(s + 8, NULL, 16) <= 0x1f;
}

const char *pci_bdf_from_args(int *argc, char **argv, const char *env_suffix)
{
	const char *bdf = NULL, *origin = NULL;
	char env_name[64];
	int i, out = 1;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "-d") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "-d needs a device: -d <segment:bus:device.function>\n");
				exit(KSFT_FAIL);
			}
			bdf = argv[++i];
			origin = "-d";
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;

	snprintf(env_name, sizeof(env_name), "IRQLENS_DEVICE_%s", env_suffix ? env_suffix : "");
	if (!bdf && env_suffix && getenv(env_name) && *getenv(env_name)) {
		bdf = getenv(env_name);
		origin = env_name;
	}
	if (!bdf && getenv("IRQLENS_DEVICE") && *getenv("IRQLENS_DEVICE")) {
		bdf = getenv("IRQLENS_DEVICE");
		origin = "IRQLENS_DEVICE";
	}
	if (bdf && !pci_bdf_valid(bdf)) {
		fprintf(stderr,
			"%s: malformed device '%s': expected <segment:bus:device.function> in lower-case hex, e.g. 0000:00:10.0\n",
			origin, bdf);
		exit(KSFT_FAIL);
	}
	return bdf;
}

int pci_bdf_id(const char *bdf, uint32_t *id)
{
	unsigned int seg, bus, slot, fn;

	if (!pci_bdf_valid(bdf) || sscanf(bdf, "%x:%x:%x.%x", &seg, &bus, &slot, &fn) != 4)
		return -EINVAL;
	*id = seg << 16 | bus << 8 | slot << 3 | fn;
	return 0;
}
