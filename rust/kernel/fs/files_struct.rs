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
    task::CurrentTaskMut,
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
/// A duplicate is not tied to the task it was made from: `unshare(2)` installs it on that task,
/// the clone side (`copy_files()`) would give it to a new one.
///
/// Replacing the table of a task needs the task at the entry of an operation on its own
/// context, where it holds no light `fdget()` reference into the table it drops:
///
/// ```ignore,compile_fail,E0599
/// use kernel::{fs::files_struct::FilesStruct, sync::aref::ARef};
///
/// fn replace(copy: ARef<FilesStruct>) {
///     drop(current!().replace_files(copy));
/// }
/// ```
///
/// A table is neither `Send` nor `Sync`, unlike the reference-counted types whose release may
/// run on any thread: a duplicate holds the files of the task it was made from, and moved to
/// another thread it could be installed there, handing those files to a task that never had
/// them:
///
/// ```ignore,compile_fail,E0277
/// use kernel::{fs::files_struct::FilesStruct, sync::aref::ARef};
///
/// fn assert_send<T: Send>(_: &T) {}
///
/// fn send(copy: ARef<FilesStruct>) {
///     assert_send(&copy);
/// }
/// ```
#[doc(alias = "files_struct")]
#[repr(transparent)]
pub(crate) struct FilesStruct(Opaque<bindings::files_struct>);

impl FilesStruct {
    /// Returns a raw pointer to the `files_struct`.
    #[inline]
    pub(crate) fn as_ptr(&self) -> *mut bindings::files_struct {
        self.0.get()
    }

    /// Returns the number of references to the table, which is the number of tasks that share
    /// it plus any temporary references.
    #[inline]
    pub(crate) fn count(&self) -> i32 {
        // SAFETY: The table is valid by the type invariants; the count is atomic.
        unsafe { bindings::atomic_read(&raw const (*self.as_ptr()).count) }
    }

    /// Duplicates the table of open files of the task of `ctx`.
    ///
    /// Returns [`EMFILE`] if the descriptors in use do not fit under `sysctl_nr_open`, and
    /// [`ENOMEM`] if an allocation fails.
    #[inline]
    pub(crate) fn dup_fd(ctx: &CurrentTaskMut<'_>) -> Result<ARef<FilesStruct>> {
        // SAFETY: `ctx` is a valid task.
        let files = unsafe { (*ctx.as_ptr()).files };
        // SAFETY: By the invariants of `CurrentTaskMut` the task's `files` is set; only the task
        // replaces it, through `&mut` access to `ctx`, so it is valid during the call. A null
        // range copies every descriptor.
        let new = from_err_ptr(unsafe { bindings::dup_fd(files, ptr::null_mut()) })?;
        // SAFETY: `dup_fd` returns a new table with one reference, which we take over.
        Ok(unsafe { ARef::from_raw(NonNull::new_unchecked(new.cast())) })
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
