#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stand-in harness script for scripts/tally.py.
