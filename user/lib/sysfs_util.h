/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IRQLENS_SYSFS_UTIL_H
#define IRQLENS_SYSFS_UTIL_H

#include <stddef.h>

/* Write @val to @path; 0 or -errno. Async-signal-safe. */
int sysfs_write(const char *path, const char *val);
/* Read @path into @buf (NUL-terminated, trailing newline removed). */
int sysfs_read(const char *path, char *buf, size_t len);
/*
 * Last component of the target of the symbolic link @path into @buf
 * (".../drivers/vfio-pci" -> "vfio-pci"); 0 or -errno (-ENOENT: no link).
 */
int sysfs_link_name(const char *path, char *buf, size_t len);

/* Name of the first entry (not . or ..) of directory @dir_path. */
int sysfs_first_entry(const char *dir_path, char *buf, size_t len);

#endif
