package dev.slice.driver.uml;

import dev.slice.driver.tck.ConsoleReader;
import java.time.Duration;
import java.util.regex.Pattern;

/** A root shell on a guest's console, for tests that look inside the guest. */
final class GuestShell implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern PROMPT = Pattern.compile("root@[^:]*:[^#]*# ");

    private final ConsoleReader console;
    private int commands;

    private GuestShell(ConsoleReader console) {
        this.console = console;
    }

    /** Waits for the login prompt (nudging, as a person would) and logs in as root with the test password. */
    static GuestShell login(ConsoleReader console) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            console.type("\n");
            try {
                console.await(TestGuests.LOGIN_PROMPT, Duration.ofSeconds(3));
                break;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
            }
        }
        console.type("root\n");
        console.await(Pattern.compile("Password: "), WAIT);
        console.type(TestGuests.ROOT_PASSWORD + "\n");
        console.await(PROMPT, WAIT);
        GuestShell shell = new GuestShell(console);
        shell.run("stty -echo; export PS1='root@uml:~# '");
        return shell;
    }

    /** Runs a command line and returns what it printed, between two unique markers. */
    String run(String commandLine) {
        int n = ++commands;
        String begin = "<<" + n + "-begin>>";
        String end = "<<" + n + "-end>>";
        // The markers are split in the typed text, so the terminal's echo of the command never matches them.
        console.type("echo '<<" + n + "-'begin'>>'; " + commandLine + "; echo '<<" + n + "-'end'>>'\n");
        console.await(Pattern.compile(Pattern.quote(begin)), WAIT);
        String output = console.await(Pattern.compile("(?s).*?" + Pattern.quote(end)), WAIT);
        return output.substring(0, output.length() - end.length()).replace("\r", "").strip();
    }

    @Override
    public void close() throws Exception {
        console.type("exit\n");
        console.close();
    }
}
