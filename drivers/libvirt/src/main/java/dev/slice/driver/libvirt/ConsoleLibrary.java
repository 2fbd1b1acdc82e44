package dev.slice.driver.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libvirt C functions the console needs that libvirt-java 0.5.3 does not wrap
 * ({@code virDomainOpenConsole} above all), bound with JNA on their own connection so that no
 * private state of libvirt-java is touched. Sizes are {@code size_t}: {@code long} on x86-64.
 */
interface ConsoleLibrary extends Library {
    /** Replaces a console session another client holds, as a person reconnecting expects. */
    int VIR_DOMAIN_CONSOLE_FORCE = 1;
    /** Stream calls return -2 instead of waiting; data is announced by the event loop. */
    int VIR_STREAM_NONBLOCK = 1;
    int VIR_STREAM_EVENT_READABLE = 1;
    int VIR_STREAM_EVENT_ERROR = 4;
    int VIR_STREAM_EVENT_HANGUP = 8;
    /** What {@code virStreamRecv} and {@code virStreamSend} return on a non-blocking stream that is not ready. */
    int WOULD_BLOCK = -2;

    ConsoleLibrary INSTANCE = Native.load("virt", ConsoleLibrary.class);

    /** {@code virStreamEventCallback}: runs on the thread that runs libvirt's event loop. */
    interface StreamEventCallback extends Callback {
        void invoke(Pointer stream, int events, Pointer opaque);
    }

    /** {@code virFreeCallback}: libvirt will not call the stream callback any more. */
    interface FreeCallback extends Callback {
        void invoke(Pointer opaque);
    }

    Pointer virConnectOpen(String uri);

    int virConnectClose(Pointer connection);

    /** Needs a running event loop; libvirt then closes a connection whose daemon stops answering. */
    int virConnectSetKeepAlive(Pointer connection, int intervalSeconds, int count);

    Pointer virDomainLookupByName(Pointer connection, String name);

    int virDomainFree(Pointer domain);

    Pointer virStreamNew(Pointer connection, int flags);

    int virDomainOpenConsole(Pointer domain, String device, Pointer stream, int flags);

    int virStreamRecv(Pointer stream, byte[] data, long length);

    int virStreamSend(Pointer stream, byte[] data, long length);

    int virStreamEventAddCallback(Pointer stream, int events, StreamEventCallback callback, Pointer opaque,
                                  FreeCallback free);

    int virStreamEventUpdateCallback(Pointer stream, int events);

    int virStreamEventRemoveCallback(Pointer stream);

    int virStreamFinish(Pointer stream);

    int virStreamAbort(Pointer stream);

    int virStreamFree(Pointer stream);

    String virGetLastErrorMessage();
}
