package dev.slice.account;

/** The answer to a presented API token: who it acts as and with which scope, or why it is refused (a 401). */
public sealed interface TokenCheck {
    record Accepted(Actor actor, TokenScope scope) implements TokenCheck {}

    record Refused(String message) implements TokenCheck {}
}
