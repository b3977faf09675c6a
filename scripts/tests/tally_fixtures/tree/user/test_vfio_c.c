// SPDX-License-Identifier: GPL-2.0
/* A stand-in harness program source for scripts/tally.py. */
