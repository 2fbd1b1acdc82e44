/*
 * slice-oci-init: PID 1 of a Slice container (bound read-only at /sbin/slice-init).
 *
 * The host has already applied the guest's limits and network. This init
 *  - applies the guest's first-boot settings with the shared script (deploy/guest/slice-firstboot), which
 *    the driver binds read-only at /run/slice/slice-firstboot with the settings in /run/slice/first-boot,
 *    and waits for it, so that the login and sshd see the hostname, root's password and keys;
 *  - gives up the console as its controlling terminal, so that the login on it can own it
 *    (the runtime makes the console PID 1's terminal, and only a session leader without
 *    CAP_SYS_ADMIN can never take it over otherwise);
 *  - starts sshd (making host keys on first boot) in the background;
 *  - keeps a login prompt on /dev/console (its own, then login(1)), started again whenever it ends;
 *  - reaps orphans;
 *  - on SIGTERM (graceful stop) asks every process to end, waits a little, and exits.
 * It is linked statically, so it runs in any template whatever its C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SHUTDOWN_GRACE_SECONDS 5

static sigset_t handled;

static void to_null(void) {
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) { dup2(null, 0); dup2(null, 1); dup2(null, 2); if (null > 2) close(null); }
}

static pid_t spawn(void (*child)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, &handled, NULL);
        signal(SIGHUP, SIG_DFL);
        setsid();
        child();
        _exit(127);
    }
    return pid;
}

static void run_sshd(void) {
    to_null();
    execl("/bin/sh", "sh", "-c", "ssh-keygen -A && exec /usr/sbin/sshd -D", (char *) NULL);
}

#define FIRST_BOOT_SCRIPT "/run/slice/slice-firstboot"

static void run_first_boot(void) {
    execl("/bin/sh", "sh", FIRST_BOOT_SCRIPT, "--dir", "/run/slice/first-boot", (char *) NULL);
}

static int valid_user_name(const char *name) {
    if (!*name || name[0] == '-' || strlen(name) > 32) return 0;
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
              || *c == '_' || *c == '-' || *c == '.')) return 0;
    }
    return 1;
}

/*
 * The console login: the child is a new session that takes the console as its terminal, asks for
 * the user name like a getty would (at once: agetty first waits a second) and hands it to login.
 * An empty line asks again, so pressing Enter always brings a fresh prompt.
 */
static void run_login(void) {
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0) _exit(126);
    ioctl(fd, TIOCSCTTY, 0);
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    if (fd > 2) close(fd);
    struct termios tty;
    if (tcgetattr(0, &tty) == 0) {
        tty.c_iflag |= ICRNL | IXON;
        tty.c_oflag |= OPOST | ONLCR;
        tty.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ISIG | IEXTEN;
        tcsetattr(0, TCSANOW, &tty);
    }
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    char *dot = strchr(host, '.');
    if (dot) *dot = 0;
    char prompt[300];
    snprintf(prompt, sizeof prompt, "\r\n%s login: ", host);
    for (;;) {
        if (write(1, prompt, strlen(prompt)) < 0) _exit(1);
        char name[128];
        ssize_t n = read(0, name, sizeof name - 1);
        if (n <= 0) _exit(0);
        name[n] = 0;
        name[strcspn(name, "\r\n")] = 0;
        char *start = name;
        while (*start == ' ' || *start == '\t') start++;
        if (!*start) continue;
        if (!valid_user_name(start)) {
            const char *bad = "Login incorrect\r\n";
            if (write(1, bad, strlen(bad)) < 0) _exit(1);
            continue;
        }
        execl("/bin/login", "login", "--", start, (char *) NULL);
        _exit(127);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static void reap(pid_t *login) {
    pid_t pid;
    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
        if (pid == *login) *login = -1;
    }
}

static void shut_down(void) {
    kill(-1, SIGTERM);
    double deadline = now() + SHUTDOWN_GRACE_SECONDS;
    struct timespec tick = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
    while (now() < deadline) {
        pid_t pid = waitpid(-1, NULL, WNOHANG);
        if (pid < 0 && errno == ECHILD) break; /* everyone has gone */
        if (pid > 0) continue;
        sigtimedwait(&handled, NULL, &tick);
    }
    kill(-1, SIGKILL);
    sync();
    exit(0);
}

int main(void) {
    sigemptyset(&handled);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGPWR);
    sigaddset(&handled, SIGCHLD);
    sigprocmask(SIG_BLOCK, &handled, NULL);

    signal(SIGHUP, SIG_IGN);
    ioctl(0, TIOCNOTTY);
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);

    /* Its messages go to the console like a boot's; a failure is reported there and the boot goes on. */
    if (access(FIRST_BOOT_SCRIPT, R_OK) == 0) {
        pid_t first_boot = spawn(run_first_boot);
        int status = 0;
        while (first_boot > 0 && waitpid(first_boot, &status, 0) < 0 && errno == EINTR) {}
        if (first_boot < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            const char *failed = "slice-init: the first-boot settings were not all applied\r\n";
            if (write(1, failed, strlen(failed)) < 0) { /* no console: nothing more to say */ }
        }
    }
    mkdir("/run/sshd", 0755);
    mkdir("/run/lock", 01777);
    if (access("/usr/sbin/sshd", X_OK) == 0) spawn(run_sshd);

    pid_t login = -1;
    double last_start = 0;
    for (;;) {
        if (login < 0 && now() - last_start >= 1.0) {
            login = spawn(run_login);
            last_start = now();
        }
        struct timespec wait = {.tv_sec = 1, .tv_nsec = 0};
        siginfo_t info;
        int sig = sigtimedwait(&handled, &info, &wait);
        if (sig == SIGTERM || sig == SIGINT || sig == SIGPWR) shut_down();
        reap(&login);
    }
}
