package dev.slice.account.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.slice.display.FieldErrors;
import dev.slice.quota.Quota;
import java.util.List;

/**
 * The totals of a {@link Quota} as form fields, empty meaning unlimited: the grant dialog's totals next to its servers and
 * the customer limits dialog. Field ids are {@code prefix-vcpus} etc.; errors are bound to the API's field names.
 */
final class QuotaFields {
    final IntegerField servers;
    final IntegerField vcpus;
    final IntegerField memory;
    final IntegerField disk;
    final IntegerField ipv4;

    QuotaFields(String prefix, Quota current, FieldErrors errors) {
        servers = field(prefix + "-servers", "Servers in total", current.maxServers());
        vcpus = field(prefix + "-total-vcpus", "vCPUs in total", current.maxVcpus());
        memory = field(prefix + "-total-memory", "Memory in total (MiB)", current.maxMemoryMiB());
        disk = field(prefix + "-total-disk", "Disk in total (MiB)", current.maxDiskMiB());
        ipv4 = field(prefix + "-total-ipv4", "IPv4 addresses in total", current.maxIpv4Addresses());
        errors.bind("maxServers", servers).bind("maxVcpus", vcpus).bind("maxMemoryMiB", memory).bind("maxDiskMiB", disk)
                .bind("maxIpv4Addresses", ipv4);
    }

    /** The totals other than servers, which a grant always has. */
    List<Component> totals() {
        return List.of(vcpus, memory, disk, ipv4);
    }

    Quota value() {
        return new Quota(servers.getValue(), vcpus.getValue(), asLong(memory.getValue()), asLong(disk.getValue()), ipv4.getValue());
    }

    private static IntegerField field(String id, String label, Number value) {
        IntegerField field = new IntegerField(label);
        field.setId(id);
        field.setPlaceholder("unlimited");
        field.setClearButtonVisible(true);
        field.setManualValidation(true);
        // A panel field holds up to 2^31-1 (2 PiB of MiB): beyond it, it shows the largest it can.
        if (value != null) field.setValue((int) Math.min(Integer.MAX_VALUE, value.longValue()));
        return field;
    }

    private static Long asLong(Integer value) {
        return value == null ? null : value.longValue();
    }
}
