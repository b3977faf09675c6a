/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * irqlens: the structured interface of /sys/kernel/debug/irqlens/, for
 * programs (the harness, "irqlens status --json"). People read the text
 * files; programs use these ioctls on the same files.
 *
 * Every argument struct starts with its own size and is extensible the
 * way clone3() and openat2() are: the caller says how big its struct is,
 * the kernel accepts a smaller one (older caller) and a bigger one when
 * the bytes it does not know are zero, and answers with no more than the
 * caller has room for. Reserved fields must be zero.
 */
#ifndef _UAPI_LINUX_IRQLENS_H
#define _UAPI_LINUX_IRQLENS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Values of irqlens_bypass_link.mode: how the host IRQ's IRTE delivers. */
#define IRQLENS_MODE_UNKNOWN	0	/* not known */
#define IRQLENS_MODE_REMAPPED	1	/* remapped: the host handler runs */
#define IRQLENS_MODE_POSTED	2	/* posted straight to a vCPU */
#define IRQLENS_MODE_DIRECT	3	/* no interrupt remapping for this IRQ */

/* Values of irqlens_bypass_link.remap: the remapping IOMMU. */
#define IRQLENS_IOMMU_NONE	0
#define IRQLENS_IOMMU_INTEL	1
#define IRQLENS_IOMMU_AMD	2

/* Values of irqlens_bypass_link.reason: why the link is (not) bypassed. */
#define IRQLENS_REASON_BYPASSED		0
#define IRQLENS_REASON_NO_PRODUCER	1
#define IRQLENS_REASON_NO_IRQFD		2
#define IRQLENS_REASON_NO_POSTING_CAP	3
#define IRQLENS_REASON_NO_CONSUMER	4
#define IRQLENS_REASON_CONNECT_FAILED	5
#define IRQLENS_REASON_NOT_CONNECTED	6

/* Bits of irqlens_bypass_link.flags. */
#define IRQLENS_LINK_PRODUCER	(1U << 0)	/* a VFIO producer holds the eventfd */
#define IRQLENS_LINK_IRQFD	(1U << 1)	/* a KVM irqfd holds the eventfd */
#define IRQLENS_LINK_CONSUMER	(1U << 2)	/* KVM registered it for bypass */
#define IRQLENS_LINK_CONNECTED	(1U << 3)	/* producer and consumer connected */

/* irqlens_bypass_link.dev when the producer's IRQ belongs to no PCI device. */
#define IRQLENS_NO_DEV		0xffffffffU

/**
 * struct irqlens_bypass_link - one VFIO producer / KVM irqfd link
 * @id: irqlens id of the eventfd both sides share (not a kernel address)
 * @transitions: remapped <-> posted changes seen
 * @host_handled: times the host handler (vfio_msihandler) ran for @host_irq
 * @injections: times the irqfd was signalled (irqfd_wakeup with EPOLLIN):
 *	what KVM was asked to inject, not what it injected (KVM's own
 *	injections are in its tracepoints and vCPU statistics)
 * @route_updates: route changes KVM passed on to the IRTE
 * @host_irq: Linux IRQ of the producer (0 without a producer)
 * @dev: PCI segment << 16 | bus << 8 | devfn, or %IRQLENS_NO_DEV
 * @vm: irqlens id of the VM that owns the irqfd
 * @pid: thread group of the process that assigned the irqfd
 * @gsi: the irqfd's GSI
 * @flags: %IRQLENS_LINK_* bits
 * @mode: %IRQLENS_MODE_*
 * @remap: %IRQLENS_IOMMU_*
 * @reason: %IRQLENS_REASON_*
 * @posted_vcpu: vCPU id of the posted target (valid when posted)
 * @posted_vector: guest vector of the posted target (valid when posted)
 * @last_error: last failed IRTE update or connect, -errno, or 0
 * @reserved: zero
 */
struct irqlens_bypass_link {
	__u64 id;
	__u64 transitions;
	__u64 host_handled;
	__u64 injections;
	__u64 route_updates;
	__u32 host_irq;
	__u32 dev;
	__u32 vm;
	__u32 pid;
	__u32 gsi;
	__u32 flags;
	__u32 mode;
	__u32 remap;
	__u32 reason;
	__u32 posted_vcpu;
	__u32 posted_vector;
	__s32 last_error;
	__u32 reserved[2];
};

#define IRQLENS_BYPASS_LINK_SIZE_VER0	96	/* sizeof first published struct */
/* The biggest record stride the kernel accepts (bytes past its own are zeroed). */
#define IRQLENS_BYPASS_LINK_SIZE_MAX	4096

/**
 * struct irqlens_bypass_query - argument of %IRQLENS_IOC_BYPASS_LINKS
 * @size: in: sizeof(struct irqlens_bypass_query) as the caller knows it
 * @flags: in: must be 0
 * @link_size: in: sizeof(struct irqlens_bypass_link) as the caller knows
 *	it, also the stride of @links, at most %IRQLENS_BYPASS_LINK_SIZE_MAX;
 *	out: the kernel's size
 * @nr_links: in: room in @links; out: links written
 * @links: in: user address of @nr_links records of @link_size bytes
 * @total: out: links the module holds (more than @nr_links: call again
 *	with more room)
 * @capacity: out: most links the module can hold
 * @overflow: out: events that needed a new link when the table was full
 * @unmatched: out: events about no link the module knows, or about
 *	another producer or irqfd than the one a link holds
 * @posting_cap: out: 1 if the IOMMU can post (IRQ_POSTING_CAP), else 0
 * @reserved: in: zero
 *
 * Errors: %EFAULT a bad address; %EINVAL @flags or @reserved not zero,
 * @size or @link_size smaller than the first version, or @link_size
 * bigger than %IRQLENS_BYPASS_LINK_SIZE_MAX; %E2BIG @size is bigger than
 * the kernel's and the bytes it does not know are not zero; %ENOTTY not
 * an irqlens ioctl. 32-bit callers on a 64-bit kernel use the same
 * layout.
 */
struct irqlens_bypass_query {
	__u32 size;
	__u32 flags;
	__u32 link_size;
	__u32 nr_links;
	__u64 links;
	__u32 total;
	__u32 capacity;
	__u64 overflow;
	__u64 unmatched;
	__u32 posting_cap;
	__u32 reserved[3];
};

#define IRQLENS_BYPASS_QUERY_SIZE_VER0	64	/* sizeof first published struct */

/* Values of irqlens_window_vcpu.irqchip: the VM's interrupt controller. */
#define IRQLENS_IRQCHIP_USERSPACE	0	/* no in-kernel LAPIC: KVM_INTERRUPT */
#define IRQLENS_IRQCHIP_KERNEL		1	/* LAPIC, PIC and IOAPIC in KVM */
#define IRQLENS_IRQCHIP_SPLIT		2	/* LAPIC in KVM, PIC/IOAPIC in userspace */

/* Bits of irqlens_window_vcpu.flags. */
#define IRQLENS_WIN_IN_RUN		(1U << 0)	/* inside KVM_RUN now */
#define IRQLENS_WIN_STUCK		(1U << 1)	/* its streak is past the threshold now */
#define IRQLENS_WIN_LAST_REQ_WINDOW	(1U << 2)	/* last return: request_interrupt_window */
/* last return: ready_for_interrupt_injection */
#define IRQLENS_WIN_LAST_READY		(1U << 3)
#define IRQLENS_WIN_LAST_IF		(1U << 4)	/* last return: if_flag */

/* Bits of irqlens_window_vcpu.snap_flags: KVM's state when the detector fired. */
#define IRQLENS_SNAP_REQ_WINDOW		(1U << 0)	/* userspace asked for a window */
#define IRQLENS_SNAP_IRQ_QUEUED		(1U << 1)	/* an interrupt waits for (re)injection */
#define IRQLENS_SNAP_EXC_PENDING	(1U << 2)	/* an exception is pending */
#define IRQLENS_SNAP_EXC_INJECTED	(1U << 3)	/* an exception is being injected */
#define IRQLENS_SNAP_NMI_INJECTED	(1U << 4)	/* an NMI is being injected */
#define IRQLENS_SNAP_GUEST_MODE		(1U << 5)	/* the vCPU runs a nested guest */

/**
 * struct irqlens_window_vcpu - one vCPU's interrupt windows, as KVM ran them
 * @runs: KVM_RUN calls entered (immediate_exit ones too)
 * @returns: KVM_RUN calls returned
 * @window_exits: interrupt-window exits (SVM VINTR, VMX exit 7): what
 *	KVM counts in its irq_window_exits statistic
 * @window_opens: returns of 0 with KVM_EXIT_IRQ_WINDOW_OPEN: what KVM
 *	counts in request_irq_exits
 * @irq_injections: interrupts KVM injected (the vendor inject_irq)
 * @nmi_injections: NMIs KVM injected (the vendor inject_nmi)
 * @exits_this_run: window exits since the last KVM_RUN entry
 * @streak: window exits since that entry or the last injection
 * @longest_streak: the most @streak has been
 * @flagged: times the livelock detector fired for this vCPU
 * @snap_streak: @streak when the detector last fired
 * @vm: irqlens id of the VM
 * @vcpu_id: KVM's vCPU id
 * @pid: thread group that last entered KVM_RUN
 * @irqchip: %IRQLENS_IRQCHIP_*
 * @flags: %IRQLENS_WIN_* bits
 * @last_exit_reason: kvm_run->exit_reason at the last return
 * @last_result: KVM_RUN's return value at the last return (0 or -errno)
 * @snap_flags: %IRQLENS_SNAP_* bits: KVM's state when the detector fired
 * @snap_ext_vector: the ExtINT split irqchip had queued then, or -1
 * @snap_queued_vector: the interrupt waiting for injection then
 *	(%IRQLENS_SNAP_IRQ_QUEUED)
 * @snap_nmi_pending: NMIs KVM held back then
 * @snap_threshold: the threshold the streak passed
 * @reserved: zero
 */
struct irqlens_window_vcpu {
	__u64 runs;
	__u64 returns;
	__u64 window_exits;
	__u64 window_opens;
	__u64 irq_injections;
	__u64 nmi_injections;
	__u64 exits_this_run;
	__u64 streak;
	__u64 longest_streak;
	__u64 flagged;
	__u64 snap_streak;
	__u32 vm;
	__u32 vcpu_id;
	__u32 pid;
	__u32 irqchip;
	__u32 flags;
	__u32 last_exit_reason;
	__s32 last_result;
	__u32 snap_flags;
	__s32 snap_ext_vector;
	__u32 snap_queued_vector;
	__u32 snap_nmi_pending;
	__u32 snap_threshold;
	__u32 reserved[2];
};

#define IRQLENS_WINDOW_VCPU_SIZE_VER0	144	/* sizeof first published struct */
#define IRQLENS_WINDOW_VCPU_SIZE_MAX	4096

/**
 * struct irqlens_window_query - argument of %IRQLENS_IOC_WINDOW_VCPUS
 * @size: in: sizeof(struct irqlens_window_query) as the caller knows it
 * @flags: in: must be 0
 * @vcpu_size: in: sizeof(struct irqlens_window_vcpu) as the caller knows
 *	it, also the stride of @vcpus, at most %IRQLENS_WINDOW_VCPU_SIZE_MAX;
 *	out: the kernel's size
 * @nr_vcpus: in: room in @vcpus; out: records written
 * @vcpus: in: user address of @nr_vcpus records of @vcpu_size bytes
 * @total: out: vCPUs the module holds
 * @capacity: out: most vCPUs the module can hold
 * @overflow: out: events of a vCPU for which no record was free
 * @unmatched: out: vCPUs that went away with no record
 * @threshold: out: window exits without an injection that flag a vCPU
 * @stuck: out: vCPUs past the threshold now
 * @reserved: in: zero
 *
 * Errors as for %IRQLENS_IOC_BYPASS_LINKS.
 */
struct irqlens_window_query {
	__u32 size;
	__u32 flags;
	__u32 vcpu_size;
	__u32 nr_vcpus;
	__u64 vcpus;
	__u32 total;
	__u32 capacity;
	__u64 overflow;
	__u64 unmatched;
	__u32 threshold;
	__u32 stuck;
	__u32 reserved[2];
};

#define IRQLENS_WINDOW_QUERY_SIZE_VER0	64	/* sizeof first published struct */

/* Unused in Documentation/userspace-api/ioctl/ioctl-number.rst (6.12). */
#define IRQLENS_IOCTL_TYPE	0xbd

/* On /sys/kernel/debug/irqlens/bypass: read every link. */
#define IRQLENS_IOC_BYPASS_LINKS	_IO(IRQLENS_IOCTL_TYPE, 0x01)
/* On /sys/kernel/debug/irqlens/window: read every vCPU's record. */
#define IRQLENS_IOC_WINDOW_VCPUS	_IO(IRQLENS_IOCTL_TYPE, 0x02)

#endif /* _UAPI_LINUX_IRQLENS_H */
