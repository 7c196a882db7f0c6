// SPDX-License-Identifier: GPL-2.0

#include <linux/sched.h>
#include <linux/sem.h>
#include <linux/shm.h>

#ifndef CONFIG_SYSVIPC
__rust_helper void rust_helper_exit_sem(struct task_struct *tsk)
{
	exit_sem(tsk);
}

__rust_helper void rust_helper_exit_shm(struct task_struct *task)
{
	exit_shm(task);
}
#endif /* CONFIG_SYSVIPC */

__rust_helper void rust_helper_shm_init_task(struct task_struct *task)
{
	shm_init_task(task);
}
