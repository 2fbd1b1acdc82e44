package dev.slice.driver.libvirt;

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

    ConsoleLibrary INSTANCE = Native.load("virt", ConsoleLibrary.class);

    Pointer virConnectOpen(String uri);

    int virConnectClose(Pointer connection);

    Pointer virDomainLookupByName(Pointer connection, String name);

    int virDomainFree(Pointer domain);

    Pointer virStreamNew(Pointer connection, int flags);

    int virDomainOpenConsole(Pointer domain, String device, Pointer stream, int flags);

    int virStreamRecv(Pointer stream, byte[] data, long length);

    int virStreamSend(Pointer stream, byte[] data, long length);

    int virStreamAbort(Pointer stream);

    int virStreamFree(Pointer stream);

    String virGetLastErrorMessage();
}
