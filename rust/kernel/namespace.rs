// SPDX-License-Identifier: GPL-2.0

//! Namespaces: user, mount, UTS, IPC, cgroup, network and time (for PID namespaces see
//! [`crate::pid_namespace`]).
//!
//! Each type wraps the kernel's structure of that namespace. Its constructor, for the `nsproxy`
//! abstraction only, is the C function that `clone(2)` and `unshare(2)` call for the namespace: it
//! returns a new namespace if the flags ask for one, and another reference to the old one
//! otherwise. Where the kernel is built without a kind of namespace, its references are not
//! counted, and the constructor refuses its flag with [`EINVAL`] (or, for cgroups, ignores it).
//!
//! The constructors check no capability, so they are `unsafe`: a new namespace is had only
//! through the `nsproxy` abstraction, which checks `CAP_SYS_ADMIN` first. The module is private
//! to the crate, for `unshare(2)` (`kernel::unshare`): the constructors and the release of most
//! namespaces are C functions that are not exported to modules.
//!
//! C headers: [`include/linux/user_namespace.h`](srctree/include/linux/user_namespace.h),
//! [`include/linux/mnt_namespace.h`](srctree/include/linux/mnt_namespace.h),
//! [`include/linux/uts_namespace.h`](srctree/include/linux/uts_namespace.h),
//! [`include/linux/ipc_namespace.h`](srctree/include/linux/ipc_namespace.h),
//! [`include/linux/cgroup_namespace.h`](srctree/include/linux/cgroup_namespace.h),
//! [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h),
//! [`include/linux/time_namespace.h`](srctree/include/linux/time_namespace.h).

use crate::{
    bindings,
    cred::Capability,
    error::from_err_ptr,
    fs::fs_struct::OwnedFsStruct,
    prelude::*,
    sync::aref::{
        ARef,
        AlwaysRefCounted, //
    },
    types::Opaque,
};
use core::ptr::{
    self,
    NonNull, //
};

/// Defines a reference-counted namespace type, its counting and, where asked for, its
/// `from_ptr` conversion (`[from_ptr]`) and `copy_raw` constructor.
macro_rules! namespace {
    (
        $(#[$attr:meta])*
        $vis:vis $name:ident($c:ident) $([$from_ptr:ident])?, get: $get:ident, put: $put:ident
        $(, copy: $copy:ident, alias: $alias:literal)? $(,)?
    ) => {
        $(#[$attr])*
        ///
        /// # Invariants
        ///
        /// Instances are always reference counted: a reference taken with the `get` function of
        /// the namespace keeps it alive until the matching `put`.
        #[repr(transparent)]
        $vis struct $name(Opaque<bindings::$c>);

        impl $name {
            /// Returns a raw pointer to the namespace.
            #[inline]
            $vis fn as_ptr(&self) -> *mut bindings::$c {
                self.0.get()
            }

            $(
            /// Creates a reference to a namespace from a raw pointer.
            ///
            /// # Safety
            ///
            /// `ptr` must point to a valid namespace of this type that stays alive for `'a`.
            #[inline]
            $vis unsafe fn $from_ptr<'a>(ptr: *mut bindings::$c) -> &'a Self {
                // SAFETY: The caller guarantees validity for `'a`; the type is transparent.
                unsafe { &*ptr.cast() }
            }
            )?

            $(
            /// Returns a new namespace of this type, owned by `user_ns`, if `flags` ask for one,
            /// and `old` otherwise, with a reference owned by the caller; `None` if `old` is null.
            ///
            /// This is the constructor of the namespaces of a new `nsproxy`, which checks first
            /// that the task may create namespaces owned by `user_ns` (`CAP_SYS_ADMIN` in it).
            /// Errors: [`EINVAL`] for the flag of a namespace the kernel is built without,
            /// [`ENOSPC`] at the `user.max_*_namespaces` limit, [`ENOMEM`].
            ///
            /// # Safety
            ///
            /// `old` must be valid for the call, or null if the kernel is built without this kind
            /// of namespace, whose stub constructor then returns it or refuses the flag. The
            /// current task holds `CAP_SYS_ADMIN` in `user_ns`.
            #[doc(alias = $alias)]
            #[inline]
            pub(crate) unsafe fn copy_raw(
                flags: u64,
                user_ns: &UserNamespace,
                old: *mut bindings::$c,
            ) -> Result<Option<ARef<Self>>> {
                // SAFETY: `user_ns` is valid and outlives the call; `old` as the caller promises.
                let new = from_err_ptr(unsafe { bindings::$copy(flags, user_ns.as_ptr(), old) })?;
                // SAFETY: On success the constructor returns a reference that we own.
                Ok(NonNull::new(new).map(|new| unsafe { ARef::from_raw(new.cast()) }))
            }
            )?
        }

        // SAFETY: By the type invariants the namespace is always reference counted.
        unsafe impl AlwaysRefCounted for $name {
            #[inline]
            fn inc_ref(&self) {
                // SAFETY: The existence of a shared reference means that the count is nonzero.
                unsafe { bindings::$get(self.as_ptr()) };
            }

            #[inline]
            unsafe fn dec_ref(obj: NonNull<Self>) {
                // SAFETY: The caller owns a reference; the type is transparent.
                unsafe { bindings::$put(obj.cast().as_ptr()) };
            }
        }

        // SAFETY: The reference count is atomic and the `put` function may be called from any
        // thread, so a reference may be dropped on another thread than the one that took it.
        unsafe impl Send for $name {}

        // SAFETY: A shared reference gives access only to the reference count, which is atomic,
        // and to the pointer, for C functions that synchronise their accesses themselves.
        unsafe impl Sync for $name {}
    };
}

namespace! {
    /// A user namespace: the owner of every other namespace and of the capabilities in it.
    ///
    /// # Examples
    ///
    /// The namespaces that a user namespace owns are created only through the `nsproxy`
    /// abstraction, which checks first that the task may create them:
    ///
    /// ```ignore,compile_fail,E0599
    /// use kernel::{
    ///     namespace::{UserNamespace, UtsNamespace},
    ///     task::clone_flags::NEWUTS,
    /// };
    ///
    /// fn copy(user_ns: &UserNamespace) -> Result {
    ///     let _new = UtsNamespace::copy(NEWUTS as u64, user_ns, None)?;
    ///     Ok(())
    /// }
    /// ```
    ///
    /// ```ignore,compile_fail,E0599
    /// use kernel::{
    ///     namespace::UserNamespace,
    ///     pid_namespace::PidNamespace,
    ///     task::clone_flags::NEWPID,
    /// };
    ///
    /// fn copy(user_ns: &UserNamespace, old: &PidNamespace) -> Result {
    ///     let _new = PidNamespace::copy(NEWPID as u64, user_ns, old)?;
    ///     Ok(())
    /// }
    /// ```
    pub(crate) UserNamespace(user_namespace) [from_ptr], get: get_user_ns, put: put_user_ns,
}

impl UserNamespace {
    /// Returns `true` if the current task has capability `cap` in this user namespace, marking
    /// it as having used superuser privileges.
    #[doc(alias = "ns_capable")]
    #[inline]
    pub(crate) fn capable(&self, cap: Capability) -> bool {
        // SAFETY: The namespace is valid and `cap` is a valid capability (type invariant), so
        // `ns_capable` does not `BUG()`; it reads the current task's credentials and, if the
        // capability is granted, sets `PF_SUPERPRIV` in the current task's flags.
        unsafe { bindings::ns_capable(self.as_ptr(), cap.as_raw()) }
    }
}

namespace! {
    /// A UTS namespace: host name and domain name.
    pub(crate) UtsNamespace(uts_namespace), get: get_uts_ns, put: put_uts_ns,
    copy: copy_utsname, alias: "copy_utsname",
}

namespace! {
    /// An IPC namespace: System V IPC objects and POSIX message queues.
    pub(crate) IpcNamespace(ipc_namespace) [from_ptr], get: get_ipc_ns, put: put_ipc_ns,
    copy: copy_ipcs, alias: "copy_ipcs",
}

namespace! {
    /// A cgroup namespace: the root of the cgroup hierarchy that its tasks see.
    pub(crate) CgroupNamespace(cgroup_namespace), get: get_cgroup_ns, put: put_cgroup_ns,
    copy: copy_cgroup_ns, alias: "copy_cgroup_ns",
}

namespace! {
    /// A network namespace (`struct net`).
    pub(crate) NetNamespace(net), get: get_net, put: put_net,
    copy: copy_net_ns, alias: "copy_net_ns",
}

namespace! {
    /// A time namespace: offsets of the monotonic and boot-time clocks.
    pub(crate) TimeNamespace(time_namespace), get: get_time_ns, put: put_time_ns,
    copy: copy_time_ns, alias: "copy_time_ns",
}

/// A mount namespace.
///
/// Its reference count is private to the VFS, so there is no [`ARef`] of it: a reference is
/// held by a [`MntNamespaceRef`].
#[repr(transparent)]
pub(crate) struct MntNamespace(Opaque<bindings::mnt_namespace>);

impl MntNamespace {
    /// Returns a raw pointer to the namespace.
    #[inline]
    pub(crate) fn as_ptr(&self) -> *mut bindings::mnt_namespace {
        self.0.get()
    }

    /// Creates a reference to a mount namespace from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid mount namespace that stays alive for `'a`.
    #[inline]
    pub(crate) unsafe fn from_ptr<'a>(ptr: *mut bindings::mnt_namespace) -> &'a Self {
        // SAFETY: The caller guarantees validity for `'a`; the type is transparent.
        unsafe { &*ptr.cast() }
    }
}

// SAFETY: A shared reference gives access only to the pointer, for C functions that synchronise
// their accesses themselves; the type owns no reference.
unsafe impl Send for MntNamespace {}

// SAFETY: As for `Send`.
unsafe impl Sync for MntNamespace {}

/// A reference to a mount namespace, owned by this value and released when it is dropped.
///
/// # Invariants
///
/// `self.0` points to a valid mount namespace on which this value owns a reference.
///
/// # Examples
///
/// A mount namespace is copied only after a capability check, which the caller asserts:
///
/// ```ignore,compile_fail,E0133
/// use kernel::namespace::{MntNamespace, MntNamespaceRef, UserNamespace};
///
/// fn copy(old: &MntNamespace, user_ns: &UserNamespace) -> Result {
///     let _new = MntNamespaceRef::copy(0, old, user_ns, None)?;
///     Ok(())
/// }
/// ```
pub(crate) struct MntNamespaceRef(NonNull<bindings::mnt_namespace>);

impl MntNamespaceRef {
    /// Returns a copy of `old`, owned by `user_ns`, if `flags` contain `CLONE_NEWNS` (empty with
    /// `CLONE_EMPTY_MNTNS`), and another reference to `old` otherwise.
    ///
    /// A copy rebases the root and working directory of `fs`, the filesystem context that the
    /// task will have, from `old` to the copy: it is required with `CLONE_NEWNS` ([`EINVAL`]
    /// without it). Other errors: [`EPERM`], [`ENOSPC`] at `user.max_mnt_namespaces`,
    /// [`ENOMEM`].
    ///
    /// # Safety
    ///
    /// The current task holds `CAP_SYS_ADMIN` in `user_ns`: `copy_mnt_ns` checks no capability.
    #[doc(alias = "copy_mnt_ns")]
    #[inline]
    pub(crate) unsafe fn copy(
        flags: u64,
        old: &MntNamespace,
        user_ns: &UserNamespace,
        fs: Option<&mut OwnedFsStruct>,
    ) -> Result<Self> {
        if flags & u64::from(bindings::CLONE_NEWNS) != 0 && fs.is_none() {
            return Err(EINVAL);
        }
        let fs = fs.map_or(ptr::null_mut(), |fs| fs.as_ptr());
        // SAFETY: `old` and `user_ns` are valid and outlive the call. `fs` is owned by the
        // caller, borrowed mutably and installed nowhere, and given with `CLONE_NEWNS`, the only
        // case in which `copy_mnt_ns` uses it.
        let new = from_err_ptr(unsafe {
            bindings::copy_mnt_ns(flags, old.as_ptr(), user_ns.as_ptr(), fs)
        })?;
        // INVARIANT: On success `copy_mnt_ns` returns a valid namespace with a reference that we
        // own.
        NonNull::new(new).map(Self).ok_or(ENOMEM)
    }

    /// Gives up the reference and returns the raw pointer, for a structure that takes it over.
    #[inline]
    pub(crate) fn into_raw(self) -> *mut bindings::mnt_namespace {
        core::mem::ManuallyDrop::new(self).0.as_ptr()
    }
}

// SAFETY: `put_mnt_ns` may be called from any thread in process context.
unsafe impl Send for MntNamespaceRef {}

impl Drop for MntNamespaceRef {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: We own a reference by the type invariants.
        unsafe { bindings::put_mnt_ns(self.0.as_ptr()) };
    }
}
