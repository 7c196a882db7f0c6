// SPDX-License-Identifier: GPL-2.0

//! The `unshare(2)` system call, in Rust.
//!
//! This is the body of `ksys_unshare()` (see `kernel/fork.c`, which keeps the system call entry
//! and chooses between this and the C implementation at boot with `unshare.impl=`). It answers
//! every input exactly as the C code does, and follows the design of
//! `Documentation/userspace-api/unshare.rst`: first every new context structure is built as an
//! owned value ([`Prepared::new`]); an error drops what was built and leaves the task untouched.
//! Then [`Prepared::commit`], which cannot fail, switches the task's pointers in the same order
//! and under the same locks as the C code and releases what the task no longer uses.
//!
//! With `CONFIG_UNSHARE_RUST_VM` and the sysctl `kernel.unshare_vm` on, it goes beyond the C
//! code: an address space and signal handlers shared with other processes are copied instead of
//! refused ([`SharedVm::Copy`]); the copy fails with `EBUSY` while the task holds a robust futex,
//! owns PI state or has a userfaultfd registration ([`NewMm::dup_current`]).
//!
//! It is a private module of the `kernel` crate, so that the abstractions it uses stay
//! crate-private: they call C functions that are not exported to modules (`copy_fs_struct()`,
//! `dup_fd()`, `create_user_ns()`, `copy_*_ns()`, ...), and they change the context of the current
//! task, which only this system call does. Only [`rust_ksys_unshare`] is seen from C, and like
//! `ksys_unshare()` it is not exported to modules (`rust/Makefile`).

use crate::{
    cred::{
        self,
        NewCredential,
        ReadyCredential, //
    },
    fs::{
        files_struct::FilesStruct,
        fs_struct::OwnedFsStruct, //
    },
    mm::NewMm,
    nsproxy::NewNsProxy,
    prelude::*,
    sync::aref::ARef,
    task::{
        clone_flags::*,
        CurrentTaskMut,
        NewSigHand, //
    },
};

/// Every flag that `unshare(2)` accepts.
const VALID_FLAGS: c_ulong =
    THREAD | FS | SIGHAND | VM | FILES | SYSVSEM | NS_ALL | UNSHARE_EMPTY_MNTNS;

/// Adds the flags that the requested ones imply.
fn normalize(mut flags: c_ulong) -> c_ulong {
    // A new user namespace needs its own thread group and filesystem context.
    if flags & NEWUSER != 0 {
        flags |= THREAD | FS;
    }
    // A private address space needs private signal handlers ...
    if flags & VM != 0 {
        flags |= SIGHAND;
    }
    // ... and private signal handlers need private signal queues.
    if flags & SIGHAND != 0 {
        flags |= THREAD;
    }
    if flags & UNSHARE_EMPTY_MNTNS != 0 {
        flags |= NEWNS;
    }
    // A new mount namespace needs its own root and working directory.
    if flags & NEWNS != 0 {
        flags |= FS;
    }
    flags
}

/// What the flag checks need to know about the calling task. Each question is asked only when
/// the flags make it relevant, in the order of the C code, since some are costly.
trait Sharing {
    fn thread_group_empty(&self) -> bool;
    fn sighand_is_shared(&self) -> bool;
    fn is_single_threaded(&self) -> bool;
}

impl Sharing for CurrentTaskMut<'_> {
    fn thread_group_empty(&self) -> bool {
        self.task().thread_group_empty()
    }

    fn sighand_is_shared(&self) -> bool {
        CurrentTaskMut::sighand_is_shared(self)
    }

    fn is_single_threaded(&self) -> bool {
        CurrentTaskMut::is_single_threaded(self)
    }
}

/// What `unshare(2)` does with an address space or signal handlers that other processes share.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SharedVm {
    /// Fail with `EINVAL`, as the C code does.
    Refuse,
    /// Give the task a private copy (`kernel.unshare_vm` is on).
    Copy,
}

/// Checks normalized flags: `check_unshare_flags()`.
///
/// Unsharing the thread group is not implemented, nor, unless `shared` is [`SharedVm::Copy`], the
/// address space and the signal handlers; each succeeds only where there is nothing to unshare.
fn check_flags(flags: c_ulong, task: &impl Sharing, shared: SharedVm) -> Result {
    if flags & !VALID_FLAGS != 0 {
        return Err(EINVAL);
    }
    // `THREAD` comes with `SIGHAND` and `VM` (`normalize()`): one test on the common path.
    if flags & THREAD == 0 {
        return Ok(());
    }
    if !task.thread_group_empty() {
        return Err(EINVAL);
    }
    if shared == SharedVm::Refuse {
        if flags & SIGHAND != 0 && task.sighand_is_shared() {
            return Err(EINVAL);
        }
        if flags & VM != 0 && !task.is_single_threaded() {
            return Err(EINVAL);
        }
    }
    Ok(())
}

/// Debian's `kernel.unprivileged_userns_clone` sysctl: with it off, only `CAP_SYS_ADMIN` may
/// create user namespaces. Checked before the flags, as in the C code.
fn check_userns_clone_allowed(flags: c_ulong) -> Result {
    if flags & NEWUSER != 0
        && !cred::unprivileged_userns_clone()
        && !cred::capable(cred::CAP_SYS_ADMIN)
    {
        return Err(EPERM);
    }
    Ok(())
}

/// Everything a successful `unshare` installs, built before the task is touched.
///
/// Dropping it releases what was built and leaves the task as it was; [`Prepared::commit`]
/// consumes it and cannot fail.
struct Prepared {
    flags: c_ulong,
    mm: Option<NewMm>,
    sighand: Option<NewSigHand>,
    fs: Option<OwnedFsStruct>,
    files: Option<ARef<FilesStruct>>,
    cred: Option<ReadyCredential>,
    nsproxy: Option<NewNsProxy>,
}

impl Prepared {
    /// Builds the new context structures that the normalized `flags` ask for.
    fn new(ctx: &mut CurrentTaskMut<'_>, flags: c_ulong, shared: SharedVm) -> Result<Self> {
        // Without a new mount namespace, a filesystem context that nobody else uses is kept.
        // The count is read without the lock: at worst the copy is useless.
        let copy_fs = flags & FS != 0 && (flags & NEWNS != 0 || ctx.fs_users() != 1);
        let mut fs = copy_fs
            .then(|| OwnedFsStruct::copy_from_current(ctx))
            .transpose()?;
        // Likewise a table of open files that nobody else uses.
        let dup_files = flags & FILES != 0 && ctx.files_count() > 1;
        let files = dup_files.then(|| FilesStruct::dup_fd(ctx)).transpose()?;
        // SAFETY: `check_flags()` has made sure that the task is alone in its thread group
        // (`CLONE_NEWUSER` implies `CLONE_THREAD`), and `fs` is a private copy unless the task
        // is already the only user of its filesystem context (it implies `CLONE_FS`), which only
        // the task could change; `commit()` installs the credentials with both. `unshare()` has
        // checked Debian's `kernel.unprivileged_userns_clone`.
        let cred = unsafe { NewCredential::unshare_userns(ctx, flags) }?;
        // SAFETY: `commit()` installs the filesystem context, then the namespaces, then commits
        // the credentials; on an error all are dropped.
        let nsproxy = unsafe { NewNsProxy::unshare(ctx, flags, cred.as_ref(), fs.as_mut()) }?;
        let cred = cred.map(NewCredential::set_ucounts).transpose()?;
        // Last, as the costliest, and since nothing may fail once the address space is copied
        // (a waiter for a PI futex of the task waits for the commit): signal handlers and an
        // address space that other processes share are copied (with `SharedVm::Refuse`,
        // `check_flags()` has refused them, and the allocations and their failure points are
        // those of the C code). A sharer that appears or exits meanwhile only makes the copy
        // needless: if nobody else shares them now, only the task itself could make somebody.
        // `SIGHAND` comes with `VM`: one test on the common path.
        let (sighand, mm) = if flags & SIGHAND != 0 && shared == SharedVm::Copy {
            let sighand = ctx.sighand_is_shared().then(NewSigHand::new).transpose()?;
            let mm = if flags & VM != 0 && !ctx.is_single_threaded() {
                // SAFETY: `unshare` takes no lock of an address space, and is called at the
                // entry of the system call, which holds none.
                Some(unsafe { NewMm::dup_current(ctx) }?)
            } else {
                None
            };
            (sighand, mm)
        } else {
            (None, None)
        };
        Ok(Self {
            flags,
            mm,
            sighand,
            fs,
            files,
            cred,
            nsproxy,
        })
    }

    /// Installs the prepared structures on the task, in the order of the C code.
    fn commit(self, ctx: &mut CurrentTaskMut<'_>) {
        let Self {
            flags,
            mm,
            sighand,
            fs,
            files,
            cred,
            nsproxy,
        } = self;

        // The tasks that shared the signal handlers keep the old table.
        if let Some(sighand) = sighand {
            ctx.replace_sighand(sighand);
        }
        // Then the address space (a process never shares handlers without it), before the
        // credentials, whose commit may change the dumpability of the new exec state.
        if let Some(mm) = mm {
            // SAFETY: Nothing borrowed from the task's address space is held here: `unshare`
            // reads `CurrentTask::mm()` only inside `is_single_threaded()`, and takes no mmap
            // or VMA lock.
            unsafe { ctx.replace_mm(mm) };
        }
        // `CLONE_SYSVSEM` detaches the semaphore undo list, as at exit. With `CLONE_NEWIPC` the
        // install of the new namespace below does that, and orphans the shared memory segments,
        // just before the switch; the C code does both first, before the filesystem context,
        // which neither depends on.
        if flags & (NEWIPC | SYSVSEM) == SYSVSEM {
            ctx.exit_sem();
        }
        if let Some(fs) = fs {
            // The previous context is freed here if we were its last user.
            drop(fs.install(ctx));
        }
        if let Some(nsproxy) = nsproxy {
            nsproxy.install(ctx);
        }
        // The previous table is released last, after the lock, as in the C code.
        let old_files = files.map(|files| ctx.replace_files(files));
        if let Some(cred) = cred {
            cred.commit(ctx);
        }
        ctx.perf_event_namespaces();
        drop(old_files);
    }
}

/// Unshares the parts of the current task's context named by `flags`.
fn unshare(ctx: &mut CurrentTaskMut<'_>, flags: c_ulong, shared: SharedVm) -> Result {
    let flags = normalize(flags);

    // No unsharing with an overridden filesystem context (`VFS_WARN_ON_ONCE`).
    if cfg!(CONFIG_DEBUG_VFS) && flags & (NEWNS | FS) != 0 && ctx.fs_is_overridden() {
        crate::do_once_lite! { crate::warn_on!(true); }
    }

    check_userns_clone_allowed(flags)?;
    check_flags(flags, &*ctx, shared)?;
    Prepared::new(ctx, flags, shared)?.commit(ctx);
    Ok(())
}

/// The Rust implementation of `ksys_unshare()`.
///
/// `unshare_vm` is the value of the sysctl `kernel.unshare_vm` (always 0 without
/// `CONFIG_UNSHARE_RUST_VM`).
///
/// # Safety
///
/// Must be called only by `ksys_unshare()`, which the `unshare(2)` system call entry and kernel
/// threads (devtmpfs) call in process context, with their own credentials and filesystem
/// context and no file references held.
// `#[export]` requires the function to be `unsafe`.
#[export]
pub(crate) unsafe extern "C" fn rust_ksys_unshare(
    unshare_flags: c_ulong,
    unshare_vm: c_int,
) -> c_int {
    let task = current!();
    // SAFETY: The caller is `ksys_unshare()` at the entry of the operation, which guarantees the
    // invariants of `CurrentTaskMut` for the current task until it returns.
    let mut ctx = unsafe { CurrentTaskMut::new(task) };
    let shared = if unshare_vm != 0 {
        SharedVm::Copy
    } else {
        SharedVm::Refuse
    };
    match unshare(&mut ctx, unshare_flags, shared) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

#[kunit_tests(rust_unshare)]
mod tests {
    use super::*;

    /// A task with the given sharing.
    struct FakeTask {
        thread_group_empty: bool,
        sighand_is_shared: bool,
        is_single_threaded: bool,
    }

    const REFUSE: SharedVm = SharedVm::Refuse;
    const COPY: SharedVm = SharedVm::Copy;

    const ALONE: FakeTask = FakeTask {
        thread_group_empty: true,
        sighand_is_shared: false,
        is_single_threaded: true,
    };

    impl Sharing for FakeTask {
        fn thread_group_empty(&self) -> bool {
            self.thread_group_empty
        }

        fn sighand_is_shared(&self) -> bool {
            self.sighand_is_shared
        }

        fn is_single_threaded(&self) -> bool {
            self.is_single_threaded
        }
    }

    #[test]
    fn normalize_adds_implied_flags() {
        assert_eq!(normalize(0), 0);
        assert_eq!(normalize(NEWUSER), NEWUSER | THREAD | FS);
        assert_eq!(normalize(VM), VM | SIGHAND | THREAD);
        assert_eq!(normalize(SIGHAND), SIGHAND | THREAD);
        assert_eq!(normalize(THREAD), THREAD);
        assert_eq!(normalize(NEWNS), NEWNS | FS);
        assert_eq!(
            normalize(UNSHARE_EMPTY_MNTNS),
            UNSHARE_EMPTY_MNTNS | NEWNS | FS
        );
        assert_eq!(normalize(FILES | SYSVSEM), FILES | SYSVSEM);
        for flag in [NEWUTS, NEWIPC, NEWPID, NEWNET, NEWCGROUP, NEWTIME] {
            assert_eq!(normalize(flag), flag);
        }
    }

    #[test]
    fn valid_flags_match_the_uapi() {
        let namespaces = NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME;
        assert_eq!(NS_ALL, namespaces);
        assert_eq!(UNSHARE_EMPTY_MNTNS, 0x0010_0000);
    }

    #[test]
    fn every_other_bit_is_invalid() {
        for bit in 0..c_ulong::BITS {
            let flag: c_ulong = 1 << bit;
            let expected = if flag & VALID_FLAGS != 0 {
                Ok(())
            } else {
                Err(EINVAL)
            };
            assert_eq!(check_flags(normalize(flag), &ALONE, REFUSE), expected);
        }
    }

    #[test]
    fn threads_and_shared_handlers_are_refused() {
        let threaded = FakeTask {
            thread_group_empty: false,
            ..ALONE
        };
        let shared_handlers = FakeTask {
            sighand_is_shared: true,
            ..ALONE
        };
        let shared_mm = FakeTask {
            is_single_threaded: false,
            ..ALONE
        };
        for flags in [THREAD, SIGHAND, VM, NEWUSER] {
            assert_eq!(
                check_flags(normalize(flags), &threaded, REFUSE),
                Err(EINVAL)
            );
        }
        assert_eq!(
            check_flags(normalize(FILES | NEWNS), &threaded, REFUSE),
            Ok(())
        );
        assert_eq!(
            check_flags(normalize(SIGHAND), &shared_handlers, REFUSE),
            Err(EINVAL)
        );
        assert_eq!(
            check_flags(normalize(VM), &shared_handlers, REFUSE),
            Err(EINVAL)
        );
        assert_eq!(
            check_flags(normalize(THREAD), &shared_handlers, REFUSE),
            Ok(())
        );
        assert_eq!(check_flags(normalize(VM), &shared_mm, REFUSE), Err(EINVAL));
        assert_eq!(check_flags(normalize(SIGHAND), &shared_mm, REFUSE), Ok(()));
    }

    #[test]
    fn shared_vm_is_copied_when_asked() {
        let shared_handlers = FakeTask {
            sighand_is_shared: true,
            ..ALONE
        };
        let threaded = FakeTask {
            thread_group_empty: false,
            ..shared_handlers
        };
        let shared_mm = FakeTask {
            is_single_threaded: false,
            ..shared_handlers
        };
        assert_eq!(
            check_flags(normalize(SIGHAND), &shared_handlers, COPY),
            Ok(())
        );
        assert_eq!(check_flags(normalize(VM), &shared_mm, COPY), Ok(()));
        assert_eq!(check_flags(normalize(SIGHAND), &shared_mm, COPY), Ok(()));
        // The other conditions stand: threads keep their group's handlers and address space.
        for flags in [SIGHAND, VM] {
            assert_eq!(check_flags(normalize(flags), &threaded, COPY), Err(EINVAL));
        }
        assert_eq!(
            check_flags(normalize(1 << (c_ulong::BITS - 1) | SIGHAND), &ALONE, COPY),
            Err(EINVAL)
        );
    }

    /// The install of a new IPC namespace, in the kernel thread that KUnit runs the test in: the
    /// task leaves the System V objects of the old namespace and switches.
    #[test]
    fn new_ipc_namespace_installs_in_a_kernel_thread() {
        let task = current!();
        // SAFETY: KUnit runs each test in a kernel thread of its own, in process context, with its
        // own credentials and filesystem context, and no file references.
        let mut ctx = unsafe { CurrentTaskMut::new(task) };
        let old = ctx.nsproxy().ipc_ns().map(|ns| ns.as_ptr());
        // SAFETY: No credentials are given.
        let new = unsafe { NewNsProxy::unshare(&ctx, NEWIPC, None, None) };
        if !cfg!(CONFIG_IPC_NS) {
            assert_eq!(new.err(), Some(EINVAL));
            return;
        }
        let new = new.expect("a new IPC namespace").expect("an nsproxy");
        let new_ipc = new.ipc_ns().map(|ns| ns.as_ptr());
        assert!(new_ipc.is_some() && new_ipc != old);
        new.install(&mut ctx);
        assert_eq!(ctx.nsproxy().ipc_ns().map(|ns| ns.as_ptr()), new_ipc);
    }

    /// A private signal handler table installed on the kernel thread that KUnit runs the test
    /// in, which is alone in its thread group and shares its table with nobody.
    #[test]
    fn private_handler_table_installs_in_a_kernel_thread() {
        let task = current!();
        // SAFETY: As in `new_ipc_namespace_installs_in_a_kernel_thread()`.
        let mut ctx = unsafe { CurrentTaskMut::new(task) };
        assert!(!ctx.sighand_is_shared());
        let table = NewSigHand::new().expect("a signal handler table");
        ctx.replace_sighand(table);
        assert!(!ctx.sighand_is_shared());
    }

    #[test]
    fn kernel_thread_has_no_address_space_to_share_or_copy() {
        let task = current!();
        // SAFETY: As in `new_ipc_namespace_installs_in_a_kernel_thread()`.
        let mut ctx = unsafe { CurrentTaskMut::new(task) };
        assert!(ctx.is_single_threaded());
        // SAFETY: This thread holds no lock of an address space.
        assert_eq!(unsafe { NewMm::dup_current(&mut ctx) }.err(), Some(EINVAL));
    }

    #[test]
    fn prepared_structures_are_released_when_dropped() {
        let task = current!();
        // SAFETY: As in `new_ipc_namespace_installs_in_a_kernel_thread()`.
        let ctx = unsafe { CurrentTaskMut::new(task) };
        // Allocated and dropped: freed, and no task's table has changed.
        drop(NewSigHand::new().expect("a signal handler table"));
        // A private copy of the root, working directory and umask; dropping it releases the
        // paths and frees it, and the task is unchanged.
        // (The count of users is not compared: kernel threads share `init_fs`.)
        drop(OwnedFsStruct::copy_from_current(&ctx).expect("a filesystem context"));
        // A private copy of the descriptor table, whose only reference closes the copied
        // descriptors and frees it.
        let files = FilesStruct::dup_fd(&ctx).expect("a table of open files");
        assert_eq!(files.count(), 1);
        drop(files);
    }

    #[test]
    fn only_the_flags_that_ask_prepare_something() {
        let task = current!();
        // SAFETY: As in `new_ipc_namespace_installs_in_a_kernel_thread()`.
        let ctx = unsafe { CurrentTaskMut::new(task) };
        // SAFETY: Nothing is prepared, so nothing is committed.
        assert!(unsafe { NewCredential::unshare_userns(&ctx, 0) }
            .expect("no error")
            .is_none());
        // Flags without a namespace other than the user namespace create nothing.
        // SAFETY: No credentials are given (so for the calls below).
        assert!(unsafe { NewNsProxy::unshare(&ctx, 0, None, None) }
            .expect("no error")
            .is_none());
        // A new UTS namespace in a new set, which dropping releases; the task keeps its
        // namespaces. Without `CONFIG_UTS_NS` the flag is refused.
        // SAFETY: As above.
        let new = unsafe { NewNsProxy::unshare(&ctx, NEWUTS, None, None) };
        if cfg!(CONFIG_UTS_NS) {
            assert!(new.expect("a new set").is_some());
        } else {
            assert_eq!(new.err(), Some(EINVAL));
        }
        // A new mount namespace needs the new filesystem context it rebases, not the shared one.
        // SAFETY: As above.
        let new = unsafe { NewNsProxy::unshare(&ctx, NEWNS, None, None) };
        assert_eq!(new.err(), Some(EINVAL));
    }

    #[test]
    fn namespace_references_may_move_between_threads() {
        use crate::namespace::{
            CgroupNamespace,
            IpcNamespace,
            MntNamespace,
            MntNamespaceRef,
            NetNamespace,
            TimeNamespace,
            UserNamespace,
            UtsNamespace, //
        };
        fn assert_send_sync<T: Send + Sync>() {}
        fn assert_send<T: Send>() {}
        assert_send_sync::<UserNamespace>();
        assert_send_sync::<UtsNamespace>();
        assert_send_sync::<IpcNamespace>();
        assert_send_sync::<CgroupNamespace>();
        assert_send_sync::<NetNamespace>();
        assert_send_sync::<TimeNamespace>();
        assert_send_sync::<MntNamespace>();
        assert_send_sync::<crate::nsproxy::NsProxy>();
        assert_send::<MntNamespaceRef>();
    }

    #[test]
    fn invalid_bits_win_over_sharing() {
        let threaded = FakeTask {
            thread_group_empty: false,
            ..ALONE
        };
        assert_eq!(
            check_flags(normalize(1 << (c_ulong::BITS - 1)), &threaded, REFUSE),
            Err(EINVAL)
        );
        assert_eq!(
            check_flags(normalize(THREAD | 1), &ALONE, REFUSE),
            Err(EINVAL)
        );
    }
}
