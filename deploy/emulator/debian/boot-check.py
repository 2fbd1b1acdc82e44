#!/usr/bin/env python3
"""Boots the debian-13 template on QEMU or on Slice's emulator, logs in on ttyS0 as root with the password the
guest's first-boot settings gave it, runs `apt --version` and powers off; prints the times. Every wait has a
deadline; exits non-zero when a step fails. Works on a copy of the template's disk.

  boot-check.py qemu|emulator [--init sysv|systemd] [--memory 512M] [--smp 1] [--deadline 900] [--template DIR]
                [--log FILE]

--smp N boots N harts (QEMU: -smp N); the emulator runs with --stats, so its per-hart counters end the log.
--log FILE keeps the console, each line prefixed with the wall-clock seconds since power-on (beside the kernel's own
printk time, that shows where a boot waits).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect  # Debian: python3-pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("SLICE_DATA", "/var/lib/slice")
PASSWORD = "slice-check"
HOSTNAME = "rv-check"


def template_dir(given):
    if given:
        return given
    base = os.path.join(DATA, "emulator", "debian-13")
    with open(os.path.join(base, "current")) as f:
        return os.path.join(base, f.read().strip())


def settings_files(work):
    """A directory with the one settings file of every backend (drivers/driver-api firstboot.SettingsFile)."""
    digest = subprocess.run(["openssl", "passwd", "-6", PASSWORD], check=True, capture_output=True, text=True,
                            timeout=30).stdout.strip()
    d = os.path.join(work, "settings")
    os.makedirs(d)
    with open(os.path.join(d, "settings"), "w") as f:
        f.write("slice-settings 1\nid check%d\nhostname %s\nroot-password-hash %s\n" % (os.getpid(), HOSTNAME, digest))
    return d


class StampedLog:
    """The console as pexpect reads it, each line prefixed with the wall-clock seconds since power-on."""

    def __init__(self, path, start, copy=None):
        self.files = [open(path, "w")] + ([open(copy, "w")] if copy else [])
        self.start = start
        self.at_line_start = True

    def write(self, text):
        out = []
        for ch in text:
            if self.at_line_start:
                out.append("%8.2f| " % (time.monotonic() - self.start))
            out.append(ch)
            self.at_line_start = ch == "\n"
        for f in self.files:
            f.write("".join(out))

    def flush(self):
        for f in self.files:
            f.flush()


def run(cmd, deadline=120):
    subprocess.run(cmd, check=True, timeout=deadline, stdout=subprocess.DEVNULL)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("runner", choices=["qemu", "emulator"])
    p.add_argument("--init", choices=["sysv", "systemd"], default="sysv")
    p.add_argument("--memory", default="512M")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--log")
    p.add_argument("--deadline", type=int, default=900, help="seconds for the whole boot, login and power-off")
    p.add_argument("--template")
    a = p.parse_args()
    t = template_dir(a.template)
    work = tempfile.mkdtemp(prefix="slice-debian-check.")
    try:
        disk = os.path.join(work, "disk.img")
        run(["cp", "--sparse=always", os.path.join(t, "disk.img"), disk])
        settings = settings_files(work)
        append = "console=ttyS0 root=LABEL=slice-root rw"
        if a.init == "systemd":
            append += " init=/lib/systemd/systemd"
        if a.runner == "qemu":
            # the real medium: a second virtio disk labelled slice-settings, as UML's SettingsDisk
            seed = os.path.join(work, "settings.img")
            run(["mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-L", "slice-settings", "-d", settings, seed, "4M"])
            cmd = ["qemu-system-riscv64", "-machine", "virt", "-m", a.memory, "-smp", str(a.smp), "-nographic",
                   "-bios", "default", "-kernel", os.path.join(t, "Image"), "-initrd", os.path.join(t, "initrd.img"),
                   "-append", append, "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-device,netdev=n0"]
            for i, img in enumerate([disk, seed]):
                cmd += ["-drive", "file=%s,format=raw,if=none,id=d%d" % (img, i), "-device",
                        "virtio-blk-device,drive=d%d" % i]
        else:
            # the emulator has one virtio disk: the settings file goes to /etc/slice/settings on the guest's copy
            debugfs = ["mkdir /etc/slice", "write %s /etc/slice/settings" % os.path.join(settings, "settings")]
            subprocess.run(["debugfs", "-w", "-f", "/dev/stdin", disk], input="\n".join(debugfs) + "\n",
                           text=True, check=True, timeout=60, capture_output=True)
            cmd = [os.path.join(HERE, "..", "slice-emulator"), "--memory", a.memory, "--kernel",
                   os.path.join(t, "Image"), "--initrd", os.path.join(t, "initrd.img"), "--disk", disk,
                   "--append", append, "--smp", str(a.smp), "--stats"]
        load = os.getloadavg()[0]
        start = time.monotonic()
        end = start + a.deadline
        left = lambda: max(1.0, end - time.monotonic())
        log = StampedLog(os.path.join(work, "console.log"), start, a.log)
        g = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace", timeout=a.deadline,
                          logfile=log)
        try:
            g.expect("%s login: " % HOSTNAME, timeout=left())
            prompt_at = time.monotonic() - start
            g.sendline("root")
            g.expect("Password: ", timeout=left())
            g.sendline(PASSWORD)
            g.expect("root@%s:~# " % HOSTNAME, timeout=left())
            shell_at = time.monotonic() - start
            g.sendline("apt --version; echo check-$((6*7))")
            g.expect(r"apt (\d[^\s]*) \(riscv64\)", timeout=left())
            apt = g.match.group(1)
            g.expect("check-42", timeout=left())
            g.expect("# ", timeout=left())
            g.sendline("poweroff")
            g.expect(pexpect.EOF, timeout=left())
            off_at = time.monotonic() - start
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            g.kill(15)  # the emulator prints its --stats on SIGTERM
            try:
                g.expect(pexpect.EOF, timeout=10)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass
            g.terminate(force=True)
            log.flush()
            with open(os.path.join(work, "console.log")) as f:
                tail = f.read()[-3000:]
            print("FAILED (%s) after %.1f s; console tail:\n%s" % (type(e).__name__, time.monotonic() - start, tail))
            return 1
        g.close()
        log.flush()
        print("%s init=%s memory=%s smp=%d: login prompt %.1f s, root shell %.1f s, apt %s, powered off %.1f s "
              "(load %.2f before, %.2f after)" % (a.runner, a.init, a.memory, a.smp, prompt_at, shell_at, apt, off_at,
                                                  load, os.getloadavg()[0]))
        return 0
    finally:
        if os.environ.get("SLICE_KEEP_CHECK"):
            print("kept", work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
