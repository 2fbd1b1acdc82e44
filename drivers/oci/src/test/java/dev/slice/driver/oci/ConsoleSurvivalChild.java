package dev.slice.driver.oci;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.Resources;
import dev.slice.driver.tck.ConsoleReader;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plays Slice in a JVM of its own for {@link OciConsoleSurvivalTest}: starts a guest, logs in on its
 * console, leaves a mark in the shell, and exits without closing or stopping anything.
 */
final class ConsoleSurvivalChild {
    private ConsoleSurvivalChild() {}

    public static void main(String[] args) {
        GuestId id = GuestId.of(args[0]);
        OciDriver driver = OciTestHost.openDriver();
        driver.create(OciTestHost.spec(id, 40, new Resources(1, 256, 512, 0, 0),
                new Credentials(OciFirstBootTest.PASSWORD_HASH, List.of())));
        driver.start(id);
        ConsoleReader console = new ConsoleReader(driver.open(id));
        console.type("\n");
        console.await(Pattern.compile("login: ?"), Duration.ofSeconds(30));
        console.type("root\n");
        console.await(Pattern.compile("Password: ?"), Duration.ofSeconds(30));
        console.type(OciFirstBootTest.PASSWORD + "\n");
        console.await(Pattern.compile("# ?"), Duration.ofSeconds(30));
        console.type("export SLICE_MARK=kept-$((40+2)); echo child-$((1+1))-done\n");
        console.await(Pattern.compile("child-2-done"), Duration.ofSeconds(30));
        System.out.println("child finished with guest " + id + " running");
        System.exit(0);
    }
}
