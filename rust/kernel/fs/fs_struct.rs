// SPDX-License-Identifier: GPL-2.0

//! Filesystem context of a task: root, working directory and umask.
//!
//! C header: [`include/linux/fs_struct.h`](srctree/include/linux/fs_struct.h).

use crate::{
    bindings,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
    task::{
        CurrentTask,
        ProcessContext, //
    },
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
/// new one.
///
/// # Invariants
///
/// `self.0` points to a valid `fs_struct` that is not installed on any task and that nothing else
/// references, so `free_fs_struct` may be called on it exactly once.
///
/// # Examples
///
/// ```
/// use kernel::fs::fs_struct::OwnedFsStruct;
///
/// // A private copy of the current root, working directory and umask.
/// let copy = OwnedFsStruct::copy_from_current(current!())?;
/// assert_eq!(copy.users(), 1);
/// // Dropping it releases the paths and frees it; the task is unchanged.
/// drop(copy);
/// # Ok::<(), Error>(())
/// ```
///
/// Installing it needs the task at the entry of an operation on its own context:
///
/// ```ignore,compile_fail,E0308
/// use kernel::fs::fs_struct::OwnedFsStruct;
///
/// let copy = OwnedFsStruct::copy_from_current(current!())?;
/// drop(copy.install(current!()));
/// # Ok::<(), Error>(())
/// ```
#[doc(alias = "fs_struct")]
pub struct OwnedFsStruct(NonNull<bindings::fs_struct>);

impl OwnedFsStruct {
    /// Copies the root, working directory and umask of the current task.
    ///
    /// Returns [`ENOMEM`] if the allocation fails, and [`EINVAL`] if the task has no
    /// `fs_struct` (it is exiting).
    #[doc(alias = "copy_fs_struct")]
    #[inline]
    pub fn copy_from_current(task: &CurrentTask) -> Result<Self> {
        // SAFETY: `current->fs` is only changed by the task itself, so reading it is not a data
        // race, and a non-null value stays valid while we run in its context.
        let fs = unsafe { (*task.as_ptr()).fs };
        if fs.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: `fs` is a valid `fs_struct` in use by the current task; `copy_fs_struct` takes
        // its seqlock while reading from it.
        let copy = unsafe { bindings::copy_fs_struct(fs) };
        // INVARIANT: A fresh copy has one user and is not installed anywhere.
        NonNull::new(copy).map(Self).ok_or(ENOMEM)
    }

    /// Returns the number of tasks that use this `fs_struct`.
    #[inline]
    pub fn users(&self) -> i32 {
        // SAFETY: By the type invariants the pointer is valid and nothing else can reach it.
        unsafe { (*self.0.as_ptr()).users }
    }

    /// Returns a raw pointer to the `fs_struct`.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::fs_struct {
        self.0.as_ptr()
    }

    /// Installs this `fs_struct` as the filesystem context of the task of `ctx`.
    ///
    /// The task stops using its previous `fs_struct`. If it was the last user, the previous one
    /// is returned so that dropping it frees it; otherwise the tasks that share it keep it.
    #[doc(alias = "switch_fs_struct")]
    #[must_use = "dropping the previous fs_struct frees it"]
    #[inline]
    pub fn install(self, _ctx: &mut ProcessContext<'_>) -> Option<OwnedFsStruct> {
        let new = ManuallyDrop::new(self);
        // SAFETY: The new `fs_struct` is valid and owned by us (type invariant); ownership moves
        // to the task. `switch_fs_struct` works on `current`, which is the task of `_ctx`; by the
        // invariants of `ProcessContext` it runs in process context with its own `fs` set and
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
    fn drop(&mut self) {
        // SAFETY: By the type invariants nothing else references the `fs_struct`, so it can be
        // freed here, once.
        unsafe { bindings::free_fs_struct(self.0.as_ptr()) };
    }
}

impl CurrentTask {
    /// Returns the number of tasks that share the filesystem context of the current task, or
    /// `None` if the task has none.
    ///
    /// Like the C code this reads the count without the lock: it can be stale by the time it is
    /// used, so callers must only use it to skip work that would be harmless to do anyway.
    #[inline]
    pub fn fs_users(&self) -> Option<i32> {
        // SAFETY: `current->fs` is only changed by the task itself.
        let fs = unsafe { (*self.as_ptr()).fs };
        if fs.is_null() {
            return None;
        }
        // SAFETY: `fs` is valid while the task uses it. Other tasks change the count under
        // `fs->seq` with plain, aligned `int` stores; like the C code, which reads it without the
        // lock, we rely on the kernel's assumption that those are not torn, and read it once,
        // as `READ_ONCE` would.
        Some(unsafe { Atomic::from_ptr(&raw mut (*fs).users) }.load(Relaxed))
    }

    /// Returns `true` if the current task temporarily runs with an overridden filesystem
    /// context (`scoped_with_init_fs()`), in which case it must not unshare it.
    #[inline]
    pub fn fs_is_overridden(&self) -> bool {
        // SAFETY: Both fields are only changed by the task itself.
        unsafe { (*self.as_ptr()).fs != (*self.as_ptr()).real_fs }
    }
}
