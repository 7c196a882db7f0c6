// SPDX-License-Identifier: GPL-2.0

//! Filesystem context of a task: root, working directory and umask.
//!
//! C header: [`include/linux/fs_struct.h`](srctree/include/linux/fs_struct.h).

use crate::{
    bindings,
    prelude::*,
    task::CurrentTaskMut, //
};
use core::{
    mem::ManuallyDrop,
    ptr::NonNull, //
};

/// An `fs_struct` that no task uses, owned by this value and freed when it is dropped.
///
/// It is either a fresh copy that has not been installed yet, or the previous `fs_struct` of a
/// task after the task dropped the last use of it. A copy is not tied to the task it was made
/// from: `unshare(2)` installs it on that task, the clone side (`copy_fs()`) would give it to a
/// new one. It is not `Send`, although freeing it is safe on any thread: moved to another thread,
/// a copy could be installed on a task that never had its root (out of a `chroot()`, say).
///
/// # Invariants
///
/// `self.0` points to a valid `fs_struct` that is not installed on any task and that nothing else
/// references, so `free_fs_struct` may be called on it exactly once.
///
/// # Examples
///
/// Installing it needs the task at the entry of an operation on its own context:
///
/// ```ignore,compile_fail,E0308
/// use kernel::fs::fs_struct::OwnedFsStruct;
///
/// fn install(copy: OwnedFsStruct) {
///     drop(copy.install(current!()));
/// }
/// ```
#[doc(alias = "fs_struct")]
pub(crate) struct OwnedFsStruct(NonNull<bindings::fs_struct>);

impl OwnedFsStruct {
    /// Copies the root, working directory and umask of the task of `ctx`.
    ///
    /// Returns [`ENOMEM`] if the allocation fails.
    #[doc(alias = "copy_fs_struct")]
    #[inline]
    pub(crate) fn copy_from_current(ctx: &CurrentTaskMut<'_>) -> Result<Self> {
        // SAFETY: By the invariants of `CurrentTaskMut` the task's `fs` is set; only the task
        // changes it, through `&mut` access to `ctx`, so it stays valid during the call.
        // `copy_fs_struct` takes its seqlock while reading from it.
        let copy = unsafe { bindings::copy_fs_struct((*ctx.as_ptr()).fs) };
        // INVARIANT: A fresh copy has one user and is not installed anywhere.
        NonNull::new(copy).map(Self).ok_or(ENOMEM)
    }

    /// Returns a raw pointer to the `fs_struct`.
    #[inline]
    pub(crate) fn as_ptr(&self) -> *mut bindings::fs_struct {
        self.0.as_ptr()
    }

    /// Installs this `fs_struct` as the filesystem context of the task of `ctx`.
    ///
    /// The task stops using its previous `fs_struct`. If it was the last user, the previous one
    /// is returned so that dropping it frees it; otherwise the tasks that share it keep it.
    #[doc(alias = "switch_fs_struct")]
    #[must_use = "dropping the previous fs_struct frees it"]
    #[inline]
    pub(crate) fn install(self, _ctx: &mut CurrentTaskMut<'_>) -> Option<OwnedFsStruct> {
        let new = ManuallyDrop::new(self);
        // SAFETY: The new `fs_struct` is valid and owned by us (type invariant); ownership moves
        // to the task. `switch_fs_struct` works on `current`, which is the task of `_ctx`; by the
        // invariants of `CurrentTaskMut` it runs in process context with its own `fs` set and
        // not overridden, which `switch_fs_struct` replaces and whose count it drops.
        let old = unsafe { bindings::switch_fs_struct(new.0.as_ptr()) };
        let old = NonNull::new(old)?;
        // SAFETY: `switch_fs_struct` returns the previous `fs_struct` only if the task was its
        // last user, with no user left: nothing else references it. It counts one user again,
        // the owner, like a fresh copy, so that it can be installed again.
        unsafe { (*old.as_ptr()).users = 1 };
        // INVARIANT: The `fs_struct` is valid, installed nowhere and referenced by nothing else.
        Some(Self(old))
    }
}

impl Drop for OwnedFsStruct {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariants nothing else references the `fs_struct`, so it can be
        // freed here, once.
        unsafe { bindings::free_fs_struct(self.0.as_ptr()) };
    }
}
