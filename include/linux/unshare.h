/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_UNSHARE_H
#define _LINUX_UNSHARE_H

/* The Rust implementation of ksys_unshare(), in kernel/unshare.rs. */
int rust_ksys_unshare(unsigned long unshare_flags);

#endif /* _LINUX_UNSHARE_H */
