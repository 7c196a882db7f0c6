// SPDX-License-Identifier: GPL-2.0

//! The set of namespaces of a task (`struct nsproxy`).
//!
//! C header: [`include/linux/nsproxy.h`](srctree/include/linux/nsproxy.h).

use crate::{
    bindings, cred::NewCredential, error::to_result, fs::fs_struct::OwnedFsStruct, prelude::*,
    task::CurrentTask,
};
use core::ptr::{self, NonNull};

/// A new `nsproxy` that has not been installed on any task yet.
///
/// It is installed with [`NewNsProxy::install`], which consumes it. If it is dropped instead,
/// `nsproxy_free` releases the namespaces it references; as it was never installed, it holds no
/// active references to drop.
///
/// # Invariants
///
/// `self.0` points to a valid `nsproxy` created by `unshare_nsproxy_namespaces` that has never
/// been installed on a task and that nothing else references.
///
/// # Examples
///
/// ```
/// use kernel::nsproxy::NewNsProxy;
///
/// // Flags without a namespace other than the user namespace create nothing.
/// assert!(NewNsProxy::unshare(current!(), 0, None, None)?.is_none());
/// # Ok::<(), Error>(())
/// ```
pub struct NewNsProxy(NonNull<bindings::nsproxy>);

// SAFETY: The `nsproxy` is owned by this value alone and may be freed from any thread.
unsafe impl Send for NewNsProxy {}

impl NewNsProxy {
    /// Creates the namespaces named in `unshare_flags` for the current task
    /// (`unshare_nsproxy_namespaces`), or returns `None` if the flags name no namespace other
    /// than the user namespace.
    ///
    /// `cred`, if given, are the credentials that the task will have (their user namespace owns
    /// the new namespaces and must grant `CAP_SYS_ADMIN`); `fs`, if given, is the filesystem
    /// context the task will have (a new mount namespace rebases its root and working directory).
    ///
    /// Errors: [`EPERM`] without `CAP_SYS_ADMIN`, [`ENOSPC`] at a `user.max_*_namespaces` limit,
    /// [`ENOMEM`], and whatever the namespace constructors return.
    #[inline]
    pub fn unshare(
        _task: &CurrentTask,
        unshare_flags: crate::ffi::c_ulong,
        cred: Option<&NewCredential>,
        fs: Option<&OwnedFsStruct>,
    ) -> Result<Option<Self>> {
        let mut new = ptr::null_mut();
        // SAFETY: `new` is a valid place for the result. `cred` and `fs` are valid and owned by
        // the caller, and they outlive the call.
        to_result(unsafe {
            bindings::unshare_nsproxy_namespaces(
                unshare_flags,
                &mut new,
                cred.map_or(ptr::null_mut(), NewCredential::as_ptr),
                fs.map_or(ptr::null_mut(), OwnedFsStruct::as_ptr),
            )
        })?;
        // INVARIANT: On success a non-null result is a new, uninstalled `nsproxy`.
        Ok(NonNull::new(new).map(Self))
    }

    /// Installs the namespaces on the current task (`switch_task_namespaces`) and drops the
    /// task's reference to its previous ones.
    #[inline]
    pub fn install(self, task: &CurrentTask) {
        let new = core::mem::ManuallyDrop::new(self);
        // SAFETY: The `nsproxy` is valid and owned by us; ownership moves to the current task.
        // `switch_task_namespaces` takes `task_lock` and may sleep, which is fine in the process
        // context that `CurrentTask` guarantees.
        unsafe { bindings::switch_task_namespaces(task.as_ptr(), new.0.as_ptr()) };
    }
}

impl Drop for NewNsProxy {
    fn drop(&mut self) {
        // SAFETY: By the type invariants the `nsproxy` was never installed and nothing else
        // references it.
        unsafe { bindings::nsproxy_free(self.0.as_ptr()) };
    }
}
