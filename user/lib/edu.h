/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's "edu" educational PCI device (docs/specs/edu.rst in QEMU): BAR0
 * registers used to raise and acknowledge its interrupt. It has one MSI
 * vector and no MSI-X.
 */
#ifndef IRQLENS_EDU_H
#define IRQLENS_EDU_H

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_IDENT		0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60	/* status |= value, then interrupt */
#define EDU_REG_IRQ_ACK		0x64	/* status &= ~value */

#define EDU_IDENT_MAGIC		0xed

#endif
