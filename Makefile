# SPDX-License-Identifier: GPL-2.0
#
# irqlens top-level Makefile.
#
#   make              build irqlens.ko against $(KDIR)
#   make user         build the harness against the target's uapi headers
#   make check        the full test command (see README)
#   make soak         the same at full strength on every kernel (not in CI)
#   make clean
#
# All outputs go to $(BUILD) (default: build/, ignored by git). The module
# is built in a mirror of the sources made of symlinks, so Kbuild's objects
# never land next to the sources.

IRQLENS_CACHE ?= /var/cache/irqlens
BUILD ?= $(CURDIR)/build

# The running kernel's build tree when it has one, else the newest Debian
# 6.12 headers (the project's default target).
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
DEFAULT_KDIR := $(shell ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n 1)
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),$(DEFAULT_KDIR))

KSRC ?= $(IRQLENS_CACHE)/src
UAPI ?= $(IRQLENS_CACHE)/uapi/include

# One module build directory per target kernel release, so the test bed
# can ship the irqlens.ko built for the kernel it boots.
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
KMOD_DIR = $(BUILD)/kmod-$(KREL)
USER_DIR := $(BUILD)/user

.PHONY: all module user check soak clean prepare-source install-kselftest

all: module

module:
	@test -n "$(KDIR)" -a -f "$(KDIR)/Makefile" -a -n "$(KREL)" || \
		{ echo "irqlens: error: no kernel build tree (KDIR='$(KDIR)'); run scripts/install-deps.sh or pass KDIR=" >&2; exit 1; }
	@mkdir -p $(KMOD_DIR)
	@cp -asf $(wildcard $(addprefix $(CURDIR)/,Kbuild module include)) $(KMOD_DIR)/
	$(MAKE) -C $(KDIR) M=$(KMOD_DIR) modules
	@# build/irqlens.ko is the module for this machine's kernel (the
	@# README's insmod), not whichever KDIR= was built last.
	$(if $(filter file,$(origin KDIR)),@ln -sf $(KMOD_DIR)/module/irqlens.ko $(BUILD)/irqlens.ko)
	@echo "irqlens: built $(KMOD_DIR)/module/irqlens.ko for $(KREL)"

prepare-source:
	@bash scripts/prepare-source.sh

user: prepare-source
	$(MAKE) -C user OUTPUT=$(USER_DIR) \
		KHDR_INCLUDES="-isystem $(UAPI)" \
		SELFTESTS_DIR=$(KSRC)/tools/testing/selftests

# kselftest layout for the kernel's run_kselftest.sh (see README).
install-kselftest: user
	$(MAKE) -C user install OUTPUT=$(USER_DIR) INSTALL_PATH=$(INSTALL_PATH) \
		SELFTESTS_DIR=$(KSRC)/tools/testing/selftests

check:
	@bash scripts/check.sh

soak:
	@IRQLENS_STRENGTH=soak bash scripts/check.sh

clean:
	rm -rf $(BUILD)
