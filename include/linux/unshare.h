/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_UNSHARE_H
#define _LINUX_UNSHARE_H

#include <linux/types.h>

/* The Rust implementation of ksys_unshare(), in rust/kernel/unshare.rs. */
int rust_ksys_unshare(unsigned long unshare_flags, int unshare_vm);

#endif /* _LINUX_UNSHARE_H */
