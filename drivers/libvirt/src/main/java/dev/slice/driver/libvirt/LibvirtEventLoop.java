package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's default event loop, registered once per process and run by one daemon thread. Console
 * streams are driven by it (data is announced by a callback, so no thread ever waits inside a stream
 * call) and it carries the keepalive messages that make libvirt drop a connection whose daemon stopped
 * answering, which ends every call waiting on it. libvirt only uses the loop for connections opened
 * after it was registered, so every connection of this driver is opened after {@link #ensureRunning()}.
 */
final class LibvirtEventLoop {
    static final String THREAD_NAME = "libvirt-events";
    private static boolean running;

    private LibvirtEventLoop() {}

    static synchronized void ensureRunning() {
        if (running) return;
        try {
            Library.initEventLoop(); // virEventRegisterDefaultImpl
        } catch (LibvirtException e) {
            throw new DriverException("cannot register libvirt's event loop: " + LibvirtCalls.message(e), e);
        }
        Thread.ofPlatform().daemon().name(THREAD_NAME).start(LibvirtEventLoop::dispatchForever);
        running = true;
    }

    private static void dispatchForever() {
        while (true) {
            try {
                Library.processEvent(); // one virEventRunDefaultImpl: waits for the next event and dispatches it
            } catch (LibvirtException e) {
                pause(); // a failed poll; do not spin on a persistent failure
            } catch (RuntimeException | Error e) {
                // A callback that threw must not stop every console and keepalive of the process.
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
