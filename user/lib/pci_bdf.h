/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI device addresses as the tests take them: "segment:bus:device.function"
 * (e.g. 0000:00:10.0), from -d or from an environment variable.
 */
#ifndef IRQLENS_PCI_BDF_H
#define IRQLENS_PCI_BDF_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_BDF_LEN sizeof("0000:00:00.0")

/* True when @s is a well-formed, canonical (lower-case hex) BDF. */
bool pci_bdf_valid(const char *s);

/*
 * @bdf as segment << 16 | bus << 8 | devfn (irqlens_bypass_link.dev; the
 * low 16 bits are the PCI source id an IRTE carries); 0 or -EINVAL.
 */
int pci_bdf_id(const char *bdf, uint32_t *id);

/*
 * Removes "-d BDF" from argv (so the rest goes to the kselftest harness)
 * and returns the device: -d, else $IRQLENS_DEVICE_<env_suffix>, else
 * $IRQLENS_DEVICE, else NULL (@env_suffix may be NULL: no per-kind
 * variable). Exits with a message on a malformed BDF.
 */
const char *pci_bdf_from_args(int *argc, char **argv, const char *env_suffix);

#endif
