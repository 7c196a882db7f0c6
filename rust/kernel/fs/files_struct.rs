// SPDX-License-Identifier: GPL-2.0

//! Tables of open files (`struct files_struct`).
//!
//! C header: [`include/linux/fdtable.h`](srctree/include/linux/fdtable.h).

use crate::{
    bindings,
    error::from_err_ptr,
    prelude::*,
    sync::aref::{
        ARef,
        AlwaysRefCounted, //
    },
    task::{
        CurrentTask,
        ProcessContext, //
    },
    types::Opaque,
};
use core::ptr::{
    self,
    NonNull, //
};

/// Wraps the kernel's `struct files_struct`, the table of open files of one or more tasks.
///
/// # Invariants
///
/// Instances are always reference counted: a reference taken with `atomic_inc(&files->count)`
/// keeps the table alive until the matching `put_files_struct`.
///
/// # Examples
///
/// ```
/// // A private copy of the current task's descriptor table.
/// let copy = current!().dup_files()?;
/// assert_eq!(copy.count(), 1);
/// // Dropping the only reference closes the copied descriptors and frees the table.
/// drop(copy);
/// # Ok::<(), Error>(())
/// ```
///
/// A duplicate is not tied to the task it was made from: `unshare(2)` installs it on that task,
/// the clone side (`copy_files()`) would give it to a new one.
///
/// Replacing the table of a task needs the task at the entry of an operation on its own
/// context, where it holds no light `fdget()` reference into the table it drops:
///
/// ```ignore,compile_fail,E0599
/// let copy = current!().dup_files()?;
/// drop(current!().replace_files(copy));
/// # Ok::<(), Error>(())
/// ```
///
/// A table is neither `Send` nor `Sync`, so a reference to it cannot be dropped on another
/// thread while a task may still use the files it closes:
///
/// ```ignore,compile_fail,E0277
/// fn assert_send<T: Send>(_: &T) {}
/// let copy = current!().dup_files()?;
/// assert_send(&copy);
/// # Ok::<(), Error>(())
/// ```
#[doc(alias = "files_struct")]
#[repr(transparent)]
pub struct FilesStruct(Opaque<bindings::files_struct>);

impl FilesStruct {
    /// Returns a raw pointer to the `files_struct`.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::files_struct {
        self.0.get()
    }

    /// Returns the number of references to the table, which is the number of tasks that share
    /// it plus any temporary references.
    #[inline]
    pub fn count(&self) -> i32 {
        // SAFETY: The table is valid by the type invariants; the count is atomic.
        unsafe { bindings::atomic_read(&raw const (*self.as_ptr()).count) }
    }
}

// SAFETY: The type invariants guarantee that `FilesStruct` is always reference counted.
unsafe impl AlwaysRefCounted for FilesStruct {
    #[inline]
    fn inc_ref(&self) {
        // SAFETY: The existence of a shared reference means that the count is nonzero.
        unsafe { bindings::atomic_inc(&raw mut (*self.as_ptr()).count) };
    }

    #[inline]
    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: The caller owns a reference; the cast is fine because `FilesStruct` is a
        // transparent wrapper of `struct files_struct`.
        unsafe { bindings::put_files_struct(obj.cast().as_ptr()) };
    }
}

impl CurrentTask {
    /// Returns the number of references to the current task's table of open files, or `None` if
    /// the task has no table.
    #[inline]
    pub fn files_count(&self) -> Option<i32> {
        // SAFETY: `current->files` is only replaced by the task itself.
        let files = unsafe { (*self.as_ptr()).files };
        // SAFETY: A non-null `current->files` is valid while the task uses it.
        NonNull::new(files).map(|files| unsafe { files.cast::<FilesStruct>().as_ref() }.count())
    }

    /// Duplicates the current task's table of open files.
    ///
    /// Returns [`EMFILE`] if the descriptors in use do not fit under `sysctl_nr_open`,
    /// [`ENOMEM`] if an allocation fails, and [`EINVAL`] if the task has no table.
    #[doc(alias = "dup_fd")]
    #[inline]
    pub fn dup_files(&self) -> Result<ARef<FilesStruct>> {
        // SAFETY: `current->files` is only replaced by the task itself.
        let files = unsafe { (*self.as_ptr()).files };
        if files.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: `files` is a valid table in use by the current task; a null range copies
        // every descriptor.
        let new = from_err_ptr(unsafe { bindings::dup_fd(files, ptr::null_mut()) })?;
        // SAFETY: `dup_fd` returns a new table with one reference, which we take over.
        Ok(unsafe { ARef::from_raw(NonNull::new_unchecked(new.cast())) })
    }
}

impl ProcessContext<'_> {
    /// Replaces the task's table of open files under `task_lock`, as `unshare(2)` does, and
    /// returns the previous one.
    ///
    /// The previous table is returned rather than released so that its reference is dropped
    /// after the lock: `put_files_struct` may sleep.
    #[must_use = "dropping the previous table releases the task's reference to it"]
    #[inline]
    pub fn replace_files(&mut self, new: ARef<FilesStruct>) -> ARef<FilesStruct> {
        let new = ARef::into_raw(new)
            .cast::<bindings::files_struct>()
            .as_ptr();
        let old = {
            let _guard = self.task().lock();
            // SAFETY: `task_lock` is held, which serialises writers of `files` with readers such
            // as `/proc`; the reference owned by `new` moves to the task.
            unsafe { ptr::replace(&raw mut (*self.as_ptr()).files, new) }
        };
        // SAFETY: By the invariants of `ProcessContext` the task was not exiting, so its previous
        // table was set, and it holds no light reference into it; the task's reference moves to
        // the caller.
        unsafe { ARef::from_raw(NonNull::new_unchecked(old.cast())) }
    }
}
