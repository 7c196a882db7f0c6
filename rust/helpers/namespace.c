// SPDX-License-Identifier: GPL-2.0

#include <linux/cgroup_namespace.h>
#include <linux/ipc_namespace.h>
#include <linux/pid_namespace.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/uts_namespace.h>
#include <net/net_namespace.h>

__rust_helper struct user_namespace *
rust_helper_get_user_ns(struct user_namespace *ns)
{
	return get_user_ns(ns);
}

__rust_helper void rust_helper_put_user_ns(struct user_namespace *ns)
{
	put_user_ns(ns);
}

__rust_helper void rust_helper_get_uts_ns(struct uts_namespace *ns)
{
	get_uts_ns(ns);
}

__rust_helper void rust_helper_put_uts_ns(struct uts_namespace *ns)
{
	put_uts_ns(ns);
}

__rust_helper struct ipc_namespace *
rust_helper_get_ipc_ns(struct ipc_namespace *ns)
{
	return get_ipc_ns(ns);
}

__rust_helper void rust_helper_get_cgroup_ns(struct cgroup_namespace *ns)
{
	get_cgroup_ns(ns);
}

__rust_helper void rust_helper_put_cgroup_ns(struct cgroup_namespace *ns)
{
	put_cgroup_ns(ns);
}

__rust_helper struct net *rust_helper_get_net(struct net *net)
{
	return get_net(net);
}

__rust_helper void rust_helper_put_net(struct net *net)
{
	put_net(net);
}

__rust_helper struct time_namespace *
rust_helper_get_time_ns(struct time_namespace *ns)
{
	return get_time_ns(ns);
}

__rust_helper void rust_helper_put_time_ns(struct time_namespace *ns)
{
	put_time_ns(ns);
}

/* The constructors and puts that are inline stubs without their namespace. */
#ifndef CONFIG_UTS_NS
__rust_helper struct uts_namespace *
rust_helper_copy_utsname(u64 flags, struct user_namespace *user_ns,
			 struct uts_namespace *old_ns)
{
	return copy_utsname(flags, user_ns, old_ns);
}
#endif /* CONFIG_UTS_NS */

#ifndef CONFIG_IPC_NS
__rust_helper struct ipc_namespace *
rust_helper_copy_ipcs(u64 flags, struct user_namespace *user_ns,
		      struct ipc_namespace *ns)
{
	return copy_ipcs(flags, user_ns, ns);
}

__rust_helper void rust_helper_put_ipc_ns(struct ipc_namespace *ns)
{
	put_ipc_ns(ns);
}
#endif /* CONFIG_IPC_NS */

#ifndef CONFIG_PID_NS
__rust_helper struct pid_namespace *
rust_helper_copy_pid_ns(u64 flags, struct user_namespace *user_ns,
			struct pid_namespace *ns)
{
	return copy_pid_ns(flags, user_ns, ns);
}
#endif /* CONFIG_PID_NS */

#ifndef CONFIG_CGROUPS
__rust_helper struct cgroup_namespace *
rust_helper_copy_cgroup_ns(u64 flags, struct user_namespace *user_ns,
			   struct cgroup_namespace *old_ns)
{
	return copy_cgroup_ns(flags, user_ns, old_ns);
}
#endif /* CONFIG_CGROUPS */

#ifndef CONFIG_NET_NS
__rust_helper struct net *
rust_helper_copy_net_ns(u64 flags, struct user_namespace *user_ns,
			struct net *old_net)
{
	return copy_net_ns(flags, user_ns, old_net);
}
#endif /* CONFIG_NET_NS */

#ifndef CONFIG_TIME_NS
__rust_helper struct time_namespace *
rust_helper_copy_time_ns(u64 flags, struct user_namespace *user_ns,
			 struct time_namespace *old_ns)
{
	return copy_time_ns(flags, user_ns, old_ns);
}
#endif /* CONFIG_TIME_NS */
