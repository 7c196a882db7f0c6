// SPDX-License-Identifier: GPL-2.0

#include <linux/perf_event.h>

#ifndef CONFIG_PERF_EVENTS
__rust_helper void rust_helper_perf_event_namespaces(struct task_struct *tsk)
{
	perf_event_namespaces(tsk);
}
#endif /* CONFIG_PERF_EVENTS */
