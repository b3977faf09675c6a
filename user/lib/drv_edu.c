// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's edu device: one MSI vector, raised by writing its IRQ_RAISE
 * register (every write sends the MSI, whatever the status was).
 */
#include <errno.h>

#include "edu.h"
#include "vfio_driver.h"

static bool edu_probe(uint16_t vendor, uint16_t device)
{
	return vendor == EDU_VENDOR_ID && device == EDU_DEVICE_ID;
}

static int edu_init(struct vfio_dev *d, unsigned int *irq_index, unsigned int *nr_vectors)
{
	int ret = __vfio_dev_map_bar(d, 0);

	if (ret)
		return ret;
	if ((vfio_bar_read32(d, 0, EDU_REG_IDENT) & 0xff) != EDU_IDENT_MAGIC)
		return -ENODEV;
	vfio_bar_write32(d, 0, EDU_REG_IRQ_ACK, ~0U);
	*irq_index = VFIO_PCI_MSI_IRQ_INDEX;
	*nr_vectors = 1;
	return 0;
}

static void edu_remove(struct vfio_dev *d)
{
	if (d->bar[0].addr)
		vfio_bar_write32(d, 0, EDU_REG_IRQ_ACK, ~0U);
}

static int edu_send_msi(struct vfio_dev *d, unsigned int vector)
{
	if (vector)
		return -EINVAL;
	vfio_bar_write32(d, 0, EDU_REG_IRQ_ACK, ~0U);
	vfio_bar_write32(d, 0, EDU_REG_IRQ_RAISE, 1);
	return 0;
}

const struct vfio_driver vfio_driver_edu = {
	.name = "edu",
	.probe = edu_probe,
	.init = edu_init,
	.remove = edu_remove,
	.send_msi = edu_send_msi,
};
