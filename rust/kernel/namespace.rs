// SPDX-License-Identifier: GPL-2.0

//! Namespaces: user, mount, UTS, IPC, cgroup, network and time (for PID namespaces see
//! [`crate::pid_namespace`]).
//!
//! Each type wraps the kernel's structure of that namespace. Its `copy` constructor is the C
//! function that `clone(2)` and `unshare(2)` call for the namespace: it returns a new namespace if
//! the flags ask for one, and another reference to the old one otherwise. Where the kernel is
//! built without a kind of namespace, its references are not counted, and the constructor
//! refuses its flag with [`EINVAL`] (or, for cgroups, ignores it).
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

/// Defines a reference-counted namespace type, its `copy` constructor and its counting.
macro_rules! namespace {
    (
        $(#[$attr:meta])*
        $name:ident($c:ident), get: $get:ident, put: $put:ident
        $(, copy: $copy:ident, flag: $flag:ident, alias: $alias:literal)? $(,)?
    ) => {
        $(#[$attr])*
        ///
        /// # Invariants
        ///
        /// Instances are always reference counted: a reference taken with the `get` function of
        /// the namespace keeps it alive until the matching `put`.
        #[repr(transparent)]
        pub struct $name(Opaque<bindings::$c>);

        impl $name {
            /// Returns a raw pointer to the namespace.
            #[inline]
            pub fn as_ptr(&self) -> *mut bindings::$c {
                self.0.get()
            }

            /// Creates a reference to a namespace from a raw pointer.
            ///
            /// # Safety
            ///
            /// `ptr` must point to a valid namespace of this type that stays alive for `'a`.
            #[inline]
            pub unsafe fn from_ptr<'a>(ptr: *mut bindings::$c) -> &'a Self {
                // SAFETY: The caller guarantees validity for `'a`; the type is transparent.
                unsafe { &*ptr.cast() }
            }

            $(
            /// Returns a new namespace of this type, owned by `user_ns`, if `flags` ask for one,
            /// and `old` otherwise, with a reference owned by the caller; `None` if `old` is and
            /// the kernel has no such namespaces.
            ///
            /// The caller checks that the task may create namespaces owned by `user_ns`
            /// (`CAP_SYS_ADMIN` in it) first. Errors: [`EINVAL`] for the flag of a namespace the
            /// kernel is built without (the only case in which `old` can be `None`), [`ENOSPC`]
            /// at the `user.max_*_namespaces` limit, [`ENOMEM`].
            #[doc(alias = $alias)]
            #[inline]
            pub fn copy(
                flags: u64,
                user_ns: &UserNamespace,
                old: Option<&Self>,
            ) -> Result<Option<ARef<Self>>> {
                // The constructors dereference `old` (or `BUG_ON()` on null), so it never reaches
                // them null: only a kernel without this kind of namespace has none to copy.
                let Some(old) = old else {
                    return if flags & u64::from(bindings::$flag) != 0 {
                        Err(EINVAL)
                    } else {
                        Ok(None)
                    };
                };
                // SAFETY: `old` is valid for the call.
                unsafe { Self::copy_raw(flags, user_ns, old.as_ptr()) }
            }

            /// [`Self::copy`] from a raw pointer, as the namespace constructors of an `nsproxy`
            /// take it.
            ///
            /// # Safety
            ///
            /// `old` must be valid for the call, or null if the kernel is built without this kind
            /// of namespace, whose stub constructor then returns it or refuses the flag.
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
    };
}

namespace! {
    /// A user namespace: the owner of every other namespace and of the capabilities in it.
    UserNamespace(user_namespace), get: get_user_ns, put: put_user_ns,
}

namespace! {
    /// A UTS namespace: host name and domain name.
    UtsNamespace(uts_namespace), get: get_uts_ns, put: put_uts_ns,
    copy: copy_utsname, flag: CLONE_NEWUTS, alias: "copy_utsname",
}

namespace! {
    /// An IPC namespace: System V IPC objects and POSIX message queues.
    IpcNamespace(ipc_namespace), get: get_ipc_ns, put: put_ipc_ns,
    copy: copy_ipcs, flag: CLONE_NEWIPC, alias: "copy_ipcs",
}

namespace! {
    /// A cgroup namespace: the root of the cgroup hierarchy that its tasks see.
    CgroupNamespace(cgroup_namespace), get: get_cgroup_ns, put: put_cgroup_ns,
    copy: copy_cgroup_ns, flag: CLONE_NEWCGROUP, alias: "copy_cgroup_ns",
}

namespace! {
    /// A network namespace (`struct net`).
    NetNamespace(net), get: get_net, put: put_net,
    copy: copy_net_ns, flag: CLONE_NEWNET, alias: "copy_net_ns",
}

namespace! {
    /// A time namespace: offsets of the monotonic and boot-time clocks.
    TimeNamespace(time_namespace), get: get_time_ns, put: put_time_ns,
    copy: copy_time_ns, flag: CLONE_NEWTIME, alias: "copy_time_ns",
}

/// A mount namespace.
///
/// Its reference count is private to the VFS, so there is no [`ARef`] of it: a reference is
/// held by a [`MntNamespaceRef`], from [`MntNamespaceRef::copy`].
#[repr(transparent)]
pub struct MntNamespace(Opaque<bindings::mnt_namespace>);

impl MntNamespace {
    /// Returns a raw pointer to the namespace.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::mnt_namespace {
        self.0.get()
    }

    /// Creates a reference to a mount namespace from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid mount namespace that stays alive for `'a`.
    #[inline]
    pub unsafe fn from_ptr<'a>(ptr: *mut bindings::mnt_namespace) -> &'a Self {
        // SAFETY: The caller guarantees validity for `'a`; the type is transparent.
        unsafe { &*ptr.cast() }
    }
}

/// A reference to a mount namespace, owned by this value and released when it is dropped.
///
/// # Invariants
///
/// `self.0` points to a valid mount namespace on which this value owns a reference.
pub struct MntNamespaceRef(NonNull<bindings::mnt_namespace>);

impl MntNamespaceRef {
    /// Returns a copy of `old`, owned by `user_ns`, if `flags` contain `CLONE_NEWNS` (empty with
    /// `CLONE_EMPTY_MNTNS`), and another reference to `old` otherwise.
    ///
    /// A copy rebases the root and working directory of `fs`, the filesystem context that the
    /// task will have, from `old` to the copy: it is required with `CLONE_NEWNS` ([`EINVAL`]
    /// without it). Other errors: [`EPERM`], [`ENOSPC`] at `user.max_mnt_namespaces`,
    /// [`ENOMEM`].
    #[doc(alias = "copy_mnt_ns")]
    #[inline]
    pub fn copy(
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
    pub fn into_raw(self) -> *mut bindings::mnt_namespace {
        core::mem::ManuallyDrop::new(self).0.as_ptr()
    }
}

impl Drop for MntNamespaceRef {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: We own a reference by the type invariants.
        unsafe { bindings::put_mnt_ns(self.0.as_ptr()) };
    }
}
