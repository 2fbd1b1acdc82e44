# A serial console has no window size: at login, ask the terminal emulator for it (deploy: /usr/local/bin/resize),
# so that long lines wrap where the screen does. Only on a serial tty (QEMU's ttyS0, Xen's hvc0); an SSH
# session has its pty's size already. Run `resize` again after resizing the window.
case $(tty 2>/dev/null) in
  /dev/ttyS*|/dev/hvc*) [ -x /usr/local/bin/resize ] && /usr/local/bin/resize -q ;;
esac
true
