package dev.slice.driver.host;

/** How a finished host command ended, with its output decoded as UTF-8. */
public record ProcessResult(HostCommand command, int exitCode, String stdout, String stderr) {
    public boolean succeeded() { return exitCode == 0; }
}
