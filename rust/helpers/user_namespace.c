// SPDX-License-Identifier: GPL-2.0

#include <linux/capability.h>
#include <linux/user_namespace.h>

#ifndef CONFIG_USER_NS
__rust_helper int rust_helper_unshare_userns(unsigned long unshare_flags,
					     struct cred **new_cred)
{
	return unshare_userns(unshare_flags, new_cred);
}
#endif /* CONFIG_USER_NS */

#ifndef CONFIG_MULTIUSER
__rust_helper bool rust_helper_capable(int cap)
{
	return capable(cap);
}
#endif /* CONFIG_MULTIUSER */
