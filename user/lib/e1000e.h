/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 82574L ("e1000e", also emulated by QEMU's e1000e device): the
 * BAR0 registers used to raise MSI-X vectors through the Interrupt Cause
 * Set register. Offsets and bits from the 82574 datasheet.
 */
#ifndef IRQLENS_E1000E_H
#define IRQLENS_E1000E_H

#define E1000E_VENDOR_ID	0x8086
#define E1000E_DEVICE_82574L	0x10d3
#define E1000E_DEVICE_82574LA	0x10f6

#define E1000E_REG_CTRL		0x0000
#define E1000E_CTRL_RST		(1U << 26)
#define E1000E_REG_ICR		0x00c0	/* cause read, write 1 to clear */
#define E1000E_REG_ITR		0x00c4	/* interrupt throttling */
#define E1000E_REG_ICS		0x00c8	/* cause set: raises the interrupt */
#define E1000E_REG_IMS		0x00d0	/* mask set (1 = enabled) */
#define E1000E_REG_IMC		0x00d8	/* mask clear */
#define E1000E_REG_EIAC		0x00dc	/* MSI-X auto-clear of ICR causes */
#define E1000E_REG_IVAR		0x00e4	/* cause -> MSI-X vector */
#define E1000E_REG_EITR(n)	(0x00e8 + 4 * (n))	/* per-vector throttling */
#define E1000E_NR_MSIX		5

/* The queue causes that IVAR routes to MSI-X vectors, in IVAR order. */
#define E1000E_ICR_RXQ0		(1U << 20)
#define E1000E_NR_QUEUE_CAUSES	4	/* RXQ0, RXQ1, TXQ0, TXQ1 */
#define E1000E_IVAR_VALID	0x8	/* per 4-bit IVAR field */

#endif
