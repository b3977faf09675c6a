# SPDX-License-Identifier: GPL-2.0
#
# Where scripts/build-test-kernel.sh leaves the project's test kernel.
# Sourced; sets TESTKERNEL_{BUILD,IMAGE,RELEASE,MODROOT} or dies with the
# command that builds it.

TESTKERNEL_BUILD="$IRQLENS_CACHE/testkernel/build"
TESTKERNEL_IMAGE="$TESTKERNEL_BUILD/arch/x86/boot/bzImage"
TESTKERNEL_MODROOT="$IRQLENS_CACHE/testkernel/modroot"

if [[ ! -f $TESTKERNEL_IMAGE || ! -f $TESTKERNEL_BUILD/include/config/kernel.release ]]; then
	die "the test kernel is not built: run scripts/build-test-kernel.sh"
fi
TESTKERNEL_RELEASE=$(cat "$TESTKERNEL_BUILD/include/config/kernel.release")
