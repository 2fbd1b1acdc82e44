/*
 * LD_PRELOAD shim for Debian 12's linux.uml (6.1) on hosts with AVX-512 or AMX.
 *
 * UML saves a guest task's FPU state with PTRACE_GETREGSET/NT_X86_XSTATE into a buffer that only
 * holds the x87, SSE and AVX parts (832 bytes) and writes it back with PTRACE_SETREGSET. The host
 * kernel accepts SETREGSET only with a buffer of its full XSAVE size (about 2.7 KiB with AVX-512,
 * 10.4 KiB with AMX) and fails it with EFAULT, so the guest's init dies at its first context switch
 * ("userspace - ptrace set fp regs failed, errno = 14").
 *
 * The shim completes the write: it reads the task's full state, lays UML's part over the start of
 * it, keeps the host's header bits for the components UML did not save, and writes the full size.
 * Components past UML's buffer (AVX-512, AMX) therefore keep the value the host process had.
 *
 * UML reads a task's state when it stops and writes it back before it runs again, usually with no
 * other task in between; the full state from that read is kept, so the write needs no second read.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <elf.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef long (*ptrace_fn)(enum __ptrace_request, pid_t, void *, void *);

#define FULL_MAX 32768
#define XSTATE_BV_OFFSET 512

/* UML runs this on its own small kernel stacks: keep the big buffer off the stack. */
static unsigned char full[FULL_MAX] __attribute__((aligned(64)));
static size_t full_len;
/* The task whose complete state `full` holds, or 0: valid only until the next XSTATE request. */
static pid_t full_pid;
static ptrace_fn real_ptrace;

/*
 * Header bits of the components that lie entirely within the first `len` bytes of an XSAVE image.
 * CPUID traps to the hypervisor on virtual machines, so the answer is computed once per length.
 */
static uint64_t components_within(size_t len) {
    static size_t cached_len;
    static uint64_t cached_mask;
    if (len == cached_len) return cached_mask;
    uint64_t mask = 0;
    if (len >= 512) mask |= 0x3;            /* x87 and SSE live in the legacy area */
    for (unsigned i = 2; i < 63; i++) {
        unsigned size, offset, ecx, edx;
        if (!__get_cpuid_count(0xd, i, &size, &offset, &ecx, &edx) || size == 0) continue;
        if ((size_t) offset + size <= len) mask |= 1ULL << i;
    }
    cached_len = len;
    cached_mask = mask;
    return mask;
}

long ptrace(enum __ptrace_request request, ...) {
    va_list ap;
    va_start(ap, request);
    pid_t pid = va_arg(ap, pid_t);
    void *addr = va_arg(ap, void *);
    void *data = va_arg(ap, void *);
    va_end(ap);
    if (!real_ptrace) real_ptrace = (ptrace_fn) dlsym(RTLD_NEXT, "ptrace");

    if ((request != PTRACE_GETREGSET && request != PTRACE_SETREGSET) || (uintptr_t) addr != NT_X86_XSTATE)
        return real_ptrace(request, pid, addr, data);

    struct iovec *user = data;
    struct iovec host = { full, sizeof full };
    if (request == PTRACE_SETREGSET && full_pid == pid && pid != 0) {
        host.iov_len = full_len;
    } else {
        full_pid = 0;
        long result = real_ptrace(PTRACE_GETREGSET, pid, addr, &host);
        if (result < 0) return result;
    }
    full_pid = 0;
    if (request == PTRACE_GETREGSET) {
        size_t n = user->iov_len < host.iov_len ? user->iov_len : host.iov_len;
        memcpy(user->iov_base, full, n);
        user->iov_len = n;
        full_pid = pid;
        full_len = host.iov_len;
        return 0;
    }
    if (user->iov_len >= host.iov_len) return real_ptrace(request, pid, addr, data);

    uint64_t host_bv, uml_bv;
    memcpy(&host_bv, full + XSTATE_BV_OFFSET, sizeof host_bv);
    memcpy(&uml_bv, (unsigned char *) user->iov_base + XSTATE_BV_OFFSET, sizeof uml_bv);
    memcpy(full, user->iov_base, user->iov_len);
    uint64_t saved_by_uml = components_within(user->iov_len);
    uint64_t merged = (uml_bv & saved_by_uml) | (host_bv & ~saved_by_uml);
    memcpy(full + XSTATE_BV_OFFSET, &merged, sizeof merged);
    return real_ptrace(PTRACE_SETREGSET, pid, addr, &host);
}
