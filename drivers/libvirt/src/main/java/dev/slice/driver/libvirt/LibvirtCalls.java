package dev.slice.driver.libvirt;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Small adapters between libvirt-java's checked exceptions and the driver's results. */
final class LibvirtCalls {
    private static final Set<ErrorNumber> ABSENT = EnumSet.of(
            ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorNumber.VIR_ERR_NO_STORAGE_VOL);

    private LibvirtCalls() {}

    @FunctionalInterface
    interface Call<T> {
        T call() throws LibvirtException;
    }

    /** Runs a look-up; "no such domain / pool / volume" becomes empty, any other failure stays an exception. */
    static <T> Optional<T> lookup(Call<T> call) throws LibvirtException {
        try {
            return Optional.ofNullable(call.call());
        } catch (LibvirtException e) {
            if (isAbsent(e)) return Optional.empty();
            throw e;
        }
    }

    static boolean isAbsent(LibvirtException e) {
        return e.getError() != null && ABSENT.contains(e.getError().getCode());
    }

    /** libvirt's own message, without the class-name noise. */
    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }
}
