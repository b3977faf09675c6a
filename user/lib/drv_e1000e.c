// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82574L (QEMU's e1000e and the physical NIC): MSI-X. Each of the
 * four queue causes (RXQ0, RXQ1, TXQ0, TXQ1) is routed by IVAR to its own
 * vector 0..3, and writing the cause to ICS makes the device send that
 * vector. EIAC auto-clears the cause once its MSI-X is sent, so every ICS
 * write is a fresh interrupt.
 * The fifth vector (the "other" cause: link changes and the like) is left
 * unrouted and masked so nothing but our writes raises an interrupt.
 *
 * Tested in QEMU's e1000e; not yet run on a physical 82574L.
 */
#include <errno.h>
#include <time.h>

#include "e1000e.h"
#include "vfio_driver.h"

#define RESET_POLL_MS	100

static bool e1000e_probe(uint16_t vendor, uint16_t device)
{
	return vendor == E1000E_VENDOR_ID &&
	       (device == E1000E_DEVICE_82574L || device == E1000E_DEVICE_82574LA);
}

static uint32_t cause_of(unsigned int vector)
{
	return E1000E_ICR_RXQ0 << vector;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void quiesce(struct vfio_dev *d)
{
	vfio_bar_write32(d, 0, E1000E_REG_IMC, ~0U);
	vfio_bar_write32(d, 0, E1000E_REG_ICR, ~0U);
	(void)vfio_bar_read32(d, 0, E1000E_REG_ICR);
}

static int e1000e_init(struct vfio_dev *d, unsigned int *irq_index, unsigned int *nr_vectors)
{
	uint32_t ivar = 0, all = 0;
	unsigned int v, ms;
	int ret;

	ret = __vfio_dev_map_bar(d, 0);
	if (ret)
		return ret;
	/* A MAC reset undoes whatever the previous driver configured. */
	vfio_bar_write32(d, 0, E1000E_REG_CTRL,
			 vfio_bar_read32(d, 0, E1000E_REG_CTRL) | E1000E_CTRL_RST);
	for (ms = 0; vfio_bar_read32(d, 0, E1000E_REG_CTRL) & E1000E_CTRL_RST; ms++) {
		if (ms == RESET_POLL_MS)
			return -ETIMEDOUT;
		sleep_ms(1);
	}
	quiesce(d);
	/*
	 * No interrupt throttling. QEMU's e1000e resets EITR to its minimum
	 * interval, and a vector raised while its throttle timer runs is then
	 * sent again each time the timer fires: duplicates the test would
	 * rightly count. 0 turns throttling off.
	 */
	vfio_bar_write32(d, 0, E1000E_REG_ITR, 0);
	for (v = 0; v < E1000E_NR_MSIX; v++)
		vfio_bar_write32(d, 0, E1000E_REG_EITR(v), 0);
	for (v = 0; v < E1000E_NR_QUEUE_CAUSES; v++) {
		ivar |= (E1000E_IVAR_VALID | v) << (4 * v);
		all |= cause_of(v);
	}
	vfio_bar_write32(d, 0, E1000E_REG_IVAR, ivar);
	vfio_bar_write32(d, 0, E1000E_REG_EIAC, all);
	*irq_index = VFIO_PCI_MSIX_IRQ_INDEX;
	*nr_vectors = E1000E_NR_QUEUE_CAUSES;
	return 0;
}

static void e1000e_remove(struct vfio_dev *d)
{
	if (d->bar[0].addr)
		quiesce(d);
}

static int e1000e_send_msi(struct vfio_dev *d, unsigned int vector)
{
	if (vector >= E1000E_NR_QUEUE_CAUSES)
		return -EINVAL;
	/* EIAC also masks the cause once its interrupt is sent. */
	vfio_bar_write32(d, 0, E1000E_REG_IMS, cause_of(vector));
	vfio_bar_write32(d, 0, E1000E_REG_ICS, cause_of(vector));
	return 0;
}

const struct vfio_driver vfio_driver_e1000e = {
	.name = "e1000e",
	.probe = e1000e_probe,
	.init = e1000e_init,
	.remove = e1000e_remove,
	.send_msi = e1000e_send_msi,
	/* Seen in the test bed, QEMU 7.2; see Documentation/testbed.rst. */
	.qemu_duplicates = "QEMU 7.2's e1000e sometimes sends an MSI-X vector twice (its throttling timer re-sends; the host handler count shows it)",
};
