#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract linux-source-6.12 and install its uapi headers into the cache
# (once; later runs reuse them).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kernel_source >/dev/null
uapi_headers >/dev/null
