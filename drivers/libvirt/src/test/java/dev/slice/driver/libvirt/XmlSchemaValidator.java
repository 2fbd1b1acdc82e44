package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a document against libvirt's own RelaxNG schemas with the real virt-xml-validate. */
final class XmlSchemaValidator {
    private XmlSchemaValidator() {}

    /** @param schema virt-xml-validate's schema name: domain, storagevol, storagepool, ... */
    static void assertValid(String xml, String schema) {
        try {
            Path file = Files.createTempFile("slice-" + schema + "-", ".xml");
            try {
                Files.writeString(file, xml);
                ProcessResult result = TestHost.PROCESSES.run(HostCommand.of("virt-xml-validate", file.toString(), schema));
                assertThat(result.exitCode())
                        .as("virt-xml-validate %s said:\n%s%s\nfor:\n%s", schema, result.stdout(), result.stderr(), xml)
                        .isZero();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
