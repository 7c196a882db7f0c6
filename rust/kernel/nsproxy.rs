// SPDX-License-Identifier: GPL-2.0

//! The set of namespaces of a task (`struct nsproxy`).
//!
//! C header: [`include/linux/nsproxy.h`](srctree/include/linux/nsproxy.h).

use crate::{
    bindings,
    cred::{
        NewCredential,
        CAP_SYS_ADMIN, //
    },
    fs::fs_struct::OwnedFsStruct,
    namespace::{
        CgroupNamespace,
        IpcNamespace,
        MntNamespace,
        MntNamespaceRef,
        NetNamespace,
        TimeNamespace,
        UserNamespace,
        UtsNamespace, //
    },
    pid_namespace::PidNamespace,
    prelude::*,
    sync::aref::ARef,
    task::{
        clone_flags::{
            NEWUSER,
            NS_ALL,
            UNSHARE_EMPTY_MNTNS, //
        },
        CurrentTaskMut,
    },
    types::Opaque,
};
use core::{
    mem::ManuallyDrop,
    ptr::{
        self,
        NonNull, //
    },
};

/// The namespaces of a task, as installed: a set that no longer changes.
///
/// # Invariants
///
/// `self.0` is a valid `nsproxy` whose namespace pointers are not changed any more (they are set
/// before an `nsproxy` is installed). Each is valid while the `nsproxy` is, or null: the mount
/// namespace early at boot, the others where the kernel is built without that kind of namespace.
#[repr(transparent)]
pub(crate) struct NsProxy(Opaque<bindings::nsproxy>);

impl NsProxy {
    /// Returns a raw pointer to the `nsproxy`.
    #[inline]
    pub(crate) fn as_ptr(&self) -> *mut bindings::nsproxy {
        self.0.get()
    }

    /// Creates a reference to an installed `nsproxy` from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `nsproxy` whose namespaces are set, that stays alive for `'a`.
    #[inline]
    pub(crate) unsafe fn from_ptr<'a>(ptr: *mut bindings::nsproxy) -> &'a Self {
        // INVARIANT: Guaranteed by the caller.
        // SAFETY: The caller guarantees validity for `'a`; the type is transparent.
        unsafe { &*ptr.cast() }
    }

    /// Returns the mount namespace, if the set has one (only early at boot it has none).
    #[inline]
    pub(crate) fn mnt_ns(&self) -> Option<&MntNamespace> {
        // SAFETY: By the type invariants the field is fixed, so reading it is not a data race.
        let ns = unsafe { (*self.as_ptr()).mnt_ns };
        // SAFETY: A non-null field is valid while `self` is, which the result borrows.
        NonNull::new(ns).map(|ns| unsafe { MntNamespace::from_ptr(ns.as_ptr()) })
    }

    /// Returns the IPC namespace, if the kernel is built with System V IPC or POSIX message
    /// queues.
    #[inline]
    pub(crate) fn ipc_ns(&self) -> Option<&IpcNamespace> {
        // SAFETY: By the type invariants the field is fixed, so reading it is not a data race.
        let ns = unsafe { (*self.as_ptr()).ipc_ns };
        // SAFETY: A non-null field is valid while `self` is, which the result borrows.
        NonNull::new(ns).map(|ns| unsafe { IpcNamespace::from_ptr(ns.as_ptr()) })
    }
}

// SAFETY: An installed `nsproxy` is freed by whichever task drops the last use of it, on any
// thread; this type gives no ownership, only shared access.
unsafe impl Send for NsProxy {}

// SAFETY: The fields are fixed once the `nsproxy` is installed (type invariants), and the
// namespaces they point to are `Sync`.
unsafe impl Sync for NsProxy {}

/// An `nsproxy` that has been allocated but whose namespaces are not set yet.
///
/// Dropping it frees the allocation; [`EmptyNsProxy::fill`] turns it into a [`NewNsProxy`].
///
/// # Invariants
///
/// `self.0` points to an `nsproxy` from `create_nsproxy()` with a count of one, whose namespace
/// pointers are not set, owned by this value.
struct EmptyNsProxy(NonNull<bindings::nsproxy>);

impl EmptyNsProxy {
    #[inline]
    fn new() -> Result<Self> {
        // SAFETY: `create_nsproxy` has no preconditions.
        let new = unsafe { bindings::create_nsproxy() };
        // INVARIANT: A non-null result is a new `nsproxy` with a count of one.
        NonNull::new(new).map(Self).ok_or(ENOMEM)
    }

    /// Sets every namespace of the `nsproxy`, taking over the references, and the current time
    /// namespace `time`, taking a reference.
    ///
    /// # Safety
    ///
    /// `time` must be valid for the call, or null where the kernel has no time namespaces.
    #[expect(clippy::too_many_arguments)]
    #[inline]
    unsafe fn fill(
        self,
        mnt: MntNamespaceRef,
        uts: Option<ARef<UtsNamespace>>,
        ipc: Option<ARef<IpcNamespace>>,
        pid: Option<ARef<PidNamespace>>,
        cgroup: Option<ARef<CgroupNamespace>>,
        net: Option<ARef<NetNamespace>>,
        time_for_children: Option<ARef<TimeNamespace>>,
        time: *mut bindings::time_namespace,
    ) -> NewNsProxy {
        fn into_raw<T: crate::sync::aref::AlwaysRefCounted, U>(ns: Option<ARef<T>>) -> *mut U {
            ns.map_or(ptr::null_mut(), |ns| ARef::into_raw(ns).cast().as_ptr())
        }
        let this = ManuallyDrop::new(self);
        let new = this.0.as_ptr();
        // SAFETY: By the type invariants `new` is a valid `nsproxy` that we own and that nobody
        // else can see yet; its namespace fields are not set, so they are written through the
        // raw pointer without a reference to the uninitialised memory. The references move in.
        unsafe {
            (&raw mut (*new).mnt_ns).write(mnt.into_raw());
            (&raw mut (*new).uts_ns).write(into_raw(uts));
            (&raw mut (*new).ipc_ns).write(into_raw(ipc));
            (&raw mut (*new).pid_ns_for_children).write(into_raw(pid));
            (&raw mut (*new).cgroup_ns).write(into_raw(cgroup));
            (&raw mut (*new).net_ns).write(into_raw(net));
            (&raw mut (*new).time_ns_for_children).write(into_raw(time_for_children));
        }
        // SAFETY: `time` is valid or null (safety requirement); `get_time_ns` takes a reference
        // on it, or gives null without time namespaces.
        let time = unsafe { bindings::get_time_ns(time) };
        // SAFETY: As for the other fields.
        unsafe { (&raw mut (*new).time_ns).write(time) };
        // INVARIANT: Every namespace is set and the `nsproxy` was never installed.
        NewNsProxy(this.0)
    }
}

impl Drop for EmptyNsProxy {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariants we own the allocation and it holds no references.
        unsafe { bindings::nsproxy_free_empty(self.0.as_ptr()) };
    }
}

/// A new `nsproxy` that has not been installed on any task yet.
///
/// It is installed with [`NewNsProxy::install`], which consumes it. If it is dropped instead,
/// `nsproxy_free` releases the namespaces it references; as it was never installed, it holds no
/// active references to drop. It is not `Send`: moved to another thread, it could be installed on
/// a task that may not create the namespaces it holds.
///
/// # Invariants
///
/// `self.0` points to a valid `nsproxy` whose namespaces are all set, that has never been
/// installed on a task and that nothing else references.
///
/// # Examples
///
/// The namespaces of a task cannot be used across an install, which drops them:
///
/// ```ignore,compile_fail,E0502
/// use kernel::{
///     nsproxy::NewNsProxy,
///     task::{clone_flags::NEWUTS, CurrentTaskMut},
/// };
///
/// fn switch(ctx: &mut CurrentTaskMut<'_>) -> Result {
///     let old = ctx.nsproxy();
///     // SAFETY: No credentials are given.
///     if let Some(new) = unsafe { NewNsProxy::unshare(ctx, NEWUTS, None, None) }? {
///         new.install(ctx);
///     }
///     let _ = old.ipc_ns();
///     Ok(())
/// }
/// ```
#[doc(alias = "nsproxy")]
pub(crate) struct NewNsProxy(NonNull<bindings::nsproxy>);

impl core::ops::Deref for NewNsProxy {
    type Target = NsProxy;

    #[inline]
    fn deref(&self) -> &NsProxy {
        // SAFETY: By the type invariants the `nsproxy` is valid and its namespaces are set; it is
        // owned by `self`, which the returned reference borrows.
        unsafe { NsProxy::from_ptr(self.0.as_ptr()) }
    }
}

impl NewNsProxy {
    /// Creates a set of namespaces from `old`: a new namespace, owned by `user_ns`, for each
    /// namespace flag in `flags`, and the namespace of `old` otherwise.
    ///
    /// The namespaces are created in the order of the C function, mount, UTS, IPC, PID, cgroup,
    /// network and time, so that their allocations fail at the same points; on an error, those
    /// already created are released in the reverse order.
    ///
    /// `fs` is the filesystem context that the task will have, required with `CLONE_NEWNS`: the
    /// new mount namespace rebases its root and working directory.
    ///
    /// Errors: [`ENOMEM`], [`EINVAL`] for `CLONE_NEWNS` without `fs` or for a kind of namespace
    /// the kernel is built without, [`ENOSPC`] at a `user.max_*_namespaces` limit, and whatever
    /// the namespace constructors return.
    ///
    /// # Safety
    ///
    /// The current task holds `CAP_SYS_ADMIN` in `user_ns` (checked with
    /// [`UserNamespace::capable`]): the namespace constructors check no capability.
    #[doc(alias = "create_new_namespaces")]
    // Out of line, so that `unshare()`, whose test of the flags is all that most calls run, stays
    // small enough to be inlined in its caller.
    #[inline(never)]
    unsafe fn create(
        flags: u64,
        old: &NsProxy,
        user_ns: &UserNamespace,
        fs: Option<&mut OwnedFsStruct>,
    ) -> Result<Self> {
        let new = EmptyNsProxy::new()?;
        let old_mnt = old.mnt_ns().ok_or(EINVAL)?;
        // SAFETY: The caller has checked the capability.
        let mnt = unsafe { MntNamespaceRef::copy(flags, old_mnt, user_ns, fs) }?;
        let old = old.as_ptr();
        // By the invariants of `NsProxy` each field of `old` is valid while `old` is, or null
        // where the kernel is built without that kind of namespace, and the caller has checked
        // the capability, as `copy_raw` requires.
        // SAFETY: `uts_ns` is valid (never null).
        let uts = unsafe { UtsNamespace::copy_raw(flags, user_ns, (*old).uts_ns) }?;
        // SAFETY: `ipc_ns` is valid, or null without System V IPC and POSIX message queues.
        let ipc = unsafe { IpcNamespace::copy_raw(flags, user_ns, (*old).ipc_ns) }?;
        // SAFETY: `pid_ns_for_children` is valid (never null).
        let pid = unsafe { PidNamespace::copy_raw(flags, user_ns, (*old).pid_ns_for_children) }?;
        // SAFETY: `cgroup_ns` is valid, or null without `CONFIG_CGROUPS`.
        let cgroup = unsafe { CgroupNamespace::copy_raw(flags, user_ns, (*old).cgroup_ns) }?;
        // SAFETY: `net_ns` is valid, or null without `CONFIG_NET`.
        let net = unsafe { NetNamespace::copy_raw(flags, user_ns, (*old).net_ns) }?;
        // SAFETY: `time_ns_for_children` is valid, or null without `CONFIG_TIME_NS`.
        let time_for_children =
            unsafe { TimeNamespace::copy_raw(flags, user_ns, (*old).time_ns_for_children) }?;
        // SAFETY: `time_ns` is valid, or null without `CONFIG_TIME_NS`, as `fill` requires.
        Ok(unsafe {
            new.fill(
                mnt,
                uts,
                ipc,
                pid,
                cgroup,
                net,
                time_for_children,
                (*old).time_ns,
            )
        })
    }

    /// Creates the namespaces named in `unshare_flags` for the task of `ctx`, or returns `None`
    /// if the flags name no namespace other than the user namespace.
    ///
    /// `cred`, if given, are the credentials that the task will have (their user namespace owns
    /// the new namespaces and must grant `CAP_SYS_ADMIN`). `fs` is the filesystem context that
    /// the task will have, required with `CLONE_NEWNS`: the new mount namespace rebases its root
    /// and working directory, which must not be those of the context the task still shares.
    ///
    /// Errors: [`EPERM`] without `CAP_SYS_ADMIN`; [`ENOMEM`]; [`EINVAL`] for `CLONE_NEWNS`
    /// without `fs` or for a kind of namespace the kernel is built without; [`ENOSPC`] at a
    /// `user.max_*_namespaces` limit; and whatever the namespace constructors return.
    ///
    /// # Safety
    ///
    /// If `cred` is given, the caller installs the result only together with those credentials:
    /// it commits them after the install (or drops both). Otherwise the task would be left in
    /// its own user namespace with namespaces owned by another, in which it has every
    /// capability: it could, e.g., set the host name of its UTS namespace and still run setuid
    /// programs that trust it. If `fs` is given, the caller installs the result only together
    /// with `fs` (or drops both): the new mount namespace holds its root and working directory,
    /// and the task's current ones stay in the old namespace.
    ///
    /// # Examples
    ///
    /// The set of namespaces is created only here, after the capability check:
    ///
    /// ```ignore,compile_fail,E0624
    /// use kernel::{nsproxy::NewNsProxy, task::CurrentTaskMut};
    ///
    /// fn create(ctx: &CurrentTaskMut<'_>) -> Result<NewNsProxy> {
    ///     NewNsProxy::create(0, ctx.nsproxy(), ctx.user_ns(), None)
    /// }
    /// ```
    #[doc(alias = "unshare_nsproxy_namespaces")]
    #[inline]
    pub(crate) unsafe fn unshare(
        ctx: &CurrentTaskMut<'_>,
        unshare_flags: c_ulong,
        cred: Option<&NewCredential>,
        fs: Option<&mut OwnedFsStruct>,
    ) -> Result<Option<Self>> {
        if unshare_flags & (NS_ALL & !NEWUSER) == 0 {
            return Ok(None);
        }
        let user_ns = cred.map_or_else(|| ctx.user_ns(), NewCredential::user_ns);
        if !user_ns.capable(CAP_SYS_ADMIN) {
            return Err(EPERM);
        }
        // The 32-bit `UNSHARE_EMPTY_MNTNS` aliases `CLONE_PARENT_SETTID`; the namespace code
        // takes the 64-bit `CLONE_EMPTY_MNTNS`.
        let mut flags = unshare_flags as u64;
        if unshare_flags & UNSHARE_EMPTY_MNTNS != 0 {
            flags &= !(UNSHARE_EMPTY_MNTNS as u64);
            flags |= bindings::CLONE_EMPTY_MNTNS;
        }
        // SAFETY: The capability is checked above.
        unsafe { Self::create(flags, ctx.nsproxy(), user_ns, fs) }.map(Some)
    }

    /// Installs the namespaces on the task of `ctx` and drops the task's reference to its
    /// previous ones.
    ///
    /// If the IPC namespace changes, the task first leaves the System V objects of the old one,
    /// as at exit: its semaphore undo list is applied and detached, and the shared memory
    /// segments it created are orphaned. Those are unreachable from the new namespace.
    #[doc(alias = "switch_task_namespaces")]
    #[inline]
    pub(crate) fn install(self, ctx: &mut CurrentTaskMut<'_>) {
        let new = ManuallyDrop::new(self);
        let task = ctx.as_ptr();
        // SAFETY: By the invariants of `CurrentTaskMut` the task is current and not exiting, so
        // its `nsproxy` is set, and only the task itself replaces it. The new `nsproxy` is valid.
        let ipc_changes = unsafe { (*(*task).nsproxy).ipc_ns != (*new.0.as_ptr()).ipc_ns };
        if ipc_changes {
            // The task's `nsproxy` still points to the namespace that its undo list and segments
            // belong to.
            ctx.exit_sem();
            // SAFETY: The task is current, in process context and not exiting (`CurrentTaskMut`).
            unsafe { bindings::exit_shm(task) };
            // SAFETY: As for `exit_shm`; this empties the list of segments `exit_shm` orphaned.
            unsafe { bindings::shm_init_task(task) };
        }
        // SAFETY: The `nsproxy` is valid and owned by us; ownership moves to the task.
        // `switch_task_namespaces` takes `task_lock` and may sleep, which the process context of
        // `ctx` allows, and drops the task's reference to the previous `nsproxy`, which is set.
        unsafe { bindings::switch_task_namespaces(task, new.0.as_ptr()) };
    }
}

impl Drop for NewNsProxy {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariants the `nsproxy` was never installed, nothing else
        // references it and its namespaces are set.
        unsafe { bindings::nsproxy_free(self.0.as_ptr()) };
    }
}
